"""Matching through the API: criteria versions, suggestions with explanations, allocation runs, proposals
that need a justification, gaps, outreach and coverage."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from api.models.commitments import ExistingSupport
from tests.factories import create_member, create_offer, create_organisation, create_request, create_secretariat_user


@pytest.fixture
async def admin(db: AsyncSession, as_user: Any) -> httpx.AsyncClient:
    client: httpx.AsyncClient = await as_user(await create_secretariat_user(db))
    return client


async def component_of(admin: httpx.AsyncClient, request_id: Any, position: int = 0) -> str:
    detail = (await admin.get(f"/api/v1/support-requests/{request_id}")).json()
    return str(detail["components"][position]["id"])


class TestCriteria:
    async def test_each_edit_is_a_new_active_version(self, admin: httpx.AsyncClient) -> None:
        first = (await admin.get("/api/v1/matching/criteria")).json()
        changed = await admin.post("/api/v1/matching/criteria", json={"weights": {"language": 30}, "note": "Languages"})
        assert changed.status_code == 201
        assert changed.json()["version"] == first["version"] + 1 and changed.json()["weights"]["language"] == 30
        versions = (await admin.get("/api/v1/matching/criteria/versions")).json()
        assert [v["is_active"] for v in versions[:2]] == [True, False]
        assert versions[1]["weights"]["language"] == first["weights"]["language"]

    async def test_unknown_criteria_are_refused_by_name(self, admin: httpx.AsyncClient) -> None:
        response = await admin.post("/api/v1/matching/criteria", json={"weights": {"charisma": 3}})
        assert response.status_code == 422 and response.json()["fields"][0]["field"] == "weights.charisma"

    async def test_participants_cannot_edit_criteria(self, db: AsyncSession, as_user: Any) -> None:
        user, _ = await create_member(db)
        response = await (await as_user(user)).post("/api/v1/matching/criteria", json={"weights": {"language": 1}})
        assert response.status_code == 403


class TestSuggestions:
    async def test_ranked_offers_explain_why_and_why_not(self, db: AsyncSession, admin: httpx.AsyncClient) -> None:
        state = await create_organisation(db, kind="state_institution", country="NER")
        request = await create_request(
            db, organisation=state, status="validated", areas=("procedures.rsd",), languages=("fr",)
        )
        exact = await create_offer(
            db,
            organisation=await create_organisation(db, country="FRA"),
            status="validated",
            areas=("procedures.rsd",),
            languages=("fr",),
            title="Exact area",
        )
        parent = await create_offer(
            db,
            organisation=await create_organisation(db, country="BEL"),
            status="validated",
            areas=("procedures.coi",),
            languages=("fr",),
            title="Same parent",
        )
        no_technical = await create_offer(
            db,
            organisation=await create_organisation(db, country="ESP"),
            status="validated",
            areas=("procedures.rsd",),
            languages=("fr",),
            support_types=("financial",),
            title="Funding only",
        )
        response = await admin.get(f"/api/v1/matching/requests/{request.id}/suggestions", params={"k": 5})
        assert response.status_code == 200, response.text
        component = response.json()["components"][0]
        ranked = [c["offer"]["id"] for c in component["candidates"]]
        assert ranked[:2] == [str(exact.id), str(parent.id)]
        for candidate in component["candidates"]:
            assert abs(sum(candidate["contributions"].values()) - candidate["score"]) < 1e-9
        excluded = {e["offer"]["id"]: e for e in component["excluded"]}
        assert excluded[str(no_technical.id)]["failed"] == ["technical_exchange"]
        assert response.json()["overall"][0]["offer"]["id"] == str(exact.id)

    async def test_a_country_already_supported_ranks_lower_by_the_penalty(
        self, db: AsyncSession, admin: httpx.AsyncClient
    ) -> None:
        supported = await create_request(
            db, organisation=await create_organisation(db, kind="state_institution", country="TCD"), status="validated"
        )
        fresh = await create_request(
            db, organisation=await create_organisation(db, kind="state_institution", country="NER"), status="validated"
        )
        db.add(
            ExistingSupport(
                provider_name="Donor",
                recipient_country_iso3="TCD",
                areas=["procedures.rsd"],
                area_codes=["procedures", "procedures.rsd"],
            )
        )
        offer = await create_offer(db, organisation=await create_organisation(db, country="FRA"), status="validated")
        await db.flush()
        response = await admin.get(f"/api/v1/matching/offers/{offer.id}/suggestions", params={"k": 50})
        scores = {c["component"]["request_id"]: c for c in response.json()["candidates"]}
        criteria = (await admin.get("/api/v1/matching/criteria")).json()
        low, high = scores[str(supported.id)], scores[str(fresh.id)]
        assert low["contributions"]["duplication"] == -criteria["duplication_penalty"]
        assert high["score"] - low["score"] == pytest.approx(criteria["duplication_penalty"])

    async def test_participants_cannot_use_the_matching_console(self, db: AsyncSession, as_user: Any) -> None:
        user, organisation = await create_member(db, kind="state_institution", country="NER")
        request = await create_request(db, organisation=organisation, status="validated")
        response = await (await as_user(user)).get(f"/api/v1/matching/requests/{request.id}/suggestions")
        assert response.status_code == 403


class TestAllocationAndProposals:
    async def test_an_allocation_run_is_kept_and_beats_or_equals_greedy(
        self, db: AsyncSession, admin: httpx.AsyncClient
    ) -> None:
        for country in ("NER", "TCD", "MLI"):
            await create_request(
                db,
                organisation=await create_organisation(db, kind="state_institution", country=country),
                status="validated",
            )
        await create_offer(
            db, organisation=await create_organisation(db, country="FRA"), status="validated", capacity=2
        )
        run = await admin.post("/api/v1/matching/allocations", json={"bureau": "wca"})
        assert run.status_code == 201, run.text
        body = run.json()
        assert body["total_score"] >= body["greedy_total_score"] and len(body["assignments"]) == 2
        assert body["uncovered_count"] == body["components_count"] - 2
        assert body["covered_after"] == body["covered_before"] + 2
        listed = (await admin.get("/api/v1/matching/allocations")).json()
        assert listed[0]["id"] == body["id"]
        again = (await admin.get(f"/api/v1/matching/allocations/{body['id']}")).json()
        assert again["assignments"] == body["assignments"]

    async def test_the_second_ranked_offer_needs_a_justification(
        self, db: AsyncSession, admin: httpx.AsyncClient
    ) -> None:
        state = await create_organisation(db, kind="state_institution", country="NER")
        request = await create_request(db, organisation=state, status="validated", languages=("fr",))
        await create_offer(
            db, organisation=await create_organisation(db, country="FRA"), status="validated", languages=("fr",)
        )
        second = await create_offer(
            db,
            organisation=await create_organisation(db, country="BEL"),
            status="validated",
            areas=("procedures.coi",),
            languages=("fr",),
        )
        item = {"request_component_id": await component_of(admin, request.id), "offer_id": str(second.id)}
        refused = await admin.post("/api/v1/matches", json={"items": [item]})
        assert refused.status_code == 422 and refused.json()["fields"][0]["field"] == "justification"
        assert "not the top suggestion" in refused.json()["fields"][0]["message"]
        accepted = await admin.post(
            "/api/v1/matches", json={"items": [item], "justification": "The State asked for this partner"}
        )
        assert accepted.status_code == 201
        assert accepted.json()["items"][0]["rank"] == 2 and accepted.json()["justification"]
        assert accepted.json()["criteria_version"] >= 1

    async def test_a_pair_failing_a_hard_constraint_cannot_be_proposed(
        self, db: AsyncSession, admin: httpx.AsyncClient
    ) -> None:
        request = await create_request(
            db, organisation=await create_organisation(db, kind="state_institution", country="NER"), status="validated"
        )
        excluded = await create_offer(
            db,
            organisation=await create_organisation(db, country="FRA"),
            status="validated",
            excluded_countries=["NER"],
        )
        item = {"request_component_id": await component_of(admin, request.id), "offer_id": str(excluded.id)}
        response = await admin.post("/api/v1/matches", json={"items": [item], "justification": "Because"})
        assert response.status_code == 422 and "no_exclusion" in response.json()["fields"][0]["message"]


class TestGapsAndCoverage:
    async def test_gaps_say_why_a_need_is_unmet(self, db: AsyncSession, admin: httpx.AsyncClient) -> None:
        lonely = await create_request(
            db,
            organisation=await create_organisation(db, kind="state_institution", country="ZMB"),
            status="validated",
            areas=("expertise.oversight",),
            languages=("xx",),
        )
        gaps = (await admin.get("/api/v1/matching/gaps")).json()
        mine = [g for g in gaps["items"] if g["component"]["request_id"] == str(lonely.id)]
        assert mine and mine[0]["reason"] == "no_feasible_offer"
        assert any(group["key"] == "ZMB" for group in gaps["by_country"])

    async def test_coverage_flags_overlaps(self, db: AsyncSession, admin: httpx.AsyncClient) -> None:
        for provider in ("Donor A", "Donor B"):
            db.add(
                ExistingSupport(
                    provider_name=provider,
                    recipient_country_iso3="KEN",
                    areas=["legal.legislation"],
                    area_codes=["legal", "legal.legislation"],
                )
            )
        await db.flush()
        cells = (await admin.get("/api/v1/matching/coverage")).json()
        cell = next(c for c in cells if c["country_iso3"] == "KEN" and c["area_code"] == "legal.legislation")
        assert cell["existing_support"] == 2 and cell["overlap"] is True

    async def test_offers_nobody_needs_are_outreach_targets(self, db: AsyncSession, admin: httpx.AsyncClient) -> None:
        idle = await create_offer(
            db,
            organisation=await create_organisation(db, country="JPN"),
            status="validated",
            areas=("expertise.innovation",),
            languages=("ja",),
        )
        targets = (await admin.get("/api/v1/matching/outreach")).json()
        assert str(idle.id) in {t["offer"]["id"] for t in targets}
