"""Stored files: upload (size and type limits, sniffed type, sha256, sanitised name), download and removal.

Files belong to an owner record (`owner_type`, `owner_id`). Each domain that owns files registers how to
decide, for a caller, whether they may read the owner (and so download its files) and whether they may attach
files to it or remove them; this module knows no domain. A file whose owner the caller may not read is a 404.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from api.core import audit
from api.core.actor import Actor
from api.core.errors import FieldError, Forbidden, NotFound, PayloadTooLarge, ValidationFailed, field_error
from api.files import repository
from api.files.sniffing import EXTENSIONS, RefusedFile, sniff
from api.models.files import StoredFile

OwnerCheck = Callable[[AsyncSession, Actor, uuid.UUID], Awaitable[bool]]


@dataclass(frozen=True)
class FileOwner:
    can_read: OwnerCheck
    can_write: OwnerCheck | None


_OWNERS: dict[str, FileOwner] = {}


def register_file_owner(owner_type: str, can_read: OwnerCheck, *, can_write: OwnerCheck | None = None) -> None:
    """Declare a kind of record that owns files. `can_read(session, actor, owner_id)` says whether `actor`
    may see the owner (and so download its files); `can_write` whether they may attach and remove files
    (without it, files are attached only by the owner's own service, through `store`)."""
    _OWNERS[owner_type] = FileOwner(can_read, can_write)


def owner_types() -> list[str]:
    return sorted(_OWNERS)


def _owner(owner_type: str, field: str = "owner_type") -> FileOwner:
    owner = _OWNERS.get(owner_type)
    if owner is None:
        raise field_error(field, f"Unknown owner type; use one of {', '.join(owner_types()) or '(none)'}")
    return owner


_UNSAFE_NAME = re.compile(r"[^\w.\- ()]+", re.UNICODE)


def sanitise_file_name(name: str | None, *, extension: str, allowed_extensions: tuple[str, ...]) -> str:
    """A file name safe in a header and on any disk: no directories, no control or reserved characters, no
    leading dots, at most 120 characters; its extension is the one of the sniffed type."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFC", base)
    base = _UNSAFE_NAME.sub("_", base).strip(" ._")
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    if f".{ext.lower()}" not in allowed_extensions:
        stem = base if not dot else f"{stem}_{ext}" if ext else stem
        ext = extension.lstrip(".")
    stem = re.sub(r"_+", "_", stem).strip(" ._")[:110] or "file"
    return f"{stem}.{ext.lower()}"


async def store(
    session: AsyncSession,
    *,
    actor: Actor,
    owner_type: str,
    owner_id: uuid.UUID,
    file_name: str | None,
    data: bytes,
    max_bytes: int,
    title: str | None = None,
    field: str = "file",
) -> StoredFile:
    """Keep an uploaded file for an owner (the caller's right to attach was checked by the owner's rules).

    413 above `max_bytes`; 422 naming `field` when empty or of a refused type."""
    _owner(owner_type)
    if len(data) > max_bytes:
        message = f"The file is larger than the {max_bytes} bytes allowed"
        raise PayloadTooLarge(message, fields=[FieldError(field=field, message=message, type="file_too_large")])
    if not data:
        raise field_error(field, "The file is empty")
    try:
        sniffed = sniff(data, file_name=file_name or "")
    except RefusedFile as exc:
        raise ValidationFailed(
            str(exc), code="UnsupportedFileType", fields=[FieldError(field=field, message=str(exc), type="file_type")]
        ) from exc
    record = StoredFile(
        owner_type=owner_type,
        owner_id=owner_id,
        file_name=sanitise_file_name(
            file_name, extension=sniffed.extension, allowed_extensions=EXTENSIONS[sniffed.content_type]
        ),
        title=title,
        content_type=sniffed.content_type,
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
        uploaded_by_user_id=actor.user_id,
    )
    session.add(record)
    audit.label(session, record, "stored_files.upload", note=f"{owner_type}:{owner_id}")
    await session.flush()
    return record


async def upload(
    session: AsyncSession,
    *,
    actor: Actor,
    owner_type: str,
    owner_id: uuid.UUID,
    file_name: str | None,
    data: bytes,
    max_bytes: int,
    title: str | None = None,
) -> StoredFile:
    """Attach a file through the generic endpoint: the owner's `can_write` decides (404 when the caller may
    not even see the owner)."""
    owner = _owner(owner_type)
    if not await owner.can_read(session, actor, owner_id):
        raise NotFound("No such record to attach a file to")
    if owner.can_write is None or not await owner.can_write(session, actor, owner_id):
        raise Forbidden("You may not attach files to this record")
    return await store(
        session,
        actor=actor,
        owner_type=owner_type,
        owner_id=owner_id,
        file_name=file_name,
        data=data,
        max_bytes=max_bytes,
        title=title,
    )


async def readable(session: AsyncSession, *, actor: Actor, file_id: uuid.UUID, with_content: bool) -> StoredFile:
    """The file if the caller may read its owner; otherwise 404 (never a 403 that confirms it exists)."""
    record = await repository.get(session, file_id, with_content=with_content)
    if record is None:
        raise NotFound("No such file")
    owner = _OWNERS.get(record.owner_type)
    if owner is None or not await owner.can_read(session, actor, record.owner_id):
        raise NotFound("No such file")
    return record


async def remove(session: AsyncSession, *, actor: Actor, file_id: uuid.UUID) -> None:
    """Delete a file (the owner's `can_write` decides)."""
    record = await readable(session, actor=actor, file_id=file_id, with_content=False)
    owner = _OWNERS[record.owner_type]
    if owner.can_write is None or not await owner.can_write(session, actor, record.owner_id):
        raise Forbidden("You may not remove files from this record")
    audit.label(session, record, "stored_files.remove", note=f"{record.owner_type}:{record.owner_id}")
    await session.delete(record)
    await session.flush()


async def files_of(
    session: AsyncSession, owner_type: str, owner_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[StoredFile]]:
    """The files of these owners (metadata only), oldest first. The caller checked it may read the owners."""
    return await repository.of_owners(session, owner_type, owner_ids)
