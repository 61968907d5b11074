"""Backup and restore: the database (pg_dump in its custom format, or a copy of the SQLite file) and the
stored files (a tar of MEDIA_ROOT; files in an S3 bucket are the bucket's to keep, with versioning).

A backup is a folder ``netralitas-<time>/`` with ``database.dump`` (or ``database.sqlite3``), ``media.tar.gz``
and ``manifest.json``. Restoring puts the database and the files back; ``manage.py migrate`` then brings an
older backup up to the running release, and ``manage.py verify_files`` checks every file against its hash.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone


class BackupError(Exception):
    pass


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
        raise BackupError(f"{command[0]} tidak ditemukan: pasang klien PostgreSQL (postgresql-client).") from None
    if result.returncode != 0:
        raise BackupError(f"{command[0]} gagal: {result.stderr.strip()[:2000]}")


def backup(destination: Path, *, now: datetime | None = None) -> Path:
    now = timezone.localtime(now or timezone.now())
    folder = Path(destination) / f"netralitas-{now:%Y%m%d-%H%M%S}"
    folder.mkdir(parents=True, exist_ok=False)
    manifest = {"made_at": now.isoformat(), "database": connection.vendor, "media_storage": settings.MEDIA_STORAGE}
    if connection.vendor == "postgresql":
        args, env = _pg_env()
        dump = folder / "database.dump"
        _run(
            ["pg_dump", *args, "--format=custom", "--no-owner", "--file", str(dump), connection.settings_dict["NAME"]],
            env,
        )
    elif connection.vendor == "sqlite":
        source = sqlite3.connect(connection.settings_dict["NAME"])
        target = sqlite3.connect(folder / "database.sqlite3")
        with target:
            source.backup(target)  # a consistent copy while the application runs
        source.close()
        target.close()
    else:
        raise BackupError(f"Basis data {connection.vendor} tidak didukung.")
    if settings.MEDIA_STORAGE == "local":
        media = Path(settings.MEDIA_ROOT)
        with tarfile.open(folder / "media.tar.gz", "w:gz") as tar:
            if media.is_dir():
                tar.add(media, arcname="media")
        manifest["media_files"] = sum(1 for p in media.rglob("*") if p.is_file()) if media.is_dir() else 0
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return folder


def restore(source: Path) -> dict:
    """Put a backup made by ``backup`` back, over the configured database and MEDIA_ROOT."""
    source = Path(source)
    manifest_path = source / "manifest.json"
    if not manifest_path.is_file():
        raise BackupError(f"{source} bukan folder cadangan Netralitas (tidak ada manifest.json).")
    manifest = json.loads(manifest_path.read_text())
    if manifest["database"] != connection.vendor:
        raise BackupError(f"Cadangan ini dari {manifest['database']}, basis data sekarang {connection.vendor}.")
    if connection.vendor == "postgresql":
        args, env = _pg_env()
        connection.close()
        _run(
            [
                "pg_restore",
                *args,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--dbname",
                connection.settings_dict["NAME"],
                str(source / "database.dump"),
            ],
            env,
        )
    else:
        connection.close()
        shutil.copyfile(source / "database.sqlite3", connection.settings_dict["NAME"])
    media_archive = source / "media.tar.gz"
    if settings.MEDIA_STORAGE == "local" and media_archive.is_file():
        media = Path(settings.MEDIA_ROOT)
        media.mkdir(parents=True, exist_ok=True)
        with tarfile.open(media_archive, "r:gz") as tar:
            members = [m for m in tar.getmembers() if m.name == "media" or m.name.startswith("media/")]
            for member in members:
                member.name = member.name[len("media/") :] if member.name.startswith("media/") else "."
            tar.extractall(media, members=members, filter="data")  # no absolute paths, no links outside
    return manifest
