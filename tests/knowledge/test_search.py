"""Search: each item in its own language (stemmed, accents ignored), filters, facets, snippets, pages;
related items for requests, offers and matches."""

from __future__ import annotations

from collections import Counter
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from api.models.knowledge import KnowledgeItem
from tests.factories import create_member, create_offer, create_organisation, create_request
from tests.knowledge.conftest import MARK, create_item

URL = "/api/v1/knowledge/items"


async def _search(client: httpx.AsyncClient, **params: Any) -> dict[str, Any]:
    response = await client.get(URL, params=params)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def _snippet_text(hit: dict[str, Any]) -> str:
    return "".join(part["text"] for part in hit["snippet"])


def _highlighted(hit: dict[str, Any]) -> list[str]:
    return [part["text"] for part in hit["snippet"] if part["highlight"]]


class TestLanguages:
    async def test_french_search_ignores_accents_and_stems(self, db: AsyncSession, client: httpx.AsyncClient) -> None:
        item = await create_item(
            db,
            language="fr",
            title=f"Entretiens à distance {MARK}",
            body="Les agents de l'asile ont mené des entretiens à distance avec les demandeurs éloignés.",
        )
        found = await _search(client, q=f"entretien a distance {MARK}")
        assert [hit["id"] for hit in found["items"]] == [str(item.id)]
        assert "entretiens à distance" in _snippet_text(found["items"][0])
        assert {"entretiens", "distance"} <= {w.lower() for w in _highlighted(found["items"][0])}

    async def test_a_spanish_search_finds_the_spanish_version(
        self, db: AsyncSession, client: httpx.AsyncClient
    ) -> None:
        english = await create_item(db, language="en", title=f"Remote interviews {MARK}", body="Interviews by video.")
        spanish = await create_item(
            db,
            language="es",
            title=f"Entrevistas a distancia {MARK}",
            body="Las entrevistas por videoconferencia evitan viajes largos.",
            group=english.translation_group_id,
        )
        found = await _search(client, q=f"entrevista videoconferencia {MARK}")
        assert [hit["id"] for hit in found["items"]] == [str(spanish.id)]
        # Spanish stemming: the plural in the text, the singular in the query; accents folded both ways.
        found = await _search(client, q=f"capacitación {MARK}")
        assert found["items"] == []
        await create_item(db, language="es", title=f"Capacitacion de funcionarios {MARK}")
        assert len((await _search(client, q=f"capacitación {MARK}"))["items"]) == 1

    async def test_english_stemming_and_weights_put_title_matches_first(
        self, db: AsyncSession, client: httpx.AsyncClient
    ) -> None:
        body_only = await create_item(db, title=f"Registration {MARK}", body="Officers interviewing applicants.")
        summary = await create_item(db, title=f"Registration {MARK}", summary="Interviewing applicants remotely.")
        title = await create_item(db, title=f"Interviews {MARK}")
        found = await _search(client, q=f"interview {MARK}")
        assert [hit["id"] for hit in found["items"]] == [str(title.id), str(summary.id), str(body_only.id)]
        ranks = [hit["rank"] for hit in found["items"]]
        assert ranks == sorted(ranks, reverse=True) and found["ranking_exact"] is True

    async def test_html_in_the_text_comes_back_as_plain_text_parts(
        self, db: AsyncSession, client: httpx.AsyncClient
    ) -> None:
        await create_item(db, title=f"Kiosk {MARK}", body="A <b>kiosk</b> & <script>alert(1)</script> for refugees.")
        hit = (await _search(client, q=f"kiosk {MARK}"))["items"][0]
        assert all(set(part) == {"text", "highlight"} for part in hit["snippet"])
        assert "<script>alert(1)</script>" in _snippet_text(hit)  # text, for the client to render as text


