"""Match rules: proposals, the lifecycle, two-party consent, staged disclosure, agreement, publication,
facilitation and the timeline. Notifications go through the outbox (api/matches/notifications.py)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.commitments.service import check_if_match, next_reference, perform_transition
from api.commitments.workflow import MATCHABLE
from api.core import audit, clock
from api.core.actor import Actor
from api.core.errors import (
    Conflict,
    FieldError,
    Forbidden,
    InvalidTransition,
    NotFound,
    ValidationFailed,
    field_error,
)
from api.matches import notifications, repository, schemas, workflow
from api.matches.events import record_event
from api.models.commitments import (
    Pledge,
    SupportOffer,
    SupportOfferComponent,
    SupportRequest,
    SupportRequestComponent,
    SupportRequestPartner,
)
from api.models.identity import Organisation
from api.models.matches import (
    AllocationRun,
    ConsentDecision,
    Match,
    MatchFacilitator,
    MatchingCriteria,
    MatchItem,
    MatchNote,
    MatchParty,
)
from api.models.reference import Country
from api.platform import settings as platform_settings
from api.reports.repository import published_for_match

LABEL = "match"
AnyView = schemas.MatchFacilitatorView | schemas.MatchPartyView | schemas.MatchPublicView


@dataclass
class Bundle:
    """A match with everything its views need, loaded in a handful of queries."""

    match: Match
    facilitating: bool
    is_party: bool
    parties: list[tuple[MatchParty, Organisation]]
    items: list[MatchItem]
    requests: dict[uuid.UUID, SupportRequest]
    offers: dict[uuid.UUID, SupportOffer]
    request_components: dict[uuid.UUID, SupportRequestComponent]
    offer_components: dict[uuid.UUID, list[SupportOfferComponent]]
    facilitators: list[Organisation] = field(default_factory=list)


async def _bundle(session: AsyncSession, match: Match, *, facilitating: bool, is_party: bool) -> Bundle:
    parties = await repository.parties(session, match.id)
    items = await repository.items(session, match.id)
    request_ids = list({p.request_id for p, _ in parties if p.request_id})
    offer_ids = list({p.offer_id for p, _ in parties if p.offer_id})
    return Bundle(
        match=match,
        facilitating=facilitating,
        is_party=is_party,
        parties=parties,
        items=items,
        requests=await repository.requests(session, request_ids),
        offers=await repository.offers(session, offer_ids),
        request_components=await repository.request_components(session, [i.request_component_id for i in items]),
        offer_components=await repository.offer_components(session, offer_ids),
        facilitators=await repository.facilitators(session, match.id),
    )


async def load(session: AsyncSession, actor: Actor, match_id: uuid.UUID, *, for_update: bool = False) -> Bundle:
    found = await repository.get_visible(session, actor, match_id, for_update=for_update)
    if found is None:
        raise NotFound("No such match")
    match, facilitating, is_party = found
    return await _bundle(session, match, facilitating=facilitating, is_party=is_party)


def roles(actor: Actor, bundle: Bundle) -> frozenset[workflow.Role]:
    result: set[workflow.Role] = set()
    if actor.is_secretariat:
        result.add("secretariat")
    if bundle.facilitating:
        result.add("facilitator")
    if any(actor.is_focal_point_of(party.organisation_id) for party, _ in bundle.parties):
        result.add("party_focal_point")
    if actor.kind == "system":
        result.add("system")
    return frozenset(result)


def _own_parties(actor: Actor, bundle: Bundle) -> list[tuple[MatchParty, Organisation]]:
    return [(p, o) for p, o in bundle.parties if p.organisation_id in actor.organisation_ids]


def counterparts_disclosed(match: Match) -> bool:
    return match.disclosed and match.status in workflow.DISCLOSING


def _suggested_stage(status: str) -> Any:
    return workflow.PUBLIC_STAGE.get(status)


# Building the views


def _organisation(organisation: Organisation) -> schemas.OrganisationBrief:
    return schemas.OrganisationBrief.model_validate(organisation)


def _party_items(
    bundle: Bundle, party: MatchParty
) -> tuple[list[SupportRequestComponent], list[SupportOfferComponent]]:
    """The components a party brings to this match."""
    if party.side == "requesting":
        ids = {i.request_component_id for i in bundle.items}
        return [c for c in bundle.request_components.values() if c.id in ids and c.request_id == party.request_id], []
    return [], bundle.offer_components.get(party.offer_id, []) if party.offer_id else []


def _record(bundle: Bundle, party: MatchParty) -> schemas.RecordDisclosure:
    request_components, offer_components = _party_items(bundle, party)
    if party.side == "requesting" and party.request_id in bundle.requests:
        record: SupportRequest | SupportOffer = bundle.requests[party.request_id]
        components: Sequence[SupportRequestComponent | SupportOfferComponent] = sorted(
            request_components, key=lambda c: c.position
        )
        kind = "request"
    else:
        assert party.offer_id is not None
        record = bundle.offers[party.offer_id]
        components = offer_components
        kind = "offer"
    return schemas.RecordDisclosure(
        id=record.id,
        kind=kind,
        reference=record.reference,
        title=record.title,
        public_summary=record.public_summary,
        confidential_details=record.confidential_details,
        contacts=record.contacts,
        attachments=record.attachments,
        languages=record.languages,
        starts_on=record.starts_on,
        ends_on=record.ends_on,
        components=[
            schemas.ComponentDetail(
                id=c.id,
                area_code=c.area_code,
                modalities=c.modalities,
                support_types=c.support_types,
                description=c.description,
            )
            for c in components
        ],
    )


def _party_full(bundle: Bundle, party: MatchParty, organisation: Organisation) -> dict[str, Any]:
    return {
        "id": party.id,
        "side": party.side,
        "organisation": _organisation(organisation),
        "record": _record(bundle, party),
        "consent_status": party.consent_status,
        "consent_version": party.consent_version,
        "consent_conditions": party.consent_conditions,
        "consent_decided_at": party.consent_decided_at,
        "publication_consent": party.publication_consent,
        "pledge_id": party.pledge_id,
    }


def _redacted(
    bundle: Bundle, party: MatchParty, organisation: Organisation, countries: dict[str, tuple[str | None, str | None]]
) -> schemas.CounterpartRedacted:
    request_components, offer_components = _party_items(bundle, party)
    components: Sequence[SupportRequestComponent | SupportOfferComponent] = request_components or offer_components
    record = bundle.requests.get(party.request_id) if party.request_id else None
    offer = bundle.offers.get(party.offer_id) if party.offer_id else None
    languages = record.languages if record else offer.languages if offer else []
    region, bureau = countries.get(organisation.country_iso3 or "", (None, None))
    return schemas.CounterpartRedacted(
        id=party.id,
        side=party.side,
        kind=organisation.contributor_type,
        region_code=region,
        bureau_code=bureau,
        languages=languages,
        components=[
            schemas.ComponentBrief(area_code=c.area_code, modalities=c.modalities, support_types=c.support_types)
            for c in components
        ],
        consent_status=party.consent_status,
    )


def _common(bundle: Bundle, actor: Actor) -> dict[str, Any]:
    match = bundle.match
    return {
        "id": match.id,
        "reference": match.reference,
        "status": match.status,
        "proposal_version": match.proposal_version,
        "public_summary": match.public_summary,
        "consent_deadline": match.consent_deadline,
        "consented_at": match.consented_at,
        "agreed_at": match.agreed_at,
        "agreed_scope": match.agreed_scope,
        "agreed_modalities": match.agreed_modalities,
        "starts_on": match.starts_on,
        "ends_on": match.ends_on,
        "suggested_pledge_stage": _suggested_stage(match.status),
        "created_at": match.created_at,
        "updated_at": match.updated_at,
        "version": match.version,
        "allowed_actions": workflow.allowed_actions(match.status, roles(actor, bundle)),
    }


async def _countries(session: AsyncSession, bundle: Bundle) -> dict[str, tuple[str | None, str | None]]:
    codes = {o.country_iso3 for _, o in bundle.parties if o.country_iso3}
    if not codes:
        return {}
    rows = await session.execute(
        select(Country.iso3, Country.region_code, Country.bureau_code).where(Country.iso3.in_(codes))
    )
    return {row.iso3: (row.region_code, row.bureau_code) for row in rows.all()}


async def view(
    session: AsyncSession, actor: Actor, bundle: Bundle
) -> schemas.MatchFacilitatorView | schemas.MatchPartyView | schemas.MatchPublicView:
    """The view the actor reads the match through: facilitator, party or public (in that order)."""
    match = bundle.match
    if bundle.facilitating:
        return schemas.MatchFacilitatorView.model_validate(
            {
                **_common(bundle, actor),
                "parties": [_party_full(bundle, p, o) for p, o in bundle.parties],
                "items": [schemas.MatchItemView.model_validate(i) for i in bundle.items],
                "facilitators": [_organisation(o) for o in bundle.facilitators],
                "justification": match.justification,
                "allocation_run_id": match.allocation_run_id,
                "criteria_version": match.criteria_version,
                "status_reason": match.status_reason,
                "next_action": match.next_action,
                "next_action_on": match.next_action_on,
                "disclosed": match.disclosed,
            }
        )
    if bundle.is_party:
        own = _own_parties(actor, bundle)
        own_ids = {p.id for p, _ in own}
        countries = await _countries(session, bundle)
        disclosed = counterparts_disclosed(match)
        counterparts: list[schemas.CounterpartRedacted | schemas.CounterpartDisclosed] = [
            schemas.CounterpartDisclosed.model_validate(_party_full(bundle, p, o))
            if disclosed
            else _redacted(bundle, p, o, countries)
            for p, o in bundle.parties
            if p.id not in own_ids
        ]
        focal = any(actor.is_focal_point_of(p.organisation_id) for p, _ in own)
        return schemas.MatchPartyView.model_validate(
            {
                **_common(bundle, actor),
                "my_parties": [_party_full(bundle, p, o) for p, o in own],
                "counterparts": counterparts,
                "can_consent": focal and match.status in workflow.CONSENT_OPEN,
                "can_consent_to_publication": focal,
            }
        )
    return await public_view(session, bundle)


async def public_view(session: AsyncSession, bundle: Bundle) -> schemas.MatchPublicView:
    """What the portal shows: agreed public fields and the report excerpts published with it."""
    excerpts = [
        schemas.PublishedExcerpt(
            period_start=r.period_start,
            period_end=r.period_end,
            excerpt=r.published_excerpt or "",
            published_at=r.published_at,
        )
        for r in await published_for_match(session, bundle.match.id)
        if r.published_at
    ]
    match = bundle.match
    return schemas.MatchPublicView(
        id=match.id,
        reference=match.reference,
        public_summary=match.public_summary,
        stage=workflow.PUBLIC_STAGE[match.status],
        parties=[
            schemas.MatchPublicParty(side=p.side, name=o.name, country_iso3=o.country_iso3) for p, o in bundle.parties
        ],
        area_codes=sorted({c.area_code for c in bundle.request_components.values()}),
        starts_on=match.starts_on,
        ends_on=match.ends_on,
        report_excerpts=excerpts,
    )


async def get(
    session: AsyncSession, *, actor: Actor, match_id: uuid.UUID
) -> schemas.MatchFacilitatorView | schemas.MatchPartyView | schemas.MatchPublicView:
    return await view(session, actor, await load(session, actor, match_id))


# Proposals


@dataclass(frozen=True)
class ProposalCheck:
    """What the matching engine says of a proposed pair (set by api.matching when it is loaded)."""

    score: float | None
    contributions: dict[str, float]
    failed_constraints: list[str]
    rank: int | None
    needs_justification: list[str]


ProposalScorer = Any  # async (session, component, offer) -> ProposalCheck
PROPOSAL_SCORER: list[ProposalScorer] = []


async def _resolve_items(
    session: AsyncSession, items: Sequence[schemas.ProposalItem]
) -> list[tuple[SupportRequestComponent, SupportRequest, SupportOffer]]:
    seen: set[tuple[uuid.UUID, uuid.UUID]] = set()
    resolved = []
    errors: list[tuple[str, str]] = []
    for position, item in enumerate(items):
        key = (item.request_component_id, item.offer_id)
        if key in seen:
            errors.append((f"items.{position}", "This pair is listed twice"))
            continue
        seen.add(key)
        component = await session.get(SupportRequestComponent, item.request_component_id)
        request = await session.get(SupportRequest, component.request_id) if component else None
        offer = await session.get(SupportOffer, item.offer_id)
        if component is None or request is None:
            errors.append((f"items.{position}.request_component_id", "No such request component"))
        elif request.status not in MATCHABLE:
            errors.append(
                (
                    f"items.{position}.request_component_id",
                    f"The request is {request.status.replace('_', ' ')}: only validated requests are matched",
                )
            )
        if offer is None:
            errors.append((f"items.{position}.offer_id", "No such offer"))
        elif offer.status not in MATCHABLE:
            errors.append(
                (
                    f"items.{position}.offer_id",
                    f"The offer is {offer.status.replace('_', ' ')}: only validated offers are matched",
                )
            )
        if component and request and offer and not errors:
            resolved.append((component, request, offer))
    if errors:
        raise ValidationFailed("Invalid proposal", fields=[FieldError(field=f, message=m) for f, m in errors])
    return resolved


async def _set_items(
    session: AsyncSession,
    match: Match,
    resolved: list[tuple[SupportRequestComponent, SupportRequest, SupportOffer]],
    justification: str | None,
) -> None:
    """Write the items and parties of a proposal, with the engine's checks; refuse unjustified overrides."""
    reasons: list[str] = []
    rows: list[MatchItem] = []
    for component, _, offer in resolved:
        check = None
        for scorer in PROPOSAL_SCORER:
            check = await scorer(session, component, offer)
        if check is not None and check.failed_constraints:
            raise field_error(
                "items",
                f"The pair {component.area_code} / {offer.reference} fails hard constraints: "
                f"{', '.join(check.failed_constraints)}",
            )
        if check is not None:
            reasons.extend(check.needs_justification)
        rows.append(
            MatchItem(
                match_id=match.id,
                request_component_id=component.id,
                offer_id=offer.id,
                score=check.score if check else None,
                contributions=check.contributions if check else {},
                failed_constraints=[],
                rank=check.rank if check else None,
            )
        )
    if reasons and not (justification and justification.strip()):
        raise field_error("justification", "Justify this proposal: " + "; ".join(dict.fromkeys(reasons)))
    await session.execute(delete(MatchItem).where(MatchItem.match_id == match.id))
    session.add_all(rows)
    wanted: dict[uuid.UUID, MatchParty] = {}
    for _, request, offer in resolved:
        wanted.setdefault(
            request.organisation_id,
            MatchParty(
                match_id=match.id, organisation_id=request.organisation_id, side="requesting", request_id=request.id
            ),
        )
        partners = (
            await session.execute(
                select(SupportRequestPartner.organisation_id).where(SupportRequestPartner.request_id == request.id)
            )
        ).scalars()
        for partner_id in partners:
            wanted.setdefault(
                partner_id,
                MatchParty(match_id=match.id, organisation_id=partner_id, side="requesting", request_id=request.id),
            )
        existing = wanted.get(offer.organisation_id)
        if existing is not None and existing.side == "requesting":
            raise field_error("items", "An organisation cannot be on both sides of a match")
        wanted.setdefault(
            offer.organisation_id,
            MatchParty(match_id=match.id, organisation_id=offer.organisation_id, side="offering", offer_id=offer.id),
        )
    current = {p.organisation_id: p for p, _ in await repository.parties(session, match.id)}
    for organisation_id, party in current.items():
        if organisation_id not in wanted:
            await session.delete(party)
    for organisation_id, party in wanted.items():
        if organisation_id in current:
            kept = current[organisation_id]
            kept.request_id, kept.offer_id = party.request_id, party.offer_id
        else:
            session.add(party)


