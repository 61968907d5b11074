"""Backup and restore, as the operations guide tells: a backup of the database and the files, restored into
a fresh database and folder, where verify_files finds every file intact, then finds the one altered and the
one missing. Also the file check itself, on the local file system and on S3-compatible storage."""

import os
import subprocess
import sys
import uuid
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from cases.evidence import services as evidence_services
from cases.referrals import services as referrals
from netralitas.files import verify_stored_files
from outreach import services as outreach_services
from outreach.models import OutreachSession
from tests.factories import decided_case, make_case
from tests.test_case_views import png_bytes

ROOT = Path(__file__).resolve().parent.parent
WIB = ZoneInfo("Asia/Jakarta")


def stored_world(offices, pengawas, koordinator, regions, institutions):
    """A case with two evidence files, a referral with its letter and dossier, an outreach material."""
    case = make_case(office=offices.gunung_mas, actor=pengawas)
    for color in [(10, 20, 30), (40, 50, 60)]:
        evidence_services.evidence_add(
            case=case, actor=pengawas, kind="screenshot", upload=SimpleUploadedFile("bukti.png", png_bytes(color))
        )
    decided = decided_case(offices, pengawas, koordinator, regions)
    [draft] = referrals.referral_draft(
        case=decided,
        actor=pengawas,
        subjects=list(decided.subjects.all()),
        institution=institutions.bkn,
        channel="surat",
    )
    referrals.referral_send(
        referral=draft,
        actor=koordinator,
        expected_version=None,
        letter_number="001/PP/2024",
        letter_date=date(2024, 10, 21),
        channel="surat",
        sent_at=datetime(2024, 10, 21, 9, tzinfo=WIB),
    )
    session = OutreachSession.objects.create(
        office=offices.gunung_mas,
        kind="sosialisasi",
        title="Sosialisasi",
        start=datetime(2024, 10, 1, 9, tzinfo=WIB),
        end=datetime(2024, 10, 1, 11, tzinfo=WIB),
    )
    outreach_services.material_add(
        session=session, actor=pengawas, upload=SimpleUploadedFile("foto.png", png_bytes((1, 2, 3))), kind="foto"
    )


def test_verify_files_finds_intact_altered_and_missing(
    db, settings, tmp_path, offices, pengawas, koordinator, regions, institutions
):
    settings.MEDIA_ROOT = tmp_path / "media"
    stored_world(offices, pengawas, koordinator, regions, institutions)
    check = verify_stored_files()
    assert check.ok and (check.intact, check.unhashed) == (4, 1)  # 2 evidence, letter, dossier; the material
    files = sorted((tmp_path / "media" / "evidence").rglob("*"))
    evidence_files = [p for p in files if p.is_file()]
    evidence_files[0].write_bytes(evidence_files[0].read_bytes() + b"x")
    evidence_files[1].unlink()
    check = verify_stored_files()
    assert [s.name for s, _actual in check.altered] == [str(evidence_files[0].relative_to(tmp_path / "media"))]
    assert [s.name for s in check.missing] == [str(evidence_files[1].relative_to(tmp_path / "media"))]
    with pytest.raises(Exception, match="hilang: 1; berubah: 1"):
        call_command("verify_files")


def _manage(*args, database: str, media: Path):
    db = connection.settings_dict
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "NETRALITAS_IGNORE_DOTENV": "1",
        "DEBUG": "true",
        "LOG_LEVEL": "warning",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{database}",
        "MEDIA_ROOT": str(media),
    }
    if db["PASSWORD"]:
        env["DATABASE_URL"] = env["DATABASE_URL"].replace("@", f":{db['PASSWORD']}@", 1)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def fresh_database():
    db = connection.settings_dict
    name = f"netralitas_restore_{uuid.uuid4().hex[:8]}"
    params = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432, "user": db["USER"], "dbname": "postgres"}
    if db["PASSWORD"]:
        params["password"] = db["PASSWORD"]
    with psycopg.connect(**params, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(**params, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_backup_restored_into_a_fresh_database_and_folder_is_whole(
    settings, tmp_path, offices, pengawas, koordinator, regions, institutions, fresh_database
):
    settings.MEDIA_ROOT = tmp_path / "media"
    stored_world(offices, pengawas, koordinator, regions, institutions)
    call_command("backup", str(tmp_path / "cadangan"))
    [folder] = list((tmp_path / "cadangan").iterdir())
    assert sorted(p.name for p in folder.iterdir()) == ["database.dump", "manifest.json", "media.tar.gz"]

    restored_media = tmp_path / "pulih"
    refused = _manage("restore", str(folder), database=fresh_database, media=restored_media)
    assert refused.returncode != 0 and "--yes" in refused.stderr
    result = _manage("restore", str(folder), "--yes", database=fresh_database, media=restored_media)
    assert result.returncode == 0, result.stderr
    result = _manage("migrate", "--noinput", database=fresh_database, media=restored_media)
    assert result.returncode == 0, result.stderr
    counted = _manage(
        "shell",
        "--no-imports",
        "-c",
        "from cases.models import Case, Evidence, Referral; print(Case.objects.count(), Evidence.objects.count(),"
        " Referral.objects.count())",
        database=fresh_database,
        media=restored_media,
    )
    assert counted.stdout.strip().splitlines()[-1] == "2 2 1"

    verified = _manage("verify_files", database=fresh_database, media=restored_media)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "Utuh: 4; ada tanpa hash: 1; hilang: 0; berubah: 0." in verified.stdout

    letter = next((restored_media / "letters").rglob("surat-penerusan-*.pdf"))
    letter.write_bytes(letter.read_bytes() + b"%% diubah setelah dikirim\n")
    verified = _manage("verify_files", database=fresh_database, media=restored_media)
    assert verified.returncode == 1
    assert "BERUBAH" in verified.stdout and letter.name in verified.stdout
    assert "berubah: 1" in verified.stderr


def test_files_on_s3_compatible_storage_are_private_served_by_the_app_and_verified(
    settings, tmp_path, client, offices, pengawas
):
    boto3 = pytest.importorskip("boto3")
    from moto import mock_aws

    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y")
        s3.create_bucket(Bucket="netralitas-bukti")
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": "netralitas-bukti",
                    "region_name": "us-east-1",
                    "access_key": "x",
                    "secret_key": "y",
                    "location": "media",
                    "default_acl": "private",
                    "querystring_auth": True,
                    "file_overwrite": False,
                },
            },
        }
        case = make_case(office=offices.gunung_mas, actor=pengawas)
        content = png_bytes((7, 8, 9))
        evidence = evidence_services.evidence_add(
            case=case, actor=pengawas, kind="screenshot", upload=SimpleUploadedFile("bukti.png", content)
        )
        key = f"media/{evidence.file.name}"
        assert s3.get_object(Bucket="netralitas-bukti", Key=key)["Body"].read() == content
        grants = s3.get_object_acl(Bucket="netralitas-bukti", Key=key)["Grants"]
        assert all("URI" not in grant["Grantee"] for grant in grants)  # no AllUsers / AuthenticatedUsers grant

        client.force_login(pengawas)
        served = client.get(f"/perkara/{case.code}/bukti/{evidence.code}/berkas/")
        assert served.status_code == 200 and b"".join(served.streaming_content) == content

        assert verify_stored_files().ok
        s3.put_object(Bucket="netralitas-bukti", Key=key, Body=b"diubah")
        assert len(verify_stored_files().altered) == 1
