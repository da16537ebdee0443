"""Matches, progress reports and knowledge items in the change feed and webhooks: each needs its read scope, and
a client sees (and receives) only what that resource's own visibility lets it see, redacted the same way."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx
import pytest

from api.core import audit
from api.core.actor import SYSTEM
from api.core.config import Settings
from api.core.db import Database
from api.models.identity import Organisation
from api.webhooks import delivery
from api.worker import drain
from tests.changes.test_feed import Reader
from tests.conftest import SECRET, CommittedDatabase, make_settings
from tests.factories import (
    create_offer,
    create_organisation,
    create_request,
    create_secretariat_user,
    create_user,
    session_token_for,
    sign_in_client,
)
from tests.integrations.support import create_client, token_for


@dataclass
class Received:
    requests: list[httpx.Request] = field(default_factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(204)

    def records(self, resource: str) -> list[dict[str, Any]]:
        bodies = [json.loads(r.content)["data"] for r in self.requests]
        return [b["record"] for b in bodies if b["resource"] == resource and "record" in b]


@dataclass
class World:
    committed: CommittedDatabase
    settings: Settings
    state: Organisation
    offerer: Organisation
    request_id: str
    offer_id: str
    secretariat: httpx.AsyncClient
    state_user: httpx.AsyncClient
    offerer_user: httpx.AsyncClient
    received: Received
    opened: list[httpx.AsyncClient] = field(default_factory=list)

    async def user(self, token: str) -> httpx.AsyncClient:
        http = sign_in_client(self.committed.client(), token, SECRET)
        self.opened.append(http)
        return http

    async def client(self, *scopes: str, organisation: Organisation | None = None) -> Reader:
        async with self.committed.sessionmaker() as session, session.begin():
            client, secret = await create_client(session, scopes=scopes, organisation=organisation)
        http = self.committed.client()
        self.opened.append(http)
        http.headers["Authorization"] = f"Bearer {await token_for(http, client, secret)}"
        return Reader(http)

    async def subscribe(self, reader: Reader, event_types: list[str]) -> None:
        response = await reader.http.post(
            "/api/v1/webhooks/subscriptions", json={"url": "http://127.0.0.1:8999/hook", "event_types": event_types}
        )
        assert response.status_code == 201, response.text

    async def deliver_all(self) -> None:
        async with self.committed.sessionmaker() as session, session.begin():
            await delivery.dispatch(session, self.settings)
        await drain(Database(self.committed.engine), self.settings, kinds=["webhook.deliver"])

    async def match_in_planning(self) -> str:
        detail = (await self.secretariat.get(f"/api/v1/support-requests/{self.request_id}")).json()
        proposed = await self.secretariat.post(
            "/api/v1/matches",
            json={
                "items": [{"request_component_id": detail["components"][0]["id"], "offer_id": self.offer_id}],
                "public_summary": "Peer support on first-instance decisions",
                "justification": "JUSTIFICATION-ONLY-FOR-FACILITATORS",
            },
        )
        assert proposed.status_code == 201, proposed.text
        match = proposed.json()
        url = f"/api/v1/matches/{match['id']}"
        steps = [
            (self.secretariat, f"{url}/actions/request_consent", None),
            (self.state_user, f"{url}/consent", {"decision": "grant", "proposal_version": match["proposal_version"]}),
            (
                self.offerer_user,
                f"{url}/consent",
                {"decision": "grant", "proposal_version": match["proposal_version"]},
            ),
            (
                self.state_user,
                f"{url}/agreement",
                {"scope": "Mentoring of eligibility officers", "starts_on": date.today().isoformat()},
            ),
            (self.secretariat, f"{url}/actions/start_planning", None),
        ]
        for http, path, body in steps:
            response = await http.post(path, json=body)
            assert response.status_code == 200, (path, response.text)
        return str(match["id"])

    async def publish_match(self, match_id: str) -> None:
        for http in (self.state_user, self.offerer_user):
            response = await http.post(f"/api/v1/matches/{match_id}/publication-consent", json={"consent": True})
            assert response.status_code == 200, response.text
        # A change to the match itself once it is public (consents are recorded on its parties).
        response = await self.secretariat.put(
            f"/api/v1/matches/{match_id}/next-action", json={"next_action": "Kick-off call", "next_action_on": None}
        )
        assert response.status_code == 200, response.text


@pytest.fixture
async def world(committed: CommittedDatabase, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[World]:
    received = Received()
    monkeypatch.setattr(delivery, "TRANSPORT", httpx.MockTransport(received.handle))
    async with committed.sessionmaker() as session, session.begin():
        audit.bind_actor(session, SYSTEM)
        state = await create_organisation(session, kind="state_institution", country="NER")
        offerer = await create_organisation(session, kind="stakeholder", country="FRA", contributor_type="academia")
        request = await create_request(session, organisation=state, status="validated", languages=("fr",))
        offer = await create_offer(session, organisation=offerer, status="validated", languages=("fr", "en"))
        tokens = [
            await session_token_for(session, user)
            for user in (
                await create_secretariat_user(session),
                await create_user(session, organisation=state),
                await create_user(session, organisation=offerer),
            )
        ]
    secretariat, state_user, offerer_user = (sign_in_client(committed.client(), t, SECRET) for t in tokens)
    world = World(
        committed,
        make_settings(committed.url),
        state,
        offerer,
        str(request.id),
        str(offer.id),
        secretariat,
        state_user,
        offerer_user,
        received,
    )
    yield world
    for http in (world.secretariat, world.state_user, world.offerer_user, *world.opened):
        await http.aclose()


def ids(reader: Reader, resource: str) -> set[str]:
    return {record_id for name, record_id, _ in reader.seen if name == resource}


class TestMatches:
    async def test_matches_follow_the_scope_and_the_match_visibility(self, world: World) -> None:
        party = await world.client("matches:read", "changes:read", "webhooks:manage", organisation=world.state)
        public = await world.client("matches:read", "changes:read", "webhooks:manage")
        blind = await world.client("pledges:read", "requests:read", "changes:read")
        await world.subscribe(party, ["match.*"])
        await world.subscribe(public, ["match.*"])
        match_id = await world.match_in_planning()

        await party.until(1)
        assert match_id in ids(party, "match")
        await public.drain()  # the party has read past the match's changes: so would this client if it saw them
        assert ids(public, "match") == set(), "a client tied to no party sees no unpublished match"
        assert ids(Reader(public.http), "match") == set()
        await blind.drain()
        assert ids(blind, "match") == set()
        refused = await blind.http.get("/api/v1/changes", params={"resources": "match"})
        assert refused.status_code == 403

        await world.publish_match(match_id)
        late = Reader(public.http)  # from the start of the feed: every change of a now public match
        await late.until(1)
        assert ids(late, "match") == {match_id}
        await public.until(1)
        assert ids(public, "match") == {match_id}

        await world.deliver_all()
        by_view = {record["view"]: record for record in world.received.records("match")}
        assert set(by_view) == {"party", "public"}, "each client got the view it reads the match through"
        public_record = by_view["public"]
        assert public_record["id"] == match_id and public_record["stage"] == "planning"
        assert "JUSTIFICATION-ONLY-FOR-FACILITATORS" not in json.dumps(public_record)
        assert not {"my_parties", "counterparts", "justification", "next_action"} & set(public_record)


class TestReports:
    async def test_reports_follow_the_scope_and_the_report_visibility(self, world: World) -> None:
        offering = await world.client("reports:read", "changes:read", "webhooks:manage", organisation=world.offerer)
        public = await world.client("reports:read", "matches:read", "changes:read", "webhooks:manage")
        unscoped = await world.client("matches:read", "changes:read", "webhooks:manage", organisation=world.offerer)
        await world.subscribe(offering, ["progress_report.*"])
        await world.subscribe(public, ["*"])
        match_id = await world.match_in_planning()
        await world.publish_match(match_id)
        reporting = (await world.offerer_user.get(f"/api/v1/matches/{match_id}/reporting")).json()
        report_ids = {report["id"] for report in reporting["reports"]}
        assert report_ids

        await offering.until(len(report_ids))
        assert ids(offering, "progress_report") == report_ids
        await public.until(1)  # the published match
        assert ids(public, "match") == {match_id}
        assert ids(public, "progress_report") == set(), "reports are for the match's facilitators and parties"
        await unscoped.until(1)
        assert ids(unscoped, "match") == {match_id} and ids(unscoped, "progress_report") == set()
        refused = await unscoped.http.get("/api/v1/changes", params={"resources": "progress_report"})
        assert refused.status_code == 403
        subscribe = await unscoped.http.post(
            "/api/v1/webhooks/subscriptions",
            json={"url": "http://127.0.0.1:8999/hook", "event_types": ["progress_report.updated"]},
        )
        assert subscribe.status_code == 422
        assert "reports:read" in subscribe.json()["fields"][0]["message"]

        # The same reports over REST: the scope opens the routes, the reports' visibility picks the records.
        listed = await offering.http.get("/api/v1/reports")
        assert listed.status_code == 200 and {r["id"] for r in listed.json()["items"]} == report_ids
        one = sorted(report_ids)[0]
        assert (await offering.http.get(f"/api/v1/reports/{one}")).status_code == 200
        assert (await public.http.get("/api/v1/reports")).json()["items"] == []
        assert (await public.http.get(f"/api/v1/reports/{one}")).status_code == 404
        assert (await unscoped.http.get("/api/v1/reports")).status_code == 403
        assert (await unscoped.http.get(f"/api/v1/reports/{one}")).status_code == 403

        await world.deliver_all()
        delivered = world.received.records("progress_report")
        assert {record["id"] for record in delivered} == report_ids, "only the offering party's client got them"
        assert {record["match_id"] for record in delivered} == {match_id}
        assert {record["id"] for record in world.received.records("match")} == {match_id}


class TestKnowledgeItems:
    async def test_knowledge_items_follow_the_scope_and_the_item_visibility(self, world: World) -> None:
        async with world.committed.sessionmaker() as session, session.begin():
            audit.bind_actor(session, SYSTEM)
            author = await create_organisation(session, kind="state_institution", country="BRA")
            token = await session_token_for(session, await create_user(session, organisation=author))
        author_user = await world.user(token)
        own = await world.client("knowledge:read", "changes:read", "webhooks:manage", organisation=author)
        public = await world.client("knowledge:read", "changes:read", "webhooks:manage")
        unscoped = await world.client("pledges:read", "changes:read")
        await world.subscribe(own, ["knowledge_item.*"])
        await world.subscribe(public, ["knowledge_item.created", "knowledge_item.updated"])

        body = {
            "kind": "good_practice",
            "language": "en",
            "title": "Remote interviews",
            "summary": "Interviews by video link.",
            "body": "Interviews by **video link**.",
            "areas": ["procedures.rsd"],
            "countries": ["BRA"],
            "contributor_types": ["state"],
        }
        drafted = [await author_user.post("/api/v1/knowledge/items", json=body) for _ in range(2)]
        assert all(r.status_code == 201 for r in drafted), drafted[0].text
        draft, published = (r.json()["id"] for r in drafted)
        assert (await author_user.post(f"/api/v1/knowledge/items/{published}/actions/submit")).status_code == 200
        response = await world.secretariat.post(f"/api/v1/knowledge/items/{published}/actions/publish")
        assert response.status_code == 200, response.text

        await own.until(4)  # two drafts created, one submitted, one published
        assert ids(own, "knowledge_item") == {draft, published}
        await public.drain()
        assert ids(public, "knowledge_item") == {published}
        await unscoped.drain()
        assert ids(unscoped, "knowledge_item") == set()
        refused = await unscoped.http.get("/api/v1/changes", params={"resources": "knowledge_item"})
        assert refused.status_code == 403

        await world.deliver_all()
        views = {(record["id"], record["view"]) for record in world.received.records("knowledge_item")}
        assert views == {(draft, "full"), (published, "full"), (published, "public")}
        public_record = next(r for r in world.received.records("knowledge_item") if r["view"] == "public")
        assert not {"status", "review_comment", "allowed_actions"} & set(public_record)
