"""The outbox worker: delivers side effects after their transaction committed, and runs periodic jobs.

Safe to run as several processes: each message is claimed with `FOR UPDATE SKIP LOCKED` and handled in its
own transaction, marked delivered in that same transaction. A worker killed mid-message rolls back, so the
message stays pending and is delivered again (at least once). Handlers whose effect is a database write
(in-app notifications) make it in the claiming transaction, so for them a crash neither loses nor doubles.
"""

from __future__ import annotations

import asyncio
import logging
import random
import smtplib
from collections.abc import Awaitable, Callable
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.core import clock
from api.core.config import Settings
from api.core.db import Database
from api.models.outbox import OutboxMessage

log = logging.getLogger(__name__)

Handler = Callable[[AsyncSession, OutboxMessage, Settings], Awaitable[None]]
PeriodicJob = Callable[[AsyncSession, Settings], Awaitable[int]]

HANDLERS: dict[str, Handler] = {}
PERIODIC_JOBS: dict[str, PeriodicJob] = {}

# Retries: exponential backoff from 30 s, capped at 2 h between tries, given up after 30 hours in all
# (webhook receivers get at least the 24 hours the integration contract promises).
FIRST_RETRY = timedelta(seconds=30)
MAX_RETRY_GAP = timedelta(hours=2)
GIVE_UP_AFTER = timedelta(hours=30)


def handler(kind: str) -> Callable[[Handler], Handler]:
    def register(function: Handler) -> Handler:
        HANDLERS[kind] = function
        return function

    return register


def periodic(name: str) -> Callable[[PeriodicJob], PeriodicJob]:
    def register(function: PeriodicJob) -> PeriodicJob:
        PERIODIC_JOBS[name] = function
        return function

    return register


class PermanentFailure(Exception):
    """A delivery that will never succeed (bad address, target refused by policy): no retry."""


def retry_delay(attempts: int) -> timedelta:
    base: timedelta = min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), MAX_RETRY_GAP)
    # Up to 10 % jitter so a recovering receiver is not hit by every retry at once.
    return base + timedelta(seconds=random.uniform(0, base.total_seconds() * 0.1))


def _send_smtp(settings: Settings, payload: dict[str, Any]) -> None:
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = payload["to"]
    message["Subject"] = payload["subject"]
    message.set_content(payload["body"])
    assert settings.smtp_host is not None
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_username and settings.smtp_password:
            smtp.login(settings.smtp_username, settings.smtp_password.get_secret_value())
        smtp.send_message(message)


@handler("email")
async def deliver_email(session: AsyncSession, message: OutboxMessage, settings: Settings) -> None:
    if not settings.smtp_host:
        # No SMTP configured (development): the message stays readable in the development mailbox.
        log.info("e-mail kept in the development mailbox", extra={"outbox_id": str(message.id)})
        return
    await asyncio.to_thread(_send_smtp, settings, message.payload)


async def _claim_one(session: AsyncSession, kinds: list[str] | None) -> OutboxMessage | None:
    statement = (
        select(OutboxMessage)
        .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= clock.now())
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    if kinds:
        statement = statement.where(OutboxMessage.kind.in_(kinds))
    return (await session.execute(statement)).scalar_one_or_none()


async def process_one(database: Database, settings: Settings, *, kinds: list[str] | None = None) -> bool:
    """Deliver one due message; return False when none is due."""
    async with database.sessionmaker() as session, session.begin():
        message = await _claim_one(session, kinds)
        if message is None:
            return False
        deliver = HANDLERS.get(message.kind)
        now = clock.now()
        message.attempts += 1
        try:
            if deliver is None:
                raise PermanentFailure(f"no handler for outbox kind '{message.kind}'")
            async with session.begin_nested():
                await deliver(session, message, settings)
        except PermanentFailure as exc:
            message.status = "failed"
            message.last_error = str(exc)[:2000]
        except Exception as exc:
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if now - message.created_at >= GIVE_UP_AFTER:
                message.status = "failed"
            else:
                message.next_attempt_at = now + retry_delay(message.attempts)
            log.warning(
                "delivery failed",
                extra={"outbox_id": str(message.id), "kind": message.kind, "attempts": message.attempts},
            )
        else:
            message.status = "delivered"
            message.delivered_at = now
            message.last_error = None
        return True


async def drain(database: Database, settings: Settings, *, kinds: list[str] | None = None, limit: int = 10_000) -> int:
    """Deliver every due message (tests and `acsg worker --once`); return how many were handled."""
    handled = 0
    while handled < limit and await process_one(database, settings, kinds=kinds):
        handled += 1
    return handled


async def run_periodic_jobs(database: Database, settings: Settings) -> dict[str, int]:
    results: dict[str, int] = {}
    for name, job in PERIODIC_JOBS.items():
        try:
            async with database.sessionmaker() as session, session.begin():
                results[name] = await job(session, settings)
        except Exception:
            log.exception("periodic job failed", extra={"job": name})
    return results


async def run_forever(
    database: Database, settings: Settings, *, poll_seconds: float = 1.0, periodic_seconds: float = 60.0
) -> None:
    log.info("worker started")
    last_periodic = -periodic_seconds
    loop = asyncio.get_running_loop()
    while True:
        try:
            if loop.time() - last_periodic >= periodic_seconds:
                await run_periodic_jobs(database, settings)
                last_periodic = loop.time()
            if await drain(database, settings, limit=100) == 0:
                await asyncio.sleep(poll_seconds)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("worker loop error")
            await asyncio.sleep(poll_seconds * 5)
