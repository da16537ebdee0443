"""User administration and role scoping."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import create_member, create_organisation, create_secretariat_user, create_user


class TestUserAdministration:
    async def test_secretariat_creates_a_user_with_a_membership(
        self, db: AsyncSession, as_user: Any, client: httpx.AsyncClient
    ) -> None:
        admin = await as_user(await create_secretariat_user(db))
        organisation = await create_organisation(db)
        response = await admin.post(
            "/api/v1/users",
            json={
                "email": "Direct@Example.org",
                "full_name": "Direct User",
                "password": "a strong passphrase",
                "memberships": [{"organisation_id": str(organisation.id), "role": "editor"}],
            },
        )
        assert response.status_code == 201
        assert response.json()["email"] == "direct@example.org"
        assert response.json()["memberships"][0]["role"] == "editor"
        duplicate = await admin.post(
            "/api/v1/users",
            json={"email": "direct@example.org", "full_name": "Again", "password": "a strong passphrase"},
        )
        assert duplicate.status_code == 409

    async def test_deactivation_ends_sessions(self, db: AsyncSession, as_user: Any) -> None:
        user, _ = await create_member(db)
        user_client = await as_user(user)
        admin = await as_user(await create_secretariat_user(db))
        assert (await admin.patch(f"/api/v1/users/{user.id}", json={"is_active": False})).status_code == 200
        assert (await user_client.get("/api/v1/auth/me")).status_code == 401

    async def test_participants_and_unhcr_cannot_manage_users(self, db: AsyncSession, as_user: Any) -> None:
        participant, _ = await create_member(db)
        office_user, _ = await create_member(db, kind="unhcr_country_office", country="NER")
        for user in (participant, office_user):
            assert (await (await as_user(user)).get("/api/v1/users")).status_code == 403


class TestRoleScoping:
    async def test_country_office_covers_its_countries(self, db: AsyncSession, as_user: Any) -> None:
        office = await create_organisation(db, kind="unhcr_country_office", country="SEN", office_countries=("GMB",))
        user = await create_user(db, organisation=office)
        me = (await (await as_user(user)).get("/api/v1/auth/me")).json()
        assert me["is_unhcr"] and sorted(me["unhcr_countries"]) == ["GMB", "SEN"]

    async def test_bureau_covers_every_country_of_the_bureau(self, db: AsyncSession, as_user: Any) -> None:
        bureau = await create_organisation(db, kind="unhcr_bureau", country="SEN", bureau="wca")
        user = await create_user(db, organisation=bureau)
        me = (await (await as_user(user)).get("/api/v1/auth/me")).json()
        assert {"NER", "TCD", "SEN", "NGA"} <= set(me["unhcr_countries"])
        assert "MEX" not in me["unhcr_countries"]

    async def test_participant_has_no_unhcr_scope(self, db: AsyncSession, as_user: Any) -> None:
        user, _ = await create_member(db, kind="state_institution", country="NER")
        me = (await (await as_user(user)).get("/api/v1/auth/me")).json()
        assert not me["is_unhcr"] and not me["is_secretariat"] and me["unhcr_countries"] == []
