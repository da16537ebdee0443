"""A throw-away platform for the browser tests: a fresh database with the demo data, the built SPA, the
in-process worker, on a free port. Prints `READY <url>` when it answers; drops its database on exit.

Run by frontend/tests/e2e/global-setup.ts: `python -m tests.e2e_server`.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
import sys
import threading
import time

import httpx
import uvicorn

from api.cli import prepare_database
from api.core.config import Settings
from api.main import create_app
from tests.conftest import _admin, drop_database, server_url, url_for


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def main() -> None:
    server = server_url()
    name = f"acsg_e2e_{int(time.time())}_{free_port()}"
    asyncio.run(_admin(server, f'CREATE DATABASE "{name}"'))
    url = url_for(server, name)
    port = free_port()
    settings = Settings(
        env="development",
        database_url=url,
        secret_key="e2e-secret-key-that-is-long-enough-0123456789",
        public_base_url=f"http://127.0.0.1:{port}",
        webhooks_allow_private_targets=True,
        login_rate_per_ip_per_minute=1000,
    )
    try:
        asyncio.run(prepare_database(url, demo=True, settings=settings))
        config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
        uvicorn_server = uvicorn.Server(config)
        thread = threading.Thread(target=uvicorn_server.run, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            time.sleep(0.1)
        sys.stdout.write(f"READY {base}\n")
        sys.stdout.flush()
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        while not stop.is_set() and thread.is_alive():
            stop.wait(0.5)
        uvicorn_server.should_exit = True
        thread.join(timeout=10)
    finally:
        asyncio.run(drop_database(server, name))


if __name__ == "__main__":
    main()
