"""The one error envelope every non-2xx response uses, the exceptions services raise, and their handlers.

`{"error": "<Code>", "detail": "<human text>", "fields": [{"field": "body.title", "message": "..."}]}`
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError
from sqlalchemy.sql.schema import ColumnCollectionConstraint
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)


# PostgreSQL cannot store the NUL character in text: bodies, query parameters and the database net all say so.
NUL_REFUSED = "Text may not contain the NUL character (\\u0000)"


class FieldError(BaseModel):
    field: str
    message: str
    type: str | None = None


class ErrorEnvelope(BaseModel):
    error: str
    detail: str
    fields: list[FieldError] | None = None


class AppError(Exception):
    """Base of every error a service raises on purpose; the handler turns it into the envelope."""

    status_code = 400
    code = "BadRequest"

    def __init__(
        self,
        detail: str,
        *,
        fields: Sequence[FieldError] | None = None,
        headers: dict[str, str] | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.fields = list(fields) if fields else None
        self.headers = headers
        if code:
            self.code = code


class BadRequest(AppError):
    status_code = 400
    code = "BadRequest"


class Unauthorized(AppError):
    status_code = 401
    code = "Unauthorized"


class Forbidden(AppError):
    status_code = 403
    code = "Forbidden"


class NotFound(AppError):
    status_code = 404
    code = "NotFound"


class Conflict(AppError):
    status_code = 409
    code = "Conflict"


class InvalidTransition(AppError):
    status_code = 409
    code = "InvalidTransition"


class PreconditionFailed(AppError):
    status_code = 412
    code = "PreconditionFailed"


class PayloadTooLarge(AppError):
    status_code = 413
    code = "PayloadTooLarge"


class UnsupportedMediaType(AppError):
    status_code = 415
    code = "UnsupportedMediaType"


class ValidationFailed(AppError):
    status_code = 422
    code = "ValidationError"


class PreconditionRequired(AppError):
    status_code = 428
    code = "PreconditionRequired"


class TooManyRequests(AppError):
    status_code = 429
    code = "TooManyRequests"


def field_error(field: str, message: str, type_: str | None = None) -> ValidationFailed:
    """A 422 naming one field: the usual way a service refuses a value."""
    return ValidationFailed(message, fields=[FieldError(field=field, message=message, type=type_)])


def refuse_emptied(changes: Mapping[str, Any], required: Iterable[str]) -> None:
    """A partial update may leave a required field out but not set it to null: a 422 naming the first it does."""
    for key in required:
        if key in changes and changes[key] is None:
            raise field_error(key, "May not be empty")


_STATUS_CODES = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    406: "NotAcceptable",
    409: "Conflict",
    412: "PreconditionFailed",
    413: "PayloadTooLarge",
    415: "UnsupportedMediaType",
    422: "ValidationError",
    428: "PreconditionRequired",
    429: "TooManyRequests",
    500: "InternalError",
    503: "ServiceUnavailable",
}


def envelope_response(
    status_code: int,
    detail: str,
    *,
    code: str | None = None,
    fields: Sequence[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = ErrorEnvelope(
        error=code or _STATUS_CODES.get(status_code, "Error"),
        detail=detail,
        fields=list(fields) if fields else None,
    )
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status_code, headers=headers)


def _location(loc: Sequence[Any]) -> str:
    return ".".join(str(part) for part in loc)


def validation_fields(errors: Sequence[Any]) -> list[FieldError]:
    fields: list[FieldError] = []
    for err in errors:
        kind = str(err.get("type", ""))
        message = str(err.get("msg", "Invalid value"))
        if kind == "extra_forbidden":
            message = "Unknown field"
        fields.append(FieldError(field=_location(err.get("loc", ())), message=message, type=kind or None))
    return fields


async def _app_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    return envelope_response(exc.status_code, exc.detail, code=exc.code, fields=exc.fields, headers=exc.headers)


async def _request_validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    fields = validation_fields(exc.errors())
    if any(f.type == "json_invalid" for f in fields):
        return envelope_response(400, "The request body is not valid JSON", code="MalformedJSON", fields=fields)
    names = ", ".join(sorted({f.field for f in fields}))
    return envelope_response(422, f"Invalid input: {names}", fields=fields)


async def _http_exception(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else "Request failed"
    if exc.status_code == 404 and detail == "Not Found":
        detail = "No such resource"
    if exc.status_code == 405:
        detail = "This method is not allowed on this resource"
    return envelope_response(exc.status_code, detail, headers=getattr(exc, "headers", None))


# PostgreSQL error classes that say "try again" rather than "this request is wrong": connection exceptions,
# insufficient resources (too many connections), operator intervention (shutdown, starting up), a statement
# cancelled by its timeout, and a serialization failure or deadlock between concurrent transactions.
_TRANSIENT_SQLSTATES = ("08", "53", "57P", "57014", "40001", "40P01")
RETRY_AFTER_SECONDS = 5


# Raised as they are (not wrapped by SQLAlchemy) when no pooled connection comes free in time, or the server
# refuses, resets or cannot be resolved.
_UNAVAILABLE_ERRORS = (SQLAlchemyTimeoutError, ConnectionError, TimeoutError, socket.gaierror)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """`exc` and what caused it, down to the driver's exception (a DBAPIError holds it as `orig`)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        orig = getattr(current, "orig", None)
        current = orig if isinstance(orig, BaseException) else current.__cause__ or current.__context__


