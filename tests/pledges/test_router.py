"""Pledges: the Secretariat records them; everyone reads published ones; links to requests and offers."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from api.models.commitments import SupportRequestPledge
from tests.factories import (
    create_member,
    create_organisation,
    create_pledge,
    create_request,
    create_secretariat_user,
)


class TestPledges:
    async def test_secretariat_records_a_joint_pledge(self, db: AsyncSession, as_user: Any) -> None:
        lead = await create_organisation(db, kind="state_government", country="FRA")
        partner = await create_organisation(db, kind="stakeholder", country="FRA")
        admin = await as_user(await create_secretariat_user(db))
        response = await admin.post(
            "/api/v1/pledges",
            json={
                "external_id": "GRF-2023-00042/ABC",
                "source": "grf",
                "source_event": "GRF2023",
                "title": "Support to asylum capacity in the Sahel",
                "pledge_types": ["technical", "financial"],
                "areas": ["procedures.rsd"],
                "stage": "planning",
                "organisations": [
                    {"organisation_id": str(partner.id)},
                    {"organisation_id": str(lead.id), "is_lead": True},
                ],
            },
        )
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["external_id"] == "GRF-2023-00042/ABC"
        assert [o["is_lead"] for o in body["organisations"]] == [True, False]
        duplicate = await admin.post(
            "/api/v1/pledges",
            json={
                "external_id": "GRF-2023-00042/ABC",
                "source": "grf",
                "source_event": "GRF2023",
                "title": "Again",
                "organisations": [{"organisation_id": str(lead.id)}],
            },
        )
        assert duplicate.status_code == 409

    async def test_participants_cannot_record_pledges(self, db: AsyncSession, as_user: Any) -> None:
        user, organisation = await create_member(db)
        response = await (await as_user(user)).post(
            "/api/v1/pledges",
            json={
                "external_id": "X",
                "source_event": "GRF2023",
                "title": "Mine",
                "organisations": [{"organisation_id": str(organisation.id)}],
            },
        )
        assert response.status_code == 403

    async def test_unknown_event_and_type_are_named(self, db: AsyncSession, as_user: Any) -> None:
        organisation = await create_organisation(db)
        admin = await as_user(await create_secretariat_user(db))
        response = await admin.post(
            "/api/v1/pledges",
            json={
                "external_id": "X1",
                "source_event": "GRF1999",
                "title": "Old",
                "pledge_types": ["magic"],
                "organisations": [{"organisation_id": str(organisation.id)}],
            },
        )
        assert {f["field"] for f in response.json()["fields"]} == {"source_event", "pledge_types.0"}

    async def test_unpublished_pledges_are_seen_by_their_pledgers_only(
        self, db: AsyncSession, as_user: Any, client: httpx.AsyncClient
    ) -> None:
        user, organisation = await create_member(db)
        pledge = await create_pledge(db, organisations=(organisation,), is_published=False)
        assert (await client.get(f"/api/v1/pledges/{pledge.id}")).status_code == 404
        other = await as_user((await create_member(db))[0])
        assert (await other.get(f"/api/v1/pledges/{pledge.id}")).status_code == 404
        assert (await (await as_user(user)).get(f"/api/v1/pledges/{pledge.id}")).status_code == 200

    async def test_linked_requests_are_listed_as_far_as_the_caller_may_see(
        self, db: AsyncSession, client: httpx.AsyncClient, as_user: Any
    ) -> None:
        state = await create_organisation(db, kind="state_institution", country="TCD")
        pledge = await create_pledge(db, organisations=(state,))
        public = await create_request(db, organisation=state, status="validated", allow_publication=True)
        draft = await create_request(db, organisation=state, status="draft")
        db.add_all(
            [
                SupportRequestPledge(request_id=public.id, pledge_id=pledge.id),
                SupportRequestPledge(request_id=draft.id, pledge_id=pledge.id),
            ]
        )
        await db.flush()
        anonymous = (await client.get(f"/api/v1/pledges/{pledge.id}")).json()
        assert [r["id"] for r in anonymous["requests"]] == [str(public.id)]
        admin = await as_user(await create_secretariat_user(db))
        assert len((await admin.get(f"/api/v1/pledges/{pledge.id}")).json()["requests"]) == 2

    async def test_list_filters_by_event_area_and_search(self, db: AsyncSession, client: httpx.AsyncClient) -> None:
        organisation = await create_organisation(db, kind="state_government", country="MEX")
        match = await create_pledge(
            db,
            organisations=(organisation,),
            source_event="GRF2019",
            areas=("procedures.coi",),
            title="Información sobre países de origen",
        )
        await create_pledge(db, organisations=(organisation,), source_event="GRF2023", areas=("legal",))
        page = (
            await client.get(
                "/api/v1/pledges", params={"source_event": "GRF2019", "area": "procedures", "q": "informacion paises"}
            )
        ).json()
        assert [p["id"] for p in page["items"]] == [str(match.id)]
        assert page["items"][0]["lead_country_iso3"] == "MEX"

    async def test_update_requires_if_match(self, db: AsyncSession, as_user: Any) -> None:
        organisation = await create_organisation(db)
        pledge = await create_pledge(db, organisations=(organisation,))
        admin = await as_user(await create_secretariat_user(db))
        assert (await admin.patch(f"/api/v1/pledges/{pledge.id}", json={"stage": "in_progress"})).status_code == 428
        response = await admin.patch(
            f"/api/v1/pledges/{pledge.id}",
            json={"stage": "in_progress"},
            headers={"If-Match": f'"{pledge.id}:{pledge.version}"'},
        )
        assert response.status_code == 200 and response.json()["stage"] == "in_progress"
