"""The demo data set loads, holds the public ACSG examples, and loads idempotently."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.demo.run import seed_demo
from api.models.commitments import SupportOffer, SupportRequest
from api.models.identity import User


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