async def create_proposal(
    session: AsyncSession, *, actor: Actor, body: schemas.MatchCreate
) -> schemas.MatchFacilitatorView:
    """Turn a suggestion or an allocation result into a match proposal (the Secretariat)."""
    if not actor.is_secretariat:
        raise Forbidden("Only the Secretariat proposes matches")
    resolved = await _resolve_items(session, body.items)
    if body.allocation_run_id and await session.get(AllocationRun, body.allocation_run_id) is None:
        raise field_error("allocation_run_id", "No such allocation run")
    match = Match(
        id=uuid.uuid4(),
        reference=await next_reference(session, prefix="MAT", sequence="match_reference_seq"),
        status="proposed",
        public_summary=body.public_summary,
        justification=body.justification,
        allocation_run_id=body.allocation_run_id,
        created_by_user_id=actor.user_id,
    )
    session.add(match)
    await session.flush()
    await _set_items(session, match, resolved, body.justification)
    # The version the pairs were scored under (the scorer creates version 1 if none existed yet).
    match.criteria_version = await _criteria_version(session)
    audit.label(session, match, "matches.proposed", note=body.justification)
    record_event(
        session,
        match,
        "proposed",
        actor=actor,
        audience="facilitators",
        data={"justification": body.justification} if body.justification else {},
    )
    await session.flush()
    result = await view(session, actor, await _bundle(session, match, facilitating=True, is_party=False))
    assert isinstance(result, schemas.MatchFacilitatorView)
    return result


