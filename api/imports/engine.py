"""One import run: read the file, match its headers, build the records, compare them with the stored ones,
decide each, and (unless it is a dry run, or any error in all-or-nothing mode) write them in bulk.

CPU-bound steps (reading the file, building and deciding records) run in a thread so the event loop keeps
serving while a large file is processed in the API process. The caller gives the transaction: writes go
into a savepoint that is rolled back when the run fails in all-or-nothing mode, is cancelled, or meets a
record changed by someone else meanwhile.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from api.core.actor import Actor
from api.imports import writer
from api.imports.kinds.base import Candidate, Cells, ImportContext, ImportKind, Issue, load_context
from api.imports.parsing import ImportFileError, Table, header_name_test, match_headers, read_table
from api.imports.templates import column_label

Mode = Literal["all_or_nothing", "valid_rows_only"]
RunStatus = Literal["succeeded", "failed", "cancelled"]
WRITE_CHUNK = 20_000


class Cancelled(Exception):
    pass


class _Rollback(Exception):
    pass


@dataclass
class Progress:
    """Shared with a progress writer: rows checked and rows written (each half of the way)."""

    total: int | None = None
    checked: int = 0
    written: int = 0
    cancelled: bool = False
    # Seconds spent in each phase (for logs and benchmarks).
    timings: dict[str, float] = field(default_factory=dict)

    def lap(self, phase: str, started: float) -> float:
        now = time.perf_counter()
        self.timings[phase] = self.timings.get(phase, 0.0) + now - started
        return now

    @property
    def done(self) -> int:
        return (self.checked + self.written) // 2

    def check(self) -> None:
        if self.cancelled:
            raise Cancelled


@dataclass
class Options:
    kind: ImportKind
    actor: Actor
    source: str
    mode: Mode
    dry_run: bool
    filename: str | None
    content_type: str | None
    max_rows: int
    job_id: uuid.UUID
    request_id: str | None
    now: datetime


@dataclass
class RunResult:
    status: RunStatus
    file_format: str | None = None
    table: Table | None = None
    candidates: list[Candidate] = field(default_factory=list)
    file_issues: list[Issue] = field(default_factory=list)
    error_code: str | None = None
    error: str | None = None

    @property
    def issues(self) -> list[Issue]:
        found = list(self.file_issues)
        for candidate in self.candidates:
            found.extend(candidate.issues)
        return sorted(found, key=lambda i: (i.row or 0, i.severity != "error"))

    def counts(self) -> dict[str, int]:
        counts = {"rows": 0, "records": len(self.candidates), "created": 0, "updated": 0, "unchanged": 0, "rejected": 0}
        rejected_rows = 0
        for candidate in self.candidates:
            counts[candidate.outcome or "rejected"] += 1
            counts["rows"] += len(candidate.rows)
            if candidate.outcome == "rejected":
                rejected_rows += len(candidate.rows)
        issues = self.issues
        counts["rejected_rows"] = rejected_rows
        counts["errors"] = sum(1 for i in issues if i.severity == "error")
        counts["warnings"] = sum(1 for i in issues if i.severity == "warning")
        return counts


def _header_issues(kind_columns: Sequence[Any], table: Table) -> tuple[dict[str, str], list[Issue], str | None]:
    """Column key -> file header; warnings for unknown headers; a file-level error message when required
    columns are missing or a column appears twice."""
    specs = [c.spec for c in kind_columns]
    match = match_headers(table.headers, specs)
    issues: list[Issue] = []
    by_key = {spec.key: spec for spec in specs}
    for header in match.unknown:
        hint = match.suggestions.get(header)
        suggestion = f' Did you mean "{column_label(by_key[hint], "en")}"?' if hint else ""
        issues.append(
            Issue(None, header, None, f"This column is not imported (unknown header).{suggestion}", "warning")
        )
    problems: list[str] = []
    if match.missing_required:
        names = ", ".join(f'"{column_label(by_key[k], "en")}"' for k in match.missing_required)
        problems.append(f"Required columns are missing: {names} (headers may be in English, French or Spanish).")
    if match.duplicates:
        problems.append(
            f"These columns repeat another column under another name: {', '.join(match.duplicates)}; keep one of each."
        )
    header_of = {key: header for header, key in match.mapping.items()}
    return header_of, issues, " ".join(problems) or None


def _decide_all(kind: ImportKind, candidates: list[Candidate], context: ImportContext, progress: Progress) -> None:
    for candidate in candidates:
        if not candidate.has_errors:
            kind.decide(candidate, context)
        if candidate.has_errors:
            candidate.outcome = "rejected"
        progress.checked += len(candidate.rows) // 2


async def run(
    session: AsyncSession,
    data: bytes,
    options: Options,
    *,
    progress: Progress,
    checkpoint: Callable[[], Awaitable[None]] | None = None,
) -> RunResult:
    """Run one import into the caller's transaction; see the module notes."""

    async def tick() -> None:
        if checkpoint is not None:
            await checkpoint()
        progress.check()

    kind = options.kind
    started = time.perf_counter()
    context = await load_context(session, actor=options.actor, source=options.source, now=options.now)
    columns = kind.columns(context)
    started = progress.lap("reference data", started)
    try:
        table = await asyncio.to_thread(
            read_table,
            data,
            filename=options.filename,
            content_type=options.content_type,
            max_rows=options.max_rows,
            is_header_name=header_name_test([c.spec for c in columns]),
        )
    except ImportFileError as error:
        return RunResult("failed", error_code=error.code, error=error.message)
    started = progress.lap("read file", started)
    progress.total = len(table.rows)
    await tick()
    header_of, header_issues, problem = _header_issues(columns, table)
    if table.skipped_above_header:
        skipped = table.skipped_above_header
        which = f"Row {skipped[0]}" if len(skipped) == 1 else f"Rows {', '.join(map(str, skipped))}"
        header_issues.insert(
            0,
            Issue(
                None,
                None,
                None,
                f"{which} above the header row {'was' if len(skipped) == 1 else 'were'} not read (a title or notes).",
                "warning",
            ),
        )
    if problem:
        return RunResult("failed", table.format, table, file_issues=header_issues, error_code="columns", error=problem)
    cells = Cells(columns, header_of)
    candidates = await asyncio.to_thread(kind.build, table.rows, cells, context)
    started = progress.lap("build records", started)
    progress.checked = progress.total // 2
    await tick()
    await kind.load(session, candidates, context)
    started = progress.lap("load stored records", started)
    await tick()
    await asyncio.to_thread(_decide_all, kind, candidates, context, progress)
    started = progress.lap("compare and decide", started)
    progress.checked = progress.total
    await tick()
    result = RunResult("succeeded", table.format, table, candidates, header_issues)
    has_errors = any(c.outcome == "rejected" for c in candidates)
    if has_errors and options.mode == "all_or_nothing":
        result.status = "failed"
        if not options.dry_run:
            for candidate in candidates:
                if candidate.outcome != "rejected":
                    candidate.issues.append(
                        Issue(
                            candidate.first_row,
                            None,
                            None,
                            "Not imported: the file has errors (all or nothing).",
                            "warning",
                        )
                    )
        return result
    if options.dry_run:
        return result
    to_write = [c for c in candidates if c.outcome in ("created", "updated")]
    try:
        async with session.begin_nested():
            await _write(session, kind, to_write, options, context, progress, tick)
    except _Rollback:
        result.status = "failed"
    progress.lap("write", started)
    progress.written = progress.total
    return result


