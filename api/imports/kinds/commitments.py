"""Support requests and support offers: one row per component, grouped by the record's external id.

The layout a country office fills in Excel: each row is one component (area, modalities, support types,
description); the record's own columns (title, dates, summary...) are read from the first row that fills
them, so they may be repeated on every row of the record (as exports do) or written once. A later row
with a different value is an error. An optional component number orders the components and catches
duplicates; without it, the rows' order is the components' order.

The rules are the API's: the organisation and its kind, who may write for it, the technical exchange rule
on offers, the scope rule when a request is submitted (an out-of-scope request is recorded as rejected,
as the API does), codes and countries known, dates in order. The status column only creates records as
drafts or submitted (validated too for the Secretariat) and submits drafts; other changes of status go
through the workflow, and the column is then left as it is (with a warning).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from sqlalchemy import ARRAY, ColumnElement, String, bindparam, func, or_, select, text, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from api.commitments import workflow
from api.commitments.validation import with_parents
from api.core.actor import STATE_KINDS, Actor
from api.core.sql import among
from api.imports.kinds.base import (
    INVALID,
    Candidate,
    Cells,
    Column,
    ComponentTable,
    Existing,
    ImportContext,
    ImportKind,
    LinkTable,
    OrganisationInfo,
    code_parser,
    codes_parser,
    column,
    countries_parser,
    country_parser,
    group_rows,
    int_parser,
    labels,
    read_record_fields,
    source_parser,
    text_parser,
    unique,
    uuid_parser,
)
from api.imports.parsing import CellError, SourceRow, parse_bool, parse_date, parse_list
from api.models.commitments import (
    COMMITMENT_STATUSES,
    URGENCIES,
    Pledge,
    SupportOffer,
    SupportOfferComponent,
    SupportRequest,
    SupportRequestComponent,
    SupportRequestPledge,
)
from api.support_offers import repository as offers_repository
from api.support_offers.service import LABEL as OFFER_LABEL
from api.support_offers.service import OFFERING_KINDS, TECHNICAL
from api.support_requests import repository as requests_repository
from api.support_requests.service import scope_problem

MAX_COMPONENTS = 30


def _component_columns(context: ImportContext) -> list[Column]:
    areas = sorted(context.areas)
    modalities = sorted(context.codes("modalities"))
    support_types = sorted(context.codes("support_types"))
    return [
        column(
            "component_number",
            labels("Component", "Composante", "Componente"),
            "int",
            int_parser(min_value=1, max_value=MAX_COMPONENTS),
            help_text=labels(
                "1, 2, 3... for the record's components (optional: without it, the rows' order)",
                "1, 2, 3... pour les composantes de la fiche (facultatif : sinon, l'ordre des lignes)",
                "1, 2, 3... para los componentes del registro (opcional: si no, el orden de las filas)",
            ),
            component=True,
        ),
        column(
            "area",
            labels("Area", "Domaine", "Área"),
            "code",
            code_parser(areas),
            required=True,
            choices=areas,
            help_text=labels(
                "The component's area of the asylum system (taxonomy code)",
                "Le domaine du système d'asile visé par la composante (code de la taxonomie)",
                "El área del sistema de asilo del componente (código de la taxonomía)",
            ),
            component=True,
        ),
        column(
            "modalities",
            labels("Modalities", "Modalités", "Modalidades"),
            "codes",
            codes_parser(modalities, context.vocabulary_labels.get("modalities")),
            choices=modalities,
            component=True,
        ),
        column(
            "support_types",
            labels("Support types", "Types d'appui", "Tipos de apoyo"),
            "codes",
            codes_parser(support_types, context.vocabulary_labels.get("support_types")),
            choices=support_types,
            component=True,
        ),
        column(
            "component_description",
            labels("Component description", "Description de la composante", "Descripción del componente"),
            "text",
            text_parser(max_length=5_000),
            component=True,
        ),
    ]


def _key_columns() -> list[Column]:
    return [
        column(
            "external_id",
            labels("External ID", "Identifiant externe", "Identificador externo"),
            "text",
            text_parser(min_length=1, max_length=200),
            help_text=labels(
                "Your own id of the record: importing again with the same id updates it",
                "Votre identifiant de la fiche : la réimporter avec le même identifiant la met à jour",
                "Su identificador del registro: importarlo de nuevo con el mismo identificador lo actualiza",
            ),
        ),
        column(
            "source",
            labels("Source", "Source", "Fuente"),
            "text",
            source_parser,
            help_text=labels(
                "The system the external id comes from (default: the one chosen for the upload)",
                "Le système d'où vient l'identifiant externe (par défaut : celui choisi pour l'envoi)",
                "El sistema del que procede el identificador externo (por defecto: el elegido al cargar)",
            ),
        ),
        column(
            "reference",
            labels("Reference", "Référence", "Referencia"),
            "text",
            text_parser(min_length=1, max_length=32),
            help_text=labels(
                "The platform's reference (REQ-2026-00042); identifies a record that has no external id",
                "La référence de la plateforme (REQ-2026-00042) ; identifie une fiche sans identifiant externe",
                "La referencia de la plataforma (REQ-2026-00042); identifica un registro sin identificador externo",
            ),
        ),
    ]


def _organisation_columns(what: dict[str, str]) -> list[Column]:
    return [
        column(
            "organisation_id",
            labels("Organisation ID", "ID de l'organisation", "ID de la organización"),
            "text",
            uuid_parser,
            help_text=what,
        ),
        column(
            "organisation",
            labels("Organisation", "Organisation", "Organización"),
            "text",
            text_parser(min_length=1, max_length=300),
            help_text=labels(
                "The organisation's name (or use its id in the column before)",
                "Le nom de l'organisation (ou son identifiant dans la colonne précédente)",
                "El nombre de la organización (o su identificador en la columna anterior)",
            ),
        ),
    ]


def _common_columns(context: ImportContext) -> list[Column]:
    languages = sorted(context.codes("languages"))
    return [
        column(
            "title",
            labels("Title", "Titre", "Título"),
            "text",
            text_parser(min_length=3, max_length=300),
            required=True,
        ),
        column(
            "status",
            labels("Status", "Statut", "Estado"),
            "code",
            code_parser(COMMITMENT_STATUSES),
            choices=["draft", "submitted"],
            help_text=labels(
                "draft (default) or submitted; later stages follow the workflow",
                "draft (par défaut) ou submitted ; les étapes suivantes suivent le circuit de validation",
                "draft (por defecto) o submitted; las etapas siguientes siguen el circuito de validación",
            ),
        ),
        column(
            "languages",
            labels("Languages", "Langues", "Idiomas"),
            "codes",
            codes_parser(languages, context.vocabulary_labels.get("languages")),
            choices=languages,
        ),
        column("starts_on", labels("Start date", "Date de début", "Fecha de inicio"), "date", parse_date),
        column("ends_on", labels("End date", "Date de fin", "Fecha de finalización"), "date", parse_date),
        column(
            "public_summary",
            labels("Public summary", "Résumé public", "Resumen público"),
            "text",
            text_parser(max_length=10_000),
        ),
        column(
            "confidential_details",
            labels("Confidential details", "Détails confidentiels", "Detalles confidenciales"),
            "text",
            text_parser(max_length=20_000),
            confidential=True,
        ),
        column(
            "allow_publication",
            labels("Allow publication", "Publication autorisée", "Publicación autorizada"),
            "bool",
            parse_bool,
            confidential=True,
        ),
    ]


class CommitmentKind(ImportKind):
    """What requests and offers share."""

    model: ClassVar[Any]
    component_model: ClassVar[Any]
    reference_prefix: ClassVar[str]
    reference_sequence: ClassVar[str]
    alternate_key = "reference"
    grouped = True
    # The denormalised area, support type and modality lists follow from the components, which are audited.
    audit_skip = frozenset({"search_text", "area_codes", "support_types", "modalities"})
    label: ClassVar[str]
    # Record-level columns the import controls, and their value when the cell is empty.
    defaults: ClassVar[dict[str, Any]]

    def fully_visible(self, actor: Actor) -> Any:
        raise NotImplementedError

    def visible(self, actor: Actor) -> Any:
        raise NotImplementedError

    # --- rows to candidates ---

    def build(self, rows: Sequence[SourceRow], cells: Cells, context: ImportContext) -> list[Candidate]:
        candidates = group_rows(rows, cells, context, alternate_key="reference", grouped=True)
        for candidate in candidates:
            read_record_fields(candidate, cells, self.defaults, grouped=True)
            self._organisation(candidate, cells, context)
            candidate.components = self._components(candidate, cells)
            status = _first(candidate, cells, "status")
            candidate.raw["status"] = status
            self.build_more(candidate, cells, context)
            starts_on, ends_on = candidate.values.get("starts_on"), candidate.values.get("ends_on")
            if starts_on and ends_on and ends_on < starts_on:
                candidate.error(cells.header_of.get("ends_on"), "The end is before the start.")
        return candidates

    def build_more(self, candidate: Candidate, cells: Cells, context: ImportContext) -> None:
        return None

    def _organisation(self, candidate: Candidate, cells: Cells, context: ImportContext) -> None:
        organisation: OrganisationInfo | None = None
        organisation_id = _first(candidate, cells, "organisation_id")
        name = _first(candidate, cells, "organisation")
        header = cells.header_of.get("organisation_id") or cells.header_of.get("organisation")
        try:
            if organisation_id is not None:
                organisation = context.organisations.find(str(organisation_id))
            elif name is not None:
                organisation = context.organisations.find(name)
        except CellError as error:
            candidate.error(header, error.message, value=str(organisation_id or name))
            candidate.raw["organisation_invalid"] = True
            return
        candidate.raw["organisation"] = organisation

    def _components(self, candidate: Candidate, cells: Cells) -> list[dict[str, Any]]:
        numbered: list[tuple[int | None, dict[str, Any], SourceRow]] = []
        for row in candidate.rows:
            values: dict[str, Any] = {}
            for key in ("area", "modalities", "support_types", "component_description", "component_number"):
                value = cells.get(row, key, candidate.issues)
                values[key] = None if value is INVALID else value
            if values["area"] is None:
                if cells.text(row, "area") is None:
                    candidate.error(cells.header_of.get("area"), "Give the component's area.", row=row.number)
                continue
            numbered.append((values.pop("component_number"), values, row))
        numbers = [number for number, _, _ in numbered]
        if any(number is not None for number in numbers):
            seen: dict[int, int] = {}
            for number, _, row in numbered:
                if number is None:
                    candidate.error(
                        cells.header_of.get("component_number"),
                        "Number every component of the record, or none.",
                        row=row.number,
                    )
                elif number in seen:
                    candidate.error(
                        cells.header_of.get("component_number"),
                        f"Component {number} of this record is also in row {seen[number]}.",
                        value=str(number),
                        row=row.number,
                    )
                else:
                    seen[number] = row.number
            numbered.sort(key=lambda item: item[0] or 0)
        if len(numbered) > MAX_COMPONENTS:
            candidate.error(cells.header_of.get("area"), f"A record has at most {MAX_COMPONENTS} components.")
        return [
            {
                "area_code": values["area"],
                "modalities": unique(values["modalities"] or []),
                "support_types": unique(values["support_types"] or []),
                "description": values["component_description"] or "",
            }
            for _, values, _ in numbered
        ]

    # --- existing records ---

    def select_columns(self) -> list[Any]:
        model = self.model
        return (
            [model.id, model.version, model.reference, model.organisation_id, model.country_iso3]
            + [getattr(model, name) for name in self.compared if name not in ("source", "external_id")]
            + [model.source, model.external_id]
        )

    async def load(self, session: AsyncSession, candidates: Sequence[Candidate], context: ImportContext) -> None:
        model = self.model
        keyed = [c for c in candidates if c.external_id]
        references = [str(c.alternate_key) for c in candidates if c.alternate_key]
        sources = [c.source or "" for c in keyed]
        external_ids = [c.external_id or "" for c in keyed]
        clauses: list[ColumnElement[bool]] = []
        if keyed:
            pairs = select(
                func.unnest(bindparam("sources", sources, type_=ARRAY(String))),
                func.unnest(bindparam("external_ids", external_ids, type_=ARRAY(String))),
            )
            clauses.append(tuple_(model.source, model.external_id).in_(pairs))
        if references:
            clauses.append(among(model.reference, references))
        rows = []
        if clauses:
            statement = select(*self.select_columns(), self.fully_visible(context.actor).label("full")).where(
                or_(*clauses)
            )
            rows = list((await session.execute(statement)).mappings())
        by_external = {(r["source"], r["external_id"]): r for r in rows if r["external_id"]}
        by_reference = {r["reference"]: r for r in rows}
        ids = [r["id"] for r in rows]
        components = await self._existing_components(session, ids)
        links = await self._existing_links(session, ids)
        for candidate in candidates:
            row = by_external.get((candidate.source, candidate.external_id)) if candidate.external_id else None
            if row is None and candidate.alternate_key:
                row = by_reference.get(str(candidate.alternate_key))
                if row is None and not candidate.external_id:
                    candidate.error(
                        self._header(candidate, "reference"),
                        f"No {self.label} has the reference {candidate.alternate_key}.",
                        value=str(candidate.alternate_key),
                    )
                    continue
                if (
                    row is not None
                    and candidate.external_id
                    and row["external_id"] not in (None, candidate.external_id)
                ):
                    candidate.error(
                        self._header(candidate, "reference"),
                        f"The {self.label} {candidate.alternate_key} has another external id ({row['external_id']}).",
                        value=str(candidate.alternate_key),
                    )
                    continue
            elif row is not None and candidate.alternate_key and row["reference"] != candidate.alternate_key:
                candidate.error(
                    self._header(candidate, "reference"),
                    f"The {self.label} with this external id has the reference {row['reference']}.",
                    value=str(candidate.alternate_key),
                )
                continue
            if row is None:
                continue
            candidate.existing = Existing(
                id=row["id"],
                version=row["version"],
                values={**dict(row), "full": bool(row["full"])},
                components=components.get(row["id"], []),
                links=links.get(row["id"]),
            )
        await self.resolve_references(session, candidates, context)

    def _header(self, candidate: Candidate, key: str) -> str:
        return str(candidate.raw.get("headers", {}).get(key, key))

    async def _existing_components(
        self, session: AsyncSession, ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, list[tuple[Any, ...]]]:
        if not ids:
            return {}
        table = self.component_model
        parent = getattr(table, self.components.parent_column)  # type: ignore[union-attr]
        statement = (
            select(parent, table.area_code, table.modalities, table.support_types, table.description)
            .where(among(parent, ids))
            .order_by(parent, table.position)
        )
        result: dict[uuid.UUID, list[tuple[Any, ...]]] = {}
        for row in (await session.execute(statement)).all():
            result.setdefault(row[0], []).append((row[1], list(row[2]), list(row[3]), row[4]))
        return result

    async def _existing_links(self, session: AsyncSession, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Any]]:
        return {}

    async def resolve_references(
        self, session: AsyncSession, candidates: Sequence[Candidate], context: ImportContext
    ) -> None:
        return None

    # --- deciding ---

    def may_write(self, actor: Actor, organisation_id: uuid.UUID, countries: Iterable[str | None]) -> bool:
        return (
            actor.is_secretariat
            or actor.can_edit_for(organisation_id)
            or any(actor.covers_country(country) for country in countries)
        )

    def organisation_problem(self, organisation: OrganisationInfo) -> str | None:
        raise NotImplementedError

    def decide(self, candidate: Candidate, context: ImportContext) -> None:
        actor = context.actor
        existing = candidate.existing
        organisation: OrganisationInfo | None = candidate.raw.get("organisation")
        header = self._header(candidate, "organisation")
        if existing is not None:
            if not existing.values["full"]:
                candidate.error(
                    self._header(candidate, "external_id"),
                    f"This {self.label} exists and you may not edit it.",
                    value=candidate.key_text,
                )
                return
            if organisation is not None and organisation.id != existing.values["organisation_id"]:
                candidate.error(header, f"The {self.label} belongs to another organisation; this cannot change.")
                return
            organisation = context.organisations.by_id.get(existing.values["organisation_id"])
            assert organisation is not None
            base = {name: existing.values[name] for name in self.compared}
        else:
            if organisation is None:
                if not candidate.raw.get("organisation_invalid"):
                    candidate.error(header, f"Name the organisation the {self.label} comes from.")
                return
            problem = self.organisation_problem(organisation)
            if problem:
                candidate.error(header, problem, value=organisation.name)
                return
            base = self.new_values(organisation, context)
        merged = {**base, **{k: v for k, v in candidate.values.items() if k in self.compared}}
        if merged.get("starts_on") and merged.get("ends_on") and merged["ends_on"] < merged["starts_on"]:
            candidate.error(self._header(candidate, "ends_on"), "The end is before the start.")
            return
        components = candidate.components or []
        if not components:
            candidate.error(self._header(candidate, "area"), "A record needs at least one component (an area).")
            return
        self.apply_rules(candidate, merged, components, context)
        if candidate.has_errors:
            return
        self._status(candidate, merged, components, context)
        if candidate.has_errors:
            return
        merged["area_codes"] = with_parents(c["area_code"] for c in components)
        merged["support_types"] = sorted({t for c in components for t in c["support_types"]})
        merged["modalities"] = sorted({m for c in components for m in c["modalities"]})
        reference = existing.values["reference"] if existing else "?"
        merged["search_text"] = search_text(reference, merged, components)
        if candidate.external_id:
            merged["source"], merged["external_id"] = candidate.source, candidate.external_id
        candidate.final = merged
        wanted_components = [
            (c["area_code"], c["modalities"], c["support_types"], c["description"]) for c in components
        ]
        if existing is None:
            candidate.outcome = "created"
            candidate.id = uuid.uuid4()
            candidate.components_changed = True
            candidate.links_changed = candidate.links is not None
            return
        candidate.id = existing.id
        changed = {name for name in self.compared if merged[name] != existing.values[name]}
        candidate.components_changed = wanted_components != existing.components
        candidate.links_changed = candidate.links is not None and sorted(map(str, candidate.links)) != sorted(
            map(str, existing.links or [])
        )
        if not (changed or candidate.components_changed or candidate.links_changed):
            candidate.outcome = "unchanged"
            return
        country = existing.values["country_iso3"]
        if not self.may_write(actor, organisation.id, [country, merged.get("proactive_target_iso3")]):
            candidate.error(header, f"You may not edit this {self.label}.", value=organisation.name)
            return
        status = existing.values["status"]
        if not actor.is_secretariat and status not in workflow.OWNER_EDITABLE:
            candidate.error(
                self._header(candidate, "external_id"),
                f"A {status.replace('_', ' ')} {self.label} is edited by the Secretariat only.",
                value=candidate.key_text,
            )
            return
        candidate.outcome = "updated"
        candidate.changes = {
            name: {"before": existing.values[name], "after": merged[name]}
            for name in sorted(changed)
            if name not in self.audit_skip
        }
        if candidate.components_changed:
            candidate.changes["components"] = {"before": existing.components, "after": wanted_components}
        if candidate.links_changed:
            candidate.changes["links"] = {"before": existing.links, "after": candidate.links}

    def new_values(self, organisation: OrganisationInfo, context: ImportContext) -> dict[str, Any]:
        values = {name: (default() if callable(default) else default) for name, default in self.defaults.items()}
        values.update(
            {
                "status": "draft",
                "rejection_reason": None,
                "submitted_at": None,
                "validated_at": None,
                "source": None,
                "external_id": None,
            }
        )
        return values

    def apply_rules(
        self, candidate: Candidate, merged: dict[str, Any], components: list[dict[str, Any]], context: ImportContext
    ) -> None:
        return None

    def scope_problem(
        self, merged: dict[str, Any], components: list[dict[str, Any]], context: ImportContext
    ) -> str | None:
        return None

    def _status(
        self, candidate: Candidate, merged: dict[str, Any], components: list[dict[str, Any]], context: ImportContext
    ) -> None:
        wanted: str | None = candidate.raw.get("status")
        current = merged["status"]
        header = self._header(candidate, "status")
        if candidate.existing is None:
            wanted = wanted or "draft"
            allowed = {"draft", "submitted"} | ({"validated"} if context.actor.is_secretariat else set())
            if wanted not in allowed:
                candidate.error(
                    header,
                    f"A new {self.label} is imported as {' or '.join(sorted(allowed))}.",
                    value=wanted,
                )
                return
            target = wanted
        elif wanted is None or wanted == current:
            return
        elif current == "draft" and wanted == "submitted":
            target = "submitted"
        else:
            candidate.warning(
                header,
                f"The status changes through the workflow, not by import: the {self.label} stays {current}.",
                value=wanted,
            )
            return
        if target == "draft":
            return
        problem = self.scope_problem(merged, components, context)
        if problem and target == "validated":
            candidate.error(header, problem)
            return
        merged["submitted_at"] = context.now
        if problem:
            merged["status"], merged["rejection_reason"] = "rejected", problem
            candidate.warning(header, "Submitted out of scope, so recorded as rejected: " + problem, value=wanted)
            return
        merged["status"] = target
        if target == "validated":
            merged["validated_at"] = context.now

    async def export_rows(self, session: AsyncSession, actor: Actor, context: ImportContext) -> list[dict[str, Any]]:
        return await export_commitments(session, self, actor, context)

    # --- writing ---

    def insert_values(self, candidate: Candidate, context: ImportContext) -> dict[str, Any]:
        organisation = candidate.raw["organisation"]
        return {
            "organisation_id": organisation.id,
            "country_iso3": organisation.country_iso3,
            "contacts": [],
            "attachments": [],
            "closed_at": None,
        }

    async def prepare_new(self, session: AsyncSession, candidates: Sequence[Candidate]) -> None:
        """References for new records, from the same sequence the API uses (one round trip)."""
        new = [c for c in candidates if c.outcome == "created"]
        if not new:
            return
        numbers = (
            await session.execute(
                text(f"SELECT nextval('{self.reference_sequence}') FROM generate_series(1, :n)"),  # noqa: S608 - a constant
                {"n": len(new)},
            )
        ).scalars()
        for candidate, number in zip(new, numbers, strict=True):
            reference = f"{self.reference_prefix}-{candidate.raw['year']}-{number:05d}"
            candidate.final["reference"] = reference
            candidate.final["search_text"] = search_text(reference, candidate.final, candidate.components or [])


def _first(candidate: Candidate, cells: Cells, key: str) -> Any:
    """A record-level value that is not stored as a column (the organisation, the status)."""
    from api.imports.kinds.base import record_value

    if not cells.present(key):
        return None
    value = record_value(candidate, cells, key)
    return None if value is INVALID else value


def search_text(reference: str, values: dict[str, Any], components: Sequence[dict[str, Any]]) -> str:
    """What `refresh_denormalised` writes: the reference, title, public summary and component descriptions."""
    parts = [reference, values.get("title"), values.get("public_summary"), *(c["description"] for c in components)]
    return "\n".join(part for part in parts if part)


# --- requests ---------------------------------------------------------------------------------------------


class RequestKind(CommitmentKind):
    name = "requests"
    titles: ClassVar[dict[str, str]] = labels("Support requests", "Demandes d'appui", "Solicitudes de apoyo")
    table = SupportRequest.__table__  # type: ignore[assignment]
    model = SupportRequest
    component_model = SupportRequestComponent
    resource = "support_request"
    reference_prefix = "REQ"
    reference_sequence = "support_request_reference_seq"
    label = "request"
    read_scope = "requests:read"
    compared = (
        "title",
        "status",
        "public_summary",
        "confidential_details",
        "languages",
        "starts_on",
        "ends_on",
        "allow_publication",
        "rejection_reason",
        "submitted_at",
        "validated_at",
        "area_codes",
        "support_types",
        "modalities",
        "search_text",
        "commitment_text",
        "qualities",
        "urgency",
        "is_establishing_system",
        "context",
        "source",
        "external_id",
    )
    defaults: ClassVar[dict[str, Any]] = {
        "title": "",
        "languages": list,
        "starts_on": None,
        "ends_on": None,
        "public_summary": "",
        "confidential_details": "",
        "allow_publication": False,
        "commitment_text": "",
        "qualities": list,
        "urgency": "normal",
        "is_establishing_system": False,
        "context": "",
    }
    components = ComponentTable(
        table=SupportRequestComponent.__table__,  # type: ignore[arg-type]
        parent_column="request_id",
        columns=("area_code", "modalities", "support_types", "description"),
        insert_defaults={"status": "open"},
    )
    link = LinkTable(
        table=SupportRequestPledge.__table__,  # type: ignore[arg-type]
        parent_column="request_id",
        columns=("pledge_id",),
    )

    def columns(self, context: ImportContext) -> list[Column]:
        qualities = sorted(context.codes("qualities"))
        return [
            *_key_columns(),
            *_organisation_columns(
                labels(
                    "The requesting State's government or institution (id); or its name in the next column; "
                    "or leave both empty to use the government of the country",
                    "Le gouvernement ou l'institution de l'État demandeur (identifiant) ; ou son nom dans la "
                    "colonne suivante ; ou laissez les deux vides pour le gouvernement du pays",
                    "El gobierno o la institución del Estado solicitante (identificador); o su nombre en la "
                    "columna siguiente; o deje ambas vacías para el gobierno del país",
                )
            ),
            column(
                "country",
                labels("Country", "Pays", "País"),
                "country",
                country_parser(context),
                help_text=labels("The requesting State", "L'État demandeur", "El Estado solicitante"),
            ),
            *_common_columns(context)[:2],
            column(
                "urgency",
                labels("Urgency", "Urgence", "Urgencia"),
                "code",
                code_parser(URGENCIES),
                choices=list(URGENCIES),
            ),
            column(
                "is_establishing_system",
                labels(
                    "Establishing an asylum system",
                    "Mise en place d'un système d'asile",
                    "Establecimiento de un sistema de asilo",
                ),
                "bool",
                parse_bool,
            ),
            column(
                "qualities",
                labels("Qualities", "Qualités", "Cualidades"),
                "codes",
                codes_parser(qualities, context.vocabulary_labels.get("qualities")),
                choices=qualities,
            ),
            *_common_columns(context)[2:],
            column(
                "commitment_text",
                labels("Commitment", "Engagement pris", "Compromiso"),
                "text",
                text_parser(max_length=20_000),
                confidential=True,
            ),
            column(
                "context",
                labels("Context", "Contexte", "Contexto"),
                "text",
                text_parser(max_length=20_000),
                confidential=True,
            ),
            column(
                "pledges",
                labels("Pledges", "Promesses", "Promesas"),
                "list",
                parse_list,
                help_text=labels(
                    "The GCR pledges the request stems from (their external ids), separated by ;",
                    "Les promesses du Pacte mondial d'où vient la demande (identifiants externes), séparées par ;",
                    "Las promesas del Pacto Mundial de las que procede la solicitud (identificadores), separadas por ;",
                ),
            ),
            *_component_columns(context),
        ]

    def may_import(self, actor: Actor) -> bool:
        return (
            actor.is_secretariat
            or bool(actor.unhcr_countries)
            or any(
                m.organisation_kind in STATE_KINDS and m.role in ("focal_point", "editor") for m in actor.memberships
            )
        )

    def fully_visible(self, actor: Actor) -> Any:
        return requests_repository.fully_visible_to(actor)

    def visible(self, actor: Actor) -> Any:
        return requests_repository.visible_to(actor)

    def build_more(self, candidate: Candidate, cells: Cells, context: ImportContext) -> None:
        country = _first(candidate, cells, "country")
        organisation: OrganisationInfo | None = candidate.raw.get("organisation")
        header = cells.header_of.get("country")
        if organisation is None and country and not candidate.raw.get("organisation_invalid"):
            governments = context.organisations.governments(country)
            if len(governments) == 1:
                candidate.raw["organisation"] = governments[0]
            else:
                candidate.raw["country_only"] = country
        elif organisation is not None and country and organisation.country_iso3 != country:
            candidate.error(
                header, f"{organisation.name} is not from {country}.", value=cells.text(candidate.rows[0], "country")
            )
        pledges = _first(candidate, cells, "pledges")
        if cells.present("pledges"):
            candidate.raw["pledges"] = pledges or []
        candidate.raw["headers"] = dict(cells.header_of)
        candidate.raw["year"] = context.now.year

    def organisation_problem(self, organisation: OrganisationInfo) -> str | None:
        if not organisation.is_active:
            return f"{organisation.name} is not active."
        if organisation.kind not in STATE_KINDS:
            return "A request comes from a State's government or one of its institutions."
        if organisation.country_iso3 is None:
            return "The requesting organisation has no country."
        return None

    def decide(self, candidate: Candidate, context: ImportContext) -> None:
        if (
            candidate.existing is None
            and candidate.raw.get("organisation") is None
            and candidate.raw.get("country_only")
        ):
            candidate.error(
                self._header(candidate, "country"),
                f"{candidate.raw['country_only']} has no single government organisation: name the organisation.",
            )
            return
        organisation: OrganisationInfo | None = candidate.raw.get("organisation")
        if (
            candidate.existing is None
            and organisation is not None
            and not self.organisation_problem(organisation)
            and not self.may_write(context.actor, organisation.id, [organisation.country_iso3])
        ):
            candidate.error(
                self._header(candidate, "organisation"),
                f"You may not import requests of {organisation.name}.",
                value=organisation.name,
            )
            return
        super().decide(candidate, context)

    def scope_problem(
        self, merged: dict[str, Any], components: list[dict[str, Any]], context: ImportContext
    ) -> str | None:
        return scope_problem(
            [c["area_code"] for c in components],
            _AreaFlags(context.areas),
            establishing=bool(merged.get("is_establishing_system")),
        )

    async def _existing_links(self, session: AsyncSession, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Any]]:
        if not ids:
            return {}
        statement = select(SupportRequestPledge.request_id, SupportRequestPledge.pledge_id).where(
            among(SupportRequestPledge.request_id, ids)
        )
        result: dict[uuid.UUID, list[Any]] = {i: [] for i in ids}
        for request_id, pledge_id in (await session.execute(statement)).all():
            result[request_id].append((pledge_id,))
        return result

    async def resolve_references(
        self, session: AsyncSession, candidates: Sequence[Candidate], context: ImportContext
    ) -> None:
        wanted = {ref for c in candidates for ref in c.raw.get("pledges") or []}
        found = await resolve_pledges(session, wanted)
        for candidate in candidates:
            if "pledges" not in candidate.raw:
                continue
            links: list[Any] = []
            for ref in candidate.raw["pledges"]:
                pledge_id = found.get(ref)
                if isinstance(pledge_id, str):
                    candidate.error(self._header(candidate, "pledges"), pledge_id, value=ref)
                else:
                    links.append((pledge_id,))
            candidate.links = unique(links)


class _AreaFlags(dict[str, Any]):
    """The area map `scope_problem` reads (`areas[code].is_asylum_system`), from the import's flags."""

    def __init__(self, flags: dict[str, bool]) -> None:
        super().__init__({code: _Flag(flag) for code, flag in flags.items()})


