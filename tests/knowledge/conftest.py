"""Knowledge items written straight to the database (for search tests with many rows), and a small world of
editors: the Secretariat, an author organisation's focal point, editor and viewer, and a stranger."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from api.commitments.validation import with_parents
from api.knowledge.markdown import plain_text
from api.models.identity import Organisation
from api.models.knowledge import KnowledgeItem
from api.models.reference import Country
from tests.factories import create_member, create_secretariat_user, create_user

# Words no other test writes, so searches see only this test's rows.
MARK = "zq" + uuid.uuid4().hex[:6]


async def create_item(
    session: AsyncSession,
    *,
    title: str = "An item",
    language: str = "en",
    kind: str = "good_practice",
    status: str = "published",
    summary: str = "",
    body: str = "",
    areas: tuple[str, ...] = ("procedures.rsd",),
    countries: tuple[str, ...] = (),
    regions: tuple[str, ...] = (),
    contributor_types: tuple[str, ...] = ("state",),
    organisation: Organisation | None = None,
    year: int = 2024,
    group: uuid.UUID | None = None,
    published_at: datetime | None = None,
) -> KnowledgeItem:
    region_codes: set[str] = set(regions)
    for iso3 in countries:
        country = await session.get(Country, iso3)
        assert country is not None
        region_codes |= {
            c for c in (country.region_code, country.subregion_code, country.intermediate_region_code) if c
        }
    item_id = uuid.uuid4()
    item = KnowledgeItem(
        id=item_id,
        translation_group_id=group or item_id,
        language=language,
        kind=kind,
        status=status,
        title=title,
        summary=summary,
        body=body,
        body_text=plain_text(body),
        areas=list(areas),
        area_codes=with_parents(areas),
        countries=list(countries),
        regions=list(regions),
        region_codes=sorted(region_codes),
        contributor_types=list(contributor_types),
        organisation_id=organisation.id if organisation else None,
        year=year,
        published_at=published_at
        or (datetime.now(UTC) - timedelta(days=1) if status in ("published", "archived") else None),
    )
    session.add(item)
    await session.flush()
    return item


@dataclass
class Editors:
    organisation: Organisation
    secretariat: httpx.AsyncClient
    focal_point: httpx.AsyncClient
    editor: httpx.AsyncClient
    viewer: httpx.AsyncClient
    stranger: httpx.AsyncClient
    anonymous: httpx.AsyncClient

    async def draft(self, client: httpx.AsyncClient | None = None, **overrides: Any) -> dict[str, Any]:
        response = await (client or self.focal_point).post("/api/v1/knowledge/items", json=item_body(**overrides))
        assert response.status_code == 201, response.text
        return response.json()  # type: ignore[no-any-return]

    async def act(
        self, client: httpx.AsyncClient, item: dict[str, Any], action: str, comment: str | None = None
    ) -> httpx.Response:
        body = {"comment": comment} if comment else None
        return await client.post(f"/api/v1/knowledge/items/{item['id']}/actions/{action}", json=body)

    async def published(self, **overrides: Any) -> dict[str, Any]:
        item = await self.draft(**overrides)
        assert (await self.act(self.focal_point, item, "submit")).status_code == 200
        response = await self.act(self.secretariat, item, "publish")
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]


def item_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "good_practice",
        "language": "en",
        "title": "Remote interviews in Brazil",
        "summary": "CONARE interviews applicants by video when they live far from its offices.",
        "body": "## What was done\n\nInterviews by **video link**, see [the guide](https://example.org/guide).",
        "areas": ["procedures.rsd", "expertise.innovation"],
        "countries": ["BRA"],
        "regions": ["419"],
        "contributor_types": ["state"],
        "source_links": [{"title": "UNHCR note", "url": "https://example.org/note"}],
        "starts_on": "2020-04-01",
    }
    body.update(overrides)
    return body


@pytest.fixture
async def editors(db: AsyncSession, as_user: Any, client: httpx.AsyncClient) -> Editors:
    focal_point, organisation = await create_member(db, kind="state_institution", country="BRA")
    editor = await create_user(db, organisation=organisation, role="editor")
    viewer = await create_user(db, organisation=organisation, role="viewer")
    stranger, _ = await create_member(db, kind="stakeholder", country="FRA")
    return Editors(
        organisation=organisation,
        secretariat=await as_user(await create_secretariat_user(db)),
        focal_point=await as_user(focal_point),
        editor=await as_user(editor),
        viewer=await as_user(viewer),
        stranger=await as_user(stranger),
        anonymous=client,
    )
