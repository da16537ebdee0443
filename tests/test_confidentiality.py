"""Confidentiality across the whole API: unique markers planted in every confidential field never reach a
caller who is not entitled to them, on any GET endpoint (enumerated from the OpenAPI document, so a new
endpoint is covered automatically), with or without search terms and filters."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from api.models.commitments import ExistingSupport
from tests.factories import (
    create_offer,
    create_organisation,
    create_pledge,
    create_request,
    create_secretariat_user,
    create_user,
)

MARK = "ZQX" + uuid.uuid4().hex[:10].upper()
REQUEST_MARK = f"{MARK}REQ"
OFFER_MARK = f"{MARK}OFF"
EXISTING_MARK = f"{MARK}EXS"
DRAFT_MARK = f"{MARK}DRAFT"
# A second request and a second offer, matched and consented by both parties: each side may now read the
# other's record in full (but not the first request or offer, whose match is still waiting for consent).
AGREED_MARK = f"{MARK}AGREED"
AGREED_OFFER_MARK = f"{MARK}AGROFF"
# A progress report on that match (parties, facilitators and the Secretariat only, even once the match is public).
REPORT_MARK = f"{MARK}REPORT"
# A knowledge item still in draft (its author organisation and the Secretariat only).
KNOWLEDGE_MARK = f"{MARK}KNOW"
ALL_MARKS = (
    REQUEST_MARK,
    OFFER_MARK,
    EXISTING_MARK,
    DRAFT_MARK,
    AGREED_MARK,
    AGREED_OFFER_MARK,
    REPORT_MARK,
    KNOWLEDGE_MARK,
)


def confidential(mark: str) -> dict[str, Any]:
    return {
        "confidential_details": f"details {mark}",
        "contacts": [
            {"name": f"Contact {mark}", "email": f"{mark.lower()}@example.gov", "phone": "+000", "role": f"role {mark}"}
        ],
        "attachments": [{"title": f"Annex {mark}", "url": f"https://example.gov/{mark}.pdf"}],
    }


@dataclass
class World:
    ids: dict[str, str]
    clients: dict[str, httpx.AsyncClient]


@pytest.fixture
async def world(db: AsyncSession, as_user: Any, client: httpx.AsyncClient, app: Any) -> World:
    niger = await create_organisation(db, kind="state_institution", country="NER")
    stakeholder = await create_organisation(db, kind="stakeholder", country="GBR", contributor_type="academia")
    other = await create_organisation(db, kind="stakeholder", country="FRA")
    office_in = await create_organisation(db, kind="unhcr_country_office", country="NER")
    office_out = await create_organisation(db, kind="unhcr_country_office", country="MEX")
    request = await create_request(
        db,
        organisation=niger,
        status="validated",
        allow_publication=True,
        title="Validated request",
        context=f"context {REQUEST_MARK}",
        commitment_text="commitment",
        **confidential(REQUEST_MARK),
    )
    draft = await create_request(
        db,
        organisation=niger,
        status="draft",
        title=f"Draft {DRAFT_MARK}",
        public_summary=f"summary {DRAFT_MARK}",
        **confidential(DRAFT_MARK),
    )
    offer = await create_offer(
        db,
        organisation=stakeholder,
        status="validated",
        allow_publication=True,
        title="Validated offer",
        **confidential(OFFER_MARK),
    )
    existing = ExistingSupport(
        provider_name=f"Provider {EXISTING_MARK}",
        recipient_country_iso3="NER",
        areas=["procedures.rsd"],
        area_codes=["procedures", "procedures.rsd"],
        description=f"description {EXISTING_MARK}",
        is_confidential=True,
    )
    db.add(existing)
    pledge = await create_pledge(db, organisations=(niger,))
    from api.models.commitments import SupportRequestPledge

    db.add(SupportRequestPledge(request_id=request.id, pledge_id=pledge.id))
    db.add(SupportRequestPledge(request_id=draft.id, pledge_id=pledge.id))
    await db.flush()
    users = {
        "owner": await create_user(db, organisation=niger),
        "offerer": await create_user(db, organisation=stakeholder),
        "participant": await create_user(db, organisation=other),
        "unhcr_in": await create_user(db, organisation=office_in),
        "unhcr_out": await create_user(db, organisation=office_out),
        "secretariat": await create_secretariat_user(db),
    }
    clients = {role: await as_user(user) for role, user in users.items()}
    clients["anonymous"] = client
    # A match between the two, asked for consent and granted by the offerer only: nothing crosses yet.
    component_id = (await clients["secretariat"].get(f"/api/v1/support-requests/{request.id}")).json()["components"][0][
        "id"
    ]
    match = (
        await clients["secretariat"].post(
            "/api/v1/matches",
            json={
                "items": [{"request_component_id": component_id, "offer_id": str(offer.id)}],
                "justification": "Niger already receives support here; this offer complements it",
            },
        )
    ).json()
    await clients["secretariat"].post(f"/api/v1/matches/{match['id']}/actions/request_consent")
    await clients["offerer"].post(
        f"/api/v1/matches/{match['id']}/consent", json={"decision": "grant", "proposal_version": 1}
    )
    agreed = await create_request(
        db,
        organisation=niger,
        status="validated",
        allow_publication=True,
        title="Agreed request",
        context=f"context {AGREED_MARK}",
        commitment_text="commitment",
        **confidential(AGREED_MARK),
    )
    agreed_offer = await create_offer(
        db,
        organisation=stakeholder,
        status="validated",
        allow_publication=True,
        title="Agreed offer",
        **confidential(AGREED_OFFER_MARK),
    )
    report_id, agreed_match_id = await _published_match_with_report(clients, str(agreed.id), str(agreed_offer.id))
    knowledge = await clients["owner"].post(
        "/api/v1/knowledge/items",
        json={
            "kind": "good_practice",
            "language": "fr",
            "title": "Entretiens à distance",
            "summary": f"Résumé {KNOWLEDGE_MARK}",
            "body": f"Corps {KNOWLEDGE_MARK}",
            "areas": ["procedures.rsd"],
            "countries": ["NER"],
        },
    )
    assert knowledge.status_code == 201, knowledge.text
    from api.worker import drain

    await drain(app.state.database, app.state.settings)
    ids = {
        "agreed_request_id": str(agreed.id),
        "agreed_offer_id": str(agreed_offer.id),
        "agreed_match_id": agreed_match_id,
        "report_id": report_id,
        "item_id": knowledge.json()["id"],
        "request_id": str(request.id),
        "draft_id": str(draft.id),
        "offer_id": str(offer.id),
        "record_id": str(existing.id),
        "pledge_id": str(pledge.id),
        "organisation_id": str(niger.id),
        "user_id": str(users["owner"].id),
        "match_id": match["id"],
    }
    return World(ids=ids, clients=clients)


async def _published_match_with_report(
    clients: dict[str, httpx.AsyncClient], request_id: str, offer_id: str
) -> tuple[str, str]:
    """A match both parties consented to, in planning, public, with a submitted (unpublished) report."""
    secretariat, owner, offerer = clients["secretariat"], clients["owner"], clients["offerer"]
    component_id = (await secretariat.get(f"/api/v1/support-requests/{request_id}")).json()["components"][0]["id"]
    match = (
        await secretariat.post(
            "/api/v1/matches",
            json={
                "items": [{"request_component_id": component_id, "offer_id": offer_id}],
                "justification": "Complements the support already under way",
            },
        )
    ).json()
    url = f"/api/v1/matches/{match['id']}"
    assert (await secretariat.post(f"{url}/actions/request_consent")).status_code == 200
    for party in (owner, offerer):
        granted = await party.post(f"{url}/consent", json={"decision": "grant", "proposal_version": 1})
        assert granted.status_code == 200, granted.text
    agreement = await owner.post(
        f"{url}/agreement", json={"scope": "Mentoring", "starts_on": "2025-01-10", "ends_on": "2028-12-31"}
    )
    assert agreement.status_code == 200, agreement.text
    assert (await secretariat.post(f"{url}/actions/start_planning")).status_code == 200
    for party in (owner, offerer):
        assert (await party.post(f"{url}/publication-consent", json={"consent": True})).status_code == 200
    report = (await offerer.get(f"{url}/reporting")).json()["reports"][-1]
    drafted = await offerer.patch(
        f"/api/v1/reports/{report['id']}",
        headers={"If-Match": f'"{report["id"]}:{report["version"]}"'},
        json={"narrative": f"Progress {REPORT_MARK}", "challenges": f"Challenges {REPORT_MARK}"},
    )
    assert drafted.status_code == 200, drafted.text
    assert (await offerer.post(f"/api/v1/reports/{report['id']}/actions/submit")).status_code == 200
    return str(report["id"]), str(match["id"])


# Which planted markers each role may ever receive.
ENTITLED: dict[str, set[str]] = {
    "anonymous": set(),
    "participant": set(),
    "unhcr_out": set(),
    "owner": {REQUEST_MARK, DRAFT_MARK, AGREED_MARK, AGREED_OFFER_MARK, REPORT_MARK, KNOWLEDGE_MARK},
    "offerer": {OFFER_MARK, AGREED_OFFER_MARK, AGREED_MARK, REPORT_MARK},
    # The office covering Niger facilitates the matches, and facilitators see every party's record in full.
    "unhcr_in": {REQUEST_MARK, DRAFT_MARK, EXISTING_MARK, OFFER_MARK, AGREED_MARK, AGREED_OFFER_MARK, REPORT_MARK},
    "secretariat": set(ALL_MARKS),
}

# Path parameters filled from the planted world; several ids are tried where a parameter is generic.
PARAMETER_VALUES: dict[str, list[str]] = {
    "request_id": ["request_id", "draft_id", "agreed_request_id"],
    "offer_id": ["offer_id", "agreed_offer_id"],
    "record_id": ["record_id"],
    "pledge_id": ["pledge_id"],
    "organisation_id": ["organisation_id"],
    "user_id": ["user_id"],
    "match_id": ["match_id", "agreed_match_id"],
    "report_id": ["report_id"],
    "item_id": ["item_id"],
    # Exports and import templates by kind.
    "kind": ["requests", "offers", "pledges", "existing_support", "organisations"],
}
# Parameter values that are names, not planted ids.
LITERAL_VALUES: dict[str, str] = {kind: kind for kind in PARAMETER_VALUES["kind"]}


def get_paths(spec: dict[str, Any]) -> list[str]:
    return sorted(path for path, operations in spec["paths"].items() if "get" in operations)


def concrete_urls(path: str, ids: dict[str, str]) -> list[str]:
    names = re.findall(r"{(\w+)}", path)
    urls = [path]
    for name in names:
        keys = PARAMETER_VALUES.get(name)
        values = [LITERAL_VALUES.get(k) or ids[k] for k in keys] if keys else [ids["request_id"]]
        urls = [url.replace(f"{{{name}}}", value) for url in urls for value in values]
    return urls


QUERY_VARIANTS: list[dict[str, str]] = [
    {},
    {"q": MARK},
    {"q": REQUEST_MARK.lower()},
    {"q": "details"},
    {"limit": "200"},
    {"status": "draft"},
    {"country": "NER"},
]


async def test_no_confidential_marker_reaches_a_caller_not_entitled_to_it(world: World) -> None:
    spec = (await world.clients["anonymous"].get("/api/v1/openapi.json")).json()
    paths = get_paths(spec)
    assert "/api/v1/support-requests/{request_id}" in paths
    checked = 0
    for role, client in world.clients.items():
        forbidden = set(ALL_MARKS) - ENTITLED[role]
        for path in paths:
            for url in concrete_urls(path, world.ids):
                for params in QUERY_VARIANTS:
                    response = await client.get(url, params=params)
                    assert response.status_code < 500, (role, url, params, response.text)
                    leaked = [mark for mark in forbidden if mark in response.text or mark.lower() in response.text]
                    assert not leaked, f"{role} received {leaked} from GET {url} {params}"
                    checked += 1
    assert checked > 100


@pytest.mark.parametrize(
    ("role", "expected_view"),
    [
        ("anonymous", "public"),
        ("participant", "public"),
        ("unhcr_out", "public"),
        ("offerer", "public"),
        ("owner", "full"),
        ("unhcr_in", "full"),
        ("secretariat", "full"),
    ],
)
async def test_validated_request_detail_view_by_role(world: World, role: str, expected_view: str) -> None:
    response = await world.clients[role].get(f"/api/v1/support-requests/{world.ids['request_id']}")
    assert response.status_code == 200
    body = response.json()
    assert body["view"] == expected_view
    assert (REQUEST_MARK in response.text) == (expected_view == "full")
    if expected_view == "public":
        assert set(body) & {"confidential_details", "contacts", "attachments", "context", "commitment_text"} == set()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 404),
        ("participant", 404),
        ("unhcr_out", 404),
        ("offerer", 404),
        ("owner", 200),
        ("unhcr_in", 200),
        ("secretariat", 200),
    ],
)
async def test_a_draft_is_invisible_beyond_its_owners(world: World, role: str, status: int) -> None:
    response = await world.clients[role].get(f"/api/v1/support-requests/{world.ids['draft_id']}")
    assert response.status_code == status


@pytest.mark.parametrize(
    ("role", "expected_view"),
    [
        ("anonymous", "public"),
        ("participant", "public"),
        ("owner", "public"),
        ("unhcr_in", "public"),
        ("offerer", "full"),
        ("secretariat", "full"),
    ],
)
async def test_validated_offer_detail_view_by_role(world: World, role: str, expected_view: str) -> None:
    response = await world.clients[role].get(f"/api/v1/support-offers/{world.ids['offer_id']}")
    assert response.json()["view"] == expected_view
    assert (OFFER_MARK in response.text) == (expected_view == "full")


async def test_the_public_sees_validated_records_only_when_publication_is_allowed(
    db: AsyncSession, client: httpx.AsyncClient
) -> None:
    state = await create_organisation(db, kind="state_institution", country="TCD")
    hidden = await create_request(db, organisation=state, status="validated", allow_publication=False)
    shown = await create_request(db, organisation=state, status="validated", allow_publication=True)
    assert (await client.get(f"/api/v1/support-requests/{hidden.id}")).status_code == 404
    assert (await client.get(f"/api/v1/support-requests/{shown.id}")).json()["view"] == "public"
    listed = {
        i["id"] for i in (await client.get("/api/v1/support-requests", params={"country": "TCD"})).json()["items"]
    }
    assert listed == {str(shown.id)}


@pytest.mark.parametrize(
    ("role", "visible"),
    [("participant", False), ("unhcr_out", False), ("unhcr_in", True), ("secretariat", True), ("anonymous", False)],
)
async def test_confidential_existing_support_by_role(world: World, role: str, visible: bool) -> None:
    response = await world.clients[role].get(f"/api/v1/existing-support/{world.ids['record_id']}")
    assert (response.status_code == 200) == visible


async def test_the_planted_world_reaches_those_entitled(world: World) -> None:
    """The markers are really there: each reaches the roles entitled to it (so their absence above means something)."""
    clients, ids = world.clients, world.ids
    assert REPORT_MARK in (await clients["owner"].get(f"/api/v1/reports/{ids['report_id']}")).text
    assert REPORT_MARK in (await clients["unhcr_in"].get(f"/api/v1/reports/{ids['report_id']}")).text
    # After both consents the counterpart's record crosses on the match (the request's own page stays public).
    assert AGREED_MARK in (await clients["offerer"].get(f"/api/v1/matches/{ids['agreed_match_id']}")).text
    assert AGREED_OFFER_MARK in (await clients["owner"].get(f"/api/v1/matches/{ids['agreed_match_id']}")).text
    assert KNOWLEDGE_MARK in (await clients["owner"].get(f"/api/v1/knowledge/items/{ids['item_id']}")).text
    public = await clients["anonymous"].get(f"/api/v1/matches/{ids['agreed_match_id']}")
    assert public.status_code == 200 and public.json()["view"] == "public"
    exported = await clients["secretariat"].get("/api/v1/exports/requests", params={"format": "csv"})
    assert exported.status_code == 200 and AGREED_MARK in exported.text
