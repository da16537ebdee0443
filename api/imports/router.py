"""Bulk imports (templates, uploads, jobs and their reports) and exports in the same formats."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile
from fastapi.responses import JSONResponse

from api.auth.dependencies import SignedInDep
from api.core.config import Settings
from api.core.db import SessionDep
from api.imports import jobs as _jobs  # noqa: F401 - registers the worker's import handler
from api.imports import schemas, service

router = APIRouter(tags=["imports"])
KindPath = Annotated[str, "the kind"]
FormatQuery = Annotated[schemas.FileFormat, Query(alias="format")]


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _download(content: bytes, media_type: str, filename: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


_FILE_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                "schema": {"type": "string", "format": "binary"}
            },
            "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
        },
        "description": "The file",
    }
}


@router.get("/imports/kinds", response_model=list[schemas.ImportKindInfo])
async def list_import_kinds(actor: SignedInDep) -> list[schemas.ImportKindInfo]:
    """The kinds of records that can be imported, and whether the caller may import each."""
    return service.kinds(actor)


@router.get("/imports/templates/{kind}", response_class=Response, responses=_FILE_RESPONSES)
async def download_import_template(
    kind: str,
    session: SessionDep,
    actor: SignedInDep,
    file_format: FormatQuery = "xlsx",
    language: schemas.Language = "en",
) -> Response:
    """The blank file to fill in: XLSX (notes on headers, drop-downs of valid codes, instructions), CSV
    (the header row) or JSON (a JSON Schema). Headers may be kept in any of the three languages."""
    return _download(
        *await service.template(session, actor=actor, kind_name=kind, file_format=file_format, language=language)
    )


@router.post(
    "/imports/{kind}",
    response_model=schemas.ImportJob,
    responses={202: {"model": schemas.ImportJob, "description": "Queued: poll the job"}},
)
async def upload_import(
    kind: str,
    request: Request,
    session: SessionDep,
    actor: SignedInDep,
    file: Annotated[UploadFile, File(description="An XLSX, CSV or JSON file (see the templates)")],
    dry_run: Annotated[bool, Form(description="Check only: report every row, write nothing")] = False,
    mode: Annotated[schemas.ImportMode, Form()] = "all_or_nothing",
    source: Annotated[
        str | None, Form(max_length=64, description="Where the external ids come from (default: your organisation)")
    ] = None,
) -> JSONResponse:
    """Import (or check) a file. Records are upserted by (source, external id): importing the same file again
    writes nothing and reports every row unchanged. Large files run in the background (202)."""
    data = await file.read()
    job, status_code = await service.upload(
        session,
        actor=actor,
        kind_name=kind,
        data=data,
        filename=file.filename,
        content_type=file.content_type,
        dry_run=dry_run,
        mode=mode,
        source=source,
        settings=_settings(request),
    )
    headers = {"Location": f"/api/v1/imports/jobs/{job.id}"}
    return JSONResponse(job.model_dump(mode="json"), status_code=status_code, headers=headers)


@router.get("/imports/jobs", response_model=list[schemas.ImportJobSummary])
async def list_import_jobs(
    session: SessionDep, actor: SignedInDep, limit: Annotated[int, Query(ge=1, le=200)] = 50
) -> list[schemas.ImportJobSummary]:
    """The caller's recent imports (all of them for the Secretariat), newest first."""
    return await service.list_jobs(session, actor=actor, limit=limit)


@router.get("/imports/jobs/{job_id}", response_model=schemas.ImportJob)
async def get_import_job(job_id: uuid.UUID, session: SessionDep, actor: SignedInDep) -> schemas.ImportJob:
    """A job's status, progress (rows done of total) and report."""
    return await service.get_job(session, actor=actor, job_id=job_id)


@router.post("/imports/jobs/{job_id}/cancel", response_model=schemas.ImportJob)
async def cancel_import_job(job_id: uuid.UUID, session: SessionDep, actor: SignedInDep) -> schemas.ImportJob:
    return await service.cancel_job(session, actor=actor, job_id=job_id)


@router.get("/imports/jobs/{job_id}/rejected-rows", response_class=Response, responses=_FILE_RESPONSES)
async def download_rejected_rows(job_id: uuid.UUID, session: SessionDep, actor: SignedInDep) -> Response:
    """The rejected rows as they were in the file, with an `error` column: fix them and import this file."""
    content = await service.job_file(session, actor=actor, job_id=job_id, which="rejected_csv")
    return _download(content, service.MEDIA_TYPES["csv"], f"rejected-rows-{job_id}.csv")


@router.get("/imports/jobs/{job_id}/report", response_class=Response, responses=_FILE_RESPONSES)
async def download_import_report(job_id: uuid.UUID, session: SessionDep, actor: SignedInDep) -> Response:
    """Every row of the file with its record's outcome (created, updated, unchanged, rejected) and messages."""
    content = await service.job_file(session, actor=actor, job_id=job_id, which="report_csv")
    return _download(content, service.MEDIA_TYPES["csv"], f"import-report-{job_id}.csv")


@router.get("/exports/{kind}", response_class=Response, responses=_FILE_RESPONSES, tags=["exports"])
async def export_records(
    kind: str,
    session: SessionDep,
    actor: SignedInDep,
    file_format: FormatQuery = "csv",
    language: schemas.Language = "en",
) -> Response:
    """The records of a kind the caller may see, in the import's columns (edit and import them again).
    Confidential columns are filled only for records the caller sees in full."""
    return _download(
        *await service.export(session, actor=actor, kind_name=kind, file_format=file_format, language=language)
    )
