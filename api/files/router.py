"""Stored files: upload to an owner record, metadata, download, removal."""

from __future__ import annotations

import uuid
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, Response, UploadFile, status

from api.auth.dependencies import ActorDep, SignedInDep
from api.core.db import SessionDep
from api.files import schemas, service

router = APIRouter(prefix="/files", tags=["files"])


async def _read_capped(upload: UploadFile, limit: int) -> bytes:
    """At most `limit + 1` bytes: enough to tell the file is too large without reading all of it."""
    return await upload.read(limit + 1)


@router.post("", response_model=schemas.StoredFileOut, status_code=status.HTTP_201_CREATED)
async def upload_file(
    request: Request,
    session: SessionDep,
    actor: SignedInDep,
    file: Annotated[UploadFile, File(description="PDF, PNG, JPEG, DOCX, XLSX, ODT, text or CSV")],
    owner_type: Annotated[str, Form(max_length=40, description="The kind of record, e.g. `knowledge_item`")],
    owner_id: Annotated[uuid.UUID, Form()],
    title: Annotated[str | None, Form(max_length=300)] = None,
) -> schemas.StoredFileOut:
    """Attach a file to a record you may edit. The type is sniffed from the bytes (executables, HTML and SVG
    are refused); the size limit is `MAX_FILE_BYTES`."""
    limit = request.app.state.settings.max_file_bytes
    record = await service.upload(
        session,
        actor=actor,
        owner_type=owner_type,
        owner_id=owner_id,
        file_name=file.filename,
        data=await _read_capped(file, limit),
        max_bytes=limit,
        title=title.strip() or None if title else None,
    )
    return schemas.StoredFileOut.of(record)


@router.get("/{file_id}", response_model=schemas.StoredFileOut)
async def get_file(file_id: uuid.UUID, session: SessionDep, actor: ActorDep) -> schemas.StoredFileOut:
    """A file's metadata, for those who may see the record it belongs to."""
    return schemas.StoredFileOut.of(await service.readable(session, actor=actor, file_id=file_id, with_content=False))


@router.get(
    "/{file_id}/content",
    response_class=Response,
    responses={200: {"description": "The file's bytes", "content": {"application/octet-stream": {}}}},
)
async def download_file(file_id: uuid.UUID, session: SessionDep, actor: ActorDep) -> Response:
    """The file, always as an attachment with its sniffed type and `X-Content-Type-Options: nosniff`."""
    record = await service.readable(session, actor=actor, file_id=file_id, with_content=True)
    ascii_name = record.file_name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(record.file_name)}"
    return Response(
        content=record.content,
        media_type=record.content_type,
        headers={
            "Content-Disposition": disposition,
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "ETag": f'"{record.sha256}"',
        },
    )


@router.delete("/{file_id}", status_code=status.HTTP_204_NO_CONTENT, response_class=Response)
async def delete_file(file_id: uuid.UUID, session: SessionDep, actor: SignedInDep) -> Response:
    """Remove a file from a record you may edit."""
    await service.remove(session, actor=actor, file_id=file_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
