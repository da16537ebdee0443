"""The change feed: commit order, a late commit never skipped, only what the caller may see."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from api.core import audit
from api.core.actor import SYSTEM
from api.models.identity import Organisation
from tests.conftest import SECRET, CommittedDatabase
from tests.factories import (
    create_member,
    create_organisation,
    create_pledge,
    create_request,
    create_secretariat_user,
    session_token_for,
    sign_in_client,
)
from tests.integrations.support import create_client, token_for


@dataclass
class Reader:
    """Polls the feed like an integration would, remembering its cursor and everything it saw."""

    http: httpx.AsyncClient
    params: dict[str, Any] = field(default_factory=dict)
    cursor: str | None = None
    seen: list[tuple[str, str, str]] = field(default_factory=list)

    async def poll(self) -> dict[str, Any]:
        params = {**self.params, **({"cursor": self.cursor} if self.cursor else {})}
        response = await self.http.get("/api/v1/changes", params=params)
        assert response.status_code == 200, response.text
        page: dict[str, Any] = response.json()
        self.cursor = page["next_cursor"]
        self.seen.extend((i["resource"], i["id"], i["operation"]) for i in page["items"])
        return page

    async def drain(self) -> None:
        while (await self.poll())["has_more"]:
            pass

    async def until(self, count: int, *, seconds: float = 30) -> None:
        """Poll until `count` changes were seen. Other transactions of the same PostgreSQL server (a test
        running beside this one) hold the horizon back for a while: the feed waits, it never skips."""
        deadline = asyncio.get_running_loop().time() + seconds
        while len(self.seen) < count and asyncio.get_running_loop().time() < deadline:
            await self.drain()
            if len(self.seen) < count:
                await asyncio.sleep(0.05)


@dataclass
class World:
    committed: CommittedDatabase
    organisation: Organisation
    secretariat: httpx.AsyncClient


async def _session(committed: CommittedDatabase) -> AsyncSession:
    session = committed.sessionmaker()
    audit.bind_actor(session, SYSTEM)
    return session


@pytest.fixture
async def world(committed: CommittedDatabase) -> AsyncIterator[World]:
    async with committed.sessionmaker() as session, session.begin():
        audit.bind_actor(session, SYSTEM)
        organisation = await create_organisation(session, kind="state_institution", country="NER")
        token = await session_token_for(session, await create_secretariat_user(session))
    http = sign_in_client(committed.client(), token, SECRET)
    yield World(committed, organisation, http)
    await http.aclose()


async def _client_reader(world: World, scopes: tuple[str, ...], **params: Any) -> Reader:
    async with world.committed.sessionmaker() as session, session.begin():
        client, secret = await create_client(session, scopes=scopes)
    http = world.committed.client()
    http.headers["Authorization"] = f"Bearer {await token_for(http, client, secret)}"
    return Reader(http, params)


class TestCommitOrder:
    async def test_a_transaction_that_commits_late_is_never_skipped(self, world: World) -> None:
        reader = Reader(world.secretariat)
        await reader.drain()
        first, second = await _session(world.committed), await _session(world.committed)
        try:
            await first.begin()
            early = await create_pledge(first, organisations=(world.organisation,))  # gets its txid first
            await second.begin()
            late = await create_pledge(second, organisations=(world.organisation,))
            await second.commit()  # commits first, with the higher txid
            await reader.poll()
            assert reader.seen == [], "a change after a still-running transaction must wait for it"
            await first.commit()
            await reader.until(2)
        finally:
            await first.close()
            await second.close()
        assert reader.seen == [("pledge", str(early.id), "insert"), ("pledge", str(late.id), "insert")]

    async def test_a_transaction_in_another_database_does_not_hold_the_feed_back(
        self, world: World, engine: AsyncEngine
    ) -> None:
        """Transaction ids are shared by the server's databases; only this database's transactions can still
        add changes here, so a long transaction elsewhere (another application, a parallel test run) must not
        stall the feed."""
        reader = Reader(world.secretariat)
        await reader.drain()
        async with engine.connect() as elsewhere:  # the main test database: another database, same server
            await elsewhere.begin()
            other_xid = (
                await elsewhere.execute(
                    text(
                        "INSERT INTO change_events (txid, resource, record_id, operation, occurred_at) "
                        "VALUES (pg_current_xact_id()::text::bigint, 'pledge', 'elsewhere', 'insert', now()) "
                        "RETURNING txid"
                    )
                )
            ).scalar_one()
            try:
                async with world.committed.sessionmaker() as session, session.begin():
                    audit.bind_actor(session, SYSTEM)
                    pledge = await create_pledge(session, organisations=(world.organisation,))
                    cluster_xmin = (
                        await session.execute(text("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint"))
                    ).scalar_one()
                assert cluster_xmin <= other_xid, "the server-wide xmin is held back by the other transaction"
                await reader.poll()
                assert reader.seen == [("pledge", str(pledge.id), "insert")]
            finally:
                await elsewhere.rollback()

    async def test_a_reader_polling_all_along_sees_every_change_once(self, world: World) -> None:
        reader = Reader(world.secretariat, {"limit": 2})
        await reader.drain()
        sessions = [await _session(world.committed) for _ in range(4)]
        created: list[str] = []
        try:
            for session in sessions:
                await session.begin()
                created.append(str((await create_pledge(session, organisations=(world.organisation,))).id))
                await reader.poll()
            # Commit in reverse order of their start, polling between commits.
            for session in reversed(sessions):
                await session.commit()
                await reader.poll()
            await reader.until(4)
        finally:
            for session in sessions:
                await session.close()
        assert [item[1] for item in reader.seen] == created

    async def test_pages_follow_the_cursor_without_repeats(self, world: World) -> None:
        async with world.committed.sessionmaker() as session, session.begin():
            audit.bind_actor(session, SYSTEM)
            ids = [str((await create_pledge(session, organisations=(world.organisation,))).id) for _ in range(5)]
        reader = Reader(world.secretariat, {"limit": 2})
        await reader.until(5)
        assert [item[1] for item in reader.seen][-5:] == ids
        assert len(reader.seen) == len(set(reader.seen)) == 5
        second = await Reader(world.secretariat, {"limit": 2}).poll()
        assert len(second["items"]) == 2 and second["has_more"] is True
        items = (await world.secretariat.get("/api/v1/changes", params={"limit": 1})).json()["items"]
        assert set(items[0]) == {"resource", "id", "version", "operation", "event_type", "time"}


class TestVisibility:
    async def test_clients_see_only_changes_to_records_they_may_see(self, world: World) -> None:
        async with world.committed.sessionmaker() as session, session.begin():
            audit.bind_actor(session, SYSTEM)
            draft = await create_request(session, organisation=world.organisation, status="draft")
            validated = await create_request(session, organisation=world.organisation, status="validated")
        secretariat = Reader(world.secretariat, {"resources": "support_request"})
        await secretariat.until(2)
        reader = await _client_reader(world, ("requests:read", "changes:read"))
        await reader.until(1)
        assert {item[1] for item in reader.seen} == {str(validated.id)}
        assert {str(draft.id), str(validated.id)} <= {item[1] for item in secretariat.seen}

    async def test_a_client_follows_only_the_resources_of_its_scopes(self, world: World) -> None:
        reader = await _client_reader(world, ("pledges:read", "changes:read"))
        refused = await reader.http.get("/api/v1/changes", params={"resources": "support_offer"})
        assert refused.status_code == 403
        unknown = await reader.http.get("/api/v1/changes", params={"resources": "unicorn"})
        assert unknown.status_code == 422 and unknown.json()["fields"][0]["field"] == "query.resources.0"

    async def test_a_client_without_changes_read_gets_403(self, world: World) -> None:
        reader = await _client_reader(world, ("pledges:read",))
        assert (await reader.http.get("/api/v1/changes")).status_code == 403

    async def test_participants_may_not_read_the_feed(self, world: World) -> None:
        async with world.committed.sessionmaker() as session, session.begin():
            user, _ = await create_member(session)
            token = await session_token_for(session, user)
        http = sign_in_client(world.committed.client(), token, SECRET)
        assert (await http.get("/api/v1/changes")).status_code == 403
        assert (await world.committed.client().get("/api/v1/changes")).status_code == 401

    async def test_a_tampered_cursor_is_a_422(self, world: World) -> None:
        response = await world.secretariat.get("/api/v1/changes", params={"cursor": "garbage"})
        assert response.status_code == 422 and response.json()["fields"][0]["field"] == "query.cursor"
