"""Stored file metadata as callers see it (the bytes come from the download endpoint)."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from api.core.schemas import ReadModel


class StoredFileOut(ReadModel):
    id: uuid.UUID
    owner_type: str
    owner_id: uuid.UUID
    file_name: str = Field(description="Sanitised; its extension is the one of the sniffed type")
    title: str | None
    content_type: str = Field(description="Sniffed from the bytes, not the type the uploader declared")
    size_bytes: int
    sha256: str
    created_at: datetime
    download_url: str

    @classmethod
    def of(cls, record: object) -> StoredFileOut:
        values = {key: getattr(record, key) for key in cls.model_fields if key != "download_url"}
        return cls(**values, download_url=f"/api/v1/files/{values['id']}/content")
