"""ASGI middleware: request id, access log, security headers, body size limit, NUL characters in queries."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl

from fastapi import HTTPException

from api.core.config import Settings
from api.core.errors import NUL_REFUSED, FieldError, envelope_response
from api.core.logging import request_id_var

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger("api.access")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

# The SPA is served from the same origin; Mantine sets inline styles, so style-src allows them.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


class RequestContextMiddleware:
    """Gives each request an id (kept from `X-Request-ID` when well-formed), returns it, and logs one line.

    The log line holds no personal data: method, route path, status, duration, request id.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status_holder = {"status": 500}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                message.setdefault("headers", []).append((b"x-request-id", request_id.encode()))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            route = scope.get("route")
            path = getattr(route, "path", None) or "(unmatched)"
            log.info(
                "request",
                extra={
                    "method": scope.get("method"),
                    "route": path,
                    "status": status_holder["status"],
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )
            request_id_var.reset(token)


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.hsts = settings.is_https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = self.hsts or scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.setdefault("headers", [])
                present = {name.lower() for name, _ in headers}
                additions = [
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"strict-origin-when-cross-origin"),
                    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
                    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
                    (b"cross-origin-opener-policy", b"same-origin"),
                ]
                if https:
                    additions.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))
                headers.extend((name, value) for name, value in additions if name not in present)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodySizeLimitMiddleware:
    """Refuses bodies over the limit with 413 before the app reads them (uploads have their own limit)."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.default_limit = settings.max_body_bytes
        self.upload_limit = settings.max_upload_bytes

    def _limit(self, scope: Scope) -> int:
        content_type = dict(scope.get("headers") or []).get(b"content-type", b"")
        return self.upload_limit if content_type.startswith(b"multipart/form-data") else self.default_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse(scope, receive, send, limit)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # FastAPI re-raises HTTPException from body reading (anything else becomes a 400).
                    raise HTTPException(413, detail=f"The request body is larger than the {limit} bytes allowed")
            return message

        await self.app(scope, counting_receive, send)

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        response = envelope_response(413, f"The request body is larger than the {limit} bytes allowed")
        await response(scope, receive, send)


class QueryNulMiddleware:
    """Refuses a query parameter holding the NUL character (`%00`) with a 422 naming it: PostgreSQL cannot take
    it in a text value, so it would otherwise fail inside whatever query the parameter reaches. (Bodies are
    checked by their models: api/core/schemas.py.)"""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        query: bytes = scope.get("query_string", b"") if scope["type"] == "http" else b""
        if b"%00" in query or b"\x00" in query:
            names = sorted(
                {
                    name
                    for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True)
                    if "\x00" in name or "\x00" in value
                }
            )
            if names:
                fields = [FieldError(field=f"query.{name.replace(chr(0), '')}", message=NUL_REFUSED) for name in names]
                response = envelope_response(422, f"Invalid input: {', '.join(f.field for f in fields)}", fields=fields)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
