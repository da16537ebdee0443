"""Importing progress reports: a file fills in the reports the calendar opened, under the API's drafting rules."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from api.core import clock
from api.imports.kinds.reports import indicators_text, parse_indicators
from api.imports.parsing import CellError
from tests.factories import create_user
from tests.imports.corpus import csv_bytes, errors, json_bytes, outcomes, upload, xlsx_bytes
from tests.matches.conftest import MatchWorld, world
from tests.reports.test_reports import match_in_planning

__all__ = ["world"]

START = datetime(2027, 1, 10, 9, 0, tzinfo=UTC)
HEADERS = [
    "Match",
    "Period start",
    "Period end",
    "Stage",
    "Progress made",
    "Challenges",
    "Good practices",
    "Rating: Fairness",
    "Evidence: Fairness",
    "Rating: Integrity",
    "Indicators",
    "Next steps",
]
FRENCH_HEADERS = [
    "Mise en correspondance",
    "Début de la période",
    "Fin de la période",
    "Étape",
    "Progrès accomplis",
    "Difficultés",
    "Bonnes pratiques",
    "Évaluation : Équité",
    "Éléments probants : Équité",
    "Évaluation : Intégrité",
    "Indicateurs",
    "Prochaines étapes",
]


def report_row(reference: str, **changes: str) -> list[str]:
    values = {
        "reference": reference,
        "start": "2027-01-10",
        "end": "10/07/2027",
        "stage": "in_progress",
        "narrative": "Two workshops held with 24 eligibility officers.",
        "challenges": "Interpretation in Hausa",
        "good_practices": "Peer review of draft decisions",
        "fairness": "4",
        "fairness_evidence": "Appeals upheld fell from 30% to 18%",
        "integrity": "3",
        "indicators": "Officers trained|people|0|40|24; Decisions reviewed||10|100|55.5",
        "next_steps": "Second cycle in September",
        **changes,
    }
    return list(values.values())


@pytest.fixture
async def planned(world: MatchWorld) -> tuple[MatchWorld, dict[str, Any]]:
    clock.freeze(START)
    match_id = await match_in_planning(world)
    reporting = (await world.offerer_client.get(f"/api/v1/matches/{match_id}/reporting")).json()
    match = (await world.offerer_client.get(f"/api/v1/matches/{match_id}")).json()
    return world, {"id": match_id, "reference": match["reference"], "report": reporting["reports"][-1]}


async def report_of(client: httpx.AsyncClient, report_id: str) -> dict[str, Any]:
    response = await client.get(f"/api/v1/reports/{report_id}")
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def xmin(db: AsyncSession, report_id: str) -> str:
    return str(
        (
            await db.execute(text("SELECT xmin::text FROM progress_reports WHERE id = :id"), {"id": report_id})
        ).scalar_one()
    )


class TestImportingReports:
    @pytest.mark.parametrize("file_format", ["csv", "xlsx"])
    async def test_a_good_file_fills_the_report_and_a_second_run_writes_nothing(
        self, db: AsyncSession, planned: tuple[MatchWorld, dict[str, Any]], file_format: str
    ) -> None:
        world, match = planned
        rows = [HEADERS, report_row(match["reference"])]
        content = csv_bytes(rows) if file_format == "csv" else xlsx_bytes(rows)
        job = await upload(world.offerer_client, "progress_reports", content, filename=f"reports.{file_format}")
        assert job["status"] == "succeeded", job["issues"]
        assert outcomes(job) == ["updated"]
        report = await report_of(world.offerer_client, match["report"]["id"])
        assert report["narrative"] == "Two workshops held with 24 eligibility officers."
        assert report["stage"] == "in_progress" and report["next_steps"] == "Second cycle in September"
        assert report["impact"] == {
            "fairness": {"rating": 4, "evidence": "Appeals upheld fell from 30% to 18%"},
            "integrity": {"rating": 3, "evidence": ""},
        }
        assert report["indicators"] == [
            {"name": "Officers trained", "unit": "people", "baseline": 0, "target": 40, "actual": 24},
            {"name": "Decisions reviewed", "unit": "", "baseline": 10, "target": 100, "actual": 55.5},
        ]
        assert report["status"] == "not_yet_due" and report["version"] == match["report"]["version"] + 1
        before = await xmin(db, match["report"]["id"])
        again = await upload(world.offerer_client, "progress_reports", content, filename=f"reports.{file_format}")
        assert again["status"] == "succeeded" and outcomes(again) == ["unchanged"]
        assert await xmin(db, match["report"]["id"]) == before

    async def test_french_headers_and_labels_are_accepted(self, planned: tuple[MatchWorld, dict[str, Any]]) -> None:
        world, match = planned
        row = report_row(match["reference"].lower(), stage="En cours", start="10/01/2027", end="")
        job = await upload(world.offerer_client, "progress_reports", csv_bytes([FRENCH_HEADERS, row], delimiter=";"))
        assert job["status"] == "succeeded", job["issues"] and outcomes(job) == ["updated"]
        report = await report_of(world.offerer_client, match["report"]["id"])
        assert report["stage"] == "in_progress" and report["impact"]["fairness"]["rating"] == 4

    async def test_json_with_only_some_columns_keeps_the_rest(self, planned: tuple[MatchWorld, dict[str, Any]]) -> None:
        world, match = planned
        await upload(world.offerer_client, "progress_reports", csv_bytes([HEADERS, report_row(match["reference"])]))
        items = [{"match_reference": match["reference"], "period_end": "2027-07-10", "challenges": "Staff turnover"}]
        job = await upload(world.offerer_client, "progress_reports", json_bytes(items), filename="r.json")
        assert outcomes(job) == ["updated"], job["issues"]
        report = await report_of(world.offerer_client, match["report"]["id"])
        assert report["challenges"] == "Staff turnover"
        assert report["narrative"].startswith("Two workshops") and len(report["indicators"]) == 2

    async def test_a_match_the_user_is_not_party_to_is_an_error_naming_the_column(
        self, planned: tuple[MatchWorld, dict[str, Any]]
    ) -> None:
        world, match = planned
        job = await upload(
            world.stranger_client, "progress_reports", csv_bytes([HEADERS, report_row(match["reference"])])
        )
        assert job["status"] == "failed" and outcomes(job) == ["rejected"]
        assert [(row, column) for row, column, _ in errors(job)] == [(2, "Match")]
        assert "take part in" in errors(job)[0][2]

    async def test_the_requesting_party_may_not_draft(self, planned: tuple[MatchWorld, dict[str, Any]]) -> None:
        world, match = planned
        job = await upload(world.state_client, "progress_reports", csv_bytes([HEADERS, report_row(match["reference"])]))
        assert outcomes(job) == ["rejected"]
        assert errors(job)[0][1] == "Match" and "offering party" in errors(job)[0][2]

    async def test_a_submitted_report_cannot_be_changed_but_imports_unchanged(
        self, db: AsyncSession, planned: tuple[MatchWorld, dict[str, Any]]
    ) -> None:
        world, match = planned
        content = csv_bytes([HEADERS, report_row(match["reference"])])
        await upload(world.offerer_client, "progress_reports", content)
        submitted = await world.offerer_client.post(f"/api/v1/reports/{match['report']['id']}/actions/submit")
        assert submitted.status_code == 200, submitted.text
        assert outcomes(await upload(world.offerer_client, "progress_reports", content)) == ["unchanged"]
        changed = csv_bytes([HEADERS, report_row(match["reference"], challenges="New challenge")])
        job = await upload(world.offerer_client, "progress_reports", changed)
        assert outcomes(job) == ["rejected"]
        assert errors(job)[0][1] == "Period start" and "submitted report cannot be edited" in errors(job)[0][2]

    async def test_a_period_the_calendar_did_not_open_is_an_error(
        self, planned: tuple[MatchWorld, dict[str, Any]]
    ) -> None:
        world, match = planned
        row = report_row(match["reference"], start="2027-07-10", end="2028-01-10")
        job = await upload(world.offerer_client, "progress_reports", csv_bytes([HEADERS, row]))
        assert errors(job)[0][1] == "Period start" and "2027-01-10 – 2027-07-10" in errors(job)[0][2]

    @pytest.mark.parametrize(
        ("indicators", "fragment"),
        [
            ("Officers trained|people|0|40|24|99", "6 parts"),
            ("|people|0|40|24", "no name"),
            ("Officers trained|people|zero|40|24", "baseline"),
        ],
    )
    async def test_a_broken_indicator_encoding_is_a_row_error(
        self, planned: tuple[MatchWorld, dict[str, Any]], indicators: str, fragment: str
    ) -> None:
        world, match = planned
        rows = [HEADERS, report_row(match["reference"], indicators=indicators)]
        job = await upload(world.offerer_client, "progress_reports", csv_bytes(rows))
        assert job["status"] == "failed" and outcomes(job) == ["rejected"]
        assert [(row, column) for row, column, _ in errors(job)] == [(2, "Indicators")]
        assert fragment in errors(job)[0][2]
        report = await report_of(world.offerer_client, match["report"]["id"])
        assert report["narrative"] == ""

    async def test_evidence_without_a_rating_is_a_row_error(self, planned: tuple[MatchWorld, dict[str, Any]]) -> None:
        world, match = planned
        rows = [HEADERS, report_row(match["reference"], fairness="")]
        job = await upload(world.offerer_client, "progress_reports", csv_bytes(rows))
        assert [column for _, column, _ in errors(job)] == ["Rating: Fairness"]


class TestRoundTrip:
    async def test_export_then_import_writes_nothing_and_restores_edits(
        self, db: AsyncSession, planned: tuple[MatchWorld, dict[str, Any]]
    ) -> None:
        world, match = planned
        tricky = "Officers\\; trained|people|0|40|24; Rate \\\\ of cases|%|0.1|0.5|"
        first = await upload(
            world.offerer_client,
            "progress_reports",
            csv_bytes([HEADERS, report_row(match["reference"], indicators=tricky)]),
        )
        assert outcomes(first) == ["updated"], first["issues"]
        names = [i["name"] for i in (await report_of(world.offerer_client, match["report"]["id"]))["indicators"]]
        assert names == ["Officers; trained", "Rate \\ of cases"]
        exported = (
            await world.offerer_client.get("/api/v1/exports/progress_reports", params={"format": "xlsx"})
        ).content
        before = await xmin(db, match["report"]["id"])
        job = await upload(world.offerer_client, "progress_reports", exported, filename="reports.xlsx")
        assert job["status"] == "succeeded" and outcomes(job) == ["unchanged"], job["issues"]
        assert await xmin(db, match["report"]["id"]) == before
        stored = await report_of(world.offerer_client, match["report"]["id"])
        patched = await world.offerer_client.patch(
            f"/api/v1/reports/{match['report']['id']}",
            json={"narrative": "Overwritten", "indicators": []},
            headers={"If-Match": f'"{stored["id"]}:{stored["version"]}"'},
        )
        assert patched.status_code == 200, patched.text
        job = await upload(world.offerer_client, "progress_reports", exported, filename="reports.xlsx")
        assert outcomes(job) == ["updated"], job["issues"]
        restored = await report_of(world.offerer_client, match["report"]["id"])
        assert restored["narrative"] == stored["narrative"] and restored["indicators"] == stored["indicators"]

    async def test_a_reader_exports_what_the_report_shows(self, planned: tuple[MatchWorld, dict[str, Any]]) -> None:
        world, match = planned
        await upload(world.offerer_client, "progress_reports", csv_bytes([HEADERS, report_row(match["reference"])]))
        content = (await world.state_client.get("/api/v1/exports/progress_reports")).content.decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(content)))
        assert [(r["Match"], r["Period start"], r["Rating: Fairness"]) for r in rows] == [
            (match["reference"], "2027-01-10", "4")
        ]
        stranger = (await world.stranger_client.get("/api/v1/exports/progress_reports")).content.decode("utf-8-sig")
        assert len(stranger.strip().splitlines()) == 1

    async def test_a_user_without_a_drafting_role_may_not_import(
        self, db: AsyncSession, world: MatchWorld, as_user: Any
    ) -> None:
        viewer = await as_user(await create_user(db, organisation=world.offerer, role="viewer"))
        kinds = {k["name"]: k["may_import"] for k in (await viewer.get("/api/v1/imports/kinds")).json()}
        assert kinds["progress_reports"] is False


class TestIndicatorCell:
    def test_indicators_round_trip_through_their_cell(self) -> None:
        indicators = [
            {"name": "A; b|c \\ d", "unit": "%", "baseline": 0.1, "target": 1.0, "actual": None},
            {"name": "Cases", "unit": "", "baseline": None, "target": None, "actual": None},
        ]
        assert parse_indicators(indicators_text(indicators)) == indicators

    def test_too_many_parts_is_refused(self) -> None:
        with pytest.raises(CellError):
            parse_indicators("a|b|1|2|3|4")
