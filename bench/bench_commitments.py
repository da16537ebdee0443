"""Commitments at 100x today's volume: 50,000 requests and 50,000 offers with 3 components each.

Loads the rows with COPY into a scratch database, starts the API as its own process (one worker), and
measures over HTTP with 16 concurrent clients: list + filters, list + full-text search, and detail reads.
Prints p50/p95/p99 and throughput. Run: `.venv/bin/python bench/bench_commitments.py [--rows 50000]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
import httpx

from bench.common import ROOT, free_port, machine, measure_http, scratch_database, start_server

AREAS = [
    "procedures.rsd",
    "procedures.coi",
    "procedures.quality",
    "procedures.registration",
    "procedures.backlog",
    "procedures.case_management",
    "procedures.appeals",
    "legal.legislation",
    "legal.regulation",
    "institutional.training",
    "institutional.organisation",
    "expertise.legal_aid",
    "expertise.research",
]
WORDS = {
    "en": [
        "interview",
        "training",
        "backlog",
        "registration",
        "quality",
        "decisions",
        "appeals",
        "officers",
        "information",
        "digital",
        "case",
        "management",
        "legislation",
        "eligibility",
        "mentoring",
    ],
    "fr": [
        "entretiens",
        "formation",
        "arriéré",
        "enregistrement",
        "qualité",
        "décisions",
        "recours",
        "équipe",
        "information",
        "numérique",
        "dossiers",
        "législation",
        "éligibilité",
        "accompagnement",
        "à distance",
    ],
    "es": [
        "entrevistas",
        "capacitación",
        "rezago",
        "registro",
        "calidad",
        "decisiones",
        "apelaciones",
        "equipo",
        "información",
        "digital",
        "casos",
        "legislación",
        "elegibilidad",
        "mentoría",
        "a distancia",
    ],
}
STATUSES = ["validated"] * 6 + ["submitted", "draft", "partially_matched", "matched", "closed"]
MODALITIES = ["training", "study_visit", "expert_deployment", "remote_advice", "peer_review"]


def with_parents(codes: list[str]) -> list[str]:
    return sorted({c for code in codes for c in (code, code.split(".")[0])})


async def load(url: str, rows: int, rng: random.Random) -> dict[str, Any]:
    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    connection = await asyncpg.connect(dsn)
    try:
        countries = [
            r["iso3"]
            for r in await connection.fetch(
                "SELECT iso3 FROM countries WHERE is_un_member AND bureau_code IS NOT NULL ORDER BY iso3"
            )
        ]
        now = datetime.now(UTC)
        organisations = []
        for iso3 in countries:
            organisations.append((uuid.uuid4(), f"Asylum authority {iso3}", "state_institution", "state", iso3))
        stakeholders = [
            (
                uuid.uuid4(),
                f"Stakeholder {i}",
                "stakeholder",
                rng.choice(["academia", "civil_society", "refugee_led", "bar_law_firm"]),
                rng.choice(countries),
            )
            for i in range(400)
        ]
        await connection.copy_records_to_table(
            "organisations",
            columns=["id", "name", "kind", "contributor_type", "country_iso3", "is_active", "created_at", "updated_at"],
            records=[(*o, True, now, now) for o in organisations + stakeholders],
        )

        def text_for(language: str, n: int) -> str:
            return " ".join(rng.choice(WORDS[language]) for _ in range(n))

        def commitment_rows(prefix: str, owners: list[Any]) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
            records, components = [], []
            for index in range(rows):
                record_id = uuid.uuid4()
                owner = owners[index % len(owners)]
                language = rng.choice(["en", "fr", "es"])
                areas = rng.sample(AREAS, 3)
                title = f"{text_for(language, 3).capitalize()} {index}"
                summary = text_for(language, 25)
                descriptions = [text_for(language, 8) for _ in areas]
                updated = now - timedelta(minutes=index)
                records.append(
                    (
                        record_id,
                        f"{prefix}-2026-{index:06d}",
                        title,
                        rng.choice(STATUSES),
                        summary,
                        "confidential",
                        owner[0],
                        owner[4],
                        [language],
                        with_parents(areas),
                        ["technical"],
                        sorted(set(rng.sample(MODALITIES, 2))),
                        "\n".join([title, summary, *descriptions]),
                        rng.random() < 0.5,
                        updated,
                        updated,
                        date(2026, 1, 1),
                        date(2027, 12, 31),
                    )
                )
                for position, (area, description) in enumerate(zip(areas, descriptions, strict=True)):
                    components.append(
                        (uuid.uuid4(), record_id, position, area, rng.sample(MODALITIES, 2), ["technical"], description)
                    )
            return records, components

        common_columns = [
            "id",
            "reference",
            "title",
            "status",
            "public_summary",
            "confidential_details",
            "organisation_id",
            "country_iso3",
            "languages",
            "area_codes",
            "support_types",
            "modalities",
            "search_text",
            "allow_publication",
            "created_at",
            "updated_at",
            "starts_on",
            "ends_on",
        ]
        started = time.perf_counter()
        requests, request_components = commitment_rows("REQ", organisations)
        request_extra = [
            "commitment_text",
            "qualities",
            "urgency",
            "is_establishing_system",
            "context",
            "contacts",
            "attachments",
            "version",
        ]
        await connection.copy_records_to_table(
            "support_requests",
            columns=common_columns + request_extra,
            records=[(*r, "", ["fairness"], "normal", False, "", "[]", "[]", 1) for r in requests],
        )
        await connection.copy_records_to_table(
            "support_request_components",
            columns=[
                "id",
                "request_id",
                "position",
                "area_code",
                "modalities",
                "support_types",
                "description",
                "status",
            ],
            records=[(*c, "open") for c in request_components],
        )
        offers, offer_components = commitment_rows("OFF", stakeholders)
        offer_extra = [
            "serves_any",
            "served_countries",
            "served_regions",
            "served_bureaux",
            "excluded_countries",
            "capacity",
            "contacts",
            "attachments",
            "version",
        ]
        await connection.copy_records_to_table(
            "support_offers",
            columns=common_columns + offer_extra,
            records=[(*o, True, [], [], [], [], 2, "[]", "[]", 1) for o in offers],
        )
        await connection.copy_records_to_table(
            "support_offer_components",
            columns=["id", "offer_id", "position", "area_code", "modalities", "support_types", "description"],
            records=offer_components,
        )
        await connection.execute("ANALYZE")
        load_seconds = time.perf_counter() - started
        user_id, secretariat_user = uuid.uuid4(), uuid.uuid4()
        await connection.execute(
            "INSERT INTO users (id, email, full_name, password_hash, preferred_language, is_active, failed_sign_ins, "
            "created_at, updated_at) VALUES ($1, 'bench@example.org', 'Bench', NULL, 'en', true, 0, now(), now())",
            user_id,
        )
        await connection.execute(
            "INSERT INTO memberships (id, user_id, organisation_id, role, created_at, updated_at) "
            "VALUES ($1, $2, $3, 'focal_point', now(), now())",
            uuid.uuid4(),
            user_id,
            stakeholders[0][0],
        )
        # The Secretariat asks for ranked suggestions (the matching console calls them on every page view).
        secretariat_organisation = uuid.uuid4()
        await connection.execute(
            "INSERT INTO organisations (id, name, kind, contributor_type, country_iso3, is_active, created_at, "
            "updated_at) VALUES ($1, 'ACSG Secretariat', 'secretariat', 'un', 'CHE', true, now(), now())",
            secretariat_organisation,
        )
        await connection.execute(
            "INSERT INTO users (id, email, full_name, password_hash, preferred_language, is_active, failed_sign_ins, "
            "created_at, updated_at) VALUES ($1, 'secretariat@example.org', 'Secretariat', NULL, 'en', true, 0, "
            "now(), now())",
            secretariat_user,
        )
        await connection.execute(
            "INSERT INTO memberships (id, user_id, organisation_id, role, created_at, updated_at) "
            "VALUES ($1, $2, $3, 'focal_point', now(), now())",
            uuid.uuid4(),
            secretariat_user,
            secretariat_organisation,
        )
        return {
            "load_seconds": load_seconds,
            "request_ids": [r[0] for r in requests if r[3] != "draft"],
            "validated_request_ids": [r[0] for r in requests if r[3] == "validated"],
            "user_id": user_id,
            "secretariat_user_id": secretariat_user,
        }
    finally:
        await connection.close()


async def session_cookie(url: str, user_id: uuid.UUID) -> str:
    from api.core.security import new_token, token_hash

    token = new_token()
    connection = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await connection.execute(
            "INSERT INTO user_sessions (id, user_id, token_hash, created_at, expires_at) "
            "VALUES ($1, $2, $3, now(), now() + interval '1 day')",
            uuid.uuid4(),
            user_id,
            token_hash(token),
        )
    finally:
        await connection.close()
    return token


Call = Callable[[httpx.AsyncClient, int], Awaitable[httpx.Response]]

LIST_QUERIES: list[dict[str, str]] = [
    {"status": "validated", "bureau": "wca", "area": "procedures"},
    {"region": "019", "support_type": "technical", "sort": "title"},
    {"area": "legal.legislation", "language": "fr"},
    {"status": "validated", "modality": "training", "country": "MEX"},
    {"area": "procedures", "sort": "-submitted_at"},
    {"bureau": "europe", "status": "validated", "area": "institutional"},
]
SEARCH_QUERIES: list[dict[str, str]] = [
    {"q": "equipe entretiens", "status": "validated"},
    {"q": "capacitacion"},
    {"q": "backlog registration", "area": "procedures"},
    {"q": "legislacion", "bureau": "americas"},
    {"q": "quality decisions"},
]


def saved_load(name: str) -> dict[str, Any] | None:
    path = ROOT / ".data" / f"{name}.json"
    if not path.exists():
        return None
    raw = json.loads(path.read_text())
    return {
        **raw,
        "request_ids": [uuid.UUID(v) for v in raw["request_ids"]],
        "validated_request_ids": [uuid.UUID(v) for v in raw["validated_request_ids"]],
        "user_id": uuid.UUID(raw["user_id"]),
        "secretariat_user_id": uuid.UUID(raw["secretariat_user_id"]),
    }


def save_load(name: str, loaded: dict[str, Any]) -> None:
    (ROOT / ".data").mkdir(exist_ok=True)
    (ROOT / ".data" / f"{name}.json").write_text(json.dumps(loaded, default=str))


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=2_000, help="HTTP requests per measurement")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--keep", action="store_true", help="keep the loaded database for the next run (tuning)")
    parser.add_argument("--only", default="", help="run only the measurements whose name contains this")
    parser.add_argument("--api-workers", type=int, default=1, help="API processes (`acsg serve --workers`)")
    args = parser.parse_args()
    rng = random.Random(7)
    print(machine())
    keep = f"acsg_bench_commitments_{args.rows}" if args.keep else None
    async with scratch_database(keep) as url:
        loaded = saved_load(keep) if keep else None
        if loaded is None:
            loaded = await load(url, args.rows, rng)
            if keep:
                save_load(keep, loaded)
        seconds = loaded["load_seconds"]
        print(f"loaded {args.rows} requests and {args.rows} offers, 3 components each, in {seconds:.1f} s")
        token = await session_cookie(url, loaded["user_id"])
        secretariat = {"Cookie": f"acsg_session={await session_cookie(url, loaded['secretariat_user_id'])}"}
        port = free_port()
        server = start_server(url, port, args.api_workers)
        print(f"API: {args.api_workers} worker process(es)")
        try:
            base = f"http://127.0.0.1:{port}"
            member = {"Cookie": f"acsg_session={token}"}
            ids, validated = loaded["request_ids"], loaded["validated_request_ids"]

            def requests_list(c: httpx.AsyncClient, i: int) -> Awaitable[httpx.Response]:
                return c.get("/api/v1/support-requests", params=LIST_QUERIES[i % len(LIST_QUERIES)])

            def offers_list(c: httpx.AsyncClient, i: int) -> Awaitable[httpx.Response]:
                return c.get("/api/v1/support-offers", params=LIST_QUERIES[i % len(LIST_QUERIES)])

            def search(c: httpx.AsyncClient, i: int) -> Awaitable[httpx.Response]:
                return c.get("/api/v1/support-requests", params=SEARCH_QUERIES[i % len(SEARCH_QUERIES)])

            def detail(c: httpx.AsyncClient, i: int) -> Awaitable[httpx.Response]:
                return c.get(f"/api/v1/support-requests/{ids[(i * 7919) % len(ids)]}")

            def suggestions(c: httpx.AsyncClient, i: int) -> Awaitable[httpx.Response]:
                request_id = validated[(i * 7919) % len(validated)]
                return c.get(f"/api/v1/matching/requests/{request_id}/suggestions", params={"k": 10})

            many, few = args.requests, args.requests // 4
            # (name, call, clients, requests, caller); one client at a time is the latency a user sees when the
            # server is not queueing other requests.
            plan: list[tuple[str, Call, int, int, dict[str, str]]] = [
                ("list + filters (requests)", requests_list, args.concurrency, many, member),
                ("list + filters (offers)", offers_list, args.concurrency, many, member),
                ("list + full-text search (requests)", search, args.concurrency, many, member),
                ("detail (requests)", detail, args.concurrency, many, member),
                ("list + filters (requests), 1 client", requests_list, 1, few, member),
                ("detail (requests), 1 client", detail, 1, few, member),
                ("ranked suggestions for a request, 1 client(s)", suggestions, 1, few, secretariat),
                (
                    f"ranked suggestions for a request, {args.concurrency} client(s)",
                    suggestions,
                    args.concurrency,
                    few,
                    secretariat,
                ),
            ]
            results = []
            for name, call, concurrency, total, headers in plan:
                if args.only in name:
                    results.append(
                        await measure_http(
                            name, call, base_url=base, concurrency=concurrency, total=total, headers=headers
                        )
                    )
                    print(results[-1].line(), flush=True)
        finally:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    asyncio.run(main())
