"""The embedded PostgreSQL (pgserver) used when no DATABASE_URL is given.

pgserver ships PostgreSQL binaries in a wheel; the data lives under `<data_dir>/<name>` and is kept between
runs. The server stops when the last process that asked for it exits, so Ctrl-C on `make run` stops it too.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

log = logging.getLogger(__name__)


def _server(data_dir: Path, name: str) -> Any:
    os.environ.setdefault("XDG_RUNTIME_DIR", tempfile.gettempdir())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgserver  # imported lazily: production never needs it

    path = (data_dir / name).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return pgserver.get_server(path, cleanup_mode="stop")  # type: ignore[attr-defined]


def embedded_server_url(data_dir: Path, *, name: str = "pg", database: str = "acsg") -> str:
    """Start (or join) the embedded server and return an asyncpg URL for `database`, creating it if needed."""
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,62}", database):
        raise ValueError(f"unsafe database name {database!r}")
    server = _server(data_dir, name)
    # psql takes no bind parameters; the name was checked against a strict pattern above.
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")  # noqa: S608
    if "(1 row)" not in exists:
        server.psql(f'CREATE DATABASE "{database}";')
        log.info("embedded database created", extra={"database": database})
    return asyncpg_url(server.get_uri(), database=database)


def asyncpg_url(libpq_uri: str, *, database: str) -> str:
    """Turn pgserver's `postgresql://postgres:@/postgres?host=/socket/dir` into a SQLAlchemy asyncpg URL."""
    parsed = urlparse(libpq_uri)
    host = parse_qs(parsed.query).get("host", [""])[0]
    user = parsed.username or "postgres"
    return f"postgresql+asyncpg://{user}@/{database}?host={host}"
