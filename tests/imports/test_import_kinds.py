"""Importing offers, pledges, organisations and existing support, and templates for every kind."""

from __future__ import annotations

import io
import json
from typing import Any

import httpx
import openpyxl
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.models.commitments import ExistingSupport, Pledge, PledgeOrganisation, SupportOffer
from api.models.identity import Organisation
from tests.factories import create_member, create_organisation, create_secretariat_user, create_user
from tests.imports.corpus import csv_bytes, errors, json_bytes, outcomes, upload
from tests.integrations.support import as_client

OFFER_HEADERS = [
    "External ID",
    "Organisation",
    "Title",
    "Serves any country",
    "Countries served",
    "Capacity",
    "Area",
    "Support types",
    "Modalities",
]


@pytest.fixture
async def secretariat(db: AsyncSession, as_user: Any) -> httpx.AsyncClient:
    client: httpx.AsyncClient = await as_user(await create_secretariat_user(db))
    return client


class TestOffers:
    async def test_an_offer_without_technical_exchange_is_refused(
        self, db: AsyncSession, secretariat: httpx.AsyncClient
    ) -> None:
        await create_organisation(db, kind="stakeholder", name="Refugee Law Clinic", country="GBR")
        rows = [
            OFFER_HEADERS,
            ["F-1", "Refugee Law Clinic", "Funding only", "yes", "", "2", "procedures.rsd", "financial", "funding"],
            [
                "F-2",
                "Refugee Law Clinic",
                "Mentoring",
                "no",
                "Niger; Tchad; Mexique",
                "2",
                "procedures.quality",
                "technical",
                "peer_review",
            ],
        ]
        job = await upload(secretariat, "offers", csv_bytes(rows), mode="valid_rows_only")
        assert outcomes(job) == ["rejected", "created"]
        assert "technical exchange" in errors(job)[0][2] and errors(job)[0][1] == "Support types"
        offer = (await db.execute(select(SupportOffer))).scalar_one()
        assert offer.served_countries == ["NER", "TCD", "MEX"] and not offer.serves_any and offer.capacity == 2
        assert offer.reference.startswith("OFF-")

    async def test_serving_no_country_is_refused(self, db: AsyncSession, secretariat: httpx.AsyncClient) -> None:
        await create_organisation(db, kind="stakeholder", name="Clinic B", country="GBR")
        rows = [OFFER_HEADERS, ["F-3", "Clinic B", "Mentoring", "no", "", "1", "procedures.rsd", "technical", ""]]
        job = await upload(secretariat, "offers", csv_bytes(rows))
        assert errors(job)[0][1] == "Countries served"

    async def test_a_unhcr_office_does_not_make_offers(self, db: AsyncSession, secretariat: httpx.AsyncClient) -> None:
        await create_organisation(db, kind="unhcr_country_office", name="UNHCR Chad", country="TCD")
        rows = [OFFER_HEADERS, ["F-4", "UNHCR Chad", "Mentoring", "yes", "", "1", "procedures.rsd", "technical", ""]]
        job = await upload(secretariat, "offers", csv_bytes(rows))
        assert "State institution or a stakeholder" in errors(job)[0][2]

    async def test_a_stakeholder_editor_imports_its_own_offers_as_json(self, db: AsyncSession, as_user: Any) -> None:
        user, organisation = await create_member(db, kind="stakeholder", role="editor")
        items = [
            {
                "external_id": "J-1",
                "organisation_id": str(organisation.id),
                "title": "Remote advice on COI",
                "area": "procedures.coi",
                "support_types": ["technical"],
                "modalities": ["remote_advice"],
                "component_description": "Monthly calls",
            }
        ]
        job = await upload(await as_user(user), "offers", json_bytes(items), filename="offers.json")
        assert job["status"] == "succeeded" and job["file_format"] == "json", job["issues"]