class _Flag:
    def __init__(self, is_asylum_system: bool) -> None:
        self.is_asylum_system = is_asylum_system


async def resolve_pledges(session: AsyncSession, refs: Iterable[str]) -> dict[str, uuid.UUID | str]:
    """Pledges by id or external id: the id, or the reason it cannot be used."""
    refs = set(refs)
    if not refs:
        return {}
    ids: list[uuid.UUID] = []
    for ref in refs:
        try:
            ids.append(uuid.UUID(ref))
        except ValueError:
            continue
    statement = select(Pledge.id, Pledge.external_id).where(
        or_(
            among(Pledge.external_id, sorted(refs)),
            among(Pledge.id, ids),
        )
    )
    by_external: dict[str, list[uuid.UUID]] = {}
    by_id: dict[str, uuid.UUID] = {}
    for pledge_id, external_id in (await session.execute(statement)).all():
        by_external.setdefault(external_id, []).append(pledge_id)
        by_id[str(pledge_id)] = pledge_id
    result: dict[str, uuid.UUID | str] = {}
    for ref in refs:
        if ref in by_id or ref.lower() in by_id:
            result[ref] = by_id.get(ref) or by_id[ref.lower()]
        elif len(by_external.get(ref, [])) == 1:
            result[ref] = by_external[ref][0]
        elif by_external.get(ref):
            result[ref] = f'Several pledges have the external id "{ref}"; use the pledge\'s id.'
        else:
            result[ref] = f'No pledge has the id or external id "{ref}".'
    return result


