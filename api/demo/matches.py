"""Demo matches and progress reports: the public ACSG matches of the domain brief (section 8), taken through
the real workflow (proposal, consent, agreement, planning, publication, reports) by the demo users, so the
data carries the same events, audit rows and notifications as a match made through the API.

Idempotent: a demo request that is already part of a match is left alone.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.repository import actor_for_user
from api.commitments.workflow import MATCHABLE
from api.core import audit, clock
from api.core.actor import SYSTEM, Actor
from api.demo.commitments import SOURCE
from api.demo.seed import demo_id
from api.matches import schemas as match_schemas
from api.matches import service as matches
from api.models.commitments import SupportOffer, SupportRequest, SupportRequestComponent
from api.models.identity import User
from api.models.matches import Match, MatchParty
from api.models.reports import ProgressReport
from api.reports import schemas as report_schemas
from api.reports import service as reports

log = logging.getLogger(__name__)

SECRETARIAT = "secretariat@acsg.demo"


@dataclass(frozen=True)
class DemoReport:
    """The final (or latest) report of a demo match: drafted by the offering party, attested, accepted and
    (with `excerpt`) published."""

    period_start: date | None  # None: nine months before the day the demo is loaded (a live match)
    narrative: str
    good_practices: str
    excerpt: str | None


@dataclass(frozen=True)
class DemoMatch:
    key: str
    requests: tuple[str, ...]  # demo request keys
    offer: str  # demo offer key
    requesting_users: tuple[str, ...]  # one focal point per requesting party
    offering_user: str
    facilitators: tuple[str, ...]  # demo organisation keys of UNHCR offices
    stage: str  # planning | in_progress | fulfilled
    summary: str
    scope: str
    modalities: tuple[str, ...]
    starts_on: date
    ends_on: date | None
    # Demo pledge keys recorded in the agreement: one per requesting party (None: no pledge), and the offerer's.
    requesting_pledges: tuple[str | None, ...] = ()
    offering_pledge: str | None = None
    fulfilled_on: date | None = None
    report: DemoReport | None = None
    justification: str | None = None
    areas: tuple[str, ...] = ()  # the request components matched (default: all of them)


MATCHES: tuple[DemoMatch, ...] = (
    DemoMatch(
        "canada-mexico",
        requests=("mexico-comar",),
        offer="canada-irb",
        requesting_users=("comar@acsg.demo",),
        offering_user="irb@acsg.demo",
        facilitators=("office-mexico",),
        stage="fulfilled",
        summary="Canada (IRCC and IRB) supported Mexico's COMAR in training eligibility officers, reducing the "
        "backlog and setting up quality assurance of refugee status decisions.",
        scope="Training of trainers for COMAR eligibility officers, decision-making guidance, a backlog strategy "
        "and a quality assurance unit.",
        modalities=("training", "expert_deployment", "remote_advice", "peer_review"),
        starts_on=date(2019, 12, 1),
        ends_on=date(2022, 12, 31),
        requesting_pledges=("mexico-2019",),
        offering_pledge="canada-2019",
        fulfilled_on=date(2022, 12, 31),
        justification="The historical ACSG match between Canada and Mexico (2019-2022).",
        report=DemoReport(
            period_start=date(2022, 7, 1),
            narrative="All planned trainings were delivered; COMAR's quality assurance unit reviews a sample of "
            "decisions every month.",
            good_practices="Mixed teams of Canadian and Mexican trainers adapted the material to COMAR's caseload.",
            excerpt="Canada and Mexico completed their ACSG cooperation: COMAR trained its eligibility officers "
            "and now runs its own quality assurance of decisions.",
        ),
    ),
    DemoMatch(
        "france-niger",
        requests=("niger-dgec",),
        offer="france-ofpra",
        requesting_users=("niger@acsg.demo",),
        offering_user="ofpra@acsg.demo",
        facilitators=("office-niger",),
        stage="in_progress",
        summary="La France (OFPRA, CNDA et ministère de l'Intérieur) accompagne la Direction générale de l'état "
        "civil, des migrations et des réfugiés du Niger dans l'enregistrement et la détermination du statut.",
        scope="Formations des agents d'instruction, visites d'étude à l'OFPRA et à la CNDA, appui à "
        "l'enregistrement biométrique.",
        modalities=("training", "study_visit", "expert_deployment"),
        starts_on=date(2021, 4, 1),
        ends_on=None,
        requesting_pledges=("niger-2019",),
        offering_pledge="france-2019",
        justification="Le jumelage historique France - Niger de l'ACSG (depuis avril 2021).",
        report=DemoReport(
            period_start=None,
            narrative="Deux sessions de formation à l'entretien ont réuni 24 agents; une visite d'étude à l'OFPRA "
            "a porté sur la rédaction des décisions.",
            good_practices="Un binôme d'officiers de protection accompagne chaque nouvel agent pendant trois mois.",
            excerpt="24 agents nigériens formés à l'entretien d'asile et une visite d'étude à l'OFPRA.",
        ),
    ),
    DemoMatch(
        "chad-france",
        requests=("chad-cnarr",),
        offer="france-ofpra",
        requesting_users=("chad@acsg.demo",),
        offering_user="ofpra@acsg.demo",
        facilitators=("office-chad",),
        stage="planning",
        summary="La France accompagne le Tchad dans l'adoption de sa loi nationale sur l'asile et la conception "
        "de l'autorité chargée de l'appliquer.",
        scope="Appui à la rédaction du projet de loi et à la conception de l'autorité de l'asile.",
        modalities=("expert_deployment", "remote_advice", "study_visit"),
        starts_on=date(2026, 6, 1),
        ends_on=date(2027, 12, 31),
        requesting_pledges=("chad-2019",),
        offering_pledge="france-2019",
        justification="Le Tchad s'est engagé à adopter une loi sur l'asile; la France a proposé son expertise.",
        areas=("legal.legislation",),
    ),
    DemoMatch(
        "new-zealand-philippines",
        requests=("philippines-doj",),
        offer="new-zealand-mbie",
        requesting_users=("doj.ph@acsg.demo",),
        offering_user="mbie@acsg.demo",
        facilitators=("office-philippines",),
        stage="fulfilled",
        summary="New Zealand's MBIE mentored the protection officers of the DOJ Refugees and Stateless Persons "
        "Protection Unit of the Philippines.",
        scope="Remote mentoring and peer review of complex refugee and statelessness claims.",
        modalities=("peer_review", "remote_advice"),
        starts_on=date(2020, 3, 1),
        ends_on=date(2023, 6, 30),
        offering_pledge="new-zealand-2019",
        fulfilled_on=date(2023, 6, 30),
        justification="The historical ACSG match between New Zealand and the Philippines.",
        report=DemoReport(
            period_start=date(2023, 1, 1),
            narrative="Twelve officers completed the mentoring programme; peer reviews covered 40 complex claims.",
            good_practices="Remote peer review sessions scheduled across time zones kept the programme going.",
            excerpt="Twelve Philippine protection officers completed New Zealand's mentoring programme.",
        ),
    ),
    DemoMatch(
        "georgia-north-macedonia-tajikistan",
        requests=("north-macedonia", "tajikistan"),
        offer="georgia-mia",
        requesting_users=("mia.mk@acsg.demo", "mia.tj@acsg.demo"),
        offering_user="georgia@acsg.demo",
        facilitators=(),
        stage="fulfilled",
        summary="Georgia hosted study visits for the asylum authorities of North Macedonia and Tajikistan on "
        "refugee status determination, country of origin information and quality assurance (July and "
        "October 2022).",
        scope="Two study visits to Georgia's Migration Department: RSD interviews, COI research and quality assurance.",
        modalities=("study_visit",),
        starts_on=date(2022, 7, 1),
        ends_on=date(2022, 10, 31),
        offering_pledge="georgia-2021",
        fulfilled_on=date(2022, 10, 31),
        justification="The historical ACSG study visits hosted by Georgia in 2022.",
        report=DemoReport(
            period_start=date(2022, 7, 1),
            narrative="Both study visits took place (July and October 2022) with eight participants each.",
            good_practices="Participants shadowed real interviews and COI research with their Georgian peers.",
            excerpt="Georgia hosted two study visits for asylum officials of North Macedonia and Tajikistan in 2022.",
        ),
    ),
)


async def _actor(session: AsyncSession, email: str) -> Actor:
    user = (await session.execute(select(User).where(User.email == email))).scalar_one()
    return await actor_for_user(session, user)


async def _demo_record(session: AsyncSession, model: type[SupportRequest] | type[SupportOffer], key: str) -> object:
    return (
        await session.execute(select(model).where(model.source == SOURCE, model.external_id == key))
    ).scalar_one_or_none()


def _etag(record: Match | ProgressReport) -> str:
    return f'"{record.id}:{record.version}"'


def _backdate(on: date) -> datetime:
    return datetime(on.year, on.month, on.day, 12, tzinfo=UTC)


async def _move(session: AsyncSession, actor: Actor, match_id: uuid.UUID, action: str) -> None:
    await matches.transition(session, actor=actor, match_id=match_id, action=action, reason=None, if_match=None)


async def _already_matched(session: AsyncSession, request_ids: list[object]) -> bool:
    found = await session.execute(select(MatchParty.id).where(MatchParty.request_id.in_(request_ids)).limit(1))
    return found.first() is not None


async def _create(session: AsyncSession, spec: DemoMatch) -> bool:
    requests = [await _demo_record(session, SupportRequest, key) for key in spec.requests]
    offer = await _demo_record(session, SupportOffer, spec.offer)
    if offer is None or any(r is None for r in requests):
        return False
    found_requests = [r for r in requests if isinstance(r, SupportRequest)]
    assert isinstance(offer, SupportOffer)
    if await _already_matched(session, [r.id for r in found_requests]):
        return False
    if offer.status not in MATCHABLE or any(r.status not in MATCHABLE for r in found_requests):
        # A database seeded by an older demo (records marked matched without a match): leave it as it is.
        log.info("demo match %s skipped: its records are no longer open to matching", spec.key)
        return False
    components = (
        (
            await session.execute(
                select(SupportRequestComponent)
                .where(SupportRequestComponent.request_id.in_([r.id for r in found_requests]))
                .order_by(SupportRequestComponent.request_id, SupportRequestComponent.position)
            )
        )
        .scalars()
        .all()
    )
    secretariat = await _actor(session, SECRETARIAT)
    requesting = [await _actor(session, email) for email in spec.requesting_users]
    offering = await _actor(session, spec.offering_user)

    audit.bind_actor(session, secretariat)
    proposal = await matches.create_proposal(
        session,
        actor=secretariat,
        body=match_schemas.MatchCreate(
            items=[
                match_schemas.ProposalItem(request_component_id=c.id, offer_id=offer.id)
                for c in components
                if not spec.areas or c.area_code in spec.areas
            ],
            justification=spec.justification,
            public_summary=spec.summary,
        ),
    )
    match_id = proposal.id
    if spec.facilitators:
        await matches.set_facilitators(
            session,
            actor=secretariat,
            match_id=match_id,
            body=match_schemas.FacilitatorsIn(
                organisation_ids=[demo_id("organisation:" + k) for k in spec.facilitators]
            ),
        )
    await _move(session, secretariat, match_id, "request_consent")
    match = await session.get(Match, match_id)
    assert match is not None
    for party_actor in (*requesting, offering):
        audit.bind_actor(session, party_actor)
        await matches.decide_consent(
            session,
            actor=party_actor,
            match_id=match_id,
            body=match_schemas.ConsentDecisionIn(decision="grant", proposal_version=match.proposal_version),
        )
    audit.bind_actor(session, secretariat)
    pledge_keys: dict[uuid.UUID | None, str | None] = dict(
        zip([r.id for r in found_requests], spec.requesting_pledges, strict=False)
    )
    parties = (await session.execute(select(MatchParty).where(MatchParty.match_id == match_id))).scalars().all()
    pledges = []
    for party in parties:
        key = spec.offering_pledge if party.side == "offering" else pledge_keys.get(party.request_id)
        if key:
            pledges.append(match_schemas.AgreementPledge(party_id=party.id, pledge_id=demo_id(f"pledge:{key}")))
    await matches.record_agreement(
        session,
        actor=secretariat,
        match_id=match_id,
        body=match_schemas.AgreementIn(
            scope=spec.scope,
            modalities=list(spec.modalities),
            starts_on=spec.starts_on,
            ends_on=spec.ends_on,
            public_summary=spec.summary,
            pledges=pledges,
        ),
        if_match=None,
    )
    await _move(session, secretariat, match_id, "start_planning")
    for party_actor in (*requesting, offering):
        audit.bind_actor(session, party_actor)
        await matches.set_publication_consent(
            session, actor=party_actor, match_id=match_id, body=match_schemas.PublicationConsentIn(consent=True)
        )
    audit.bind_actor(session, secretariat)
    if spec.stage in ("in_progress", "fulfilled"):
        await _move(session, secretariat, match_id, "start_implementation")
    if spec.stage == "fulfilled":
        await _move(session, secretariat, match_id, "fulfil")
        if spec.fulfilled_on:
            # Historical matches closed years ago: their reporting calendar ends then, not today.
            match.fulfilled_at = _backdate(spec.fulfilled_on)
    await session.flush()
    if spec.report is not None:
        await _report(session, spec, match_id, secretariat, requesting[0], offering)
    audit.bind_actor(session, SYSTEM)
    return True


async def _report(
    session: AsyncSession, spec: DemoMatch, match_id: uuid.UUID, secretariat: Actor, requesting: Actor, offering: Actor
) -> None:
    """The match's reporting starts with the demo report's period: drafted, attested, accepted, published."""
    assert spec.report is not None
    reporting = await reports.set_match_schedule(
        session,
        actor=secretariat,
        match_id=match_id,
        body=report_schemas.ScheduleUpdate(
            interval_months=6, starts_on=spec.report.period_start or reports.add_months(clock.now().date(), -9)
        ),
    )
    first = min(reporting.reports, key=lambda r: r.period_start)
    report = await session.get(ProgressReport, first.id)
    assert report is not None
    audit.bind_actor(session, offering)
    await reports.update(
        session,
        actor=offering,
        report_id=report.id,
        body=report_schemas.ReportUpdate(
            stage="fulfilled" if spec.stage == "fulfilled" else "in_progress",
            narrative=spec.report.narrative,
            good_practices=spec.report.good_practices,
            impact={"efficiency": report_schemas.Impact(rating=4, evidence=spec.report.narrative)},
        ),
        if_match=_etag(report),
    )
    await reports.act(
        session, actor=offering, report_id=report.id, action="submit", body=report_schemas.ReportAction(), if_match=None
    )
    audit.bind_actor(session, requesting)
    await reports.act(
        session,
        actor=requesting,
        report_id=report.id,
        action="attest",
        body=report_schemas.ReportAction(attestation="confirmed"),
        if_match=None,
    )
    audit.bind_actor(session, secretariat)
    await reports.act(
        session,
        actor=secretariat,
        report_id=report.id,
        action="accept",
        body=report_schemas.ReportAction(),
        if_match=None,
    )
    if spec.report.excerpt:
        await reports.act(
            session,
            actor=secretariat,
            report_id=report.id,
            action="publish",
            body=report_schemas.ReportAction(excerpt=spec.report.excerpt),
            if_match=None,
        )


async def seed_matches(session: AsyncSession) -> int:
    """Take the demo matches that are missing through the workflow; return how many were added."""
    added = 0
    for spec in MATCHES:
        if await _create(session, spec):
            added += 1
    await session.flush()
    return added