def database_unavailable(exc: BaseException) -> bool:
    """Whether `exc` (or what caused it) means the database could not serve the request just now."""
    for current in _chain(exc):
        if isinstance(current, _UNAVAILABLE_ERRORS):
            return True
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return True
        code = getattr(current, "sqlstate", None) or getattr(current, "pgcode", None)
        if isinstance(code, str) and code.startswith(_TRANSIENT_SQLSTATES):
            return True
    return False


def _sqlstate(exc: BaseException) -> tuple[str, BaseException] | None:
    """The PostgreSQL error code behind `exc` and the innermost exception carrying it (asyncpg's, which also
    names the table, column and constraint), if any."""
    found: tuple[str, BaseException] | None = None
    for current in _chain(exc):
        code = getattr(current, "sqlstate", None)
        if isinstance(code, str):
            found = (code, current)
    return found


def _constraint_columns(table: str | None, constraint: str | None) -> list[str]:
    from api.models.base import Base  # the models import this module's siblings; look them up late

    found = Base.metadata.tables.get(table or "")
    if found is None:
        return []
    for index in found.indexes:
        if index.name == constraint:
            return [column.name for column in index.columns]
    for item in found.constraints:
        if item.name == constraint and isinstance(item, ColumnCollectionConstraint):
            return [column.name for column in item.columns]
    return []


def refused_by_database(exc: BaseException) -> AppError | None:
    """A value the database refused (too long, a NUL character, a duplicate, a missing required value, a
    reference to nothing) that the service's own checks let through: the request's fault, so a 4xx naming the
    column, not a 500. The transaction was rolled back, so nothing was half-written."""
    found = _sqlstate(exc)
    if found is None:
        return None
    code, error = found
    column = getattr(error, "column_name", None)
    columns = (
        [column]
        if column
        else _constraint_columns(getattr(error, "table_name", None), getattr(error, "constraint_name", None))
    )
    named = ", ".join(columns)

    def refuse(error_type: type[AppError], message: str) -> AppError:
        return error_type(message, fields=[FieldError(field=c, message=message) for c in columns])

    if code == "23505":
        return refuse(
            Conflict, f"Another record already has this value ({named})" if named else "This record already exists"
        )
    if code == "23502":
        return refuse(ValidationFailed, f"A value is required ({named})" if named else "A required value is missing")
    if code == "23503":
        return refuse(
            ValidationFailed,
            f"This refers to a record that does not exist ({named})"
            if named
            else "This refers to a record that does not exist",
        )
    if code == "23514":
        return refuse(ValidationFailed, "These values are not allowed together")
    if code == "22021":
        return ValidationFailed(NUL_REFUSED)
    if code == "22001":
        return ValidationFailed("A value is longer than allowed")
    if code.startswith("22"):
        return ValidationFailed("A value is out of the range or form allowed")
    return None


async def _unhandled(request: Request, exc: Exception) -> JSONResponse:
    refused = refused_by_database(exc)
    if refused is not None:
        # Still logged: it means a check is missing in front of the database.
        log.warning("the database refused a value", extra={"path": request.url.path, "error": str(exc)[:500]})
        return await _app_error(request, refused)
    if database_unavailable(exc):
        # A fault of the platform, not of the request: say so, and when to retry, instead of a 500.
        log.warning("database unavailable", extra={"path": request.url.path, "error": type(exc).__name__})
        return envelope_response(
            503,
            "The database is unavailable just now; try again in a few seconds",
            code="ServiceUnavailable",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    log.exception("unhandled error", extra={"path": request.url.path})
    return envelope_response(500, "An unexpected error occurred; it has been logged", code="InternalError")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(StarletteHTTPException, _http_exception)
    # Database errors get the same decision as any other, but from a handler of their own: Starlette re-raises
    # whatever reaches the catch-all handler after answering, and the server then logs a traceback as an error
    # for what is a 4xx (a refused value) or a 503 (the database restarting), each already logged once here.
    for database_error in (DBAPIError, *_UNAVAILABLE_ERRORS):
        app.add_exception_handler(database_error, _unhandled)
    app.add_exception_handler(Exception, _unhandled)


def _response(description: str) -> dict[str, Any]:
    return {"model": ErrorEnvelope, "description": description}


# Declared on every API route so the OpenAPI contract names every error an endpoint can return.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _response("Malformed request"),
    401: _response("Not signed in, or the credentials are invalid"),
    403: _response("Signed in but not allowed, or CSRF token missing"),
    404: _response("No such record, or not visible to the caller"),
    409: _response("Conflict with the record's current state"),
    413: _response("Request body too large"),
    422: _response("Invalid input; `fields` names each offending field"),
    429: _response("Too many requests; see Retry-After"),
    500: _response("Unexpected error"),
}
