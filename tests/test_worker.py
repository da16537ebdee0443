"""The outbox worker: killing it mid-batch loses nothing and duplicates no notification."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time

from sqlalchemy import func, select

from api.core import audit
from api.core.actor import SYSTEM
from api.matches.notifications import emit
from api.models.matches import Match, Notification
from api.models.outbox import OutboxMessage
from tests.conftest import ROOT, CommittedDatabase
from tests.factories import create_offer, create_organisation, create_request, create_user

MESSAGES = 150


def start_worker(url: str, *, once: bool) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "ENV": "testing",
        "LOG_LEVEL": "WARNING",
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
    }
    command = [sys.executable, "-m", "api.cli", "worker", *(["--once"] if once else [])]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


async def count(committed: CommittedDatabase, statement: object) -> int:
    async with committed.sessionmaker() as session:
        return int((await session.execute(statement)).scalar_one())  # type: ignore[call-overload]


async def test_a_killed_worker_loses_nothing_and_duplicates_nothing(committed: CommittedDatabase) -> None:
    async with committed.sessionmaker() as session, session.begin():
        audit.bind_actor(session, SYSTEM)
        state = await create_organisation(session, kind="state_institution", country="NER")
        offerer = await create_organisation(session, kind="stakeholder", country="FRA")
        recipients = [await create_user(session, organisation=state) for _ in range(3)]
        await create_request(session, organisation=state, status="validated")
        await create_offer(session, organisation=offerer, status="validated")
        match = Match(reference="MAT-TEST-1", status="consent_pending")
        session.add(match)
        await session.flush()
        from api.models.matches import MatchParty

        session.add(MatchParty(match_id=match.id, organisation_id=state.id, side="requesting"))
        await session.flush()
        for index in range(MESSAGES):
            await emit(session, match, "consent_requested", audience="parties", dedup=f"kill-test-{index}")
    expected = MESSAGES * len(recipients)

    worker = start_worker(committed.url, once=False)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            done = await count(committed, select(func.count()).select_from(Notification))
            if done >= expected // 5:
                break
            await asyncio.sleep(0.05)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    partial = await count(committed, select(func.count()).select_from(Notification))
    assert 0 < partial < expected, "the worker was killed before finishing, so the test exercises a restart"

    restart = start_worker(committed.url, once=True)
    assert restart.wait(timeout=120) == 0, restart.stderr.read() if restart.stderr else ""

    assert await count(committed, select(func.count()).select_from(Notification)) == expected
    distinct = select(func.count(func.distinct(Notification.dedup_key)))
    assert await count(committed, distinct) == expected
    pending = select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status != "delivered")
    assert await count(committed, pending) == 0
    emails = select(func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == "email")
    assert await count(committed, emails) == expected
