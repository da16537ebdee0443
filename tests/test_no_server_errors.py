"""No request gets a 5xx: the whole API fuzzed from its own OpenAPI description against a real server (a fresh
database with the demo data, tests/e2e_server.py), so every new operation is covered without a test of its own.

- Schemathesis generates requests for every operation (the schema's examples, boundary values of every
  constraint, then random data), as the Secretariat, a State focal point and the public.
- Edits reach their rules only with the record's current ETag, which a generator cannot know: the second test
  reads each editable demo record's ETag before every generated edit.

Each of these found real 500s once (NUL characters, a too-long token name, an emptied required field, a
duplicated UNHCR code): bad input must be a 4xx naming the field."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "acsg-demo-password"
# Signing out or revoking tokens would end the fuzzing session itself; a password change would lock the user out.
EXCLUDED_PATHS = r"sign-out|/auth/tokens/\{|/auth/me/password"


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    process = subprocess.Popen([sys.executable, "-m", "tests.e2e_server"], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    try:
        assert line.startswith("READY "), f"the server did not start: {line!r}"
        yield line.removeprefix("READY ")
    finally:
        process.terminate()
        process.wait(timeout=60)


def _token(base: str, email: str) -> str:
    """A personal access token for a demo user (signed in with the cookie, then the token created)."""
    with httpx.Client(base_url=base, timeout=30) as client:
        signed_in = client.post("/api/v1/auth/sign-in", json={"email": email, "password": PASSWORD})
        assert signed_in.status_code == 200, signed_in.text
        created = client.post(
            "/api/v1/auth/tokens", json={"name": "fuzz"}, headers={"X-CSRF-Token": client.cookies["acsg_csrf"]}
        )
        assert created.status_code == 201, created.text
        token: str = created.json()["token"]
        return token


@pytest.fixture(scope="module")
def tokens(server: str) -> dict[str, str | None]:
    # Taken before any fuzzing: a generated edit may well change these users' own settings.
    return {
        "secretariat": _token(server, "secretariat@acsg.demo"),
        "focal point": _token(server, "comar@acsg.demo"),
        "public": None,
    }


@pytest.mark.parametrize("role", ["secretariat", "focal point", "public"])
def test_no_generated_request_gets_a_server_error(
    server: str, tokens: dict[str, str | None], role: str, tmp_path: Path
) -> None:
    token = tokens[role]
    command = [
        str(Path(sys.executable).parent / "schemathesis"),
        "run",
        f"{server}/api/v1/openapi.json",
        *("--checks", "not_a_server_error"),
        *("--phases", "examples,coverage,fuzzing"),
        *("--max-examples", "5"),
        *("--seed", "20261129"),
        *("--exclude-path-regex", EXCLUDED_PATHS),
        "--no-color",
        *(("-H", f"Authorization: Bearer {token}") if token else ()),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=tmp_path)  # its cache too
    report = result.stdout
    assert result.returncode == 0, report[report.find("FAILURES") :][:6000] or report[-3000:]
    assert "Server error" not in report


# Editable records of the demo data, by the path parameter naming them: the first record of each list.
EDITABLE = {
    "request_id": "/api/v1/support-requests",
    "offer_id": "/api/v1/support-offers",
    "pledge_id": "/api/v1/pledges",
    "record_id": "/api/v1/existing-support",
    "item_id": "/api/v1/knowledge/items",
    "organisation_id": "/api/v1/organisations",
    "match_id": "/api/v1/matches",
}


def test_generated_edits_with_the_current_etag_never_get_a_server_error(
    server: str, tokens: dict[str, str | None]
) -> None:
    client = httpx.Client(base_url=server, headers={"Authorization": f"Bearer {tokens['secretariat']}"}, timeout=60)
    ids: dict[str, str] = {}
    for name, path in EDITABLE.items():
        listed = client.get(path, params={"limit": 5}).json()
        items = listed["items"] if isinstance(listed, dict) else listed
        ids[name] = items[0]["id"]
    ids["iso3"] = "BEL"
    schema = schemathesis.openapi.from_url(f"{server}/api/v1/openapi.json")
    failures: list[str] = []
    tried = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        method = operation.method.upper()
        names = [parameter.name for parameter in operation.path_parameters]
        if method not in ("PATCH", "PUT", "POST") or not names or any(n not in ids for n in names):
            continue
        path = operation.path
        for name in names:
            path = path.replace("{" + name + "}", ids[name])
        record_path = path if method == "PATCH" else None
        tried += 1

        _fuzz_edits(client, operation, path, method, record_path, failures)
    client.close()
    assert tried >= 10, "the demo data no longer offers records to edit"
    assert not failures, "\n".join(failures[:20])


def _fuzz_edits(
    client: httpx.Client, operation: Any, path: str, method: str, record_path: str | None, failures: list[str]
) -> None:
    # Derandomised: the same cases on every run, so a failure found here is found again.
    @settings(max_examples=40, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def send(case: Any) -> None:
        headers: dict[str, str] = {}
        if record_path is not None:
            etag = client.get(record_path).headers.get("etag")
            if etag:
                headers["If-Match"] = etag
        body = case.body if isinstance(case.body, dict | list) else None
        response = client.request(method, path, json=body, params=case.query or None, headers=headers)
        if response.status_code >= 500:
            failures.append(f"{method} {path} {body!r:.300} -> {response.text:.200}")

    send()
