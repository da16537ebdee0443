"""`acsg import`, `acsg export` and `acsg changes` run as subprocesses against a real server (uvicorn on a
free port, with the worker, on a committed copy of the database)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from api.core import audit
from api.core.actor import SYSTEM
from api.core.db import Database, make_engine, normalise_url
from api.main import create_app
from api.worker import run_forever
from tests.conftest import ROOT, CommittedDatabase, make_settings
from tests.factories import access_token_for, create_organisation, create_secretariat_user
from tests.imports.corpus import REQUEST_HEADERS, csv_bytes, request_row
from tests.integrations.support import create_client

ACSG = [sys.executable, "-c", "import sys; from api.cli import main; sys.exit(main())"]


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def running_server(url: str) -> Iterator[str]:
    """The API and the outbox worker in a thread with their own event loop and engine."""
    settings = make_settings(url, import_inline_max_rows=3)
    port = free_port()
    holder: dict[str, uvicorn.Server] = {}

    async def serve() -> None:
        database = Database(make_engine(normalise_url(url), pool_size=4))
        server = uvicorn.Server(
            uvicorn.Config(create_app(settings, database=database), host="127.0.0.1", port=port, log_level="warning")
        )
        holder["server"] = server
        worker = asyncio.create_task(run_forever(database, settings, poll_seconds=0.1, periodic_seconds=3600))
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
    for _ in range(200):
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                break
        time.sleep(0.05)
    try:
        yield base
    finally:
        holder["server"].should_exit = True
        thread.join(timeout=15)


def acsg(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ACSG, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
        check=False,
    )


@pytest.fixture
async def live(committed: CommittedDatabase) -> Iterator[tuple[str, str, str, str]]:
    async with committed.sessionmaker() as session, session.begin():
        audit.bind_actor(session, SYSTEM)
        await create_organisation(session, kind="state_government", country="NER", name="Government of Niger")
        token = await access_token_for(session, await create_secretariat_user(session))
        client, secret = await create_client(session, scopes=("changes:read", "requests:read"))
    with running_server(committed.url) as base:
        yield base, token, str(client.id), secret


async def test_acsg_import_runs_a_background_job_and_prints_the_row_report(
    live: tuple[str, str, str, str], tmp_path: Path
) -> None:
    base, token, _, _ = live
    good = tmp_path / "requests.csv"
    good.write_bytes(csv_bytes([REQUEST_HEADERS["fr"], *[request_row(f"CLI-{n}", country="Niger") for n in range(5)]]))
    result = await asyncio.to_thread(
        acsg, "import", str(good), "--kind", "requests", "--server", base, "--token", token
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "succeeded" in result.stdout and "5 were created" in result.stdout

    again = await asyncio.to_thread(
        acsg, "import", str(good), "--kind", "requests", "--server", base, env={"ACSG_TOKEN": token}
    )
    assert again.returncode == 0 and "5 unchanged" in again.stdout

    bad = tmp_path / "bad.csv"
    rejected = tmp_path / "rejected.csv"
    bad.write_bytes(csv_bytes([REQUEST_HEADERS["en"], request_row("CLI-9", area="nowhere")]))
    refused = await asyncio.to_thread(
        acsg,
        "import",
        str(bad),
        "--kind",
        "requests",
        "--dry-run",
        "--server",
        base,
        "--token",
        token,
        "--rejected-rows",
        str(rejected),
    )
    assert refused.returncode == 1 and "is not an accepted value" in refused.stdout and "Area" in refused.stdout
    assert "nowhere" in rejected.read_text(encoding="utf-8-sig")


async def test_acsg_export_and_changes(live: tuple[str, str, str, str], tmp_path: Path) -> None:
    base, token, client_id, secret = live
    source = tmp_path / "requests.csv"
    source.write_bytes(csv_bytes([REQUEST_HEADERS["en"], request_row("EXP-1", status="submitted")]))
    assert (
        await asyncio.to_thread(acsg, "import", str(source), "--kind", "requests", "--server", base, "--token", token)
    ).returncode == 0
    exported = tmp_path / "export.xlsx"
    result = await asyncio.to_thread(
        acsg,
        "export",
        "--kind",
        "requests",
        "--format",
        "xlsx",
        "-o",
        str(exported),
        "--server",
        base,
        "--token",
        token,
    )
    assert result.returncode == 0 and exported.read_bytes().startswith(b"PK")
    changes = await asyncio.to_thread(
        acsg, "changes", "--server", base, "--client-id", client_id, "--client-secret", secret
    )
    assert changes.returncode == 0 and "cursor:" in changes.stderr
    secretariat_changes = await asyncio.to_thread(acsg, "changes", "--server", base, "--token", token)
    assert '"event_type": "support_request.created"' in secretariat_changes.stdout


async def test_acsg_without_credentials_or_server_exits_2(tmp_path: Path) -> None:
    missing = await asyncio.to_thread(acsg, "export", "--kind", "requests", "-o", str(tmp_path / "x.csv"))
    assert missing.returncode == 2 and "--server" in missing.stderr
    unreachable = await asyncio.to_thread(
        acsg, "export", "--kind", "requests", "-o", "-", "--server", "http://127.0.0.1:9", "--token", "x"
    )
    assert unreachable.returncode == 2 and "Cannot reach the server" in unreachable.stderr
