"""Importing support requests: one row per component, grouped by external id; upserts that write nothing
when nothing changed (checked in PostgreSQL); all-or-nothing; the documented report for each broken file."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from api.imports.kinds.commitments import RequestKind
from api.models.audit import AuditEvent
from api.models.changes import ChangeEvent
from api.models.commitments import SupportRequest, SupportRequestComponent
from api.models.identity import Organisation
from tests.factories import create_member, create_organisation, create_secretariat_user, create_user
from tests.imports.corpus import REQUEST_HEADERS, csv_bytes, errors, outcomes, request_row, upload, xlsx_bytes

GOOD = [
    REQUEST_HEADERS["en"],
    request_row("NE-1", component=1),
    request_row("NE-1", component=2, area="procedures.coi", modalities="study_visit", description="COI unit"),
    request_row("NE-2", title="Registration backlog", area="procedures.backlog"),
]


async def count(db: AsyncSession, model: Any) -> int:
    return int((await db.execute(select(func.count()).select_from(model))).scalar_one())


async def snapshot(db: AsyncSession) -> dict[str, Any]:
    """What an import may touch, down to each row's version (xmin): a rewrite would change it."""
    rows = (await db.execute(text("SELECT id, xmin::text FROM support_requests ORDER BY id"))).all()
    components = (await db.execute(text("SELECT id, xmin::text FROM support_request_components ORDER BY id"))).all()
    return {
        "requests": [tuple(r) for r in rows],
        "components": [tuple(r) for r in components],
        "audit": await count(db, AuditEvent),
        "changes": await count(db, ChangeEvent),
    }


@pytest.fixture
async def niger(db: AsyncSession) -> Organisation:
    return await create_organisation(db, kind="state_government", country="NER", name="Government of Niger")


@pytest.fixture
async def secretariat(db: AsyncSession, as_user: Any) -> httpx.AsyncClient:
    client: httpx.AsyncClient = await as_user(await create_secretariat_user(db))
    return client


