"""Matches: proposals, consent, staged disclosure, lifecycle, publication, facilitation, notifications."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from api.core import clock
from api.models.commitments import SupportOffer, SupportRequest
from api.models.matches import Notification
from api.models.outbox import OutboxMessage
from tests.matches.conftest import MARK, OFFER_MARK, REQUEST_MARK, MatchWorld


async def deliver_outbox(app: Any) -> None:
    """Run the worker's handlers on what the requests wrote (same transaction as the test)."""
    from api.worker import drain

    await drain(app.state.database, app.state.settings)


class TestProposal:
    async def test_the_secretariat_proposes_a_match_from_validated_records(self, world: MatchWorld) -> None:
        match = await world.propose()
        assert match["view"] == "facilitator" and match["status"] == "proposed"
        assert match["reference"].startswith("MAT-")
        sides = sorted(p["side"] for p in match["parties"])
        assert sides == ["offering", "requesting"]

    async def test_only_the_secretariat_proposes(self, world: MatchWorld) -> None:
        response = await world.state_client.post(
            "/api/v1/matches",
            json={"items": [{"request_component_id": await world.component_id(), "offer_id": str(world.offer.id)}]},
        )
        assert response.status_code == 403

    async def test_drafts_cannot_be_matched(self, world: MatchWorld, db: AsyncSession) -> None:
        world.request.status = "submitted"
        await db.flush()
        response = await world.secretariat.post(
            "/api/v1/matches",
            json={"items": [{"request_component_id": await world.component_id(), "offer_id": str(world.offer.id)}]},
        )
        assert response.status_code == 422
        assert response.json()["fields"][0]["field"] == "items.0.request_component_id"

    async def test_strangers_and_the_public_cannot_see_a_proposal(self, world: MatchWorld) -> None:
        match = await world.propose()
        for client in (world.stranger_client, world.anonymous):
            assert (await client.get(f"/api/v1/matches/{match['id']}")).status_code == 404


