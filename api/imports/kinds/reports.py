"""Progress reports: an import fills in (or updates) the content of reports the reporting calendar opened.

A row names one report: the match by its reference (MAT-2026-00001) or, for a tracked pledge, the pledge by
its id, and the period by its start date, its end date (the due date) or both. An import never opens a
period. Who may write a report, and in which states, is decided by api/reports/service.py (the offering
party's focal points and editors, while the report is being drafted); the content is checked with the
API's own models (api/reports/schemas.py). A row that would change nothing is reported unchanged, whoever
imports it, so an unedited export imports again without writing anything.

Indicators travel in one cell: `name|unit|baseline|target|actual`, indicators separated by `;` or new lines
(a `\\` before `|`, `;` or `\\` keeps it in a name or unit).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any, ClassVar, get_args

from pydantic import ValidationError
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.core.actor import Actor
from api.core.errors import NotFound
from api.core.sql import among
from api.imports.kinds.base import (
    INVALID,
    Candidate,
    Cells,
    Column,
    Existing,
    ImportContext,
    ImportKind,
    code_parser,
    column,
    int_parser,
    labels,
    text_parser,
    uuid_parser,
)
from api.imports.parsing import CellError, SourceRow, parse_date, parse_float
from api.models.matches import Match
from api.models.reports import ProgressReport, ReportingSchedule
from api.reports import repository as report_repository
from api.reports import schemas as report_schemas
from api.reports import service as report_service
from api.reports import workflow as report_workflow

QUALITIES: tuple[str, ...] = get_args(report_schemas.Quality)
STAGES: tuple[str, ...] = get_args(report_schemas.Stage)
TEXT_FIELDS = ("narrative", "challenges", "good_practices", "next_steps")
MAX_TEXT = 20_000
MAX_INDICATORS = 50
_INDICATOR_PARTS = ("name", "unit", "baseline", "target", "actual")

_QUALITY_LABELS = {
    "fairness": labels("Fairness", "Équité", "Equidad"),
    "efficiency": labels("Efficiency", "Efficacité", "Eficiencia"),
    "adaptability": labels("Adaptability", "Adaptabilité", "Adaptabilidad"),
    "integrity": labels("Integrity", "Intégrité", "Integridad"),
}
_STAGE_LABELS = {
    "planning": ["Planning", "Planification", "Planificación"],
    "in_progress": ["In progress", "En cours", "En curso"],
    "fulfilled": ["Fulfilled", "Réalisé", "Cumplido"],
}


def rating_key(quality: str) -> str:
    return f"impact_{quality}_rating"


def evidence_key(quality: str) -> str:
    return f"impact_{quality}_evidence"


# --- indicators in one cell -------------------------------------------------------------------------------


def _split(text: str, separators: str) -> list[str]:
    """`text` cut at the unescaped `separators`; escapes are kept (removed by `_unescape`)."""
    parts: list[str] = []
    current: list[str] = []
    escaped = False
    for char in text:
        if escaped:
            current.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in separators:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    if escaped:
        current.append("\\")
    parts.append("".join(current))
    return parts


def _unescape(text: str) -> str:
    result: list[str] = []
    escaped = False
    for char in text:
        if escaped:
            result.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        else:
            result.append(char)
    if escaped:
        result.append("\\")
    return "".join(result)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace(";", "\\;").replace("\n", "\\\n")


def _number_text(value: Any) -> str:
    if value is None:
        return ""
    number = float(value)
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return repr(number)


def parse_indicators(text: str) -> list[dict[str, Any]]:
    """`name|unit|baseline|target|actual; ...` as the API's indicators (checked by its model)."""
    items = [item.strip() for item in _split(text, ";\n") if item.strip()]
    if len(items) > MAX_INDICATORS:
        raise CellError(f"At most {MAX_INDICATORS} indicators ({len(items)} written).")
    indicators: list[dict[str, Any]] = []
    for number, item in enumerate(items, start=1):
        parts = [_unescape(part).strip() for part in _split(item, "|")]
        if len(parts) > len(_INDICATOR_PARTS):
            raise CellError(
                f"Indicator {number} has {len(parts)} parts; write name|unit|baseline|target|actual "
                "(a \\ before | or ; keeps it in a name)."
            )
        values: dict[str, Any] = dict(zip(_INDICATOR_PARTS, parts, strict=False))
        if not values.get("name"):
            raise CellError(f"Indicator {number} has no name; write name|unit|baseline|target|actual.")
        for part in ("baseline", "target", "actual"):
            raw = values.get(part)
            if not raw:
                values[part] = None
                continue
            try:
                values[part] = parse_float(raw)
            except CellError as error:
                raise CellError(f"Indicator {number} ({values['name']}), {part}: {error.message}") from None
        try:
            indicator = report_schemas.Indicator.model_validate(values)
        except ValidationError as error:
            problem = error.errors()[0]
            where = ".".join(str(p) for p in problem["loc"])
            raise CellError(f"Indicator {number}, {where}: {problem['msg']}.") from None
        indicators.append(indicator.model_dump(mode="json"))
    return indicators


