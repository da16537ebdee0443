"""`acsg import`, `acsg export` and `acsg changes`: the API's bulk import, export and change feed from a
terminal or a script, against any server.

The server comes from `--server` or ACSG_SERVER. Credentials: a personal access token (`--token` or
ACSG_TOKEN), or an integration client (`--client-id`/`--client-secret`, or ACSG_CLIENT_ID and
ACSG_CLIENT_SECRET), exchanged for a token at /oauth/token. Exit codes: 0 done, 1 the import refused rows or
the file, 2 a usage, connection or authorisation problem.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from api.cli import command

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2
KINDS = ("requests", "offers", "pledges", "organisations", "existing_support")
POLL_SECONDS = 0.5
SHOWN_ISSUES = 200


class CommandError(Exception):
    """A problem to report in one line, exiting with code 2."""


def _console() -> Console:
    return Console(stderr=True, highlight=False)


def _connection_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--server", default=os.environ.get("ACSG_SERVER"), help="e.g. https://acsg.example.org")
    parser.add_argument("--token", default=os.environ.get("ACSG_TOKEN"), help="a personal access token")
    parser.add_argument("--client-id", default=os.environ.get("ACSG_CLIENT_ID"))
    parser.add_argument("--client-secret", default=os.environ.get("ACSG_CLIENT_SECRET"))


def _api_error(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}"
    detail = body.get("detail") or body.get("error_description") or body.get("error") or ""
    fields = "".join(f"\n  {f['field']}: {f['message']}" for f in body.get("fields") or [])
    return f"HTTP {response.status_code}: {detail}{fields}"


@contextlib.contextmanager
def connect(args: argparse.Namespace) -> Iterator[httpx.Client]:
    """An HTTP client on the server's API with the caller's credentials."""
    if not args.server:
        raise CommandError("Say which server: --server URL or ACSG_SERVER")
    if not args.token and not (args.client_id and args.client_secret):
        raise CommandError("Give --token (or ACSG_TOKEN), or --client-id and --client-secret")
    base = args.server.rstrip("/") + "/api/v1"
    with httpx.Client(base_url=base, timeout=httpx.Timeout(300, connect=10), follow_redirects=False) as client:
        if args.token:
            client.headers["Authorization"] = f"Bearer {args.token}"
        else:
            response = client.post(
                "/oauth/token",
                data={
                    "grant_type": "client_credentials",
                    "client_id": args.client_id,
                    "client_secret": args.client_secret,
                },
            )
            if response.status_code != 200:
                raise CommandError(f"The server refused the client credentials: {_api_error(response)}")
            client.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
        yield client


def _run(function: Any, args: argparse.Namespace) -> int:
    try:
        code: int = function(args)
        return code
    except CommandError as error:
        _console().print(f"[red]{error}[/red]")
        return EXIT_USAGE
    except httpx.HTTPError as error:
        _console().print(f"[red]Cannot reach the server: {error}[/red]")
        return EXIT_USAGE


# --- import -----------------------------------------------------------------------------------------------


def _import_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path)
    parser.add_argument("--kind", required=True, choices=KINDS)
    parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
    parser.add_argument("--mode", choices=("all_or_nothing", "valid_rows_only"), default="all_or_nothing")
    parser.add_argument("--source", help="where the external ids come from (default: your organisation)")
    parser.add_argument("--rejected-rows", type=Path, help="save the rejected rows (with an error column) here")
    _connection_options(parser)


def _wait_for(client: httpx.Client, job: dict[str, Any], console: Console) -> dict[str, Any]:
    """Poll a background job to its end, with a progress bar."""
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(f"importing {job.get('filename') or ''} ({job['status']})", total=job["rows_total"])
        while job["status"] in ("queued", "running"):
            time.sleep(POLL_SECONDS)
            response = client.get(f"/imports/jobs/{job['id']}")
            if response.status_code != 200:
                raise CommandError(f"Cannot follow the job: {_api_error(response)}")
            job = response.json()
            progress.update(
                task,
                total=job["rows_total"],
                completed=job["rows_done"],
                description=f"importing {job.get('filename') or ''} ({job['status']})",
            )
    return job


def _print_report(job: dict[str, Any]) -> None:
    out = Console(highlight=False)
    counts = job["counts"]
    verb = "would be" if job["dry_run"] else "were"
    out.print(
        f"[bold]{job['kind']}[/bold] {job.get('filename') or ''}: [bold]{job['status']}[/bold]"
        f"{' (dry run)' if job['dry_run'] else ''}"
    )
    if job.get("error"):
        out.print(f"[red]{job['error']}[/red]")
    out.print(
        f"{counts.get('rows', 0)} rows, {counts.get('records', 0)} records: {counts.get('created', 0)} {verb} created, "
        f"{counts.get('updated', 0)} updated, {counts.get('unchanged', 0)} unchanged, "
        f"{counts.get('rejected', 0)} rejected ({counts.get('errors', 0)} errors, {counts.get('warnings', 0)} warnings)"
    )
    issues = job.get("issues") or []
    if issues:
        table = Table("row", "column", "value", "message", "severity", show_lines=False)
        for issue in issues[:SHOWN_ISSUES]:
            style = "red" if issue["severity"] == "error" else "yellow"
            table.add_row(
                str(issue["row"] or ""),
                issue["column"] or "",
                (issue["value"] or "")[:40],
                issue["message"],
                f"[{style}]{issue['severity']}[/{style}]",
            )
        out.print(table)
        if job["issues_total"] > min(len(issues), SHOWN_ISSUES):
            out.print(
                f"... {job['issues_total']} issues in all: download the report (GET /imports/jobs/{job['id']}/report)"
            )


@command("import", "import a CSV, XLSX or JSON file through the API (shows the row report)", _import_options)
def import_file(args: argparse.Namespace) -> int:
    return _run(_import, args)


def _import(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        raise CommandError(f"No such file: {args.file}")
    console = _console()
    with connect(args) as client:
        data = {"dry_run": str(args.dry_run).lower(), "mode": args.mode}
        if args.source:
            data["source"] = args.source
        with args.file.open("rb") as handle:
            response = client.post(f"/imports/{args.kind}", files={"file": (args.file.name, handle)}, data=data)
        if response.status_code not in (200, 202):
            raise CommandError(f"The server refused the upload: {_api_error(response)}")
        job = response.json()
        if response.status_code == 202:
            job = _wait_for(client, job, console)
        _print_report(job)
        if args.rejected_rows and job.get("has_rejected_rows"):
            rejected = client.get(f"/imports/jobs/{job['id']}/rejected-rows")
            args.rejected_rows.write_bytes(rejected.content)
            console.print(f"rejected rows saved to {args.rejected_rows}")
    refused = job["status"] != "succeeded" or job["counts"].get("rejected", 0) > 0
    return EXIT_REFUSED if refused else EXIT_OK


# --- export -----------------------------------------------------------------------------------------------


def _export_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kind", required=True, choices=KINDS)
    parser.add_argument("--format", choices=("csv", "xlsx", "json"), default="csv")
    parser.add_argument("--language", choices=("en", "fr", "es"), default="en")
    parser.add_argument("-o", "--output", type=Path, required=True, help="the file to write ('-' for stdout)")
    _connection_options(parser)


@command("export", "export the records you may see, in the import columns", _export_options)
def export_records(args: argparse.Namespace) -> int:
    return _run(_export, args)


def _export(args: argparse.Namespace) -> int:
    with connect(args) as client:
        response = client.get(f"/exports/{args.kind}", params={"format": args.format, "language": args.language})
        if response.status_code != 200:
            raise CommandError(f"The server refused the export: {_api_error(response)}")
    if str(args.output) == "-":
        sys.stdout.buffer.write(response.content)
    else:
        args.output.write_bytes(response.content)
        _console().print(f"{args.kind} exported to {args.output}")
    return EXIT_OK


# --- changes ----------------------------------------------------------------------------------------------


def _changes_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cursor", help="continue after this cursor (printed at the end of each run)")
    parser.add_argument("--resources", help="comma-separated, e.g. pledge,support_request")
    parser.add_argument("--follow", action="store_true", help="keep polling for new changes (Ctrl-C stops)")
    parser.add_argument("--interval", type=float, default=5.0, help="seconds between polls with --follow")
    _connection_options(parser)


@command("changes", "print the change feed as JSON lines (commit order)", _changes_options)
def follow_changes(args: argparse.Namespace) -> int:
    return _run(_changes, args)


def _changes(args: argparse.Namespace) -> int:
    cursor = args.cursor
    try:
        with connect(args) as client:
            while True:
                params = {"limit": "500", **({"cursor": cursor} if cursor else {})}
                if args.resources:
                    params["resources"] = args.resources
                response = client.get("/changes", params=params)
                if response.status_code != 200:
                    raise CommandError(f"The server refused the change feed: {_api_error(response)}")
                page = response.json()
                for item in page["items"]:
                    sys.stdout.write(json.dumps(item, ensure_ascii=False) + "\n")
                sys.stdout.flush()
                cursor = page["next_cursor"]
                if page["has_more"]:
                    continue
                if not args.follow:
                    break
                time.sleep(args.interval)
    except KeyboardInterrupt:
        pass
    _console().print(f"cursor: {cursor}")
    return EXIT_OK
