"""Webhooks: subscriptions, Standard Webhooks signatures, commit-ordered dispatch, retries, the delivery log."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.core import audit, clock
from api.core.actor import SYSTEM
from api.core.config import Settings
from api.core.db import Database
from api.integrations.scopes import SCOPES
from api.main import create_app
from api.models.audit import AuditEvent
from api.models.commitments import SupportRequest
from api.models.identity import Organisation
from api.models.integrations import WebhookDelivery
from api.webhooks import delivery, targets
from api.worker import drain
from tests.conftest import SECRET, CommittedDatabase, RolledBackDatabase, make_settings
from tests.factories import (
    create_member,
    create_organisation,
    create_pledge,
    create_request,
    create_secretariat_user,
    session_token_for,
    sign_in_client,
)
from tests.integrations.support import as_client, create_client, token_for


def verify_standard_webhook(secret: str, headers: httpx.Headers, body: bytes, *, tolerance: int = 300) -> bool:
    """An independent verifier written from the Standard Webhooks specification."""
    key = base64.b64decode(secret.split("_", 1)[1])
    message_id, timestamp = headers["webhook-id"], headers["webhook-timestamp"]
    if abs(time.time() - int(timestamp)) > tolerance:
        return False
    content = f"{message_id}.{timestamp}.".encode() + body
    expected = base64.b64encode(hmac.new(key, content, hashlib.sha256).digest())
    for candidate in headers["webhook-signature"].split(" "):
        version, _, signature = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(signature.encode(), expected):
            return True
    return False


@dataclass
class Receiver:
    """Plays the subscriber's endpoint: records what arrives, answers 503 while `down`."""

    down: bool = False
    received: list[httpx.Request] = field(default_factory=list)
    refused: int = 0

    def handle(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            self.refused += 1
            return httpx.Response(503, text="maintenance")
        self.received.append(request)
        return httpx.Response(204)

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(r.content) for r in self.received]


@dataclass
class Hooks:
    committed: CommittedDatabase
    http: httpx.AsyncClient
    receiver: Receiver
    settings: Settings
    organisation: Organisation

    async def subscribe(self, event_types: list[str]) -> dict[str, Any]:
        response = await self.http.post(
            "/api/v1/webhooks/subscriptions", json={"url": "http://127.0.0.1:8999/hook", "event_types": event_types}
        )
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    async def commit(self, make: Any) -> Any:
        async with self.committed.sessionmaker() as session, session.begin():
            audit.bind_actor(session, SYSTEM)
            return await make(session)

    async def dispatch(self, expected: int, *, seconds: float = 30) -> int:
        """Run the dispatcher until `expected` deliveries exist, or `seconds` passed. Only this database's
        running transactions hold the change feed back (not other tests' databases on the same server), and
        the test's own have ended, so the first run normally finds them all."""
        deadline = asyncio.get_running_loop().time() + seconds
        while True:
            async with self.committed.sessionmaker() as session, session.begin():
                await delivery.dispatch(session, self.settings)
            async with self.committed.sessionmaker() as session:
                count = len((await session.execute(select(WebhookDelivery.id))).all())
            if count >= expected or asyncio.get_running_loop().time() > deadline:
                return count
            await asyncio.sleep(0.05)

    async def deliver(self) -> int:
        return await drain(Database(self.committed.engine), self.settings, kinds=["webhook.deliver"])

    async def deliveries(self) -> list[WebhookDelivery]:
        async with self.committed.sessionmaker() as session:
            return list((await session.execute(select(WebhookDelivery).order_by(WebhookDelivery.event_id))).scalars())


@pytest.fixture
async def hooks(committed: CommittedDatabase, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Hooks]:
    receiver = Receiver()
    monkeypatch.setattr(delivery, "TRANSPORT", httpx.MockTransport(receiver.handle))
    async with committed.sessionmaker() as session, session.begin():
        audit.bind_actor(session, SYSTEM)
        organisation = await create_organisation(session, kind="state_institution", country="NER")
        client, secret = await create_client(
            session, scopes=("pledges:read", "requests:read", "webhooks:manage", "changes:read")
        )
    http = committed.client()
    http.headers["Authorization"] = f"Bearer {await token_for(http, client, secret)}"
    yield Hooks(committed, http, receiver, make_settings(committed.url), organisation)
    await http.aclose()