class TestStagedDisclosure:
    async def test_parties_see_each_other_redacted_until_every_party_consents(
        self, world: MatchWorld, app: Any
    ) -> None:
        match = await world.proposed_and_asked()
        state_view = await world.state_client.get(f"/api/v1/matches/{match['id']}")
        body = state_view.json()
        assert body["view"] == "party" and body["can_consent"] is True
        counterpart = body["counterparts"][0]
        assert counterpart["disclosed"] is False
        assert counterpart["kind"] == "academia" and counterpart["bureau_code"] == "europe"
        assert counterpart["components"][0]["area_code"] == "procedures.rsd"
        assert OFFER_MARK not in state_view.text and f"{MARK}ORG" not in state_view.text
        assert f"{MARK}OTITLE" not in state_view.text and str(world.offer.id) not in state_view.text

        first = await world.consent(world.state_client, match)
        assert first.json()["status"] == "consent_pending"
        offerer_view = await world.offerer_client.get(f"/api/v1/matches/{match['id']}")
        assert REQUEST_MARK not in offerer_view.text and f"{MARK}STATE" not in offerer_view.text
        assert offerer_view.json()["counterparts"][0]["consent_status"] == "granted"

        second = await world.consent(world.offerer_client, match)
        assert second.json()["status"] == "consented"
        disclosed = (await world.state_client.get(f"/api/v1/matches/{match['id']}")).json()
        counterpart = disclosed["counterparts"][0]
        assert counterpart["disclosed"] is True
        assert counterpart["organisation"]["name"].endswith(f"{MARK}ORG")
        assert counterpart["record"]["contacts"][0]["email"].startswith(OFFER_MARK.lower())
        offerer_sees = await world.offerer_client.get(f"/api/v1/matches/{match['id']}")
        assert REQUEST_MARK in offerer_sees.text

    async def test_a_decline_keeps_the_redacted_view(self, world: MatchWorld) -> None:
        match = await world.proposed_and_asked()
        await world.consent(world.state_client, match)
        declined = await world.consent(world.offerer_client, match, "decline")
        assert declined.json()["status"] == "declined"
        view = await world.state_client.get(f"/api/v1/matches/{match['id']}")
        assert view.json()["counterparts"][0]["disclosed"] is False and OFFER_MARK not in view.text

    async def test_a_consent_on_an_old_version_is_refused(self, world: MatchWorld) -> None:
        match = await world.proposed_and_asked()
        await world.consent(world.state_client, match)
        revised = await world.secretariat.post(
            f"/api/v1/matches/{match['id']}/revision",
            json={
                "items": [{"request_component_id": await world.component_id(), "offer_id": str(world.offer.id)}],
                "public_summary": "Scope widened",
            },
        )
        assert revised.status_code == 200 and revised.json()["proposal_version"] == 2
        assert all(p["consent_status"] == "pending" for p in revised.json()["parties"])
        stale = await world.consent(world.offerer_client, match, version=1)
        assert stale.status_code == 409 and stale.json()["error"] == "StaleProposal"

    async def test_only_a_parties_focal_point_decides(self, world: MatchWorld, db: AsyncSession, as_user: Any) -> None:
        from tests.factories import create_user

        match = await world.proposed_and_asked()
        editor = await as_user(await create_user(db, organisation=world.state, role="editor"))
        response = await world.consent(editor, match)
        assert response.status_code == 403
        assert (await world.consent(world.stranger_client, match)).status_code == 404

    async def test_a_withdrawn_grant_reopens_consent_and_hides_details_again(self, world: MatchWorld) -> None:
        match = await world.proposed_and_asked()
        await world.consent(world.state_client, match)
        await world.consent(world.offerer_client, match)
        withdrawn = await world.consent(world.state_client, match, "withdraw")
        assert withdrawn.json()["status"] == "consent_pending"
        view = await world.offerer_client.get(f"/api/v1/matches/{match['id']}")
        assert REQUEST_MARK not in view.text

    async def test_consent_decisions_are_append_only(self, world: MatchWorld, db: AsyncSession) -> None:
        match = await world.proposed_and_asked()
        await world.consent(world.state_client, match)
        with pytest.raises(DBAPIError, match="append-only"):
            async with db.begin_nested():
                await db.execute(text("UPDATE consent_decisions SET decision = 'declined'"))


