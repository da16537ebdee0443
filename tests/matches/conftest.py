"""A match world: a requesting State, an offering stakeholder, the Secretariat, a UNHCR office, strangers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from api.models.commitments import SupportOffer, SupportRequest
from api.models.identity import Organisation, User
from tests.factories import create_offer, create_organisation, create_request, create_secretariat_user, create_user

MARK = "MQZ" + uuid.uuid4().hex[:8].upper()
REQUEST_MARK = f"{MARK}REQ"
OFFER_MARK = f"{MARK}OFF"


@dataclass
class MatchWorld:
    state: Organisation
    offerer: Organisation
    request: SupportRequest
    offer: SupportOffer
    state_user: User
    offerer_user: User
    secretariat: httpx.AsyncClient
    state_client: httpx.AsyncClient
    offerer_client: httpx.AsyncClient
    office_client: httpx.AsyncClient
    stranger_client: httpx.AsyncClient
    anonymous: httpx.AsyncClient

    async def propose(self, **extra: Any) -> dict[str, Any]:
        component_id = await self.component_id()
        response = await self.secretariat.post(
            "/api/v1/matches",
            json={
                "items": [{"request_component_id": component_id, "offer_id": str(self.offer.id)}],
                "public_summary": "Peer support on first-instance decisions",
                **extra,
            },
        )
        assert response.status_code == 201, response.text
        return response.json()  # type: ignore[no-any-return]

    async def component_id(self) -> str:
        detail = (await self.secretariat.get(f"/api/v1/support-requests/{self.request.id}")).json()
        return str(detail["components"][0]["id"])

    async def proposed_and_asked(self) -> dict[str, Any]:
        match = await self.propose()
        response = await self.secretariat.post(f"/api/v1/matches/{match['id']}/actions/request_consent")
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    async def consent(
        self, client: httpx.AsyncClient, match: dict[str, Any], decision: str = "grant", version: int | None = None
    ) -> httpx.Response:
        return await client.post(
            f"/api/v1/matches/{match['id']}/consent",
            json={"decision": decision, "proposal_version": version or match["proposal_version"]},
        )


def confidential(mark: str) -> dict[str, Any]:
    return {
        "confidential_details": f"details {mark}",
        "contacts": [{"name": f"Contact {mark}", "email": f"{mark.lower()}@example.gov"}],
        "attachments": [{"title": f"Annex {mark}", "url": f"https://example.gov/{mark}.pdf"}],
    }


@pytest.fixture
async def world(db: AsyncSession, as_user: Any, client: httpx.AsyncClient) -> MatchWorld:
    state = await create_organisation(
        db, kind="state_institution", country="NER", name=f"Direction des réfugiés {MARK}STATE"
    )
    offerer = await create_organisation(
        db, kind="stakeholder", country="FRA", contributor_type="academia", name=f"Clinique juridique {MARK}ORG"
    )
    request = await create_request(
        db,
        organisation=state,
        status="validated",
        areas=("procedures.rsd", "procedures.coi"),
        languages=("fr",),
        title=f"Request {MARK}TITLE",
        context=f"context {REQUEST_MARK}",
        **confidential(REQUEST_MARK),
    )
    offer = await create_offer(
        db,
        organisation=offerer,
        status="validated",
        areas=("procedures.rsd",),
        languages=("fr", "en"),
        title=f"Offer {MARK}OTITLE",
        capacity=1,
        **confidential(OFFER_MARK),
    )
    office = await create_organisation(db, kind="unhcr_country_office", country="NER")
    state_user = await create_user(db, organisation=state, language="fr")
    offerer_user = await create_user(db, organisation=offerer)
    stranger = await create_user(db, organisation=await create_organisation(db, kind="stakeholder", country="KEN"))
    return MatchWorld(
        state=state,
        offerer=offerer,
        request=request,
        offer=offer,
        state_user=state_user,
        offerer_user=offerer_user,
        secretariat=await as_user(await create_secretariat_user(db)),
        state_client=await as_user(state_user),
        offerer_client=await as_user(offerer_user),
        office_client=await as_user(await create_user(db, organisation=office)),
        stranger_client=await as_user(stranger),
        anonymous=client,
    )