class TestSignatures:
    async def test_deliveries_verify_with_an_independent_standard_webhooks_implementation(self, hooks: Hooks) -> None:
        subscription = await hooks.subscribe(["pledge.created"])
        pledge = await hooks.commit(lambda s: create_pledge(s, organisations=(hooks.organisation,)))
        assert await hooks.dispatch(1) == 1
        assert await hooks.deliver() == 1
        [request] = hooks.receiver.received
        assert verify_standard_webhook(subscription["secret"], request.headers, request.content)
        assert not verify_standard_webhook(
            "whsec_" + base64.b64encode(b"another key").decode(), request.headers, request.content
        )
        body = json.loads(request.content)
        assert body["type"] == "pledge.created" and body["data"]["id"] == str(pledge.id)
        assert body["data"]["record"]["title"] == pledge.title
        assert request.headers["webhook-id"].startswith("msg_")

    async def test_a_ping_is_signed_sent_at_once_and_logged(self, hooks: Hooks) -> None:
        subscription = await hooks.subscribe(["*"])
        response = await hooks.http.post(f"/api/v1/webhooks/subscriptions/{subscription['id']}/ping")
        assert response.status_code == 200 and response.json()["status"] == "succeeded"
        assert response.json()["response_status"] == 204
        [request] = hooks.receiver.received
        assert json.loads(request.content)["type"] == "ping"
        assert verify_standard_webhook(subscription["secret"], request.headers, request.content)


class TestDispatch:
    async def test_only_the_subscribed_event_types_are_delivered(self, hooks: Hooks) -> None:
        await hooks.subscribe(["support_request.created"])
        await hooks.commit(lambda s: create_pledge(s, organisations=(hooks.organisation,)))
        request = await hooks.commit(lambda s: create_request(s, organisation=hooks.organisation, status="validated"))
        await hooks.dispatch(1)
        await hooks.deliver()
        assert [b["data"]["id"] for b in hooks.receiver.bodies()] == [str(request.id)]

    async def test_records_the_client_cannot_see_produce_no_delivery(self, hooks: Hooks) -> None:
        await hooks.subscribe(["support_request.*"])
        draft = await hooks.commit(lambda s: create_request(s, organisation=hooks.organisation, status="draft"))
        shown = await hooks.commit(lambda s: create_request(s, organisation=hooks.organisation, status="validated"))
        await hooks.dispatch(1)
        await hooks.deliver()
        received = {b["data"]["id"] for b in hooks.receiver.bodies()}
        assert str(shown.id) in received and str(draft.id) not in received
        assert "confidential_details" not in hooks.receiver.received[0].content.decode()

    async def test_a_record_hidden_before_delivery_is_skipped_without_a_tombstone(self, hooks: Hooks) -> None:
        await hooks.subscribe(["support_request.*"])
        record = await hooks.commit(lambda s: create_request(s, organisation=hooks.organisation, status="validated"))
        await hooks.dispatch(1)

        async def withdraw(session: AsyncSession) -> None:
            await session.execute(
                update(SupportRequest).where(SupportRequest.id == record.id).values(status="withdrawn")
            )

        await hooks.commit(withdraw)
        await hooks.deliver()
        assert hooks.receiver.received == []
        skipped = await hooks.deliveries()
        assert skipped and {(d.status, d.attempts) for d in skipped} == {("skipped", 0)}

    async def test_events_before_the_subscription_are_not_sent(self, hooks: Hooks) -> None:
        before = await hooks.commit(lambda s: create_pledge(s, organisations=(hooks.organisation,)))
        # A subscription starts after every change whose transaction has ended and is below the feed's horizon;
        # make sure this one is (the feed shows it) before subscribing.
        for _ in range(600):
            feed = (await hooks.http.get("/api/v1/changes", params={"limit": 1000})).json()["items"]
            if str(before.id) in {item["id"] for item in feed}:
                break
            await asyncio.sleep(0.05)
        await hooks.subscribe(["pledge.*"])
        after = await hooks.commit(lambda s: create_pledge(s, organisations=(hooks.organisation,)))
        await hooks.dispatch(1)
        await hooks.deliver()
        assert [b["data"]["id"] for b in hooks.receiver.bodies()] == [str(after.id)]

    async def test_dispatching_twice_creates_each_delivery_once(self, hooks: Hooks) -> None:
        await hooks.subscribe(["pledge.*"])
        await hooks.commit(lambda s: create_pledge(s, organisations=(hooks.organisation,)))
        await hooks.dispatch(1)
        assert await hooks.dispatch(2, seconds=0.2) == 1


