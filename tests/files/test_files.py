"""Stored files: the type is sniffed from the bytes, sizes are limited, downloads are attachments whose
visibility is the owner's."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest

from api.files.service import sanitise_file_name
from api.files.sniffing import CSV, DOCX, JPEG, ODT, PDF, PNG, TEXT, XLSX, RefusedFile, sniff
from tests.knowledge.conftest import Editors

PDF_BYTES = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX_BYTES = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


class TestSniffing:
    @pytest.mark.parametrize(
        ("data", "name", "expected"),
        [
            (PDF_BYTES, "report.docx", PDF),
            (PNG_BYTES, "photo.jpg", PNG),
            (b"\xff\xd8\xff\xe0" + b"\x00" * 16, "x", JPEG),
            (DOCX_BYTES, "a.pdf", DOCX),
            (_zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}), "s", XLSX),
            (_zip({"mimetype": ODT.encode(), "content.xml": b"<office/>"}), "t.odt", ODT),
            ("Entretiens à distance\n".encode(), "notes", TEXT),
            (b"country,area\nNER,procedures.rsd\n", "data.csv", CSV),
        ],
    )
    def test_the_type_comes_from_the_bytes(self, data: bytes, name: str, expected: str) -> None:
        assert sniff(data, file_name=name).content_type == expected

    @pytest.mark.parametrize(
        ("data", "reason"),
        [
            (b"MZ\x90\x00\x03" + b"\x00" * 40, "Executable"),
            (b"\x7fELF\x02\x01\x01" + b"\x00" * 20, "Executable"),
            (b"#!/bin/sh\nrm -rf /\n", "Executable"),
            (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "HTML"),
            (b"  <svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "HTML"),
            (b"hello <script>alert(1)</script>", "HTML"),
            (
                _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"x", "word/vbaProject.bin": b"x"}),
                "macros",
            ),
            (_zip({"evil.exe": b"MZ"}), "ZIP"),
            (b"\x00\x01\x02\x03 binary", "not accepted"),
        ],
    )
    def test_dangerous_or_unknown_files_are_refused(self, data: bytes, reason: str) -> None:
        with pytest.raises(RefusedFile, match=reason):
            sniff(data, file_name="harmless.pdf")

    def test_file_names_are_sanitised_and_take_the_sniffed_extension(self) -> None:
        pdf = (".pdf",)
        assert sanitise_file_name("../../etc/passwd", extension=".pdf", allowed_extensions=pdf) == "passwd.pdf"
        assert sanitise_file_name("C:\\temp\\Rapport final.pdf", extension=".pdf", allowed_extensions=pdf) == (
            "Rapport final.pdf"
        )
        assert sanitise_file_name('a"b<c>\r\n.exe', extension=".pdf", allowed_extensions=pdf).endswith(".pdf")
        assert '"' not in sanitise_file_name('a"b<c>\r\n.exe', extension=".pdf", allowed_extensions=pdf)
        assert sanitise_file_name("", extension=".png", allowed_extensions=(".png",)) == "file.png"
        assert (
            sanitise_file_name("Informe técnico.PDF", extension=".pdf", allowed_extensions=pdf) == "Informe técnico.pdf"
        )


async def _upload(
    client: Any, item: dict[str, Any], data: bytes, name: str, content_type: str = "application/pdf"
) -> Any:
    return await client.post(
        "/api/v1/files",
        data={"owner_type": "knowledge_item", "owner_id": item["id"], "title": "Annex"},
        files={"file": (name, data, content_type)},
    )


class TestUploadAndDownload:
    async def test_an_editor_attaches_a_file_that_the_item_lists(self, editors: Editors) -> None:
        item = await editors.draft()
        response = await _upload(editors.focal_point, item, PNG_BYTES, "scan.pdf", "application/pdf")
        assert response.status_code == 201, response.text
        stored = response.json()
        assert stored["content_type"] == "image/png" and stored["file_name"] == "scan_pdf.png"
        assert stored["size_bytes"] == len(PNG_BYTES) and len(stored["sha256"]) == 64
        read = (await editors.focal_point.get(f"/api/v1/knowledge/items/{item['id']}")).json()
        assert [(a["kind"], a["file_id"]) for a in read["attachments"]] == [("file", stored["id"])]

    async def test_downloads_are_attachments_with_the_sniffed_type_and_nosniff(self, editors: Editors) -> None:
        item = await editors.draft()
        stored = (await _upload(editors.focal_point, item, PDF_BYTES, "Informe técnico.pdf", "text/html")).json()
        response = await editors.viewer.get(stored["download_url"])
        assert response.status_code == 200 and response.content == PDF_BYTES
        assert response.headers["content-type"] == "application/pdf"
        assert response.headers["x-content-type-options"] == "nosniff"
        disposition = response.headers["content-disposition"]
        assert disposition.startswith('attachment; filename="Informe t_cnico.pdf"')
        assert "filename*=UTF-8''Informe%20t%C3%A9cnico.pdf" in disposition

    async def test_a_draft_s_files_are_hidden_like_the_draft_then_public_once_published(self, editors: Editors) -> None:
        item = await editors.draft()
        stored = (await _upload(editors.focal_point, item, PDF_BYTES, "a.pdf")).json()
        assert (await editors.anonymous.get(stored["download_url"])).status_code == 404
        assert (await editors.stranger.get(f"/api/v1/files/{stored['id']}")).status_code == 404
        await editors.act(editors.focal_point, item, "submit")
        await editors.act(editors.secretariat, item, "publish")
        assert (await editors.anonymous.get(stored["download_url"])).status_code == 200

    async def test_too_large_files_are_refused(self, editors: Editors, app: Any) -> None:
        app.state.settings.max_file_bytes = 64
        item = await editors.draft()
        response = await _upload(editors.focal_point, item, PDF_BYTES + b"x" * 100, "big.pdf")
        assert response.status_code == 413 and response.json()["fields"][0]["field"] == "file"

    @pytest.mark.parametrize(
        ("data", "name"),
        [
            (b"<html><body onload=alert(1)>x</body></html>", "page.pdf"),
            (b"<svg onload=alert(1)/>", "image.png"),
            (b"MZ\x90\x00" + b"\x00" * 60, "tool.pdf"),
            (b"", "empty.pdf"),
        ],
    )
    async def test_refused_types_name_the_file_field(self, editors: Editors, data: bytes, name: str) -> None:
        item = await editors.draft()
        response = await _upload(editors.focal_point, item, data, name)
        assert response.status_code == 422 and response.json()["fields"][0]["field"] == "file"

    async def test_only_those_who_may_edit_the_owner_attach_or_remove(self, editors: Editors) -> None:
        item = await editors.published()
        assert (await _upload(editors.stranger, item, PDF_BYTES, "a.pdf")).status_code == 403
        assert (await _upload(editors.focal_point, item, PDF_BYTES, "a.pdf")).status_code == 403
        stored = (await _upload(editors.secretariat, item, PDF_BYTES, "a.pdf")).json()
        assert (await editors.focal_point.delete(f"/api/v1/files/{stored['id']}")).status_code == 403
        assert (await editors.secretariat.delete(f"/api/v1/files/{stored['id']}")).status_code == 204
        assert (await editors.secretariat.get(f"/api/v1/files/{stored['id']}")).status_code == 404

    async def test_a_hidden_owner_is_not_found_and_an_unknown_owner_type_is_named(self, editors: Editors) -> None:
        item = await editors.draft()
        assert (await _upload(editors.stranger, item, PDF_BYTES, "a.pdf")).status_code == 404
        response = await editors.focal_point.post(
            "/api/v1/files",
            data={"owner_type": "nothing", "owner_id": item["id"]},
            files={"file": ("a.pdf", PDF_BYTES, "application/pdf")},
        )
        assert response.status_code == 422 and response.json()["fields"][0]["field"] == "owner_type"
