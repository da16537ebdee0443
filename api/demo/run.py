"""Loading the whole demo data set, in dependency order."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from api.demo.commitments import seed_commitments
from api.demo.knowledge import seed_knowledge
from api.demo.matches import seed_matches
from api.demo.seed import seed_identities

# Later modules append their demo loaders (pledges, requests, matches, reports...), each idempotent.
DEMO_LOADERS: list[tuple[str, Callable[[AsyncSession], Awaitable[int]]]] = [
    ("identities", seed_identities),
    ("commitments", seed_commitments),
    ("matches", seed_matches),
    ("knowledge", seed_knowledge),
]


async def seed_demo(session: AsyncSession) -> dict[str, int]:
    return {name: await loader(session) for name, loader in DEMO_LOADERS}
