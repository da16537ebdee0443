"""Files as country offices produce them: CSV in several encodings and delimiters, XLSX, JSON."""

from __future__ import annotations

import codecs
import csv
import io
import json
from typing import Any

import httpx
import openpyxl

REQUEST_HEADERS = {
    "en": [
        "External ID",
        "Country",
        "Title",
        "Status",
        "Urgency",
        "Languages",
        "Start date",
        "End date",
        "Public summary",
        "Confidential details",
        "Component",
        "Area",
        "Modalities",
        "Support types",
        "Component description",
    ],
    "fr": [
        "Identifiant externe",
        "Pays",
        "Titre",
        "Statut",
        "Urgence",
        "Langues",
        "Date de début",
        "Date de fin",
        "Résumé public",
        "Détails confidentiels",
        "Composante",
        "Domaine",
        "Modalités",
        "Types d'appui",
        "Description de la composante",
    ],
    "es": [
        "Identificador externo",
        "País",
        "Título",
        "Estado",
        "Urgencia",
        "Idiomas",
        "Fecha de inicio",
        "Fecha de finalización",
        "Resumen público",
        "Detalles confidenciales",
        "Componente",
        "Área",
        "Modalidades",
        "Tipos de apoyo",
        "Descripción del componente",
    ],
}


def request_row(
    external_id: str,
    *,
    country: str = "NER",
    title: str = "Training of eligibility officers",
    status: str = "draft",
    component: int | str = 1,
    area: str = "procedures.rsd",
    modalities: str = "training; remote_advice",
    support_types: str = "technical",
    starts_on: str = "07/03/2024",
    ends_on: str = "2025-12-31",
    description: str = "Interview techniques",
    summary: str = "Support to first-instance decisions",
    confidential: str = "Contact the director",
    urgency: str = "high",
    languages: str = "fr; en",
) -> list[Any]:
    return [
        external_id,
        country,
        title,
        status,
        urgency,
        languages,
        starts_on,
        ends_on,
        summary,
        confidential,
        component,
        area,
        modalities,
        support_types,
        description,
    ]


def csv_bytes(rows: list[list[Any]], *, delimiter: str = ",", encoding: str = "utf-8-sig") -> bytes:
    output = io.StringIO()
    csv.writer(output, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    text = output.getvalue()
    if encoding == "utf-16":
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    return text.encode(encoding)


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def json_bytes(items: list[dict[str, Any]]) -> bytes:
    return json.dumps(items, ensure_ascii=False).encode()


async def upload(
    http: httpx.AsyncClient,
    kind: str,
    content: bytes,
    *,
    filename: str = "file.csv",
    expect: int = 200,
    **form: Any,
) -> dict[str, Any]:
    data = {key: str(value).lower() if isinstance(value, bool) else str(value) for key, value in form.items()}
    response = await http.post(f"/api/v1/imports/{kind}", files={"file": (filename, content)}, data=data)
    assert response.status_code == expect, response.text
    body: dict[str, Any] = response.json()
    return body


def outcomes(job: dict[str, Any]) -> list[str]:
    return [record["outcome"] for record in job["records"]]


def errors(job: dict[str, Any]) -> list[tuple[int | None, str | None, str]]:
    return [(i["row"], i["column"], i["message"]) for i in job["issues"] if i["severity"] == "error"]
