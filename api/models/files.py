"""Files uploaded to the platform, kept in the database beside the record they belong to."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from api.core import clock
from api.models.base import Base, UUIDPrimaryKey, status_check

# The types the platform accepts, as sniffed from the bytes (never the declared type or the extension).
FILE_CONTENT_TYPES = (
    "application/pdf",
    "image/png",
    "image/jpeg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.text",
    "text/plain",
    "text/csv",
)


class StoredFile(UUIDPrimaryKey, Base):
    """An uploaded file. It belongs to one owner record (`owner_type`, `owner_id`), whose visibility decides
    who may download it. The bytes live in `content` (bytea, deferred: only a download reads them)."""

    __tablename__ = "stored_files"
    __table_args__ = (
        CheckConstraint(status_check("content_type", FILE_CONTENT_TYPES), name="content_type"),
        CheckConstraint("size_bytes > 0", name="size"),
        CheckConstraint("octet_length(content) = size_bytes", name="content_size"),
        Index("ix_stored_files_owner", "owner_type", "owner_id", "created_at"),
    )
    # The bytes are not an audit "change": the row keeps their sha256 and size instead.
    __audit_redacted__ = frozenset({"content"})

    owner_type: Mapped[str] = mapped_column(String(40))
    owner_id: Mapped[uuid.UUID]
    file_name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
