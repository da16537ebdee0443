"""What every import kind shares: the reference data it checks against, typed cells, the candidate records
built from rows, their issues, and the description of the table they are written to.

A kind turns rows into candidates (one per record, several rows per record when the record has components),
then, once the existing records are loaded, decides for each candidate: created, updated, unchanged or
rejected, with the final column values. The engine and the bulk writer do the rest for every kind alike.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar, Literal

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.core.actor import Actor
from api.imports.parsing import (
    CellError,
    ColumnKind,
    ColumnSpec,
    CountryNames,
    CountryResolver,
    SourceRow,
    normalise,
    parse_code,
    parse_codes,
    parse_int,
    parse_list,
)
from api.models.identity import Organisation
from api.models.reference import Area, Bureau, Country, Region, VocabularyTerm

Severity = Literal["error", "warning"]
Outcome = Literal["created", "updated", "unchanged", "rejected"]
Language = Literal["en", "fr", "es"]
SOURCE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.:-]{0,63}$")
UUID_PATTERN = re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$")


def labels(en: str, fr: str, es: str) -> dict[str, str]:
    return {"en": en, "fr": fr, "es": es}


@dataclass
class Issue:
    row: int | None
    column: str | None
    value: str | None
    message: str
    severity: Severity = "error"


# --- reference data ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationInfo:
    id: uuid.UUID
    name: str
    short_name: str | None
    kind: str
    country_iso3: str | None
    is_active: bool
    source: str | None
    external_id: str | None


class OrganisationIndex:
    """Organisations by id, by (source, external id) and by name or short name (folded, when unique)."""

    def __init__(self, organisations: Iterable[OrganisationInfo]) -> None:
        self.by_id: dict[uuid.UUID, OrganisationInfo] = {}
        self.by_external: dict[tuple[str, str], OrganisationInfo] = {}
        self._by_name: dict[str, list[OrganisationInfo]] = {}
        self._governments: dict[str, list[OrganisationInfo]] = {}
        for organisation in organisations:
            self.add(organisation)

    def add(self, organisation: OrganisationInfo) -> None:
        self.by_id[organisation.id] = organisation
        if organisation.source and organisation.external_id:
            self.by_external[(organisation.source, organisation.external_id)] = organisation
        if organisation.kind == "state_government" and organisation.country_iso3 and organisation.is_active:
            self._governments.setdefault(organisation.country_iso3, []).append(organisation)
        for name in {organisation.name, organisation.short_name} - {None, ""}:
            assert name is not None
            self._by_name.setdefault(normalise(name), []).append(organisation)

    def find(self, text: str) -> OrganisationInfo:
        """An organisation by its id, or its name or short name in any case or accents."""
        value = text.strip()
        if UUID_PATTERN.match(value):
            found = self.by_id.get(uuid.UUID(value))
            if found is None:
                raise CellError(f'No organisation has the id "{value}".')
            return found
        matches = [o for o in self._by_name.get(normalise(value), []) if o.is_active]
        if not matches:
            raise CellError(f'No active organisation is named "{value}"; use its exact name or its id.')
        if len({o.id for o in matches}) > 1:
            raise CellError(f'Several organisations are named "{value}"; use the id of the one you mean.')
        return matches[0]

    def governments(self, country_iso3: str) -> list[OrganisationInfo]:
        """The active government organisations of a country (a row naming only its country means this one)."""
        return self._governments.get(country_iso3, [])


@dataclass
class ImportContext:
    """The caller, the default source, and the reference data rows are checked against (read once)."""

    actor: Actor
    source: str
    now: datetime
    countries: CountryResolver
    country_codes: set[str]
    areas: dict[str, bool]  # active area code -> whether it is about the asylum system
    vocabularies: dict[str, set[str]]
    vocabulary_labels: dict[str, dict[str, list[str]]]
    regions: set[str]
    bureaux: set[str]
    organisations: OrganisationIndex
    extra: dict[str, Any] = field(default_factory=dict)

    def codes(self, vocabulary: str) -> set[str]:
        return self.vocabularies.get(vocabulary, set())


async def load_context(session: AsyncSession, *, actor: Actor, source: str, now: datetime) -> ImportContext:
    countries = (await session.execute(select(Country))).scalars().all()
    resolver = CountryResolver(
        CountryNames(c.iso3, c.iso2, [c.name_en, c.name_fr, c.name_es, *(c.aliases or [])]) for c in countries
    )
    areas = {
        a.code: a.is_asylum_system
        for a in (await session.execute(select(Area).where(Area.is_retired.is_(False)))).scalars()
    }
    vocabularies: dict[str, set[str]] = {}
    vocabulary_labels: dict[str, dict[str, list[str]]] = {}
    terms = (await session.execute(select(VocabularyTerm).where(VocabularyTerm.is_retired.is_(False)))).scalars()
    for term in terms:
        vocabularies.setdefault(term.vocabulary, set()).add(term.code)
        vocabulary_labels.setdefault(term.vocabulary, {})[term.code] = [term.label_en, term.label_fr, term.label_es]
    organisations = OrganisationIndex(
        OrganisationInfo(*row)
        for row in (
            await session.execute(
                select(
                    Organisation.id,
                    Organisation.name,
                    Organisation.short_name,
                    Organisation.kind,
                    Organisation.country_iso3,
                    Organisation.is_active,
                    Organisation.source,
                    Organisation.external_id,
                )
            )
        ).all()
    )
    return ImportContext(
        actor=actor,
        source=source,
        now=now,
        countries=resolver,
        country_codes={c.iso3 for c in countries},
        areas=areas,
        vocabularies=vocabularies,
        vocabulary_labels=vocabulary_labels,
        regions=set((await session.execute(select(Region.code))).scalars()),
        bureaux=set((await session.execute(select(Bureau.code))).scalars()),
        organisations=organisations,
    )


# --- columns and cells ------------------------------------------------------------------------------------

Parser = Callable[[str], Any]


@dataclass(frozen=True)
class Column:
    """An import column: its spec (headers in three languages, help, drop-down), how its text is read, and
    whether it holds confidential data (exported only for records the caller sees in full)."""

    spec: ColumnSpec
    parse: Parser
    confidential: bool = False
    # For kinds with components: a column of the component (one per row) rather than of the record.
    component: bool = False

    @property
    def key(self) -> str:
        return self.spec.key


def text_parser(*, min_length: int = 0, max_length: int) -> Parser:
    def parse(text: str) -> str:
        value = text.strip()
        if len(value) < min_length:
            raise CellError(f"Write at least {min_length} characters.")
        if len(value) > max_length:
            raise CellError(f"At most {max_length} characters ({len(value)} written).")
        return value

    return parse


def source_parser(text: str) -> str:
    value = text.strip().lower()
    if not SOURCE_PATTERN.match(value):
        raise CellError("A source is a short code: lower-case letters, digits and . _ : - (e.g. grf or unhcr-ner).")
    return value


def uuid_parser(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text.strip())
    except ValueError:
        raise CellError(f'"{text.strip()}" is not an id (a UUID such as 0b6f...-...).') from None


def country_parser(context: ImportContext) -> Parser:
    return context.countries.resolve


def countries_parser(context: ImportContext) -> Parser:
    def parse(text: str) -> list[str]:
        found: list[str] = []
        problems: list[str] = []
        for item in parse_list(text):
            try:
                found.append(context.countries.resolve(item))
            except CellError as error:
                problems.append(error.message)
        if problems:
            raise CellError(" ".join(problems))
        return list(dict.fromkeys(found))

    return parse


def code_parser(allowed: Iterable[str], labels_of: Mapping[str, Sequence[str]] | None = None) -> Parser:
    codes = set(allowed)
    return lambda text: parse_code(text, codes, labels=labels_of)


def codes_parser(allowed: Iterable[str], labels_of: Mapping[str, Sequence[str]] | None = None) -> Parser:
    codes = set(allowed)
    return lambda text: parse_codes(text, codes, labels=labels_of)


def int_parser(*, min_value: int, max_value: int) -> Parser:
    return lambda text: parse_int(text, min_value=min_value, max_value=max_value)


def column(
    key: str,
    names: dict[str, str],
    kind: ColumnKind,
    parse: Parser,
    *,
    required: bool = False,
    choices: Sequence[str] | None = None,
    help_text: dict[str, str] | None = None,
    aliases: tuple[str, ...] = (),
    confidential: bool = False,
    component: bool = False,
) -> Column:
    spec = ColumnSpec(
        key=key,
        labels=names,
        aliases=aliases,
        required=required,
        description=help_text or {},
        choices=list(choices) if choices is not None else None,
        kind=kind,
    )
    return Column(spec, parse, confidential=confidential, component=component)


INVALID = object()


class Cells:
    """Typed values of a row's cells. A cell is read once per distinct text (files repeat values a lot)."""

    def __init__(self, columns: Sequence[Column], header_of: Mapping[str, str]) -> None:
        self.columns = {c.key: c for c in columns}
        self.header_of = dict(header_of)  # column key -> header as written in the file
        self._memo: dict[tuple[str, str], tuple[bool, Any]] = {}

    def present(self, key: str) -> bool:
        return key in self.header_of

    def text(self, row: SourceRow, key: str) -> str | None:
        header = self.header_of.get(key)
        return row.values.get(header) if header is not None else None

    def get(self, row: SourceRow, key: str, issues: list[Issue]) -> Any:
        """The typed value, None for an empty cell (or a column absent from the file), INVALID (with an
        issue added) for a value that cannot be read."""
        # `text` inlined: this runs for every cell of every row.
        header = self.header_of.get(key)
        text = row.values.get(header) if header is not None else None
        if text is None:
            return None
        memo_key = (key, text)
        cached = self._memo.get(memo_key)
        if cached is None:
            try:
                cached = (True, self.columns[key].parse(text))
            except CellError as error:
                cached = (False, error.message)
            self._memo[memo_key] = cached
        ok, value = cached
        if ok:
            return value
        issues.append(Issue(row.number, self.header_of[key], text, str(value)))
        return INVALID