class TestPledges:
    async def test_pledges_with_joint_organisations_then_unchanged(
        self, db: AsyncSession, secretariat: httpx.AsyncClient
    ) -> None:
        france = await create_organisation(db, kind="state_government", name="France", country="FRA")
        ofpra = await create_organisation(db, kind="state_institution", name="OFPRA", country="FRA")
        rows = [
            ["External ID", "Événement", "Titre", "Types de promesse", "Organisations qui s'engagent", "Soumise le"],
            [
                "GRF-1",
                "Forum mondial sur les réfugiés 2023",
                "Appui à l'OFPRA",
                "Technique",
                "OFPRA; France",
                "14/12/2023",
            ],
            ["GRF-2", "GRF2019", "Autre promesse", "financial; technical", str(france.id), "2019-12-17"],
            ["GRF-1", "GRF2023", "Doublon", "technical", "France", "2023-12-14"],
        ]
        job = await upload(secretariat, "pledges", csv_bytes(rows, delimiter=";"), source="grf", mode="valid_rows_only")
        assert outcomes(job) == ["rejected", "created", "rejected"]
        assert errors(job)[0][2] == "The same record is in row 4; each record appears once."
        job = await upload(secretariat, "pledges", csv_bytes(rows[:3], delimiter=";"), source="grf")
        assert outcomes(job) == ["created", "unchanged"]
        pledge = (await db.execute(select(Pledge).where(Pledge.external_id == "GRF-1"))).scalar_one()
        assert pledge.source_event == "GRF2023" and pledge.pledge_types == ["technical"]
        links = (
            await db.execute(
                select(PledgeOrganisation.organisation_id, PledgeOrganisation.is_lead).where(
                    PledgeOrganisation.pledge_id == pledge.id
                )
            )
        ).all()
        assert set(links) == {(ofpra.id, True), (france.id, False)}
        assert (
            outcomes(await upload(secretariat, "pledges", csv_bytes(rows[:3], delimiter=";"), source="grf"))
            == ["unchanged"] * 2
        )

    async def test_a_client_with_pledges_write_and_imports_write_imports_pledges(
        self, db: AsyncSession, client_factory: Any
    ) -> None:
        await create_organisation(db, kind="state_government", name="Canada", country="CAN")
        http, _ = await as_client(client_factory, db, scopes=("pledges:write", "imports:write"))
        rows = [
            ["External ID", "Event", "Title", "Pledging organisations"],
            ["C-1", "GRF2023", "Canada pledge", "Canada"],
        ]
        job = await upload(http, "pledges", csv_bytes(rows))
        assert job["status"] == "succeeded" and job["source"].startswith("client-")

    async def test_a_client_without_imports_write_may_not_import(self, db: AsyncSession, client_factory: Any) -> None:
        http, _ = await as_client(client_factory, db, scopes=("pledges:write",))
        response = await http.post("/api/v1/imports/pledges", files={"file": ("f.csv", b"a,b")})
        assert response.status_code == 403


class TestOrganisations:
    async def test_the_secretariat_imports_organisations_with_their_rules(
        self, db: AsyncSession, secretariat: httpx.AsyncClient
    ) -> None:
        rows = [
            ["External ID", "Name", "Kind", "Contributor type", "Country", "Website"],
            ["ORG-1", "Asylum Office of Ruritania", "state_institution", "", "FRA", "https://asylum.example"],
            ["ORG-2", "Clinic", "stakeholder", "", "GBR", ""],
            ["ORG-3", "Bar association", "stakeholder", "Bar association or law firm", "ESP", "www.bar"],
        ]
        job = await upload(secretariat, "organisations", csv_bytes(rows), mode="valid_rows_only", source="ce")
        assert outcomes(job) == ["created", "rejected", "rejected"]
        assert {e[1] for e in errors(job)} == {"Contributor type", "Website"}
        organisation = (await db.execute(select(Organisation).where(Organisation.external_id == "ORG-1"))).scalar_one()
        assert organisation.contributor_type == "state" and organisation.kind == "state_institution"
        rows[1][2] = "stakeholder"
        job = await upload(secretariat, "organisations", csv_bytes(rows[:2]), source="ce")
        assert "cannot change" in errors(job)[0][2]

    async def test_only_the_secretariat_imports_organisations(self, db: AsyncSession, as_user: Any) -> None:
        user, _ = await create_member(db)
        response = await (await as_user(user)).post("/api/v1/imports/organisations", files={"file": ("f.csv", b"a,b")})
        assert response.status_code == 403