def indicators_text(indicators: Sequence[dict[str, Any]]) -> str:
    return "; ".join(
        "|".join(
            [
                _escape(str(i.get("name") or "")),
                _escape(str(i.get("unit") or "")),
                _number_text(i.get("baseline")),
                _number_text(i.get("target")),
                _number_text(i.get("actual")),
            ]
        ).rstrip("|")
        for i in indicators
    )


def _reference_parser(text: str) -> str:
    value = text.strip().upper()
    if not value or len(value) > 32:
        raise CellError("Write the match's reference, such as MAT-2026-00001.")
    return value


def _same_text(stored: Any, new: str) -> bool:
    """Whether a stored text reads as `new` once a file cell is cleaned (line ends, outer spaces)."""
    return isinstance(stored, str) and stored.replace("\r\n", "\n").replace("\r", "\n").strip() == new


# --- the kind ---------------------------------------------------------------------------------------------


class ProgressReportKind(ImportKind):
    name = "progress_reports"
    titles: ClassVar[dict[str, str]] = labels("Progress reports", "Rapports d'avancement", "Informes de avance")
    table = ProgressReport.__table__  # type: ignore[assignment]
    resource = "progress_report"
    read_scope = "reports:read"
    compared = ("stage", *TEXT_FIELDS, "impact", "indicators")
    audit_skip: ClassVar[frozenset[str]] = frozenset()

    def columns(self, context: ImportContext) -> list[Column]:
        columns = [
            column(
                "match_reference",
                labels("Match", "Mise en correspondance", "Vinculación"),
                "text",
                _reference_parser,
                aliases=("Match reference", "Référence", "Referencia"),
                help_text=labels(
                    "The match's reference (MAT-2026-00001); leave empty for a tracked pledge",
                    "La référence de la mise en correspondance (MAT-2026-00001) ; vide pour une promesse suivie",
                    "La referencia de la vinculación (MAT-2026-00001); vacía para una promesa con seguimiento",
                ),
            ),
            column(
                "pledge_id",
                labels("Pledge ID", "ID de la promesse", "ID de la promesa"),
                "text",
                uuid_parser,
                help_text=labels(
                    "For a pledge tracked without a match: the pledge's id (exports fill it)",
                    "Pour une promesse suivie hors mise en correspondance : son identifiant (les exports le "
                    "remplissent)",
                    "Para una promesa con seguimiento sin vinculación: su identificador (las exportaciones lo "
                    "rellenan)",
                ),
            ),
            column(
                "period_start",
                labels("Period start", "Début de la période", "Inicio del periodo"),
                "date",
                parse_date,
                help_text=labels(
                    "The first day of a reporting period of the match (give it, the period end, or both)",
                    "Le premier jour d'une période de rapport (donnez-le, la fin de la période, ou les deux)",
                    "El primer día de un periodo de informe (indíquelo, el fin del periodo o ambos)",
                ),
            ),
            column(
                "period_end",
                labels("Period end", "Fin de la période", "Fin del periodo"),
                "date",
                parse_date,
                aliases=("Due date", "Due on", "Échéance", "Vencimiento"),
                help_text=labels(
                    "The last day of the period: the report's due date",
                    "Le dernier jour de la période : l'échéance du rapport",
                    "El último día del periodo: el vencimiento del informe",
                ),
            ),
            column(
                "stage",
                labels("Stage", "Étape", "Etapa"),
                "code",
                code_parser(STAGES, _STAGE_LABELS),
                choices=list(STAGES),
            ),
            column(
                "narrative",
                labels("Progress made", "Progrès accomplis", "Progresos realizados"),
                "text",
                text_parser(max_length=MAX_TEXT),
                help_text=labels(
                    "Activities, results, participants (needed to submit the report)",
                    "Activités menées, résultats obtenus, participants (nécessaire pour soumettre le rapport)",
                    "Actividades, resultados, participantes (necesario para presentar el informe)",
                ),
            ),
            column(
                "challenges",
                labels("Challenges", "Difficultés", "Dificultades"),
                "text",
                text_parser(max_length=MAX_TEXT),
            ),
            column(
                "good_practices",
                labels("Good practices", "Bonnes pratiques", "Buenas prácticas"),
                "text",
                text_parser(max_length=MAX_TEXT),
            ),
        ]
        for quality in QUALITIES:
            names = _QUALITY_LABELS[quality]
            columns.append(
                column(
                    rating_key(quality),
                    labels(f"Rating: {names['en']}", f"Évaluation : {names['fr']}", f"Evaluación: {names['es']}"),
                    "int",
                    int_parser(min_value=1, max_value=5),
                    help_text=labels(
                        "1 = no change … 5 = major improvement; empty = not rated",
                        "1 = aucun changement … 5 = amélioration majeure ; vide = non évalué",
                        "1 = sin cambios … 5 = mejora importante; vacío = sin evaluar",
                    ),
                )
            )
            columns.append(
                column(
                    evidence_key(quality),
                    labels(
                        f"Evidence: {names['en']}",
                        f"Éléments probants : {names['fr']}",
                        f"Pruebas: {names['es']}",
                    ),
                    "text",
                    text_parser(max_length=MAX_TEXT),
                )
            )
        columns += [
            column(
                "indicators",
                labels("Indicators", "Indicateurs", "Indicadores"),
                "text",
                parse_indicators,
                help_text=labels(
                    "One indicator as name|unit|baseline|target|actual, indicators separated by ; "
                    "(e.g. Cases decided|cases|120|300|210; Staff trained||0|40|25). Numbers may be left "
                    "empty; a \\ before | or ; keeps it in a name",
                    "Un indicateur s'écrit nom|unité|référence|cible|valeur atteinte, les indicateurs séparés "
                    "par ; (par exemple Dossiers tranchés|dossiers|120|300|210; Agents formés||0|40|25). Les "
                    "nombres peuvent rester vides ; un \\ devant | ou ; le garde dans un nom",
                    "Un indicador se escribe nombre|unidad|línea de base|meta|valor alcanzado, los indicadores "
                    "separados por ; (por ejemplo Casos resueltos|casos|120|300|210; Personal formado||0|40|25). "
                    "Los números pueden quedar vacíos; una \\ delante de | o ; lo mantiene en un nombre",
                ),
            ),
            column(
                "next_steps",
                labels("Next steps", "Prochaines étapes", "Próximos pasos"),
                "text",
                text_parser(max_length=MAX_TEXT),
            ),
        ]
        return columns

    def may_import(self, actor: Actor) -> bool:
        """The Secretariat, and the focal points and editors of an organisation (each report is then checked
        with the API's drafting rule)."""
        return actor.is_secretariat or any(m.role in ("focal_point", "editor") for m in actor.memberships)

    # rows to candidates

    def build(self, rows: Sequence[SourceRow], cells: Cells, context: ImportContext) -> list[Candidate]:
        candidates = []
        for row in rows:
            candidate = Candidate(rows=[row])
            candidate.raw["headers"] = dict(cells.header_of)
            self._read_key(candidate, row, cells)
            for key in ("stage", *TEXT_FIELDS, "indicators"):
                if not cells.present(key):
                    continue
                value = cells.get(row, key, candidate.issues)
                if value is INVALID:
                    continue
                if value is None:
                    value = None if key == "stage" else [] if key == "indicators" else ""
                candidate.values[key] = value
            impact: dict[str, dict[str, tuple[bool, Any]]] = {}
            for quality in QUALITIES:
                parts: dict[str, tuple[bool, Any]] = {}
                for part, key in (("rating", rating_key(quality)), ("evidence", evidence_key(quality))):
                    if cells.present(key):
                        value = cells.get(row, key, candidate.issues)
                        if value is not INVALID:
                            parts[part] = (True, value)
                if parts:
                    impact[quality] = parts
            candidate.raw["impact"] = impact
            candidates.append(candidate)
        return candidates

    def _read_key(self, candidate: Candidate, row: SourceRow, cells: Cells) -> None:
        issues = candidate.issues
        reference = cells.get(row, "match_reference", issues) if cells.present("match_reference") else None
        pledge_id = cells.get(row, "pledge_id", issues) if cells.present("pledge_id") else None
        start = cells.get(row, "period_start", issues) if cells.present("period_start") else None
        end = cells.get(row, "period_end", issues) if cells.present("period_end") else None
        subject_header = self.header(candidate, "match_reference")
        if reference is None and pledge_id is None:
            candidate.error(subject_header, "Give the match's reference (or, for a tracked pledge, the pledge's id).")
        elif reference not in (None, INVALID) and pledge_id not in (None, INVALID):
            candidate.error(subject_header, "Give the match's reference or the pledge's id, not both.")
        if start is None and end is None:
            candidate.error(self.header(candidate, "period_start"), "Give the period's start or end date.")
        if start not in (None, INVALID) and end not in (None, INVALID) and end <= start:
            candidate.error(self.header(candidate, "period_end"), "The period ends before it starts.")
        candidate.raw.update(
            {
                "match_reference": reference if reference is not INVALID else None,
                "pledge_id": pledge_id if pledge_id is not INVALID else None,
                "period_start": start if start is not INVALID else None,
                "period_end": end if end is not INVALID else None,
            }
        )
        subject = reference if reference not in (None, INVALID) else pledge_id
        when = start if start not in (None, INVALID) else end
        if subject not in (None, INVALID):
            candidate.alternate_key = f"{subject} {when.isoformat() if isinstance(when, date) else ''}".strip()

    def header(self, candidate: Candidate, key: str) -> str:
        headers: dict[str, str] = candidate.raw.get("headers", {})
        if key == "match_reference" and key not in headers and "pledge_id" in headers:
            return headers["pledge_id"]
        if key == "period_start" and key not in headers and "period_end" in headers:
            return headers["period_end"]
        return headers.get(key, key)

    def _subject_header(self, candidate: Candidate) -> str:
        return self.header(candidate, "pledge_id" if candidate.raw.get("pledge_id") else "match_reference")

    def _period_header(self, candidate: Candidate) -> str:
        return self.header(candidate, "period_start" if candidate.raw.get("period_start") else "period_end")

    # the stored reports

    async def load(self, session: AsyncSession, candidates: Sequence[Candidate], context: ImportContext) -> None:
        wanted = [c for c in candidates if not c.has_errors]
        references = sorted({c.raw["match_reference"] for c in wanted if c.raw.get("match_reference")})
        pledge_ids = sorted({c.raw["pledge_id"] for c in wanted if c.raw.get("pledge_id")})
        if not references and not pledge_ids:
            return
        clauses = []
        if references:
            clauses.append(among(Match.reference, references))
        if pledge_ids:
            clauses.append(among(ReportingSchedule.pledge_id, pledge_ids))
        rows = (
            await session.execute(
                select(ProgressReport, ReportingSchedule, Match.reference)
                .join(ReportingSchedule, ReportingSchedule.id == ProgressReport.schedule_id)
                .outerjoin(Match, Match.id == ReportingSchedule.match_id)
                .where(or_(*clauses))
                .order_by(ProgressReport.period_start)
            )
        ).all()
        # Who may read and write is the reports service's decision, taken once per match or pledge.
        contexts: dict[uuid.UUID, report_service.Context | None] = {}
        by_subject: dict[Any, list[tuple[ProgressReport, report_service.Context]]] = {}
        for report, schedule, match_reference in rows:
            if schedule.id not in contexts:
                try:
                    contexts[schedule.id] = await report_service._context(session, context.actor, schedule)
                except NotFound:
                    contexts[schedule.id] = None
            found = contexts[schedule.id]
            if found is None:
                continue
            subject = ("match", match_reference) if schedule.match_id is not None else ("pledge", schedule.pledge_id)
            by_subject.setdefault(subject, []).append((report, found))
        seen: dict[uuid.UUID, Candidate] = {}
        for candidate in wanted:
            reference, pledge_id = candidate.raw.get("match_reference"), candidate.raw.get("pledge_id")
            wanted_subject = ("match", reference) if reference else ("pledge", pledge_id)
            reports = by_subject.get(wanted_subject)
            if not reports:
                what = f"match {reference}" if reference else f"pledge {pledge_id}"
                candidate.error(
                    self._subject_header(candidate),
                    f"No {what} with reporting periods that you take part in or facilitate "
                    "(reports start when a match reaches planning).",
                    value=str(reference or pledge_id),
                )
                continue
            start: date | None = candidate.raw.get("period_start")
            end: date | None = candidate.raw.get("period_end")
            given = start or end
            matching = [
                (r, c)
                for r, c in reports
                if (start is None or r.period_start == start) and (end is None or r.period_end == end)
            ]
            if not matching:
                periods = ", ".join(f"{r.period_start.isoformat()} – {r.period_end.isoformat()}" for r, _ in reports)
                candidate.error(
                    self._period_header(candidate),
                    f"No reporting period of this {wanted_subject[0]} has these dates; its periods are: {periods}. "
                    "An import fills in reports, it does not open periods.",
                    value=given.isoformat() if given else None,
                )
                continue
            report, report_context = matching[0]
            earlier = seen.get(report.id)
            if earlier is not None:
                header = self._period_header(candidate)
                candidate.error(header, f"The same report is in row {earlier.first_row}; each report appears once.")
                earlier.error(header, f"The same report is in row {candidate.first_row}; each report appears once.")
                continue
            seen[report.id] = candidate
            candidate.existing = Existing(
                id=report.id,
                version=report.version,
                values={
                    **{name: getattr(report, name) for name in self.compared},
                    "status": report.status,
                    "may_edit": report_service._may_edit(context.actor, report_context, report),
                },
            )

    # deciding

    def decide(self, candidate: Candidate, context: ImportContext) -> None:
        existing = candidate.existing
        if existing is None:
            if not candidate.has_errors:
                candidate.error(self._subject_header(candidate), "No such report.")
            return
        stored = existing.values
        merged: dict[str, Any] = {name: stored[name] for name in self.compared}
        for key, value in candidate.values.items():
            if key in TEXT_FIELDS and _same_text(stored[key], value):
                continue
            merged[key] = value
        impact = {q: dict(v) for q, v in (stored["impact"] or {}).items()}
        for quality, parts in candidate.raw.get("impact", {}).items():
            before = impact.get(quality, {})
            rating = parts["rating"][1] if "rating" in parts else before.get("rating")
            if "evidence" in parts:
                evidence = parts["evidence"][1] or ""
                if _same_text(before.get("evidence"), evidence):
                    evidence = before.get("evidence")
            else:
                evidence = before.get("evidence", "")
            if rating is None:
                if evidence:
                    candidate.error(
                        self.header(candidate, rating_key(quality)),
                        "Rate this quality (1 to 5) to give evidence for it, or leave its evidence empty.",
                    )
                impact.pop(quality, None)
            else:
                impact[quality] = {"rating": rating, "evidence": evidence or ""}
        merged["impact"] = impact
        self._validate(candidate, merged)
        if candidate.has_errors:
            return
        candidate.id = existing.id
        candidate.final = merged
        changed = sorted(name for name in self.compared if merged[name] != stored[name])
        if not changed:
            candidate.outcome = "unchanged"
            return
        status = stored["status"]
        if status not in report_workflow.DRAFTING:
            candidate.error(
                self._period_header(candidate),
                f"A {status.replace('_', ' ')} report cannot be edited.",
                value=candidate.key_text,
            )
            return
        if not stored["may_edit"]:
            candidate.error(
                self._subject_header(candidate),
                "The offering party's focal points and editors draft the report; you may not edit it.",
                value=candidate.key_text,
            )
            return
        candidate.outcome = "updated"
        candidate.changes = {name: {"before": stored[name], "after": merged[name]} for name in changed}

    def _validate(self, candidate: Candidate, merged: dict[str, Any]) -> None:
        """The content as the API's update model checks it (lengths, ratings, indicators)."""
        try:
            report_schemas.ReportUpdate.model_validate({name: merged[name] for name in self.compared})
        except ValidationError as error:
            for problem in error.errors():
                location = [str(p) for p in problem["loc"]]
                key = location[0] if location else ""
                if key == "impact" and len(location) > 1 and location[1] in QUALITIES:
                    key = rating_key(location[1])
                candidate.error(self.header(candidate, key), f"{problem['msg']}.")

    # exporting

    async def export_rows(self, session: AsyncSession, actor: Actor, context: ImportContext) -> list[dict[str, Any]]:
        rows = (
            await session.execute(
                select(ProgressReport, ReportingSchedule, Match.reference)
                .join(ReportingSchedule, ReportingSchedule.id == ProgressReport.schedule_id)
                .outerjoin(Match, Match.id == ReportingSchedule.match_id)
                .where(report_repository.visible_to(actor))
                .order_by(
                    Match.reference.nulls_last(),
                    ReportingSchedule.pledge_id,
                    ProgressReport.period_start,
                    ProgressReport.id,
                )
            )
        ).all()
        result = []
        for report, schedule, reference in rows:
            row: dict[str, Any] = {
                "match_reference": reference,
                "pledge_id": schedule.pledge_id if reference is None else None,
                "period_start": report.period_start,
                "period_end": report.period_end,
                "stage": report.stage,
                **{name: getattr(report, name) for name in TEXT_FIELDS},
                "indicators": indicators_text(report.indicators or []) or None,
            }
            for quality in QUALITIES:
                rated = (report.impact or {}).get(quality) or {}
                row[rating_key(quality)] = rated.get("rating")
                row[evidence_key(quality)] = rated.get("evidence") or None
            result.append(row)
        return result
