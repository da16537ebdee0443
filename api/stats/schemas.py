"""Stocktaking figures: flows, durations, rates, by period, region, bureau or area."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from api.core.schemas import ReadModel

GroupBy = Literal["period", "region", "bureau", "area"]
Period = Literal["year", "quarter"]


class StocktakingRow(ReadModel):
    group: str = Field(description="The period (2026, 2026-Q3), region code, bureau code or top-level area")
    requests_received: int
    requests_validated: int
    requests_matched: int
    offers_received: int
    offers_validated: int
    offers_matched: int
    median_days_to_validation: float | None
    median_days_to_proposal: float | None
    median_days_to_consent: float | None
    median_days_to_agreement: float | None
    median_consent_turnaround_days: float | None
    match_rate: float | None = Field(description="Validated requests with a match agreed, over validated requests")
    fulfilment_rate: float | None = Field(description="Fulfilled matches over matches agreed")
    reports_due: int
    reports_on_time: int
    reports_on_time_rate: float | None
    unmet_needs: int


class Stocktaking(ReadModel):
    group_by: GroupBy
    period: Period
    rows: list[StocktakingRow]
