"""Queries on knowledge items. `visible_to` is the resource's one visibility predicate; `fully_visible_to`
says which visible items the caller reads in the editors' view. Search, facets, related items and file
downloads all go through them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    String,
    and_,
    case,
    cast,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from api.core.actor import Actor
from api.core.pagination import after, capped_count, decode_cursor, encode_cursor
from api.models.identity import Organisation
from api.models.knowledge import TEXT_SEARCH_CONFIGS, KnowledgeItem
from api.models.reference import Country, Region
from api.reference.repository import register_area_usage, register_term_usage

register_area_usage("knowledge_items", "areas", holds_array=True)
register_term_usage("contributor_types", "knowledge_items", "contributor_types", holds_array=True)

# A search ranks at most this many matching items (the most recent ones) with ts_rank_cd: ranking reads each
# candidate's whole tsvector, so ranking every match of a very common word would cost time in proportion to
# the collection. Up to this many matches the ranking is exact.
RANK_WINDOW = 500
SNIPPET_START, SNIPPET_STOP, SNIPPET_GAP = "\x02", "\x03", "\x04"
SNIPPET_BODY_CHARS = 700
HEADLINE_OPTIONS = (
    f"StartSel={SNIPPET_START}, StopSel={SNIPPET_STOP}, FragmentDelimiter={SNIPPET_GAP}, "
    "MaxWords=30, MinWords=12, MaxFragments=2, ShortWord=2"
)
# Title > summary > body: the weights of D, C (body), B (summary), A (title).
RANK_WEIGHTS = "{0.05, 0.2, 0.4, 1.0}"


def fully_visible_to(actor: Actor) -> ColumnElement[bool]:
    """Items read in the editors' view: all for the Secretariat, their own organisation's for members."""
    if actor.is_secretariat:
        return true()
    if actor.organisation_ids:
        return KnowledgeItem.organisation_id.in_(actor.organisation_ids)
    return false()


def visible_to(actor: Actor) -> ColumnElement[bool]:
    """Published items for everyone (anonymous included); drafts, items in review and archived items for the
    author organisation and the Secretariat."""
    if actor.is_secretariat:
        return true()
    return or_(KnowledgeItem.status == "published", fully_visible_to(actor))


async def get_visible(
    session: AsyncSession, actor: Actor, item_id: uuid.UUID, *, for_update: bool = False
) -> tuple[KnowledgeItem, bool, str | None] | None:
    """The item if `actor` may see it, whether they read it in full, and its organisation's name."""
    statement = (
        select(KnowledgeItem, fully_visible_to(actor).label("full"), Organisation.name)
        .outerjoin(Organisation, Organisation.id == KnowledgeItem.organisation_id)
        .where(KnowledgeItem.id == item_id, visible_to(actor))
    )
    if for_update:
        statement = statement.with_for_update(of=KnowledgeItem)
    row = (await session.execute(statement)).first()
    return (row[0], bool(row[1]), row[2]) if row else None


async def is_visible(session: AsyncSession, actor: Actor, item_id: uuid.UUID) -> bool:
    statement = select(KnowledgeItem.id).where(KnowledgeItem.id == item_id, visible_to(actor))
    return (await session.execute(statement)).first() is not None


async def versions(
    session: AsyncSession, actor: Actor, group_id: uuid.UUID, *, exclude: uuid.UUID
) -> list[tuple[uuid.UUID, str, str, str]]:
    """(id, language, title, status) of the other language versions `actor` may see."""
    rows = await session.execute(
        select(KnowledgeItem.id, KnowledgeItem.language, KnowledgeItem.title, KnowledgeItem.status)
        .where(KnowledgeItem.translation_group_id == group_id, KnowledgeItem.id != exclude, visible_to(actor))
        .order_by(KnowledgeItem.language)
    )
    return [(r[0], r[1], r[2], r[3]) for r in rows.all()]


async def languages_in_group(session: AsyncSession, group_id: uuid.UUID) -> set[str]:
    rows = await session.execute(select(KnowledgeItem.language).where(KnowledgeItem.translation_group_id == group_id))
    return set(rows.scalars())


async def organisation(session: AsyncSession, organisation_id: uuid.UUID) -> Organisation | None:
    return await session.get(Organisation, organisation_id)


