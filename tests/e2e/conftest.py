"""Browser tests: Debian's chromium driven by Playwright (no browser download), against live_server."""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make around the
# browser (creating personas) are synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture
def browser():
    """A fresh Playwright and Chromium per test.

    While Playwright's sync API runs, code in the test runs in a greenlet with its own context variables,
    and Django keeps database connections per context: ORM calls made then (factories in the test body,
    personas set up after this fixture) open a connection of their own. It is closed here, before
    Playwright stops, or it would outlive the test and keep the test database from being dropped.
    """
    from django.db import connections
    from playwright.sync_api import sync_playwright

    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (make test does: apt-get install -y chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
            connections.close_all()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="id-ID", timezone_id="Asia/Jakarta", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def sign_in(page, username, password):
    page.goto("/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()


@pytest.fixture
def seeded_violation_types(transactional_db):
    """The taxonomy seeded by a migration, again: a transactional test starts from an emptied database."""
    import importlib

    from django.apps import apps

    importlib.import_module("cases.migrations.0002_seed_violation_types").seed(apps, None)
