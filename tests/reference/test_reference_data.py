"""Reference data: complete, from maintained packages, readable by anyone, edited only by the Secretariat."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from api.reference.repository import register_area_usage
from tests.conftest import ROOT
from tests.factories import create_member, create_secretariat_user


class TestCountries:
    async def test_all_iso_countries_with_three_names(self, client: httpx.AsyncClient) -> None:
        countries = (await client.get("/api/v1/reference/countries")).json()
        assert len(countries) == 249
        for country in countries:
            assert country["name_en"] and country["name_fr"] and country["name_es"], country
        by_iso = {c["iso3"]: c for c in countries}
        assert by_iso["DEU"]["name_fr"] == "Allemagne" and by_iso["DEU"]["name_es"] == "Alemania"
        assert by_iso["NER"]["iso2"] == "NE" and by_iso["NER"]["iso_numeric"] == "562"

    async def test_every_un_member_state_has_a_bureau_and_region(self, client: httpx.AsyncClient) -> None:
        countries = (await client.get("/api/v1/reference/countries")).json()
        members = [c for c in countries if c["is_un_member"]]
        assert len(members) == 193
        assert [c["iso3"] for c in members if not c["bureau_code"] or not c["region_code"]] == []

    async def test_bureau_assignments_follow_unhcr(self, client: httpx.AsyncClient) -> None:
        by_iso = {c["iso3"]: c for c in (await client.get("/api/v1/reference/countries")).json()}
        expected = {
            "MEX": "americas",
            "NER": "wca",
            "TCD": "wca",
            "FRA": "europe",
            "TUR": "europe",
            "SDN": "ehagl",
            "KEN": "ehagl",
            "ZAF": "southern_africa",
            "COD": "southern_africa",
            "JOR": "mena",
            "MRT": "mena",
            "PHL": "asia_pacific",
            "TJK": "asia_pacific",
        }
        assert {iso: by_iso[iso]["bureau_code"] for iso in expected} == expected

    async def test_unhcr_codes_differ_from_iso(self, client: httpx.AsyncClient) -> None:
        by_unhcr = {
            c["unhcr_code"]: c["iso3"]
            for c in (await client.get("/api/v1/reference/countries")).json()
            if c["unhcr_code"]
        }
        assert by_unhcr["AUS"] == "AUT"
        assert by_unhcr["AUL"] == "AUS"
        assert by_unhcr["GFR"] == "DEU"

    def test_committed_files_are_what_the_generator_produces(self) -> None:
        from scripts.generate_reference_data import render

        for name, text in render().items():
            committed = (ROOT / "api" / "reference" / "data" / name).read_text(encoding="utf-8")
            assert json.loads(committed) == json.loads(text), f"{name} is stale: run scripts/generate_reference_data.py"


class TestTaxonomyAndVocabularies:
    async def test_area_taxonomy_is_complete_and_ordered(self, client: httpx.AsyncClient) -> None:
        areas = (await client.get("/api/v1/reference/areas")).json()
        codes = [a["code"] for a in areas]
        assert {"institutional", "legal", "procedures", "expertise"} <= set(codes)
        assert "procedures.rsd" in codes and "expertise.participation" in codes
        assert codes.index("procedures") < codes.index("procedures.rsd")
        for area in areas:
            assert area["label_fr"] and area["label_es"]
            assert area["label_fr"] != area["label_en"] or area["code"] == "expertise.research"

    async def test_vocabularies(self, client: httpx.AsyncClient) -> None:
        terms = (await client.get("/api/v1/reference/vocabularies")).json()
        by_vocabulary: dict[str, set[str]] = {}
        for term in terms:
            by_vocabulary.setdefault(term["vocabulary"], set()).add(term["code"])
        assert by_vocabulary["support_types"] == {"technical", "material", "financial"}
        assert by_vocabulary["qualities"] == {"fairness", "efficiency", "adaptability", "integrity"}
        assert by_vocabulary["public_stages"] == {"planning", "in_progress", "fulfilled"}
        assert len(by_vocabulary["modalities"]) == 9 and len(by_vocabulary["contributor_types"]) == 12
        assert {"GRF2019", "GRF2023", "platform"} <= by_vocabulary["pledge_source_events"]
        assert {"en", "fr", "es", "ar"} <= by_vocabulary["languages"]

    async def test_unknown_vocabulary_is_a_404(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/api/v1/reference/vocabularies", params={"vocabulary": "nope"})
        assert response.status_code == 404


class TestSecretariatEdits:
    @pytest.fixture
    async def admin(self, db: AsyncSession, as_user: Any) -> httpx.AsyncClient:
        client: httpx.AsyncClient = await as_user(await create_secretariat_user(db))
        return client

    async def test_add_rename_retire_and_delete_an_area(
        self, admin: httpx.AsyncClient, client: httpx.AsyncClient
    ) -> None:
        created = await admin.post(
            "/api/v1/reference/areas",
            json={
                "code": "procedures.digital_id",
                "label_en": "Digital identity",
                "label_fr": "Identité numérique",
                "label_es": "Identidad digital",
            },
        )
        assert created.status_code == 201 and created.json()["parent_code"] == "procedures"
        renamed = await admin.patch("/api/v1/reference/areas/procedures.digital_id", json={"label_en": "Digital ID"})
        assert renamed.json()["label_en"] == "Digital ID"
        retired = await admin.patch("/api/v1/reference/areas/procedures.digital_id", json={"is_retired": True})
        assert retired.json()["is_retired"] is True
        codes = [a["code"] for a in (await client.get("/api/v1/reference/areas")).json()]
        assert "procedures.digital_id" not in codes
        assert (await admin.delete("/api/v1/reference/areas/procedures.digital_id")).status_code == 204

    async def test_an_area_with_children_cannot_be_deleted(self, admin: httpx.AsyncClient) -> None:
        response = await admin.delete("/api/v1/reference/areas/procedures")
        assert response.status_code == 409 and response.json()["error"] == "CodeInUse"

    async def test_an_area_used_by_a_record_cannot_be_deleted(self, admin: httpx.AsyncClient, db: AsyncSession) -> None:
        from sqlalchemy import text

        await admin.post(
            "/api/v1/reference/areas",
            json={
                "code": "procedures.used_somewhere",
                "label_en": "Used",
                "label_fr": "Utilisé",
                "label_es": "Usado",
            },
        )
        await db.execute(text("CREATE TEMPORARY TABLE uses_areas (area_code varchar)"))
        await db.execute(text("INSERT INTO uses_areas VALUES ('procedures.used_somewhere')"))
        register_area_usage("uses_areas", "area_code")
        try:
            response = await admin.delete("/api/v1/reference/areas/procedures.used_somewhere")
            assert response.status_code == 409
        finally:
            from api.reference.repository import AREA_USAGES

            AREA_USAGES.remove(("uses_areas", "area_code", False))

    async def test_duplicate_and_orphan_codes_are_refused(self, admin: httpx.AsyncClient) -> None:
        labels = {"label_en": "x", "label_fr": "x", "label_es": "x"}
        assert (
            await admin.post("/api/v1/reference/areas", json={"code": "procedures.rsd", **labels})
        ).status_code == 409
        orphan = await admin.post("/api/v1/reference/areas", json={"code": "nothing.child", **labels})
        assert orphan.status_code == 422 and orphan.json()["fields"][0]["field"] == "code"
        bad = await admin.post("/api/v1/reference/areas", json={"code": "Bad Code!", **labels})
        assert bad.status_code == 422 and bad.json()["fields"][0]["field"] == "body.code"

    async def test_vocabulary_terms_are_editable_but_technical_stays(self, admin: httpx.AsyncClient) -> None:
        created = await admin.post(
            "/api/v1/reference/vocabularies/modalities",
            json={
                "code": "twinning",
                "label_en": "Twinning",
                "label_fr": "Jumelage",
                "label_es": "Hermanamiento",
            },
        )
        assert created.status_code == 201
        assert (await admin.delete("/api/v1/reference/vocabularies/modalities/twinning")).status_code == 204
        refused = await admin.patch("/api/v1/reference/vocabularies/support_types/technical", json={"is_retired": True})
        assert refused.status_code == 409

    async def test_country_codes_are_editable(self, admin: httpx.AsyncClient) -> None:
        response = await admin.patch("/api/v1/reference/countries/BEL", json={"unhcr_code": "BEL"})
        assert response.status_code == 200 and response.json()["unhcr_code"] == "BEL"
        bad = await admin.patch("/api/v1/reference/countries/BEL", json={"bureau_code": "mars"})
        assert bad.status_code == 422

    async def test_participants_cannot_edit(self, db: AsyncSession, as_user: Any) -> None:
        user, _ = await create_member(db)
        client = await as_user(user)
        response = await client.patch("/api/v1/reference/areas/procedures.rsd", json={"label_en": "Hijacked"})
        assert response.status_code == 403

    async def test_anonymous_cannot_edit(self, client: httpx.AsyncClient) -> None:
        response = await client.patch("/api/v1/reference/areas/procedures.rsd", json={"label_en": "Hijacked"})
        assert response.status_code == 401
