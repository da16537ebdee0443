"""Progress report rules: the reporting calendar, who drafts, attests, reviews and publishes, and what each
reader sees. Reports on matches follow the match's parties; reports on a pledge follow its reporting
organisation (no attestation: there is no requesting party)."""

from __future__ import annotations

import uuid
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.commitments.service import check_if_match
from api.core import audit, clock
from api.core.actor import SYSTEM, Actor
from api.core.config import Settings
from api.core.errors import Conflict, Forbidden, InvalidTransition, NotFound, field_error, refuse_emptied
from api.files import service as files
from api.files.schemas import StoredFileOut
from api.knowledge.conversion import MatchPrefill, PrefillSection, register_prefill_contributor
from api.matches import notifications
from api.matches import service as match_service
from api.models.commitments import Pledge, PledgeOrganisation
from api.models.matches import Match
from api.models.reports import ProgressReport, ProgressReportRevision, ReportingSchedule
from api.platform import settings as platform_settings
from api.reports import repository, schemas, workflow
from api.worker import periodic

CONTENT_FIELDS = ("stage", "narrative", "challenges", "good_practices", "next_steps", "impact", "indicators", "links")


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def periods_until(starts_on: date, interval_months: int, today: date) -> list[tuple[date, date]]:
    """The reporting periods that have started by `today` (the last one may still be running)."""
    result: list[tuple[date, date]] = []
    start = starts_on
    while start <= today and len(result) < 240:
        end = add_months(start, interval_months)
        result.append((start, end))
        start = end
    return result


def traffic_light(reports: list[ProgressReport], today: date, *, reminder_days: int) -> str:
    """overdue: a report past its due date and not submitted; due_soon: one due within the reminder window
    (or due now); on_track otherwise."""
    waiting = [r for r in reports if r.status in workflow.DRAFTING]
    if any(r.status == "overdue" for r in waiting):
        return "overdue"
    if any(r.status in ("due", "sent_back") or r.due_on <= today + timedelta(days=reminder_days) for r in waiting):
        return "due_soon"
    return "on_track"


# Reading who may do what


@dataclass
class Context:
    """A report's subject as a given actor relates to it."""

    schedule: ReportingSchedule
    match_bundle: match_service.Bundle | None
    roles: frozenset[workflow.Role]
    needs_attestation: bool


async def _context(session: AsyncSession, actor: Actor, schedule: ReportingSchedule) -> Context:
    if schedule.match_id is not None:
        bundle = await match_service.load(session, actor, schedule.match_id)
        if not (bundle.facilitating or bundle.is_party):
            raise NotFound("No such report")
        roles: set[workflow.Role] = set()
        if bundle.facilitating:
            roles.add("reviewer")
        for party, _ in bundle.parties:
            if actor.is_focal_point_of(party.organisation_id):
                roles.add("offering" if party.side == "offering" else "requesting")
        return Context(schedule, bundle, frozenset(roles), needs_attestation=True)
    pledge_roles: set[workflow.Role] = set()
    if actor.is_secretariat:
        pledge_roles.add("reviewer")
    organisation_id = schedule.reporting_organisation_id
    if organisation_id and actor.is_focal_point_of(organisation_id):
        pledge_roles.add("offering")
    if not pledge_roles and not (organisation_id and organisation_id in actor.organisation_ids):
        raise NotFound("No such report")
    return Context(schedule, None, frozenset(pledge_roles), needs_attestation=False)


def _may_edit(actor: Actor, context: Context, report: ProgressReport) -> bool:
    if report.status not in workflow.DRAFTING:
        return False
    if context.match_bundle is not None:
        return any(
            party.side == "offering" and actor.can_edit_for(party.organisation_id)
            for party, _ in context.match_bundle.parties
        )
    organisation_id = context.schedule.reporting_organisation_id
    return organisation_id is not None and actor.can_edit_for(organisation_id)


# Attached files (stored by api/files): readable by whoever may read the report, attached and removed by
# whoever may still edit it (the offering party, until it is submitted).
FILE_OWNER = "progress_report"


async def _can_read_report(session: AsyncSession, actor: Actor, report_id: uuid.UUID) -> bool:
    try:
        await _load(session, actor, report_id)
    except NotFound:
        return False
    return True