class TestGoodFile:
    async def test_rows_become_requests_with_components_and_the_api_denormalised_columns(
        self, db: AsyncSession, niger: Organisation, secretariat: httpx.AsyncClient
    ) -> None:
        job = await upload(secretariat, "requests", csv_bytes(GOOD), source="unhcr-ner")
        assert job["status"] == "succeeded", job["issues"]
        assert job["counts"]["created"] == 2 and job["counts"]["rows"] == 3
        record = (await db.execute(select(SupportRequest).where(SupportRequest.external_id == "NE-1"))).scalar_one()
        assert record.source == "unhcr-ner" and record.organisation_id == niger.id and record.country_iso3 == "NER"
        assert record.reference.startswith("REQ-") and record.version == 1 and record.status == "draft"
        assert record.area_codes == ["procedures", "procedures.coi", "procedures.rsd"]
        assert record.modalities == ["remote_advice", "study_visit", "training"]
        assert record.languages == ["fr", "en"] and str(record.starts_on) == "2024-03-07"
        parts = [record.reference, "Training of eligibility officers", "Support to first-instance decisions"]
        assert record.search_text == "\n".join([*parts, "Interview techniques", "COI unit"])
        components = (
            await db.execute(
                select(SupportRequestComponent.area_code)
                .where(SupportRequestComponent.request_id == record.id)
                .order_by(SupportRequestComponent.position)
            )
        ).scalars()
        assert list(components) == ["procedures.rsd", "procedures.coi"]
        audited = (await db.execute(select(AuditEvent).where(AuditEvent.record_id == str(record.id)))).scalar_one()
        assert audited.action == "support_requests.imported" and audited.changes["title"]["after"] == record.title
        # What the components say is not repeated, nor are the new record's empty fields.
        assert len(audited.changes["components"]["after"]) == 2 and "area_codes" not in audited.changes
        assert "rejection_reason" not in audited.changes and audited.changes["is_establishing_system"]["after"] is False
        feed = (await db.execute(select(ChangeEvent).where(ChangeEvent.record_id == str(record.id)))).scalar_one()
        assert (feed.resource, feed.operation, feed.version) == ("support_request", "insert", 1)

    async def test_importing_the_same_file_again_writes_nothing(
        self, db: AsyncSession, niger: Organisation, secretariat: httpx.AsyncClient
    ) -> None:
        await upload(secretariat, "requests", csv_bytes(GOOD), source="unhcr-ner")
        before = await snapshot(db)
        again = await upload(secretariat, "requests", csv_bytes(GOOD), source="unhcr-ner")
        assert outcomes(again) == ["unchanged", "unchanged"] and again["counts"]["unchanged"] == 2
        after = await snapshot(db)
        assert after["requests"] == before["requests"] and after["components"] == before["components"]
        assert after["changes"] == before["changes"]
        assert after["audit"] == before["audit"] + 1  # the import itself, not its records

    async def test_a_changed_row_updates_its_request_and_keeps_component_ids(
        self, db: AsyncSession, niger: Organisation, secretariat: httpx.AsyncClient
    ) -> None:
        await upload(secretariat, "requests", csv_bytes(GOOD))
        ids_before = set((await db.execute(select(SupportRequestComponent.id))).scalars())
        changed = [
            *GOOD[:2],
            request_row("NE-1", component=2, area="procedures.quality", modalities="study_visit"),
            GOOD[3],
        ]
        job = await upload(secretariat, "requests", csv_bytes(changed))
        assert outcomes(job) == ["updated", "unchanged"]
        record = (await db.execute(select(SupportRequest).where(SupportRequest.external_id == "NE-1"))).scalar_one()
        await db.refresh(record)
        assert record.version == 2 and "procedures.quality" in record.area_codes
        assert set((await db.execute(select(SupportRequestComponent.id))).scalars()) == ids_before
        event = (
            await db.execute(
                select(AuditEvent).where(AuditEvent.record_id == str(record.id)).order_by(AuditEvent.id.desc()).limit(1)
            )
        ).scalar_one()
        assert event.changes["components"]["after"][1][0] == "procedures.quality"

    async def test_fewer_components_delete_the_surplus(
        self, db: AsyncSession, niger: Organisation, secretariat: httpx.AsyncClient
    ) -> None:
        await upload(secretariat, "requests", csv_bytes(GOOD))
        job = await upload(secretariat, "requests", csv_bytes([GOOD[0], GOOD[1], GOOD[3]]))
        assert outcomes(job) == ["updated", "unchanged"]
        assert await count(db, SupportRequestComponent) == 2

    async def test_a_dry_run_reports_every_row_and_writes_nothing(
        self, db: AsyncSession, niger: Organisation, secretariat: httpx.AsyncClient
    ) -> None:
        before = await count(db, SupportRequest)
        job = await upload(secretariat, "requests", csv_bytes(GOOD), dry_run=True)
        assert job["dry_run"] and job["status"] == "succeeded" and outcomes(job) == ["created", "created"]
        assert await count(db, SupportRequest) == before