# --- offers -----------------------------------------------------------------------------------------------


class OfferKind(CommitmentKind):
    name = "offers"
    titles: ClassVar[dict[str, str]] = labels("Support offers", "Offres d'appui", "Ofertas de apoyo")
    table = SupportOffer.__table__  # type: ignore[assignment]
    model = SupportOffer
    component_model = SupportOfferComponent
    resource = "support_offer"
    reference_prefix = "OFF"
    reference_sequence = "support_offer_reference_seq"
    label = OFFER_LABEL
    read_scope = "offers:read"
    compared = (
        "title",
        "status",
        "public_summary",
        "confidential_details",
        "languages",
        "starts_on",
        "ends_on",
        "allow_publication",
        "rejection_reason",
        "submitted_at",
        "validated_at",
        "area_codes",
        "support_types",
        "modalities",
        "search_text",
        "pledge_id",
        "serves_any",
        "served_countries",
        "served_regions",
        "served_bureaux",
        "excluded_countries",
        "capacity",
        "proactive_target_iso3",
        "source",
        "external_id",
    )
    defaults: ClassVar[dict[str, Any]] = {
        "title": "",
        "languages": list,
        "starts_on": None,
        "ends_on": None,
        "public_summary": "",
        "confidential_details": "",
        "allow_publication": False,
        "serves_any": True,
        "served_countries": list,
        "served_regions": list,
        "served_bureaux": list,
        "excluded_countries": list,
        "capacity": 1,
        "proactive_target_iso3": None,
    }
    components = ComponentTable(
        table=SupportOfferComponent.__table__,  # type: ignore[arg-type]
        parent_column="offer_id",
        columns=("area_code", "modalities", "support_types", "description"),
    )

    def columns(self, context: ImportContext) -> list[Column]:
        regions = sorted(context.regions)
        bureaux = sorted(context.bureaux)
        return [
            *_key_columns(),
            *_organisation_columns(
                labels(
                    "The offering State institution or stakeholder (id); or its name in the next column",
                    "L'institution de l'État ou la partie prenante qui offre (identifiant) ; ou son nom dans la "
                    "colonne suivante",
                    "La institución del Estado o la parte interesada que ofrece (identificador); o su nombre en la "
                    "columna siguiente",
                )
            ),
            *_common_columns(context)[:2],
            column(
                "serves_any",
                labels("Serves any country", "Pour tout pays", "Para cualquier país"),
                "bool",
                parse_bool,
                help_text=labels(
                    "yes (default), or no and list the countries, regions or bureaux served",
                    "oui (par défaut), ou non et listez les pays, régions ou bureaux servis",
                    "sí (por defecto), o no y enumere los países, regiones u oficinas atendidos",
                ),
            ),
            column(
                "served_countries",
                labels("Countries served", "Pays servis", "Países atendidos"),
                "list",
                countries_parser(context),
            ),
            column(
                "served_regions",
                labels("Regions served", "Régions servies", "Regiones atendidas"),
                "codes",
                codes_parser(regions),
                choices=regions,
            ),
            column(
                "served_bureaux",
                labels("Bureaux served", "Bureaux servis", "Oficinas atendidas"),
                "codes",
                codes_parser(bureaux),
                choices=bureaux,
            ),
            column(
                "excluded_countries",
                labels("Countries excluded", "Pays exclus", "Países excluidos"),
                "list",
                countries_parser(context),
                confidential=True,
            ),
            column(
                "capacity",
                labels("Capacity", "Capacité", "Capacidad"),
                "int",
                int_parser(min_value=1, max_value=100),
                help_text=labels(
                    "Engagements the offerer can take on at once (default 1)",
                    "Engagements que l'offrant peut mener en même temps (1 par défaut)",
                    "Compromisos que el oferente puede asumir a la vez (1 por defecto)",
                ),
                confidential=True,
            ),
            column(
                "proactive_target_iso3",
                labels(
                    "Proactive target country", "Pays visé (offre proactive)", "País destinatario (oferta proactiva)"
                ),
                "country",
                country_parser(context),
                confidential=True,
            ),
            column(
                "pledge",
                labels("Pledge", "Promesse", "Promesa"),
                "text",
                text_parser(min_length=1, max_length=200),
                help_text=labels(
                    "The GCR pledge the offer is made under (its external id)",
                    "La promesse du Pacte mondial dans laquelle s'inscrit l'offre (identifiant externe)",
                    "La promesa del Pacto Mundial en la que se enmarca la oferta (identificador externo)",
                ),
            ),
            *_common_columns(context)[2:],
            *_component_columns(context),
        ]

    def may_import(self, actor: Actor) -> bool:
        return (
            actor.is_secretariat
            or bool(actor.unhcr_countries)
            or any(
                m.organisation_kind in OFFERING_KINDS and m.role in ("focal_point", "editor") for m in actor.memberships
            )
        )

    def fully_visible(self, actor: Actor) -> Any:
        return offers_repository.fully_visible_to(actor)

    def visible(self, actor: Actor) -> Any:
        return offers_repository.visible_to(actor)

    def build_more(self, candidate: Candidate, cells: Cells, context: ImportContext) -> None:
        if cells.present("pledge"):
            candidate.raw["pledge"] = _first(candidate, cells, "pledge")
        candidate.raw["headers"] = dict(cells.header_of)
        candidate.raw["year"] = context.now.year

    def organisation_problem(self, organisation: OrganisationInfo) -> str | None:
        if not organisation.is_active:
            return f"{organisation.name} is not active."
        if organisation.kind not in OFFERING_KINDS:
            return "An offer comes from a State institution or a stakeholder."
        return None

    def decide(self, candidate: Candidate, context: ImportContext) -> None:
        organisation: OrganisationInfo | None = candidate.raw.get("organisation")
        if candidate.existing is None and organisation is not None and not self.organisation_problem(organisation):
            target = candidate.values.get("proactive_target_iso3")
            if not self.may_write(context.actor, organisation.id, [organisation.country_iso3, target]):
                candidate.error(
                    self._header(candidate, "organisation"),
                    f"You may not import offers of {organisation.name}.",
                    value=organisation.name,
                )
                return
        super().decide(candidate, context)

    def apply_rules(
        self, candidate: Candidate, merged: dict[str, Any], components: list[dict[str, Any]], context: ImportContext
    ) -> None:
        if not any(TECHNICAL in c["support_types"] for c in components):
            candidate.error(
                self._header(candidate, "support_types"),
                "Every offer must include technical exchange: mark at least one component with the 'technical' "
                "support type. Material or financial support is welcome alongside it, not alone.",
            )
        if merged["serves_any"]:
            merged["served_countries"], merged["served_regions"], merged["served_bureaux"] = [], [], []
        elif not (merged["served_countries"] or merged["served_regions"] or merged["served_bureaux"]):
            candidate.error(
                self._header(candidate, "served_countries"),
                "Say which countries, regions or bureaux the offer serves, or serve any.",
            )
        if "pledge" in candidate.raw:
            merged["pledge_id"] = candidate.raw.get("pledge_id")

    async def resolve_references(
        self, session: AsyncSession, candidates: Sequence[Candidate], context: ImportContext
    ) -> None:
        wanted = {c.raw["pledge"] for c in candidates if c.raw.get("pledge")}
        found = await resolve_pledges(session, wanted)
        for candidate in candidates:
            ref = candidate.raw.get("pledge")
            if ref is None:
                continue
            pledge_id = found.get(ref)
            if isinstance(pledge_id, str) or pledge_id is None:
                candidate.error(self._header(candidate, "pledge"), str(pledge_id), value=ref)
            else:
                candidate.raw["pledge_id"] = pledge_id

    def new_values(self, organisation: OrganisationInfo, context: ImportContext) -> dict[str, Any]:
        values = super().new_values(organisation, context)
        values["pledge_id"] = None
        return values


