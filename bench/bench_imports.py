"""Bulk import at scale: a 100,000-row request file (CSV, then XLSX) imported end to end through the API (upload to
final report, run by the worker as a background job: the code path of the API and of `acsg import`), its
idempotent re-run (0 rows written, checked in PostgreSQL: the rows' xmin, pg_stat_user_tables' n_tup_ins /
n_tup_upd / n_tup_del, the change feed), and for comparison a plain COPY of the same rows into a bare table and
a copy of the imported rows into clones of the real tables (their generated search vector and indexes): what
PostgreSQL itself needs to store these records, whoever writes them.

Run: `.venv/bin/python bench/bench_imports.py [--rows 100000] [--components 4]` (rows are components: a request
takes `--components` consecutive rows, the documented layout).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import io
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import uvicorn
from openpyxl import Workbook

# This checkout's packages first, whatever the virtualenv's editable install points at.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import bench_settings, free_port, machine, scratch_database, wait_until_ready

HEADERS = [
    "External ID",
    "Country",
    "Title",
    "Status",
    "Urgency",
    "Languages",
    "Start date",
    "End date",
    "Public summary",
    "Confidential details",
    "Component",
    "Area",
    "Modalities",
    "Support types",
    "Component description",
]
AREAS = [
    "procedures.rsd",
    "procedures.coi",
    "procedures.quality",
    "procedures.registration",
    "procedures.backlog",
    "legal.legislation",
    "institutional.training",
    "expertise.legal_aid",
]
TITLES = [
    "Formation des officiers de protection",
    "Capacitación en entrevistas",
    "Registration backlog reduction",
    "Qualité des décisions",
    "Información sobre países de origen",
    "Case management system",
]


def rows(count: int, components: int, countries: list[str], prefix: str) -> list[list[str]]:
    table: list[list[str]] = []
    for index in range(count):
        record = index // components
        table.append(
            [
                f"{prefix}-{record:06d}",
                countries[record % len(countries)],
                f"{TITLES[record % len(TITLES)]} {record}",
                "draft",
                "normal",
                "fr; en",
                "07/03/2026",
                "2027-12-31",
                "Appui à l'autorité chargée de l'asile pour améliorer la qualité des décisions",
                "Confidential: contact the director",
                str(index % components + 1),
                AREAS[(record + index) % len(AREAS)],
                "training; remote_advice",
                "technical",
                f"Component {index % components + 1} of request {record}",
            ]
        )
    return table


def to_csv(table: list[list[str]]) -> bytes:
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(table)
    return output.getvalue().encode("utf-8")


def to_xlsx(table: list[list[str]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Requests")
    sheet.append(HEADERS)
    for row in table:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


@contextlib.contextmanager
def server_with_worker(url: str) -> Iterator[str]:
    """The API and its outbox worker in one process (as `acsg serve` runs them), on a free port."""
    from api.core.db import Database, make_engine, normalise_url
    from api.main import create_app
    from api.worker import run_forever

    settings = bench_settings(url, max_upload_bytes=200 * 1024 * 1024, import_max_rows=200_000)
    port = free_port()
    holder: dict[str, uvicorn.Server] = {}

    async def serve() -> None:
        database = Database(make_engine(normalise_url(url)))
        server = uvicorn.Server(
            uvicorn.Config(
                create_app(settings, database=database),
                host="127.0.0.1",
                port=port,
                log_level="warning",
                access_log=False,
            )
        )
        holder["server"] = server
        worker = asyncio.create_task(run_forever(database, settings, poll_seconds=0.05, periodic_seconds=3600))
        try:
            await server.serve()
        finally:
            worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await worker
            await database.dispose()

    thread = threading.Thread(target=lambda: asyncio.run(serve()), daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    if not wait_until_ready(base):
        raise SystemExit("the API did not start")
    try:
        yield base
    finally:
        holder["server"].should_exit = True
        thread.join(timeout=30)


async def prepare(url: str) -> tuple[str, list[str]]:
    """A government organisation per country and a Secretariat user with a personal access token."""
    from api.core.security import new_token, token_hash

    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    connection = await asyncpg.connect(dsn)
    try:
        countries = [
            r["iso3"] for r in await connection.fetch("SELECT iso3 FROM countries WHERE is_un_member ORDER BY iso3")
        ]
        await connection.copy_records_to_table(
            "organisations",
            columns=["id", "name", "kind", "contributor_type", "country_iso3", "is_active", "created_at", "updated_at"],
            records=[
                (uuid.uuid4(), f"Government {c}", "state_government", "state", c, True, time_now(), time_now())
                for c in countries
            ],
        )
        secretariat, user = uuid.uuid4(), uuid.uuid4()
        await connection.execute(
            "INSERT INTO organisations (id, name, kind, contributor_type, country_iso3, is_active, created_at, "
            "updated_at) VALUES ($1, 'ACSG Secretariat', 'secretariat', 'un_international', 'CHE', true, now(), now())",
            secretariat,
        )
        await connection.execute(
            "INSERT INTO users (id, email, full_name, preferred_language, is_active, failed_sign_ins, created_at, "
            "updated_at) VALUES ($1, 'bench@acsg.example', 'Bench', 'en', true, 0, now(), now())",
            user,
        )
        await connection.execute(
            "INSERT INTO memberships (id, user_id, organisation_id, role, created_at, updated_at) "
            "VALUES ($1, $2, $3, 'focal_point', now(), now())",
            uuid.uuid4(),
            user,
            secretariat,
        )
        token = new_token("acsg_pat_")
        await connection.execute(
            "INSERT INTO personal_access_tokens (id, user_id, name, token_prefix, token_hash, created_at) "
            "VALUES ($1, $2, 'bench', $3, $4, now())",
            uuid.uuid4(),
            user,
            token[:15],
            token_hash(token),
        )
        return token, countries
    finally:
        await connection.close()


def time_now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)


TABLES = ("support_requests", "support_request_components")


async def tuple_counts(url: str) -> dict[str, int]:
    """Rows inserted, updated and deleted in the imported tables since the server started (PostgreSQL's
    statistics; a backend publishes its counts within a second of its commit, so wait for them)."""
    await asyncio.sleep(1.5)
    connection = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        rows = await connection.fetch(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del AS written FROM pg_stat_user_tables "
            "WHERE relname = ANY($1::text[])",
            list(TABLES),
        )
        return {row["relname"]: int(row["written"]) for row in rows}
    finally:
        await connection.close()


async def table_floor(url: str) -> float:
    """Seconds PostgreSQL takes to store the imported requests and components again, by one INSERT ... SELECT
    each into clones of their tables (same generated search vector, indexes and defaults; no foreign keys)."""
    connection = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        started = time.perf_counter()
        async with connection.transaction():
            for table in TABLES:
                columns = ", ".join(
                    r["attname"]
                    for r in await connection.fetch(
                        "SELECT attname FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 "
                        "AND NOT attisdropped AND attgenerated = '' ORDER BY attnum",
                        table,
                    )
                )
                await connection.execute(f"CREATE TABLE floor_{table} (LIKE {table} INCLUDING ALL)")
                await connection.execute(
                    f"INSERT INTO floor_{table} ({columns}) SELECT {columns} FROM {table}"  # noqa: S608
                )
        return time.perf_counter() - started
    finally:
        await connection.close()


async def written_state(url: str) -> dict[str, Any]:
    """A fingerprint of every imported row's version (xmin), and the audit and change-feed row counts."""
    connection = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        return {
            "requests": await connection.fetchval(
                "SELECT md5(string_agg(id::text || xmin::text, ',' ORDER BY id)) FROM support_requests"
            ),
            "components": await connection.fetchval(
                "SELECT md5(string_agg(id::text || xmin::text, ',' ORDER BY id)) FROM support_request_components"
            ),
            "audit_events": await connection.fetchval("SELECT count(*) FROM audit_events"),
            "change_events": await connection.fetchval("SELECT count(*) FROM change_events"),
            "request_count": await connection.fetchval("SELECT count(*) FROM support_requests"),
        }
    finally:
        await connection.close()


