"""Schemas shared by requests and offers: components, contacts, attachments, actions, warnings."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator

from api.core.schemas import ReadModel, WriteModel

Code = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Iso3 = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{3}$", to_upper=True)]
Title = Annotated[str, StringConstraints(min_length=3, max_length=300)]
Summary = Annotated[str, StringConstraints(max_length=10_000)]
Description = Annotated[str, StringConstraints(max_length=5_000)]
Urgency = Literal["low", "normal", "high", "critical"]
CommitmentStatus = Literal[
    "draft",
    "submitted",
    "under_review",
    "validated",
    "partially_matched",
    "matched",
    "closed",
    "rejected",
    "withdrawn",
]
Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s<>\"']+$", max_length=1000)]


class Contact(WriteModel):
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    role: Annotated[str, StringConstraints(max_length=200)] | None = None
    email: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=320)] | None = None
    phone: Annotated[str, StringConstraints(max_length=50)] | None = None


class Attachment(WriteModel):
    """A document kept elsewhere, linked by URL (files are not stored with requests and offers)."""

    title: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    url: Url


class ComponentIn(WriteModel):
    area_code: Code
    modalities: list[Code] = Field(default_factory=list, max_length=12)
    support_types: list[Code] = Field(default_factory=list, max_length=5)
    description: Description = ""

    @field_validator("modalities", "support_types")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))


class ComponentOut(ReadModel):
    id: uuid.UUID
    position: int
    area_code: str
    modalities: list[str]
    support_types: list[str]
    description: str


class RequestComponentOut(ComponentOut):
    status: Literal["open", "partially_covered", "covered"]


class TransitionBody(WriteModel):
    reason: Annotated[str, StringConstraints(max_length=5_000)] | None = None


class DuplicationWarning(ReadModel):
    """Support already flowing to the same country in an overlapping area and period."""

    kind: Literal["existing_support", "match"]
    record_id: uuid.UUID
    country_iso3: str
    area_codes: list[str]
    provider_name: str | None
    starts_on: date | None
    ends_on: date | None
