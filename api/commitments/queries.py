"""Query pieces shared by the request and offer repositories: visibility, search, filters, sorting, paging."""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, func, literal_column, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from api.core.actor import Actor
from api.core.errors import field_error
from api.core.pagination import after, decode_cursor, encode_cursor
from api.models.commitments import (
    NEVER_SUBMITTED_NEWEST,
    NEVER_SUBMITTED_OLDEST,
    PUBLISHED_STATUSES,
    SupportOffer,
    SupportRequest,
)
from api.models.identity import Organisation
from api.models.reference import Country

Model = type[SupportRequest] | type[SupportOffer]


def full_access_clause(
    actor: Actor, *, owner_column: Any, country_columns: Sequence[Any], partner_owned: ColumnElement[bool] | None
) -> ColumnElement[bool]:
    """Rows whose confidential part `actor` may see: owners (and joint partners), the Secretariat, and the
    UNHCR offices and bureaux covering the country."""
    if actor.is_secretariat:
        return true()
    clauses: list[ColumnElement[bool]] = []
    if actor.organisation_ids:
        clauses.append(owner_column.in_(actor.organisation_ids))
        if partner_owned is not None:
            clauses.append(partner_owned)
    if actor.unhcr_countries:
        clauses.extend(column.in_(actor.unhcr_countries) for column in country_columns)
    return or_(*clauses) if clauses else false()


def visible_clause(actor: Actor, *, model: Model, full_access: ColumnElement[bool]) -> ColumnElement[bool]:
    """Rows `actor` may see at all: fully (above), or their public part once validated: every signed-in
    user, and the public when the owner allowed publication."""
    published = model.status.in_(PUBLISHED_STATUSES)
    if actor.is_authenticated:
        return or_(full_access, published)
    return and_(published, model.allow_publication.is_(True))


# Letters without a Unicode decomposition, folded by f_unaccent (migration 0009) as a translation.
_UNDECOMPOSED = str.maketrans("øđħıłŀŧœæßŉ", "odhilltoasn")


def search_tokens(text: str) -> list[str]:
    """Words of a query folded the way f_unaccent folds the indexed text (accents and case ignored)."""
    folded = unicodedata.normalize("NFKD", text.lower().translate(_UNDECOMPOSED))
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return re.findall(r"[a-z0-9]+", folded)[:12]


def search_clause(vector: Any, q: str) -> ColumnElement[bool]:
    """Every word as a prefix (unstemmed), or every word after the English, French or Spanish stemmer."""
    tokens = search_tokens(q)
    if not tokens:
        return true()
    plain = " ".join(tokens)
    query: Any = func.to_tsquery("simple", " & ".join(f"{token}:*" for token in tokens))
    for config in ("english", "french", "spanish"):
        query = query.op("||")(func.plainto_tsquery(config, plain))
    return vector.op("@@")(query)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Filters:
    statuses: tuple[str, ...] = ()
    country: str | None = None
    region: str | None = None
    bureau: str | None = None
    area: str | None = None
    support_type: str | None = None
    modality: str | None = None
    language: str | None = None
    pledge_source_event: str | None = None
    organisation_id: uuid.UUID | None = None
    contributor_type: str | None = None
    updated_since: datetime | None = None
    q: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def countries_in(*, region: str | None = None, bureau: str | None = None) -> Select[Any]:
    statement = select(Country.iso3)
    if region:
        statement = statement.where(
            or_(
                Country.region_code == region,
                Country.subregion_code == region,
                Country.intermediate_region_code == region,
            )
        )
    if bureau:
        statement = statement.where(Country.bureau_code == bureau)
    return statement


def common_filters(model: Model, filters: Filters, *, country_column: Any) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if filters.statuses:
        clauses.append(model.status.in_(filters.statuses))
    if filters.country:
        clauses.append(country_column == filters.country.upper())
    if filters.region:
        clauses.append(country_column.in_(countries_in(region=filters.region)))
    if filters.bureau:
        clauses.append(country_column.in_(countries_in(bureau=filters.bureau)))
    if filters.area:
        # area_codes holds each component's code and its parent, so a parent filter finds its children.
        clauses.append(model.area_codes.contains([filters.area]))
    if filters.support_type:
        clauses.append(model.support_types.contains([filters.support_type]))
    if filters.modality:
        clauses.append(model.modalities.contains([filters.modality]))
    if filters.language:
        clauses.append(model.languages.contains([filters.language]))
    if filters.organisation_id:
        clauses.append(model.organisation_id == filters.organisation_id)
    if filters.contributor_type:
        clauses.append(
            model.organisation_id.in_(
                select(Organisation.id).where(Organisation.contributor_type == filters.contributor_type)
            )
        )
    if filters.updated_since:
        clauses.append(model.updated_at >= filters.updated_since)
    if filters.q:
        clauses.append(search_clause(model.search_vector, filters.q))
    return clauses


# Sort keys offered by the list endpoints: name -> (columns, descending flags). The id ends every order so
# the order is total and keyset pagination is stable.
def sort_columns(model: Model, sort: str) -> tuple[list[Any], list[bool]]:
    # The same SQL text as the indexes on these expressions (see NEVER_SUBMITTED_* in the models).
    epoch = literal_column(NEVER_SUBMITTED_NEWEST, model.submitted_at.type)
    far_future = literal_column(NEVER_SUBMITTED_OLDEST, model.submitted_at.type)
    options: dict[str, tuple[list[Any], list[bool]]] = {
        "-updated_at": ([model.updated_at, model.id], [True, True]),
        "updated_at": ([model.updated_at, model.id], [False, False]),
        "-submitted_at": ([func.coalesce(model.submitted_at, epoch), model.id], [True, True]),
        # Oldest waiting first (drafts, never submitted, come last).
        "submitted_at": ([func.coalesce(model.submitted_at, far_future), model.id], [False, False]),
        "title": ([model.title, model.id], [False, False]),
        "-title": ([model.title, model.id], [True, True]),
        "reference": ([model.reference, model.id], [False, False]),
        "-reference": ([model.reference, model.id], [True, True]),
    }
    if sort not in options:
        raise field_error("query.sort", f"Unknown sort; use one of {', '.join(options)}")
    return options[sort]


async def keyset_page(
    session: AsyncSession,
    statement: Any,
    *,
    model: Model,
    sort: str,
    limit: int,
    cursor: str | None,
    extra_columns: Sequence[Any] = (),
) -> tuple[list[Any], str | None]:
    """One page of `statement` (which selects the model's columns) in `sort` order, after `cursor`."""
    columns, descending = sort_columns(model, sort)
    ordered = statement.add_columns(*[c.label(f"_k{i}") for i, c in enumerate(columns)], *extra_columns)
    if cursor:
        values = decode_cursor(cursor, key=sort, length=len(columns))
        ordered = ordered.where(after(columns, values, descending))
    ordered = ordered.order_by(*[c.desc() if d else c.asc() for c, d in zip(columns, descending, strict=True)])
    rows = (await session.execute(ordered.limit(limit + 1))).all()
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = encode_cursor(sort, [getattr(last, f"_k{i}") for i in range(len(columns))])
    return list(rows[:limit]), next_cursor
