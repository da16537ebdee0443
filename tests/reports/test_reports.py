"""Progress reports: the calendar, drafting, attestation, review, history, publication, reminders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.core import clock
from api.models.audit import AuditEvent
from api.models.changes import ChangeEvent
from api.models.outbox import OutboxMessage
from api.reports.service import add_months, periods_until, traffic_light
from tests.factories import create_organisation, create_pledge, create_user
from tests.matches.conftest import MatchWorld

START = datetime(2027, 1, 10, 9, 0, tzinfo=UTC)


class TestCalendar:
    def test_add_months_keeps_the_day_or_the_month_end(self) -> None:
        from datetime import date

        assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
        assert add_months(date(2027, 11, 15), 3) == date(2028, 2, 15)

    def test_periods_cover_the_time_since_the_start(self) -> None:
        from datetime import date

        periods = periods_until(date(2027, 1, 1), 6, date(2027, 8, 1))
        assert periods == [(date(2027, 1, 1), date(2027, 7, 1)), (date(2027, 7, 1), date(2028, 1, 1))]


async def match_in_planning(world: MatchWorld) -> str:
    match = await world.proposed_and_asked()
    await world.consent(world.state_client, match)
    await world.consent(world.offerer_client, match)
    url = f"/api/v1/matches/{match['id']}"
    await world.state_client.post(
        f"{url}/agreement",
        json={"scope": "Mentoring of eligibility officers", "starts_on": "2027-01-10", "ends_on": "2028-12-31"},
    )
    await world.secretariat.post(f"{url}/actions/start_planning")
    return str(match["id"])


@pytest.fixture
async def planned(world: MatchWorld) -> tuple[MatchWorld, str]:
    clock.freeze(START)
    return world, await match_in_planning(world)


async def first_report(client: httpx.AsyncClient, match_id: str) -> dict[str, Any]:
    reporting = (await client.get(f"/api/v1/matches/{match_id}/reporting")).json()
    return reporting["reports"][-1]  # type: ignore[no-any-return]


class TestSchedule:
    async def test_planning_opens_a_six_monthly_schedule(self, planned: tuple[MatchWorld, str]) -> None:
        world, match_id = planned
        reporting = (await world.offerer_client.get(f"/api/v1/matches/{match_id}/reporting")).json()
        assert reporting["interval_months"] == 6 and reporting["starts_on"] == "2027-01-10"
        assert [r["status"] for r in reporting["reports"]] == ["not_yet_due"]
        assert reporting["traffic_light"] == "on_track"
        clock.advance(timedelta(days=175))
        assert (await world.offerer_client.get(f"/api/v1/matches/{match_id}/reporting")).json()[
            "traffic_light"
        ] == "due_soon"
        clock.advance(timedelta(days=40))
        reporting = (await world.offerer_client.get(f"/api/v1/matches/{match_id}/reporting")).json()
        assert [r["status"] for r in reporting["reports"]] == ["not_yet_due", "overdue"]
        assert reporting["traffic_light"] == "overdue"

    async def test_before_planning_there_is_no_reporting(self, world: MatchWorld) -> None:
        match = await world.proposed_and_asked()
        response = await world.state_client.get(f"/api/v1/matches/{match['id']}/reporting")
        assert response.status_code == 409 and response.json()["error"] == "NotReporting"

    async def test_strangers_see_no_reports(self, planned: tuple[MatchWorld, str]) -> None:
        world, match_id = planned
        assert (await world.stranger_client.get(f"/api/v1/matches/{match_id}/reporting")).status_code == 404
        report = await first_report(world.offerer_client, match_id)
        assert (await world.stranger_client.get(f"/api/v1/reports/{report['id']}")).status_code == 404

    async def test_facilitators_change_the_interval(self, planned: tuple[MatchWorld, str], db: AsyncSession) -> None:
        world, match_id = planned
        before = {
            r["id"] for r in (await world.secretariat.get(f"/api/v1/matches/{match_id}/reporting")).json()["reports"]
        }
        response = await world.secretariat.put(
            f"/api/v1/matches/{match_id}/reporting-schedule", json={"interval_months": 3}
        )
        assert response.status_code == 200 and response.json()["interval_months"] == 3
        # The periods nobody started are replaced; each removal is audited and reaches the change feed.
        dropped = before - {r["id"] for r in response.json()["reports"]}
        assert dropped
        audited = set(
            (
                await db.execute(select(AuditEvent.record_id).where(AuditEvent.action == "progress_reports.delete"))
            ).scalars()
        )
        fed = set(
            (
                await db.execute(
                    select(ChangeEvent.record_id).where(
                        ChangeEvent.resource == "progress_report", ChangeEvent.operation == "delete"
                    )
                )
            ).scalars()
        )
        assert dropped <= audited and dropped <= fed
        refused = await world.offerer_client.put(
            f"/api/v1/matches/{match_id}/reporting-schedule", json={"interval_months": 12}
        )
        assert refused.status_code == 403

    async def test_a_fulfilled_match_opens_no_period_after_it_closed(self, planned: tuple[MatchWorld, str]) -> None:
        world, match_id = planned
        url = f"/api/v1/matches/{match_id}"
        monthly = await world.secretariat.put(f"{url}/reporting-schedule", json={"interval_months": 1})
        assert monthly.status_code == 200
        assert (await world.state_client.post(f"{url}/actions/start_implementation")).status_code == 200
        clock.advance(timedelta(days=60))  # 2027-03-11: the third monthly period is running
        fulfilled = await world.secretariat.post(f"{url}/actions/fulfil")
        assert fulfilled.status_code == 200, fulfilled.text
        clock.advance(timedelta(days=100))
        response = await world.secretariat.get(f"{url}/reporting")
        assert response.status_code == 200, response.text
        # The period running on the day of fulfilment is the last one; its report is still owed.
        assert [(r["period_start"], r["status"]) for r in response.json()["reports"]] == [
            ("2027-03-10", "overdue"),
            ("2027-02-10", "overdue"),
            ("2027-01-10", "overdue"),
        ]


class TestWorkflow:
    async def test_draft_attest_accept_publish(self, planned: tuple[MatchWorld, str]) -> None:
        world, match_id = planned
        report = await first_report(world.offerer_client, match_id)
        url = f"/api/v1/reports/{report['id']}"
        assert (
            await world.state_client.patch(url, json={"narrative": "x"}, headers={"If-Match": f'"{report["id"]}:1"'})
        ).status_code == 403
        drafted = await world.offerer_client.patch(
            url,
            headers={"If-Match": f'"{report["id"]}:1"'},
            json={
                "narrative": "Two trainings held",
                "stage": "in_progress",
                "impact": {"fairness": {"rating": 4, "evidence": "Interview guidance adopted"}},
                "indicators": [
                    {"name": "Officers trained", "unit": "people", "baseline": 0, "target": 40, "actual": 32}
                ],
            },
        )
        assert drafted.status_code == 200, drafted.text
        assert drafted.json()["indicators"][0]["actual"] == 32
        assert (await world.offerer_client.post(f"{url}/actions/submit")).json()["status"] == "submitted"
        assert (await world.secretariat.post(f"{url}/actions/accept")).status_code == 409
        assert (
            await world.offerer_client.post(f"{url}/actions/attest", json={"attestation": "confirmed"})
        ).status_code == 403
        attested = await world.state_client.post(f"{url}/actions/attest", json={"attestation": "confirmed"})
        assert attested.json()["status"] == "attested"
        accepted = await world.office_client.post(f"{url}/actions/accept", json={"comment": "Thank you"})
        assert accepted.json()["status"] == "accepted"
        published = await world.secretariat.post(
            f"{url}/actions/publish", json={"excerpt": "32 eligibility officers trained in 2027"}
        )
        assert published.json()["status"] == "published"
        public = f"/api/v1/matches/{match_id}"
        assert (await world.anonymous.get(public)).status_code == 404  # not everyone consented to publish
        await world.state_client.post(f"{public}/publication-consent", json={"consent": True})
        await world.offerer_client.post(f"{public}/publication-consent", json={"consent": True})
        shown = (await world.anonymous.get(public)).json()
        assert shown["report_excerpts"][0]["excerpt"] == "32 eligibility officers trained in 2027"
        assert "Two trainings held" not in str(shown)

    async def test_a_sent_back_report_is_revised_and_keeps_its_history(self, planned: tuple[MatchWorld, str]) -> None:
        world, match_id = planned
        report = await first_report(world.offerer_client, match_id)
        url = f"/api/v1/reports/{report['id']}"
        await world.offerer_client.patch(
            url, json={"narrative": "First draft"}, headers={"If-Match": f'"{report["id"]}:1"'}
        )
        await world.offerer_client.post(f"{url}/actions/submit")
        assert (await world.secretariat.post(f"{url}/actions/send_back")).status_code == 422
        sent_back = await world.secretariat.post(f"{url}/actions/send_back", json={"comment": "Add indicators"})
        assert sent_back.json()["status"] == "sent_back" and sent_back.json()["can_edit"] is False
        current = await world.offerer_client.get(url)
        assert current.json()["can_edit"] is True
        await world.offerer_client.patch(
            url, json={"narrative": "Second draft"}, headers={"If-Match": current.headers["etag"]}
        )
        assert (await world.offerer_client.post(f"{url}/actions/submit")).json()["status"] == "submitted"
        history = (await world.secretariat.get(f"{url}/revisions")).json()
        assert [h["content"]["narrative"] for h in history] == ["First draft", "Second draft"]
        assert history[0]["review_comment"] == "Add indicators"

    async def test_an_empty_report_cannot_be_submitted(self, planned: tuple[MatchWorld, str]) -> None:
        world, match_id = planned
        report = await first_report(world.offerer_client, match_id)
        response = await world.offerer_client.post(f"/api/v1/reports/{report['id']}/actions/submit")
        assert response.status_code == 422 and response.json()["fields"][0]["field"] == "narrative"

    async def test_impact_ratings_are_validated(self, planned: tuple[MatchWorld, str]) -> None:
        world, match_id = planned
        report = await first_report(world.offerer_client, match_id)
        response = await world.offerer_client.patch(
            f"/api/v1/reports/{report['id']}",
            headers={"If-Match": f'"{report["id"]}:1"'},
            json={"impact": {"fairness": {"rating": 9}}},
        )
        assert response.status_code == 422 and response.json()["fields"][0]["field"] == "body.impact.fairness.rating"


class TestAttachments:
    async def test_the_offering_party_attaches_files_while_drafting_and_parties_read_them(
        self, planned: tuple[MatchWorld, str]
    ) -> None:
        world, match_id = planned
        report = await first_report(world.offerer_client, match_id)
        pdf = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
        form = {"owner_type": "progress_report", "owner_id": report["id"], "title": "Training attendance"}
        files = {"file": ("attendance.pdf", pdf, "application/pdf")}
        refused = await world.state_client.post("/api/v1/files", data=form, files=files)
        assert refused.status_code == 403  # the requesting party attests, it does not draft
        hidden = await world.stranger_client.post("/api/v1/files", data=form, files=files)
        assert hidden.status_code == 404
        stored = await world.offerer_client.post("/api/v1/files", data=form, files=files)
        assert stored.status_code == 201, stored.text
        seen = (await world.state_client.get(f"/api/v1/reports/{report['id']}")).json()
        assert [f["title"] for f in seen["files"]] == ["Training attendance"]
        download = await world.state_client.get(seen["files"][0]["download_url"])
        assert download.status_code == 200 and download.content == pdf
        assert (await world.stranger_client.get(seen["files"][0]["download_url"])).status_code == 404
        # Once submitted, the report's files are frozen with it.
        url = f"/api/v1/reports/{report['id']}"
        await world.offerer_client.patch(url, json={"narrative": "Done"}, headers={"If-Match": f'"{report["id"]}:1"'})
        assert (await world.offerer_client.post(f"{url}/actions/submit")).status_code == 200
        late = await world.offerer_client.post("/api/v1/files", data=form, files=files)
        assert late.status_code == 403


async def test_a_knowledge_draft_from_a_fulfilled_match_starts_with_its_accepted_reports(
    planned: tuple[MatchWorld, str],
) -> None:
    world, match_id = planned
    report = await first_report(world.offerer_client, match_id)
    url = f"/api/v1/reports/{report['id']}"
    content = {"narrative": "Forty officers mentored", "good_practices": "Pairing new officers with mentors"}
    await world.offerer_client.patch(url, json=content, headers={"If-Match": f'"{report["id"]}:1"'})
    await world.offerer_client.post(f"{url}/actions/submit")
    await world.state_client.post(f"{url}/actions/attest", json={"attestation": "confirmed"})
    await world.office_client.post(f"{url}/actions/accept")
    match_url = f"/api/v1/matches/{match_id}"
    await world.state_client.post(f"{match_url}/actions/start_implementation")
    assert (await world.secretariat.post(f"{match_url}/actions/fulfil")).status_code == 200
    draft = await world.offerer_client.post(
        "/api/v1/knowledge/items/from-match", json={"match_id": match_id, "language": "fr"}
    )
    assert draft.status_code == 201, draft.text
    body = draft.json()["body"]
    assert "## Progrès rapportés" in body and "Forty officers mentored" in body
    assert "## Bonnes pratiques" in body and "Pairing new officers with mentors" in body


class TestReminders:
    async def test_reminder_before_due_and_escalation_when_overdue_are_sent_once(
        self, planned: tuple[MatchWorld, str], db: AsyncSession, app: Any
    ) -> None:
        from api.reports.service import run_reporting_calendar

        assert planned  # the fixture opened the schedule
        settings = app.state.settings
        clock.advance(timedelta(days=170))
        await run_reporting_calendar(db, settings)
        await run_reporting_calendar(db, settings)
        clock.advance(timedelta(days=60))
        await run_reporting_calendar(db, settings)
        await run_reporting_calendar(db, settings)
        keys = (
            (
                await db.execute(
                    select(OutboxMessage.dedup_key).where(
                        OutboxMessage.kind == "match_notification", OutboxMessage.dedup_key.contains(":report:")
                    )
                )
            )
            .scalars()
            .all()
        )
        kinds = sorted(key.split(":")[2] for key in keys)
        assert kinds == ["report_due", "report_overdue"]


class TestPledgeReporting:
    async def test_a_tracked_pledge_reports_without_attestation(
        self, db: AsyncSession, as_user: Any, world: MatchWorld
    ) -> None:
        clock.freeze(START)
        lead = await create_organisation(db, kind="state_government", country="CAN")
        pledge = await create_pledge(db, organisations=(lead,))
        pledger = await as_user(await create_user(db, organisation=lead))
        started = await world.secretariat.post(
            f"/api/v1/pledges/{pledge.id}/reporting", json={"interval_months": 12, "starts_on": "2026-01-01"}
        )
        assert started.status_code == 201, started.text
        report = started.json()["reports"][-1]
        assert report["status"] == "due"
        url = f"/api/v1/reports/{report['id']}"
        await pledger.patch(
            url, json={"narrative": "Bilateral training continues"}, headers={"If-Match": f'"{report["id"]}:1"'}
        )
        assert (await pledger.post(f"{url}/actions/submit")).json()["status"] == "submitted"
        accepted = await world.secretariat.post(f"{url}/actions/accept")
        assert accepted.json()["status"] == "accepted"
        assert (await world.stranger_client.get(url)).status_code == 404


def test_traffic_light_rules() -> None:
    from datetime import date

    from api.models.reports import ProgressReport

    soon = ProgressReport(status="not_yet_due", due_on=date(2027, 1, 20))
    late = ProgressReport(status="overdue", due_on=date(2026, 1, 1))
    done = ProgressReport(status="accepted", due_on=date(2026, 1, 1))
    today = date(2027, 1, 10)
    assert traffic_light([soon], today, reminder_days=14) == "due_soon"
    assert traffic_light([soon, late], today, reminder_days=14) == "overdue"
    assert traffic_light([done], today, reminder_days=14) == "on_track"