class TestLanguagesAndForms:
    @pytest.mark.parametrize("language", ["fr", "es"])
    async def test_french_and_spanish_headers_with_country_names_and_date_forms(
        self, db: AsyncSession, niger: Organisation, secretariat: httpx.AsyncClient, language: str
    ) -> None:
        country = {"fr": "Niger", "es": "Níger"}[language]
        rows = [
            REQUEST_HEADERS[language],
            request_row("L-1", country=country, starts_on="7 mars 2024", ends_on="31/12/2025"),
            request_row("L-2", country=country, starts_on="7 de marzo de 2024", ends_on="2025.12.31"),
        ]
        job = await upload(secretariat, "requests", csv_bytes(rows, delimiter=";"))
        assert job["status"] == "succeeded", job["issues"]
        dates = (await db.execute(select(SupportRequest.starts_on, SupportRequest.ends_on))).all()
        assert {str(start) for start, _ in dates} == {"2024-03-07"} and {str(end) for _, end in dates} == {"2025-12-31"}

    @pytest.mark.parametrize(
        ("encoding", "delimiter"), [("utf-16", "\t"), ("cp1252", ";"), ("utf-8-sig", ","), ("utf-8", "|")]
    )
    async def test_encodings_and_delimiters_excel_produces(
        self, db: AsyncSession, niger: Organisation, secretariat: httpx.AsyncClient, encoding: str, delimiter: str
    ) -> None:
        rows = [REQUEST_HEADERS["fr"], request_row("E-1", title="Améliorer l'accès à la procédure", country="Niger")]
        job = await upload(secretariat, "requests", csv_bytes(rows, delimiter=delimiter, encoding=encoding))
        assert job["status"] == "succeeded", job["issues"]
        title = (await db.execute(select(SupportRequest.title))).scalar_one()
        assert title == "Améliorer l'accès à la procédure"

    @pytest.mark.parametrize("file_format", ["csv", "xlsx"])
    async def test_a_title_and_notes_above_the_header_row_are_skipped_with_a_warning(
        self, db: AsyncSession, niger: Organisation, secretariat: httpx.AsyncClient, file_format: str
    ) -> None:
        rows = [
            ["Demandes d'appui - Bureau du HCR au Niger"],
            ["Exporté le 07/03/2026"],
            [],
            REQUEST_HEADERS["fr"],
            request_row("T-1", country="Niger"),
        ]
        content = csv_bytes(rows, delimiter=";") if file_format == "csv" else xlsx_bytes(rows)
        job = await upload(secretariat, "requests", content, filename=f"niger.{file_format}")
        assert job["status"] == "succeeded", job["issues"]
        assert outcomes(job) == ["created"] and job["records"][0]["rows"] == [5]
        assert [(i["row"], i["severity"], i["message"]) for i in job["issues"]] == [
            (None, "warning", "Rows 1, 2 above the header row were not read (a title or notes).")
        ]

    async def test_an_xlsx_with_real_date_cells(
        self, db: AsyncSession, niger: Organisation, secretariat: httpx.AsyncClient
    ) -> None:
        from datetime import date

        row = request_row("X-1")
        row[6], row[7] = date(2024, 3, 7), date(2025, 12, 31)
        job = await upload(secretariat, "requests", xlsx_bytes([REQUEST_HEADERS["en"], row]), filename="f.xlsx")
        assert job["status"] == "succeeded" and job["file_format"] == "xlsx", job["issues"]
        assert str((await db.execute(select(SupportRequest.starts_on))).scalar_one()) == "2024-03-07"

    async def test_organisation_by_name_instead_of_the_country(
        self, db: AsyncSession, secretariat: httpx.AsyncClient
    ) -> None:
        institution = await create_organisation(db, kind="state_institution", country="MEX", name="COMAR")
        rows = [
            ["External ID", "Organisation", "Title", "Area", "Support types"],
            ["C-1", "comar", "Backlog help", "procedures.backlog", "technical"],
        ]
        job = await upload(secretariat, "requests", csv_bytes(rows))
        assert job["status"] == "succeeded", job["issues"]
        assert (await db.execute(select(SupportRequest.organisation_id))).scalar_one() == institution.id


