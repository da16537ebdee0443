"""Public aggregates for the portal."""

from __future__ import annotations

from pydantic import Field

from api.core.schemas import ReadModel


class KeyFigures(ReadModel):
    requests: int = Field(description="Validated requests for support")
    offers: int = Field(description="Validated offers of support")
    matches_by_stage: dict[str, int] = Field(description="Matches from agreement on, by public stage")
    states_involved: int = Field(description="States requesting, offering or pledging")
    unmet_needs: int = Field(description="Open components of validated requests")
    pledges: int


class CountryFigures(ReadModel):
    country_iso3: str
    pledging_entities: int
    published_matches: int
    unmet_needs: int
    offers: int


class CoverageCount(ReadModel):
    country_iso3: str
    area_code: str
    needs: int = Field(description="Open components of published, validated requests")
    matches: int = Field(description="Published matches")
