"""Matches: proposals, lifecycle, consent, agreement, publication, facilitation and the timeline."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Query, Response, status

from api.auth.dependencies import ActorDep, SignedInDep, UserDep
from api.core.db import SessionDep
from api.core.exports import XLSX_TYPE, ExportFormat, collect, rows_of, tabular
from api.core.pagination import Cursor, PageSize
from api.matches import schemas, service
from api.matches.workflow import Action

router = APIRouter(prefix="/matches", tags=["matches"])
IfMatch = Annotated[str | None, Header(alias="If-Match")]
AnyView = schemas.MatchFacilitatorView | schemas.MatchPartyView | schemas.MatchPublicView


def _etag(response: Response, match: AnyView) -> None:
    if not isinstance(match, schemas.MatchPublicView):
        response.headers["ETag"] = f'"{match.id}:{match.version}"'


@router.get("", response_model=schemas.MatchPage)
async def list_matches(
    session: SessionDep,
    actor: ActorDep,
    status_: Annotated[list[schemas.MatchStatus] | None, Query(alias="status", max_length=12)] = None,
    country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$")] = None,
    facilitated: bool = False,
    overdue: bool = False,
    region: Annotated[
        str | None, Query(max_length=40, description="M49 region (any level) or UNHCR bureau of a requesting country")
    ] = None,
    area: Annotated[str | None, Query(max_length=80, description="An area code; a parent matches its children")] = None,
    contributor_type: Annotated[str | None, Query(max_length=40, description="Of any party")] = None,
    limit: PageSize = 25,
    cursor: Cursor = None,
) -> schemas.MatchPage:
    """Matches the caller may see: as facilitator, as a party (counterparts unnamed before consent), or
    published ones."""
    return await service.list_matches(
        session,
        actor=actor,
        statuses=status_ or [],
        country=country,
        facilitated_only=facilitated,
        overdue_only=overdue,
        limit=limit,
        cursor=cursor,
        region=region,
        area=area,
        contributor_type=contributor_type,
    )


@router.get("/export", response_class=Response, responses={200: {"content": {"text/csv": {}, XLSX_TYPE: {}}}})
async def export_matches(
    session: SessionDep,
    actor: ActorDep,
    format: ExportFormat = "csv",
    status_: Annotated[list[schemas.MatchStatus] | None, Query(alias="status", max_length=12)] = None,
    country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$")] = None,
) -> Response:
    """The list as CSV or XLSX: counterparts stay unnamed for a party until they are disclosed."""
    items = await collect(
        lambda limit, cursor: service.list_matches(
            session,
            actor=actor,
            statuses=status_ or [],
            country=country,
            facilitated_only=False,
            overdue_only=False,
            limit=limit,
            cursor=cursor,
        )
    )
    return tabular(rows_of(items), list(schemas.MatchListItem.model_fields), format=format, filename="matches")


@router.get("/queue", response_model=list[schemas.MatchListItem])
async def get_facilitation_queue(session: SessionDep, actor: UserDep) -> list[schemas.MatchListItem]:
    """The facilitator's open matches, what needs attention first."""
    return await service.queue(session, actor=actor)


@router.post("", response_model=schemas.MatchFacilitatorView, status_code=status.HTTP_201_CREATED)
async def create_match_proposal(
    body: schemas.MatchCreate, session: SessionDep, actor: UserDep, response: Response
) -> schemas.MatchFacilitatorView:
    """Propose a match (the Secretariat): pairs of request components and offers, with a justification when
    a pair is not the top suggestion or fails a soft rule."""
    match = await service.create_proposal(session, actor=actor, body=body)
    _etag(response, match)
    return match


@router.get("/{match_id}", response_model=schemas.MatchView)
async def get_match(match_id: uuid.UUID, session: SessionDep, actor: ActorDep, response: Response) -> AnyView:
    """The match as the caller may see it: `view` is `facilitator`, `party` or `public`."""
    match = await service.get(session, actor=actor, match_id=match_id)
    _etag(response, match)
    return match


