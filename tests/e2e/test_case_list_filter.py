"""The case list filtered in place (htmx): the results, the address and the highlighted quick list follow the
filter. In a real browser."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from tests.factories import TEST_PASSWORD, ElectionFactory, make_case

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_quick_lists_follow_a_filter_chosen_in_place(page, pengawas, offices, regions):
    election = ElectionFactory(region=regions.gunung_mas)
    make_case(office=offices.gunung_mas, actor=pengawas, election=election, title="Kasus yang baru diterima")
    sign_in(page, "pengawas", TEST_PASSWORD)
    page.goto("/perkara/")
    quick = page.get_by_role("navigation", name="Daftar cepat")
    everything = quick.get_by_role("link", name="Semua")
    expect(everything).to_have_attribute("aria-current", "page")
    expect(page.get_by_text("Kasus yang baru diterima")).to_be_visible()

    # The form is sent on change and only the results are replaced, the quick lists with them.
    page.get_by_label("Status", exact=True).select_option("closed")
    expect(page).to_have_url(re.compile(r"status=closed"))
    expect(page.get_by_text("Kasus yang baru diterima")).to_have_count(0)
    expect(everything).not_to_have_attribute("aria-current", "page")
    expect(quick.locator(".active")).to_have_count(0)

    # Overdue among the closed ones is not the quick list "Terlambat"; overdue alone is.
    late = quick.get_by_role("link", name="Terlambat")
    page.get_by_label("Tenggat", exact=True).select_option("overdue")
    expect(page).to_have_url(re.compile(r"due=overdue"))
    expect(quick.locator(".active")).to_have_count(0)
    page.get_by_label("Status", exact=True).select_option("")
    expect(late).to_have_attribute("aria-current", "page")

    # Emptying the filter again (the form still sends its empty fields) is the whole list.
    page.get_by_label("Tenggat", exact=True).select_option("")
    expect(page.get_by_text("Kasus yang baru diterima")).to_be_visible()
    expect(everything).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("navigation", name="Daftar cepat")).to_have_count(1)