class TestLifecycle:
    async def consented(self, world: MatchWorld) -> dict[str, Any]:
        match = await world.proposed_and_asked()
        await world.consent(world.state_client, match)
        return (await world.consent(world.offerer_client, match)).json()  # type: ignore[no-any-return]

    async def test_agreement_then_planning_then_fulfilment_update_coverage(
        self, world: MatchWorld, db: AsyncSession
    ) -> None:
        match = await self.consented(world)
        url = f"/api/v1/matches/{match['id']}"
        agreed = await world.state_client.post(
            f"{url}/agreement",
            json={
                "scope": "Two training sessions and remote mentoring",
                "modalities": ["training", "remote_advice"],
                "starts_on": "2027-01-10",
                "ends_on": "2027-06-30",
            },
        )
        assert agreed.status_code == 200 and agreed.json()["status"] == "agreed"
        await db.refresh(world.request)
        await db.refresh(world.offer)
        assert world.request.status == "partially_matched"  # one of two components covered
        assert world.offer.status == "matched"  # capacity 1 used
        assert (await world.state_client.post(f"{url}/actions/start_planning")).status_code == 403
        planning = await world.secretariat.post(f"{url}/actions/start_planning")
        assert planning.json()["status"] == "planning" and planning.json()["suggested_pledge_stage"] == "planning"
        assert (await world.state_client.post(f"{url}/actions/start_implementation")).json()["status"] == "in_progress"
        assert (await world.secretariat.post(f"{url}/actions/fulfil")).json()["status"] == "fulfilled"
        assert (await world.secretariat.post(f"{url}/actions/cancel")).status_code == 409

    async def test_suspend_and_resume_return_to_the_same_stage(self, world: MatchWorld) -> None:
        match = await self.consented(world)
        url = f"/api/v1/matches/{match['id']}"
        await world.secretariat.post(f"{url}/actions/start_discussion")
        suspended = await world.secretariat.post(f"{url}/actions/suspend", json={"reason": "Elections"})
        assert suspended.json()["status"] == "suspended"
        assert (await world.secretariat.post(f"{url}/actions/resume")).json()["status"] == "under_discussion"

    async def test_system_outcomes_cannot_be_forced(self, world: MatchWorld) -> None:
        match = await world.proposed_and_asked()
        response = await world.secretariat.post(f"/api/v1/matches/{match['id']}/actions/all_consented")
        assert response.status_code == 403

    async def test_publication_needs_every_party_and_planning(self, world: MatchWorld) -> None:
        match = await self.consented(world)
        url = f"/api/v1/matches/{match['id']}"
        await world.state_client.post(f"{url}/agreement", json={"scope": "Agreed scope of support"})
        await world.secretariat.post(f"{url}/actions/start_planning")
        await world.state_client.post(f"{url}/publication-consent", json={"consent": True})
        assert (await world.anonymous.get(url)).status_code == 404
        await world.offerer_client.post(f"{url}/publication-consent", json={"consent": True})
        public = await world.anonymous.get(url)
        assert public.status_code == 200 and public.json()["view"] == "public"
        assert public.json()["stage"] == "planning"
        assert REQUEST_MARK not in public.text and OFFER_MARK not in public.text
        listed = (await world.anonymous.get("/api/v1/matches")).json()["items"]
        assert [m["id"] for m in listed] == [match["id"]]


class TestExpiryAndReminders:
    async def test_reminders_then_expiry_on_the_deadline(self, world: MatchWorld, db: AsyncSession, app: Any) -> None:
        from api.matches.notifications import process_consent_deadlines

        match = await world.proposed_and_asked()
        await world.consent(world.state_client, match)
        settings = app.state.settings
        clock.advance(timedelta(days=24))
        assert await process_consent_deadlines(db, settings) == 1
        assert await process_consent_deadlines(db, settings) == 1  # same reminder again: deduplicated below
        clock.advance(timedelta(days=5))
        await process_consent_deadlines(db, settings)
        reminders = (
            (
                await db.execute(
                    select(OutboxMessage.dedup_key).where(
                        OutboxMessage.kind == "match_notification", OutboxMessage.dedup_key.contains("consent_reminder")
                    )
                )
            )
            .scalars()
            .all()
        )
        assert sorted(k.rsplit(":", 1)[-1] for k in reminders) == ["d2", "d7"]
        clock.advance(timedelta(days=2))
        await process_consent_deadlines(db, settings)
        expired = await world.secretariat.get(f"/api/v1/matches/{match['id']}")
        assert expired.json()["status"] == "expired"
        await deliver_outbox(app)
        to_state = (
            (await db.execute(select(Notification.kind).where(Notification.user_id == world.state_user.id)))
            .scalars()
            .all()
        )
        assert "match_expired" in to_state and "consent_reminder" not in to_state  # the State had decided


