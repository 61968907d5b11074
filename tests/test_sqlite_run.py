"""``make run`` uses SQLite, the rest of the suite PostgreSQL. Some reads have a PostgreSQL form and a portable
one (the CSV export), and a query that PostgreSQL accepts may be refused by SQLite (an ordered query inside a
UNION was). Here a fresh SQLite database is migrated and loaded with the demo data, and every main page answers
for each demo persona, the API's list reads as its details, and the CSV download is produced. The dashboard
is PostgreSQL's only and is not served here."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PAGES = """
from django.contrib.auth import get_user_model
from django.test import Client

TOKEN = {"HTTP_AUTHORIZATION": "Bearer ntr_demo-bkn-token-hanya-untuk-data-demo-0000000"}
failures = []
client = Client()
page = client.get("/api/v1/referrals/", **TOKEN)
assert page.status_code == 200, page.content[:300]
rows = page.json()["results"]
assert rows, "the demo has referrals for BKN"
for row in rows:
    detail = client.get(f"/api/v1/referrals/{row['code']}/", **TOKEN).json()
    if detail != row:
        failures.append(("api", row["code"], sorted(k for k in row if row[k] != detail.get(k))))
export = client.get("/api/v1/referrals/export.csv", **TOKEN)
if export.status_code != 200 or len(b"".join(export.streaming_content).splitlines()) < 2:
    failures.append(("api", "export.csv", export.status_code))

PERSONAS = {
    "pengawas": ["/beranda/", "/perkara/", "/perkara/?status=referred&q=a", "/perkara/?due=overdue",
                 "/penerusan/", "/kalender/"],
    "koordinator": ["/perkara/", "/penerusan/"],
    "admin": ["/kelola/", "/kelola/aktivitas-masuk/"],
    "pemkab": ["/kalender/"],
    "provinsi": ["/perkara/", "/penerusan/"],
}
User = get_user_model()
for username, paths in PERSONAS.items():
    client.force_login(User.objects.get(username=username))
    for path in paths:
        response = client.get(path)
        if response.status_code != 200:
            failures.append((username, path, response.status_code))
print(failures)
assert not failures, failures
print("ok")
"""


def test_the_demo_on_sqlite_answers_every_main_page(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "netralitas.settings",
        "NETRALITAS_IGNORE_DOTENV": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'netralitas.sqlite3'}",
        "CELERY_BROKER_URL": "memory://",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "SECRET_KEY": "sqlite-run-test-0123456789-0123456789-0123456789-0123",
        "DEBUG": "true",
        "ALLOWED_HOSTS": "testserver",
    }
    env.pop("DATABASE_CONN_MAX_AGE", None)

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
        )

    for step in (["migrate", "--noinput", "-v", "0"], ["load_demo"]):
        done = manage(*step)
        assert done.returncode == 0, done.stderr[-3000:]
    pages = manage("shell", "--no-imports", "-c", PAGES)
    assert pages.returncode == 0 and pages.stdout.strip().endswith("ok"), (pages.stdout[-3000:], pages.stderr[-3000:])
