"""The scale data set, at a small factor: every table filled in proportion, the invariants the database holds
(constraints) kept, the same seed giving the same data, and the pages working on it."""

import pytest

from cases.models import Case, CaseEvent, CaseSubject, Evidence, Referral
from netralitas.accounts.models import User
from outreach.models import OutreachSession
from scripts.scale_data import BENCH_USERNAMES, generate, main


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_small_scale_data_set_is_whole_and_the_pages_work_on_it(client, media, db, capsys):
    report = generate(factor=0.002, seed=7, log=lambda *_: None)
    assert Case.objects.count() == 400
    assert 550 <= CaseSubject.objects.count() <= 650
    assert Evidence.objects.count() == 1200
    assert CaseEvent.objects.count() > 7 * 400
    assert 0 < Referral.objects.count() <= 240
    assert OutreachSession.objects.count() == 40
    assert report.counts["cases_case"] == 400
    # every laporan has its reporter, in the right columns
    laporan = Case.objects.filter(source="laporan").select_related("reporter").first()
    assert laporan.reporter.name.startswith("Pelapor") and laporan.reporter.address == "Alamat pelapor"

    client.force_login(User.objects.get(username=BENCH_USERNAMES["pengawas"]))
    case = Case.objects.filter(office__memberships__user__username=BENCH_USERNAMES["pengawas"]).first()
    for path in ["/perkara/", f"/perkara/{case.code}/", "/penerusan/", "/dasbor/", "/kalender/"]:
        assert client.get(path).status_code == 200, path

    assert main(["--factor", "0.002"]) == 1  # a second load is refused, nothing written twice
    assert "sudah ada" in capsys.readouterr().out
    assert Case.objects.count() == 400


def test_the_same_seed_gives_the_same_data(media, db):
    from datetime import UTC, datetime

    from django.db import transaction

    moment = datetime(2026, 11, 1, 3, tzinfo=UTC)

    def sample(seed):
        with transaction.atomic():
            generate(factor=0.002, seed=seed, now=moment, log=lambda *_: None)
            rows = list(Case.objects.order_by("pk").values_list("code", "status", "received_at", "title")[:50])
            transaction.set_rollback(True)  # leave the database as it was for the next run
        return rows

    first, again, other = sample(11), sample(11), sample(12)
    assert len(first) == 50 and first == again
    assert first != other