class TestFiltersAndFacets:
    async def _corpus(self, db: AsyncSession) -> list[KnowledgeItem]:
        specs = [
            ("en", "project", ("procedures.rsd",), ("NER",), ("state",), 2021),
            ("en", "good_practice", ("procedures.coi",), ("MEX",), ("state", "academia"), 2022),
            ("fr", "good_practice", ("procedures.rsd", "legal.legislation"), ("NER", "TCD"), ("state",), 2022),
            ("es", "tool", ("procedures.registration",), ("BRA",), ("civil_society",), 2023),
            ("es", "good_practice", ("expertise.innovation",), ("ZMB",), ("un_international",), 2021),
            ("fr", "news", ("institutional.training",), (), ("state",), 2024),
        ]
        return [
            await create_item(
                db,
                language=language,
                kind=kind,
                title=f"Item {index} {MARK}",
                areas=areas,
                countries=countries,
                contributor_types=types,
                year=year,
            )
            for index, (language, kind, areas, countries, types, year) in enumerate(specs)
        ]

    async def test_a_parent_area_matches_its_children(self, db: AsyncSession, client: httpx.AsyncClient) -> None:
        items = await self._corpus(db)
        found = await _search(client, q=MARK, area="procedures", limit=50)
        assert {hit["id"] for hit in found["items"]} == {str(i.id) for i in items if i.area_codes.count("procedures")}
        assert found["total"] == 4

    async def test_filters_combine(self, db: AsyncSession, client: httpx.AsyncClient) -> None:
        items = await self._corpus(db)
        found = await _search(client, q=MARK, region="002", kind="good_practice", year=2022)
        assert [hit["id"] for hit in found["items"]] == [str(items[2].id)]
        found = await _search(client, q=MARK, country="bra", language="es", contributor_type="civil_society")
        assert [hit["id"] for hit in found["items"]] == [str(items[3].id)]

    async def test_facets_count_each_dimension_without_its_own_filter(
        self, db: AsyncSession, client: httpx.AsyncClient
    ) -> None:
        items = await self._corpus(db)
        filters = {"kind": "good_practice", "region": "002"}
        found = await _search(client, q=MARK, facets="true", **filters)
        facets = {name: {v["value"]: v["count"] for v in values} for name, values in found["facets"].items()}

        def passes(item: KnowledgeItem, skip: str) -> bool:
            return (skip == "kind" or item.kind == "good_practice") and (skip == "region" or "002" in item.region_codes)

        expected = {
            "kind": Counter(i.kind for i in items if passes(i, "kind")),
            "region": Counter(r for i in items if passes(i, "region") for r in i.region_codes),
            "area": Counter(a for i in items if passes(i, "") for a in i.area_codes),
            "country": Counter(c for i in items if passes(i, "") for c in i.countries),
            "contributor_type": Counter(c for i in items if passes(i, "") for c in i.contributor_types),
            "language": Counter(i.language for i in items if passes(i, "")),
            "year": Counter(str(i.year) for i in items if passes(i, "")),
        }
        assert facets == {name: dict(counts) for name, counts in expected.items()}
        assert found["total"] == sum(expected["language"].values()) == 2

    async def test_keyset_pages_without_a_query_and_offset_pages_with_one(
        self, db: AsyncSession, client: httpx.AsyncClient
    ) -> None:
        items = await self._corpus(db)
        for params in ({"q": MARK}, {"area": "procedures"}):
            seen: list[str] = []
            cursor = None
            while True:
                page = await _search(client, limit=2, **params, **({"cursor": cursor} if cursor else {}))
                seen.extend(hit["id"] for hit in page["items"])
                cursor = page["next_cursor"]
                if not cursor:
                    break
            wanted = {str(i.id) for i in items} if "q" in params else None
            if wanted is not None:
                assert sorted(seen) == sorted(wanted)
            assert len(seen) == len(set(seen))

    async def test_a_tampered_cursor_is_refused(self, client: httpx.AsyncClient) -> None:
        response = await client.get(URL, params={"q": "asylum", "cursor": "not-a-cursor"})
        assert response.status_code == 422 and response.json()["fields"][0]["field"] == "query.cursor"

    async def test_drafts_are_searched_only_by_their_organisation(
        self, db: AsyncSession, as_user: Any, client: httpx.AsyncClient
    ) -> None:
        user, organisation = await create_member(db, kind="state_institution", country="MEX")
        draft = await create_item(db, status="draft", title=f"Unité COI {MARK}", organisation=organisation)
        member = await as_user(user)
        assert [h["id"] for h in (await _search(member, q=f"unite {MARK}", status="draft"))["items"]] == [str(draft.id)]
        assert (await _search(client, q=f"unite {MARK}", status="draft"))["items"] == []
        assert (await _search(member, q=f"unite {MARK}"))["items"] == []  # default: published only


class TestRelated:
    async def test_related_items_share_areas_and_the_same_region_comes_first(
        self, db: AsyncSession, as_user: Any
    ) -> None:
        user, state = await create_member(db, kind="state_institution", country="NER")
        request = await create_request(db, organisation=state, areas=("procedures.rsd", "procedures.coi"))
        far_two_areas = await create_item(
            db, title=f"Far {MARK}", areas=("procedures.rsd", "procedures.coi"), countries=("MEX",)
        )
        near_one_area = await create_item(db, title=f"Near {MARK}", areas=("procedures.rsd",), countries=("TCD",))
        parent_only = await create_item(db, title=f"Parent {MARK}", areas=("procedures.quality",), countries=("MEX",))
        await create_item(db, title=f"Unrelated {MARK}", areas=("legal.legislation",), countries=("NER",))
        await create_item(db, title=f"Draft {MARK}", status="draft", areas=("procedures.rsd",), countries=("NER",))
        client = await as_user(user)
        response = await client.get("/api/v1/knowledge/related", params={"request_id": str(request.id), "limit": 20})
        assert response.status_code == 200, response.text
        ids = [item["id"] for item in response.json()["items"]]
        mine = [i for i in ids if i in {str(far_two_areas.id), str(near_one_area.id), str(parent_only.id)}]
        assert mine == [str(near_one_area.id), str(far_two_areas.id), str(parent_only.id)]
        first = response.json()["items"][ids.index(str(near_one_area.id))]
        assert first["same_region"] is True and first["shared_areas"] == ["procedures.rsd"]

    async def test_a_hidden_request_or_offer_is_not_found(self, db: AsyncSession, client: httpx.AsyncClient) -> None:
        state = await create_organisation(db, kind="state_institution", country="NER")
        draft = await create_request(db, organisation=state, status="draft")
        offer = await create_offer(db, organisation=state, status="draft")
        assert (await client.get("/api/v1/knowledge/related", params={"request_id": str(draft.id)})).status_code == 404
        assert (await client.get("/api/v1/knowledge/related", params={"offer_id": str(offer.id)})).status_code == 404

    async def test_exactly_one_record_is_named(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/api/v1/knowledge/related")
        assert response.status_code == 422 and response.json()["fields"][0]["field"] == "query"