# --- candidates -------------------------------------------------------------------------------------------


@dataclass
class Existing:
    """A stored record matched by a candidate: its id, version, compared values, components and links."""

    id: uuid.UUID
    version: int | None
    values: dict[str, Any]
    components: list[tuple[Any, ...]] | None = None
    links: list[Any] | None = None


@dataclass
class Candidate:
    rows: list[SourceRow]
    source: str | None = None
    external_id: str | None = None
    alternate_key: str | uuid.UUID | None = None  # a reference (REQ-...) or a platform id
    values: dict[str, Any] = field(default_factory=dict)  # columns present in the file (and derived ones)
    components: list[dict[str, Any]] | None = None
    links: list[Any] | None = None
    raw: dict[str, Any] = field(default_factory=dict)  # kind-specific values resolved later (references)
    issues: list[Issue] = field(default_factory=list)
    existing: Existing | None = None
    id: uuid.UUID | None = None
    outcome: Outcome | None = None
    final: dict[str, Any] = field(default_factory=dict)  # every column written
    changes: dict[str, Any] = field(default_factory=dict)  # for the audit log
    components_changed: bool = False
    links_changed: bool = False

    @property
    def first_row(self) -> int:
        return self.rows[0].number

    @property
    def has_errors(self) -> bool:
        return any(issue.severity == "error" for issue in self.issues)

    @property
    def key_text(self) -> str:
        return self.external_id or (str(self.alternate_key) if self.alternate_key else "")

    def error(self, column: str | None, message: str, *, value: str | None = None, row: int | None = None) -> None:
        self.issues.append(Issue(row or self.first_row, column, value, message))

    def warning(self, column: str | None, message: str, *, value: str | None = None) -> None:
        self.issues.append(Issue(self.first_row, column, value, message, "warning"))


