"""Matching: criteria versions, suggestions with explanations, allocation runs, gaps and coverage."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from api.core.schemas import ReadModel, WriteModel


class CriteriaIn(WriteModel):
    """A new version of the criteria: what is omitted keeps its current value."""

    hard: dict[str, bool] | None = None
    weights: dict[str, Annotated[float, Field(ge=-1000, le=1000)]] | None = None
    cross_regional_bonus: float | None = Field(default=None, ge=-1000, le=1000)
    duplication_penalty: float | None = Field(default=None, ge=0, le=1000)
    waiting_full_days: int | None = Field(default=None, ge=1, le=3650)
    note: Annotated[str, StringConstraints(max_length=2000)] = ""


class Criteria(ReadModel):
    version: int
    hard: dict[str, bool]
    weights: dict[str, float]
    cross_regional_bonus: float
    duplication_penalty: float
    waiting_full_days: int
    note: str
    created_at: datetime
    is_active: bool


class OfferRef(ReadModel):
    id: uuid.UUID
    reference: str
    title: str
    organisation_name: str
    contributor_type: str
    country_iso3: str | None


class ComponentRef(ReadModel):
    id: uuid.UUID
    request_id: uuid.UUID
    reference: str
    title: str
    country_iso3: str
    area_code: str
    description: str


class Candidate(ReadModel):
    """A ranked pair: its score and the named contributions adding up to it (`why`)."""

    rank: int
    score: float
    contributions: dict[str, float]


class OfferCandidate(Candidate):
    offer: OfferRef


class ComponentCandidate(Candidate):
    component: ComponentRef


class Excluded(ReadModel):
    """A candidate set aside, with the hard constraints it fails (`why not`) and its would-be score."""

    failed: list[str]
    would_be_score: float


class ExcludedOffer(Excluded):
    offer: OfferRef


class ExcludedComponent(Excluded):
    component: ComponentRef


class ComponentSuggestions(ReadModel):
    component: ComponentRef
    candidates: list[OfferCandidate]
    excluded: list[ExcludedOffer]


class OverallOffer(ReadModel):
    offer: OfferRef
    total_score: float
    components_served: int


class RequestSuggestions(ReadModel):
    request_id: uuid.UUID
    criteria_version: int
    components: list[ComponentSuggestions]
    overall: list[OverallOffer]


class OfferSuggestions(ReadModel):
    offer: OfferRef
    criteria_version: int
    candidates: list[ComponentCandidate]
    excluded: list[ExcludedComponent]


class AllocationIn(WriteModel):
    region: Annotated[str, StringConstraints(pattern=r"^\d{3}$")] | None = None
    bureau: Annotated[str, StringConstraints(max_length=32)] | None = None
    area: Annotated[str, StringConstraints(max_length=64)] | None = None


class Assignment(ReadModel):
    component: ComponentRef
    offer: OfferRef
    score: float
    contributions: dict[str, float]


class AllocationRun(ReadModel):
    id: uuid.UUID
    criteria_version: int
    inputs_snapshot_at: datetime
    components_count: int
    offers_count: int
    total_score: float
    greedy_total_score: float
    gain_over_greedy: float
    gain_over_greedy_percent: float | None
    covered_before: int
    covered_after: int
    uncovered_count: int
    duration_ms: float
    filters: dict[str, str]
    created_at: datetime


class AllocationReport(AllocationRun):
    assignments: list[Assignment]
    greedy_assignments_count: int
    uncovered: list[ComponentRef]


class Gap(ReadModel):
    component: ComponentRef
    region_code: str | None
    bureau_code: str | None
    waited_days: int
    reason: str = Field(description="no_feasible_offer or not_matched_yet")


class GapGroup(ReadModel):
    key: str
    unmet: int
    no_feasible_offer: int
    longest_wait_days: int


class Gaps(ReadModel):
    total_unmet: int
    items: list[Gap]
    by_country: list[GapGroup]
    by_area: list[GapGroup]
    by_region: list[GapGroup]
    by_bureau: list[GapGroup]


class OutreachOffer(ReadModel):
    offer: OfferRef
    capacity_left: int


class CoverageCell(ReadModel):
    country_iso3: str
    area_code: str
    matches: int
    existing_support: int
    sources: list[str]
    overlap: bool = Field(description="More than one source covers the cell: possible duplication")


class PublicCoverageCell(ReadModel):
    country_iso3: str
    area_code: str
    needs: int = Field(description="Open components of published, validated requests")
    offers: int
    matches: int
