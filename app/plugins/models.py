"""Which plugin is on for which school year."""

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, String, UniqueConstraint, func
from sqlalchemy.orm import relationship

from app.extensions import db


class PluginActivation(db.Model):
    """One row per plugin and year where it was ever switched; no row means off."""

    __tablename__ = "occe_plugin_activation"
    __table_args__ = (UniqueConstraint("plugin_code", "school_year_id", name="uq_occe_plugin_activation_year"),)

    id = Column(Integer, primary_key=True)
    plugin_code = Column(String(40), nullable=False, index=True)
    school_year_id = Column(Integer, ForeignKey("occe_school_year.id", ondelete="CASCADE"), nullable=False)
    enabled = Column(Boolean, nullable=False, default=False)
    changed_on = Column(DateTime, nullable=False, server_default=func.now(), onupdate=func.now())
    changed_by_id = Column(Integer, ForeignKey("ab_user.id"), nullable=True)

    school_year = relationship("SchoolYear")