class TestRetries:
    async def test_a_receiver_that_was_down_receives_every_event_once_it_is_back(self, hooks: Hooks) -> None:
        # The clock stands still between steps: only `advance` moves it, so a slow machine (real seconds passing
        # between an attempt and the next check) cannot make a retry due before its backoff ended.
        clock.freeze(clock.now())
        await hooks.subscribe(["pledge.*"])
        pledges = [
            await hooks.commit(lambda s: create_pledge(s, organisations=(hooks.organisation,))) for _ in range(3)
        ]
        await hooks.dispatch(3)
        hooks.receiver.down = True
        assert await hooks.deliver() == 3
        clock.advance(timedelta(minutes=1))
        assert await hooks.deliver() == 3
        assert hooks.receiver.refused == 6 and hooks.receiver.received == []
        logged = await hooks.deliveries()
        assert {(d.status, d.attempts, d.response_status) for d in logged} == {("pending", 2, 503)}
        hooks.receiver.down = False
        clock.advance(timedelta(seconds=59))  # the third attempt is due 60 s (plus up to 10 % jitter) after the 2nd
        assert await hooks.deliver() == 0, "the next attempt waits for its backoff"
        clock.advance(timedelta(minutes=2))
        assert await hooks.deliver() == 3
        assert sorted(b["data"]["id"] for b in hooks.receiver.bodies()) == sorted(str(p.id) for p in pledges)
        assert {(d.status, d.attempts) for d in await hooks.deliveries()} == {("succeeded", 3)}
        assert len({r.headers["webhook-id"] for r in hooks.receiver.received}) == 3

    async def test_retries_stop_after_the_retry_window_and_the_delivery_fails(self, hooks: Hooks) -> None:
        await hooks.subscribe(["pledge.*"])
        await hooks.commit(lambda s: create_pledge(s, organisations=(hooks.organisation,)))
        await hooks.dispatch(1)
        hooks.receiver.down = True
        for _ in range(40):
            await hooks.deliver()
            [record] = await hooks.deliveries()
            if record.status != "pending":
                break
            clock.advance(timedelta(hours=2, minutes=15))
        assert record.status == "failed" and record.attempts > 10
        assert record.last_attempt_at is not None and record.last_attempt_at - record.created_at >= timedelta(hours=24)

    async def test_a_delivery_is_redelivered_with_the_same_webhook_id(self, hooks: Hooks) -> None:
        subscription = await hooks.subscribe(["pledge.*"])
        await hooks.commit(lambda s: create_pledge(s, organisations=(hooks.organisation,)))
        await hooks.dispatch(1)
        await hooks.deliver()
        log = (await hooks.http.get(f"/api/v1/webhooks/subscriptions/{subscription['id']}/deliveries")).json()
        [entry] = log["items"]
        assert entry["status"] == "succeeded" and entry["attempts"] == 1 and entry["response_status"] == 204
        again = await hooks.http.post(
            f"/api/v1/webhooks/subscriptions/{subscription['id']}/deliveries/{entry['id']}/redeliver"
        )
        assert again.status_code == 200 and again.json()["status"] == "pending"
        await hooks.deliver()
        first, second = hooks.receiver.received
        assert first.headers["webhook-id"] == second.headers["webhook-id"] == entry["message_id"]


class TestSubscriptions:
    async def test_event_types_need_the_resources_read_scope(self, hooks: Hooks) -> None:
        response = await hooks.http.post(
            "/api/v1/webhooks/subscriptions",
            json={"url": "http://127.0.0.1:8999/hook", "event_types": ["support_offer.updated", "unicorn.created"]},
        )
        assert response.status_code == 422
        assert [f["field"] for f in response.json()["fields"]] == ["event_types.0", "event_types.1"]

    async def test_subscriptions_belong_to_their_client(self, hooks: Hooks) -> None:
        subscription = await hooks.subscribe(["*"])
        async with hooks.committed.sessionmaker() as session, session.begin():
            other, secret = await create_client(session, scopes=("webhooks:manage",))
        stranger = hooks.committed.client()
        stranger.headers["Authorization"] = f"Bearer {await token_for(stranger, other, secret)}"
        assert (await stranger.get(f"/api/v1/webhooks/subscriptions/{subscription['id']}")).status_code == 404
        assert (await stranger.get("/api/v1/webhooks/subscriptions")).json() == []
        await stranger.aclose()
        listed = (await hooks.http.get("/api/v1/webhooks/subscriptions")).json()
        assert [s["id"] for s in listed] == [subscription["id"]] and "secret" not in listed[0]

    async def test_a_disabled_subscription_receives_nothing(self, hooks: Hooks) -> None:
        subscription = await hooks.subscribe(["pledge.*"])
        patched = await hooks.http.patch(
            f"/api/v1/webhooks/subscriptions/{subscription['id']}", json={"is_active": False}
        )
        assert patched.json()["is_active"] is False
        await hooks.commit(lambda s: create_pledge(s, organisations=(hooks.organisation,)))
        assert await hooks.dispatch(1, seconds=0.3) == 0
        assert (await hooks.http.delete(f"/api/v1/webhooks/subscriptions/{subscription['id']}")).status_code == 204


