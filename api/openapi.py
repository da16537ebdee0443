"""`python -m api.openapi` prints the OpenAPI document without a server or a database."""

from __future__ import annotations

import json
import sys
from typing import Any

from api.core.config import Settings


def spec() -> dict[str, Any]:
    from api.main import create_app

    return create_app(Settings(env="testing", database_url="postgresql://unused/unused")).openapi()


def main() -> None:
    sys.stdout.write(json.dumps(spec(), indent=2, ensure_ascii=False, sort_keys=False) + "\n")


if __name__ == "__main__":
    main()