async def _can_attach_to_report(session: AsyncSession, actor: Actor, report_id: uuid.UUID) -> bool:
    report, context = await _load(session, actor, report_id)
    return _may_edit(actor, context, report)


files.register_file_owner(FILE_OWNER, _can_read_report, can_write=_can_attach_to_report)


async def _read(session: AsyncSession, actor: Actor, context: Context, report: ProgressReport) -> schemas.Report:
    return (await _read_many(session, actor, context, [report]))[0]


async def _read_many(
    session: AsyncSession, actor: Actor, context: Context, reports: list[ProgressReport]
) -> list[schemas.Report]:
    stored = await files.files_of(session, FILE_OWNER, [r.id for r in reports])
    return [_view(actor, context, report, stored.get(report.id, [])) for report in reports]


def _view(actor: Actor, context: Context, report: ProgressReport, attached: list[Any]) -> schemas.Report:
    actions = workflow.allowed_actions(report.status, context.roles)
    if report.status == "submitted" and context.needs_attestation:
        actions = [a for a in actions if a != "accept"]
    if not context.needs_attestation:
        actions = [a for a in actions if a != "attest"]
    return schemas.Report.model_validate(
        {
            **{
                name: getattr(report, name)
                for name in schemas.Report.model_fields
                if name not in ("match_id", "pledge_id", "allowed_actions", "can_edit", "files")
            },
            "files": [StoredFileOut.of(record) for record in attached],
            "match_id": context.schedule.match_id,
            "pledge_id": context.schedule.pledge_id,
            "allowed_actions": actions,
            "can_edit": _may_edit(actor, context, report),
        }
    )


# The calendar


async def ensure_match_schedule(session: AsyncSession, match: Match) -> ReportingSchedule | None:
    """A match reports from planning on; its schedule starts with the agreed timeframe."""
    if match.status not in ("planning", "in_progress", "fulfilled", "suspended"):
        return None
    schedule = await repository.schedule_for_match(session, match.id)
    if schedule is None:
        interval = int(await platform_settings.get(session, "reporting_interval_months"))
        starts_on = match.starts_on or (match.agreed_at.date() if match.agreed_at else clock.now().date())
        schedule = ReportingSchedule(match_id=match.id, interval_months=interval, starts_on=starts_on)
        session.add(schedule)
        await session.flush()
    return schedule


async def _last_reporting_day(session: AsyncSession, schedule: ReportingSchedule) -> date | None:
    """A fulfilled or cancelled match stops opening periods: its last report covers the period it closed in."""
    if schedule.match_id is None:
        return None
    match = await session.get(Match, schedule.match_id)
    closed = None if match is None else match.fulfilled_at or match.closed_at
    return (
        closed.date()
        if closed is not None and match is not None and match.status in ("fulfilled", "cancelled")
        else None
    )


async def sync(session: AsyncSession, schedule: ReportingSchedule, today: date) -> list[ProgressReport]:
    """Create the reports of the periods that have started; move them along the calendar (due, overdue)."""
    grace = int(await platform_settings.get(session, "report_overdue_grace_days"))
    reports = {r.period_start: r for r in await repository.reports_of(session, schedule.id)}
    last_day = await _last_reporting_day(session, schedule)
    opening_until = min(today, last_day) if last_day else today
    for start, end in periods_until(schedule.starts_on, schedule.interval_months, opening_until):
        if start not in reports:
            report = ProgressReport(
                schedule_id=schedule.id, period_start=start, period_end=end, due_on=end, status="not_yet_due"
            )
            session.add(report)
            reports[start] = report
    for report in reports.values():
        if report.status == "not_yet_due" and report.due_on <= today:
            report.status = "due"
            audit.label(session, report, "progress_reports.become_due")
        if report.status == "due" and today > report.due_on + timedelta(days=grace):
            report.status = "overdue"
            audit.label(session, report, "progress_reports.become_overdue")
    await session.flush()
    return sorted(reports.values(), key=lambda r: r.period_start, reverse=True)


async def _reporting(
    session: AsyncSession, actor: Actor, schedule: ReportingSchedule, context: Context
) -> schemas.Reporting:
    today = clock.now().date()
    reports = await sync(session, schedule, today)
    reminder = int(await platform_settings.get(session, "report_reminder_days"))
    waiting = [r.due_on for r in reports if r.status in workflow.DRAFTING]
    return schemas.Reporting(
        schedule_id=schedule.id,
        interval_months=schedule.interval_months,
        starts_on=schedule.starts_on,
        traffic_light=traffic_light(reports, today, reminder_days=reminder),
        next_due_on=min(waiting) if waiting else None,
        reports=await _read_many(session, actor, context, reports),
    )


