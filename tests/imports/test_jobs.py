"""Large files run as background jobs: queued (202), run by the worker, polled, cancelled, downloaded."""

from __future__ import annotations

import asyncio
import threading
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.core import audit
from api.core.actor import SYSTEM
from api.core.db import Database
from api.imports import engine, jobs
from api.imports.kinds.commitments import RequestKind
from api.models.commitments import SupportRequest
from api.models.imports import ImportJob
from api.worker import drain
from tests.conftest import SECRET, CommittedDatabase, make_settings
from tests.factories import (
    create_organisation,
    create_secretariat_user,
    create_user,
    session_token_for,
    sign_in_client,
)
from tests.imports.corpus import REQUEST_HEADERS, csv_bytes, outcomes, request_row, upload

ROWS = [REQUEST_HEADERS["en"], *[request_row(f"BG-{n}") for n in range(6)]]


@pytest.fixture
async def secretariat(db: AsyncSession, as_user: Any, app: Any, settings: Any) -> httpx.AsyncClient:
    app.state.settings = settings.model_copy(update={"import_inline_max_rows": 3})
    await create_organisation(db, kind="state_government", country="NER", name="Government of Niger")
    client: httpx.AsyncClient = await as_user(await create_secretariat_user(db))
    return client


async def requests_in(db: AsyncSession) -> int:
    return int((await db.execute(select(func.count()).select_from(SupportRequest))).scalar_one())


async def secretariat_on_its_own_database(committed: CommittedDatabase) -> tuple[Any, httpx.AsyncClient]:
    """Settings queueing files of more than 3 rows, Niger's government, and a signed-in Secretariat client, on
    a database whose commits are real (the worker's sessions have their own connections)."""
    settings = make_settings(committed.url, import_inline_max_rows=3)
    committed.app.state.settings = settings
    async with committed.sessionmaker() as session, session.begin():
        audit.bind_actor(session, SYSTEM)
        await create_organisation(session, kind="state_government", country="NER", name="Government of Niger")
        token = await session_token_for(session, await create_secretariat_user(session))
    return settings, sign_in_client(committed.client(), token, SECRET)


class TestBackgroundJobs:
    async def test_a_large_file_is_queued_then_run_by_the_worker(
        self, db: AsyncSession, secretariat: httpx.AsyncClient, app: Any
    ) -> None:
        queued = await upload(secretariat, "requests", csv_bytes(ROWS), expect=202)
        assert queued["status"] == "queued" and queued["rows_done"] == 0
        assert await requests_in(db) == 0
        assert await drain(app.state.database, app.state.settings, kinds=["imports.run"]) == 1
        job = (await secretariat.get(f"/api/v1/imports/jobs/{queued['id']}")).json()
        assert job["status"] == "succeeded" and job["rows_total"] == job["rows_done"] == 6
        assert outcomes(job) == ["created"] * 6 and await requests_in(db) == 6
        listed = (await secretariat.get("/api/v1/imports/jobs")).json()
        assert listed[0]["id"] == queued["id"] and listed[0]["counts"]["created"] == 6

    async def test_a_failing_background_import_writes_nothing_and_offers_the_rejected_rows(
        self, db: AsyncSession, secretariat: httpx.AsyncClient, app: Any
    ) -> None:
        rows = [*ROWS, request_row("BG-bad", area="nowhere")]
        queued = await upload(secretariat, "requests", csv_bytes(rows), expect=202)
        await drain(app.state.database, app.state.settings, kinds=["imports.run"])
        job = (await secretariat.get(f"/api/v1/imports/jobs/{queued['id']}")).json()
        assert job["status"] == "failed" and await requests_in(db) == 0
        rejected = await secretariat.get(f"/api/v1/imports/jobs/{queued['id']}/rejected-rows")
        assert "BG-bad" in rejected.text and rejected.text.count("\n") == 2

    async def test_a_job_whose_worker_died_mid_run_is_run_again_when_its_message_comes_back(
        self, db: AsyncSession, secretariat: httpx.AsyncClient, app: Any
    ) -> None:
        queued = await upload(secretariat, "requests", csv_bytes(ROWS), expect=202)
        # What a killed worker leaves: the job marked running with some progress (those updates commit on their
        # own), its records rolled back with its transaction, and the message pending again (its claim is gone).
        await db.execute(
            update(ImportJob).where(ImportJob.id == uuid.UUID(queued["id"])).values(status="running", rows_done=3)
        )
        await db.flush()
        assert await drain(app.state.database, app.state.settings, kinds=["imports.run"]) == 1
        job = (await secretariat.get(f"/api/v1/imports/jobs/{queued['id']}")).json()
        assert job["status"] == "succeeded" and job["rows_done"] == 6
        assert outcomes(job) == ["created"] * 6 and await requests_in(db) == 6

    async def test_a_queued_job_can_be_cancelled_and_the_worker_leaves_it(
        self, db: AsyncSession, secretariat: httpx.AsyncClient, app: Any
    ) -> None:
        queued = await upload(secretariat, "requests", csv_bytes(ROWS), expect=202)
        cancelled = await secretariat.post(f"/api/v1/imports/jobs/{queued['id']}/cancel")
        assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
        await drain(app.state.database, app.state.settings, kinds=["imports.run"])
        assert await requests_in(db) == 0
        assert (await secretariat.post(f"/api/v1/imports/jobs/{queued['id']}/cancel")).status_code == 409

    async def test_a_finished_job_cannot_be_cancelled_and_reports_are_only_for_finished_jobs(
        self, secretariat: httpx.AsyncClient
    ) -> None:
        job = await upload(secretariat, "requests", csv_bytes(ROWS[:2]))
        assert (await secretariat.post(f"/api/v1/imports/jobs/{job['id']}/cancel")).status_code == 409
        assert (await secretariat.get(f"/api/v1/imports/jobs/{job['id']}/rejected-rows")).status_code == 404
        queued = await upload(secretariat, "requests", csv_bytes(ROWS), expect=202)
        assert (await secretariat.get(f"/api/v1/imports/jobs/{queued['id']}/report")).status_code == 409

    async def test_jobs_are_seen_by_their_uploader_and_the_secretariat_only(
        self, db: AsyncSession, secretariat: httpx.AsyncClient, as_user: Any
    ) -> None:
        niger = await create_organisation(db, kind="state_government", country="NER")
        editor = await as_user(await create_user(db, organisation=niger, role="editor"))
        job = await upload(editor, "requests", csv_bytes(ROWS[:1]), dry_run=True)
        assert (await secretariat.get(f"/api/v1/imports/jobs/{job['id']}")).status_code == 200
        other = await as_user(await create_user(db, organisation=niger, role="editor"))
        assert (await other.get(f"/api/v1/imports/jobs/{job['id']}")).status_code == 404
        assert (await other.post(f"/api/v1/imports/jobs/{job['id']}/cancel")).status_code == 404


