"""The `acsg` command: operator commands (serve, worker, migrate, seed, create-user)."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
import uuid
from collections.abc import Callable, Sequence

from api.core.config import Settings, get_settings
from api.core.db import Database, make_engine, resolve_database_url
from api.core.logging import configure_logging

CommandHandler = Callable[[argparse.Namespace], int]
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], CommandHandler]] = {}


def command(
    name: str,
    help_text: str,
    configure: Callable[[argparse.ArgumentParser], None] = lambda _: None,
) -> Callable[[CommandHandler], CommandHandler]:
    def register(function: CommandHandler) -> CommandHandler:
        COMMANDS[name] = (help_text, configure, function)
        return function

    return register


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


async def prepare_database(url: str, *, demo: bool, settings: Settings) -> dict[str, int]:
    """Apply migrations, load reference data and (optionally) the demo data set; all idempotent."""
    from api.core import audit
    from api.core.actor import SYSTEM
    from api.core.migrate import upgrade
    from api.reference.seed import seed_reference_data

    engine = make_engine(url, pool_size=2)
    try:
        await upgrade(engine)
        database = Database(engine)
        async with database.sessionmaker() as session, session.begin():
            audit.bind_actor(session, SYSTEM)
            counts = await seed_reference_data(session)
            if demo:
                if settings.env == "production":
                    raise SystemExit("Refusing to load demo data in production")
                from api.demo.run import seed_demo

                counts.update(await seed_demo(session))
        return counts
    finally:
        await engine.dispose()


def _banner(settings: Settings, port: int, demo: bool) -> None:
    out()
    out(f"  ACSG platform: http://{settings.host}:{port}")
    out(f"  API docs:      http://{settings.host}:{port}/api/v1/docs")
    if demo:
        from api.demo.seed import DEMO_PASSWORD, USERS

        out(f"  Demo logins (password for all: {DEMO_PASSWORD}):")
        for user in USERS:
            out(f"    {user.email:<28} {user.description}")
    out("  Ctrl-C stops the platform (and the embedded database).")
    out()


def _serve_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default=None)
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--no-demo", action="store_true", help="do not load the demo data set")
    parser.add_argument("--no-worker", action="store_true", help="do not run the outbox worker in-process")
    parser.add_argument("--workers", type=int, default=1, help="API processes (one per core in production)")


@command("serve", "migrate, seed and serve the API and the web interface", _serve_options)
def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from api.main import create_app

    settings = get_settings()
    configure_logging(settings.log_level)
    port = args.port or settings.port
    host = args.host or settings.host
    url = resolve_database_url(settings)
    demo = not args.no_demo and settings.env != "production"
    asyncio.run(prepare_database(url, demo=demo, settings=settings))
    settings = settings.model_copy(
        update={
            "database_url": url,
            "host": host,
            "port": port,
            "run_worker_in_process": settings.run_worker_in_process and not args.no_worker,
        }
    )
    _banner(settings, port, demo)
    if args.workers > 1:
        # Worker processes build the app from the environment; they reach the same database.
        os.environ["DATABASE_URL"] = url
        os.environ["RUN_WORKER_IN_PROCESS"] = str(settings.run_worker_in_process).lower()
        uvicorn.run(
            "api.main:app_from_environment",
            factory=True,
            workers=args.workers,
            host=host,
            port=port,
            log_config=None,
            proxy_headers=True,
            server_header=False,
        )
    else:
        uvicorn.run(
            create_app(settings), host=host, port=port, log_config=None, proxy_headers=True, server_header=False
        )
    return 0


def _worker_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--once", action="store_true", help="deliver what is due, run periodic jobs, then exit")


@command("worker", "deliver the outbox (e-mails, notifications, webhooks) and run periodic jobs", _worker_options)
def worker(args: argparse.Namespace) -> int:
    import api.router  # noqa: F401 - importing the domains registers their outbox handlers and periodic jobs
    from api.worker import drain, run_forever, run_periodic_jobs

    settings = get_settings()
    configure_logging(settings.log_level)
    database = Database(make_engine(resolve_database_url(settings), pool_size=3))

    async def main() -> None:
        try:
            if args.once:
                await run_periodic_jobs(database, settings)
                handled = await drain(database, settings)
                out(f"delivered {handled} message(s)")
            else:
                await run_forever(database, settings)
        finally:
            await database.dispose()

    asyncio.run(main())
    return 0


def _migrate_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("revision", nargs="?", default="head")


@command("migrate", "apply database migrations (to head by default)", _migrate_options)
def migrate(args: argparse.Namespace) -> int:
    from api.core.migrate import upgrade

    settings = get_settings()
    engine = make_engine(resolve_database_url(settings), pool_size=1)

    async def main() -> None:
        try:
            await upgrade(engine, args.revision)
        finally:
            await engine.dispose()

    asyncio.run(main())
    out(f"migrated to {args.revision}")
    return 0


def _seed_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--demo", action="store_true", help="also load the demo data set")


@command("seed", "load reference data (and the demo data set with --demo); idempotent", _seed_options)
def seed(args: argparse.Namespace) -> int:
    settings = get_settings()
    counts = asyncio.run(prepare_database(resolve_database_url(settings), demo=args.demo, settings=settings))
    for name, count in counts.items():
        out(f"{name:<20} {count} added")
    return 0


def _create_user_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--email", required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument("--organisation-id", type=uuid.UUID, help="organisation to join")
    parser.add_argument("--role", choices=["focal_point", "editor", "viewer"], default="focal_point")
    parser.add_argument("--secretariat", action="store_true", help="join the Secretariat organisation")
    parser.add_argument("--password", help="read from the terminal when omitted")


@command("create-user", "create a user account with a membership", _create_user_options)
def create_user(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from api.core import audit
    from api.core.actor import SYSTEM
    from api.core.errors import AppError
    from api.models.identity import Organisation
    from api.users import schemas, service

    password = args.password or getpass.getpass("Password: ")
    settings = get_settings()
    database = Database(make_engine(resolve_database_url(settings), pool_size=1))

    async def main() -> int:
        try:
            async with database.sessionmaker() as session, session.begin():
                audit.bind_actor(session, SYSTEM)
                organisation_id = args.organisation_id
                if args.secretariat:
                    organisation_id = (
                        await session.execute(
                            select(Organisation.id).where(Organisation.kind == "secretariat").limit(1)
                        )
                    ).scalar_one_or_none()
                    if organisation_id is None:
                        out("No Secretariat organisation exists; create one first")
                        return 1
                grants = (
                    [schemas.MembershipGrant(organisation_id=organisation_id, role=args.role)]
                    if (organisation_id)
                    else []
                )
                user = await service.create_user(
                    session,
                    actor=SYSTEM,
                    body=schemas.UserCreate(
                        email=args.email, full_name=args.name, password=password, memberships=grants
                    ),
                )
                out(f"created user {user.id} <{user.email}>")
                return 0
        except AppError as error:
            out(f"refused: {error.detail}" + "".join(f"\n  {f.field}: {f.message}" for f in error.fields or []))
            return 2
        finally:
            await database.dispose()

    return asyncio.run(main())


from api import client_cli  # noqa: E402, F401 - registers import, export and changes (the API's client side)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="acsg", description="ACSG platform command line")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name, (help_text, configure, _) in COMMANDS.items():
        configure(subparsers.add_parser(name, help=help_text, description=help_text))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return COMMANDS[args.command][2](args)


if __name__ == "__main__":
    sys.exit(main())