@dataclass(frozen=True)
class ComponentTable:
    table: Table
    parent_column: str
    columns: tuple[str, ...]  # compared and written, besides id, parent and position
    insert_defaults: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class LinkTable:
    table: Table
    parent_column: str
    columns: tuple[str, ...]  # the link's other columns, as tuples in Candidate.links


class ImportKind:
    """One kind of record that can be imported and exported (requests, offers, pledges...)."""

    name: ClassVar[str]
    titles: ClassVar[dict[str, str]]
    table: ClassVar[Table]
    resource: ClassVar[str | None] = None  # change feed resource name
    versioned: ClassVar[bool] = True
    alternate_key: ClassVar[str | None] = None  # "reference" or "id": the key when there is no external id
    grouped: ClassVar[bool] = False  # several rows (components) per record
    compared: ClassVar[tuple[str, ...]]  # main columns the import writes (derived ones included)
    audit_skip: ClassVar[frozenset[str]] = frozenset({"search_text"})
    components: ClassVar[ComponentTable | None] = None
    link: ClassVar[LinkTable | None] = None
    # The client scope needed to export this kind.
    read_scope: ClassVar[str | None] = None

    def columns(self, context: ImportContext) -> list[Column]:
        raise NotImplementedError

    def may_import(self, actor: Actor) -> bool:
        raise NotImplementedError

    def build(self, rows: Sequence[SourceRow], cells: Cells, context: ImportContext) -> list[Candidate]:
        """Rows to candidates (pure: no database), with their cell and record-level issues."""
        raise NotImplementedError

    async def load(self, session: AsyncSession, candidates: Sequence[Candidate], context: ImportContext) -> None:
        """Find each candidate's existing record (`existing`), resolve references needing the database."""
        raise NotImplementedError

    def decide(self, candidate: Candidate, context: ImportContext) -> None:
        """Check the caller's rights and the rules, then set `final` (every column to write)."""
        raise NotImplementedError

    async def export_rows(
        self, session: AsyncSession, actor: Actor, context: ImportContext
    ) -> Iterable[dict[str, Any]]:
        """The records `actor` may see, as rows keyed by column key (typed values)."""
        raise NotImplementedError

    async def prepare_new(self, session: AsyncSession, candidates: Sequence[Candidate]) -> None:
        """Values new records get from the database (references from a sequence)."""
        return None

    def insert_values(self, candidate: Candidate, context: ImportContext) -> dict[str, Any]:
        """Columns a new record gets besides those the import compares (its owner, empty lists...)."""
        return {}