async def _criteria_version(session: AsyncSession) -> int | None:
    return (await session.execute(select(func.max(MatchingCriteria.version)))).scalar_one_or_none()


async def revise(
    session: AsyncSession, *, actor: Actor, match_id: uuid.UUID, body: schemas.MatchRevision, if_match: str | None
) -> AnyView:
    """A material change: a new proposal version; every consent is asked again."""
    bundle = await load(session, actor, match_id, for_update=True)
    match = bundle.match
    check_if_match(match, if_match, required=False)
    transition = _require(match, "revise", roles(actor, bundle))
    resolved = await _resolve_items(session, body.items)
    await _set_items(session, match, resolved, body.justification or match.justification)
    if body.justification:
        match.justification = body.justification
    if body.public_summary is not None:
        match.public_summary = body.public_summary
    was_proposed = match.status == "proposed"
    match.proposal_version += 1
    match.status = workflow.target_of(transition, status_before_suspension=None, was_proposed=was_proposed)
    await session.flush()
    for party, _ in await repository.parties(session, match.id):
        party.consent_status = "pending"
        party.consent_version = None
        party.consent_conditions = None
        party.consent_decided_at = None
    if match.status == "consent_pending":
        await _open_consent(session, match)
        await notifications.emit(session, match, "consent_requested", audience="parties")
    audit.label(session, match, "matches.revised", note=body.justification)
    record_event(session, match, "revised", actor=actor, data={"proposal_version": match.proposal_version})
    await session.flush()
    return await view(session, actor, await load(session, actor, match.id))


