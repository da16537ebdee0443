"""Pledges, organisations and existing support: one row per record."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, ClassVar

from sqlalchemy import ARRAY, ColumnElement, String, bindparam, func, or_, select, true, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from api.commitments.validation import with_parents
from api.core.actor import Actor
from api.core.sql import among
from api.existing_support import repository as existing_repository
from api.imports.kinds.base import (
    INVALID,
    Candidate,
    Cells,
    Column,
    Existing,
    ImportContext,
    ImportKind,
    LinkTable,
    OrganisationInfo,
    code_parser,
    codes_parser,
    column,
    country_parser,
    group_rows,
    labels,
    read_record_fields,
    source_parser,
    text_parser,
    unique,
    uuid_parser,
)
from api.imports.parsing import CellError, SourceRow, normalise, parse_bool, parse_date, parse_list
from api.models.commitments import EXISTING_SUPPORT_SOURCES, PUBLIC_STAGES, ExistingSupport, Pledge, PledgeOrganisation
from api.models.identity import Organisation
from api.pledges.repository import visible_to as pledge_visible_to
from api.pledges.service import may_write as may_write_pledges

STATE_KINDS = ("state_government", "state_institution")
IMPORTED_ORGANISATION_KINDS = ("state_government", "state_institution", "stakeholder")


def _external_id_column(required: bool = False) -> Column:
    return column(
        "external_id",
        labels("External ID", "Identifiant externe", "Identificador externo"),
        "text",
        text_parser(min_length=1, max_length=200),
        required=required,
        help_text=labels(
            "The record's id in its source system: importing again with the same id updates it",
            "L'identifiant de la fiche dans son système d'origine : la réimporter avec cet identifiant la met à jour",
            "El identificador del registro en su sistema de origen: importarlo de nuevo con el mismo lo actualiza",
        ),
    )


def _source_column() -> Column:
    return column("source", labels("Source", "Source", "Fuente"), "text", source_parser)


def _id_column() -> Column:
    return column(
        "id",
        labels("ID", "ID", "ID"),
        "text",
        uuid_parser,
        help_text=labels(
            "The platform's id of the record (exports fill it): identifies a record without an external id",
            "L'identifiant de la fiche sur la plateforme (les exports le remplissent) : identifie une fiche sans "
            "identifiant externe",
            "El identificador del registro en la plataforma (las exportaciones lo rellenan): identifica un registro "
            "sin identificador externo",
        ),
    )


class FlatKind(ImportKind):
    model: ClassVar[Any]
    label: ClassVar[str]
    defaults: ClassVar[dict[str, Any]]

    def full(self, actor: Actor) -> Any:
        return true()

    def build(self, rows: Sequence[SourceRow], cells: Cells, context: ImportContext) -> list[Candidate]:
        candidates = group_rows(rows, cells, context, alternate_key=self.alternate_key, grouped=False)
        for candidate in candidates:
            candidate.raw["headers"] = dict(cells.header_of)
            read_record_fields(candidate, cells, self.defaults, grouped=False)
            self.build_more(candidate, cells, context)
            starts_on, ends_on = candidate.values.get("starts_on"), candidate.values.get("ends_on")
            if starts_on and ends_on and ends_on < starts_on:
                candidate.error(cells.header_of.get("ends_on"), "The end is before the start.")
        return candidates

    def build_more(self, candidate: Candidate, cells: Cells, context: ImportContext) -> None:
        return None

    def header(self, candidate: Candidate, key: str) -> str:
        return str(candidate.raw.get("headers", {}).get(key, key))

    async def load(self, session: AsyncSession, candidates: Sequence[Candidate], context: ImportContext) -> None:
        model = self.model
        keyed = [c for c in candidates if c.external_id]
        ids = [c.alternate_key for c in candidates if isinstance(c.alternate_key, uuid.UUID)]
        clauses: list[ColumnElement[bool]] = []
        if keyed:
            pairs = select(
                func.unnest(bindparam("sources", [c.source or "" for c in keyed], type_=ARRAY(String))),
                func.unnest(bindparam("external_ids", [c.external_id or "" for c in keyed], type_=ARRAY(String))),
            )
            clauses.append(tuple_(model.source, model.external_id).in_(pairs))
        if ids:
            clauses.append(among(model.id, ids))
        rows = []
        if clauses:
            columns = [
                model.id,
                *(getattr(model, name) for name in self.compared if name not in ("source", "external_id")),
            ]
            if self.versioned:
                columns.append(model.version)
            statement = select(*columns, model.source, model.external_id, self.full(context.actor).label("full")).where(
                or_(*clauses)
            )
            rows = list((await session.execute(statement)).mappings())
        by_external = {(r["source"], r["external_id"]): r for r in rows if r["external_id"]}
        by_id = {r["id"]: r for r in rows}
        links = await self.existing_links(session, list(by_id))
        for candidate in candidates:
            row = by_external.get((candidate.source, candidate.external_id)) if candidate.external_id else None
            if row is None and isinstance(candidate.alternate_key, uuid.UUID):
                row = by_id.get(candidate.alternate_key)
                if row is None and not candidate.external_id:
                    candidate.error(
                        self.header(candidate, "id"),
                        f"No {self.label} has this id.",
                        value=str(candidate.alternate_key),
                    )
                    continue
                if (
                    row is not None
                    and candidate.external_id
                    and row["external_id"] not in (None, candidate.external_id)
                ):
                    candidate.error(
                        self.header(candidate, "id"),
                        f"This {self.label} has another external id ({row['external_id']}).",
                        value=str(candidate.alternate_key),
                    )
                    continue
            elif (
                row is not None
                and isinstance(candidate.alternate_key, uuid.UUID)
                and row["id"] != candidate.alternate_key
            ):
                candidate.error(
                    self.header(candidate, "id"),
                    f"The {self.label} with this external id has another id ({row['id']}).",
                    value=str(candidate.alternate_key),
                )
                continue
            if row is not None:
                candidate.existing = Existing(
                    id=row["id"],
                    version=row["version"] if self.versioned else None,
                    values=dict(row),
                    links=links.get(row["id"]),
                )
        await self.resolve_references(session, candidates, context)

    async def existing_links(self, session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[Any]]:
        return {}

    async def resolve_references(
        self, session: AsyncSession, candidates: Sequence[Candidate], context: ImportContext
    ) -> None:
        return None

    def new_values(self, candidate: Candidate, context: ImportContext) -> dict[str, Any]:
        values = {name: (default() if callable(default) else default) for name, default in self.defaults.items()}
        values.update({"source": None, "external_id": None})
        return values

    def rules(self, candidate: Candidate, merged: dict[str, Any], context: ImportContext) -> None:
        return None

    def may_write(self, actor: Actor, merged: dict[str, Any], existing: Existing | None) -> str | None:
        """Why the caller may not write this record (None when they may)."""
        return None

    def decide(self, candidate: Candidate, context: ImportContext) -> None:
        existing = candidate.existing
        if existing is not None and not existing.values["full"]:
            candidate.error(
                self.header(candidate, "external_id"),
                f"This {self.label} exists and you may not edit it.",
                value=candidate.key_text,
            )
            return
        base = (
            {name: existing.values[name] for name in self.compared}
            if existing is not None
            else self.new_values(candidate, context)
        )
        merged = {**base, **{k: v for k, v in candidate.values.items() if k in self.compared}}
        if candidate.external_id:
            merged["source"], merged["external_id"] = candidate.source, candidate.external_id
        self.rules(candidate, merged, context)
        if candidate.has_errors:
            return
        candidate.final = merged
        if existing is None:
            refusal = self.may_write(context.actor, merged, None)
            if refusal:
                candidate.error(self.header(candidate, "external_id"), refusal, value=candidate.key_text)
                return
            candidate.outcome, candidate.id = "created", uuid.uuid4()
            candidate.links_changed = candidate.links is not None
            return
        candidate.id = existing.id
        changed = {name for name in self.compared if merged[name] != existing.values[name]}
        candidate.links_changed = candidate.links is not None and sorted(map(str, candidate.links)) != sorted(
            map(str, existing.links or [])
        )
        if not changed and not candidate.links_changed:
            candidate.outcome = "unchanged"
            return
        refusal = self.may_write(context.actor, merged, existing)
        if refusal:
            candidate.error(self.header(candidate, "external_id"), refusal, value=candidate.key_text)
            return
        candidate.outcome = "updated"
        candidate.changes = {
            name: {"before": existing.values[name], "after": merged[name]}
            for name in sorted(changed)
            if name not in self.audit_skip
        }
        if candidate.links_changed:
            candidate.changes["links"] = {"before": existing.links, "after": candidate.links}


def _organisation_refs(context: ImportContext, text: str) -> list[OrganisationInfo]:
    found: list[OrganisationInfo] = []
    problems: list[str] = []
    for item in parse_list(text):
        try:
            found.append(context.organisations.find(item))
        except CellError as error:
            problems.append(error.message)
    if problems:
        raise CellError(" ".join(problems))
    return list({o.id: o for o in found}.values())


# --- pledges ----------------------------------------------------------------------------------------------


class PledgeKind(FlatKind):
    name = "pledges"
    titles: ClassVar[dict[str, str]] = labels("Pledges", "Promesses", "Promesas")
    table = Pledge.__table__  # type: ignore[assignment]
    model = Pledge
    resource = "pledge"
    label = "pledge"
    read_scope = "pledges:read"
    compared = (
        "source_event",
        "title",
        "description",
        "pledge_types",
        "areas",
        "stage",
        "submitted_on",
        "is_published",
        "source",
        "external_id",
    )
    defaults: ClassVar[dict[str, Any]] = {
        "source_event": "",
        "title": "",
        "description": "",
        "pledge_types": list,
        "areas": list,
        "stage": None,
        "submitted_on": None,
        "is_published": True,
    }
    link = LinkTable(
        table=PledgeOrganisation.__table__,  # type: ignore[arg-type]
        parent_column="pledge_id",
        columns=("organisation_id", "is_lead"),
    )

    def columns(self, context: ImportContext) -> list[Column]:
        events = sorted(context.codes("pledge_source_events"))
        types = sorted(context.codes("pledge_types"))
        areas = sorted(context.areas)
        return [
            _external_id_column(required=True),
            _source_column(),
            column(
                "source_event",
                labels("Event", "Événement", "Evento"),
                "code",
                code_parser(events, context.vocabulary_labels.get("pledge_source_events")),
                required=True,
                choices=events,
            ),
            column(
                "title",
                labels("Title", "Titre", "Título"),
                "text",
                text_parser(min_length=3, max_length=500),
                required=True,
            ),
            column(
                "description",
                labels("Description", "Description", "Descripción"),
                "text",
                text_parser(max_length=20_000),
            ),
            column(
                "pledge_types",
                labels("Pledge types", "Types de promesse", "Tipos de promesa"),
                "codes",
                codes_parser(types, context.vocabulary_labels.get("pledge_types")),
                choices=types,
            ),
            column("areas", labels("Areas", "Domaines", "Áreas"), "codes", codes_parser(areas), choices=areas),
            column(
                "stage",
                labels("Stage", "Étape", "Etapa"),
                "code",
                code_parser(PUBLIC_STAGES, context.vocabulary_labels.get("public_stages")),
                choices=list(PUBLIC_STAGES),
            ),
            column("submitted_on", labels("Submitted on", "Soumise le", "Presentada el"), "date", parse_date),
            column("is_published", labels("Published", "Publiée", "Publicada"), "bool", parse_bool),
            column(
                "organisations",
                labels("Pledging organisations", "Organisations qui s'engagent", "Organizaciones que se comprometen"),
                "list",
                lambda text: _organisation_refs(context, text),
                help_text=labels(
                    "Names or ids separated by ; the first one leads",
                    "Noms ou identifiants séparés par ; la première mène",
                    "Nombres o identificadores separados por ; la primera lidera",
                ),
            ),
        ]

    def may_import(self, actor: Actor) -> bool:
        return may_write_pledges(actor)

    def build_more(self, candidate: Candidate, cells: Cells, context: ImportContext) -> None:
        if cells.present("organisations"):
            organisations = cells.get(candidate.rows[0], "organisations", candidate.issues)
            if organisations is not INVALID:
                candidate.links = [(o.id, position == 0) for position, o in enumerate(organisations or [])]

    def rules(self, candidate: Candidate, merged: dict[str, Any], context: ImportContext) -> None:
        merged["pledge_types"] = unique(merged["pledge_types"])
        merged["areas"] = unique(merged["areas"])
        if candidate.existing is None and not candidate.links:
            candidate.error(self.header(candidate, "organisations"), "Name at least one pledging organisation.")
        for key in ("source_event", "title"):
            if not merged[key]:
                candidate.error(self.header(candidate, key), "Required.")

    def may_write(self, actor: Actor, merged: dict[str, Any], existing: Existing | None) -> str | None:
        return None if may_write_pledges(actor) else "Only the Secretariat records pledges."

    async def export_rows(self, session: AsyncSession, actor: Actor, context: ImportContext) -> list[dict[str, Any]]:
        statement = select(Pledge).where(pledge_visible_to(actor)).order_by(Pledge.source, Pledge.external_id)
        pledges = (await session.execute(statement)).scalars().all()
        links = await self.existing_links(session, [p.id for p in pledges])
        names = organisation_names(context)
        rows = []
        for pledge in pledges:
            # The lead first, as the import reads it back.
            entities = sorted(links.get(pledge.id, []), key=lambda link: (not link[1], names.get(link[0], "")))
            rows.append(
                {
                    **{key: getattr(pledge, key) for key in self.compared},
                    "organisations": [
                        names.get(organisation_id, str(organisation_id)) for organisation_id, _ in entities
                    ],
                }
            )
        return rows

    async def existing_links(self, session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[Any]]:
        if not ids:
            return {}
        statement = select(
            PledgeOrganisation.pledge_id, PledgeOrganisation.organisation_id, PledgeOrganisation.is_lead
        ).where(among(PledgeOrganisation.pledge_id, ids))
        result: dict[uuid.UUID, list[Any]] = {i: [] for i in ids}
        for pledge_id, organisation_id, is_lead in (await session.execute(statement)).all():
            result[pledge_id].append((organisation_id, is_lead))
        return result


# --- organisations ----------------------------------------------------------------------------------------


class OrganisationKind(FlatKind):
    name = "organisations"
    titles: ClassVar[dict[str, str]] = labels("Organisations", "Organisations", "Organizaciones")
    table = Organisation.__table__  # type: ignore[assignment]
    model = Organisation
    label = "organisation"
    versioned = False
    alternate_key = "id"
    compared = (
        "name",
        "short_name",
        "contributor_type",
        "country_iso3",
        "website",
        "description",
        "source",
        "external_id",
    )
    defaults: ClassVar[dict[str, Any]] = {
        "name": "",
        "short_name": None,
        "contributor_type": None,
        "country_iso3": None,
        "website": None,
        "description": None,
    }

    def columns(self, context: ImportContext) -> list[Column]:
        contributor_types = sorted(context.codes("contributor_types"))
        return [
            _id_column(),
            _external_id_column(),
            _source_column(),
            column(
                "name",
                labels("Name", "Nom", "Nombre"),
                "text",
                text_parser(min_length=1, max_length=200),
                required=True,
            ),
            column("short_name", labels("Short name", "Sigle", "Sigla"), "text", text_parser(max_length=60)),
            column(
                "kind",
                labels("Kind", "Type d'organisation", "Tipo de organización"),
                "code",
                code_parser(IMPORTED_ORGANISATION_KINDS),
                choices=list(IMPORTED_ORGANISATION_KINDS),
            ),
            column(
                "contributor_type",
                labels("Contributor type", "Type de contributeur", "Tipo de contribuyente"),
                "code",
                code_parser(contributor_types, context.vocabulary_labels.get("contributor_types")),
                choices=contributor_types,
            ),
            column("country_iso3", labels("Country", "Pays", "País"), "country", country_parser(context)),
            column("website", labels("Website", "Site web", "Sitio web"), "text", _website),
            column(
                "description",
                labels("Description", "Description", "Descripción"),
                "text",
                text_parser(max_length=20_000),
            ),
        ]

    def may_import(self, actor: Actor) -> bool:
        return actor.is_secretariat

    def build_more(self, candidate: Candidate, cells: Cells, context: ImportContext) -> None:
        kind = cells.get(candidate.rows[0], "kind", candidate.issues) if cells.present("kind") else None
        candidate.raw["kind"] = None if kind is INVALID else kind

    def rules(self, candidate: Candidate, merged: dict[str, Any], context: ImportContext) -> None:
        kind = candidate.raw.get("kind")
        existing = candidate.existing
        header = self.header(candidate, "kind")
        if existing is not None:
            stored = existing.values.get("kind")
            if kind is not None and stored is not None and kind != stored:
                candidate.error(header, "The kind of an organisation cannot change.", value=kind)
                return
            kind = stored
        elif kind is None:
            candidate.error(header, "Say what kind of organisation this is.")
            return
        candidate.raw["kind"] = kind
        given = merged.get("contributor_type")
        if kind in STATE_KINDS:
            if given not in (None, "state"):
                candidate.error(
                    self.header(candidate, "contributor_type"), "A State organisation's contributor type is 'state'."
                )
            merged["contributor_type"] = "state"
            if not merged.get("country_iso3"):
                candidate.error(self.header(candidate, "country_iso3"), "A State organisation needs a country.")
        elif kind == "stakeholder" and given in (None, "state"):
            candidate.error(
                self.header(candidate, "contributor_type"), "A stakeholder needs a stakeholder contributor type."
            )
        if not merged.get("name"):
            candidate.error(self.header(candidate, "name"), "Required.")

    def may_write(self, actor: Actor, merged: dict[str, Any], existing: Existing | None) -> str | None:
        return None if actor.is_secretariat else "Only the Secretariat registers organisations."

    def insert_values(self, candidate: Candidate, context: ImportContext) -> dict[str, Any]:
        return {"kind": candidate.raw["kind"], "is_active": True, "parent_id": None, "bureau_code": None}

    async def export_rows(self, session: AsyncSession, actor: Actor, context: ImportContext) -> list[dict[str, Any]]:
        organisations = (
            (
                await session.execute(
                    select(Organisation)
                    .where(Organisation.kind.in_(IMPORTED_ORGANISATION_KINDS))
                    .order_by(Organisation.name, Organisation.id)
                )
            )
            .scalars()
            .all()
        )
        return [{"id": o.id, "kind": o.kind, **{key: getattr(o, key) for key in self.compared}} for o in organisations]

    async def load(self, session: AsyncSession, candidates: Sequence[Candidate], context: ImportContext) -> None:
        await super().load(session, candidates, context)
        ids = [c.existing.id for c in candidates if c.existing is not None]
        if ids:
            kinds = dict(
                (
                    await session.execute(select(Organisation.id, Organisation.kind).where(among(Organisation.id, ids)))
                ).all()
            )
            for candidate in candidates:
                if candidate.existing is not None:
                    candidate.existing.values["kind"] = kinds.get(candidate.existing.id)


def organisation_names(context: ImportContext) -> dict[uuid.UUID, str]:
    """How exports name organisations: their name, or their id when the name would not find them again on
    import (another organisation has that name, or the organisation is inactive)."""
    counts: dict[str, int] = {}
    for organisation in context.organisations.by_id.values():
        folded = normalise(organisation.name)
        counts[folded] = counts.get(folded, 0) + 1
    return {
        o.id: o.name if o.is_active and counts[normalise(o.name)] == 1 else str(o.id)
        for o in context.organisations.by_id.values()
    }


def _website(text: str) -> str:
    value = text.strip()
    if not value.startswith(("http://", "https://")) or " " in value or len(value) > 500:
        raise CellError("Write the full address, starting with https://.")
    return value


# --- existing support -------------------------------------------------------------------------------------


class ExistingSupportKind(FlatKind):
    name = "existing_support"
    titles: ClassVar[dict[str, str]] = labels("Existing support", "Appui existant", "Apoyo existente")
    table = ExistingSupport.__table__  # type: ignore[assignment]
    model = ExistingSupport
    label = "existing support record"
    alternate_key = "id"
    read_scope = "existing_support:read"
    compared = (
        "provider_organisation_id",
        "provider_name",
        "recipient_country_iso3",
        "areas",
        "area_codes",
        "starts_on",
        "ends_on",
        "source_kind",
        "description",
        "is_confidential",
        "source",
        "external_id",
    )
    defaults: ClassVar[dict[str, Any]] = {
        "provider_name": None,
        "recipient_country_iso3": None,
        "areas": list,
        "starts_on": None,
        "ends_on": None,
        "source_kind": "bilateral",
        "description": "",
        "is_confidential": False,
    }

    def columns(self, context: ImportContext) -> list[Column]:
        areas = sorted(context.areas)
        return [
            _id_column(),
            _external_id_column(),
            _source_column(),
            column(
                "provider_organisation_id",
                labels(
                    "Provider organisation ID", "ID de l'organisation qui appuie", "ID de la organización que apoya"
                ),
                "text",
                uuid_parser,
            ),
            column(
                "provider_organisation",
                labels("Provider organisation", "Organisation qui appuie", "Organización que apoya"),
                "text",
                text_parser(min_length=1, max_length=300),
                help_text=labels(
                    "An organisation on the platform (name or id); or write the provider's name in the next column",
                    "Une organisation de la plateforme (nom ou identifiant) ; ou écrivez le nom du fournisseur dans la "
                    "colonne suivante",
                    "Una organización de la plataforma (nombre o identificador); o escriba el nombre del proveedor en "
                    "la columna siguiente",
                ),
            ),
            column(
                "provider_name",
                labels("Provider", "Fournisseur de l'appui", "Proveedor del apoyo"),
                "text",
                text_parser(min_length=1, max_length=300),
            ),
            column(
                "recipient_country_iso3",
                labels("Recipient country", "Pays bénéficiaire", "País beneficiario"),
                "country",
                country_parser(context),
                required=True,
            ),
            column(
                "areas",
                labels("Areas", "Domaines", "Áreas"),
                "codes",
                codes_parser(areas),
                required=True,
                choices=areas,
            ),
            column("starts_on", labels("Start date", "Date de début", "Fecha de inicio"), "date", parse_date),
            column("ends_on", labels("End date", "Date de fin", "Fecha de finalización"), "date", parse_date),
            column(
                "source_kind",
                labels("Channel", "Canal", "Canal"),
                "code",
                code_parser(EXISTING_SUPPORT_SOURCES),
                choices=list(EXISTING_SUPPORT_SOURCES),
            ),
            column(
                "description",
                labels("Description", "Description", "Descripción"),
                "text",
                text_parser(max_length=5_000),
            ),
            column("is_confidential", labels("Confidential", "Confidentiel", "Confidencial"), "bool", parse_bool),
        ]

    def may_import(self, actor: Actor) -> bool:
        return actor.is_secretariat or bool(actor.unhcr_countries)

    def full(self, actor: Actor) -> Any:
        return existing_repository.fully_visible_to(actor)

    def build_more(self, candidate: Candidate, cells: Cells, context: ImportContext) -> None:
        row = candidate.rows[0]
        provider: OrganisationInfo | None = None
        for key in ("provider_organisation_id", "provider_organisation"):
            value = cells.get(row, key, candidate.issues) if cells.present(key) else None
            if value is None or value is INVALID:
                continue
            try:
                provider = context.organisations.find(str(value))
            except CellError as error:
                candidate.error(self.header(candidate, key), error.message, value=str(value))
            break
        if cells.present("provider_organisation_id") or cells.present("provider_organisation"):
            candidate.values["provider_organisation_id"] = provider.id if provider else None
            candidate.raw["provider"] = provider

    def rules(self, candidate: Candidate, merged: dict[str, Any], context: ImportContext) -> None:
        merged["areas"] = unique(merged["areas"])
        merged["area_codes"] = with_parents(merged["areas"])
        provider: OrganisationInfo | None = candidate.raw.get("provider")
        if not merged.get("provider_name") and provider is not None:
            merged["provider_name"] = provider.name
        if not merged.get("provider_name"):
            candidate.error(self.header(candidate, "provider_name"), "Name the provider, or choose its organisation.")
        if not merged.get("recipient_country_iso3"):
            candidate.error(self.header(candidate, "recipient_country_iso3"), "Required.")
        if not merged["areas"]:
            candidate.error(self.header(candidate, "areas"), "Give at least one area.")

    def new_values(self, candidate: Candidate, context: ImportContext) -> dict[str, Any]:
        return {**super().new_values(candidate, context), "provider_organisation_id": None}

    def may_write(self, actor: Actor, merged: dict[str, Any], existing: Existing | None) -> str | None:
        countries = {merged["recipient_country_iso3"]}
        if existing is not None:
            countries.add(existing.values["recipient_country_iso3"])
        if actor.is_secretariat or all(actor.covers_country(c) for c in countries):
            return None
        return "Only the Secretariat or a UNHCR office covering the country records existing support."

    def insert_values(self, candidate: Candidate, context: ImportContext) -> dict[str, Any]:
        return {"recorded_by_organisation_id": recording_organisation(context.actor)}

    async def export_rows(self, session: AsyncSession, actor: Actor, context: ImportContext) -> list[dict[str, Any]]:
        records = (
            (
                await session.execute(
                    select(ExistingSupport)
                    .where(existing_repository.visible_to(actor))
                    .order_by(ExistingSupport.recipient_country_iso3, ExistingSupport.id)
                )
            )
            .scalars()
            .all()
        )
        rows = []
        for record in records:
            provider = (
                context.organisations.by_id.get(record.provider_organisation_id)
                if record.provider_organisation_id
                else None
            )
            rows.append(
                {
                    "id": record.id,
                    **{key: getattr(record, key) for key in self.compared},
                    "provider_organisation": provider.name if provider else None,
                }
            )
        return rows


def recording_organisation(actor: Actor) -> uuid.UUID | None:
    """The UNHCR office or Secretariat the recorder acts for (else their first organisation), as the API."""
    official = [
        m for m in actor.memberships if m.organisation_kind in ("secretariat", "unhcr_country_office", "unhcr_bureau")
    ]
    chosen = official or list(actor.memberships)
    return chosen[0].organisation_id if chosen else None
