"""make bench: the pages, the API and the reminder sweeps measured on the national-size data set.

1. The data set (``python -m scripts.scale_data``) is loaded once into BENCH_DATABASE_URL and reused.
2. gunicorn serves the application on loopback (DEBUG off, as in production); each page is requested, signed in
   as the persona who uses it, by one client alone (the page's own p50/p95 latency), then by a few concurrent
   clients (latency under load, and throughput); with the web workers' CPU time per request, which the other
   programs on a shared machine disturb much less than they disturb latency.
3. The CSV export is downloaded whole: rows per second and the serving worker's peak memory.
4. Each reminder sweep runs over the whole data set: time and query count, run again until a run finds nothing
   new to write (a sweep takes a bounded share of a backlog per run).
5. The SQL that the case list and the dashboards (regency; province as served and counted afresh) execute is
   timed alone in psql, and each page's p50 is compared with it (how much of the page is the database).

Prints a table, writes var/bench/latest.json (and a dated copy), and says which budget of DESIGN.md each figure
meets. Nothing here asserts: the machine is shared, the figures are for reading.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/netralitas_bench")
FACTOR = os.environ.get("BENCH_FACTOR", "1.0")
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "60"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "4"))
# The web server: gunicorn, 2 workers of 2 threads (the figures of docs/performance.md were made so). The
# deployment's sync workers (Dockerfile: one request per worker, about two workers per core) are measured with
# BENCH_WEB_WORKERS=4 BENCH_WEB_THREADS=1: on this 2-core machine they gave the same figures within the noise.
WORKERS = int(os.environ.get("BENCH_WEB_WORKERS", "2"))
THREADS = int(os.environ.get("BENCH_WEB_THREADS", "2"))
# A regular expression: only the pages whose label it matches are measured, and nothing else (for a quick look
# at one page while working on it; the full run is without it).
ONLY = os.environ.get("BENCH_ONLY", "")
OUT = ROOT / "var" / "bench"
PASSWORD = "bench-netralitas-2024"

ENV = {
    **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "CELERY_"))},
    "NETRALITAS_IGNORE_DOTENV": "1",
    "DJANGO_SETTINGS_MODULE": "netralitas.settings",
    "DATABASE_URL": DATABASE_URL,
    "DATABASE_CONN_MAX_AGE": "600",
    "CELERY_BROKER_URL": "memory://",
    # The dashboard's figures shared by the web workers, as docker-compose.yml deploys them.
    "CACHE_URL": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/13"),
    "DEBUG": "false",
    "HTTPS": "false",
    "SECRET_KEY": "bench-only-" + "x" * 50,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "MEDIA_ROOT": str(ROOT / "var" / "bench-media"),
    "LOG_LEVEL": "warning",
    "LOG_FORMAT": "text",
    "LOGIN_FAILURE_LIMIT": "1000",
}

# The web server's settings module (older versions of the code, measured for comparison, have none).
GUNICORN_CONF = ["-c", "python:netralitas.gunicorn_conf"] if (ROOT / "netralitas" / "gunicorn_conf.py").exists() else []
BUDGETS = {"page": 100.0, "dashboard": 250.0, "csv_rows_per_s": 5000.0, "csv_peak_mb": 200.0, "sweep_s": 5.0,
           "succession_s": 60.0, "succession_mb": 250.0}  # fmt: skip


def manage(*args, check=True, capture=False):
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=ENV, check=check, text=True, capture_output=capture
    )


def ensure_database():
    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    admin = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    exists = subprocess.run(
        ["psql", admin, "-Atc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["psql", admin, "-qc", f'CREATE DATABASE "{name}"'], check=True)
    manage("migrate", "--noinput", "-v", "0")
    present = manage(
        "shell", "--no-imports", "-c", "from scripts.scale_data import already_generated; print(already_generated())",
        capture=True,
    ).stdout.strip().splitlines()[-1]  # fmt: skip
    if present != "True":
        print(f"Loading the scale data set (factor {FACTOR}) into {name}; done once, reused afterwards ...")
        started = time.monotonic()
        subprocess.run([PYTHON, "-m", "scripts.scale_data", "--factor", FACTOR], cwd=ROOT, env=ENV, check=True)
        print(f"  loaded in {time.monotonic() - started:.0f} s")
    manage("collectstatic", "--noinput", "-v", "0")


def reset_figures_cache() -> str | None:
    """Empty the Redis database that keeps the dashboard's figures during the bench, so that no page reads
    figures an earlier run counted. A warning when it cannot be reached (the dashboards as served are then
    counted on most requests)."""
    url = ENV["CACHE_URL"]
    if not url.lower().startswith(("redis://", "rediss://")):
        return None
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).flushdb()
    except redis.RedisError as error:
        return f"the dashboard's figures cache ({url}) cannot be reached ({error}): 'as served' is counted afresh"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self):
        self.port = free_port()
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", *GUNICORN_CONF, "netralitas.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers",
             str(WORKERS), *(["--worker-class", "gthread", "--threads", str(THREADS)] if THREADS > 1 else []),
             "--timeout", "300", "--log-level", "warning"],
            cwd=ROOT, env=ENV,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit("gunicorn did not start")

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        conn.close()
        return response.status, response.headers, data

    def worker_pids(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True).stdout
        return [int(p) for p in out.split()]

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time the web workers have used so far (from /proc): what the requests cost the
    server, whatever else the machine did meanwhile."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / ticks


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def sign_in(server: Server, username: str) -> str:
    status, headers, body = server.request("GET", "/akun/masuk/")
    cookies = dict(re.findall(r"(csrftoken)=([^;]+)", " ".join(headers.get_all("Set-Cookie") or [])))
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    status, headers, body = server.request(
        "POST",
        "/akun/masuk/",
        body=urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookies['csrftoken']}"},
    )
    session = re.search(r"sessionid=([^;]+)", " ".join(headers.get_all("Set-Cookie") or []))
    if status != 302 or not session:
        raise SystemExit(f"could not sign in as {username} (HTTP {status})")
    return f"sessionid={session.group(1)}; csrftoken={cookies['csrftoken']}"


def measure(server: Server, paths: list[str], headers: dict, concurrency: int = CONCURRENCY) -> dict:
    """REQUESTS requests spread over ``concurrency`` clients, each on its own keep-alive connection."""
    # Warm-up: caches, connections, the first template compile, in every worker (as many requests at once as
    # there are workers, so that each takes one).
    for path in paths[-3:]:  # the last: a page of many filters measures the first ones uncounted
        warm = [threading.Thread(target=server.request, args=("GET", path), kwargs={"headers": headers})
                for _ in range(WORKERS * max(1, THREADS))]  # fmt: skip
        for thread in warm:
            thread.start()
        for thread in warm:
            thread.join()
    latencies: list[float] = []
    failures: list[int] = []
    lock = threading.Lock()
    per_client = max(1, REQUESTS // concurrency)

    def client(offset: int):
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=300)
        for i in range(per_client):
            path = paths[(offset * per_client + i) % len(paths)]
            started = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            took = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(took)
                if response.status != 200:
                    failures.append(response.status)
        conn.close()

    pids = server.worker_pids()
    cpu_before = cpu_seconds(pids)
    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": len(failures),
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(latencies[max(0, int(len(latencies) * 0.95) - 1)], 1),
        "throughput_rps": round(len(latencies) / wall, 1),
        "server_cpu_ms_per_request": round((cpu_seconds(pids) - cpu_before) * 1000 / len(latencies), 1),
    }


def fixtures() -> dict:
    """Codes and ids the pages need, read from the data set."""
    script = (
        "import json\n"
        "from cases.models import Case, Referral, ViolationType\n"
        "from netralitas.accounts.models import Membership\n"
        "office = Membership.objects.get(user__username='bench-pengawas').office\n"
        "cases = list(Case.objects.filter(office=office).exclude(number='').values_list('code', flat=True)[:40])\n"
        "refs = list(Referral.objects.filter(case__office=office).values_list('code', flat=True)[:20])\n"
        "vt = ViolationType.objects.get(code='MEDSOS-INTERAKSI').pk\n"
        "# the election of the province office's cases: a province's worth of referrals on the public page\n"
        "province = Membership.objects.get(user__username='bench-provinsi').office\n"
        "election = Case.objects.filter(office__region__code__startswith=province.region.code + '.')"
        ".values_list('election_id', flat=True).first()\n"
        "print(json.dumps({'cases': [str(c) for c in cases], 'referrals': [str(r) for r in refs], 'vt': vt,"
        " 'election': election}))\n"
    )
    out = manage("shell", "--no-imports", "-c", script, capture=True).stdout.strip().splitlines()[-1]
    return json.loads(out)


def api_token() -> str | None:
    """A read token of a BKN client (made once for the bench), when the API is installed."""
    script = (
        "from django.urls import NoReverseMatch, reverse\n"
        "try:\n    reverse('api:referral-list')\nexcept NoReverseMatch:\n    print('')\nelse:\n"
        "    from netralitas.accounts.models import ApiClient, ApiScope\n"
        "    from netralitas.accounts.tokens import api_token_create\n"
        "    from netralitas.reference.models import Institution\n"
        "    client, _ = ApiClient.objects.get_or_create(code='bench-bkn', defaults={'name': 'BKN (bench)',"
        " 'institution': Institution.objects.get(code='bkn'), 'throttle_rate': '1000000/hour'})\n"
        "    row, secret = api_token_create(client=client, scope=ApiScope.READ, expires_at=None, label='bench')\n"
        "    print(secret)\n"
    )
    result = manage("shell", "--no-imports", "-c", script, capture=True, check=False)
    lines = result.stdout.strip().splitlines()
    if result.returncode != 0:
        print(result.stderr[-2000:])
    return lines[-1] if result.returncode == 0 and lines and lines[-1] else None


def sweeps() -> dict:
    script = (
        "import json, time\n"
        "from django.db import connection\n"
        "from django.test.utils import CaptureQueriesContext\n"
        "from django.utils import timezone\n"
        "from cases import reminders\n"
        "from outreach import reminders as outreach_reminders\n"
        "now = timezone.localtime().replace(hour=9)\n"
        "# every run measures the same backlog: nothing sent yet, no referral reminded\n"
        "with connection.cursor() as c:\n"
        "    c.execute('TRUNCATE notify_notification')\n"
        "    c.execute('UPDATE cases_referral SET reminded_on = NULL WHERE reminded_on IS NOT NULL')\n"
        "result = {}\n"
        "for name, sweep in [('case_deadlines', reminders.sweep_case_deadlines),"
        " ('referral_clocks', reminders.sweep_referral_clocks), ('outreach_upcoming', outreach_reminders.sweep_upcoming),"
        " ('outreach_minutes', outreach_reminders.sweep_minutes)]:\n"
        "    runs = []\n"
        "    while len(runs) < 30:\n"
        "        with CaptureQueriesContext(connection) as q:\n"
        "            t = time.perf_counter(); figures = sweep(now=now); took = time.perf_counter() - t\n"
        "        statements = [x for x in q.captured_queries if x['sql'] not in ('BEGIN', 'COMMIT')]\n"
        "        runs.append({'seconds': round(took, 2), 'queries': len(statements), **figures})\n"
        "        if len(runs) >= 2 and not figures['rows']:\n"
        "            break\n"
        "    result[f'{name} (first)'] = runs[0]\n"
        "    if len(runs) > 2:\n"
        "        slowest = max(runs[1:-1], key=lambda r: r['seconds'])\n"
        "        result[f'{name} (slowest of {len(runs) - 1} with rows)'] = slowest\n"
        "    result[f'{name} (again)'] = runs[-1]\n"
        "print(json.dumps(result))\n"
    )
    return json.loads(manage("shell", "--no-imports", "-c", script, capture=True).stdout.strip().splitlines()[-1])


def succession() -> dict:
    """A succession declared on the whole data set: BKN replaced by the independent ASN oversight body the
    Constitutional Court ordered (decision 121/PUU-XXII/2024), every open BKN referral moved, timed with its
    queries and peak memory, then rolled back so that every run measures the same move."""
    script = (
        "import json, resource, time\n"
        "from django.db import connection, transaction\n"
        "from django.test.utils import CaptureQueriesContext\n"
        "from django.utils import timezone\n"
        "from cases.referrals.succession import succession_declare\n"
        "from netralitas.accounts.models import User\n"
        "from netralitas.reference.models import Institution\n"
        "today = timezone.localdate()\n"
        "with transaction.atomic():\n"
        "    bkn = Institution.objects.get(code='bkn')\n"
        "    body = Institution.objects.create(code='bench-lembaga-independen', kind=bkn.kind, active_from=today,"
        " name='Lembaga independen pengawas sistem merit ASN', response_days=14)\n"
        "    actor = User.objects.create(username='bench-operator-succession', is_superuser=True)\n"
        "    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "    with CaptureQueriesContext(connection) as q:\n"
        "        t = time.perf_counter()\n"
        "        done = succession_declare(actor=actor, predecessor=bkn, successor=body, effective_on=today,"
        " legal_basis='Putusan MK 121/PUU-XXII/2024')\n"
        "        took = time.perf_counter() - t\n"
        "    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "    result = {'seconds': round(took, 2), 'queries': len(q.captured_queries), 'moved': done.moved,"
        " 'peak_mb': round(peak / 1024), 'grew_mb': round((peak - before) / 1024)}\n"
        "    transaction.set_rollback(True)\n"
        "print(json.dumps(result))\n"
    )
    return json.loads(manage("shell", "--no-imports", "-c", script, capture=True).stdout.strip().splitlines()[-1])


def page_sql(paths: dict[str, tuple[str, ...]]) -> dict[str, list[str]]:
    """The SQL each page runs, captured in-process with the test client: (user, path), or (user, path, the path
    of the warm-up request when it must differ, e.g. for figures that the first request would leave cached)."""
    script = (
        "import json\n"
        "from django.db import connection\n"
        "from django.test import Client\n"
        "from django.test.utils import CaptureQueriesContext\n"
        "from netralitas.accounts.models import User\n"
        f"paths = {json.dumps(paths)}\n"
        "out = {}\n"
        "for label, (user, path, *warm) in paths.items():\n"
        "    client = Client(); client.force_login(User.objects.get(username=user)); client.get((warm or [path])[0])\n"
        "    with CaptureQueriesContext(connection) as q:\n"
        "        client.get(path)\n"
        "    out[label] = [x['sql'] for x in q.captured_queries]\n"
        "print(json.dumps(out))\n"
    )
    env_backup = dict(ENV)
    ENV["ALLOWED_HOSTS"] = "testserver"
    try:
        return json.loads(manage("shell", "--no-imports", "-c", script, capture=True).stdout.strip().splitlines()[-1])
    finally:
        ENV.clear()
        ENV.update(env_backup)


def psql_ms(statements: list[str]) -> float:
    """The statements timed by psql, as a person at the console would (best of three)."""
    best = None
    for _ in range(3):
        script = "\\timing on\n" + "".join(f"{s.rstrip(';')};\n" for s in statements)
        out = subprocess.run(
            ["psql", DATABASE_URL, "-X", "-q", "-o", "/dev/null"], input=script, capture_output=True, text=True
        ).stdout
        total = sum(float(m) for m in re.findall(r"Time: ([0-9.]+) ms", out))
        best = total if best is None else min(best, total)
    return round(best or 0.0, 1)


# A page-like workload: Django's template engine over 2,000 rows of values, in a Django process of its own.
CALIBRATION_SCRIPT = """
import time
from datetime import datetime, timezone
from django.template import engines
template = engines["django"].from_string(
    "{% for r in rows %}<tr><td>{{ r.name|upper }}</td><td>{{ r.when|date:'j M Y' }}</td>"
    "<td>{% if r.n > 5 %}{{ r.n }}{% else %}-{% endif %}</td></tr>{% endfor %}"
)
rows = [{"name": f"Baris {i}", "when": datetime(2024, 1 + i % 12, 1, tzinfo=timezone.utc), "n": i % 10}
        for i in range(2000)]
