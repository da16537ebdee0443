"""Exports in the import formats: export, edit, import again. A round trip reproduces the records exactly,
and importing an unedited export writes nothing (checked on the rows' xmin)."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from api.models.commitments import ExistingSupport, SupportRequestPledge
from api.models.identity import Organisation
from api.models.reports import ProgressReport, ReportingSchedule
from tests.factories import (
    create_member,
    create_offer,
    create_organisation,
    create_pledge,
    create_request,
    create_secretariat_user,
    create_user,
)
from tests.imports.corpus import outcomes, upload
from tests.integrations.support import as_client

KINDS = ["organisations", "pledges", "requests", "offers", "existing_support", "progress_reports"]
TABLES = {
    "organisations": "organisations",
    "pledges": "pledges",
    "requests": "support_requests",
    "offers": "support_offers",
    "existing_support": "existing_support",
    "progress_reports": "progress_reports",
}


@pytest.fixture
async def world(db: AsyncSession) -> dict[str, Any]:
    niger = await create_organisation(db, kind="state_institution", country="NER", name="Direction de l'état civil")
    clinic = await create_organisation(db, kind="stakeholder", country="GBR", name="Refugee Law Clinic")
    pledge = await create_pledge(db, organisations=(niger, clinic), areas=("procedures.rsd",))
    keyed = await create_request(
        db,
        organisation=niger,
        status="validated",
        areas=("procedures.rsd", "procedures.coi"),
        source="unhcr-ner",
        external_id="NE-1",
        qualities=["fairness", "integrity"],
        commitment_text="We commit",
        context="Context NE",
    )
    unkeyed = await create_request(db, organisation=niger, status="draft", public_summary="No external id")
    db.add(SupportRequestPledge(request_id=keyed.id, pledge_id=pledge.id))
    await create_offer(db, organisation=clinic, status="validated", pledge_id=pledge.id, areas=("procedures.quality",))
    db.add(
        ExistingSupport(
            provider_name="EUAA",
            recipient_country_iso3="NER",
            areas=["procedures.rsd"],
            area_codes=["procedures", "procedures.rsd"],
            description="Training",
            is_confidential=False,
        )
    )
    schedule = ReportingSchedule(
        pledge_id=pledge.id, reporting_organisation_id=niger.id, interval_months=6, starts_on=date(2026, 1, 1)
    )
    db.add(schedule)
    await db.flush()
    db.add(
        ProgressReport(
            schedule_id=schedule.id,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 7, 1),
            due_on=date(2026, 7, 1),
            status="due",
            stage="in_progress",
            narrative="Two trainings held\n\nwith 20 officers",
            impact={"fairness": {"rating": 4, "evidence": "Fewer appeals"}, "integrity": {"rating": 2, "evidence": ""}},
            indicators=[{"name": "Officers; trained", "unit": "", "baseline": 0, "target": 40.5, "actual": None}],
        )
    )
    await db.flush()
    return {"keyed": keyed, "unkeyed": unkeyed}


async def xmins(db: AsyncSession, table: str) -> list[tuple[str, str]]:
    return [tuple(r) for r in (await db.execute(text(f"SELECT id::text, xmin::text FROM {table} ORDER BY id"))).all()]  # noqa: S608


async def export(http: httpx.AsyncClient, kind: str, file_format: str = "csv", language: str = "en") -> bytes:
    response = await http.get(f"/api/v1/exports/{kind}", params={"format": file_format, "language": language})
    assert response.status_code == 200, response.text
    return response.content


@pytest.fixture
async def secretariat(db: AsyncSession, as_user: Any) -> httpx.AsyncClient:
    client: httpx.AsyncClient = await as_user(await create_secretariat_user(db))
    return client


class TestRoundTrip:
    @pytest.mark.parametrize("kind", KINDS)
    async def test_importing_an_unedited_export_writes_nothing(
        self, db: AsyncSession, world: dict[str, Any], secretariat: httpx.AsyncClient, kind: str
    ) -> None:
        exported = await export(secretariat, kind)
        before = await xmins(db, TABLES[kind])
        job = await upload(secretariat, kind, exported, filename=f"{kind}.csv")
        assert job["status"] == "succeeded", job["issues"]
        assert set(outcomes(job)) == {"unchanged"} and job["counts"]["records"] >= 1
        assert await xmins(db, TABLES[kind]) == before

    @pytest.mark.parametrize(("file_format", "language"), [("xlsx", "fr"), ("json", "es"), ("csv", "es")])
    async def test_an_edited_request_is_restored_from_its_export_in_every_format(
        self, db: AsyncSession, world: dict[str, Any], secretariat: httpx.AsyncClient, file_format: str, language: str
    ) -> None:
        original = await export(secretariat, "requests", file_format, language)
        baseline = await export(secretariat, "requests", "csv")
        keyed = world["keyed"]
        await db.execute(
            text("UPDATE support_requests SET title = 'Edited', version = version + 1 WHERE id = :id"), {"id": keyed.id}
        )
        await db.execute(
            text("UPDATE support_request_components SET area_code = 'legal.legislation' WHERE request_id = :id"),
            {"id": keyed.id},
        )
        await db.execute(text("DELETE FROM support_request_pledges WHERE request_id = :id"), {"id": keyed.id})
        job = await upload(secretariat, "requests", original, filename=f"requests.{file_format}")
        assert job["status"] == "succeeded", job["issues"]
        assert sorted(outcomes(job)) == ["unchanged", "updated"]
        assert await export(secretariat, "requests", "csv") == baseline
        again = await upload(secretariat, "requests", original, filename=f"requests.{file_format}")
        assert set(outcomes(again)) == {"unchanged"}

    async def test_every_kind_round_trips_in_the_same_columns_as_the_template(
        self, world: dict[str, Any], secretariat: httpx.AsyncClient
    ) -> None:
        for kind in KINDS:
            template = (await secretariat.get(f"/api/v1/imports/templates/{kind}", params={"format": "csv"})).content
            exported = await export(secretariat, kind)
            assert exported.splitlines()[0] == template.splitlines()[0], kind


class TestWhatIsExported:
    async def test_confidential_columns_are_empty_for_records_not_seen_in_full(
        self, db: AsyncSession, world: dict[str, Any], as_user: Any
    ) -> None:
        user, _ = await create_member(db)
        content = (await export(await as_user(user), "requests")).decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(content)))
        assert rows and {row["Reference"] for row in rows} == {world["keyed"].reference}
        assert {row["Confidential details"] for row in rows} == {""}
        assert {row["Context"] for row in rows} == {""} and {row["Commitment"] for row in rows} == {""}
        assert rows[0]["Public summary"] == "Public summary"

    async def test_the_owner_exports_its_records_in_full(
        self, db: AsyncSession, world: dict[str, Any], as_user: Any
    ) -> None:
        organisation = await db.get(Organisation, world["keyed"].organisation_id)
        assert organisation is not None
        owner = await as_user(await create_user(db, organisation=organisation))
        rows = list(csv.DictReader(io.StringIO((await export(owner, "requests")).decode("utf-8-sig"))))
        assert {row["Confidential details"] for row in rows} == {"Confidential details"}
        assert len({row["Reference"] for row in rows}) == 2

    async def test_a_client_exports_only_with_the_read_scope(
        self, db: AsyncSession, world: dict[str, Any], client_factory: Any
    ) -> None:
        http, _ = await as_client(client_factory, db, scopes=("pledges:read",))
        assert (await http.get("/api/v1/exports/pledges")).status_code == 200
        refused = await http.get("/api/v1/exports/requests")
        assert refused.status_code == 403 and refused.json()["error"] == "InsufficientScope"

    async def test_exports_are_audited(
        self, db: AsyncSession, world: dict[str, Any], secretariat: httpx.AsyncClient
    ) -> None:
        response = await secretariat.get("/api/v1/exports/offers", params={"format": "json"})
        action = (
            await db.execute(
                text("SELECT action FROM audit_events WHERE request_id = :r"), {"r": response.headers["x-request-id"]}
            )
        ).scalar_one()
        assert action == "exports.downloaded"
