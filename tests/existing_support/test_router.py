"""Existing support: recorded by the Secretariat and covering UNHCR offices; overlaps are flagged."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import create_member, create_organisation, create_secretariat_user


def body(**overrides: Any) -> dict[str, Any]:
    value: dict[str, Any] = {
        "provider_name": "Bilateral partner",
        "recipient_country_iso3": "NER",
        "areas": ["procedures.rsd"],
        "starts_on": "2026-01-01",
        "ends_on": "2027-12-31",
        "source_kind": "bilateral",
    }
    value.update(overrides)
    return value


class TestExistingSupport:
    async def test_a_covering_office_records_and_sees_overlaps(self, db: AsyncSession, as_user: Any) -> None:
        user, _ = await create_member(db, kind="unhcr_country_office", country="NER")
        client = await as_user(user)
        first = await client.post("/api/v1/existing-support", json=body())
        assert first.status_code == 201 and first.json()["duplication_warnings"] == []
        second = await client.post(
            "/api/v1/existing-support",
            json=body(areas=["procedures"], starts_on="2027-06-01", ends_on=None, provider_name="Another"),
        )
        warnings = second.json()["duplication_warnings"]
        assert [w["record_id"] for w in warnings] == [first.json()["id"]]
        apart = await client.post(
            "/api/v1/existing-support",
            json=body(starts_on="2028-01-01", ends_on="2028-12-31", areas=["legal.legislation"]),
        )
        assert apart.json()["duplication_warnings"] == []

    async def test_an_office_cannot_record_for_a_country_it_does_not_cover(
        self, db: AsyncSession, as_user: Any
    ) -> None:
        user, _ = await create_member(db, kind="unhcr_country_office", country="MEX")
        response = await (await as_user(user)).post("/api/v1/existing-support", json=body())
        assert response.status_code == 403

    async def test_participants_cannot_record(self, db: AsyncSession, as_user: Any) -> None:
        user, _ = await create_member(db)
        assert (await (await as_user(user)).post("/api/v1/existing-support", json=body())).status_code == 403

    async def test_a_provider_on_the_platform_names_itself(self, db: AsyncSession, as_user: Any) -> None:
        provider = await create_organisation(db, name="Ministère des Affaires étrangères", kind="state_government")
        admin = await as_user(await create_secretariat_user(db))
        response = await admin.post(
            "/api/v1/existing-support", json=body(provider_name=None, provider_organisation_id=str(provider.id))
        )
        assert response.json()["provider_name"] == "Ministère des Affaires étrangères"

    async def test_provider_is_required(self, db: AsyncSession, as_user: Any) -> None:
        admin = await as_user(await create_secretariat_user(db))
        response = await admin.post("/api/v1/existing-support", json=body(provider_name=None))
        assert response.status_code == 422 and response.json()["fields"][0]["field"] == "provider_name"

    @pytest.mark.parametrize("field", ["areas", "provider_name", "source_kind", "is_confidential", "description"])
    async def test_an_edit_cannot_empty_a_required_field(self, field: str, db: AsyncSession, as_user: Any) -> None:
        admin = await as_user(await create_secretariat_user(db))
        created = await admin.post("/api/v1/existing-support", json=body())
        url = f"/api/v1/existing-support/{created.json()['id']}"
        response = await admin.patch(url, json={field: None}, headers={"If-Match": created.headers["etag"]})
        assert response.status_code == 422, response.text
        assert [f["field"] for f in response.json()["fields"]] == [field]

    async def test_edit_and_delete_use_etags(self, db: AsyncSession, as_user: Any) -> None:
        admin = await as_user(await create_secretariat_user(db))
        created = await admin.post("/api/v1/existing-support", json=body())
        url = f"/api/v1/existing-support/{created.json()['id']}"
        updated = await admin.patch(url, json={"is_confidential": True}, headers={"If-Match": created.headers["etag"]})
        assert updated.status_code == 200 and updated.json()["is_confidential"] is True
        assert (await admin.delete(url, headers={"If-Match": created.headers["etag"]})).status_code == 412
        assert (await admin.delete(url, headers={"If-Match": updated.headers["etag"]})).status_code == 204