class TestExistingSupport:
    async def test_a_unhcr_office_records_support_in_its_countries(self, db: AsyncSession, as_user: Any) -> None:
        office = await create_organisation(db, kind="unhcr_country_office", country="NER")
        http = await as_user(await create_user(db, organisation=office))
        rows = [
            ["External ID", "Provider", "Recipient country", "Areas", "Start date", "Channel", "Confidential"],
            ["ES-1", "EUAA", "Niger", "procedures.rsd; procedures.coi", "01/01/2024", "multilateral", "non"],
            ["ES-2", "EUAA", "Mexique", "procedures.rsd", "01/01/2024", "bilateral", "non"],
        ]
        job = await upload(http, "existing_support", csv_bytes(rows), mode="valid_rows_only")
        assert outcomes(job) == ["created", "rejected"]
        record = (await db.execute(select(ExistingSupport))).scalar_one()
        assert record.area_codes == ["procedures", "procedures.coi", "procedures.rsd"]
        assert record.recorded_by_organisation_id == office.id and record.version == 1


class TestTemplates:
    @pytest.mark.parametrize("kind", ["requests", "offers", "pledges", "organisations", "existing_support"])
    @pytest.mark.parametrize("language", ["en", "fr", "es"])
    async def test_a_blank_template_imports_back_with_its_headers(
        self, secretariat: httpx.AsyncClient, kind: str, language: str
    ) -> None:
        response = await secretariat.get(
            f"/api/v1/imports/templates/{kind}", params={"format": "csv", "language": language}
        )
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
        job = await upload(secretariat, kind, response.content, dry_run=True)
        assert job["error_code"] == "empty_file" or job["counts"]["rows"] == 0
        assert not [i for i in job["issues"] if i["severity"] == "warning"]

    async def test_the_xlsx_template_has_notes_and_drop_downs_of_valid_codes(
        self, secretariat: httpx.AsyncClient
    ) -> None:
        response = await secretariat.get(
            "/api/v1/imports/templates/requests", params={"format": "xlsx", "language": "fr"}
        )
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        sheet = workbook.worksheets[0]
        headers = [cell.value for cell in sheet[1]]
        assert "Domaine" in headers and sheet.cell(1, headers.index("Titre") + 1).comment is not None
        formulas = [v.formula1 for v in sheet.data_validations.dataValidation]
        assert any("lists!" in f for f in formulas)
        lists = workbook["lists"]
        assert "procedures.rsd" in {cell.value for column in lists.iter_cols() for cell in column}

    async def test_the_json_template_is_a_schema(self, secretariat: httpx.AsyncClient) -> None:
        response = await secretariat.get("/api/v1/imports/templates/pledges", params={"format": "json"})
        schema = json.loads(response.content)
        assert schema["items"]["required"] == ["external_id", "source_event", "title"]

    async def test_unknown_kinds_have_no_template(self, secretariat: httpx.AsyncClient) -> None:
        assert (await secretariat.get("/api/v1/imports/templates/unicorns")).status_code == 404

    async def test_the_kinds_say_who_may_import_them(self, db: AsyncSession, as_user: Any) -> None:
        user, _ = await create_member(db, kind="stakeholder")
        kinds = {k["name"]: k["may_import"] for k in (await (await as_user(user)).get("/api/v1/imports/kinds")).json()}
        assert kinds == {
            "pledges": False,
            "organisations": False,
            "requests": False,
            "offers": True,
            "existing_support": False,
            "progress_reports": True,
        }