async def match_reporting(session: AsyncSession, *, actor: Actor, match_id: uuid.UUID) -> schemas.Reporting:
    bundle = await match_service.load(session, actor, match_id)
    if not (bundle.facilitating or bundle.is_party):
        raise NotFound("No such match")
    schedule = await ensure_match_schedule(session, bundle.match)
    if schedule is None:
        raise Conflict("Reporting starts when the match reaches planning", code="NotReporting")
    return await _reporting(session, actor, schedule, await _context(session, actor, schedule))


async def set_match_schedule(
    session: AsyncSession, *, actor: Actor, match_id: uuid.UUID, body: schemas.ScheduleUpdate
) -> schemas.Reporting:
    """Change a match's reporting interval (the Secretariat or a facilitating office)."""
    bundle = await match_service.load(session, actor, match_id, for_update=True)
    if not bundle.facilitating:
        raise Forbidden("Only the Secretariat or a facilitating office sets the reporting schedule")
    schedule = await ensure_match_schedule(session, bundle.match)
    if schedule is None:
        raise Conflict("Reporting starts when the match reaches planning", code="NotReporting")
    if await repository.has_submitted(session, schedule.id) and body.starts_on and body.starts_on != schedule.starts_on:
        raise field_error("starts_on", "Reports were already submitted: the start of the schedule cannot move")
    schedule.interval_months = body.interval_months
    if body.starts_on:
        schedule.starts_on = body.starts_on
    # Deleted one by one through the session, so each removal is audited and reaches the change feed.
    for report in await repository.untouched(session, schedule.id):
        await session.delete(report)
    await session.flush()
    return await _reporting(session, actor, schedule, await _context(session, actor, schedule))


async def start_pledge_reporting(
    session: AsyncSession, *, actor: Actor, pledge_id: uuid.UUID, body: schemas.ScheduleUpdate
) -> schemas.Reporting:
    """Track a pledge whose support flows outside a match: its lead pledger reports (the Secretariat)."""
    if not actor.is_secretariat:
        raise Forbidden("Only the Secretariat starts tracking a pledge")
    pledge = await session.get(Pledge, pledge_id)
    if pledge is None:
        raise NotFound("No such pledge")
    if await repository.schedule_for_pledge(session, pledge_id) is not None:
        raise Conflict("This pledge is already tracked")
    lead = (
        (
            await session.execute(
                select(PledgeOrganisation.organisation_id)
                .where(PledgeOrganisation.pledge_id == pledge_id)
                .order_by(PledgeOrganisation.is_lead.desc())
            )
        )
        .scalars()
        .first()
    )
    schedule = ReportingSchedule(
        pledge_id=pledge_id,
        reporting_organisation_id=lead,
        interval_months=body.interval_months,
        starts_on=body.starts_on or clock.now().date(),
    )
    session.add(schedule)
    await session.flush()
    return await _reporting(session, actor, schedule, await _context(session, actor, schedule))


async def pledge_reporting(session: AsyncSession, *, actor: Actor, pledge_id: uuid.UUID) -> schemas.Reporting:
    schedule = await repository.schedule_for_pledge(session, pledge_id)
    if schedule is None:
        raise NotFound("This pledge is not tracked")
    return await _reporting(session, actor, schedule, await _context(session, actor, schedule))


# One report


async def _load(
    session: AsyncSession, actor: Actor, report_id: uuid.UUID, *, for_update: bool = False
) -> tuple[ProgressReport, Context]:
    found = await repository.report_with_schedule(session, report_id, for_update=for_update)
    if found is None:
        raise NotFound("No such report")
    report, schedule = found
    return report, await _context(session, actor, schedule)


async def get(session: AsyncSession, *, actor: Actor, report_id: uuid.UUID) -> schemas.Report:
    report, context = await _load(session, actor, report_id)
    return await _read(session, actor, context, report)


