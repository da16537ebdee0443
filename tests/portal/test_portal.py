"""The public portal's figures: aggregates only, and per country only what owners allowed to publish."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import create_offer, create_organisation, create_pledge, create_request


class TestPublicFigures:
    async def test_key_figures_count_validated_records(self, db: AsyncSession, client: httpx.AsyncClient) -> None:
        niger = await create_organisation(db, kind="state_institution", country="NER")
        await create_request(db, organisation=niger, status="validated", areas=("procedures.rsd", "legal.legislation"))
        await create_request(db, organisation=niger, status="draft")
        await create_offer(db, organisation=await create_organisation(db, country="FRA"), status="validated")
        await create_pledge(db, organisations=(await create_organisation(db, kind="state_government", country="CAN"),))
        figures = (await client.get("/api/v1/public/figures")).json()
        assert figures["requests"] == 1 and figures["offers"] == 1 and figures["unmet_needs"] == 2
        assert figures["pledges"] == 1 and figures["states_involved"] == 2
        assert figures["matches_by_stage"] == {"planning": 0, "in_progress": 0, "fulfilled": 0}

    async def test_country_breakdowns_only_count_what_owners_published(
        self, db: AsyncSession, client: httpx.AsyncClient
    ) -> None:
        chad = await create_organisation(db, kind="state_institution", country="TCD")
        await create_request(db, organisation=chad, status="validated", allow_publication=False)
        mali = await create_organisation(db, kind="state_institution", country="MLI")
        await create_request(
            db, organisation=mali, status="validated", allow_publication=True, areas=("procedures.coi",)
        )
        countries = {row["country_iso3"]: row for row in (await client.get("/api/v1/public/map")).json()}
        assert "TCD" not in countries
        assert countries["MLI"]["unmet_needs"] == 1
        coverage = (await client.get("/api/v1/public/coverage")).json()
        assert coverage == [{"country_iso3": "MLI", "area_code": "procedures.coi", "needs": 1, "matches": 0}]

    async def test_public_figures_are_cacheable(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/api/v1/public/figures")
        assert response.headers["cache-control"] == "public, max-age=60"


class TestExports:
    async def test_a_list_exports_as_csv_and_xlsx_with_the_list_fields_only(
        self, db: AsyncSession, client: httpx.AsyncClient
    ) -> None:
        state = await create_organisation(db, kind="state_institution", country="NER")
        await create_request(
            db,
            organisation=state,
            status="validated",
            allow_publication=True,
            title='=HYPERLINK("http://evil")',
            confidential_details="SECRET-EXPORT-MARK",
        )
        csv = await client.get("/api/v1/support-requests/export", params={"format": "csv", "country": "NER"})
        assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
        text = csv.content.decode("utf-8-sig")
        assert text.splitlines()[0].startswith("id,reference,title,status")
        assert "SECRET-EXPORT-MARK" not in text
        assert "'=HYPERLINK" in text  # a formula is neutralised
        xlsx = await client.get("/api/v1/support-requests/export", params={"format": "xlsx", "country": "NER"})
        assert xlsx.content[:2] == b"PK"
        assert 'filename="support-requests.xlsx"' in xlsx.headers["content-disposition"]
