"""What an integration client may call: its scopes, and which scope each part of the API needs.

Clients are refused everything not listed here (a new route is closed to them until its module says which
scope opens it, with `register_client_access`). Reads of records a client may not see remain 404s: scopes
open a resource, visibility still decides which records of it.
"""

from __future__ import annotations

from dataclasses import dataclass

SCOPES: dict[str, str] = {
    "pledges:read": "Read pledges",
    "pledges:write": "Create and update pledges (pledge sync)",
    "requests:read": "Read support requests (their public part once validated)",
    "offers:read": "Read support offers (their public part once validated)",
    "existing_support:read": "Read existing support",
    "matches:read": "Read matches",
    "reports:read": "Read progress reports",
    "knowledge:read": "Read knowledge items",
    "changes:read": "Follow the change feed",
    "webhooks:manage": "Manage webhook subscriptions and read their delivery logs",
    "imports:write": "Upload bulk imports and read their reports",
}

# A route every client may read (reference data, organisation names), whatever its scopes.
ANY_CLIENT = "*"


@dataclass(frozen=True)
class Access:
    read: str | None
    write: str | None


_ACCESS: dict[str, Access] = {}


def register_client_access(prefix: str, *, read: str | None, write: str | None) -> None:
    """Open the routes under `prefix` (after /api/v1) to clients holding `read` (GET) or `write` (other
    methods); None keeps that side closed to every client, ANY_CLIENT opens it to all."""
    _ACCESS[prefix.rstrip("/")] = Access(read, write)


for _prefix, _read, _write in (
    ("/reference", ANY_CLIENT, None),
    ("/organisations", ANY_CLIENT, None),
    ("/pledges", "pledges:read", "pledges:write"),
    ("/integrations/pledges", None, "pledges:write"),
    ("/support-requests", "requests:read", None),
    ("/support-offers", "offers:read", None),
    ("/existing-support", "existing_support:read", None),
    ("/matches", "matches:read", None),
    ("/reports", "reports:read", None),
    # A match's or pledge's reporting calendar is read with the reports' scope; it is set by people only.
    ("/matches/{match_id}/reporting", "reports:read", None),
    ("/matches/{match_id}/reporting-schedule", None, None),
    ("/pledges/{pledge_id}/reporting", "reports:read", None),
    ("/knowledge", "knowledge:read", None),
    ("/changes", "changes:read", None),
    ("/webhooks", "webhooks:manage", "webhooks:manage"),
    ("/imports", "imports:write", "imports:write"),
    # Each export kind needs its resource's read scope; the export service checks it.
    ("/exports", ANY_CLIENT, None),
):
    register_client_access(_prefix, read=_read, write=_write)


def required_scope(method: str, path: str) -> str | None:
    """The scope a client needs for `method path` (a route path after /api/v1), ANY_CLIENT, or None when no
    client may call it. The longest registered prefix decides."""
    best: Access | None = None
    best_length = -1
    for prefix, access in _ACCESS.items():
        if (path == prefix or path.startswith(prefix + "/") or path.startswith(prefix + ":")) and len(
            prefix
        ) > best_length:
            best, best_length = access, len(prefix)
    if best is None:
        return None
    return best.read if method in ("GET", "HEAD") else best.write