# --- exports ----------------------------------------------------------------------------------------------


async def _pledge_labels(session: AsyncSession) -> tuple[dict[uuid.UUID, str], set[uuid.UUID]]:
    """How exports name pledges (their external id, or their id when another pledge shares it), and which
    are published."""
    shared = func.count().over(partition_by=Pledge.external_id)
    rows = (await session.execute(select(Pledge.id, Pledge.external_id, Pledge.is_published, shared.label("n")))).all()
    return (
        {row.id: row.external_id if row.n == 1 else str(row.id) for row in rows},
        {row.id for row in rows if row.is_published},
    )


async def export_commitments(
    session: AsyncSession, kind: CommitmentKind, actor: Actor, context: ImportContext
) -> list[dict[str, Any]]:
    model = kind.model
    statement = (
        select(model, kind.fully_visible(actor).label("full")).where(kind.visible(actor)).order_by(model.reference)
    )
    records = (await session.execute(statement)).all()
    ids = [record.id for record, _ in records]
    components = await kind._existing_components(session, ids)
    pledge_names, published = await _pledge_labels(session)
    links: dict[uuid.UUID, list[Any]] = await kind._existing_links(session, ids)
    confidential = {c.key for c in kind.columns(context) if c.confidential}
    rows: list[dict[str, Any]] = []
    for record, full in records:
        organisation = context.organisations.by_id.get(record.organisation_id)
        base: dict[str, Any] = {
            "external_id": record.external_id,
            "source": record.source,
            "reference": record.reference,
            "organisation_id": record.organisation_id,
            "organisation": organisation.name if organisation else None,
            "country": record.country_iso3 if isinstance(record, SupportRequest) else None,
            **{key: getattr(record, key) for key in kind.defaults},
            "status": record.status,
        }
        if isinstance(record, SupportRequest):
            pledge_ids = [link[0] for link in links.get(record.id, [])]
            base["pledges"] = sorted(pledge_names[p] for p in pledge_ids if full or p in published)
        else:
            pledge_id = record.pledge_id
            base["pledge"] = pledge_names.get(pledge_id) if pledge_id and (full or pledge_id in published) else None
        if not full:
            for key in confidential:
                base[key] = None
        for position, (area, modalities, support_types, description) in enumerate(components.get(record.id, [])):
            rows.append(
                {
                    **base,
                    "component_number": position + 1,
                    "area": area,
                    "modalities": modalities,
                    "support_types": support_types,
                    "component_description": description,
                }
            )
    return rows
