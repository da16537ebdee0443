"""The Secretariat's matching tools: criteria, suggestions, allocation runs, gaps, outreach and coverage."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from api.auth.dependencies import UserDep
from api.core.db import SessionDep
from api.matching import schemas, service

router = APIRouter(prefix="/matching", tags=["matching"])
K = Annotated[int, Query(ge=1, le=50, description="How many candidates")]
Region = Annotated[str | None, Query(pattern=r"^\d{3}$")]
Text = Annotated[str | None, Query(max_length=64)]


@router.get("/criteria", response_model=schemas.Criteria)
async def get_matching_criteria(session: SessionDep, actor: UserDep) -> schemas.Criteria:
    """The active criteria version."""
    return await service.get_criteria(session, actor=actor)


@router.get("/criteria/versions", response_model=list[schemas.Criteria])
async def list_matching_criteria_versions(session: SessionDep, actor: UserDep) -> list[schemas.Criteria]:
    return await service.list_criteria_versions(session, actor=actor)


@router.post("/criteria", response_model=schemas.Criteria, status_code=status.HTTP_201_CREATED)
async def update_matching_criteria(body: schemas.CriteriaIn, session: SessionDep, actor: UserDep) -> schemas.Criteria:
    """Edit the criteria: a new version, which becomes the active one."""
    return await service.update_criteria(session, actor=actor, body=body)


@router.get("/requests/{request_id}/suggestions", response_model=schemas.RequestSuggestions)
async def suggest_offers_for_request(
    request_id: uuid.UUID,
    session: SessionDep,
    actor: UserDep,
    k: K = 10,
    region: Region = None,
    area: Text = None,
    language: Text = None,
) -> schemas.RequestSuggestions:
    """Ranked offers per component and overall, each with its score breakdown and the excluded candidates
    with the constraints they fail."""
    return await service.suggestions_for_request(
        session, actor=actor, request_id=request_id, k=k, region=region, area=area, language=language
    )


@router.get("/offers/{offer_id}/suggestions", response_model=schemas.OfferSuggestions)
async def suggest_requests_for_offer(
    offer_id: uuid.UUID,
    session: SessionDep,
    actor: UserDep,
    k: K = 10,
    region: Region = None,
    area: Text = None,
    language: Text = None,
) -> schemas.OfferSuggestions:
    return await service.suggestions_for_offer(
        session, actor=actor, offer_id=offer_id, k=k, region=region, area=area, language=language
    )


@router.post("/allocations", response_model=schemas.AllocationReport, status_code=status.HTTP_201_CREATED)
async def run_matching_allocation(
    body: schemas.AllocationIn, session: SessionDep, actor: UserDep
) -> schemas.AllocationReport:
    """The optimal allocation of offers to open components under the hard constraints (and the greedy
    baseline, for comparison); kept as a run that proposals can cite."""
    return await service.run_allocation(session, actor=actor, body=body)


@router.get("/allocations", response_model=list[schemas.AllocationRun])
async def list_matching_allocations(session: SessionDep, actor: UserDep) -> list[schemas.AllocationRun]:
    return await service.list_allocations(session, actor=actor)


@router.get("/allocations/{run_id}", response_model=schemas.AllocationReport)
async def get_matching_allocation(run_id: uuid.UUID, session: SessionDep, actor: UserDep) -> schemas.AllocationReport:
    return await service.get_allocation(session, actor=actor, run_id=run_id)


@router.get("/gaps", response_model=schemas.Gaps)
async def get_matching_gaps(
    session: SessionDep, actor: UserDep, limit: Annotated[int, Query(ge=1, le=1000)] = 200
) -> schemas.Gaps:
    """Unmet components by country, area, region and bureau, with time waited."""
    return await service.gaps(session, actor=actor, limit=limit)


@router.get("/outreach", response_model=list[schemas.OutreachOffer])
async def get_outreach_targets(session: SessionDep, actor: UserDep) -> list[schemas.OutreachOffer]:
    """Offers with capacity left that no open need can use."""
    return await service.outreach(session, actor=actor)


@router.get("/coverage", response_model=list[schemas.CoverageCell])
async def get_coverage_matrix(session: SessionDep, actor: UserDep) -> list[schemas.CoverageCell]:
    """Country x area coverage from live matches and existing support, overlaps flagged."""
    return await service.coverage(session, actor=actor)
