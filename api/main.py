"""create_app(): the FastAPI application, its middleware, error handlers, routers and the SPA."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, Response
from fastapi.routing import APIRoute
from starlette.middleware.gzip import GZipMiddleware

from api.core.config import Settings, get_settings
from api.core.db import Database, make_engine, resolve_database_url
from api.core.errors import NotFound, envelope_response, install_error_handlers
from api.core.middleware import (
    BodySizeLimitMiddleware,
    QueryNulMiddleware,
    RequestContextMiddleware,
    SecurityHeadersMiddleware,
)
from api.router import api_router
from api.system.router import probes

log = logging.getLogger(__name__)

# The built SPA; ACSG_SPA_DIST points elsewhere (e.g. a second build used by parallel browser-test runs).
SPA_DIST = Path(os.environ.get("ACSG_SPA_DIST") or Path(__file__).parent.parent / "frontend" / "dist").resolve()
API_TITLE = "ACSG platform API"
API_VERSION = "1.0.0"


def operation_id(route: APIRoute) -> str:
    """Operation ids are the handler names (a test checks they are unique)."""
    return route.name


def create_app(settings: Settings | None = None, database: Database | None = None) -> FastAPI:
    settings = settings or get_settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owns_database = getattr(app.state, "database", None) is None
        if owns_database:
            url = await asyncio.to_thread(resolve_database_url, settings)
            app.state.database = Database(make_engine(url))
        worker_task = None
        if settings.run_worker_in_process and settings.env != "testing":
            from api.worker import run_forever

            worker_task = asyncio.create_task(run_forever(app.state.database, settings))
        try:
            yield
        finally:
            if worker_task is not None:
                worker_task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await worker_task
            if owns_database:
                await app.state.database.dispose()

    app = FastAPI(
        title=API_TITLE,
        version=API_VERSION,
        description=(
            "System of record for the Asylum Capacity Support Group (ACSG): pledges, support requests and offers, "
            "matching, two-party consent, progress reports and the public portal. Errors use one envelope: "
            '`{"error": "<Code>", "detail": "<text>", "fields": [...]}`.'
        ),
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
        generate_unique_id_function=operation_id,
        lifespan=lifespan,
    )
    app.state.settings = settings
    if database is not None:
        app.state.database = database

    install_error_handlers(app)
    app.include_router(probes)
    app.include_router(api_router)
    _mount_spa(app)

    # Added innermost first: the request id wraps everything, so even a 413 carries one.
    app.add_middleware(GZipMiddleware, minimum_size=1000)
    app.add_middleware(BodySizeLimitMiddleware, settings=settings)
    app.add_middleware(QueryNulMiddleware)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=True,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=[
                "Content-Type",
                "Authorization",
                "X-CSRF-Token",
                "If-Match",
                "Idempotency-Key",
                "X-Request-ID",
            ],
            expose_headers=["ETag", "X-Request-ID", "Retry-After", "Location"],
        )
    app.add_middleware(SecurityHeadersMiddleware, settings=settings)
    app.add_middleware(RequestContextMiddleware)
    return app


def app_from_environment() -> FastAPI:
    """The app as uvicorn's worker processes build it (`acsg serve --workers N`)."""
    from api.core.logging import configure_logging

    settings = get_settings()
    configure_logging(settings.log_level)
    return create_app(settings)


def _mount_spa(app: FastAPI) -> None:
    """Serve the built SPA at `/`; client-side routes fall back to index.html. `/api/...` never does."""

    @app.get("/{path:path}", include_in_schema=False)
    async def spa(path: str, request: Request) -> Response:
        if path == "api" or path.startswith("api/"):
            raise NotFound("No such resource")
        index = SPA_DIST / "index.html"
        if not index.is_file():
            return envelope_response(
                503, "The web interface is not built; run `make run` or `make spa`", code="SPANotBuilt"
            )
        candidate = (SPA_DIST / path).resolve()
        if path and candidate.is_file() and SPA_DIST in candidate.parents:
            cache = "public, max-age=31536000, immutable" if path.startswith("assets/") else "public, max-age=3600"
            return FileResponse(candidate, headers={"Cache-Control": cache})
        return FileResponse(index, headers={"Cache-Control": "no-cache"})