def _require(match: Match, action: str, held: frozenset[workflow.Role]) -> workflow.Transition:
    transition = workflow.transition_for(match.status, action)
    if transition is None:
        raise InvalidTransition(f"Cannot {action.replace('_', ' ')} a match that is {match.status.replace('_', ' ')}")
    if not transition.roles & held:
        raise Forbidden(f"You may not {action.replace('_', ' ')} this match")
    return transition


async def _open_consent(session: AsyncSession, match: Match) -> None:
    now = clock.now()
    days = int(await platform_settings.get(session, "consent_deadline_days"))
    match.consent_requested_at = now
    match.consent_deadline = now + timedelta(days=days)


STAGE_EVENTS = {"start_planning", "start_implementation", "fulfil", "suspend", "resume", "cancel", "start_discussion"}


async def transition(
    session: AsyncSession, *, actor: Actor, match_id: uuid.UUID, action: str, reason: str | None, if_match: str | None
) -> AnyView:
    """Move a match by hand: request consent, start discussion, planning, implementation, fulfil, suspend,
    resume, cancel. Agreement and revision have their own endpoints (they carry content)."""
    if action in ("agree", "revise"):
        raise InvalidTransition(f"Use the {action} endpoint, which records its details")
    bundle = await load(session, actor, match_id, for_update=True)
    match = bundle.match
    check_if_match(match, if_match, required=False)
    held = roles(actor, bundle)
    transition_ = _require(match, action, held)
    if transition_.roles == workflow.SYSTEM:
        raise Forbidden("This change follows the parties' consents; it cannot be made by hand")
    before = match.status
    if action == "request_consent":
        if not bundle.parties:
            raise Conflict("A match without parties cannot ask for consent")
        await _open_consent(session, match)
    if action == "suspend":
        match.status_before_suspension = before
    if action in ("cancel", "suspend") and reason:
        match.status_reason = reason
    match.status = workflow.target_of(
        transition_, status_before_suspension=match.status_before_suspension, was_proposed=before == "proposed"
    )
    if action == "fulfil":
        match.fulfilled_at = clock.now()
    if action == "cancel":
        match.closed_at = clock.now()
    audit.label(session, match, f"matches.{action}", note=reason)
    record_event(session, match, action, actor=actor, data={"from": before, "to": match.status, "reason": reason})
    await session.flush()
    if action == "request_consent":
        await notifications.emit(session, match, "consent_requested", audience="parties")
    else:
        await notifications.emit(session, match, "stage_changed", audience="all", extra={"status": match.status})
    await refresh_coverage(session, match)
    return await view(session, actor, await load(session, actor, match.id))