async def region_codes(session: AsyncSession, codes: Sequence[str]) -> dict[str, str | None]:
    """The given M49 codes that exist, with their parent."""
    if not codes:
        return {}
    rows = await session.execute(select(Region.code, Region.parent_code).where(Region.code.in_(codes)))
    return {r[0]: r[1] for r in rows.all()}


async def all_region_parents(session: AsyncSession) -> dict[str, str | None]:
    rows = await session.execute(select(Region.code, Region.parent_code))
    return {r[0]: r[1] for r in rows.all()}


async def country_regions(session: AsyncSession, countries: Sequence[str]) -> set[str]:
    """Every M49 region, sub-region and intermediate region of these countries."""
    if not countries:
        return set()
    rows = await session.execute(
        select(Country.region_code, Country.subregion_code, Country.intermediate_region_code).where(
            Country.iso3.in_(countries)
        )
    )
    return {code for row in rows.all() for code in row if code}


# -- search ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchFilters:
    q: str | None = None
    statuses: tuple[str, ...] = ("published",)
    kind: str | None = None
    area: str | None = None
    region: str | None = None
    country: str | None = None
    contributor_type: str | None = None
    language: str | None = None
    year: int | None = None


def _config(language: str) -> Any:
    return literal_column(f"'{TEXT_SEARCH_CONFIGS[language]}'::regconfig")


def _tsquery(language: str, q: str) -> Any:
    # Folded like the indexed text (f_unaccent); web-search syntax: "quoted phrases", OR, -excluded.
    return func.websearch_to_tsquery(_config(language), func.f_unaccent(literal(q, String)))


def _languages(filters: SearchFilters) -> tuple[str, ...]:
    return (filters.language,) if filters.language else tuple(TEXT_SEARCH_CONFIGS)


def text_match(filters: SearchFilters) -> ColumnElement[bool]:
    """Each item is matched in its own language: the query is parsed with that language's stemmer. One branch
    per language keeps every branch on the GIN index (a BitmapOr), unlike a per-row choice of query."""
    assert filters.q
    q = filters.q
    return or_(
        *[
            and_(KnowledgeItem.language == language, KnowledgeItem.search_vector.op("@@")(_tsquery(language, q)))
            for language in _languages(filters)
        ]
    )


def _per_language(filters: SearchFilters, build: Any) -> Any:
    languages = _languages(filters)
    if len(languages) == 1:
        return build(languages[0])
    return case(
        *[(KnowledgeItem.language == language, build(language)) for language in languages[:-1]],
        else_=build(languages[-1]),
    )


def _dimension_clauses(filters: SearchFilters) -> dict[str, ColumnElement[bool]]:
    """The filter of each facet dimension that is set."""
    clauses: dict[str, ColumnElement[bool]] = {}
    if filters.kind:
        clauses["kind"] = KnowledgeItem.kind == filters.kind
    if filters.area:
        # area_codes holds each area and its parent: a parent filter finds the children.
        clauses["area"] = KnowledgeItem.area_codes.contains([filters.area])
    if filters.region:
        clauses["region"] = KnowledgeItem.region_codes.contains([filters.region])
    if filters.country:
        clauses["country"] = KnowledgeItem.countries.contains([filters.country.upper()])
    if filters.contributor_type:
        clauses["contributor_type"] = KnowledgeItem.contributor_types.contains([filters.contributor_type])
    if filters.language:
        clauses["language"] = KnowledgeItem.language == filters.language
    if filters.year:
        clauses["year"] = KnowledgeItem.year == filters.year
    return clauses


def _base_clauses(actor: Actor, filters: SearchFilters) -> list[ColumnElement[bool]]:
    clauses = [visible_to(actor), KnowledgeItem.status.in_(filters.statuses)]
    if filters.q:
        clauses.append(text_match(filters))
    return clauses


HIT_COLUMNS = (
    KnowledgeItem.id,
    KnowledgeItem.kind,
    KnowledgeItem.language,
    KnowledgeItem.status,
    KnowledgeItem.title,
    KnowledgeItem.summary,
    KnowledgeItem.areas,
    KnowledgeItem.countries,
    KnowledgeItem.regions,
    KnowledgeItem.contributor_types,
    KnowledgeItem.year,
    KnowledgeItem.published_at,
    KnowledgeItem.updated_at,
)