async def update(
    session: AsyncSession, *, actor: Actor, report_id: uuid.UUID, body: schemas.ReportUpdate, if_match: str | None
) -> schemas.Report:
    """Draft the report (the offering party's focal points and editors, until it is submitted)."""
    report, context = await _load(session, actor, report_id, for_update=True)
    if not _may_edit(actor, context, report):
        if report.status not in workflow.DRAFTING:
            raise InvalidTransition(f"A {report.status.replace('_', ' ')} report cannot be edited")
        raise Forbidden("The offering party drafts the report")
    check_if_match(report, if_match)
    changes = body.model_dump(mode="json", exclude_unset=True)
    refuse_emptied(changes, set(changes) - {"stage"})
    for key, value in changes.items():
        setattr(report, key, value)
    await session.flush()
    return await _read(session, actor, context, report)


def _content(report: ProgressReport) -> dict[str, Any]:
    return {name: getattr(report, name) for name in CONTENT_FIELDS}


async def act(
    session: AsyncSession,
    *,
    actor: Actor,
    report_id: uuid.UUID,
    action: str,
    body: schemas.ReportAction,
    if_match: str | None,
) -> schemas.Report:
    """Submit, attest, accept, send back, publish or unpublish a report."""
    report, context = await _load(session, actor, report_id, for_update=True)
    check_if_match(report, if_match, required=False)
    transition = workflow.transition_for(report.status, action)
    if transition is None or "system" in transition.roles:
        raise InvalidTransition(f"Cannot {action.replace('_', ' ')} a report that is {report.status.replace('_', ' ')}")
    if not transition.roles & context.roles:
        raise Forbidden(f"You may not {action.replace('_', ' ')} this report")
    now = clock.now()
    if action == "submit":
        if not report.narrative.strip():
            raise field_error("narrative", "Describe the progress before submitting")
        number = await repository.revision_count(session, report.id) + 1
        session.add(
            ProgressReportRevision(
                report_id=report.id,
                number=number,
                content=_content(report),
                submitted_at=now,
                submitted_by_user_id=actor.user_id,
            )
        )
        report.submitted_at, report.submitted_by_user_id = now, actor.user_id
        report.attestation = report.attestation_comment = report.attested_at = None
    elif action == "attest":
        if not context.needs_attestation:
            raise InvalidTransition("A pledge report has no requesting party to attest it")
        if body.attestation is None:
            raise field_error("attestation", "Confirm the report, or attest it with a comment")
        if body.attestation == "commented" and not (body.comment or "").strip():
            raise field_error("comment", "Write the comment you attest the report with")
        report.attestation, report.attestation_comment, report.attested_at = body.attestation, body.comment, now
    elif action == "accept":
        if context.needs_attestation and report.status != "attested":
            raise InvalidTransition("The requesting party attests the report before it is accepted")
        report.review_comment, report.reviewed_at = body.comment, now
    elif action == "send_back":
        if not (body.comment or "").strip():
            raise field_error("comment", "Say what to change")
        report.review_comment, report.reviewed_at = body.comment, now
        latest = await repository.latest_revision(session, report.id)
        if latest is not None:
            latest.review_comment = body.comment
    elif action == "publish":
        if not (body.excerpt or "").strip():
            raise field_error("excerpt", "Mark the excerpt to publish")
        report.published_excerpt, report.published_at = body.excerpt, now
    elif action == "unpublish":
        report.published_at = None
    report.status = transition.target
    audit.label(session, report, f"progress_reports.{action}", note=body.comment)
    await session.flush()
    if context.match_bundle is not None:
        await _notify(session, context.match_bundle.match, action)
    return await _read(session, actor, context, report)


REPORT_EVENTS = {
    "submit": ("report_submitted", "requesting_parties"),
    "attest": ("report_attested", "facilitators"),
    "send_back": ("report_sent_back", "offering_parties"),
    "accept": ("report_accepted", "parties"),
}


async def _notify(session: AsyncSession, match: Match, action: str) -> None:
    if action in REPORT_EVENTS:
        event, audience = REPORT_EVENTS[action]
        await notifications.emit(session, match, event, audience=audience)
        if action == "submit":
            await notifications.emit(session, match, event, audience="facilitators")


async def revisions(session: AsyncSession, *, actor: Actor, report_id: uuid.UUID) -> list[schemas.ReportRevision]:
    report, _ = await _load(session, actor, report_id)
    return [schemas.ReportRevision.model_validate(r) for r in await repository.revisions(session, report.id)]


