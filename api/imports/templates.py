"""Blank files to fill in for a bulk import: an XLSX template, a CSV header row and a JSON Schema.

The XLSX template is what most country offices use, so it carries the help with it: headers in the chosen
language (bold, frozen), a note on each header (required or not, description, accepted formats), drop-down
lists where the values are fixed, date and number checks that warn without blocking (the reader accepts more
forms than Excel's checks know), and an "Instructions" sheet listing every column. The headers it writes are
matched back by `parsing.match_headers` in every language.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from api.imports.parsing import ColumnKind, ColumnSpec

__all__ = ["Language", "build_csv_template", "build_xlsx_template", "column_label", "json_schema"]

Language = Literal["en", "fr", "es"]

LISTS_SHEET = "lists"
INSTRUCTIONS_SHEET = "Instructions"
_LAST_ROW = 1_048_576  # Excel's last row: checks apply to the whole column
_INLINE_LIST_LIMIT = 255  # Excel's limit on an inline list formula, quotes excluded
_SHEET_NAME_LIMIT = 31
_SHEET_NAME_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))
_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
_WRAP = Alignment(wrap_text=True, vertical="top")

_WORDS: dict[Language, dict[str, str]] = {
    "en": {
        "required": "Required",
        "optional": "Optional",
        "column": "Column",
        "description": "Description",
        "accepted": "Accepted values",
        "key": "Key (JSON and API)",
        "yes": "yes",
        "no": "no",
        "not_listed": "This value is not in the list.",
        "not_date": "This is not a date. Write it as 2024-03-07 or 07/03/2024 (day/month/year).",
        "not_number": "This is not a number.",
        "check": "Check the value",
        "one_of": "One of",
    },
    "fr": {
        "required": "Obligatoire",
        "optional": "Facultatif",
        "column": "Colonne",
        "description": "Description",
        "accepted": "Valeurs acceptées",
        "key": "Clé (JSON et API)",
        "yes": "oui",
        "no": "non",
        "not_listed": "Cette valeur n'est pas dans la liste.",
        "not_date": "Ce n'est pas une date. Écrivez-la 2024-03-07 ou 07/03/2024 (jour/mois/année).",
        "not_number": "Ce n'est pas un nombre.",
        "check": "Vérifiez la valeur",
        "one_of": "Une de ces valeurs",
    },
    "es": {
        "required": "Obligatorio",
        "optional": "Opcional",
        "column": "Columna",
        "description": "Descripción",
        "accepted": "Valores aceptados",
        "key": "Clave (JSON y API)",
        "yes": "sí",
        "no": "no",
        "not_listed": "Este valor no está en la lista.",
        "not_date": "No es una fecha. Escríbala 2024-03-07 o 07/03/2024 (día/mes/año).",
        "not_number": "No es un número.",
        "check": "Compruebe el valor",
        "one_of": "Uno de estos valores",
    },
}

_FORMATS: dict[ColumnKind, dict[Language, str]] = {
    "text": {"en": "Text", "fr": "Texte", "es": "Texto"},
    "date": {
        "en": "A date: 2024-03-07 or 07/03/2024 (day/month/year)",
        "fr": "Une date : 2024-03-07 ou 07/03/2024 (jour/mois/année)",
        "es": "Una fecha: 2024-03-07 o 07/03/2024 (día/mes/año)",
    },
    "bool": {"en": "yes or no", "fr": "oui ou non", "es": "sí o no"},
    "int": {"en": "A whole number", "fr": "Un nombre entier", "es": "Un número entero"},
    "float": {
        "en": "A number, e.g. 1234.5",
        "fr": "Un nombre, par exemple 1 234,5",
        "es": "Un número, por ejemplo 1234,5",
    },
    "country": {
        "en": "A country: its name in English, French or Spanish, or its ISO code (e.g. FRA)",
        "fr": "Un pays : son nom en français, anglais ou espagnol, ou son code ISO (par exemple FRA)",
        "es": "Un país: su nombre en español, inglés o francés, o su código ISO (por ejemplo FRA)",
    },
    "list": {
        "en": "One or more values separated by ;",
        "fr": "Une ou plusieurs valeurs séparées par ;",
        "es": "Uno o varios valores separados por ;",
    },
    "code": {"en": "One value from the list", "fr": "Une valeur de la liste", "es": "Un valor de la lista"},
    "codes": {
        "en": "One or more values from the list, separated by ;",
        "fr": "Une ou plusieurs valeurs de la liste, séparées par ;",
        "es": "Uno o varios valores de la lista, separados por ;",
    },
}

# Columns whose cells are text: formatted as text so Excel does not turn "3-4" into a date or drop zeros.
_TEXT_KINDS: frozenset[ColumnKind] = frozenset({"text", "country", "list", "code", "codes"})
_MULTI_VALUE_KINDS: frozenset[ColumnKind] = frozenset({"list", "codes"})


def column_label(column: ColumnSpec, language: Language) -> str:
    """The header written for a column: its label in the language, else in English, else its key."""
    return column.labels.get(language) or column.labels.get("en") or column.key


def _text(mapping: Mapping[str, str], language: Language) -> str:
    return mapping.get(language) or mapping.get("en") or ""


def _choices(column: ColumnSpec, language: Language) -> list[str]:
    if column.choices is not None:
        return list(column.choices)
    if column.kind == "bool":
        return [_WORDS[language]["yes"], _WORDS[language]["no"]]
    return []


def _accepted(column: ColumnSpec, language: Language, *, limit: int | None = None) -> str:
    """The accepted format, and the allowed values (the first `limit` of them) when they are fixed."""
    text = _FORMATS[column.kind][language]
    choices = list(column.choices or [])
    if not choices:
        return text
    shown = choices if limit is None or len(choices) <= limit else [*choices[:limit], "…"]
    return f"{text}. {_WORDS[language]['one_of']}: {'; '.join(shown)}"


# --- XLSX -------------------------------------------------------------------------------------------------


def build_xlsx_template(kind_title: str, columns: Sequence[ColumnSpec], *, language: Language) -> bytes:
    """An XLSX workbook: the data sheet (headers only), an Instructions sheet and a hidden sheet of lists."""
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)  # a new workbook always has one worksheet
    sheet.title = _sheet_title(kind_title)
    instructions = workbook.create_sheet(INSTRUCTIONS_SHEET)
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    _write_headers(sheet, columns, language)
    for index, column in enumerate(columns, start=1):
        _add_checks(sheet, lists, get_column_letter(index), column, language)
    _write_instructions(instructions, columns, language)
    if lists.max_row == 1 and lists["A1"].value is None:
        workbook.remove(lists)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _put_text(sheet: Worksheet, row: int, column: int, value: str) -> Cell:
    """Write text as text: openpyxl would store a value starting with "=" as a formula Excel then runs."""
    cell = sheet.cell(row=row, column=column, value=value)
    cell.data_type = "s"
    return cell


def _sheet_title(kind_title: str) -> str:
    title = " ".join(kind_title.translate(_SHEET_NAME_FORBIDDEN).split()).strip("'")[:_SHEET_NAME_LIMIT].strip()
    if not title or title.casefold() in (INSTRUCTIONS_SHEET.casefold(), LISTS_SHEET.casefold()):
        return "Data"
    return title


def _write_headers(sheet: Worksheet, columns: Sequence[ColumnSpec], language: Language) -> None:
    for index, column in enumerate(columns, start=1):
        label = column_label(column, language)
        cell = _put_text(sheet, 1, index, label)
        cell.font = _BOLD
        cell.fill = _REQUIRED_FILL if column.required else _HEADER_FILL
        cell.comment = _header_note(column, language)
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = min(max(len(label) + 4, 14), 50)
        if column.kind in _TEXT_KINDS:
            sheet.column_dimensions[letter].number_format = "@"
        elif column.kind == "date":
            sheet.column_dimensions[letter].number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"


def _header_note(column: ColumnSpec, language: Language) -> Comment:
    words = _WORDS[language]
    lines = [words["required"] if column.required else words["optional"]]
    description = _text(column.description, language)
    if description:
        lines.append(description)
    lines.append(_accepted(column, language, limit=15))
    text = "\n".join(lines)
    # The default note box is too small for a description; size it to the text (about 40 characters a line).
    height = 20 * (sum(len(line) // 40 + 1 for line in lines) + 1)
    return Comment(text, "ACSG", height=min(height, 400), width=300)


def _add_checks(sheet: Worksheet, lists: Worksheet, letter: str, column: ColumnSpec, language: Language) -> None:
    cells = f"{letter}2:{letter}{_LAST_ROW}"
    words = _WORDS[language]
    validation: DataValidation | None = None
    choices = _choices(column, language)
    if choices:
        validation = DataValidation(type="list", formula1=_list_formula(lists, choices), allow_blank=True)
        validation.error = words["not_listed"]
        # One value from a drop-down cannot express "a; b": multi-value columns show the list but accept text.
        validation.showErrorMessage = column.kind not in _MULTI_VALUE_KINDS
    elif column.kind == "date":
        validation = DataValidation(type="date", operator="between", formula1="1", formula2="2958465")
        validation.error = words["not_date"]
        validation.showErrorMessage = True
    elif column.kind in ("int", "float"):
        kind: Literal["whole", "decimal"] = "whole" if column.kind == "int" else "decimal"
        validation = DataValidation(type=kind, operator="between", formula1="-1E+15", formula2="1E+15")
        validation.error = words["not_number"]
        validation.showErrorMessage = True
    if validation is None:
        return
    # A warning, never a stop: the reader accepts more forms (labels, 07.03.2024...) than Excel's checks know.
    validation.errorStyle = "warning"
    validation.errorTitle = words["check"][:32]
    validation.promptTitle = column_label(column, language)[:32]
    validation.prompt = _accepted(column, language, limit=8)[:255]
    validation.showInputMessage = True
    validation.add(cells)
    sheet.add_data_validation(validation)


def _list_formula(lists: Worksheet, choices: Sequence[str]) -> str:
    inline = ",".join(choices)
    if len(inline) <= _INLINE_LIST_LIMIT and not any("," in choice or '"' in choice for choice in choices):
        return f'"{inline}"'
    # Long lists (or values with commas) go on the hidden sheet, one column per list, referenced by range.
    column = 1 if lists["A1"].value is None else lists.max_column + 1
    for row, choice in enumerate(choices, start=1):
        _put_text(lists, row, column, choice)
    letter = get_column_letter(column)
    return f"{LISTS_SHEET}!${letter}$1:${letter}${len(choices)}"


def _write_instructions(sheet: Worksheet, columns: Sequence[ColumnSpec], language: Language) -> None:
    words = _WORDS[language]
    headings = [words["column"], words["required"], words["description"], words["accepted"], words["key"]]
    rows = [headings] + [
        [
            column_label(column, language),
            words["yes"] if column.required else words["no"],
            _text(column.description, language),
            _accepted(column, language),
            column.key,
        ]
        for column in columns
    ]
    for row_number, values in enumerate(rows, start=1):
        for column_number, value in enumerate(values, start=1):
            _put_text(sheet, row_number, column_number, value)
    for cell in sheet[1]:
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = _WRAP
    for letter, width in zip("ABCDE", (30, 14, 60, 60, 24), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"


# --- CSV --------------------------------------------------------------------------------------------------


def build_csv_template(columns: Sequence[ColumnSpec], *, language: Language, delimiter: str | None = None) -> bytes:
    """The header row, UTF-8 with a BOM (without it Excel misreads accents).

    The delimiter defaults to what Excel expects in the language's usual locale: a comma in English, a
    semicolon in French and Spanish (where the comma is the decimal separator). The reader accepts both.
    """
    separator = delimiter or ("," if language == "en" else ";")
    output = io.StringIO()
    csv.writer(output, delimiter=separator, lineterminator="\r\n").writerow(
        [column_label(column, language) for column in columns]
    )
    return codecs.BOM_UTF8 + output.getvalue().encode("utf-8")


# --- JSON Schema ------------------------------------------------------------------------------------------

_JSON_TYPES: dict[ColumnKind, dict[str, Any]] = {
    "text": {"type": "string"},
    "date": {"type": "string", "format": "date"},
    "bool": {"type": "boolean"},
    "int": {"type": "integer"},
    "float": {"type": "number"},
    "country": {"type": "string", "pattern": "^[A-Z]{3}$"},
    "list": {"type": "array", "items": {"type": "string"}},
    "code": {"type": "string"},
    "codes": {"type": "array", "items": {"type": "string"}},
}


def json_schema(kind_title: str, columns: Sequence[ColumnSpec]) -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of an array of objects keyed by column key, in canonical form.

    The reader is more lenient (labels as keys, dates as 07/03/2024, country names, ";"-separated text for
    lists); the schema describes the form programs should send. Optional columns may be null.
    """
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": kind_title,
        "type": "array",
        "items": {
            "type": "object",
            "properties": {column.key: _property(column) for column in columns},
            "required": [column.key for column in columns if column.required],
            "additionalProperties": False,
        },
    }


def _property(column: ColumnSpec) -> dict[str, Any]:
    schema: dict[str, Any] = {"title": column_label(column, "en")}
    description = _text(column.description, "en")
    if column.kind == "country":
        description = "ISO 3166-1 alpha-3 code" + (f". {description}" if description else "")
    if description:
        schema["description"] = description
    typed = _typed(column)
    return {**schema, **(typed if column.required else _nullable(typed))}


def _typed(column: ColumnSpec) -> dict[str, Any]:
    typed = dict(_JSON_TYPES[column.kind])
    if column.choices is None or column.kind in ("bool", "int", "float"):
        return typed
    enum = list(column.choices)
    if typed["type"] == "array":
        typed["items"] = {"type": "string", "enum": enum}
    else:
        typed["enum"] = enum
    return typed


def _nullable(typed: dict[str, Any]) -> dict[str, Any]:
    nullable = {**typed, "type": [typed["type"], "null"]}
    if "enum" in typed:
        nullable["enum"] = [*typed["enum"], None]
    return nullable
