"""Support offers: the technical exchange rule, served scope, editing, workflow, lists."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from api.models.identity import Organisation
from tests.factories import create_member, create_offer, create_organisation, create_secretariat_user, create_user


def offer_body(organisation: Organisation, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "Peer review of first-instance decisions",
        "organisation_id": str(organisation.id),
        "components": [
            {"area_code": "procedures.quality", "modalities": ["peer_review"], "support_types": ["technical"]},
            {"area_code": "institutional.infrastructure", "modalities": ["equipment"], "support_types": ["material"]},
        ],
        "languages": ["en", "fr"],
        "serves_any": False,
        "served_regions": ["002"],
        "excluded_countries": ["SSD"],
        "capacity": 3,
        "public_summary": "Experienced quality-assurance staff mentor new decision makers.",
        "confidential_details": "Available from March",
        "contacts": [{"name": "Offer Contact", "email": "offer@example.org"}],
    }
    body.update(overrides)
    return body


@pytest.fixture
async def offerer(db: AsyncSession) -> tuple[Any, Organisation]:
    user, organisation = await create_member(db, kind="stakeholder", country="GBR", contributor_type="academia")
    return user, organisation


class TestCreate:
    async def test_an_offer_with_technical_exchange_is_drafted(self, offerer: Any, as_user: Any) -> None:
        user, organisation = offerer
        response = await (await as_user(user)).post("/api/v1/support-offers", json=offer_body(organisation))
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["reference"].startswith("OFF-") and body["capacity"] == 3
        assert body["served_regions"] == ["002"] and body["excluded_countries"] == ["SSD"]

    async def test_an_offer_without_technical_exchange_is_refused(self, offerer: Any, as_user: Any) -> None:
        user, organisation = offerer
        components = [
            {"area_code": "procedures.registration", "modalities": ["funding"], "support_types": ["financial"]}
        ]
        response = await (await as_user(user)).post(
            "/api/v1/support-offers", json=offer_body(organisation, components=components)
        )
        assert response.status_code == 422
        field = response.json()["fields"][0]
        assert field["field"] == "components" and "technical exchange" in field["message"]

    async def test_an_update_cannot_remove_technical_exchange(self, offerer: Any, as_user: Any) -> None:
        user, organisation = offerer
        client = await as_user(user)
        created = await client.post("/api/v1/support-offers", json=offer_body(organisation))
        response = await client.patch(
            f"/api/v1/support-offers/{created.json()['id']}",
            json={"components": [{"area_code": "procedures.rsd", "support_types": ["financial"]}]},
            headers={"If-Match": created.headers["etag"]},
        )
        assert response.status_code == 422 and response.json()["fields"][0]["field"] == "components"

    async def test_a_restricted_offer_must_say_whom_it_serves(self, offerer: Any, as_user: Any) -> None:
        user, organisation = offerer
        body = offer_body(organisation, served_regions=[])
        response = await (await as_user(user)).post("/api/v1/support-offers", json=body)
        assert response.status_code == 422 and response.json()["fields"][0]["field"] == "served_countries"

    async def test_unknown_regions_bureaux_and_countries_are_named(self, offerer: Any, as_user: Any) -> None:
        user, organisation = offerer
        body = offer_body(organisation, served_regions=["999"], served_bureaux=["mars"], excluded_countries=["XXX"])
        response = await (await as_user(user)).post("/api/v1/support-offers", json=body)
        assert {f["field"] for f in response.json()["fields"]} == {
            "served_regions.0",
            "served_bureaux.0",
            "excluded_countries.0",
        }

    async def test_unhcr_offices_cannot_be_offerers(self, db: AsyncSession, as_user: Any) -> None:
        user, office = await create_member(db, kind="unhcr_country_office", country="NER")
        response = await (await as_user(user)).post("/api/v1/support-offers", json=offer_body(office))
        assert response.status_code == 422 and response.json()["fields"][0]["field"] == "organisation_id"

    async def test_a_state_institution_can_offer(self, db: AsyncSession, as_user: Any) -> None:
        user, institution = await create_member(db, kind="state_institution", country="GEO")
        response = await (await as_user(user)).post("/api/v1/support-offers", json=offer_body(institution))
        assert response.status_code == 201


class TestWorkflowAndLists:
    async def test_submit_validate_close(self, db: AsyncSession, offerer: Any, as_user: Any) -> None:
        user, organisation = offerer
        owner = await as_user(user)
        admin = await as_user(await create_secretariat_user(db))
        offer = await create_offer(db, organisation=organisation)
        url = f"/api/v1/support-offers/{offer.id}/actions"
        assert (await owner.post(f"{url}/submit")).json()["status"] == "submitted"
        assert (await owner.post(f"{url}/validate")).status_code == 403
        assert (await admin.post(f"{url}/validate")).json()["status"] == "validated"
        assert (await owner.post(f"{url}/submit")).status_code == 409
        assert (await owner.post(f"{url}/close")).json()["status"] == "closed"

    async def test_serves_country_filter(self, db: AsyncSession, as_user: Any) -> None:
        organisation = await create_organisation(db, kind="stakeholder", country="ESP")
        africa = await create_offer(
            db, organisation=organisation, status="validated", serves_any=False, served_regions=["002"]
        )
        wca = await create_offer(
            db, organisation=organisation, status="validated", serves_any=False, served_bureaux=["wca"]
        )
        anywhere = await create_offer(
            db, organisation=organisation, status="validated", serves_any=True, excluded_countries=["NER"]
        )
        americas = await create_offer(
            db, organisation=organisation, status="validated", serves_any=False, served_countries=["MEX"]
        )
        client = await as_user((await create_member(db))[0])
        ids = {
            i["id"]
            for i in (
                await client.get("/api/v1/support-offers", params={"serves_country": "NER", "country": "ESP"})
            ).json()["items"]
        }
        assert ids == {str(africa.id), str(wca.id)}
        ids = {
            i["id"]
            for i in (
                await client.get("/api/v1/support-offers", params={"serves_country": "MEX", "country": "ESP"})
            ).json()["items"]
        }
        assert ids == {str(anywhere.id), str(americas.id)}

    async def test_contributor_type_filter(self, db: AsyncSession, as_user: Any) -> None:
        academia = await create_organisation(db, kind="stakeholder", contributor_type="academia", country="KEN")
        csos = await create_organisation(db, kind="stakeholder", contributor_type="civil_society", country="KEN")
        a = await create_offer(db, organisation=academia, status="validated")
        await create_offer(db, organisation=csos, status="validated")
        client = await as_user((await create_member(db))[0])
        page = (
            await client.get("/api/v1/support-offers", params={"contributor_type": "academia", "country": "KEN"})
        ).json()
        assert [i["id"] for i in page["items"]] == [str(a.id)]
        assert page["items"][0]["contributor_type"] == "academia"

    async def test_an_editor_cannot_edit_a_validated_offer(self, db: AsyncSession, offerer: Any, as_user: Any) -> None:
        _, organisation = offerer
        editor = await create_user(db, organisation=organisation, role="editor")
        offer = await create_offer(db, organisation=organisation, status="validated")
        response = await (await as_user(editor)).patch(
            f"/api/v1/support-offers/{offer.id}",
            json={"capacity": 5},
            headers={"If-Match": f'"{offer.id}:{offer.version}"'},
        )
        assert response.status_code == 403
