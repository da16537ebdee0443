"""Loading reference data: idempotent, and never overwriting what the Secretariat edited."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from api.core import audit
from api.models.reference import Area, Bureau, Country, Region, VocabularyTerm

DATA = Path(__file__).resolve().parent / "data"


def _load(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


async def _insert_missing(session: AsyncSession, model: type[Any], rows: list[dict[str, Any]], keys: list[str]) -> int:
    if not rows:
        return 0
    statement = (
        insert(model)
        .values(rows)
        .on_conflict_do_nothing(index_elements=keys)
        .returning(*[getattr(model, k) for k in keys])
    )
    return len((await session.execute(statement)).all())


async def seed_reference_data(session: AsyncSession) -> dict[str, int]:
    """Insert whatever reference rows are missing; return how many of each were added."""
    added: dict[str, int] = {}
    added["bureaux"] = await _insert_missing(session, Bureau, _load("bureaux.json"), ["code"])
    regions = sorted(_load("regions.json"), key=lambda r: ["region", "subregion", "intermediate"].index(r["level"]))
    added["regions"] = await _insert_missing(session, Region, regions, ["code"])
    added["countries"] = await _insert_missing(session, Country, _load("countries.json"), ["iso3"])

    area_rows = []
    for position, item in enumerate(_load("areas.json")):
        code: str = item["code"]
        area_rows.append(
            {
                "code": code,
                "parent_code": code.rsplit(".", 1)[0] if "." in code else None,
                "label_en": item["en"],
                "label_fr": item["fr"],
                "label_es": item["es"],
                "sort_order": position,
                "is_asylum_system": item.get("asylum", True),
                "is_retired": False,
            }
        )
    added["areas"] = await _insert_missing(session, Area, area_rows, ["code"])

    term_rows = []
    for vocabulary, terms in _load("vocabularies.json").items():
        for position, (code, en, fr, es) in enumerate(terms):
            term_rows.append(
                {
                    "vocabulary": vocabulary,
                    "code": code,
                    "label_en": en,
                    "label_fr": fr,
                    "label_es": es,
                    "sort_order": position,
                    "is_retired": False,
                }
            )
    for position, language in enumerate(_load("languages.json")):
        term_rows.append(
            {
                "vocabulary": "languages",
                "code": language["code"],
                "label_en": language["label_en"],
                "label_fr": language["label_fr"],
                "label_es": language["label_es"],
                "sort_order": position,
                "is_retired": False,
            }
        )
    added["vocabulary_terms"] = await _insert_missing(session, VocabularyTerm, term_rows, ["vocabulary", "code"])

    if any(added.values()):
        await audit.record(session, action="reference.seeded", record_type="reference", changes=dict(added))
    return added


async def reference_is_loaded(session: AsyncSession) -> bool:
    return (await session.execute(select(Country.iso3).limit(1))).first() is not None
