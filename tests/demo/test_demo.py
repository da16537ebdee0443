"""The demo data set loads, holds the public ACSG examples, and loads idempotently."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.demo.matches import MATCHES
from api.demo.run import seed_demo
from api.models.commitments import SupportOffer, SupportRequest
from api.models.identity import User
from api.models.matches import ConsentDecision, Match
from api.models.reports import ProgressReport


async def test_demo_data_loads_once_and_contains_the_real_examples(db: AsyncSession) -> None:
    first = await seed_demo(db)
    assert first["identities"] > 0 and first["commitments"] > 400
    again = await seed_demo(db)
    assert set(again.values()) == {0}
    titles = set((await db.execute(select(SupportRequest.title))).scalars())
    assert "Strengthening refugee status determination at COMAR" in titles
    assert "Adoption d'une loi nationale sur l'asile au Tchad" in titles
    offers = (await db.execute(select(func.count()).select_from(SupportOffer))).scalar_one()
    assert offers >= 150
    assert (await db.execute(select(User).where(User.email == "secretariat@acsg.demo"))).scalar_one()


async def test_demo_matches_went_through_the_workflow_and_the_public_sees_them(
    db: AsyncSession, client: httpx.AsyncClient
) -> None:
    added = await seed_demo(db)
    assert added["matches"] == len(MATCHES)
    statuses = dict((await db.execute(select(Match.public_summary, Match.status))).all())
    assert sorted(statuses.values()) == ["fulfilled", "fulfilled", "fulfilled", "in_progress", "planning"]
    # Every step left its consent rows and events, as a match made through the API does.
    consents = (await db.execute(select(func.count()).select_from(ConsentDecision))).scalar_one()
    assert consents == 11  # one grant per party: 2 + 2 + 2 + 2 + 3
    comar = (await db.execute(select(SupportRequest).where(SupportRequest.external_id == "mexico-comar"))).scalar_one()
    assert comar.status == "matched"
    await db.commit()
    public = (await client.get("/api/v1/matches", params={"limit": 50})).json()["items"]
    assert len(public) == 5 and all(item["party_names"] for item in public)
    canada_mexico = next(m for m in public if "COMAR" in m["public_summary"])
    detail = (await client.get(f"/api/v1/matches/{canada_mexico['id']}")).json()
    assert detail["view"] == "public"
    assert "quality assurance of decisions" in detail["report_excerpts"][0]["excerpt"]
    americas = (await client.get("/api/v1/matches", params={"region": "americas"})).json()["items"]
    assert [m["id"] for m in americas] == [canada_mexico["id"]]
    legislation = (await client.get("/api/v1/matches", params={"area": "legal"})).json()["items"]
    assert len(legislation) == 1 and "Tchad" in legislation[0]["public_summary"]
    # The historical match's reporting calendar ended when it was fulfilled: one period, its report published.
    reports = (await db.execute(select(ProgressReport.status))).scalars().all()
    assert sorted(reports).count("published") == 4
    assert "overdue" not in reports
