"""The history of every add, edit and delete made through the console."""

from datetime import datetime

from flask_appbuilder.security.sqla.models import User
from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import relationship

from app.extensions import db


class AuditEntry(db.Model):
    __tablename__ = "occe_audit"

    id = Column(Integer, primary_key=True)
    happened_on = Column(DateTime, nullable=False, default=datetime.now, index=True)
    user_id = Column(Integer, ForeignKey("ab_user.id"), index=True)
    action = Column(String(20), nullable=False)
    table_name = Column(String(80), nullable=False, index=True)
    row_id = Column(String(40), index=True)
    changes = Column(Text)

    user = relationship(User, lazy="joined")

    def __str__(self) -> str:
        return f"{self.action} {self.table_name} {self.row_id}"
