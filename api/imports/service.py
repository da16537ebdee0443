"""Bulk imports and exports: templates, uploads (checked with a dry run, or written), jobs and their reports.

Who may import what: the Secretariat any kind; UNHCR offices and bureaux requests, offers and existing
support for the countries they cover; focal points and editors their own organisation's requests and
offers; integration clients need `imports:write` and act as described in api/integrations (the
organisation they act for). Each row is checked against the same rules as the API.
"""

from __future__ import annotations

import json
import re
import unicodedata
import uuid
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from api.core import audit, clock
from api.core.actor import Actor
from api.core.config import Settings
from api.core.errors import Conflict, Forbidden, NotFound, PayloadTooLarge, field_error
from api.core.outbox import enqueue
from api.imports import engine, exports, report, repository, schemas
from api.imports.kinds import KINDS
from api.imports.kinds.base import SOURCE_PATTERN, ImportKind, Language, load_context
from api.imports.templates import build_csv_template, build_xlsx_template, json_schema
from api.models.imports import ImportJob

RUN_KIND = "imports.run"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_TYPE, "json": "application/json"}
# An XLSX row takes at least this many compressed bytes: used to guess a workbook's rows without reading it.
_XLSX_BYTES_PER_ROW = 60


def _kind(name: str) -> ImportKind:
    kind = KINDS.get(name)
    if kind is None:
        raise NotFound(f"No import kind '{name}'; use one of {', '.join(KINDS)}")
    return kind


def kinds(actor: Actor) -> list[schemas.ImportKindInfo]:
    return [
        schemas.ImportKindInfo(name=name, title=kind.titles["en"], may_import=_may_import(actor, kind))
        for name, kind in KINDS.items()
    ]


def _may_import(actor: Actor, kind: ImportKind) -> bool:
    if actor.kind == "client" and not actor.has_scope("imports:write"):
        return False
    return actor.is_authenticated and kind.may_import(actor)


async def template(
    session: AsyncSession, *, actor: Actor, kind_name: str, file_format: str, language: Language
) -> tuple[bytes, str, str]:
    """The blank file to fill in: (content, media type, file name)."""
    kind = _kind(kind_name)
    context = await load_context(session, actor=actor, source="platform", now=clock.now())
    specs = [c.spec for c in kind.columns(context)]
    title = kind.titles[language]
    if file_format == "xlsx":
        content = build_xlsx_template(title, specs, language=language)
    elif file_format == "csv":
        content = build_csv_template(specs, language=language)
    else:
        content = json.dumps(json_schema(title, specs), ensure_ascii=False, indent=2).encode()
    return content, MEDIA_TYPES[file_format], f"acsg-{kind.name}-template-{language}.{file_format}"


def _slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.lower())
    ascii_text = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:64] or "platform"


async def default_source(session: AsyncSession, actor: Actor) -> str:
    """The caller's organisation as a slug (`ofpra`, `unhcr-niger`), or the client's name."""
    if actor.memberships:
        label = await repository.organisation_label(session, actor.memberships[0].organisation_id)
        if label:
            return _slug(label)
    return _slug(actor.label or "platform")


def _estimated_rows(data: bytes) -> int:
    if data.startswith(b"PK"):
        return len(data) // _XLSX_BYTES_PER_ROW
    return data.count(b"\n")


def job_view(job: ImportJob) -> schemas.ImportJob:
    counts = schemas.ImportCounts.model_validate(job.counts or {})
    return schemas.ImportJob(
        id=job.id,
        kind=job.kind,
        status=job.status,
        dry_run=job.dry_run,
        mode=job.mode,
        source=job.source,
        filename=job.filename,
        file_format=job.file_format,
        rows_total=job.rows_total,
        rows_done=job.rows_done,
        counts=counts,
        error_code=job.error_code,
        error=job.error,
        issues=[schemas.ImportIssue.model_validate(i) for i in job.issues or []],
        issues_total=job.issues_total,
        records=[schemas.ImportRecord.model_validate(r) for r in job.records or []],
        has_rejected_rows=counts.rejected_rows > 0,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
    )


def store(job: ImportJob, result: engine.RunResult, *, now: Any) -> None:
    """Keep a run's outcome on its job (the file itself is dropped)."""
    issues, total = report.issues(result)
    job.status = result.status
    job.file_format = result.file_format
    job.counts = result.counts()
    job.rows_total = len(result.table.rows) if result.table is not None else None
    job.rows_done = job.rows_total or 0
    job.issues, job.issues_total = issues, total
    job.records = report.records(result)
    job.report_csv = report.report_csv(result)
    job.rejected_csv = report.rejected_csv(result)
    job.error_code, job.error = result.error_code, result.error
    job.finished_at = now
    job.file_data = None