times = []
for _ in range(5):
    started = time.perf_counter()
    template.render({"rows": rows})
    times.append((time.perf_counter() - started) * 1000)
print(round(min(times), 1))
"""


def calibration() -> dict:
    """Fixed workloads timed on this machine (best of five): Django's template engine over 2,000 rows (what a
    page spends most of its time on), a pure-Python loop, and PostgreSQL counting a million rows. The speed of
    a shared machine moves by a factor of two or more between hours; these say at which speed a run was made,
    so that runs can be compared (smaller is faster). None of them is a substitute for comparing two versions
    of the code in the same run."""

    def best(run) -> float:
        times = []
        for _ in range(5):
            started = time.perf_counter()
            run()
            times.append((time.perf_counter() - started) * 1000)
        return round(min(times), 1)

    def python_loop():
        total = 0
        for i in range(1_000_000):
            total += i % 7
        return total

    def postgres_series():
        subprocess.run(["psql", DATABASE_URL, "-X", "-q", "-o", "/dev/null", "-c",
                        "SELECT count(*) FROM generate_series(1, 1000000)"], check=True)  # fmt: skip

    templates = manage("shell", "--no-imports", "-c", CALIBRATION_SCRIPT, capture=True)
    return {
        "django_templates_ms": float(templates.stdout.strip().splitlines()[-1]),
        "python_loop_ms": best(python_loop),
        "postgres_series_ms": best(postgres_series),
    }


def main() -> int:
    ensure_database()
    data = fixtures()
    cache_warning = reset_figures_cache()
    if cache_warning:
        print("WARNING:", cache_warning)
    server = Server()
    results: dict = {"made_at": datetime.now(UTC).isoformat(timespec="seconds"), "factor": float(FACTOR), "pages": {}}
    results["calibration"] = {"start": calibration()}
    results["warnings"] = [cache_warning] if cache_warning else []
    try:
        pengawas = {"Cookie": sign_in(server, "bench-pengawas")}
        pemkab = {"Cookie": sign_in(server, "bench-pemkab")}
        provinsi = {"Cookie": sign_in(server, "bench-provinsi")}
        pages = {
            "case list": (["/perkara/"], pengawas, "page"),
            "case list, filtered": ([f"/perkara/?status=referred&violation_type={data['vt']}"], pengawas, "page"),
            "case list, province": (["/perkara/"], provinsi, "page"),
            "case detail": ([f"/perkara/{c}/" for c in data["cases"]], pengawas, "page"),
            "referral board": (["/penerusan/"], pengawas, "page"),
            "referral detail": ([f"/penerusan/{r}/" for r in data["referrals"]], pengawas, "page"),
            "dashboard, regency": (["/dasbor/"], pemkab, "dashboard"),
            "dashboard, province": (["/dasbor/"], provinsi, "dashboard"),
            # Each request another filter (received up to another day), so none is answered from the cache
            # that keeps a province's figures a minute: what counting them costs. (The concurrent run takes
            # the second half of the days, so it finds nothing the run alone left in the cache.)
            "dashboard, province, uncached": (
                [f"/dasbor/?sampai={date(2026, 12, 31) - timedelta(days=n)}" for n in range(2 * REQUESTS + 6)],
                provinsi,
                "dashboard",
            ),
            "follow-up rates, province": (["/dasbor/tindak-lanjut/"], provinsi, "dashboard"),
            # Each request another filter, as above: what counting a province's follow-up rates costs.
            "follow-up, province, uncached": (
                [
                    f"/dasbor/tindak-lanjut/?sampai={date(2026, 12, 31) - timedelta(days=n)}"
                    for n in range(2 * REQUESTS + 6)
                ],
                provinsi,
                "dashboard",
            ),
            # No account: the election's figures, counted once per PUBLIC_FIGURES_CACHE_SECONDS for every visitor.
            "follow-up rates, public": ([f"/publik/pemilihan/{data['election']}/tindak-lanjut/"], {}, "page"),
            "outreach calendar": (["/kalender/"], pengawas, "page"),
        }
        token = api_token()
        if token:
            pages["API referrals, page of 100"] = (
                ["/api/v1/referrals/?page_size=100"],
                {"Authorization": f"Bearer {token}"},
                "page",
            )
        if ONLY:
            pages = {label: page for label, page in pages.items() if re.search(ONLY, label)}
        for label, (paths, headers, budget) in pages.items():
            # Twice: one client alone (the page's own latency) and CONCURRENCY clients at once (the 2 cores
            # shared by the requests, PostgreSQL and the load generator: latency under load, and throughput).
            if label.endswith("uncached"):
                alone = measure(server, paths[: len(paths) // 2], headers, concurrency=1)
                figures = measure(server, paths[len(paths) // 2 :], headers)
            else:
                alone = measure(server, paths, headers, concurrency=1)
                figures = measure(server, paths, headers)
            # The budget is a page's latency (DESIGN.md: p95 on 2 cores), read from the run alone. Under 4
            # clients the same 2 cores also run the other requests and the load generator: that run is the
            # capacity, reported beside it with the budget's figure for comparison (docs/performance.md).
            figures["budget_ms"] = BUDGETS[budget]
            figures["p95_within_budget_figure"] = figures["p95_ms"] <= BUDGETS[budget] and not figures["errors"]
            figures["alone"] = alone
            alone["meets_budget"] = alone["p95_ms"] <= BUDGETS[budget] and not alone["errors"]
            results["pages"][label] = figures
            print(f"  {label:32} alone p50 {alone['p50_ms']:6.1f} p95 {alone['p95_ms']:6.1f} ms  |  {CONCURRENCY} clients "
                  f"p50 {figures['p50_ms']:6.1f} p95 {figures['p95_ms']:6.1f} ms {figures['throughput_rps']:6.1f} req/s")  # fmt: skip
        if token and not ONLY:
            results["csv_export"] = csv_export(server, {"Authorization": f"Bearer {token}"})
    finally:
        server.stop()
    if ONLY:
        results["calibration"]["end"] = calibration()
        report(results)
        return 0
    results["sweeps"] = sweeps()
    results["succession"] = succession()
    moved = results["succession"]
    moved["meets_budget"] = moved["seconds"] <= BUDGETS["succession_s"] and moved["grew_mb"] <= BUDGETS["succession_mb"]
    results["calibration"]["end"] = calibration()
    for sweep in results["sweeps"].values():
        sweep["meets_budget"] = sweep["seconds"] <= BUDGETS["sweep_s"]
    captured = page_sql(
        {"case list": ("bench-pengawas", "/perkara/"), "dashboard, regency": ("bench-pemkab", "/dasbor/"),
         "dashboard, province": ("bench-provinsi", "/dasbor/"),
         "dashboard, province, uncached": ("bench-provinsi", "/dasbor/?sampai=2099-12-31",
                                           "/dasbor/?sampai=2099-12-30"),
         "follow-up, province, uncached": ("bench-provinsi", "/dasbor/tindak-lanjut/?sampai=2099-12-31",
                                                 "/dasbor/tindak-lanjut/?sampai=2099-12-30")}
    )  # fmt: skip
    results["sql"] = {}
    for label, statements in captured.items():
        sql_ms = psql_ms(statements)
        page = results["pages"][label]["alone"]["p50_ms"]  # the page alone against its SQL alone
        results["sql"][label] = {"queries": len(statements), "psql_ms": sql_ms, "page_p50_ms": page,
                                 "page_to_sql": round(page / sql_ms, 1) if sql_ms else None}  # fmt: skip
    report(results)
    OUT.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    for name in (f"bench-{stamp}.json", "latest.json"):
        (OUT / name).write_text(json.dumps(results, indent=2))
    print(f"\nWritten to {OUT / 'latest.json'}")
    return 0


def csv_export(server: Server, headers: dict) -> dict:
    pids = server.worker_pids()
    before = {pid: peak_rss_mb(pid) for pid in pids}
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=900)
    started = time.perf_counter()
    conn.request("GET", "/api/v1/referrals/export.csv", headers=headers)
    response = conn.getresponse()
    rows = 0
    while chunk := response.read(1 << 16):
        rows += chunk.count(b"\n")
    took = time.perf_counter() - started
    peak = max((peak_rss_mb(pid) for pid in pids), default=0.0)
    figures = {
        "status": response.status,
        "rows": max(rows - 1, 0),
        "seconds": round(took, 1),
        "rows_per_s": round(max(rows - 1, 0) / took) if took else 0,
        "server_peak_mb": round(peak, 1),
        "server_peak_before_mb": round(max(before.values(), default=0.0), 1),
    }
    figures["meets_budget"] = (
        figures["rows_per_s"] >= BUDGETS["csv_rows_per_s"] and figures["server_peak_mb"] <= BUDGETS["csv_peak_mb"]
    )
    return figures


def report(results: dict) -> None:
    for warning in results.get("warnings", []):
        print(f"\nWARNING: {warning}")
    start, end = results["calibration"]["start"], results["calibration"]["end"]
    print("\nMachine speed (smaller is faster), start / end of the run: "
          f"Django templates {start['django_templates_ms']} / {end['django_templates_ms']} ms, "
          f"Python loop {start['python_loop_ms']} / {end['python_loop_ms']} ms, "
          f"PostgreSQL 1M rows {start['postgres_series_ms']} / {end['postgres_series_ms']} ms")  # fmt: skip
    print(f"\n{'':32} {'one client alone':>24}                {CONCURRENCY} clients at once (capacity)")
    print(f"{'Page':32} {'p50 ms':>8} {'p95 ms':>8}   budget p95       {'p50 ms':>8} {'p95 ms':>8}  {'req/s':>7}"
          f"   web CPU ms/request")  # fmt: skip
    for label, f in results["pages"].items():
        a = f["alone"]
        print(f"{label:32} {a['p50_ms']:8.1f} {a['p95_ms']:8.1f}   <= {f['budget_ms']:<4.0f} {'ok' if a['meets_budget'] else 'OVER':>4}"
              f"     {f['p50_ms']:8.1f} {f['p95_ms']:8.1f}{' ' if f['p95_within_budget_figure'] else '>'} {f['throughput_rps']:7.1f}"
              f"   {a['server_cpu_ms_per_request']:8.1f}")  # fmt: skip
    if not all(f["p95_within_budget_figure"] for f in results["pages"].values()):
        print(f"  > p95 above the budget's figure with {CONCURRENCY} clients at once: the requests queue for the 2 cores "
              "they share with PostgreSQL and the load generator (capacity, not the page's latency; "
              "docs/performance.md).")  # fmt: skip
    if "csv_export" in results:
        c = results["csv_export"]
        print(f"\nCSV export: {c['rows']} rows in {c['seconds']} s = {c['rows_per_s']} rows/s, server peak "
              f"{c['server_peak_mb']} MB  {'ok' if c['meets_budget'] else 'OVER'}")  # fmt: skip
    elif "sweeps" in results:
        print("\nCSV export: the API is not installed in this build; not measured.")
    if "sweeps" not in results:
        return
    print("\nSweep                              s    queries  candidates  messages  rows")
    for label, s in results["sweeps"].items():
        print(f"{label:32} {s['seconds']:5.2f} {s['queries']:8} {s['candidates']:11} {s['messages']:9} {s['rows']:5}  "
              f"{'ok' if s['meets_budget'] else 'OVER'}")  # fmt: skip
    if "succession" in results:
        s = results["succession"]
        print(f"\nSuccession BKN to a new body (rolled back): {s['moved']} open referrals moved in {s['seconds']:.2f} s, "
              f"{s['queries']} queries, peak {s['peak_mb']} MB  {'ok' if s['meets_budget'] else 'OVER'} "
              f"(budget {BUDGETS['succession_s']:.0f} s, {BUDGETS['succession_mb']:.0f} MB)")  # fmt: skip
    print("\nSQL alone (psql)                   queries   psql ms   page p50 ms (alone)   page / SQL")
    for label, s in results["sql"].items():
        print(f"{label:32} {s['queries']:8} {s['psql_ms']:9} {s['page_p50_ms']:20} {s['page_to_sql']:12}")


if __name__ == "__main__":
    sys.exit(main())