# Consent


def _acting_party(actor: Actor, bundle: Bundle, party_id: uuid.UUID | None) -> MatchParty:
    mine = [p for p, _ in bundle.parties if actor.is_focal_point_of(p.organisation_id)]
    if not mine:
        raise Forbidden("Only a focal point of a party decides on its consent")
    if party_id is None:
        if len(mine) > 1:
            raise field_error("party_id", "You represent several parties: say for which one you decide")
        return mine[0]
    for party in mine:
        if party.id == party_id:
            return party
    raise field_error("party_id", "You are not a focal point of this party")


async def decide_consent(
    session: AsyncSession, *, actor: Actor, match_id: uuid.UUID, body: schemas.ConsentDecisionIn
) -> AnyView:
    """Grant, decline or withdraw a party's consent, on the proposal version shown.

    The match row is locked, so two parties granting at once produce one transition to consented, and a grant
    racing a revision either lands on the version it saw or is refused.
    """
    bundle = await load(session, actor, match_id, for_update=True)
    match = bundle.match
    party = _acting_party(actor, bundle, body.party_id)
    if body.proposal_version != match.proposal_version:
        raise Conflict(
            "The proposal changed since you read it; read the new version and decide again", code="StaleProposal"
        )
    now = clock.now()
    if body.decision in ("grant", "decline"):
        if match.status not in workflow.CONSENT_OPEN:
            raise InvalidTransition(f"Consent is not being asked: the match is {match.status.replace('_', ' ')}")
        party.consent_status = "granted" if body.decision == "grant" else "declined"
        party.consent_version = match.proposal_version
    else:
        if party.consent_status != "granted" or match.status not in (
            "consent_pending",
            *workflow.ACTIVE_BEFORE_AGREEMENT,
        ):
            raise InvalidTransition("Only a granted consent can be withdrawn, and only before the match is agreed")
        party.consent_status = "withdrawn"
        party.consent_version = None
    party.consent_conditions = body.conditions
    party.consent_decided_at = now
    decision = {"grant": "granted", "decline": "declined", "withdraw": "withdrawn"}[body.decision]
    session.add(
        ConsentDecision(
            match_id=match.id,
            party_id=party.id,
            decision=decision,
            proposal_version=match.proposal_version,
            conditions=body.conditions,
            decided_by_user_id=actor.user_id,
            decided_at=now,
        )
    )
    audit.label(session, party, f"match_parties.consent_{decision}", note=body.conditions)
    record_event(
        session,
        match,
        f"consent_{decision}",
        actor=actor,
        audience="all",
        party_id=party.id,
        data={"proposal_version": match.proposal_version},
    )
    await notifications.emit(session, match, f"consent_{decision}", audience="all", party_id=party.id)
    system: frozenset[workflow.Role] = frozenset({"system"})
    parties = [p for p, _ in bundle.parties]
    if decision == "declined":
        await _system_transition(session, match, "consent_declined", system)
        await notifications.emit(session, match, "match_declined", audience="all")
    elif decision == "granted" and all(
        p.consent_status == "granted" and p.consent_version == match.proposal_version for p in parties
    ):
        await _system_transition(session, match, "all_consented", system)
        match.disclosed = True
        match.consented_at = now
        record_event(session, match, "disclosed", actor=actor)
        await notifications.emit(session, match, "match_consented", audience="all")
    elif decision == "withdrawn" and match.status in workflow.ACTIVE_BEFORE_AGREEMENT:
        await _system_transition(session, match, "consent_withdrawn", system)
        await _open_consent(session, match)
    await session.flush()
    await refresh_coverage(session, match)
    return await view(session, actor, await load(session, actor, match.id))


