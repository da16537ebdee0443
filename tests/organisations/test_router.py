"""Organisations: registration rules per kind, who may edit, who sees members."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import create_member, create_organisation, create_secretariat_user


@pytest.fixture
async def admin(db: AsyncSession, as_user: Any) -> httpx.AsyncClient:
    client: httpx.AsyncClient = await as_user(await create_secretariat_user(db))
    return client


class TestCreateOrganisation:
    async def test_secretariat_registers_a_state_institution(self, admin: httpx.AsyncClient, db: AsyncSession) -> None:
        government = await create_organisation(db, kind="state_government", country="NER")
        response = await admin.post(
            "/api/v1/organisations",
            json={
                "name": "Direction des réfugiés",
                "kind": "state_institution",
                "country_iso3": "ner",
                "parent_id": str(government.id),
            },
        )
        assert response.status_code == 201
        assert response.json()["contributor_type"] == "state" and response.json()["country_iso3"] == "NER"

    async def test_institution_parent_must_be_the_same_states_government(
        self, admin: httpx.AsyncClient, db: AsyncSession
    ) -> None:
        government = await create_organisation(db, kind="state_government", country="FRA")
        response = await admin.post(
            "/api/v1/organisations",
            json={
                "name": "X",
                "kind": "state_institution",
                "country_iso3": "NER",
                "parent_id": str(government.id),
            },
        )
        assert response.status_code == 422 and response.json()["fields"][0]["field"] == "parent_id"

    async def test_stakeholder_needs_a_contributor_type(self, admin: httpx.AsyncClient) -> None:
        missing = await admin.post("/api/v1/organisations", json={"name": "CSO", "kind": "stakeholder"})
        assert missing.status_code == 422 and missing.json()["fields"][0]["field"] == "contributor_type"
        ok = await admin.post(
            "/api/v1/organisations",
            json={"name": "CSO", "kind": "stakeholder", "contributor_type": "refugee_led"},
        )
        assert ok.status_code == 201

    async def test_country_office_covers_its_countries(self, admin: httpx.AsyncClient) -> None:
        response = await admin.post(
            "/api/v1/organisations",
            json={
                "name": "UNHCR Multi-Country Office",
                "kind": "unhcr_country_office",
                "country_iso3": "SEN",
                "office_countries": ["GMB", "GNB"],
            },
        )
        assert response.status_code == 201
        assert response.json()["office_countries"] == ["GMB", "GNB", "SEN"]

    async def test_unknown_country_is_refused_by_name(self, admin: httpx.AsyncClient) -> None:
        response = await admin.post(
            "/api/v1/organisations", json={"name": "X", "kind": "state_government", "country_iso3": "XXX"}
        )
        assert response.status_code == 422 and response.json()["fields"][0]["field"] == "country_iso3"

    async def test_participants_cannot_register(self, db: AsyncSession, as_user: Any) -> None:
        user, _ = await create_member(db)
        response = await (await as_user(user)).post(
            "/api/v1/organisations",
            json={"name": "Mine", "kind": "stakeholder", "contributor_type": "academia"},
        )
        assert response.status_code == 403


class TestEditAndMembers:
    async def test_focal_point_edits_description_but_not_kind_fields(self, db: AsyncSession, as_user: Any) -> None:
        user, organisation = await create_member(db)
        client = await as_user(user)
        ok = await client.patch(f"/api/v1/organisations/{organisation.id}", json={"website": "https://example.org"})
        assert ok.status_code == 200 and ok.json()["website"] == "https://example.org"
        refused = await client.patch(f"/api/v1/organisations/{organisation.id}", json={"is_active": False})
        assert refused.status_code == 422 and refused.json()["fields"][0]["field"] == "is_active"

    async def test_members_are_visible_to_colleagues_only(self, db: AsyncSession, as_user: Any) -> None:
        user, organisation = await create_member(db)
        own = await (await as_user(user)).get(f"/api/v1/organisations/{organisation.id}/members")
        assert [m["user_id"] for m in own.json()] == [str(user.id)]
        stranger, _ = await create_member(db)
        response = await (await as_user(stranger)).get(f"/api/v1/organisations/{organisation.id}/members")
        assert response.status_code == 404

    async def test_focal_point_changes_a_colleagues_role(self, db: AsyncSession, as_user: Any) -> None:
        from tests.factories import create_user

        focal_point, organisation = await create_member(db)
        colleague = await create_user(db, organisation=organisation, role="viewer")
        client = await as_user(focal_point)
        response = await client.patch(
            f"/api/v1/organisations/{organisation.id}/members/{colleague.id}", json={"role": "editor"}
        )
        assert response.status_code == 200 and response.json()["role"] == "editor"
        assert (
            await client.delete(f"/api/v1/organisations/{organisation.id}/members/{colleague.id}")
        ).status_code == 204

    async def test_list_filters_and_paginates(self, db: AsyncSession, as_user: Any) -> None:
        user, _ = await create_member(db)
        for index in range(5):
            await create_organisation(db, name=f"Paging Org {index}", kind="stakeholder", country="KEN")
        client = await as_user(user)
        first = (await client.get("/api/v1/organisations", params={"q": "paging org", "limit": 2})).json()
        assert first["total"] == 5 and len(first["items"]) == 2
        second = (
            await client.get(
                "/api/v1/organisations",
                params={"q": "paging org", "limit": 2, "cursor": first["next_cursor"]},
            )
        ).json()
        names = [o["name"] for o in first["items"] + second["items"]]
        assert names == sorted(names) and len(set(names)) == 4

    async def test_anonymous_cannot_list(self, client: httpx.AsyncClient) -> None:
        assert (await client.get("/api/v1/organisations")).status_code == 401