async def upload(
    session: AsyncSession,
    *,
    actor: Actor,
    kind_name: str,
    data: bytes,
    filename: str | None,
    content_type: str | None,
    dry_run: bool,
    mode: Literal["all_or_nothing", "valid_rows_only"],
    source: str | None,
    settings: Settings,
) -> tuple[schemas.ImportJob, int]:
    """Check (dry run) or import a file. Small files are processed now (200); larger ones by the worker
    (202: poll the job)."""
    kind = _kind(kind_name)
    if not _may_import(actor, kind):
        raise Forbidden(f"You may not import {kind.name.replace('_', ' ')}")
    if len(data) > settings.max_upload_bytes:
        raise PayloadTooLarge(f"The file is larger than the {settings.max_upload_bytes} bytes allowed")
    if source is not None:
        source = source.strip().lower()
        if not SOURCE_PATTERN.match(source):
            raise field_error(
                "body.source", "A source is a short code: lower-case letters, digits and . _ : - (e.g. grf)"
            )
    now = clock.now()
    job = ImportJob(
        id=uuid.uuid4(),
        kind=kind.name,
        status="queued",
        dry_run=dry_run,
        mode=mode,
        source=source or await default_source(session, actor),
        filename=(filename or "")[:300] or None,
        content_type=(content_type or "")[:200] or None,
        file_size=len(data),
        created_by_user_id=actor.user_id,
        created_by_client_id=actor.client_id,
        counts={},
        issues=[],
        records=[],
        issues_total=0,
        rows_done=0,
        request_id=session.info.get("request_id"),
        created_at=now,
    )
    if _estimated_rows(data) > settings.import_inline_max_rows:
        job.file_data = data
        session.add(job)
        await session.flush()
        await enqueue(session, kind=RUN_KIND, dedup_key=f"import:{job.id}", payload={"job_id": str(job.id)})
        await audit.record(
            session, action="imports.queued", record_type="import_jobs", record_id=job.id, note=_note(job)
        )
        return job_view(job), 202
    job.status, job.started_at = "running", now
    session.add(job)
    await session.flush()
    result = await engine.run(session, data, options_for(job, kind, actor, settings), progress=engine.Progress())
    store(job, result, now=clock.now())
    await session.flush()
    await audit.record(session, action="imports.ran", record_type="import_jobs", record_id=job.id, note=_note(job))
    return job_view(job), 200


def _note(job: ImportJob) -> str:
    what = "dry run" if job.dry_run else job.mode.replace("_", " ")
    counts = ", ".join(f"{k} {v}" for k, v in (job.counts or {}).items())
    return f"{job.kind} ({what}) {job.filename or ''}: {job.status}{'; ' + counts if counts else ''}"


def options_for(job: ImportJob, kind: ImportKind, actor: Actor, settings: Settings) -> engine.Options:
    return engine.Options(
        kind=kind,
        actor=actor,
        source=job.source,
        mode=job.mode,  # type: ignore[arg-type]
        dry_run=job.dry_run,
        filename=job.filename,
        content_type=job.content_type,
        max_rows=settings.import_max_rows,
        job_id=job.id,
        request_id=job.request_id,
        now=clock.now(),
    )


async def _job(session: AsyncSession, actor: Actor, job_id: uuid.UUID, *, with_report: bool = True) -> ImportJob:
    job = await repository.get_visible(session, actor, job_id, with_report=with_report)
    if job is None:
        raise NotFound("No such import job")
    return job


async def get_job(session: AsyncSession, *, actor: Actor, job_id: uuid.UUID) -> schemas.ImportJob:
    return job_view(await _job(session, actor, job_id))


async def list_jobs(session: AsyncSession, *, actor: Actor, limit: int) -> list[schemas.ImportJobSummary]:
    return [
        schemas.ImportJobSummary(
            id=job.id,
            kind=job.kind,
            status=job.status,
            dry_run=job.dry_run,
            filename=job.filename,
            rows_total=job.rows_total,
            rows_done=job.rows_done,
            counts=schemas.ImportCounts.model_validate(job.counts or {}),
            created_at=job.created_at,
            finished_at=job.finished_at,
        )
        for job in await repository.recent(session, actor, limit=limit)
    ]


async def cancel_job(session: AsyncSession, *, actor: Actor, job_id: uuid.UUID) -> schemas.ImportJob:
    """Stop a queued or running job; a running one rolls back everything it wrote."""
    job = await _job(session, actor, job_id)
    if job.status not in ("queued", "running"):
        raise Conflict(f"The job is {job.status}; only a queued or running job can be cancelled")
    job.status, job.finished_at, job.file_data = "cancelled", clock.now(), None
    await audit.record(session, action="imports.cancelled", record_type="import_jobs", record_id=job.id)
    await session.flush()
    return job_view(job)


async def job_file(
    session: AsyncSession, *, actor: Actor, job_id: uuid.UUID, which: Literal["rejected_csv", "report_csv"]
) -> bytes:
    job = await _job(session, actor, job_id, with_report=False)
    content = await repository.file_of(session, job.id, which)
    if content is None:
        if job.status in ("queued", "running"):
            raise Conflict("The job has not finished yet")
        raise NotFound("This job rejected no rows" if which == "rejected_csv" else "This job has no report")
    return content


async def export(
    session: AsyncSession, *, actor: Actor, kind_name: str, file_format: str, language: Language
) -> tuple[bytes, str, str]:
    """The records of a kind the caller may see, in the import columns: (content, media type, file name)."""
    kind = _kind(kind_name)
    if actor.kind == "client" and kind.read_scope and not actor.has_scope(kind.read_scope):
        raise Forbidden(f"This client lacks the scope '{kind.read_scope}'", code="InsufficientScope")
    context = await load_context(session, actor=actor, source="platform", now=clock.now())
    columns = kind.columns(context)
    rows = list(await kind.export_rows(session, actor, context))
    if file_format == "xlsx":
        content = exports.to_xlsx(kind.titles[language], columns, rows, language)
    elif file_format == "csv":
        content = exports.to_csv(columns, rows, language)
    else:
        content = exports.to_json(columns, rows)
    await audit.record(
        session,
        action="exports.downloaded",
        record_type=kind.table.name,
        note=f"{kind.name} {file_format}: {len(rows)} rows",
    )
    return content, MEDIA_TYPES[file_format], f"acsg-{kind.name}.{file_format}"
