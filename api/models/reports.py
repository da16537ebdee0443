"""Reporting schedules and progress reports on matches (and on pledges whose support is tracked unmatched)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from api.models.base import Base, Timestamps, UUIDPrimaryKey, status_check

REPORT_STATUSES = (
    "not_yet_due",
    "due",
    "overdue",
    "submitted",
    "attested",
    "sent_back",
    "accepted",
    "published",
)
ATTESTATIONS = ("confirmed", "commented")


class ReportingSchedule(UUIDPrimaryKey, Timestamps, Base):
    """How often a match (or a pledge) reports: periods of `interval_months` from `starts_on`."""

    __tablename__ = "reporting_schedules"
    __table_args__ = (
        CheckConstraint("(match_id IS NULL) <> (pledge_id IS NULL)", name="one_subject"),
        CheckConstraint("interval_months BETWEEN 1 AND 24", name="interval"),
    )

    match_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("matches.id"), unique=True)
    pledge_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("pledges.id"), unique=True)
    # For a pledge: the organisation that reports (the lead pledger by default).
    reporting_organisation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisations.id"))
    interval_months: Mapped[int] = mapped_column(Integer, default=6)
    starts_on: Mapped[date] = mapped_column(Date)


class ProgressReport(UUIDPrimaryKey, Timestamps, Base):
    """One period's report: drafted by the offering party, attested by the requesting party, reviewed by
    UNHCR; an accepted report may have an excerpt published (with the parties' consent to publish)."""

    __tablename__ = "progress_reports"
    __change_feed__ = "progress_report"
    __table_args__ = (
        CheckConstraint(status_check("status", REPORT_STATUSES), name="status"),
        CheckConstraint(f"attestation IS NULL OR {status_check('attestation', ATTESTATIONS)}", name="attestation"),
        CheckConstraint("period_end > period_start", name="period"),
        UniqueConstraint("schedule_id", "period_start"),
        Index("ix_progress_reports_status_due", "status", "due_on"),
    )

    schedule_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reporting_schedules.id"))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="not_yet_due")
    stage: Mapped[str | None] = mapped_column(String(20))
    narrative: Mapped[str] = mapped_column(Text, default="")
    challenges: Mapped[str] = mapped_column(Text, default="")
    good_practices: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    # {"fairness": {"rating": 1..5, "evidence": "..."}, ...}
    impact: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    # [{"name", "unit", "baseline", "target", "actual"}]
    indicators: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    links: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    submitted_at: Mapped[datetime | None]
    submitted_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    attestation: Mapped[str | None] = mapped_column(String(12))
    attestation_comment: Mapped[str | None] = mapped_column(Text)
    attested_at: Mapped[datetime | None]
    review_comment: Mapped[str | None] = mapped_column(Text)
    reviewed_at: Mapped[datetime | None]
    published_excerpt: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - read once by the mapper


class ProgressReportRevision(UUIDPrimaryKey, Base):
    """A snapshot of a report at each submission: a sent-back report keeps its history."""

    __tablename__ = "progress_report_revisions"

    report_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("progress_reports.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict[str, Any]] = mapped_column(JSONB)
    submitted_at: Mapped[datetime]
    submitted_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    review_comment: Mapped[str | None] = mapped_column(Text)
