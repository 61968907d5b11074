"""An office admin adds an election in the admin site; choosing Pemilu fills in the Pemilu rules."""

import pytest
from playwright.sync_api import expect

from netralitas.accounts.groups import ensure_office_admin_group
from tests.e2e.conftest import sign_in
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_choosing_pemilu_fills_the_pemilu_deadline_rules(office_admin, regions, page):
    office_admin.is_staff = True
    office_admin.save()
    office_admin.groups.add(ensure_office_admin_group())
    sign_in(page, "admin", TEST_PASSWORD)
    page.goto("/admin/reference/election/add/")
    expect(page.locator("#id_decision_days")).to_have_value("3")  # Pilkada by default
    page.locator("#id_kind").select_option("pemilu")
    expect(page.locator("#id_decision_days")).to_have_value("7")
    expect(page.locator("#id_decision_day_kind")).to_have_value("kerja")
    expect(page.locator("#id_report_day_kind")).to_have_value("kerja")
