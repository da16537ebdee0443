"""Application core: probes, request ids, security headers, compression, OpenAPI, the SPA fallback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.core.config import Settings
from api.core.schemas import WriteModel
from tests.conftest import ROOT


class TestProbes:
    async def test_healthz_answers_without_the_database(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/healthz")
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}

    async def test_readyz_checks_the_database(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/readyz")
        assert response.status_code == 200
        assert response.json()["database"] == "ok"


class TestRequestContext:
    async def test_every_response_carries_a_request_id(self, client: httpx.AsyncClient) -> None:
        first = await client.get("/healthz")
        second = await client.get("/healthz")
        assert first.headers["x-request-id"] and first.headers["x-request-id"] != second.headers["x-request-id"]

    async def test_a_well_formed_incoming_request_id_is_kept(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/healthz", headers={"X-Request-ID": "trace-123"})
        assert response.headers["x-request-id"] == "trace-123"

    async def test_a_malformed_incoming_request_id_is_replaced(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/healthz", headers={"X-Request-ID": "bad id with spaces"})
        assert response.headers["x-request-id"] != "bad id with spaces"


class TestSecurityHeaders:
    async def test_headers_are_set(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/api/v1/reference/bureaux")
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert "strict-transport-security" not in response.headers

    async def test_hsts_when_served_over_https(self, app: Any, settings: Settings) -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as secure:
            response = await secure.get("/healthz")
        assert response.headers["strict-transport-security"].startswith("max-age=")

    async def test_large_responses_are_compressed(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/api/v1/reference/countries", headers={"Accept-Encoding": "gzip"})
        assert response.headers["content-encoding"] == "gzip"
        assert len(response.json()) == 249


class TestOpenAPI:
    async def test_spec_is_served_under_api_v1(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/api/v1/openapi.json")
        assert response.status_code == 200
        assert response.json()["info"]["title"] == "ACSG platform API"

    async def test_every_json_body_is_a_write_model(self, client: httpx.AsyncClient) -> None:
        """So every body refuses unknown fields and the NUL character, which PostgreSQL cannot store."""

        def subclasses(cls: type) -> set[str]:
            return {sub.__name__ for sub in cls.__subclasses__()} | {
                name for sub in cls.__subclasses__() for name in subclasses(sub)
            }

        write_models = subclasses(WriteModel)
        spec = (await client.get("/api/v1/openapi.json")).json()
        bodies = {
            (method, path): operation["requestBody"]["content"]["application/json"]["schema"]
            for path, operations in spec["paths"].items()
            for method, operation in operations.items()
            if "application/json" in operation.get("requestBody", {}).get("content", {})
        }
        assert len(bodies) > 40
        for where, schema in bodies.items():
            schema = schema.get("items", schema)  # a bulk body is a list of models
            choices = [c for c in schema.get("anyOf", [schema]) if c.get("type") != "null"]  # an optional body
            assert len(choices) == 1 and "$ref" in choices[0], where
            assert choices[0]["$ref"].rsplit("/", 1)[1] in write_models, where

    async def test_operation_ids_are_unique(self, client: httpx.AsyncClient) -> None:
        spec = (await client.get("/api/v1/openapi.json")).json()
        ids = [op["operationId"] for path in spec["paths"].values() for op in path.values() if "operationId" in op]
        assert len(ids) == len(set(ids))

    async def test_every_operation_declares_the_error_envelope(self, client: httpx.AsyncClient) -> None:
        spec = (await client.get("/api/v1/openapi.json")).json()
        for path, operations in spec["paths"].items():
            for method, operation in operations.items():
                schema = operation["responses"]["422"]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorEnvelope"}, (method, path)

    def test_python_module_prints_the_same_spec(self) -> None:
        printed = subprocess.run(
            [sys.executable, "-m", "api.openapi"], capture_output=True, check=True, cwd=ROOT, timeout=120
        ).stdout
        committed = ROOT / "frontend" / "openapi.json"
        spec = json.loads(printed)
        assert spec["openapi"].startswith("3.")
        if committed.exists():
            assert json.loads(committed.read_text()) == spec, "frontend/openapi.json is stale: run `make openapi`"


class TestSinglePageApp:
    @pytest.fixture
    def dist(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
        (tmp_path / "assets").mkdir()
        (tmp_path / "index.html").write_text("<!doctype html><div id=root></div>")
        (tmp_path / "assets" / "app.js").write_text("console.log(1)")
        monkeypatch.setattr("api.main.SPA_DIST", tmp_path)
        return tmp_path

    async def test_root_serves_index(self, dist: Path, client: httpx.AsyncClient) -> None:
        response = await client.get("/")
        assert response.status_code == 200
        assert "id=root" in response.text

    async def test_client_routes_fall_back_to_index(self, dist: Path, client: httpx.AsyncClient) -> None:
        response = await client.get("/requests/123/edit")
        assert response.status_code == 200 and "id=root" in response.text

    async def test_assets_are_served_with_long_caching(self, dist: Path, client: httpx.AsyncClient) -> None:
        response = await client.get("/assets/app.js")
        assert response.text == "console.log(1)"
        assert "immutable" in response.headers["cache-control"]

    async def test_paths_outside_dist_are_not_served(self, dist: Path, client: httpx.AsyncClient) -> None:
        response = await client.get("/..%2F..%2Fetc%2Fpasswd")
        assert response.status_code == 200 and "id=root" in response.text

    async def test_api_paths_never_fall_back(self, dist: Path, client: httpx.AsyncClient) -> None:
        response = await client.get("/api/v1/unknown/page")
        assert response.status_code == 404 and response.json()["error"] == "NotFound"