async def _system_transition(session: AsyncSession, match: Match, action: str, held: frozenset[workflow.Role]) -> None:
    transition_ = _require(match, action, held)
    before = match.status
    match.status = workflow.target_of(transition_, status_before_suspension=None, was_proposed=False)
    audit.label(session, match, f"matches.{action}")
    record_event(session, match, action, actor=Actor(kind="system"), data={"from": before, "to": match.status})


# Agreement and publication


async def record_agreement(
    session: AsyncSession, *, actor: Actor, match_id: uuid.UUID, body: schemas.AgreementIn, if_match: str | None
) -> AnyView:
    """The parties' agreed scope, modalities, timeframe and pledge references; the match becomes agreed."""
    bundle = await load(session, actor, match_id, for_update=True)
    match = bundle.match
    check_if_match(match, if_match, required=False)
    _require(match, "agree", roles(actor, bundle))
    if body.starts_on and body.ends_on and body.ends_on < body.starts_on:
        raise field_error("ends_on", "The end is before the start")
    parties = {p.id: p for p, _ in bundle.parties}
    for position, reference in enumerate(body.pledges):
        if reference.party_id not in parties:
            raise field_error(f"pledges.{position}.party_id", "Not a party of this match")
        if reference.pledge_id is not None and await session.get(Pledge, reference.pledge_id) is None:
            raise field_error(f"pledges.{position}.pledge_id", "No such pledge")
        parties[reference.party_id].pledge_id = reference.pledge_id
    match.agreed_scope = body.scope
    match.agreed_modalities = list(dict.fromkeys(body.modalities))
    match.starts_on, match.ends_on = body.starts_on, body.ends_on
    if body.public_summary is not None:
        match.public_summary = body.public_summary
    before = match.status
    match.status = "agreed"
    match.agreed_at = clock.now()
    audit.label(session, match, "matches.agree")
    record_event(session, match, "agreed", actor=actor, data={"from": before, "to": "agreed"})
    await notifications.emit(session, match, "stage_changed", audience="all", extra={"status": "agreed"})
    await session.flush()
    await refresh_coverage(session, match)
    return await view(session, actor, await load(session, actor, match.id))


async def set_publication_consent(
    session: AsyncSession, *, actor: Actor, match_id: uuid.UUID, body: schemas.PublicationConsentIn
) -> AnyView:
    """A party's separate consent to publish the match (it appears publicly from planning on)."""
    bundle = await load(session, actor, match_id, for_update=True)
    party = _acting_party(actor, bundle, body.party_id)
    party.publication_consent = body.consent
    party.publication_decided_at = clock.now()
    audit.label(session, party, "match_parties.publication_consent")
    record_event(
        session, bundle.match, "publication_consent", actor=actor, party_id=party.id, data={"consent": body.consent}
    )
    await session.flush()
    return await view(session, actor, await load(session, actor, match_id))


# Facilitation


def _require_facilitator(actor: Actor, bundle: Bundle) -> None:
    if not bundle.facilitating:
        raise Forbidden("Only the Secretariat and the facilitating UNHCR offices do this")


