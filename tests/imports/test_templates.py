"""Import templates: what a person downloads, fills in and uploads again, in English, French and Spanish."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from api.imports.parsing import (
    ColumnSpec,
    match_headers,
    parse_bool,
    parse_codes,
    parse_date,
    parse_int,
    read_table,
)
from api.imports.templates import Language, build_csv_template, build_xlsx_template, column_label, json_schema

LANGUAGES: list[Language] = ["en", "fr", "es"]
AREAS = [f"area_{n:02d}_{'x' * 12}" for n in range(30)]  # far more than Excel's 255-character inline list

COLUMNS = [
    ColumnSpec(
        "country",
        {"en": "Country", "fr": "Pays", "es": "País"},
        required=True,
        kind="country",
        description={"en": "The requesting State", "fr": "L'État demandeur", "es": "El Estado solicitante"},
    ),
    ColumnSpec(
        "start_date",
        {"en": "Start date", "fr": "Date de début", "es": "Fecha de inicio"},
        required=True,
        kind="date",
        description={"en": "When the support should start"},
    ),
    ColumnSpec(
        "modality",
        {"en": "Modality", "fr": "Modalité", "es": "Modalidad"},
        kind="code",
        choices=["training", "study_visit", "remote_advice"],
    ),
    ColumnSpec("areas", {"en": "Areas", "fr": "Domaines", "es": "Áreas"}, kind="codes", choices=AREAS),
    ColumnSpec("remote", {"en": "Remote", "fr": "À distance", "es": "A distancia"}, kind="bool"),
    ColumnSpec(
        "people", {"en": "Number of people", "fr": "Nombre de personnes", "es": "Número de personas"}, kind="int"
    ),
    ColumnSpec("notes", {"en": "Notes", "fr": "Remarques", "es": "Observaciones"}),
]


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def data_sheet(workbook: openpyxl.Workbook) -> Worksheet:
    sheet = workbook.worksheets[0]
    assert isinstance(sheet, Worksheet)
    return sheet


def validation_for(sheet: Worksheet, cell: str) -> DataValidation:
    found: list[DataValidation] = [v for v in sheet.data_validations.dataValidation if cell in v.sqref]
    assert len(found) == 1, cell
    return found[0]


class TestXlsxTemplate:
    @pytest.mark.parametrize("language", LANGUAGES)
    def test_the_header_row_is_in_the_chosen_language_bold_and_frozen(self, language: Language) -> None:
        sheet = data_sheet(load(build_xlsx_template("Requests", COLUMNS, language=language)))
        assert [cell.value for cell in sheet[1]] == [column.labels[language] for column in COLUMNS]
        assert all(cell.font.bold for cell in sheet[1])
        assert sheet.freeze_panes == "A2"
        assert sheet.max_row == 1

    def test_the_data_sheet_is_named_after_the_kind_within_excel_rules(self) -> None:
        assert data_sheet(load(build_xlsx_template("Requests", COLUMNS, language="en"))).title == "Requests"
        long_title = "Requests for support: asylum/registration [2024]?"
        title = data_sheet(load(build_xlsx_template(long_title, COLUMNS, language="en"))).title
        assert len(title) <= 31 and not set(title) & set("[]:*?/\\")
        assert data_sheet(load(build_xlsx_template("Instructions", COLUMNS, language="en"))).title == "Data"

    def test_each_header_has_a_note_saying_whether_it_is_required_its_description_and_format(self) -> None:
        sheet = data_sheet(load(build_xlsx_template("Requests", COLUMNS, language="fr")))
        notes = {cell.value: cell.comment.text for cell in sheet[1] if cell.comment}
        assert set(notes) == {column.labels["fr"] for column in COLUMNS}
        assert notes["Pays"].startswith("Obligatoire\nL'État demandeur\n")
        assert "code ISO" in notes["Pays"]
        assert notes["Remarques"].startswith("Facultatif")
        assert "jour/mois/année" in notes["Date de début"]
        assert "When the support should start" in notes["Date de début"]  # English when not translated
        assert "training; study_visit; remote_advice" in notes["Modalité"]

    def test_a_short_choice_list_is_an_inline_drop_down(self) -> None:
        sheet = data_sheet(load(build_xlsx_template("Requests", COLUMNS, language="en")))
        validation = validation_for(sheet, "C2")
        assert validation.type == "list"
        assert validation.formula1 == '"training,study_visit,remote_advice"'
        assert "C1048576" in validation.sqref and "C1" not in validation.sqref
        assert validation.showErrorMessage and validation.errorStyle == "warning"

    def test_a_long_choice_list_lives_on_a_hidden_sheet_referenced_by_range(self) -> None:
        workbook = load(build_xlsx_template("Requests", COLUMNS, language="en"))
        lists = workbook["lists"]
        assert lists.sheet_state == "hidden"
        validation = validation_for(data_sheet(workbook), "D2")
        assert validation.formula1 == "lists!$A$1:$A$30"
        assert [row[0].value for row in lists.iter_rows(min_row=1, max_row=30)] == AREAS

    def test_a_multi_value_column_offers_the_list_without_refusing_several_values(self) -> None:
        validation = validation_for(data_sheet(load(build_xlsx_template("R", COLUMNS, language="en"))), "D2")
        assert not validation.showErrorMessage

    def test_choices_with_commas_go_to_the_lists_sheet(self) -> None:
        columns = [ColumnSpec("kind", {"en": "Kind"}, kind="code", choices=["Equipment, material", "Training"])]
        workbook = load(build_xlsx_template("R", columns, language="en"))
        assert validation_for(data_sheet(workbook), "A2").formula1 == "lists!$A$1:$A$2"

    def test_text_that_looks_like_a_formula_is_written_as_text(self) -> None:
        columns = [ColumnSpec("a", {"en": "=HYPERLINK(1)"}, kind="code", choices=["=1+1", "x" * 300])]
        workbook = load(build_xlsx_template("R", columns, language="en"))
        assert data_sheet(workbook)["A1"].data_type == "s"
        assert workbook["lists"]["A1"].data_type == "s"
        assert workbook["Instructions"]["A2"].data_type == "s"

    def test_no_lists_sheet_when_every_list_is_short(self) -> None:
        columns = [ColumnSpec("modality", {"en": "Modality"}, kind="code", choices=["training", "study_visit"])]
        assert load(build_xlsx_template("R", columns, language="en")).sheetnames == ["R", "Instructions"]

    @pytest.mark.parametrize(("language", "choices"), [("en", '"yes,no"'), ("fr", '"oui,non"'), ("es", '"sí,no"')])
    def test_yes_no_columns_get_a_drop_down_in_the_language(self, language: Language, choices: str) -> None:
        sheet = data_sheet(load(build_xlsx_template("R", COLUMNS, language=language)))
        assert validation_for(sheet, "E2").formula1 == choices

    def test_date_columns_are_checked_as_dates_and_formatted_iso(self) -> None:
        sheet = data_sheet(load(build_xlsx_template("R", COLUMNS, language="en")))
        validation = validation_for(sheet, "B2")
        assert validation.type == "date" and validation.errorStyle == "warning"
        assert "day/month/year" in (validation.prompt or "")
        assert sheet.column_dimensions["B"].number_format == "yyyy-mm-dd"

    def test_whole_number_columns_are_checked_and_text_columns_kept_as_text(self) -> None:
        sheet = data_sheet(load(build_xlsx_template("R", COLUMNS, language="en")))
        assert validation_for(sheet, "F2").type == "whole"
        assert sheet.column_dimensions["G"].number_format == "@"

    @pytest.mark.parametrize("language", LANGUAGES)
    def test_the_instructions_sheet_lists_every_column(self, language: Language) -> None:
        workbook = load(build_xlsx_template("Requests", COLUMNS, language=language))
        assert workbook.sheetnames[:2] == ["Requests", "Instructions"]
        instructions = workbook["Instructions"]
        assert instructions.sheet_state == "visible"
        rows = list(instructions.iter_rows(values_only=True))
        assert [row[0] for row in rows[1:]] == [column.labels[language] for column in COLUMNS]
        assert [row[4] for row in rows[1:]] == [column.key for column in COLUMNS]
        required = {row[4]: row[1] for row in rows[1:]}
        assert parse_bool(str(required["country"])) and not parse_bool(str(required["notes"]))
        modality = next(row for row in rows if row[4] == "modality")
        assert "training; study_visit; remote_advice" in str(modality[3])
        areas = next(row for row in rows if row[4] == "areas")
        assert all(area in str(areas[3]) for area in AREAS)


class TestXlsxRoundTrip:
    @pytest.mark.parametrize("language", LANGUAGES)
    def test_a_filled_template_reads_back_and_matches_every_column(self, language: Language) -> None:
        workbook = load(build_xlsx_template("Requests", COLUMNS, language=language))
        sheet = data_sheet(workbook)
        sheet.append(["Niger", datetime(2024, 3, 7), "study_visit", f"{AREAS[0]}; {AREAS[3]}", "oui", 12, " Note "])
        sheet.append([])
        sheet.append(["Tchad", "07/03/2024", None, None, True, 3.0, None])
        output = io.BytesIO()
        workbook.save(output)

        table = read_table(output.getvalue(), filename="filled.xlsx", content_type=None, max_rows=10)
        match = match_headers(table.headers, COLUMNS)
        assert sorted(match.mapping.values()) == sorted(column.key for column in COLUMNS)
        assert match.unknown == match.missing_required == match.duplicates == []

        rows = [{match.mapping[h]: v for h, v in row.values.items()} for row in table.rows]
        assert [row.number for row in table.rows] == [2, 4]
        assert rows[0]["country"] == "Niger" and rows[0]["notes"] == "Note"
        assert parse_date(rows[0]["start_date"] or "") == parse_date(rows[1]["start_date"] or "")
        assert parse_codes(rows[0]["areas"] or "", AREAS) == [AREAS[0], AREAS[3]]
        assert parse_bool(rows[0]["remote"] or "") and parse_bool(rows[1]["remote"] or "")
        assert parse_int(rows[1]["people"] or "") == 3


class TestCsvTemplate:
    @pytest.mark.parametrize(("language", "delimiter"), [("en", ","), ("fr", ";"), ("es", ";")])
    def test_a_header_row_with_bom_in_the_delimiter_excel_expects(self, language: Language, delimiter: str) -> None:
        data = build_csv_template(COLUMNS, language=language)
        assert data.startswith(b"\xef\xbb\xbf")
        text = data[3:].decode("utf-8")
        assert text == delimiter.join(column.labels[language] for column in COLUMNS) + "\r\n"

    def test_the_delimiter_can_be_chosen(self) -> None:
        assert build_csv_template(COLUMNS[:2], language="fr", delimiter="\t")[3:] == "Pays\tDate de début\r\n".encode()

    def test_labels_containing_the_delimiter_are_quoted(self) -> None:
        columns = [ColumnSpec("a", {"en": "Amount, in USD"}), ColumnSpec("b", {"en": "Notes"})]
        assert build_csv_template(columns, language="en")[3:] == b'"Amount, in USD",Notes\r\n'

    @pytest.mark.parametrize("language", LANGUAGES)
    def test_a_filled_csv_template_reads_back_and_matches_every_column(self, language: Language) -> None:
        header = build_csv_template(COLUMNS, language=language)
        delimiter = "," if language == "en" else ";"
        row = delimiter.join(["Niger", "07/03/2024", "training", AREAS[1], "x", "1 234", "Réunion à Niamey"])
        table = read_table(header + row.encode("utf-8") + b"\r\n", filename="f.csv", content_type=None, max_rows=5)
        match = match_headers(table.headers, COLUMNS)
        assert sorted(match.mapping.values()) == sorted(column.key for column in COLUMNS)
        assert table.rows[0].values[column_label(COLUMNS[-1], language)] == "Réunion à Niamey"


class TestJsonSchema:
    def schema(self) -> dict[str, Any]:
        return json_schema("Requests", COLUMNS)

    def test_an_array_of_objects_keyed_by_column_key_in_draft_2020_12(self) -> None:
        schema = self.schema()
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["title"] == "Requests"
        assert schema["type"] == "array"
        assert schema["items"]["type"] == "object"
        assert list(schema["items"]["properties"]) == [column.key for column in COLUMNS]
        assert schema["items"]["additionalProperties"] is False

    def test_required_columns_are_required(self) -> None:
        assert self.schema()["items"]["required"] == ["country", "start_date"]

    def test_types_formats_and_enums_follow_the_columns(self) -> None:
        properties = self.schema()["items"]["properties"]
        assert properties["start_date"] == {
            "title": "Start date",
            "description": "When the support should start",
            "type": "string",
            "format": "date",
        }
        assert properties["country"]["pattern"] == "^[A-Z]{3}$"
        assert properties["modality"]["enum"] == ["training", "study_visit", "remote_advice", None]
        assert properties["areas"]["type"] == ["array", "null"]
        assert properties["areas"]["items"] == {"type": "string", "enum": AREAS}
        assert properties["remote"]["type"] == ["boolean", "null"]
        assert properties["people"]["type"] == ["integer", "null"]
        assert properties["notes"]["type"] == ["string", "null"]
