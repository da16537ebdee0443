"""Test harness: real PostgreSQL (embedded, or TEST_DATABASE_URL), schema built by the migrations.

- A pristine *template* database is migrated and loaded with reference data once per test process.
- The main test database is a copy of it; each test runs inside a transaction that is rolled back
  (the app's sessions join it through savepoints), so tests are independent and fast.
- Tests that need real commits and concurrent connections get their own copy (`committed_database`).
- Every successful write request made through a test client must have written an audit event: a
  suite-wide check, done by the clients' response hook.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import NullPool

from api.core import audit, clock
from api.core.actor import SYSTEM
from api.core.config import Settings
from api.core.db import Database, normalise_url
from api.core.embedded_db import embedded_server_url
from api.core.migrate import upgrade
from api.main import create_app
from api.matching import service as matching_service
from api.models.audit import AuditEvent
from api.reference.seed import seed_reference_data

ROOT = Path(__file__).resolve().parent.parent
MUTATING = {"POST", "PUT", "PATCH", "DELETE"}
SECRET = "test-secret-key-that-is-long-enough-0123456789"


def server_url() -> str:
    """A URL on the test server's maintenance database (`postgres`)."""
    configured = os.environ.get("TEST_DATABASE_URL")
    if configured:
        return str(make_url(normalise_url(configured)).set(database="postgres"))
    return embedded_server_url(ROOT / ".data", name="pgtest", database="postgres")


def url_for(base: str, database: str) -> str:
    return make_url(base).set(database=database).render_as_string(hide_password=False)


async def _admin(base: str, statement: str) -> None:
    engine = create_async_engine(base, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


async def create_database_copy(base: str, template: str, prefix: str = "acsg_test") -> str:
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    await _admin(base, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return name


async def drop_database(base: str, name: str) -> None:
    await _admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
async def server() -> str:
    return server_url()


@pytest.fixture(scope="session")
async def template_database(server: str) -> AsyncIterator[str]:
    """Migrated and seeded once; never connected to afterwards, so it can be copied."""
    name = f"acsg_tpl_{uuid.uuid4().hex[:12]}"
    await _admin(server, f'CREATE DATABASE "{name}"')
    engine = create_async_engine(url_for(server, name), poolclass=NullPool)
    try:
        await upgrade(engine)
        async with async_sessionmaker(engine)() as session, session.begin():
            audit.bind_actor(session, SYSTEM)
            await seed_reference_data(session)
    finally:
        await engine.dispose()
    yield name
    await drop_database(server, name)


@pytest.fixture(scope="session")
async def test_database_url(server: str, template_database: str) -> AsyncIterator[str]:
    name = await create_database_copy(server, template_database)
    yield url_for(server, name)
    await drop_database(server, name)


@pytest.fixture(scope="session")
async def engine(test_database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(test_database_url, pool_size=2, max_overflow=2)
    yield engine
    await engine.dispose()


def make_settings(database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "env": "testing",
        "database_url": database_url,
        "secret_key": SECRET,
        "public_base_url": "http://testserver",
        "webhooks_allow_private_targets": True,
        "run_worker_in_process": False,
        "login_rate_per_ip_per_minute": 1000,
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def settings(test_database_url: str) -> Settings:
    return make_settings(test_database_url)


@pytest.fixture(autouse=True)
def _real_clock() -> Any:
    clock.reset()
    yield
    clock.reset()


@pytest.fixture(autouse=True)
def _fresh_matching_snapshot() -> None:
    # The matching engine caches its inputs per process until the change feed moves. Tests roll their
    # transactions back and factories insert rows without feed entries, so one test's cache could look current
    # to the next: start each test without it.
    matching_service.clear_snapshot()


@pytest.fixture
async def connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    async with engine.connect() as connection:
        transaction = await connection.begin()
        try:
            yield connection
        finally:
            await transaction.rollback()


class RolledBackDatabase(Database):
    """The app's database for a test: sessions join the test's transaction through savepoints."""

    def __init__(self, engine: AsyncEngine, connection: AsyncConnection) -> None:
        self.engine = engine
        self.sessionmaker = async_sessionmaker(
            bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )


@pytest.fixture
async def db(engine: AsyncEngine, connection: AsyncConnection) -> AsyncIterator[AsyncSession]:
    """The test's own session (factories write with it), inside the rolled-back transaction."""
    database = RolledBackDatabase(engine, connection)
    async with database.sessionmaker() as session:
        audit.bind_actor(session, SYSTEM)
        yield session


@pytest.fixture
def app(settings: Settings, engine: AsyncEngine, connection: AsyncConnection) -> Any:
    return create_app(settings, database=RolledBackDatabase(engine, connection))


AuditCounter = Callable[[str], Awaitable[int]]


def audit_hook(count_events: AuditCounter) -> Callable[[httpx.Response], Awaitable[None]]:
    async def check(response: httpx.Response) -> None:
        request = response.request
        if request.method in MUTATING and 200 <= response.status_code < 300:
            request_id = response.headers.get("x-request-id", "")
            if await count_events(request_id) == 0:
                pytest.fail(f"{request.method} {request.url.path} -> {response.status_code} wrote no audit event")

    return check


def session_audit_counter(session: AsyncSession) -> AuditCounter:
    async def count(request_id: str) -> int:
        statement = select(func.count()).select_from(AuditEvent).where(AuditEvent.request_id == request_id)
        return int((await session.execute(statement)).scalar_one())

    return count


ClientFactory = Callable[..., httpx.AsyncClient]


@pytest.fixture
async def client_factory(app: Any, db: AsyncSession) -> AsyncIterator[ClientFactory]:
    clients: list[httpx.AsyncClient] = []

    def make(**kwargs: Any) -> httpx.AsyncClient:
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://testserver",
            event_hooks={"response": [audit_hook(session_audit_counter(db))]},
            **kwargs,
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.aclose()


@pytest.fixture
def client(client_factory: ClientFactory) -> httpx.AsyncClient:
    """An anonymous client."""
    return client_factory()


@pytest.fixture
def as_user(client_factory: ClientFactory, db: AsyncSession) -> Callable[[Any], Awaitable[httpx.AsyncClient]]:
    """`await as_user(user)`: a client signed in as `user` through a real session cookie and CSRF token."""
    from tests.factories import session_token_for, sign_in_client

    async def make(user: Any) -> httpx.AsyncClient:
        token = await session_token_for(db, user)
        return sign_in_client(client_factory(), token, SECRET)

    return make


class CommittedDatabase:
    """A private copy of the template database where requests really commit (for concurrency tests)."""

    def __init__(self, url: str, engine: AsyncEngine, app: Any) -> None:
        self.url = url
        self.engine = engine
        self.app = app
        self.sessionmaker = async_sessionmaker(engine, expire_on_commit=False)

    def client(self, **kwargs: Any) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url="http://testserver", **kwargs)


@pytest.fixture
async def committed(server: str, template_database: str) -> AsyncIterator[CommittedDatabase]:
    name = await create_database_copy(server, template_database, prefix="acsg_committed")
    url = url_for(server, name)
    engine = create_async_engine(url, pool_size=20, max_overflow=40)
    app = create_app(make_settings(url), database=Database(engine))
    try:
        yield CommittedDatabase(url, engine, app)
    finally:
        await engine.dispose()
        await drop_database(server, name)