@router.post("/{match_id}/actions/{action}", response_model=schemas.MatchView)
async def transition_match(
    match_id: uuid.UUID,
    action: Action,
    session: SessionDep,
    actor: UserDep,
    response: Response,
    body: schemas.MatchTransition | None = None,
    if_match: IfMatch = None,
) -> AnyView:
    """Request consent, start discussion, planning or implementation, fulfil, suspend, resume or cancel."""
    match = await service.transition(
        session, actor=actor, match_id=match_id, action=action, reason=body.reason if body else None, if_match=if_match
    )
    _etag(response, match)
    return match


@router.post("/{match_id}/revision", response_model=schemas.MatchView)
async def revise_match(
    match_id: uuid.UUID,
    body: schemas.MatchRevision,
    session: SessionDep,
    actor: UserDep,
    response: Response,
    if_match: IfMatch = None,
) -> AnyView:
    """A material change of the proposal: a new version, and every party is asked to consent again."""
    match = await service.revise(session, actor=actor, match_id=match_id, body=body, if_match=if_match)
    _etag(response, match)
    return match


@router.post("/{match_id}/consent", response_model=schemas.MatchView)
async def decide_match_consent(
    match_id: uuid.UUID, body: schemas.ConsentDecisionIn, session: SessionDep, actor: UserDep, response: Response
) -> AnyView:
    """A party's focal point grants or declines consent (with conditions), or withdraws a grant."""
    match = await service.decide_consent(session, actor=actor, match_id=match_id, body=body)
    _etag(response, match)
    return match


@router.post("/{match_id}/publication-consent", response_model=schemas.MatchView)
async def set_match_publication_consent(
    match_id: uuid.UUID, body: schemas.PublicationConsentIn, session: SessionDep, actor: UserDep, response: Response
) -> AnyView:
    match = await service.set_publication_consent(session, actor=actor, match_id=match_id, body=body)
    _etag(response, match)
    return match


@router.post("/{match_id}/agreement", response_model=schemas.MatchView)
async def record_match_agreement(
    match_id: uuid.UUID,
    body: schemas.AgreementIn,
    session: SessionDep,
    actor: UserDep,
    response: Response,
    if_match: IfMatch = None,
) -> AnyView:
    """The agreed scope, modalities, timeframe and pledge references; the match becomes agreed."""
    match = await service.record_agreement(session, actor=actor, match_id=match_id, body=body, if_match=if_match)
    _etag(response, match)
    return match


@router.put("/{match_id}/facilitators", response_model=schemas.MatchView)
async def set_match_facilitators(
    match_id: uuid.UUID, body: schemas.FacilitatorsIn, session: SessionDep, actor: UserDep, response: Response
) -> AnyView:
    match = await service.set_facilitators(session, actor=actor, match_id=match_id, body=body)
    _etag(response, match)
    return match


@router.get("/{match_id}/notes", response_model=list[schemas.Note])
async def list_match_notes(match_id: uuid.UUID, session: SessionDep, actor: UserDep) -> list[schemas.Note]:
    """Facilitators' private notes (never shown to the parties)."""
    return await service.list_notes(session, actor=actor, match_id=match_id)


@router.post("/{match_id}/notes", response_model=schemas.Note, status_code=status.HTTP_201_CREATED)
async def add_match_note(
    match_id: uuid.UUID, body: schemas.NoteIn, session: SessionDep, actor: UserDep
) -> schemas.Note:
    return await service.add_note(session, actor=actor, match_id=match_id, body=body)


@router.put("/{match_id}/next-action", response_model=schemas.MatchView)
async def set_match_next_action(
    match_id: uuid.UUID, body: schemas.NextActionIn, session: SessionDep, actor: UserDep, response: Response
) -> AnyView:
    match = await service.set_next_action(session, actor=actor, match_id=match_id, body=body)
    _etag(response, match)
    return match


@router.get("/{match_id}/timeline", response_model=list[schemas.TimelineEvent])
async def get_match_timeline(
    match_id: uuid.UUID, session: SessionDep, actor: SignedInDep
) -> list[schemas.TimelineEvent]:
    return await service.timeline(session, actor=actor, match_id=match_id)