# --- values -----------------------------------------------------------------------------------------------


def jsonable(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return str(value)


def _json_default(value: Any) -> Any:
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): v for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return list(value)
    return str(value)


def json_text(value: Any) -> str:
    """`value` as JSON, as `jsonable` would make it. The C encoder does the common types itself (a bulk
    import audits every record it writes); `jsonable` is the slow path for what it cannot (odd keys)."""
    try:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=_json_default)
    except (TypeError, ValueError):
        return json.dumps(jsonable(value), separators=(",", ":"), ensure_ascii=False)


def unique(values: Iterable[Any]) -> list[Any]:
    return list(dict.fromkeys(values))


# --- rows to candidates -----------------------------------------------------------------------------------


def group_rows(
    rows: Sequence[SourceRow],
    cells: Cells,
    context: ImportContext,
    *,
    alternate_key: str | None,
    grouped: bool,
) -> list[Candidate]:
    """One candidate per record key: (source, external id), else the alternate key (a reference or an id).

    With `grouped`, rows sharing a key are one record (a row per component); otherwise a key met twice is
    an error on both rows, since neither can be preferred.
    """
    by_key: dict[tuple[Any, ...], Candidate] = {}
    candidates: list[Candidate] = []
    for row in rows:
        issues: list[Issue] = []
        source = cells.get(row, "source", issues)
        external_id = cells.get(row, "external_id", issues)
        alternate = cells.get(row, alternate_key, issues) if alternate_key else None
        source = context.source if source is None or source is INVALID else source
        key: tuple[Any, ...]
        if external_id not in (None, INVALID):
            key = ("external", source, external_id)
        elif alternate not in (None, INVALID):
            key = ("alternate", alternate)
        else:
            key = ("row", row.number)
            if external_id is None and alternate is None:
                header = cells.header_of.get("external_id") or "external_id"
                needed = f" (or the {alternate_key})" if alternate_key else ""
                issues.append(Issue(row.number, header, None, f"Give the record's external id{needed}."))
        found = by_key.get(key)
        if found is not None and grouped:
            found.rows.append(row)
            found.issues.extend(issues)
            continue
        candidate = Candidate(
            rows=[row],
            source=source if key[0] == "external" else None,
            external_id=external_id if key[0] == "external" else None,
            alternate_key=alternate if alternate not in (None, INVALID) else None,
            issues=issues,
        )
        if found is not None:
            key_header = cells.header_of.get("external_id") or cells.header_of.get(alternate_key or "")
            candidate.error(key_header, f"The same record is in row {found.first_row}; each record appears once.")
            found.error(key_header, f"The same record is in row {row.number}; each record appears once.")
        else:
            by_key[key] = candidate
        candidates.append(candidate)
    return candidates


def record_value(candidate: Candidate, cells: Cells, key: str) -> Any:
    """A record-level value of a grouped record: the first non-empty cell; a different one later is an error."""
    header = cells.header_of.get(key)
    if header is None:
        return None
    # The usual case: the value is repeated on every row of the record, or given once. Then it is read once.
    given: SourceRow | None = None
    given_text: str | None = None
    for row in candidate.rows:
        text = row.values.get(header)
        if text is None:
            continue
        if given is None:
            given, given_text = row, text
        elif text != given_text:
            break
    else:
        if given is None:
            return None
        found = cells.get(given, key, [])
        if found is not INVALID:
            return found
        # An unreadable value: reported on each row it is in, by the loop below.
    value: Any = None
    first: SourceRow | None = None
    for row in candidate.rows:
        current = cells.get(row, key, candidate.issues)
        if current is None or current is INVALID:
            continue
        if first is None:
            value, first = current, row
        elif current != value:
            candidate.error(
                cells.header_of.get(key),
                f"Differs from row {first.number} of the same record; repeat the same value or leave it empty.",
                value=cells.text(row, key),
                row=row.number,
            )
    return value


def read_record_fields(candidate: Candidate, cells: Cells, defaults: Mapping[str, Any], *, grouped: bool) -> None:
    """Record-level columns present in the file into `candidate.values` (an empty cell gives the default)."""
    for key, default in defaults.items():
        if not cells.present(key):
            continue
        value = record_value(candidate, cells, key) if grouped else cells.get(candidate.rows[0], key, candidate.issues)
        if value is INVALID:
            continue
        if value is None:
            value = default() if callable(default) else default
        candidate.values[key] = value