async def set_facilitators(
    session: AsyncSession, *, actor: Actor, match_id: uuid.UUID, body: schemas.FacilitatorsIn
) -> AnyView:
    if not actor.is_secretariat:
        raise Forbidden("Only the Secretariat assigns facilitating offices")
    bundle = await load(session, actor, match_id, for_update=True)
    wanted = list(dict.fromkeys(body.organisation_ids))
    for position, organisation_id in enumerate(wanted):
        organisation = await session.get(Organisation, organisation_id)
        if organisation is None or organisation.kind not in ("unhcr_country_office", "unhcr_bureau"):
            raise field_error(f"organisation_ids.{position}", "Not a UNHCR office or bureau")
    current = {o.id for o in bundle.facilitators}
    await session.execute(delete(MatchFacilitator).where(MatchFacilitator.match_id == match_id))
    session.add_all(MatchFacilitator(match_id=match_id, organisation_id=i) for i in wanted)
    await audit.record(
        session,
        action="matches.facilitators_set",
        record_type="matches",
        record_id=match_id,
        changes={"facilitators": {"before": sorted(map(str, current)), "after": list(map(str, wanted))}},
    )
    record_event(
        session,
        bundle.match,
        "facilitators_assigned",
        actor=actor,
        audience="facilitators",
        data={"organisation_ids": [str(i) for i in wanted]},
    )
    added = [i for i in wanted if i not in current]
    if added:
        await notifications.emit(
            session, bundle.match, "facilitator_assigned", audience="organisations", organisation_ids=added
        )
    await session.flush()
    return await view(session, actor, await load(session, actor, match_id))


async def add_note(session: AsyncSession, *, actor: Actor, match_id: uuid.UUID, body: schemas.NoteIn) -> schemas.Note:
    bundle = await load(session, actor, match_id)
    _require_facilitator(actor, bundle)
    note = MatchNote(match_id=match_id, author_user_id=actor.user_id, body=body.body, created_at=clock.now())
    session.add(note)
    record_event(session, bundle.match, "note_added", actor=actor, audience="facilitators")
    await session.flush()
    return schemas.Note.model_validate(note)


async def list_notes(session: AsyncSession, *, actor: Actor, match_id: uuid.UUID) -> list[schemas.Note]:
    bundle = await load(session, actor, match_id)
    _require_facilitator(actor, bundle)
    return [schemas.Note.model_validate(n) for n in await repository.notes(session, match_id)]


async def set_next_action(
    session: AsyncSession, *, actor: Actor, match_id: uuid.UUID, body: schemas.NextActionIn
) -> AnyView:
    bundle = await load(session, actor, match_id, for_update=True)
    _require_facilitator(actor, bundle)
    bundle.match.next_action = body.next_action
    bundle.match.next_action_on = body.next_action_on
    record_event(
        session,
        bundle.match,
        "next_action_set",
        actor=actor,
        audience="facilitators",
        data={"next_action": body.next_action, "next_action_on": str(body.next_action_on or "")},
    )
    await session.flush()
    return await view(session, actor, await load(session, actor, match_id))


# Timeline


async def timeline(session: AsyncSession, *, actor: Actor, match_id: uuid.UUID) -> list[schemas.TimelineEvent]:
    """Every event the viewer may see; before disclosure, counterparts' events carry no identity."""
    bundle = await load(session, actor, match_id)
    parties = {p.id: (p, o) for p, o in bundle.parties}
    own = {p.id for p, _ in _own_parties(actor, bundle)}
    disclosed = counterparts_disclosed(bundle.match)
    result = []
    for event in await repository.events(session, match_id):
        if event.audience == "facilitators" and not bundle.facilitating:
            continue
        if not bundle.facilitating and not bundle.is_party:
            continue
        party = parties.get(event.party_id) if event.party_id else None
        name_visible = bundle.facilitating or disclosed or (party is not None and party[0].id in own)
        result.append(
            schemas.TimelineEvent(
                id=event.id,
                kind=event.kind,
                occurred_at=event.occurred_at,
                party_side=party[0].side if party else None,
                party_name=party[1].name if party and name_visible else None,
                is_own_party=bool(party and party[0].id in own),
                data=event.data
                if bundle.facilitating
                else {k: v for k, v in event.data.items() if k in ("from", "to", "proposal_version", "consent")},
            )
        )
    return result


# Lists


def _attention(row: Any, now: Any) -> list[str]:
    reasons = []
    if row.status == "consent_pending" and row.pending_consents:
        reasons.append("waiting_consents")
        if row.consent_deadline and row.consent_deadline < now + timedelta(days=3):
            reasons.append("deadline_soon" if row.consent_deadline >= now else "deadline_passed")
    if row.next_action_on and row.next_action_on < now.date():
        reasons.append("next_action_overdue")
    if row.status == "proposed":
        reasons.append("consent_not_requested")
    return reasons


def _list_item(row: Any, now: Any, *, reveal: bool) -> schemas.MatchListItem:
    return schemas.MatchListItem(
        id=row.id,
        reference=row.reference,
        status=row.status,
        area_codes=sorted(row.area_codes or []),
        requesting_countries=sorted(row.requesting_countries or []) if reveal else None,
        party_names=sorted(row.party_names or []) if reveal else None,
        public_summary=row.public_summary if reveal else None,
        starts_on=row.starts_on if reveal else None,
        ends_on=row.ends_on if reveal else None,
        consent_deadline=row.consent_deadline,
        next_action_on=row.next_action_on,
        pending_consents=int(row.pending_consents or 0),
        updated_at=row.updated_at,
        attention=_attention(row, now) if getattr(row, "facilitating", True) else [],
    )


