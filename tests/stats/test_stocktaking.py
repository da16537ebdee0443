"""Stocktaking figures equal what the raw rows say, counted independently here."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from statistics import median
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from api.models.matches import Match, MatchItem, MatchParty
from api.models.reports import ProgressReport, ReportingSchedule
from tests.factories import create_member, create_offer, create_organisation, create_request, create_secretariat_user

T0 = datetime(2026, 2, 1, tzinfo=UTC)


@pytest.fixture
async def data(db: AsyncSession) -> dict[str, Any]:
    niger = await create_organisation(db, kind="state_institution", country="NER")  # wca, region 002
    mexico = await create_organisation(db, kind="state_institution", country="MEX")  # americas, region 019
    offerer = await create_organisation(db, country="FRA")
    requests = [
        await create_request(
            db,
            organisation=niger,
            status="validated",
            areas=("procedures.rsd", "legal.legislation"),
            submitted_at=T0,
            validated_at=T0 + timedelta(days=10),
        ),
        await create_request(db, organisation=niger, status="submitted", submitted_at=T0 + timedelta(days=40)),
        await create_request(
            db,
            organisation=mexico,
            status="matched",
            areas=("procedures.coi",),
            submitted_at=T0 + timedelta(days=200),
            validated_at=T0 + timedelta(days=230),
        ),
    ]
    offer = await create_offer(
        db, organisation=offerer, status="partially_matched", submitted_at=T0, validated_at=T0 + timedelta(days=4)
    )
    match = Match(
        reference="MAT-STATS-1",
        status="fulfilled",
        created_at=T0 + timedelta(days=240),
        consent_requested_at=T0 + timedelta(days=241),
        consented_at=T0 + timedelta(days=250),
        agreed_at=T0 + timedelta(days=260),
    )
    db.add(match)
    await db.flush()
    from sqlalchemy import select

    from api.models.commitments import SupportRequestComponent

    component = (
        (await db.execute(select(SupportRequestComponent).where(SupportRequestComponent.request_id == requests[2].id)))
        .scalars()
        .first()
    )
    assert component is not None
    component.status = "covered"
    db.add(MatchItem(match_id=match.id, request_component_id=component.id, offer_id=offer.id))
    db.add(
        MatchParty(
            match_id=match.id,
            organisation_id=mexico.id,
            side="requesting",
            request_id=requests[2].id,
            consent_status="granted",
            consent_decided_at=T0 + timedelta(days=245),
        )
    )
    db.add(
        MatchParty(
            match_id=match.id,
            organisation_id=offerer.id,
            side="offering",
            offer_id=offer.id,
            consent_status="granted",
            consent_decided_at=T0 + timedelta(days=249),
        )
    )
    schedule = ReportingSchedule(match_id=match.id, interval_months=6, starts_on=date(2026, 9, 1))
    db.add(schedule)
    await db.flush()
    db.add(
        ProgressReport(
            schedule_id=schedule.id,
            period_start=date(2026, 9, 1),
            period_end=date(2027, 3, 1),
            due_on=date(2027, 3, 1),
            status="accepted",
            submitted_at=datetime(2027, 2, 20, tzinfo=UTC),
        )
    )
    db.add(
        ProgressReport(
            schedule_id=schedule.id,
            period_start=date(2027, 3, 1),
            period_end=date(2027, 9, 1),
            due_on=date(2027, 9, 1),
            status="overdue",
        )
    )
    await db.flush()
    return {"requests": requests, "match": match}


async def test_yearly_cohorts_equal_the_raw_rows(data: dict[str, Any], db: AsyncSession, as_user: Any) -> None:
    admin = await as_user(await create_secretariat_user(db))
    figures = (await admin.get("/api/v1/stats/stocktaking", params={"group_by": "period", "period": "year"})).json()
    rows = {row["group"]: row for row in figures["rows"]}
    year = rows["2026"]
    requests = data["requests"]
    assert year["requests_received"] == len(requests)
    assert year["requests_validated"] == sum(1 for r in requests if r.validated_at)
    assert year["requests_matched"] == 1
    assert year["offers_received"] == 1 and year["offers_validated"] == 1 and year["offers_matched"] == 1
    assert year["median_days_to_validation"] == median([10.0, 30.0])
    assert year["median_days_to_agreement"] == 60.0  # submitted day 200, agreed day 260
    assert year["median_consent_turnaround_days"] == median([4.0, 8.0])
    assert year["match_rate"] == pytest.approx(1 / 2, abs=1e-3)
    assert year["fulfilment_rate"] == 1.0
    assert year["unmet_needs"] == 2  # the validated Niger request's two open components
    assert rows["2027"]["reports_due"] == 2 and rows["2027"]["reports_on_time"] == 1


async def test_grouping_by_bureau_and_area(data: dict[str, Any], db: AsyncSession, as_user: Any) -> None:
    admin = await as_user(await create_secretariat_user(db))
    by_bureau = {
        r["group"]: r
        for r in (await admin.get("/api/v1/stats/stocktaking", params={"group_by": "bureau"})).json()["rows"]
    }
    assert by_bureau["wca"]["requests_received"] == 2 and by_bureau["americas"]["requests_received"] == 1
    by_area = {
        r["group"]: r
        for r in (await admin.get("/api/v1/stats/stocktaking", params={"group_by": "area"})).json()["rows"]
    }
    assert by_area["procedures"]["requests_received"] == 3 and by_area["legal"]["requests_received"] == 1


async def test_quarters_and_downloads(data: dict[str, Any], db: AsyncSession, as_user: Any) -> None:
    admin = await as_user(await create_secretariat_user(db))
    quarters = [
        r["group"] for r in (await admin.get("/api/v1/stats/stocktaking", params={"period": "quarter"})).json()["rows"]
    ]
    assert "2026-Q1" in quarters
    download = await admin.get("/api/v1/stats/stocktaking/export", params={"format": "csv"})
    assert download.content.decode("utf-8-sig").splitlines()[0].startswith("group,requests_received")


async def test_only_the_secretariat_reads_stocktaking(
    db: AsyncSession, as_user: Any, client: httpx.AsyncClient
) -> None:
    user, _ = await create_member(db)
    assert (await (await as_user(user)).get("/api/v1/stats/stocktaking")).status_code == 403
    assert (await client.get("/api/v1/stats/stocktaking")).status_code == 401