class TestSubscriptionRules:
    async def test_a_client_needs_webhooks_manage(self, db: AsyncSession, client_factory: Any) -> None:
        http, _ = await as_client(client_factory, db, scopes=("pledges:read",))
        response = await http.post(
            "/api/v1/webhooks/subscriptions", json={"url": "http://127.0.0.1:1/x", "event_types": ["*"]}
        )
        assert response.status_code == 403

    async def test_people_do_not_subscribe(self, db: AsyncSession, as_user: Any) -> None:
        user, _ = await create_member(db)
        response = await (await as_user(user)).post(
            "/api/v1/webhooks/subscriptions", json={"url": "http://127.0.0.1:1/x", "event_types": ["*"]}
        )
        assert response.status_code == 403

    async def test_private_targets_are_refused_unless_allowed(
        self, db: AsyncSession, engine: Any, connection: Any, test_database_url: str
    ) -> None:
        strict = make_settings(test_database_url, webhooks_allow_private_targets=False)
        app = create_app(strict, database=RolledBackDatabase(engine, connection))
        client, secret = await create_client(db, scopes=("webhooks:manage", "pledges:read"))
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as http:
            http.headers["Authorization"] = f"Bearer {await token_for(http, client, secret)}"
            for url in ("http://10.1.2.3/hook", "http://169.254.169.254/latest", "http://localhost:8000/x"):
                response = await http.post("/api/v1/webhooks/subscriptions", json={"url": url, "event_types": ["*"]})
                assert response.status_code == 422, url
                assert response.json()["fields"][0]["field"] == "url"

    @pytest.mark.parametrize(
        "url",
        [
            "http://127.0.0.1/x",
            "http://10.0.0.8/x",
            "http://[::1]/x",
            "http://[::ffff:10.0.0.1]/x",
            "http://224.0.0.1/x",
            "http://0.0.0.0/x",
            "http://240.0.0.1/x",
            "ftp://example.org/x",
            "http://user:pw@example.org/x",
        ],
    )
    async def test_targets_are_checked_after_resolution(self, url: str, test_database_url: str) -> None:
        with pytest.raises(targets.TargetRefused):
            await targets.resolve(url, make_settings(test_database_url, webhooks_allow_private_targets=False))

    async def test_production_requires_https(self, test_database_url: str) -> None:
        production = make_settings(test_database_url).model_copy(update={"env": "production"})
        with pytest.raises(targets.TargetRefused, match="https"):
            targets.check_url("http://example.org/hook", production)
        assert targets.check_url("https://example.org/hook", production) == ("https", "example.org", 443)