class TestCancellingARunningJob:
    async def test_cancelling_while_it_runs_rolls_back_everything_it_wrote(
        self, committed: CommittedDatabase, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        settings, http = await secretariat_on_its_own_database(committed)
        gate = threading.Event()
        build = RequestKind.build

        def held_build(self: RequestKind, *args: Any) -> Any:
            gate.wait(10)
            return build(self, *args)

        monkeypatch.setattr(RequestKind, "build", held_build)
        queued = await upload(http, "requests", csv_bytes(ROWS), expect=202)
        worker = asyncio.create_task(drain(Database(committed.engine), settings, kinds=["imports.run"]))
        for _ in range(200):
            status = (await http.get(f"/api/v1/imports/jobs/{queued['id']}")).json()["status"]
            if status == "running":
                break
            await asyncio.sleep(0.02)
        assert status == "running"
        assert (await http.post(f"/api/v1/imports/jobs/{queued['id']}/cancel")).json()["status"] == "cancelled"
        gate.set()
        await worker
        assert (await http.get(f"/api/v1/imports/jobs/{queued['id']}")).json()["status"] == "cancelled"
        async with committed.sessionmaker() as session:
            assert (await session.execute(select(func.count()).select_from(SupportRequest))).scalar_one() == 0
        await http.aclose()


async def test_an_import_failing_unexpectedly_ends_failed_while_its_progress_is_being_reported(
    committed: CommittedDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The progress reporter updates the job row from its own connection; the failure path locks that row. It
    # must stop the reporter first, or each waits for the other forever. Reporting continuously makes the race
    # certain.
    settings, http = await secretariat_on_its_own_database(committed)
    queued = await upload(http, "requests", csv_bytes(ROWS), expect=202)
    monkeypatch.setattr(jobs, "PROGRESS_EVERY_SECONDS", 0.0)

    async def failing_run(*args: Any, **kwargs: Any) -> Any:
        await asyncio.sleep(0.3)  # the reporter is updating the row by now
        raise RuntimeError("a bug")

    monkeypatch.setattr(engine, "run", failing_run)
    await asyncio.wait_for(drain(Database(committed.engine), settings, kinds=["imports.run"]), 20)
    job = (await http.get(f"/api/v1/imports/jobs/{queued['id']}")).json()
    assert job["status"] == "failed" and "RuntimeError" in job["error"]
    await http.aclose()