async def count(session: AsyncSession, actor: Actor, filters: SearchFilters) -> tuple[int, bool]:
    clauses = [*_base_clauses(actor, filters), *_dimension_clauses(filters).values()]
    return await capped_count(session, select(KnowledgeItem.id).where(*clauses))


def _browse_order(filters: SearchFilters) -> tuple[str, list[Any]]:
    if set(filters.statuses) == {"published"}:
        return "published", [KnowledgeItem.published_at, KnowledgeItem.id]
    return "updated", [KnowledgeItem.updated_at, KnowledgeItem.id]


async def browse(
    session: AsyncSession, actor: Actor, filters: SearchFilters, *, limit: int, cursor: str | None
) -> tuple[list[Any], str | None]:
    """Items without a text query, newest first (keyset pages)."""
    key, columns = _browse_order(filters)
    statement = (
        select(*HIT_COLUMNS, Organisation.name.label("organisation_name"))
        .outerjoin(Organisation, Organisation.id == KnowledgeItem.organisation_id)
        .where(*_base_clauses(actor, filters), *_dimension_clauses(filters).values())
    )
    if cursor:
        statement = statement.where(after(columns, decode_cursor(cursor, key=key, length=2), [True, True]))
    rows = (await session.execute(statement.order_by(*[c.desc() for c in columns]).limit(limit + 1))).all()
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = encode_cursor(key, [last.published_at if key == "published" else last.updated_at, last.id])
    return list(rows[:limit]), next_cursor


async def ranked(session: AsyncSession, actor: Actor, filters: SearchFilters, *, limit: int, offset: int) -> list[Any]:
    """One page of matches by relevance, with their snippet.

    The candidates are the RANK_WINDOW most recent matches, found through the indexes (the GIN index for
    selective queries; the publication-date index, newest first, for common words, which stops as soon as
    the window is full); only they are ranked, so the cost is bounded whatever the query."""
    assert filters.q
    q = filters.q
    window = (
        select(KnowledgeItem.id, KnowledgeItem.language, KnowledgeItem.search_vector)
        .where(*_base_clauses(actor, filters), *_dimension_clauses(filters).values())
        .order_by(KnowledgeItem.published_at.desc(), KnowledgeItem.id.desc())
        .limit(RANK_WINDOW)
        .cte("window")
        .prefix_with("MATERIALIZED")
    )
    weights: Any = literal_column(f"'{RANK_WEIGHTS}'::float4[]")
    rank = func.ts_rank_cd(
        weights,
        window.c.search_vector,
        case(
            *[(window.c.language == language, _tsquery(language, q)) for language in _languages(filters)],
        ),
        1,
    ).label("rank")
    page = select(window.c.id, rank).order_by(rank.desc(), window.c.id).limit(limit + 1).offset(offset).subquery("page")
    # Snippets come from the summary and the start of the body: folding and headlining cost in proportion to
    # the text (about 1 ms per 2,000 characters), and a page has up to 50 hits.
    source = KnowledgeItem.summary + literal("\n") + func.left(KnowledgeItem.body_text, SNIPPET_BODY_CHARS)
    headline = _per_language(
        filters,
        lambda language: func.ts_headline(
            _config(language), func.f_unaccent(source), _tsquery(language, q), literal(HEADLINE_OPTIONS)
        ),
    )
    statement = (
        select(
            *HIT_COLUMNS,
            Organisation.name.label("organisation_name"),
            page.c.rank,
            source.label("snippet_source"),
            func.f_unaccent(source).label("snippet_folded"),
            headline.label("headline"),
        )
        .join(page, page.c.id == KnowledgeItem.id)
        .outerjoin(Organisation, Organisation.id == KnowledgeItem.organisation_id)
        .order_by(page.c.rank.desc(), KnowledgeItem.id)
    )
    return list((await session.execute(statement)).all())


FACET_DIMENSIONS = ("kind", "area", "region", "country", "contributor_type", "language", "year")
_FACET_COLUMNS: dict[str, tuple[Any, bool]] = {
    "kind": (KnowledgeItem.kind, False),
    "area": (KnowledgeItem.area_codes, True),
    "region": (KnowledgeItem.region_codes, True),
    "country": (KnowledgeItem.countries, True),
    "contributor_type": (KnowledgeItem.contributor_types, True),
    "language": (KnowledgeItem.language, False),
    "year": (KnowledgeItem.year, False),
}


