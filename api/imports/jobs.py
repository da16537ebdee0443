"""Large imports run by the worker (outbox kind `imports.run`).

The job's records are written in the claiming transaction, so they commit together with the job's final
state, or not at all. While it runs, progress (and a cancellation by the uploader) travels through short
separate transactions, so a poller sees it at once; at the end the job row is updated only if it is still
running, otherwise (cancelled meanwhile) everything the run wrote is rolled back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from api.auth import repository as auth_repository
from api.core import audit, clock
from api.core.actor import Actor
from api.core.config import Settings
from api.core.memory import collector_paused
from api.imports import engine, repository, service
from api.imports.kinds import KINDS
from api.integrations import repository as integrations_repository
from api.integrations.service import actor_for_client
from api.models.imports import ImportJob
from api.models.outbox import OutboxMessage
from api.worker import handler

log = logging.getLogger(__name__)
PROGRESS_EVERY_SECONDS = 0.5


async def _uploader(session: AsyncSession, job: ImportJob, settings: Settings) -> Actor | None:
    """The uploader as they are now (memberships, client scopes); None when no longer active."""
    if job.created_by_user_id is not None:
        user = await auth_repository.user_by_id(session, job.created_by_user_id)
        if user is None or not user.is_active:
            return None
        return await auth_repository.actor_for_user(session, user)
    if job.created_by_client_id is not None:
        client = await integrations_repository.client(session, job.created_by_client_id)
        if client is None or client.revoked_at is not None:
            return None
        return await actor_for_client(session, client, settings=settings)
    return None


def _side_sessions(session: AsyncSession) -> async_sessionmaker[AsyncSession] | None:
    """Sessions on other connections, for progress; none when the session is bound to one connection."""
    bind = session.bind
    return async_sessionmaker(bind, expire_on_commit=False) if isinstance(bind, AsyncEngine) else None


async def _report_progress(
    sessions: async_sessionmaker[AsyncSession], job_id: uuid.UUID, progress: engine.Progress, stop: asyncio.Event
) -> None:
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), PROGRESS_EVERY_SECONDS)
        try:
            async with sessions() as side, side.begin():
                still_running = (
                    await side.execute(
                        update(ImportJob)
                        .where(ImportJob.id == job_id, ImportJob.status == "running")
                        .values(rows_done=progress.done, rows_total=progress.total)
                        .returning(ImportJob.id)
                    )
                ).scalar_one_or_none()
        except Exception:
            log.exception("import progress update failed", extra={"job_id": str(job_id)})
            continue
        if still_running is None:
            progress.cancelled = True


async def _start(session: AsyncSession, sessions: async_sessionmaker[AsyncSession] | None, job: ImportJob) -> bool:
    statement = (
        update(ImportJob)
        .where(ImportJob.id == job.id, ImportJob.status.in_(("queued", "running")))
        .values(status="running", started_at=clock.now(), rows_done=0)
        .returning(ImportJob.id)
    )
    if sessions is None:
        return (await session.execute(statement)).scalar_one_or_none() is not None
    async with sessions() as side, side.begin():
        return (await side.execute(statement)).scalar_one_or_none() is not None


async def run_job(session: AsyncSession, job_id: uuid.UUID, settings: Settings) -> None:
    """Run a queued import job to its end (see the module notes); never raises for the import's own errors."""
    job = await repository.job_for_run(session, job_id)
    # "running" here means a run that never finished: its worker died (the process was killed, the machine
    # restarted) and took its claim on the message with it, so the message came back. Nothing it wrote was
    # committed (the records commit with the job's final state), so the run starts again from the file.
    if job is None or job.status not in ("queued", "running") or job.file_data is None:
        return
    data = bytes(job.file_data)
    sessions = _side_sessions(session)
    if not await _start(session, sessions, job):
        return
    await session.refresh(job)
    kind = KINDS.get(job.kind)
    actor = await _uploader(session, job, settings)
    if kind is None or actor is None:
        await _finish_refused(session, job, "The uploader's account or client is no longer active")
        return
    audit.bind_actor(session, actor)
    session.info["request_id"] = job.request_id
    progress = engine.Progress()
    stop = asyncio.Event()
    reporter = asyncio.create_task(_report_progress(sessions, job.id, progress, stop)) if sessions else None
    try:
        # The file's rows and records are dropped when _run_and_store returns, before collections resume.
        with collector_paused():
            options = service.options_for(job, kind, actor, settings)
            await _run_and_store(session, job, data, options, progress, stop, reporter)
    except engine.Cancelled:
        log.info("import cancelled", extra={"job_id": str(job.id)})
    except Exception as error:
        log.exception("import failed", extra={"job_id": str(job.id)})
        await _stop_reporting(stop, reporter)
        await _finish_refused(
            session, job, f"The import failed unexpectedly ({type(error).__name__}); nothing was written"
        )
    finally:
        await _stop_reporting(stop, reporter)


async def _stop_reporting(stop: asyncio.Event, reporter: asyncio.Task[None] | None) -> None:
    """End the progress reporter. Done before this transaction locks the job row: the reporter's update of that
    row would wait for the transaction, which would be waiting for the reporter."""
    stop.set()
    if reporter is not None and not reporter.done():
        await reporter


async def _run_and_store(
    session: AsyncSession,
    job: ImportJob,
    data: bytes,
    options: engine.Options,
    progress: engine.Progress,
    stop: asyncio.Event,
    reporter: asyncio.Task[None] | None,
) -> None:
    async with session.begin_nested():
        result = await engine.run(session, data, options, progress=progress)
        await _stop_reporting(stop, reporter)
        finishing = time.perf_counter()
        if not await _finish(session, job, result):
            raise engine.Cancelled
        progress.lap("store the report", finishing)
        log.info(
            "import finished",
            extra={
                "job_id": str(job.id),
                "status": result.status,
                "rows": job.rows_total,
                # Seconds per phase, for operators wondering where a slow import's time went.
                "seconds": {phase: round(seconds, 2) for phase, seconds in progress.timings.items()},
            },
        )


async def _finish(session: AsyncSession, job: ImportJob, result: engine.RunResult) -> bool:
    """Store the outcome if the job is still running (it was not cancelled meanwhile)."""
    # Locked, so a cancellation cannot slip in between this check and the commit.
    status = (
        await session.execute(select(ImportJob.status).where(ImportJob.id == job.id).with_for_update())
    ).scalar_one()
    if status != "running":
        return False
    job.status = status
    service.store(job, result, now=clock.now())
    await session.flush()
    await audit.record(
        session, action="imports.ran", record_type="import_jobs", record_id=job.id, note=service._note(job)
    )
    return True


async def _finish_refused(session: AsyncSession, job: ImportJob, message: str) -> None:
    await session.execute(
        update(ImportJob)
        .where(ImportJob.id == job.id, ImportJob.status.in_(("queued", "running")))
        .values(status="failed", error_code="unexpected", error=message, finished_at=clock.now(), file_data=None)
    )


@handler(service.RUN_KIND)
async def run_import(session: AsyncSession, message: OutboxMessage, settings: Settings) -> None:
    await run_job(session, uuid.UUID(message.payload["job_id"]), settings)