def import_file(base: str, token: str, content: bytes, filename: str) -> tuple[float, dict[str, Any]]:
    """Upload, then poll the job to its end; seconds from the upload to the final report."""
    headers = {"Authorization": f"Bearer {token}"}
    started = time.perf_counter()
    with httpx.Client(base_url=base, headers=headers, timeout=600) as client:
        response = client.post(
            "/api/v1/imports/requests", files={"file": (filename, content)}, data={"source": "bench"}
        )
        job = response.json()
        assert response.status_code in (200, 202), response.text
        while job["status"] in ("queued", "running"):
            time.sleep(0.1)
            job = client.get(f"/api/v1/imports/jobs/{job['id']}").json()
    return time.perf_counter() - started, job


async def plain_copy(url: str, content: bytes) -> float:
    connection = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        columns = ", ".join(f"c{i} text" for i in range(len(HEADERS)))
        await connection.execute(f"CREATE TABLE bare_copy ({columns})")
        started = time.perf_counter()
        await connection.copy_to_table("bare_copy", source=io.BytesIO(content), format="csv", header=True)
        return time.perf_counter() - started
    finally:
        await connection.close()


def line(name: str, seconds: float, job: dict[str, Any] | None = None) -> str:
    counts = job["counts"] if job else {}
    detail = ", ".join(
        f"{k} {counts[k]}" for k in ("rows", "records", "created", "unchanged", "rejected") if k in counts
    )
    return f"{name:<46} {seconds:7.2f} s   {detail}"


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--components", type=int, default=4, help="rows (components) per request")
    args = parser.parse_args()
    print(machine())
    async with scratch_database() as url:
        token, countries = await prepare(url)
        csv_rows = rows(args.rows, args.components, countries, "CSV")
        csv_content = to_csv(csv_rows)
        xlsx_content = to_xlsx(rows(args.rows, args.components, countries, "XLSX"))
        print(
            f"{args.rows} rows, {args.rows // args.components} requests of {args.components} components; "
            f"CSV {len(csv_content) / 1e6:.1f} MB, XLSX {len(xlsx_content) / 1e6:.1f} MB"
        )
        with server_with_worker(url) as base:
            # A server in use has its connections open and its code loaded: warm it with a small file first.
            warm = to_csv(rows(args.components * 10, args.components, countries, "WARM"))
            await asyncio.to_thread(import_file, base, token, warm, "warm-up.csv")
            seconds, job = await asyncio.to_thread(import_file, base, token, csv_content, "requests.csv")
            assert job["status"] == "succeeded", job
            print(line("CSV import, end to end", seconds, job))
            before, counted = await written_state(url), await tuple_counts(url)
            seconds, job = await asyncio.to_thread(import_file, base, token, csv_content, "requests.csv")
            after, recounted = await written_state(url), await tuple_counts(url)
            unchanged = {k: before[k] == after[k] for k in ("requests", "components", "change_events")}
            tuples = {t: recounted[t] - counted[t] for t in TABLES}
            audit_added = after["audit_events"] - before["audit_events"]
            print(line("CSV re-run (idempotent), end to end", seconds, job))
            print(
                f"{'':<46}   row versions (xmin) changed: {'none' if all(unchanged.values()) else unchanged}; "
                f"tuples inserted+updated+deleted (pg_stat_user_tables): {tuples}; "
                f"audit events added: {audit_added} (the import job itself)"
            )
            assert all(unchanged.values()) and not any(tuples.values()), "the re-run wrote rows"
            seconds, job = await asyncio.to_thread(import_file, base, token, xlsx_content, "requests.xlsx")
            assert job["status"] == "succeeded", job
            print(line("XLSX import, end to end", seconds, job))
            before, counted = await written_state(url), await tuple_counts(url)
            seconds, job = await asyncio.to_thread(import_file, base, token, xlsx_content, "requests.xlsx")
            after, recounted = await written_state(url), await tuple_counts(url)
            same = before["requests"] == after["requests"] and before["components"] == after["components"]
            tuples = {t: recounted[t] - counted[t] for t in TABLES}
            print(line("XLSX re-run (idempotent), end to end", seconds, job))
            print(
                f"{'':<46}   row versions (xmin) changed: {'none' if same else 'SOME'}; "
                f"tuples inserted+updated+deleted: {tuples}"
            )
            assert same and not any(tuples.values()), "the re-run wrote rows"
        seconds = await plain_copy(url, csv_content)
        print(line("plain COPY of the CSV into a bare text table", seconds))
        seconds = await table_floor(url)
        print(
            line("INSERT..SELECT of all imported rows into clones", seconds)
            + "  (requests and components of both files: the tables' own cost)"
        )


if __name__ == "__main__":
    asyncio.run(main())