async def list_reports(
    session: AsyncSession, *, actor: Actor, statuses: list[str], light: str | None, limit: int
) -> schemas.ReportPage:
    """The reports the caller reviews or writes, with their traffic light (the Secretariat's list)."""
    today = clock.now().date()
    reminder = int(await platform_settings.get(session, "report_reminder_days"))
    rows, total, capped = await repository.page(session, actor, statuses=statuses, limit=limit)
    items = []
    for report, schedule, match_reference in rows:
        report_light = traffic_light([report], today, reminder_days=reminder)
        if light and report_light != light:
            continue
        items.append(
            schemas.ReportListItem(
                id=report.id,
                match_id=schedule.match_id,
                match_reference=match_reference,
                pledge_id=schedule.pledge_id,
                period_start=report.period_start,
                period_end=report.period_end,
                due_on=report.due_on,
                status=report.status,
                traffic_light=report_light,
            )
        )
    return schemas.ReportPage(items=items, total=total, total_is_lower_bound=capped)


async def published_excerpts(session: AsyncSession, match_id: uuid.UUID) -> list[schemas.PublishedExcerpt]:
    return [
        schemas.PublishedExcerpt(
            period_start=r.period_start,
            period_end=r.period_end,
            excerpt=r.published_excerpt or "",
            published_at=r.published_at,
        )
        for r in await repository.published_for_match(session, match_id)
    ]


# The worker's calendar job


@periodic("reporting_calendar")
async def run_reporting_calendar(session: AsyncSession, settings: Settings) -> int:
    """Open schedules for matches in planning or later, move reports along the calendar, remind the offering
    party before a report is due and alert the facilitating office when one is overdue."""
    audit.bind_actor(session, SYSTEM)
    today = clock.now().date()
    reminder = int(await platform_settings.get(session, "report_reminder_days"))
    touched = 0
    for match in await repository.matches_needing_reports(session):
        schedule = await ensure_match_schedule(session, match)
        if schedule is None:
            continue
        for report in await sync(session, schedule, today):
            if report.status in ("not_yet_due", "due") and report.due_on <= today + timedelta(days=reminder):
                await notifications.emit(
                    session, match, "report_due", audience="offering_parties", dedup=f"report:{report.id}:due"
                )
                touched += 1
            if report.status == "overdue":
                await notifications.emit(
                    session, match, "report_overdue", audience="all", dedup=f"report:{report.id}:overdue"
                )
                touched += 1
    for schedule in await repository.pledge_schedules(session):
        await sync(session, schedule, today)
    await session.flush()
    return touched


# Knowledge items made from a closed match start with what its accepted reports say.

_PREFILL_HEADINGS = {
    "en": {"progress": "Progress reported", "good_practices": "Good practices", "challenges": "Challenges"},
    "fr": {"progress": "Progrès rapportés", "good_practices": "Bonnes pratiques", "challenges": "Difficultés"},
    "es": {"progress": "Avances informados", "good_practices": "Buenas prácticas", "challenges": "Dificultades"},
}


PREFILL_FIELDS = (("progress", "narrative"), ("good_practices", "good_practices"), ("challenges", "challenges"))


async def _prefill_from_reports(session: AsyncSession, actor: Actor, prefill: MatchPrefill) -> None:
    """Add the narrative, good practices and challenges of the match's accepted (or published) reports, for a
    caller who may read those reports (its parties and facilitators)."""
    schedule = await repository.schedule_for_match(session, prefill.match_id)
    if schedule is None:
        return
    try:
        await _context(session, actor, schedule)
    except NotFound:
        return
    reviewed = [r for r in await repository.reports_of(session, schedule.id) if r.status in ("accepted", "published")]
    headings = _PREFILL_HEADINGS.get(prefill.language, _PREFILL_HEADINGS["en"])
    for key, attribute in PREFILL_FIELDS:
        parts = [
            f"**{r.period_start.isoformat()} – {r.period_end.isoformat()}**\n\n{getattr(r, attribute).strip()}"
            for r in reviewed
            if getattr(r, attribute).strip()
        ]
        if parts:
            prefill.sections.append(PrefillSection(headings[key], "\n\n".join(parts)))


register_prefill_contributor(_prefill_from_reports)
