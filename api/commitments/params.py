"""Query parameters shared by the request and offer lists."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from fastapi import Query

from api.commitments.queries import Filters
from api.commitments.schemas import CommitmentStatus

Sort = Literal[
    "-updated_at", "updated_at", "-submitted_at", "submitted_at", "title", "-title", "reference", "-reference"
]


def commitment_filters(
    status: Annotated[list[CommitmentStatus] | None, Query(max_length=9)] = None,
    country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$")] = None,
    region: Annotated[
        str | None, Query(pattern=r"^\d{3}$", description="UN M49 region, sub-region or intermediate region code")
    ] = None,
    bureau: Annotated[str | None, Query(max_length=32)] = None,
    area: Annotated[
        str | None, Query(max_length=64, description="An area code; a parent code matches its children")
    ] = None,
    support_type: Annotated[str | None, Query(max_length=64)] = None,
    modality: Annotated[str | None, Query(max_length=64)] = None,
    language: Annotated[str | None, Query(max_length=8)] = None,
    pledge_source_event: Annotated[str | None, Query(max_length=32)] = None,
    organisation_id: uuid.UUID | None = None,
    contributor_type: Annotated[str | None, Query(max_length=64)] = None,
    updated_since: datetime | None = None,
    q: Annotated[
        str | None,
        Query(
            max_length=200,
            description=(
                "Words searched in titles, summaries and components, in English, French or Spanish, accents ignored"
            ),
        ),
    ] = None,
) -> Filters:
    return Filters(
        statuses=tuple(status or ()),
        country=country,
        region=region,
        bureau=bureau,
        area=area,
        support_type=support_type,
        modality=modality,
        language=language,
        pledge_source_event=pledge_source_event,
        organisation_id=organisation_id,
        contributor_type=contributor_type,
        updated_since=updated_since,
        q=q,
    )