async def list_matches(
    session: AsyncSession,
    *,
    actor: Actor,
    statuses: Sequence[str],
    country: str | None,
    facilitated_only: bool,
    overdue_only: bool,
    limit: int,
    cursor: str | None,
    region: str | None = None,
    area: str | None = None,
    contributor_type: str | None = None,
) -> schemas.MatchPage:
    now = clock.now()
    rows, next_cursor, total, capped = await repository.page(
        session,
        actor,
        statuses=statuses,
        country=country,
        facilitated_only=facilitated_only,
        overdue_only=overdue_only,
        now=now,
        limit=limit,
        cursor=cursor,
        region=region,
        area=area,
        contributor_type=contributor_type,
    )
    items = []
    for row in rows:
        # A party sees the other parties' names only once they are disclosed; everyone, those of a published match.
        reveal = bool(row.facilitating) or (row.disclosed and row.status in workflow.DISCLOSING) or bool(row.published)
        items.append(_list_item(row, now, reveal=reveal))
    return schemas.MatchPage(items=items, next_cursor=next_cursor, total=total, total_is_lower_bound=capped)


async def queue(session: AsyncSession, *, actor: Actor) -> list[schemas.MatchListItem]:
    """The facilitator's work queue: what needs attention first (overdue, deadlines, waiting consents)."""
    if not (actor.is_secretariat or actor.is_unhcr):
        raise Forbidden("The queue is for the Secretariat and UNHCR offices")
    now = clock.now()
    rows = await repository.queue(session, actor, limit=500)
    items = [_list_item(row, now, reveal=True) for row in rows]
    order = {
        "deadline_passed": 0,
        "next_action_overdue": 1,
        "deadline_soon": 2,
        "waiting_consents": 3,
        "consent_not_requested": 4,
    }

    def key(item: schemas.MatchListItem) -> tuple[int, Any, str]:
        urgency = min((order[a] for a in item.attention), default=9)
        deadline = item.consent_deadline or (now + timedelta(days=3650))
        return urgency, deadline, item.reference

    return sorted(items, key=key)


# Coverage of requests and offers


async def refresh_coverage(session: AsyncSession, match: Match) -> None:
    """Keep component, request and offer statuses in step with the live matches they are part of."""
    items = await repository.items(session, match.id)
    component_ids = {i.request_component_id for i in items}
    offer_ids = {i.offer_id for i in items}
    components = await repository.request_components(session, list(component_ids))
    request_ids = {c.request_id for c in components.values()}
    all_components = (
        (
            await session.execute(
                select(SupportRequestComponent).where(SupportRequestComponent.request_id.in_(request_ids))
            )
        )
        .scalars()
        .all()
        if request_ids
        else []
    )
    statuses = (
        dict(
            (
                await session.execute(
                    select(MatchItem.request_component_id, func.array_agg(Match.status))
                    .join(Match, Match.id == MatchItem.match_id)
                    .where(MatchItem.request_component_id.in_([c.id for c in all_components]))
                    .group_by(MatchItem.request_component_id)
                )
            ).all()
        )
        if all_components
        else {}
    )
    system = frozenset({"system"})
    for component in all_components:
        linked = set(statuses.get(component.id, []))
        component.status = (
            "covered" if linked & workflow.COVERING else "partially_covered" if linked & workflow.ENGAGED else "open"
        )
    for request_id in request_ids:
        request = await session.get(SupportRequest, request_id)
        assert request is not None
        own = [c for c in all_components if c.request_id == request_id]
        target = (
            "matched"
            if own and all(c.status == "covered" for c in own)
            else "partially_matched"
            if any(c.status != "open" for c in own)
            else "validated"
        )
        _move(session, request, target, system)
    load = await repository.engaged_offer_load(session, list(offer_ids))
    for offer_id in offer_ids:
        offer = await session.get(SupportOffer, offer_id)
        assert offer is not None
        used = load.get(offer_id, 0)
        target = "matched" if used >= offer.capacity else "partially_matched" if used else "validated"
        _move(session, offer, target, system)


def _move(session: AsyncSession, record: SupportRequest | SupportOffer, target: str, system: frozenset[Any]) -> None:
    if record.status == target or record.status not in ("validated", "partially_matched", "matched"):
        return
    action = {"matched": "mark_matched", "partially_matched": "mark_partially_matched", "validated": "mark_unmatched"}[
        target
    ]
    perform_transition(
        session,
        record=record,
        action=action,
        roles=system,
        label="request" if isinstance(record, SupportRequest) else "offer",
    )
