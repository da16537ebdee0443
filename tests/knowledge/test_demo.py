"""The demo knowledge base loads once, with the portal's three good practices in three languages."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from api.demo.knowledge import seed_knowledge
from api.demo.seed import seed_identities


async def test_demo_items_load_once_and_are_found_in_each_language(db: AsyncSession, client: httpx.AsyncClient) -> None:
    await seed_identities(db)
    assert await seed_knowledge(db) >= 15
    assert await seed_knowledge(db) == 0
    for q, language in (
        ("remote interviews", "en"),
        ("entretiens a distance", "fr"),
        ("entrevistas a distancia", "es"),
    ):
        found = (await client.get("/api/v1/knowledge/items", params={"q": q, "language": language})).json()
        assert found["items"][0]["countries"] == ["BRA"], (q, found["items"][0]["title"])
    kiosk = (await client.get("/api/v1/knowledge/items", params={"q": "quiosco autoservicio"})).json()["items"][0]
    detail = (await client.get(f"/api/v1/knowledge/items/{kiosk['id']}")).json()
    assert {v["language"] for v in detail["also_available_in"]} == {"en", "fr"}
