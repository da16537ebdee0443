"""Bulk import jobs: the uploaded file, progress, the row report and the rejected rows."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, deferred, mapped_column

from api.models.base import Base, UUIDPrimaryKey, status_check

IMPORT_STATUSES = ("queued", "running", "succeeded", "failed", "cancelled")
IMPORT_MODES = ("all_or_nothing", "valid_rows_only")


class ImportJob(UUIDPrimaryKey, Base):
    """One upload of a file to import (or to check, when `dry_run`).

    Small files are processed in the upload request; large ones by the worker, which writes progress as it
    goes. The file is dropped once processed; the report and the rejected rows stay for download.
    """

    __tablename__ = "import_jobs"
    __table_args__ = (
        CheckConstraint(status_check("status", IMPORT_STATUSES), name="status"),
        CheckConstraint(status_check("mode", IMPORT_MODES), name="mode"),
        Index("ix_import_jobs_created_at_id", "created_at", "id"),
    )
    # Progress bookkeeping; what is audited is the upload, the cancellation and every record written.
    __audited__ = False

    kind: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(16), default="queued")
    dry_run: Mapped[bool] = mapped_column(default=False)
    mode: Mapped[str] = mapped_column(String(20), default="all_or_nothing")
    source: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str | None] = mapped_column(String(300))
    content_type: Mapped[str | None] = mapped_column(String(200))
    file_format: Mapped[str | None] = mapped_column(String(8))
    file_size: Mapped[int] = mapped_column(Integer, default=0)
    # Stored uncompressed (migration 0012): it is dropped when the job ends, and compressing it slowed uploads.
    file_data: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    created_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_by_client_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("integration_clients.id", ondelete="SET NULL"), index=True
    )
    rows_total: Mapped[int | None] = mapped_column(Integer)
    rows_done: Mapped[int] = mapped_column(Integer, default=0)
    counts: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    issues: Mapped[list[dict[str, Any]]] = deferred(mapped_column(JSONB, default=list))
    issues_total: Mapped[int] = mapped_column(Integer, default=0)
    records: Mapped[list[dict[str, Any]]] = deferred(mapped_column(JSONB, default=list))
    report_csv: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    rejected_csv: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    error_code: Mapped[str | None] = mapped_column(String(40))
    error: Mapped[str | None] = mapped_column(Text)
    request_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