async def _write(
    session: AsyncSession,
    kind: ImportKind,
    to_write: list[Candidate],
    options: Options,
    context: ImportContext,
    progress: Progress,
    tick: Callable[[], Awaitable[None]],
) -> None:
    created = [c for c in to_write if c.outcome == "created"]
    await kind.prepare_new(session, created)
    for candidate in created:
        candidate.final.update(kind.insert_values(candidate, context))
    conflicts: list[Candidate] = []
    for start in range(0, len(to_write), WRITE_CHUNK):
        chunk = to_write[start : start + WRITE_CHUNK]
        outcome = await writer.write(
            session,
            kind,
            chunk,
            actor=options.actor,
            now=options.now,
            note=f"import {options.job_id}",
            request_id=options.request_id,
        )
        conflicts.extend(outcome.conflicts)
        progress.written += sum(len(c.rows) for c in chunk)
        await tick()
    for candidate in conflicts:
        candidate.outcome = "rejected"
        candidate.error(
            None, "Someone changed or created this record while the file was imported; import the file again."
        )
    if conflicts and options.mode == "all_or_nothing":
        for candidate in to_write:
            if candidate.outcome != "rejected":
                candidate.issues.append(
                    Issue(
                        candidate.first_row,
                        None,
                        None,
                        "Not imported: the file has errors (all or nothing).",
                        "warning",
                    )
                )
        raise _Rollback