class TestSecretariatAdministration:
    """The Secretariat sees every client's subscriptions and delivery logs, redelivers and pings; nobody else."""

    async def secretariat(self, hooks: Hooks) -> httpx.AsyncClient:
        async with hooks.committed.sessionmaker() as session, session.begin():
            token = await session_token_for(session, await create_secretariat_user(session))
        return sign_in_client(hooks.committed.client(), token, SECRET)

    async def test_the_secretariat_reads_every_clients_subscriptions_and_delivery_log(self, hooks: Hooks) -> None:
        subscription = await hooks.subscribe(["pledge.*"])
        hooks.receiver.down = True
        for _ in range(3):
            await hooks.commit(lambda s: create_pledge(s, organisations=(hooks.organisation,)))
        assert await hooks.dispatch(3) == 3
        assert await hooks.deliver() == 3
        admin = await self.secretariat(hooks)
        listed = (await admin.get("/api/v1/integrations/webhook-subscriptions")).json()
        [entry] = [s for s in listed if s["id"] == subscription["id"]]
        assert entry["client_id"] and entry["deliveries"] == {"pending": 3, "succeeded": 0, "failed": 0, "skipped": 0}
        assert "secret" not in entry and entry["last_delivery_at"] is not None
        mine = await admin.get(f"/api/v1/integrations/clients/{entry['client_id']}/webhook-subscriptions")
        assert [s["id"] for s in mine.json()] == [subscription["id"]]
        one = await admin.get(f"/api/v1/integrations/webhook-subscriptions/{subscription['id']}")
        assert one.status_code == 200 and one.json()["url"] == "http://127.0.0.1:8999/hook"

        log_url = f"/api/v1/integrations/webhook-subscriptions/{subscription['id']}/deliveries"
        first = (await admin.get(log_url, params={"limit": 2})).json()
        second = (await admin.get(log_url, params={"limit": 2, "cursor": first["next_cursor"]})).json()
        entries = first["items"] + second["items"]
        assert len(entries) == 3 and second["next_cursor"] is None
        assert [e["created_at"] for e in entries] == sorted((e["created_at"] for e in entries), reverse=True)
        assert {(e["status"], e["attempts"], e["response_status"]) for e in entries} == {("pending", 1, 503)}
        assert all(e["last_error"].startswith("HTTP 503") and e["next_attempt_at"] for e in entries)
        assert (await admin.get(log_url, params={"status": "succeeded"})).json()["items"] == []
        await admin.aclose()

    async def test_the_secretariat_redelivers_and_pings_and_both_are_audited(self, hooks: Hooks) -> None:
        subscription = await hooks.subscribe(["pledge.*"])
        await hooks.commit(lambda s: create_pledge(s, organisations=(hooks.organisation,)))
        await hooks.dispatch(1)
        await hooks.deliver()
        admin = await self.secretariat(hooks)
        base = f"/api/v1/integrations/webhook-subscriptions/{subscription['id']}"
        [entry] = (await admin.get(f"{base}/deliveries")).json()["items"]
        again = await admin.post(f"{base}/deliveries/{entry['id']}/redeliver")
        assert again.status_code == 200 and again.json()["status"] == "pending"
        assert await hooks.deliver() == 1
        first, second = hooks.receiver.received
        assert first.headers["webhook-id"] == second.headers["webhook-id"] == entry["message_id"]
        pinged = await admin.post(f"{base}/ping")
        assert pinged.status_code == 200 and pinged.json()["event_type"] == "ping"
        assert pinged.json()["status"] == "succeeded" and pinged.json()["response_status"] == 204
        ping_request = hooks.receiver.received[-1]
        assert json.loads(ping_request.content)["type"] == "ping"
        assert verify_standard_webhook(subscription["secret"], ping_request.headers, ping_request.content)
        async with hooks.committed.sessionmaker() as session:
            actions = set(
                (
                    await session.execute(
                        select(AuditEvent.action).where(
                            AuditEvent.action.in_(("webhook_delivery.redelivered", "webhook_subscription.pinged")),
                            AuditEvent.actor_type == "user",
                        )
                    )
                ).scalars()
            )
        assert actions == {"webhook_delivery.redelivered", "webhook_subscription.pinged"}
        stranger = await admin.post(f"/api/v1/integrations/webhook-subscriptions/{uuid.uuid4()}/ping")
        assert stranger.status_code == 404
        wrong = await admin.post(f"{base}/deliveries/{uuid.uuid4()}/redeliver")
        assert wrong.status_code == 404
        await admin.aclose()

    async def test_only_the_secretariat_administers_webhooks(self, hooks: Hooks) -> None:
        subscription = await hooks.subscribe(["pledge.*"])
        async with hooks.committed.sessionmaker() as session, session.begin():
            member, _ = await create_member(session)
            member_token = await session_token_for(session, member)
            other, secret = await create_client(session, scopes=tuple(sorted(SCOPES)))
        member_http = sign_in_client(hooks.committed.client(), member_token, SECRET)
        strong_client = hooks.committed.client()
        strong_client.headers["Authorization"] = f"Bearer {await token_for(strong_client, other, secret)}"
        anonymous = hooks.committed.client()
        base = f"/api/v1/integrations/webhook-subscriptions/{subscription['id']}"
        calls = [
            ("GET", "/api/v1/integrations/webhook-subscriptions"),
            ("GET", f"/api/v1/integrations/clients/{other.id}/webhook-subscriptions"),
            ("GET", base),
            ("GET", f"{base}/deliveries"),
            ("POST", f"{base}/deliveries/{uuid.uuid4()}/redeliver"),
            ("POST", f"{base}/ping"),
        ]
        for http, expected in ((member_http, 403), (strong_client, 403), (hooks.http, 403), (anonymous, 401)):
            for method, url in calls:
                response = await http.request(method, url)
                assert response.status_code == expected, (method, url, response.status_code)
        assert hooks.receiver.received == [], "no refused call pinged the subscriber"
        # A client's own endpoints stay its own: the Secretariat user is not a client.
        admin = await self.secretariat(hooks)
        assert (await admin.get(f"/api/v1/webhooks/subscriptions/{subscription['id']}")).status_code == 403
        for http in (member_http, strong_client, anonymous, admin):
            await http.aclose()
