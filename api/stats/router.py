"""Stocktaking figures for the Secretariat, as JSON for charts or as CSV/XLSX downloads."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api.auth.dependencies import UserDep
from api.core.db import SessionDep
from api.core.exports import XLSX_TYPE, ExportFormat, rows_of, tabular
from api.stats import schemas, service

router = APIRouter(prefix="/stats", tags=["stocktaking"])


@router.get("/stocktaking", response_model=schemas.Stocktaking)
async def get_stocktaking(
    session: SessionDep, actor: UserDep, group_by: schemas.GroupBy = "period", period: schemas.Period = "year"
) -> schemas.Stocktaking:
    """Requests and offers received, validated and matched; times to validation, proposal, consent and
    agreement; consent turnaround; match and fulfilment rates; reports on time; unmet needs."""
    return await service.stocktaking(session, actor=actor, group_by=group_by, period=period)


@router.get(
    "/stocktaking/export", response_class=Response, responses={200: {"content": {"text/csv": {}, XLSX_TYPE: {}}}}
)
async def export_stocktaking(
    session: SessionDep,
    actor: UserDep,
    group_by: schemas.GroupBy = "period",
    period: schemas.Period = "year",
    format: ExportFormat = "csv",
) -> Response:
    figures = await service.stocktaking(session, actor=actor, group_by=group_by, period=period)
    return tabular(
        rows_of(figures.rows),
        list(schemas.StocktakingRow.model_fields),
        format=format,
        filename=f"stocktaking-by-{group_by}",
    )