async def facets(session: AsyncSession, actor: Actor, filters: SearchFilters) -> dict[str, list[tuple[str, int]]]:
    """Counts per value of each dimension over the matching items, each dimension computed with every filter
    but its own (the usual faceting rule). One scan of the matches, then one aggregate per dimension."""
    dimension_filters = _dimension_clauses(filters)
    flags = {name: clause.label(f"f_{name}") for name, clause in dimension_filters.items()}
    statement = select(*[column.label(name) for name, (column, _) in _FACET_COLUMNS.items()], *flags.values()).where(
        *_base_clauses(actor, filters)
    )
    if len(flags) > 1:
        # A row counts somewhere only if it passes every filter but (at most) one.
        statement = statement.where(
            or_(*[and_(*[c for n, c in dimension_filters.items() if n != name]) for name in flags])
        )
    matches = statement.cte("matches").prefix_with("MATERIALIZED")
    parts = []
    for name, (_, is_array) in _FACET_COLUMNS.items():
        others = [matches.c[f"f_{other}"] for other in flags if other != name]
        if is_array:
            value = func.unnest(matches.c[name]).table_valued("value").render_derived(name=f"v_{name}")
            part = (
                select(literal(name).label("dimension"), cast(value.c.value, String).label("value"), func.count())
                .select_from(matches)
                .join(value, true())
                .where(*others)
                .group_by(value.c.value)
            )
        else:
            column = matches.c[name]
            part = (
                select(literal(name).label("dimension"), cast(column, String).label("value"), func.count())
                .select_from(matches)
                .where(*others)
                .group_by(column)
            )
        parts.append(part)
    rows = (await session.execute(union_all(*parts))).all()
    result: dict[str, list[tuple[str, int]]] = {name: [] for name in FACET_DIMENSIONS}
    for row in rows:
        result[str(row[0])].append((str(row[1]), int(row[2])))
    for values in result.values():
        values.sort(key=lambda pair: (-pair[1], pair[0]))
    return result


# -- related items ---------------------------------------------------------------------------------------


async def related(
    session: AsyncSession,
    actor: Actor,
    *,
    areas: Sequence[str],
    countries: Sequence[str],
    regions: Sequence[str],
    limit: int,
) -> list[Any]:
    """Published items sharing an area with the record (a parent area counts too, after the specific ones),
    those about the same countries or region first, then by the number of shared areas, newest first."""
    specific = sorted(set(areas))
    parents = sorted({code.split(".")[0] for code in specific})
    with_parents = sorted(set(specific) | set(parents))

    def matches_of(column: Any, codes: Sequence[str]) -> Any:
        # A handful of codes: a sum of containment tests reads better to the planner than array set operations.
        return sum((case((column.contains([code]), 1), else_=0) for code in codes), literal(0))

    same_region_clauses = []
    if countries:
        same_region_clauses.append(KnowledgeItem.countries.overlap(cast(list(countries), ARRAY(String))))
    if regions:
        same_region_clauses.append(KnowledgeItem.region_codes.overlap(cast(list(regions), ARRAY(String))))
    same_region = (or_(*same_region_clauses) if same_region_clauses else false()).label("same_region")
    shared = matches_of(KnowledgeItem.areas, specific)
    parent_overlap = matches_of(KnowledgeItem.area_codes, parents)
    statement = (
        select(
            KnowledgeItem.id,
            KnowledgeItem.kind,
            KnowledgeItem.language,
            KnowledgeItem.title,
            KnowledgeItem.summary,
            KnowledgeItem.areas,
            KnowledgeItem.countries,
            KnowledgeItem.year,
            KnowledgeItem.published_at,
            same_region,
        )
        .where(
            KnowledgeItem.status == "published",
            visible_to(actor),
            KnowledgeItem.area_codes.overlap(cast(with_parents, ARRAY(String))),
        )
        .order_by(
            same_region.desc(),
            shared.desc(),
            parent_overlap.desc(),
            KnowledgeItem.published_at.desc(),
            KnowledgeItem.id,
        )
        .limit(limit)
    )
    return list((await session.execute(statement)).all())
