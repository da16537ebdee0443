"""The audit log: written with every change, readable by the Secretariat, refused to change by the database."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from api.models.audit import AuditEvent
from tests.factories import create_member, create_secretariat_user


class TestAppendOnly:
    async def test_update_is_refused_by_the_database(self, db: AsyncSession) -> None:
        await db.execute(
            text(
                "INSERT INTO audit_events (occurred_at, actor_type, action, record_type, changes) "
                "VALUES (now(), 'system', 'test', 'test', '{}')"
            )
        )
        with pytest.raises(DBAPIError, match="append-only"):
            async with db.begin_nested():
                await db.execute(text("UPDATE audit_events SET action = 'tampered'"))

    async def test_delete_is_refused_by_the_database(self, db: AsyncSession) -> None:
        await db.execute(
            text(
                "INSERT INTO audit_events (occurred_at, actor_type, action, record_type, changes) "
                "VALUES (now(), 'system', 'test', 'test', '{}')"
            )
        )
        with pytest.raises(DBAPIError, match="append-only"):
            async with db.begin_nested():
                await db.execute(text("DELETE FROM audit_events"))

    async def test_truncate_is_refused_by_the_database(self, db: AsyncSession) -> None:
        with pytest.raises(DBAPIError, match="append-only"):
            async with db.begin_nested():
                await db.execute(text("TRUNCATE audit_events"))


class TestAuditContent:
    async def test_change_records_actor_fields_before_and_after_and_request(
        self, db: AsyncSession, as_user: Any
    ) -> None:
        user, organisation = await create_member(db)
        client = await as_user(user)
        response = await client.patch(f"/api/v1/organisations/{organisation.id}", json={"website": "https://a.org"})
        event = (
            await db.execute(
                select(AuditEvent).where(
                    AuditEvent.request_id == response.headers["x-request-id"],
                    AuditEvent.record_type == "organisations",
                )
            )
        ).scalar_one()
        assert event.actor_type == "user" and event.actor_user_id == user.id
        assert event.action == "organisations.update" and event.record_id == str(organisation.id)
        assert event.changes["website"] == {"before": None, "after": "https://a.org"}
        assert "name" not in event.changes

    async def test_secrets_never_reach_the_log(self, db: AsyncSession, as_user: Any) -> None:
        user, _ = await create_member(db)
        client = await as_user(user)
        response = await client.post("/api/v1/auth/tokens", json={"name": "x"})
        token = response.json()["token"]
        rows = (await db.execute(select(AuditEvent.changes))).scalars().all()
        dumped = str(rows)
        assert token not in dumped
        assert "***" in dumped


class TestAuditList:
    async def test_secretariat_filters_by_record(self, db: AsyncSession, as_user: Any) -> None:
        user, organisation = await create_member(db)
        await (await as_user(user)).patch(f"/api/v1/organisations/{organisation.id}", json={"website": "https://b.org"})
        admin = await as_user(await create_secretariat_user(db))
        page = (
            await admin.get(
                "/api/v1/audit-events",
                params={"record_type": "organisations", "record_id": str(organisation.id)},
            )
        ).json()
        # Newest first; the insert carries the new row's id too (read from the instance before its identity exists).
        assert [e["action"] for e in page["items"]] == ["organisations.update", "organisations.insert"]

    async def test_pages_do_not_overlap(self, db: AsyncSession, as_user: Any) -> None:
        user, organisation = await create_member(db)
        client = await as_user(user)
        for index in range(5):
            await client.patch(f"/api/v1/organisations/{organisation.id}", json={"website": f"https://{index}.org"})
        admin = await as_user(await create_secretariat_user(db))
        first = (await admin.get("/api/v1/audit-events", params={"action": "organisations.update", "limit": 3})).json()
        second = (
            await admin.get(
                "/api/v1/audit-events",
                params={"action": "organisations.update", "limit": 3, "cursor": first["next_cursor"]},
            )
        ).json()
        ids = [e["id"] for e in first["items"] + second["items"]]
        assert len(ids) == len(set(ids)) == 5 and ids == sorted(ids, reverse=True)

    async def test_participants_cannot_read_the_log(
        self, db: AsyncSession, as_user: Any, client: httpx.AsyncClient
    ) -> None:
        user, _ = await create_member(db)
        assert (await (await as_user(user)).get("/api/v1/audit-events")).status_code == 403
        assert (await client.get("/api/v1/audit-events")).status_code == 401