class TestBrokenFiles:
    async def test_each_broken_cell_is_reported_with_row_column_value_and_message(
        self, db: AsyncSession, niger: Organisation, secretariat: httpx.AsyncClient
    ) -> None:
        rows = [
            REQUEST_HEADERS["en"],
            request_row("B-1", area="procedures.nowhere"),
            request_row("B-2", starts_on="31/02/2024"),
            request_row("B-3", starts_on="03/25/2024"),
            request_row("B-4", country="Nigeria-ish"),
            request_row("B-5", modalities="teleportation"),
            request_row("B-6", starts_on="2025-01-01", ends_on="2024-01-01"),
            request_row("B-7", component=1),
            request_row("B-7", component=1, area="procedures.coi"),
            request_row("B-8"),
        ]
        before = await snapshot(db)
        job = await upload(secretariat, "requests", csv_bytes(rows))
        assert job["status"] == "failed" and await snapshot(db) == {**before, "audit": before["audit"] + 1}
        found = {(row, column): message for row, column, message in errors(job)}
        assert found[(2, "Area")].startswith('"procedures.nowhere" is not an accepted value')
        assert "that month has no day 31" in found[(3, "Start date")]
        assert "If month 3 is meant, write 25/03/2024" in found[(4, "Start date")]
        assert "is not a known country" in found[(5, "Country")] and "Did you mean" in found[(5, "Country")]
        assert '"teleportation"' in found[(6, "Modalities")]
        assert found[(7, "End date")] == "The end is before the start."
        assert found[(9, "Component")] == "Component 1 of this record is also in row 8."
        assert outcomes(job)[-1] == "created"  # B-8 is fine, but all or nothing: nothing written
        assert job["issues"][0]["value"] == "procedures.nowhere"

    async def test_valid_rows_only_writes_the_good_records_and_returns_the_rejected_rows(
        self, db: AsyncSession, niger: Organisation, secretariat: httpx.AsyncClient
    ) -> None:
        rows = [REQUEST_HEADERS["en"], request_row("V-1"), request_row("V-2", area="nowhere"), request_row("V-3")]
        job = await upload(secretariat, "requests", csv_bytes(rows), mode="valid_rows_only")
        assert job["status"] == "succeeded" and outcomes(job) == ["created", "rejected", "created"]
        assert await count(db, SupportRequest) == 2 and job["has_rejected_rows"]
        rejected = await secretariat.get(f"/api/v1/imports/jobs/{job['id']}/rejected-rows")
        lines = rejected.content.decode("utf-8-sig").splitlines()
        assert lines[0].endswith(",error") and lines[1].startswith("V-2,") and "nowhere" in lines[1]
        report = (await secretariat.get(f"/api/v1/imports/jobs/{job['id']}/report")).content.decode("utf-8-sig")
        assert report.splitlines()[1].startswith("2,V-1,created")

    async def test_a_record_created_by_someone_else_meanwhile_is_reported_not_a_failure(
        self,
        db: AsyncSession,
        niger: Organisation,
        secretariat: httpx.AsyncClient,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        # New records are copied straight into the table; one whose key another writer took after the import
        # looked (simulated: the lookup misses the stored record) must fall back to the checked insert.
        await upload(secretariat, "requests", csv_bytes([REQUEST_HEADERS["en"], request_row("M-1")]), source="m")
        before = await snapshot(db)
        load = RequestKind.load

        async def stale_load(self: RequestKind, session: AsyncSession, candidates: Any, context: Any) -> None:
            await load(self, session, candidates, context)
            for candidate in candidates:
                candidate.existing = None

        monkeypatch.setattr(RequestKind, "load", stale_load)
        rows = [REQUEST_HEADERS["en"], request_row("M-1", title="Changed"), request_row("M-2")]
        job = await upload(secretariat, "requests", csv_bytes(rows), source="m", mode="valid_rows_only")
        assert job["status"] == "succeeded" and outcomes(job) == ["rejected", "created"]
        assert errors(job) == [
            (2, None, "Someone changed or created this record while the file was imported; import the file again.")
        ]
        titles = (await db.execute(select(SupportRequest.external_id, SupportRequest.title))).all()
        assert sorted(titles) == [("M-1", request_row("M-1")[2]), ("M-2", request_row("M-2")[2])]
        after = await snapshot(db)
        assert set(before["requests"]) < set(after["requests"]) and len(after["requests"]) == 2
        job = await upload(secretariat, "requests", csv_bytes(rows), source="m")
        assert job["status"] == "failed" and outcomes(job)[0] == "rejected"
        assert await count(db, SupportRequest) == 2

    async def test_a_record_level_value_is_repeated_or_given_once_and_never_contradicted(
        self, db: AsyncSession, niger: Organisation, secretariat: httpx.AsyncClient
    ) -> None:
        rows = [
            REQUEST_HEADERS["en"],
            request_row("R-1", component=1, urgency=""),
            request_row("R-1", component=2, urgency="critical", area="procedures.coi"),
            request_row("R-2", component=1, urgency="high"),
            request_row("R-2", component=2, urgency="low", area="procedures.coi"),
            request_row("R-3", component=1, starts_on="31/31/2024"),
            request_row("R-3", component=2, starts_on="31/31/2024", area="procedures.coi"),
        ]
        job = await upload(secretariat, "requests", csv_bytes(rows), dry_run=True)
        found = {(row, column): message for row, column, message in errors(job)}
        assert found.pop((5, "Urgency")) == (
            "Differs from row 4 of the same record; repeat the same value or leave it empty."
        )
        assert set(found) == {(6, "Start date"), (7, "Start date")}
        assert outcomes(job) == ["created", "rejected", "rejected"]
        job = await upload(secretariat, "requests", csv_bytes(rows[:3]))
        urgency = await db.execute(select(SupportRequest.urgency).where(SupportRequest.external_id == "R-1"))
        assert urgency.scalar_one() == "critical"

    @pytest.mark.parametrize(
        ("content", "filename", "code"),
        [
            (b"%PDF-1.7 a report", "report.pdf", "unsupported_format"),
            (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old excel", "old.xls", "unsupported_spreadsheet"),
            (b"<html><table><tr><td>x</td></tr></table></html>", "export.xls", "unsupported_spreadsheet"),
            (b"", "empty.csv", "empty_file"),
            (b'[{"External ID": "J-1", {broken', "f.json", "invalid_json"),
        ],
    )
    async def test_a_file_that_is_not_a_spreadsheet_is_refused_with_what_to_do(
        self, secretariat: httpx.AsyncClient, content: bytes, filename: str, code: str
    ) -> None:
        job = await upload(secretariat, "requests", content, filename=filename)
        assert job["status"] == "failed" and job["error_code"] == code and job["error"]

    async def test_missing_required_columns_refuse_the_file(self, secretariat: httpx.AsyncClient) -> None:
        job = await upload(secretariat, "requests", csv_bytes([["External ID", "Country"], ["M-1", "NER"]]))
        assert job["error_code"] == "columns" and '"Title"' in job["error"] and '"Area"' in job["error"]

    async def test_unknown_columns_are_warned_about_with_a_suggestion(
        self, niger: Organisation, secretariat: httpx.AsyncClient
    ) -> None:
        rows = [[*REQUEST_HEADERS["en"], "Titel"], [*request_row("U-1"), "x"]]
        job = await upload(secretariat, "requests", csv_bytes(rows))
        [warning] = [i for i in job["issues"] if i["severity"] == "warning"]
        assert warning["column"] == "Titel" and "not imported" in warning["message"]

    async def test_too_many_rows_are_refused(self, secretariat: httpx.AsyncClient, settings: Any, app: Any) -> None:
        app.state.settings = settings.model_copy(update={"import_max_rows": 2})
        rows = [REQUEST_HEADERS["en"], *[request_row(f"T-{n}") for n in range(3)]]
        job = await upload(secretariat, "requests", csv_bytes(rows))
        assert job["error_code"] == "too_many_rows"

    async def test_a_file_over_the_upload_limit_is_413(self, secretariat: httpx.AsyncClient) -> None:
        response = await secretariat.post(
            "/api/v1/imports/requests", files={"file": ("big.csv", b"x" * (26 * 1024 * 1024))}
        )
        assert response.status_code == 413 and response.json()["error"] == "PayloadTooLarge"


class TestRules:
    async def test_submitting_an_out_of_scope_request_records_it_as_rejected(
        self, db: AsyncSession, niger: Organisation, secretariat: httpx.AsyncClient
    ) -> None:
        rows = [REQUEST_HEADERS["en"], request_row("S-1", status="submitted", area="non_asylum.border")]
        job = await upload(secretariat, "requests", csv_bytes(rows))
        assert job["status"] == "succeeded"
        record = (await db.execute(select(SupportRequest))).scalar_one()
        assert record.status == "rejected" and "Out of scope" in (record.rejection_reason or "")
        assert any("recorded as rejected" in i["message"] for i in job["issues"])
        assert outcomes(await upload(secretariat, "requests", csv_bytes(rows))) == ["unchanged"]

    async def test_a_new_request_cannot_start_validated_unless_the_secretariat_imports_it(
        self, db: AsyncSession, niger: Organisation, as_user: Any
    ) -> None:
        office = await create_organisation(db, kind="unhcr_country_office", country="NER")
        http = await as_user(await create_user(db, organisation=office))
        job = await upload(http, "requests", csv_bytes([REQUEST_HEADERS["en"], request_row("S-2", status="validated")]))
        assert errors(job)[0][1] == "Status"

    async def test_a_status_change_other_than_submission_is_left_to_the_workflow(
        self, db: AsyncSession, niger: Organisation, secretariat: httpx.AsyncClient
    ) -> None:
        await upload(
            secretariat, "requests", csv_bytes([REQUEST_HEADERS["en"], request_row("W-1", status="submitted")])
        )
        job = await upload(
            secretariat, "requests", csv_bytes([REQUEST_HEADERS["en"], request_row("W-1", status="draft")])
        )
        assert outcomes(job) == ["unchanged"]
        assert any("through the workflow" in i["message"] for i in job["issues"])


class TestWhoMayImport:
    async def test_a_unhcr_office_imports_requests_for_the_countries_it_covers_only(
        self, db: AsyncSession, niger: Organisation, as_user: Any
    ) -> None:
        await create_organisation(db, kind="state_government", country="MEX", name="Government of Mexico")
        office = await create_organisation(db, kind="unhcr_country_office", country="NER")
        http = await as_user(await create_user(db, organisation=office))
        rows = [REQUEST_HEADERS["en"], request_row("O-1"), request_row("O-2", country="MEX")]
        job = await upload(http, "requests", csv_bytes(rows), mode="valid_rows_only")
        assert outcomes(job) == ["created", "rejected"]
        assert "You may not import requests of Government of Mexico" in errors(job)[0][2]

    async def test_an_editor_imports_their_own_organisations_requests(
        self, db: AsyncSession, niger: Organisation, as_user: Any
    ) -> None:
        user = await create_user(db, organisation=niger, role="editor")
        job = await upload(await as_user(user), "requests", csv_bytes([REQUEST_HEADERS["en"], request_row("D-1")]))
        assert job["status"] == "succeeded" and job["source"].startswith("government-of-niger")

    async def test_a_stakeholder_may_not_import_requests(self, db: AsyncSession, as_user: Any) -> None:
        user, _ = await create_member(db, kind="stakeholder")
        response = await (await as_user(user)).post(
            "/api/v1/imports/requests", files={"file": ("f.csv", csv_bytes([REQUEST_HEADERS["en"]]))}
        )
        assert response.status_code == 403

    async def test_a_record_of_another_organisation_is_not_touched(
        self, db: AsyncSession, niger: Organisation, secretariat: httpx.AsyncClient, as_user: Any
    ) -> None:
        await upload(secretariat, "requests", csv_bytes([REQUEST_HEADERS["en"], request_row("N-1")]), source="shared")
        chad = await create_organisation(db, kind="state_government", country="TCD")
        intruder = await as_user(await create_user(db, organisation=chad))
        job = await upload(
            intruder, "requests", csv_bytes([REQUEST_HEADERS["en"], request_row("N-1", country="TCD")]), source="shared"
        )
        assert job["status"] == "failed" and "exists and you may not edit it" in errors(job)[0][2]

    async def test_unknown_kinds_are_404(self, secretariat: httpx.AsyncClient) -> None:
        response = await secretariat.post("/api/v1/imports/unicorns", files={"file": ("f.csv", b"a,b")})
        assert response.status_code == 404
