"""A file someone uploaded: its description in one table, its bytes in another.

Lists and relationships load only the description; the bytes are read when
the file is downloaded. Keeping them in the database means a backup
(``flask occe backup``) holds the attachments with the records they belong to.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import relationship

from app.extensions import db


class StoredFile(db.Model):
    __tablename__ = "occe_stored_file"

    id = Column(Integer, primary_key=True)
    filename = Column(String(255), nullable=False)
    kind = Column(String(10), nullable=False)
    content_type = Column(String(100), nullable=False)
    size = Column(Integer, nullable=False)
    sha256 = Column(String(64), nullable=False, index=True)
    uploaded_at = Column(DateTime, nullable=False, default=datetime.now)
    uploaded_by_fk = Column(Integer, ForeignKey("ab_user.id"), index=True)

    #: loaded only when asked for (a download), never with a list
    content_row = relationship("StoredFileContent", uselist=False, lazy="select", cascade="all, delete-orphan")

    def __str__(self) -> str:
        return self.filename


class StoredFileContent(db.Model):
    __tablename__ = "occe_stored_file_content"

    file_id = Column(Integer, ForeignKey("occe_stored_file.id", ondelete="CASCADE"), primary_key=True)
    data = Column(LargeBinary, nullable=False)
