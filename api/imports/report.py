"""The report of an import run: issues and per-record outcomes (for the job), and two CSV files: the full
row report, and the rejected rows as they were in the file with an `error` column added (fix and re-import)."""

from __future__ import annotations

import codecs
import csv
import io
from typing import Any

from api.imports.engine import RunResult
from api.imports.kinds.base import Issue

SHOWN = 1000


def issue_json(issue: Issue) -> dict[str, Any]:
    return {
        "row": issue.row,
        "column": issue.column,
        "value": issue.value,
        "message": issue.message,
        "severity": issue.severity,
    }


def issues(result: RunResult) -> tuple[list[dict[str, Any]], int]:
    found = result.issues
    return [issue_json(i) for i in found[:SHOWN]], len(found)


def records(result: RunResult) -> list[dict[str, Any]]:
    return [
        {
            "rows": [row.number for row in candidate.rows],
            "key": candidate.key_text or None,
            "outcome": candidate.outcome or "rejected",
            "id": str(candidate.id) if candidate.id and candidate.outcome != "rejected" else None,
        }
        for candidate in result.candidates[:SHOWN]
    ]


def _csv(rows: list[list[Any]]) -> bytes:
    output = io.StringIO()
    csv.writer(output, lineterminator="\r\n").writerows(rows)
    return codecs.BOM_UTF8 + output.getvalue().encode("utf-8")


def report_csv(result: RunResult) -> bytes:
    """One line per row of the file: its record's key and outcome, and the messages about it."""
    lines: list[list[Any]] = [["row", "record", "outcome", "messages"]]
    for issue in result.file_issues:
        lines.append(["", "", "", f"{issue.severity}: {issue.column}: {issue.message}"])
    for candidate in result.candidates:
        for row in candidate.rows:
            messages = [
                f"{i.severity}: {i.column + ': ' if i.column else ''}{i.message}"
                for i in candidate.issues
                if i.row in (row.number, None) or (i.row == candidate.first_row and row is candidate.rows[0])
            ]
            lines.append([row.number, candidate.key_text, candidate.outcome or "rejected", " | ".join(messages)])
    return _csv(lines)


def rejected_csv(result: RunResult) -> bytes | None:
    """The rejected rows with their original cells and an `error` column; None when none were rejected."""
    if result.table is None:
        return None
    headers = list(result.table.headers)
    lines: list[list[Any]] = [[*headers, "error"]]
    for candidate in result.candidates:
        if candidate.outcome != "rejected":
            continue
        for row in candidate.rows:
            messages = [
                f"{i.column + ': ' if i.column else ''}{i.message}"
                for i in candidate.issues
                if i.severity == "error"
                and (
                    i.row == row.number or (i.row == candidate.first_row and row is candidate.rows[0]) or i.row is None
                )
            ]
            if not messages:
                messages = ["Another row of the same record has an error"]
            lines.append([*(row.values.get(h) or "" for h in headers), " | ".join(dict.fromkeys(messages))])
    return _csv(lines) if len(lines) > 1 else None
