"""Shared benchmark helpers: a throw-away database, a server on a free port, and latency statistics."""

from __future__ import annotations

import asyncio
import contextlib
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.core.config import Settings  # noqa: E402
from api.core.db import normalise_url  # noqa: E402
from api.core.embedded_db import embedded_server_url  # noqa: E402


def server_url() -> str:
    configured = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if configured:
        return str(make_url(normalise_url(configured)).set(database="postgres"))
    return embedded_server_url(ROOT / ".data", name="pgbench", database="postgres")


async def _admin(base: str, statement: str) -> None:
    engine = create_async_engine(base, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


async def _exists(base: str, name: str) -> bool:
    engine = create_async_engine(base, poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            found = await connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name})
    finally:
        await engine.dispose()
    return found is not None


@contextlib.asynccontextmanager
async def scratch_database(keep: str | None = None) -> AsyncIterator[str]:
    """A new, migrated database with reference data, dropped afterwards.

    With `keep`, the database of that name is created once and kept, so that repeated runs while tuning skip the
    load (the caller decides whether what is there is complete: see `bench_commitments --keep`)."""
    from api.cli import prepare_database

    base = server_url()
    name = keep or f"acsg_bench_{uuid.uuid4().hex[:10]}"
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    if keep and await _exists(base, name):
        await prepare_database(url, demo=False, settings=bench_settings(url))  # migrations added since
        yield url
        return
    await _admin(base, f'CREATE DATABASE "{name}"')
    try:
        await prepare_database(url, demo=False, settings=bench_settings(url))
        yield url
    finally:
        if not keep:
            await _admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def bench_settings(url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "env": "testing",
        "database_url": url,
        "secret_key": "bench-secret-key-that-is-long-enough-0123456789",
        "run_worker_in_process": False,
        "login_rate_per_ip_per_minute": 100_000,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_ready(base: str, *, seconds: float = 60) -> bool:
    """Poll `/readyz` until the API answers 200 (its database is reachable); False after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return True
        time.sleep(0.1)
    return False


def start_server(url: str, port: int, workers: int = 1) -> subprocess.Popen[bytes]:
    """The API as its own process(es) (`acsg serve`, no outbox worker), ready to serve on `port`."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "ENV": "testing",
        "RUN_WORKER_IN_PROCESS": "false",
        "SECRET_KEY": "bench-secret-key-that-is-long-enough-0123456789",
        "LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        [
            *(str(ROOT / ".venv/bin/acsg"), "serve", "--no-demo", "--no-worker"),
            *("--port", str(port), "--workers", str(workers)),
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    if not wait_until_ready(f"http://127.0.0.1:{port}"):
        process.kill()
        raise SystemExit("the API did not start")
    return process


@contextlib.contextmanager
def running_server(url: str) -> Iterator[str]:
    """The API in a background thread (one worker process, like one production replica)."""
    from api.main import create_app

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(bench_settings(url)), host="127.0.0.1", port=port, log_level="warning", access_log=False
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    if not wait_until_ready(base):
        raise SystemExit("the API did not start")
    try:
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@dataclass
class Latencies:
    name: str
    samples_ms: list[float]
    wall_seconds: float
    errors: int

    def percentile(self, p: float) -> float:
        ordered = sorted(self.samples_ms)
        if not ordered:
            return float("nan")
        index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
        return ordered[index]

    def line(self) -> str:
        throughput = len(self.samples_ms) / self.wall_seconds if self.wall_seconds else 0.0
        return (
            f"{self.name:<44} n={len(self.samples_ms):<6} p50={self.percentile(50):7.1f} ms  "
            f"p95={self.percentile(95):7.1f} ms  p99={self.percentile(99):7.1f} ms  "
            f"mean={statistics.fmean(self.samples_ms) if self.samples_ms else 0:7.1f} ms  "
            f"{throughput:8.1f} req/s  errors={self.errors}"
        )


async def measure_http(
    name: str,
    make_request: Callable[[httpx.AsyncClient, int], Awaitable[httpx.Response]],
    *,
    base_url: str,
    concurrency: int,
    total: int,
    headers: dict[str, str] | None = None,
    warmup: int = 20,
) -> Latencies:
    """Send `total` requests with `concurrency` clients in flight; record each latency."""
    samples: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base_url, headers=headers, limits=limits, timeout=30) as client:
        for index in range(warmup):
            await make_request(client, index)
        counter = iter(range(total))

        async def worker() -> None:
            nonlocal errors
            for index in counter:
                started = time.perf_counter()
                response = await make_request(client, index)
                samples.append((time.perf_counter() - started) * 1000)
                if response.status_code >= 400:
                    errors += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - started
    return Latencies(name=name, samples_ms=samples, wall_seconds=wall, errors=errors)


def machine() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError, ValueError):
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB"
    pg = subprocess.run(["date", "-u", "+%Y-%m-%d"], capture_output=True, text=True, check=False).stdout.strip()
    return f"{platform.node()}: {os.cpu_count()} cores, {cpu}{memory}, Python {platform.python_version()}, {pg}"
