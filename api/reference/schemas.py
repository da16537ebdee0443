"""Reference data as read and as edited by the Secretariat."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from api.core.schemas import ReadModel, WriteModel

Label = Annotated[str, StringConstraints(min_length=1, max_length=300)]
AreaCode = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,30}(\.[a-z][a-z0-9_]{1,30})?$")]
TermCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,63}$")]


class Labels(ReadModel):
    en: str
    fr: str
    es: str


class Country(ReadModel):
    iso3: str
    iso2: str
    iso_numeric: str
    unhcr_code: str | None
    name_en: str
    name_fr: str
    name_es: str
    region_code: str | None
    subregion_code: str | None
    intermediate_region_code: str | None
    bureau_code: str | None
    is_un_member: bool


class CountryUpdate(WriteModel):
    unhcr_code: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = None
    bureau_code: str | None = None
    name_en: Label | None = None
    name_fr: Label | None = None
    name_es: Label | None = None


class Region(ReadModel):
    code: str
    level: str
    parent_code: str | None
    name_en: str
    name_fr: str
    name_es: str


class Bureau(ReadModel):
    code: str
    name_en: str
    name_fr: str
    name_es: str


class BureauUpdate(WriteModel):
    name_en: Label | None = None
    name_fr: Label | None = None
    name_es: Label | None = None


class Area(ReadModel):
    code: str
    parent_code: str | None
    label_en: str
    label_fr: str
    label_es: str
    sort_order: int
    is_asylum_system: bool
    is_retired: bool


class AreaCreate(WriteModel):
    code: AreaCode
    label_en: Label
    label_fr: Label
    label_es: Label
    sort_order: int = Field(default=0, ge=0, le=10_000)
    is_asylum_system: bool = True


class AreaUpdate(WriteModel):
    label_en: Label | None = None
    label_fr: Label | None = None
    label_es: Label | None = None
    sort_order: int | None = Field(default=None, ge=0, le=10_000)
    is_retired: bool | None = None


class Term(ReadModel):
    vocabulary: str
    code: str
    label_en: str
    label_fr: str
    label_es: str
    sort_order: int
    is_retired: bool


class TermCreate(WriteModel):
    code: TermCode
    label_en: Label
    label_fr: Label
    label_es: Label
    sort_order: int = Field(default=0, ge=0, le=10_000)


class TermUpdate(WriteModel):
    label_en: Label | None = None
    label_fr: Label | None = None
    label_es: Label | None = None
    sort_order: int | None = Field(default=None, ge=0, le=10_000)
    is_retired: bool | None = None
