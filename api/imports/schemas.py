"""Import jobs and their reports."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import Field

from api.core.schemas import ReadModel

ImportStatus = Literal["queued", "running", "succeeded", "failed", "cancelled"]
ImportMode = Literal["all_or_nothing", "valid_rows_only"]
FileFormat = Literal["csv", "xlsx", "json"]
Language = Literal["en", "fr", "es"]


class ImportIssue(ReadModel):
    row: int | None = Field(description="The row as the spreadsheet numbers it (the item for JSON); none: the file")
    column: str | None = Field(description="The column's header as written in the file")
    value: str | None
    message: str
    severity: Literal["error", "warning"]


class ImportRecord(ReadModel):
    rows: list[int]
    key: str | None = Field(description="The record's external id (or reference, or id)")
    outcome: Literal["created", "updated", "unchanged", "rejected"]
    id: uuid.UUID | None


class ImportCounts(ReadModel):
    rows: int = 0
    records: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = Field(default=0, description="Records not imported")
    rejected_rows: int = 0
    errors: int = 0
    warnings: int = 0


class ImportJob(ReadModel):
    id: uuid.UUID
    kind: str
    status: ImportStatus = Field(
        description="failed: nothing was written (all or nothing) or the file was refused; for a dry run, "
        "whether the import would succeed"
    )
    dry_run: bool
    mode: ImportMode
    source: str
    filename: str | None
    file_format: str | None
    rows_total: int | None
    rows_done: int
    counts: ImportCounts
    error_code: str | None = Field(description="Why the whole file was refused (empty_file, columns, ...)")
    error: str | None
    issues: list[ImportIssue] = Field(description="The first 1,000 issues, by row")
    issues_total: int
    records: list[ImportRecord] = Field(description="The first 1,000 records and their outcome")
    has_rejected_rows: bool
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class ImportJobSummary(ReadModel):
    id: uuid.UUID
    kind: str
    status: ImportStatus
    dry_run: bool
    filename: str | None
    rows_total: int | None
    rows_done: int
    counts: ImportCounts
    created_at: datetime
    finished_at: datetime | None


class ImportKindInfo(ReadModel):
    name: str
    title: str
    may_import: bool
