"""The ``servicecenter`` command.

    servicecenter demo [--no-serve] [--db PATH] [--port 8000]
    servicecenter serve [--port 8000] [--workers N] [--timeout 120] [--http] [--no-worker]
    servicecenter worker [--batch]   (runs the background jobs: imports, billing runs, reports...)
    servicecenter import KIND FILE [--provider CODE] [--dry-run] [--replace] [--language sv|en]
    servicecenter generate --scale national --out DIR [--events N] [--seed 1]
    servicecenter token USER NAME
    servicecenter verify [--provider CODE]   (issued documents against their seals and hash chains)
    servicecenter manage ...   (any Django management command)
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

PRODUCTION = "servicecenter.web.settings.prod"


def _django(db: str | None = None, settings: str = "servicecenter.web.settings.dev") -> None:
    """Set Django up with ``settings`` unless DJANGO_SETTINGS_MODULE names others."""
    if db:
        os.environ["SERVICECENTER_DB"] = str(Path(db).resolve())
    if not os.environ.get("DJANGO_SETTINGS_MODULE"):
        os.environ["DJANGO_SETTINGS_MODULE"] = settings
    import django

    django.setup()


class _ImportHelp(argparse._HelpAction):
    """``servicecenter import --help`` lists every kind of the importer registry (Django is set
    up only for the help, which exits)."""

    def __call__(self, parser, namespace, values, option_string=None):
        _django(getattr(namespace, "db", None))
        from django.utils import translation

        from servicecenter.apps.imports.base import IMPORTERS

        with translation.override("en"):
            width = max(map(len, IMPORTERS)) + 2
            lines = [f"  {kind:<{width}}{importer.label}" for kind, importer in IMPORTERS.items()]
        parser.epilog = "kinds (columns: docs/imports.md, or the Import page):\n" + "\n".join(lines)
        super().__call__(parser, namespace, values, option_string)


def _database_path() -> Path | None:
    from django.conf import settings

    database = settings.DATABASES["default"]
    return Path(database["NAME"]) if database["ENGINE"].endswith("sqlite3") else None


def cmd_demo(args) -> int:
    # The demo is served over plain HTTP on this machine's loopback address only.
    os.environ.setdefault("SERVICECENTER_HTTPS", "0")
    _django(args.db, PRODUCTION)
    from servicecenter.demo.build import build_demo

    started = time.perf_counter()
    path = _database_path()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    summary = build_demo(progress=lambda text: print(f"  {text}", flush=True))
    print(f"Demo database built in {time.perf_counter() - started:.1f} s" + (f": {path}" if path else ""))
    print("\nDemo logins (password for all: demo):")
    for username, role, scope in summary.logins:
        print(f"  {username:<22} {role:<18} {scope}")
    if args.no_serve:
        return 0
    return cmd_serve(args)


def cmd_serve(args) -> int:
    """Serve with the production settings (unless DJANGO_SETTINGS_MODULE names others): sync
    workers, so a request that runs past ``--timeout`` seconds is stopped with its worker."""
    if getattr(args, "http", False):
        os.environ.setdefault("SERVICECENTER_HTTPS", "0")
    _django(getattr(args, "db", None), PRODUCTION)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    secure = getattr(settings, "SESSION_COOKIE_SECURE", False)
    print(f"\nServing on http://127.0.0.1:{args.port}/  (Ctrl-C stops); settings {os.environ['DJANGO_SETTINGS_MODULE']}"
          + ("; cookies are Secure: put an HTTPS proxy in front, or use --http to try it on this machine" if secure else ""), flush=True)
    from gunicorn.app.base import BaseApplication

    from servicecenter.web.wsgi import application, warm

    warm()   # the workers forked below start with every view imported and every template compiled
    # ... and with no database connection of this process (the migration's): one left open would be
    # inherited by every worker, one PostgreSQL session answering them all at once (with
    # CONN_MAX_AGE nothing closes it first). Each worker opens its own.
    connections.close_all()

    worker = None
    if not getattr(args, "no_worker", False):
        # the background jobs' worker beside the web server (more of them: `servicecenter worker`)
        import subprocess

        worker = subprocess.Popen([sys.executable, "-m", "servicecenter.cli", "worker"], env=os.environ.copy())
        print(f"Background jobs: a worker runs beside the web server (pid {worker.pid}).", flush=True)

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"127.0.0.1:{args.port}")
            self.cfg.set("workers", args.workers)
            self.cfg.set("worker_class", "sync")
            self.cfg.set("timeout", getattr(args, "timeout", 120))
            self.cfg.set("accesslog", None)

        def load(self):
            return application

    try:
        Server().run()
    finally:
        if worker is not None:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
    return 0


def cmd_worker(args) -> int:
    """Run background jobs until stopped (Ctrl-C or SIGTERM: the running job finishes first);
    ``--batch``: run what is queued, then exit."""
    _django(getattr(args, "db", None), PRODUCTION)
    import logging

    logging.basicConfig(level=logging.INFO, format="%(asctime)s worker %(levelname)s %(message)s")
    from servicecenter.apps.jobs.worker import run

    run(batch=args.batch, interval=args.interval)
    return 0


def cmd_import(args) -> int:
    _django(args.db)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from servicecenter.apps.imports.base import IMPORTERS, run_import
    from servicecenter.apps.registry.models import Provider

    if args.kind not in IMPORTERS:
        print(f"Unknown kind {args.kind!r}; choose one of: {', '.join(sorted(IMPORTERS))}", file=sys.stderr)
        return 2
    providers = Provider.objects.all()
    provider = providers.filter(code=args.provider).first() if args.provider else (providers.first() if providers.count() == 1 else None)
    if provider is None:
        names = ", ".join(providers.values_list("code", flat=True)) or "none yet (create yours with: servicecenter init)"
        print(f"Name the provider with --provider CODE; known: {names}", file=sys.stderr)
        return 2
    path = Path(args.file)
    if not path.exists():
        print(f"{path}: no such file", file=sys.stderr)
        return 2
    started = time.perf_counter()
    from django.utils import translation

    from servicecenter.core import progress

    with translation.override(args.language), progress.listening(_terminal_bar(sys.stderr)):
        report = run_import(args.kind, path, path.name, provider=provider, dry_run=args.dry_run, replace=args.replace)
    for line in report.lines(args.language):
        print(line)
    status = {"sv": {"applied": "Importerad", "checked": "Kontrollerad, inget skrevs", "rejected": "Avvisad, inget skrevs"},
              "en": {"applied": "Imported", "checked": "Checked, nothing written", "rejected": "Rejected, nothing written"}}[args.language][report.status]
    counts = ", ".join(f"{key} {value}" for key, value in report.counts.items())
    print(f"{status}: {report.rows} rows{'; ' + counts if counts else ''} ({time.perf_counter() - started:.1f} s)")
    return 0 if report.ok else 1


def _terminal_bar(stream):
    """The progress of long work as a one-line bar on a terminal (nothing when not a terminal:
    a log or a pipe gets the result lines only)."""
    if not stream.isatty():
        return lambda done, total, text="": None
    last = [0.0]

    def show(done: int, total: int, text: str = "") -> None:
        now = time.monotonic()
        if now - last[0] < 0.1 and not (total and done >= total):
            return
        last[0] = now
        width = 30
        if total:
            filled = int(width * done / total)
            bar = f"[{'#' * filled}{'.' * (width - filled)}] {100 * done // total:3d} %"
        else:
            spin = int(now * 4) % width
            bar = f"[{'.' * spin}#{'.' * (width - spin - 1)}]"
        stream.write(f"\r{bar} {text[:60]:<60}")
        if total and done >= total:
            stream.write("\n")
        stream.flush()

    return show


def cmd_generate(args) -> int:
    from servicecenter.demo.national import generate_national

    generate_national(Path(args.out), events=args.events, seed=args.seed, progress=lambda text: print(f"  {text}", flush=True))
    return 0


def cmd_token(args) -> int:
    _django(args.db)
    from django.contrib.auth import get_user_model

    from servicecenter.apps.accounts.audit import record
    from servicecenter.apps.accounts.models import ApiToken

    user = get_user_model().objects.filter(username=args.user).first()
    if user is None:
        print(f"No user {args.user!r}", file=sys.stderr)
        return 2
    token, key = ApiToken.issue(user, args.name)
    record("accounts.token.issued", user=user, obj=token)
    print(key)
    return 0


def cmd_init(args) -> int:
    """Create the organisation and its first administrator; everything else is done in the web UI."""
    _django(args.db)
    import getpass

    from django.core.management import call_command
    from django.db import transaction

    from servicecenter.apps.followup.services import ensure_it_indicators
    from servicecenter.apps.registry.organisation import SetupError, create_organisation

    call_command("migrate", verbosity=0)
    password = os.environ.get("SERVICECENTER_ADMIN_PASSWORD") or getpass.getpass(f"Password for {args.admin}: ")
    try:
        with transaction.atomic():
            provider, person = create_organisation(code=args.code, name=args.name, org_number=args.org_number, kind=args.kind,
                                                   admin_username=args.admin, admin_password=password, admin_email=args.email or "")
            ensure_it_indicators(provider)   # a coordinator's dashboard and annual report are the seven indicators
    except SetupError as error:
        print(error, file=sys.stderr)
        return 2
    print(f"Created {provider.name} ({provider.org_number}) with the administrator {person.username}. "
          "Log in at /login/.")
    return 0


def cmd_verify(args) -> int:
    _django(args.db)
    from servicecenter.apps.billing.integrity import verify_series
    from servicecenter.apps.registry.models import Provider

    provider = None
    if args.provider:
        provider = Provider.objects.filter(code=args.provider).first()
        if provider is None:
            print(f"No provider {args.provider!r}", file=sys.stderr)
            return 2
    checked, findings = verify_series(provider)
    for finding in findings:
        print(f"{finding.provider} {finding.series} {finding.number or '-'}: {finding.message}")
    print(f"{checked} documents checked; {len(findings)} findings" + ("" if findings else ": every document matches its seal and chain"))
    return 1 if findings else 0


def cmd_manage(args, rest: list[str]) -> int:
    _django(args.db)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["servicecenter manage", *rest])
    return 0


WORKERS = min(8, 2 * (os.cpu_count() or 1) + 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="servicecenter", description="Run a public-sector shared-service organisation.")
    parser.add_argument("--db", help="SQLite database file (default ./var/servicecenter.sqlite3)")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="build the demo database and serve it")
    demo.add_argument("--no-serve", action="store_true", help="build and exit")
    demo.add_argument("--db", default=None, dest="db_demo", help="SQLite database file")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--workers", type=int, default=WORKERS)
    demo.add_argument("--timeout", type=int, default=120, help="seconds a request may take before its worker is stopped")
    serve = commands.add_parser("serve", help="serve the web UI on 127.0.0.1 (production settings)")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=WORKERS)
    serve.add_argument("--timeout", type=int, default=120, help="seconds a request may take before its worker is stopped")
    serve.add_argument("--http", action="store_true", help="plain HTTP on this machine only: cookies without Secure")
    serve.add_argument("--no-worker", action="store_true", help="serve only; the background jobs run in workers started apart")
    worker = commands.add_parser("worker", help="run the background jobs (imports, billing runs, cost model runs, reports, exports)")
    worker.add_argument("--batch", action="store_true", help="run what is queued, then exit")
    worker.add_argument("--interval", type=float, default=0.2, help="seconds between looks at an empty queue")
    importing = commands.add_parser("import", help="import a CSV, Excel, SIE or Parquet file", add_help=False,
                                    formatter_class=argparse.RawDescriptionHelpFormatter)
    importing.add_argument("-h", "--help", action=_ImportHelp, help="show this help, with every kind of file, and exit")
    importing.add_argument("kind", help="the kind of file (listed below)")
    importing.add_argument("file")
    importing.add_argument("--provider", help="provider code")
    importing.add_argument("--dry-run", action="store_true", help="check only, write nothing")
    importing.add_argument("--replace", action="store_true", help="replace what is stored for the same year (ledger); without it such a file is refused")
    importing.add_argument("--language", choices=["sv", "en"], default="sv")
    generate = commands.add_parser("generate", help="write the synthetic national data set")
    generate.add_argument("--scale", choices=["national"], default="national")
    generate.add_argument("--out", required=True)
    generate.add_argument("--events", type=int, default=20_000_000, help="raw usage events (Parquet rows)")
    generate.add_argument("--seed", type=int, default=1)
    token = commands.add_parser("token", help="issue an API token and print it once")
    token.add_argument("user")
    token.add_argument("name")
    init = commands.add_parser("init", help="create your organisation and its first administrator (then continue in the web UI)")
    init.add_argument("--code", required=True, help="short code, e.g. malmo-service")
    init.add_argument("--name", required=True, help="the organisation's legal name")
    init.add_argument("--org-number", required=True, help="organisationsnummer, e.g. 212000-1124")
    init.add_argument("--kind", required=True, choices=["state_service_centre", "municipal_service", "it_supplier"])
    init.add_argument("--admin", required=True, help="user name of the first administrator")
    init.add_argument("--email", help="the administrator's e-mail")
    verify = commands.add_parser("verify", help="check every issued document against its seal and the hash chain of its number series")
    verify.add_argument("--provider", help="provider code (default: all)")
    commands.add_parser("manage", help="run a Django management command", add_help=False)
    args, rest = parser.parse_known_args(argv)
    if getattr(args, "db_demo", None):
        args.db = args.db_demo
    if args.command == "manage":
        return cmd_manage(args, rest)
    if rest:
        parser.error(f"unrecognised arguments: {' '.join(rest)}")
    handler = {"demo": cmd_demo, "serve": cmd_serve, "worker": cmd_worker, "import": cmd_import, "generate": cmd_generate, "token": cmd_token, "init": cmd_init, "verify": cmd_verify}[args.command]
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
