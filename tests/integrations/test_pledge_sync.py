"""Pledge sync: the GRF platform puts pledges by its own ids; the same body twice writes nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from api.models.audit import AuditEvent
from api.models.commitments import Pledge, SupportOffer, SupportRequestPledge
from api.models.identity import Organisation
from tests.factories import create_member, create_offer, create_organisation, create_request, create_secretariat_user
from tests.integrations.support import as_client

URL = "/api/v1/integrations/pledges/grf/GRF-2023-00042%2FABC"


def body(organisation: Organisation, **changes: Any) -> dict[str, Any]:
    return {
        "source_event": "GRF2023",
        "title": "Support to asylum capacity in the Sahel",
        "pledge_types": ["technical"],
        "areas": ["procedures.rsd"],
        "stage": "planning",
        "organisations": [{"organisation_id": str(organisation.id)}],
        **changes,
    }


async def pledge_rows(db: AsyncSession) -> int:
    return int((await db.execute(select(func.count()).select_from(Pledge))).scalar_one())


class TestPledgePut:
    async def test_put_creates_the_pledge_then_the_same_body_writes_nothing(
        self, db: AsyncSession, client_factory: Any
    ) -> None:
        organisation = await create_organisation(db, kind="state_government", country="FRA")
        http, client = await as_client(client_factory, db, scopes=("pledges:write",))
        created = await http.put(URL, json=body(organisation))
        assert created.status_code == 201, created.text
        assert created.json()["external_id"] == "GRF-2023-00042/ABC" and created.json()["sync_status"] == "created"
        pledge = await db.get(Pledge, created.json()["id"])
        assert pledge is not None
        xmin_before = (
            await db.execute(text("SELECT xmin::text FROM pledges WHERE id = :id"), {"id": pledge.id})
        ).scalar()
        audits_before = (
            await db.execute(select(func.count()).select_from(AuditEvent).where(AuditEvent.record_id == str(pledge.id)))
        ).scalar_one()
        again = await http.put(URL, json=body(organisation))
        assert again.status_code == 200 and again.json()["sync_status"] == "unchanged"
        assert again.headers["etag"] == created.headers["etag"] and again.json()["version"] == 1
        xmin_after = (
            await db.execute(text("SELECT xmin::text FROM pledges WHERE id = :id"), {"id": pledge.id})
        ).scalar()
        audits_after = (
            await db.execute(select(func.count()).select_from(AuditEvent).where(AuditEvent.record_id == str(pledge.id)))
        ).scalar_one()
        assert xmin_after == xmin_before and audits_after == audits_before
        del client

    async def test_a_changed_body_updates_the_pledge_and_its_etag(self, db: AsyncSession, client_factory: Any) -> None:
        organisation = await create_organisation(db, kind="state_government", country="FRA")
        http, _ = await as_client(client_factory, db, scopes=("pledges:write",))
        first = await http.put(URL, json=body(organisation))
        updated = await http.put(
            URL, json=body(organisation, stage="in_progress"), headers={"If-Match": first.headers["etag"]}
        )
        assert updated.status_code == 200 and updated.json()["sync_status"] == "updated"
        assert updated.json()["stage"] == "in_progress" and updated.headers["etag"] != first.headers["etag"]

    async def test_a_stale_if_match_is_412(self, db: AsyncSession, client_factory: Any) -> None:
        organisation = await create_organisation(db, kind="state_government", country="FRA")
        http, _ = await as_client(client_factory, db, scopes=("pledges:write",))
        first = await http.put(URL, json=body(organisation))
        await http.put(URL, json=body(organisation, title="Renamed pledge"))
        stale = await http.put(
            URL, json=body(organisation, stage="fulfilled"), headers={"If-Match": first.headers["etag"]}
        )
        assert stale.status_code == 412

    async def test_if_match_on_a_pledge_that_does_not_exist_is_412(self, db: AsyncSession, client_factory: Any) -> None:
        organisation = await create_organisation(db)
        http, _ = await as_client(client_factory, db, scopes=("pledges:write",))
        response = await http.put(URL, json=body(organisation), headers={"If-Match": '"x:1"'})
        assert response.status_code == 412 and await pledge_rows(db) == 0

    async def test_organisations_are_found_by_their_external_ids(self, db: AsyncSession, client_factory: Any) -> None:
        organisation = await create_organisation(db, kind="state_government", country="MEX")
        organisation.source, organisation.external_id = "grf", "ENTITY-7"
        await db.flush()
        http, _ = await as_client(client_factory, db, scopes=("pledges:write",))
        refs = [{"source": "grf", "external_id": "ENTITY-7"}]
        response = await http.put(URL, json=body(organisation, organisations=refs))
        assert response.status_code == 201
        assert response.json()["organisations"][0]["organisation_id"] == str(organisation.id)
        unknown = await http.put(URL, json=body(organisation, organisations=[{"source": "grf", "external_id": "NOPE"}]))
        assert unknown.status_code == 422 and unknown.json()["fields"][0]["field"] == "organisations.0"

    async def test_requests_and_offers_are_linked_by_reference_or_external_id(
        self, db: AsyncSession, client_factory: Any
    ) -> None:
        state = await create_organisation(db, kind="state_institution", country="NER")
        stakeholder = await create_organisation(db, kind="stakeholder", country="FRA")
        request = await create_request(db, organisation=state, status="validated")
        offer = await create_offer(db, organisation=stakeholder, status="validated", source="ofpra", external_id="O-1")
        http, _ = await as_client(client_factory, db, scopes=("pledges:write",))
        response = await http.put(
            URL,
            json=body(
                state,
                requests=[{"reference": request.reference}],
                offers=[{"source": "ofpra", "external_id": "O-1"}],
            ),
        )
        assert response.status_code == 201, response.text
        assert [r["id"] for r in response.json()["requests"]] == [str(request.id)]
        assert [o["id"] for o in response.json()["offers"]] == [str(offer.id)]
        links = (await db.execute(select(SupportRequestPledge))).scalars().all()
        assert [link.request_id for link in links] == [request.id]
        unlinked = await http.put(URL, json=body(state, requests=[], offers=[]))
        assert unlinked.json()["sync_status"] == "updated" and unlinked.json()["version"] == 2
        await db.refresh(offer)
        assert offer.pledge_id is None

    async def test_a_draft_request_the_client_cannot_see_cannot_be_linked(
        self, db: AsyncSession, client_factory: Any
    ) -> None:
        state = await create_organisation(db, kind="state_institution", country="NER")
        draft = await create_request(db, organisation=state, status="draft")
        http, _ = await as_client(client_factory, db, scopes=("pledges:write",))
        response = await http.put(URL, json=body(state, requests=[{"reference": draft.reference}]))
        assert response.status_code == 422 and response.json()["fields"][0]["field"] == "requests.0"

    async def test_pledge_sync_needs_pledges_write(self, db: AsyncSession, client_factory: Any, as_user: Any) -> None:
        organisation = await create_organisation(db)
        http, _ = await as_client(client_factory, db, scopes=("pledges:read",))
        assert (await http.put(URL, json=body(organisation))).status_code == 403
        user, _ = await create_member(db)
        assert (await (await as_user(user)).put(URL, json=body(organisation))).status_code == 403

    async def test_the_secretariat_may_sync_pledges_too(self, db: AsyncSession, as_user: Any) -> None:
        organisation = await create_organisation(db)
        admin = await as_user(await create_secretariat_user(db))
        assert (await admin.put(URL, json=body(organisation))).status_code == 201
        assert (await admin.put(URL, json=body(organisation))).json()["sync_status"] == "unchanged"

    async def test_unknown_codes_are_named(self, db: AsyncSession, client_factory: Any) -> None:
        organisation = await create_organisation(db)
        http, _ = await as_client(client_factory, db, scopes=("pledges:write",))
        response = await http.put(URL, json=body(organisation, source_event="GRF1999", areas=["nowhere"]))
        assert response.status_code == 422
        assert {f["field"] for f in response.json()["fields"]} == {"source_event", "areas.0"}


class TestPledgeBulkUpsert:
    async def test_each_item_is_created_updated_unchanged_or_refused_on_its_own(
        self, db: AsyncSession, client_factory: Any
    ) -> None:
        organisation = await create_organisation(db, kind="state_government", country="FRA")
        http, _ = await as_client(client_factory, db, scopes=("pledges:write",))
        await http.put("/api/v1/integrations/pledges/grf/B-2", json=body(organisation))
        await http.put("/api/v1/integrations/pledges/grf/B-3", json=body(organisation))
        items = [
            {"source": "grf", "external_id": "B-1", **body(organisation)},
            {"source": "grf", "external_id": "B-2", **body(organisation, stage="fulfilled")},
            {"source": "grf", "external_id": "B-3", **body(organisation)},
            {"source": "grf", "external_id": "B-4", **body(organisation, pledge_types=["magic"])},
            {"source": "grf", "external_id": "B-5", **body(organisation), "unknown_field": 1},
            {"source": "grf", "external_id": "B-1", **body(organisation)},
        ]
        response = await http.post("/api/v1/integrations/pledges:bulk-upsert", json={"items": items})
        assert response.status_code == 200, response.text
        results = response.json()["results"]
        assert [r["status"] for r in results] == ["created", "updated", "unchanged", "error", "error", "error"]
        assert results[3]["errors"][0]["field"] == "items.3.pledge_types.0"
        assert results[4]["errors"][0]["field"] == "items.4.unknown_field"
        assert results[5]["errors"][0]["field"] == "items.5.external_id"
        assert response.json()["counts"] == {"created": 1, "updated": 1, "unchanged": 1, "error": 3}
        assert await pledge_rows(db) == 3

    async def test_more_than_1000_items_are_refused(self, db: AsyncSession, client_factory: Any) -> None:
        http, _ = await as_client(client_factory, db, scopes=("pledges:write",))
        response = await http.post("/api/v1/integrations/pledges:bulk-upsert", json={"items": [{}] * 1001})
        assert response.status_code == 422 and response.json()["fields"][0]["field"] == "body.items"

    async def test_offers_linked_in_bulk_keep_their_versions_right(self, db: AsyncSession, client_factory: Any) -> None:
        stakeholder = await create_organisation(db, kind="stakeholder", country="FRA")
        offer = await create_offer(db, organisation=stakeholder, status="validated")
        http, _ = await as_client(client_factory, db, scopes=("pledges:write",))
        item = {"source": "grf", "external_id": "L-1", **body(stakeholder, offers=[{"reference": offer.reference}])}

        async def version() -> int:
            return int((await db.execute(select(SupportOffer.version).where(SupportOffer.id == offer.id))).scalar_one())

        before = await version()
        first = await http.post("/api/v1/integrations/pledges:bulk-upsert", json={"items": [item]})
        linked = await version()
        second = await http.post("/api/v1/integrations/pledges:bulk-upsert", json={"items": [item]})
        assert first.json()["results"][0]["status"] == "created"
        assert second.json()["results"][0]["status"] == "unchanged"
        assert (linked, await version()) == (before + 1, before + 1)
