"""Queries on reporting schedules and progress reports. A report is visible through its subject: the
match's `visible_to` (as facilitator or party) or, for a pledge, its reporting organisation."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, false, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from api.core.actor import Actor
from api.core.pagination import capped_count
from api.matches.repository import facilitating, party_of
from api.models.matches import Match
from api.models.reports import ProgressReport, ProgressReportRevision, ReportingSchedule

REPORTING_MATCH_STATUSES = ("planning", "in_progress", "fulfilled", "suspended")


def visible_to(actor: Actor) -> ColumnElement[bool]:
    """Reports the actor may read: on matches they facilitate or are party to; on pledges their organisation
    reports for (the Secretariat sees all)."""
    if actor.is_secretariat:
        return true()
    match_ids = select(Match.id).where(or_(facilitating(actor), party_of(actor)))
    clauses: list[ColumnElement[bool]] = [ReportingSchedule.match_id.in_(match_ids)]
    if actor.organisation_ids:
        clauses.append(ReportingSchedule.reporting_organisation_id.in_(actor.organisation_ids))
    return or_(*clauses) if clauses else false()


async def schedule_for_match(session: AsyncSession, match_id: uuid.UUID) -> ReportingSchedule | None:
    return (
        await session.execute(select(ReportingSchedule).where(ReportingSchedule.match_id == match_id))
    ).scalar_one_or_none()


async def schedule_for_pledge(session: AsyncSession, pledge_id: uuid.UUID) -> ReportingSchedule | None:
    return (
        await session.execute(select(ReportingSchedule).where(ReportingSchedule.pledge_id == pledge_id))
    ).scalar_one_or_none()


async def reports_of(session: AsyncSession, schedule_id: uuid.UUID) -> Sequence[ProgressReport]:
    return (
        (
            await session.execute(
                select(ProgressReport)
                .where(ProgressReport.schedule_id == schedule_id)
                .order_by(ProgressReport.period_start)
            )
        )
        .scalars()
        .all()
    )


async def report_with_schedule(
    session: AsyncSession, report_id: uuid.UUID, *, for_update: bool = False
) -> tuple[ProgressReport, ReportingSchedule] | None:
    statement = (
        select(ProgressReport, ReportingSchedule)
        .join(ReportingSchedule, ReportingSchedule.id == ProgressReport.schedule_id)
        .where(ProgressReport.id == report_id)
    )
    if for_update:
        statement = statement.with_for_update(of=ProgressReport)
    row = (await session.execute(statement)).first()
    return (row[0], row[1]) if row else None


async def has_submitted(session: AsyncSession, schedule_id: uuid.UUID) -> bool:
    statement = (
        select(func.count())
        .select_from(ProgressReport)
        .where(ProgressReport.schedule_id == schedule_id, ProgressReport.submitted_at.is_not(None))
    )
    return int((await session.execute(statement)).scalar_one()) > 0


async def untouched(session: AsyncSession, schedule_id: uuid.UUID) -> Sequence[ProgressReport]:
    """Generated reports nobody started (never submitted, no narrative), locked: a new interval replaces them."""
    statement = (
        select(ProgressReport)
        .where(
            ProgressReport.schedule_id == schedule_id,
            ProgressReport.submitted_at.is_(None),
            ProgressReport.narrative == "",
            ProgressReport.status.in_(("not_yet_due", "due", "overdue")),
        )
        .order_by(ProgressReport.period_start)
        .with_for_update()
    )
    return (await session.execute(statement)).scalars().all()


async def revision_count(session: AsyncSession, report_id: uuid.UUID) -> int:
    statement = (
        select(func.count()).select_from(ProgressReportRevision).where(ProgressReportRevision.report_id == report_id)
    )
    return int((await session.execute(statement)).scalar_one())


async def latest_revision(session: AsyncSession, report_id: uuid.UUID) -> ProgressReportRevision | None:
    return (
        await session.execute(
            select(ProgressReportRevision)
            .where(ProgressReportRevision.report_id == report_id)
            .order_by(ProgressReportRevision.number.desc())
            .limit(1)
        )
    ).scalar_one_or_none()


async def revisions(session: AsyncSession, report_id: uuid.UUID) -> Sequence[ProgressReportRevision]:
    return (
        (
            await session.execute(
                select(ProgressReportRevision)
                .where(ProgressReportRevision.report_id == report_id)
                .order_by(ProgressReportRevision.number)
            )
        )
        .scalars()
        .all()
    )


async def page(
    session: AsyncSession, actor: Actor, *, statuses: Sequence[str], limit: int
) -> tuple[list[Any], int, bool]:
    clauses: list[ColumnElement[bool]] = [visible_to(actor)]
    if statuses:
        clauses.append(ProgressReport.status.in_(statuses))
    base = (
        select(ProgressReport.id)
        .join(ReportingSchedule, ReportingSchedule.id == ProgressReport.schedule_id)
        .where(*clauses)
    )
    total, capped = await capped_count(session, base)
    rows = (
        await session.execute(
            select(ProgressReport, ReportingSchedule, Match.reference)
            .join(ReportingSchedule, ReportingSchedule.id == ProgressReport.schedule_id)
            .outerjoin(Match, Match.id == ReportingSchedule.match_id)
            .where(*clauses)
            .order_by(ProgressReport.due_on, ProgressReport.id)
            .limit(limit)
        )
    ).all()
    return [(r[0], r[1], r[2]) for r in rows], total, capped


async def published_for_match(session: AsyncSession, match_id: uuid.UUID) -> Sequence[ProgressReport]:
    return (
        (
            await session.execute(
                select(ProgressReport)
                .join(ReportingSchedule, ReportingSchedule.id == ProgressReport.schedule_id)
                .where(ReportingSchedule.match_id == match_id, ProgressReport.status == "published")
                .order_by(ProgressReport.period_start)
            )
        )
        .scalars()
        .all()
    )


async def matches_needing_reports(session: AsyncSession) -> Sequence[Match]:
    return (
        (await session.execute(select(Match).where(Match.status.in_(REPORTING_MATCH_STATUSES)).order_by(Match.id)))
        .scalars()
        .all()
    )


async def pledge_schedules(session: AsyncSession) -> Sequence[ReportingSchedule]:
    return (
        (await session.execute(select(ReportingSchedule).where(ReportingSchedule.pledge_id.is_not(None))))
        .scalars()
        .all()
    )
