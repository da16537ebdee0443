"""Reference data: countries, UN M49 regions, UNHCR bureaux, the area taxonomy and small vocabularies."""

from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from api.models.base import Base, Timestamps

VOCABULARIES = (
    "qualities",
    "support_types",
    "modalities",
    "contributor_types",
    "pledge_source_events",
    "pledge_types",
    "public_stages",
    "languages",
)


class Bureau(Timestamps, Base):
    __tablename__ = "bureaux"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_fr: Mapped[str] = mapped_column(String(200))
    name_es: Mapped[str] = mapped_column(String(200))


class Region(Timestamps, Base):
    """A UN M49 area: region (Africa), sub-region (Sub-Saharan Africa) or intermediate region (Western Africa)."""

    __tablename__ = "regions"
    __table_args__ = (CheckConstraint("level IN ('region', 'subregion', 'intermediate')", name="level"),)

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    level: Mapped[str] = mapped_column(String(16))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"))
    name_en: Mapped[str] = mapped_column(String(200))
    name_fr: Mapped[str] = mapped_column(String(200))
    name_es: Mapped[str] = mapped_column(String(200))


class Country(Timestamps, Base):
    """ISO 3166-1 country or territory. `unhcr_code` is UNHCR's own code, which differs from ISO and can collide."""

    __tablename__ = "countries"

    iso3: Mapped[str] = mapped_column(String(3), primary_key=True)
    iso2: Mapped[str] = mapped_column(String(2), unique=True)
    iso_numeric: Mapped[str] = mapped_column(String(3), unique=True)
    unhcr_code: Mapped[str | None] = mapped_column(String(3), unique=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_fr: Mapped[str] = mapped_column(String(200))
    name_es: Mapped[str] = mapped_column(String(200))
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), index=True)
    subregion_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), index=True)
    intermediate_region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"))
    bureau_code: Mapped[str | None] = mapped_column(ForeignKey("bureaux.code"), index=True)
    is_un_member: Mapped[bool] = mapped_column(Boolean, default=False)
    # Other spellings (official names, older names) that imports accept.
    aliases: Mapped[list[str]] = mapped_column(ARRAY(String(300)), default=list)


class Area(Timestamps, Base):
    """A code of the asylum-system taxonomy (two levels: `procedures` and `procedures.rsd`).

    `is_asylum_system` is false for the few codes that name other State systems: a request made only of those
    is out of scope unless the State is establishing an asylum system.
    """

    __tablename__ = "areas"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("areas.code"), index=True)
    label_en: Mapped[str] = mapped_column(String(300))
    label_fr: Mapped[str] = mapped_column(String(300))
    label_es: Mapped[str] = mapped_column(String(300))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    is_asylum_system: Mapped[bool] = mapped_column(Boolean, default=True)
    is_retired: Mapped[bool] = mapped_column(Boolean, default=False)


class VocabularyTerm(Timestamps, Base):
    """A term of one of the small vocabularies (support types, modalities, contributor types...)."""

    __tablename__ = "vocabulary_terms"
    __table_args__ = (CheckConstraint(f"vocabulary IN {VOCABULARIES!r}", name="vocabulary"),)

    vocabulary: Mapped[str] = mapped_column(String(40), primary_key=True)
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    label_en: Mapped[str] = mapped_column(String(300))
    label_fr: Mapped[str] = mapped_column(String(300))
    label_es: Mapped[str] = mapped_column(String(300))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    is_retired: Mapped[bool] = mapped_column(Boolean, default=False)
