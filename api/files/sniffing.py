"""What a file really is, read from its bytes: the declared content type and the extension are not trusted.

Allowed: PDF, PNG, JPEG, DOCX, XLSX, ODT, plain text and CSV. Refused with a reason: executables and scripts,
HTML, SVG and other markup, macro-enabled Office files, archives and anything unrecognised.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
TEXT = "text/plain"
CSV = "text/csv"

EXTENSIONS: dict[str, tuple[str, ...]] = {
    PDF: (".pdf",),
    PNG: (".png",),
    JPEG: (".jpg", ".jpeg"),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
    ODT: (".odt",),
    TEXT: (".txt", ".md", ".text"),
    CSV: (".csv",),
}

_EXECUTABLE_MAGIC = (
    b"MZ",  # Windows PE
    b"\x7fELF",  # Linux
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",  # Mach-O
    b"\xca\xfe\xba\xbe",  # Mach-O universal, Java class
    b"#!",  # scripts
    b"\x00asm",  # WebAssembly
)
# Markup a browser could render or run, looked for at the start of a text file (after a BOM and blanks).
_MARKUP_STARTS = (b"<", b"\xef\xbb\xbf<")
_MARKUP_ANYWHERE = (b"<script", b"<html", b"<svg", b"<!doctype", b"<iframe", b"<?xml", b"<body", b"<object")


class RefusedFile(ValueError):
    """The bytes are not of an allowed type; the message says why, for the uploader."""


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    extension: str


def _zip_type(data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if "mimetype" in names:
            # ODF: the first entry, stored uncompressed, names the type (read at most 100 bytes).
            with archive.open("mimetype") as entry:
                declared = entry.read(100).decode("ascii", "replace").strip()
            if declared == ODT:
                return ODT
            raise RefusedFile(f"OpenDocument files of type '{declared[:60]}' are not accepted; send an ODT text")
    except zipfile.BadZipFile as exc:
        raise RefusedFile("The file looks like a damaged ZIP archive") from exc
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise RefusedFile("Office files with macros are not accepted")
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
    raise RefusedFile("ZIP archives are not accepted (only DOCX, XLSX and ODT documents)")


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _looks_like_markup(data: bytes) -> bool:
    head = data[:4096].lstrip().lower()
    if head.startswith(_MARKUP_STARTS):
        return True
    return any(marker in head for marker in _MARKUP_ANYWHERE)


def sniff(data: bytes, *, file_name: str) -> Sniffed:
    """The real type of `data`; `file_name` only chooses between plain text and CSV for text files."""
    if data.startswith(b"%PDF-"):
        return Sniffed(PDF, ".pdf")
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed(PNG, ".png")
    if data.startswith(b"\xff\xd8\xff"):
        return Sniffed(JPEG, ".jpg")
    if data.startswith(b"PK\x03\x04"):
        content_type = _zip_type(data)
        return Sniffed(content_type, EXTENSIONS[content_type][0])
    if data.startswith(_EXECUTABLE_MAGIC):
        raise RefusedFile("Executable files and scripts are not accepted")
    if _is_text(data):
        if _looks_like_markup(data):
            raise RefusedFile("HTML, SVG and other markup files are not accepted")
        if file_name.lower().endswith(".csv"):
            return Sniffed(CSV, ".csv")
        return Sniffed(TEXT, ".txt")
    raise RefusedFile("This type of file is not accepted: send a PDF, PNG, JPEG, DOCX, XLSX, ODT, text or CSV file")
