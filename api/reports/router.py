"""Progress reports on matches and pledges."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Response

from api.auth.dependencies import SignedInDep, UserDep
from api.core.db import SessionDep
from api.reports import schemas, service

router = APIRouter(tags=["progress reports"])
IfMatch = Annotated[str | None, Header(alias="If-Match")]


def _etag(response: Response, report: schemas.Report) -> schemas.Report:
    response.headers["ETag"] = f'"{report.id}:{report.version}"'
    return report


@router.get("/matches/{match_id}/reporting", response_model=schemas.Reporting)
async def get_match_reporting(match_id: uuid.UUID, session: SessionDep, actor: SignedInDep) -> schemas.Reporting:
    """The match's reporting schedule, traffic light and reports (from planning on)."""
    return await service.match_reporting(session, actor=actor, match_id=match_id)


@router.put("/matches/{match_id}/reporting-schedule", response_model=schemas.Reporting)
async def set_match_reporting_schedule(
    match_id: uuid.UUID, body: schemas.ScheduleUpdate, session: SessionDep, actor: UserDep
) -> schemas.Reporting:
    return await service.set_match_schedule(session, actor=actor, match_id=match_id, body=body)


@router.post("/pledges/{pledge_id}/reporting", response_model=schemas.Reporting, status_code=201)
async def start_pledge_reporting(
    pledge_id: uuid.UUID, body: schemas.ScheduleUpdate, session: SessionDep, actor: UserDep
) -> schemas.Reporting:
    """Track a pledge whose support flows outside a match (the Secretariat)."""
    return await service.start_pledge_reporting(session, actor=actor, pledge_id=pledge_id, body=body)


@router.get("/pledges/{pledge_id}/reporting", response_model=schemas.Reporting)
async def get_pledge_reporting(pledge_id: uuid.UUID, session: SessionDep, actor: SignedInDep) -> schemas.Reporting:
    return await service.pledge_reporting(session, actor=actor, pledge_id=pledge_id)


@router.get("/reports", response_model=schemas.ReportPage)
async def list_reports(
    session: SessionDep,
    actor: SignedInDep,
    status: Annotated[list[schemas.ReportStatus] | None, Query(max_length=8)] = None,
    traffic_light: Literal["on_track", "due_soon", "overdue"] | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> schemas.ReportPage:
    return await service.list_reports(
        session, actor=actor, statuses=list(status or []), light=traffic_light, limit=limit
    )


@router.get("/reports/{report_id}", response_model=schemas.Report)
async def get_report(
    report_id: uuid.UUID, session: SessionDep, actor: SignedInDep, response: Response
) -> schemas.Report:
    return _etag(response, await service.get(session, actor=actor, report_id=report_id))


@router.patch("/reports/{report_id}", response_model=schemas.Report)
async def update_report(
    report_id: uuid.UUID,
    body: schemas.ReportUpdate,
    session: SessionDep,
    actor: UserDep,
    response: Response,
    if_match: IfMatch = None,
) -> schemas.Report:
    """Draft the report (the offering party). Requires If-Match."""
    return _etag(
        response, await service.update(session, actor=actor, report_id=report_id, body=body, if_match=if_match)
    )


@router.post("/reports/{report_id}/actions/{action}", response_model=schemas.Report)
async def act_on_report(
    report_id: uuid.UUID,
    action: Literal["submit", "attest", "accept", "send_back", "publish", "unpublish"],
    session: SessionDep,
    actor: UserDep,
    response: Response,
    body: schemas.ReportAction | None = None,
    if_match: IfMatch = None,
) -> schemas.Report:
    """Submit (offering party), attest (requesting party), accept or send back (UNHCR), publish an excerpt."""
    return _etag(
        response,
        await service.act(
            session,
            actor=actor,
            report_id=report_id,
            action=action,
            body=body or schemas.ReportAction(),
            if_match=if_match,
        ),
    )


@router.get("/reports/{report_id}/revisions", response_model=list[schemas.ReportRevision])
async def list_report_revisions(
    report_id: uuid.UUID, session: SessionDep, actor: SignedInDep
) -> list[schemas.ReportRevision]:
    """Every submission of the report, with the review comment it got."""
    return await service.revisions(session, actor=actor, report_id=report_id)