class TestNotifications:
    async def test_parties_are_notified_in_their_language_without_the_counterpart(
        self, world: MatchWorld, db: AsyncSession, app: Any
    ) -> None:
        match = await world.proposed_and_asked()
        await world.consent(world.offerer_client, match)
        await deliver_outbox(app)
        inbox = (await world.state_client.get("/api/v1/notifications")).json()
        kinds = {n["kind"] for n in inbox["items"]}
        assert {"consent_requested", "consent_granted"} <= kinds and inbox["unread"] >= 2
        granted = next(n for n in inbox["items"] if n["kind"] == "consent_granted")
        assert "Europe" in granted["body"] and f"{MARK}ORG" not in granted["body"]
        assert next(n for n in inbox["items"] if n["kind"] == "consent_requested")["title"].startswith("Votre")
        mails = (await db.execute(select(OutboxMessage).where(OutboxMessage.kind == "email"))).scalars().all()
        to_state = [m for m in mails if m.recipient_user_id == world.state_user.id]
        to_offerer = [m for m in mails if m.recipient_user_id == world.offerer_user.id]
        assert to_state and to_offerer
        assert all(f"{MARK}ORG" not in str(m.payload) for m in to_state)
        assert all(f"{MARK}STATE" not in str(m.payload) for m in to_offerer)
        marked = await world.state_client.post("/api/v1/notifications/read", json={})
        assert marked.json()["marked"] >= 2
        assert (await world.state_client.get("/api/v1/notifications")).json()["unread"] == 0

    async def test_each_recipient_is_notified_once_even_if_delivered_twice(
        self, world: MatchWorld, db: AsyncSession, app: Any
    ) -> None:
        from api.matches.notifications import deliver

        await world.proposed_and_asked()
        message = (
            (await db.execute(select(OutboxMessage).where(OutboxMessage.kind == "match_notification")))
            .scalars()
            .first()
        )
        assert message is not None
        await deliver(db, message, app.state.settings)
        await deliver(db, message, app.state.settings)
        count = (
            (await db.execute(select(Notification).where(Notification.user_id == world.state_user.id))).scalars().all()
        )
        assert len(count) == 1


class TestFacilitation:
    async def test_facilitators_keep_private_notes_and_a_queue(self, world: MatchWorld, db: AsyncSession) -> None:
        match = await world.proposed_and_asked()
        url = f"/api/v1/matches/{match['id']}"
        note = await world.office_client.post(f"{url}/notes", json={"body": f"private {MARK}NOTE"})
        assert note.status_code == 201
        assert (await world.state_client.get(f"{url}/notes")).status_code == 403
        state_timeline = await world.state_client.get(f"{url}/timeline")
        assert f"{MARK}NOTE" not in state_timeline.text and "note_added" not in state_timeline.text
        await world.office_client.put(
            f"{url}/next-action", json={"next_action": "Call the focal point", "next_action_on": "2020-01-01"}
        )
        queue = (await world.office_client.get("/api/v1/matches/queue")).json()
        assert queue[0]["id"] == match["id"] and "next_action_overdue" in queue[0]["attention"]

    async def test_the_timeline_names_counterparts_only_after_disclosure(self, world: MatchWorld) -> None:
        match = await world.proposed_and_asked()
        await world.consent(world.offerer_client, match)
        before = await world.state_client.get(f"/api/v1/matches/{match['id']}/timeline")
        granted = next(e for e in before.json() if e["kind"] == "consent_granted")
        assert granted["party_name"] is None and granted["party_side"] == "offering"
        await world.consent(world.state_client, match)
        after = await world.state_client.get(f"/api/v1/matches/{match['id']}/timeline")
        granted = next(e for e in after.json() if e["kind"] == "consent_granted" and not e["is_own_party"])
        assert granted["party_name"].endswith(f"{MARK}ORG")

    async def test_only_unhcr_offices_facilitate(self, world: MatchWorld) -> None:
        match = await world.propose()
        response = await world.secretariat.put(
            f"/api/v1/matches/{match['id']}/facilitators", json={"organisation_ids": [str(world.offerer.id)]}
        )
        assert response.status_code == 422


async def test_demo_offer_capacity_and_request_status_start_as_seeded(db: AsyncSession, world: MatchWorld) -> None:
    offer = await db.get(SupportOffer, world.offer.id)
    request = await db.get(SupportRequest, world.request.id)
    assert offer is not None and request is not None
    assert offer.status == request.status == "validated"
