"""Personas shared by the suite: a small Kalimantan Tengah with Gunung Mas and Palangka Raya.

- ``pengawas``, ``koordinator``, ``admin``, ``pemkab``: Bawaslu Gunung Mas, one per role
- ``outsider``: a supervisor of Palangka Raya (another regency)
- ``province_supervisor``: a supervisor of the Kalimantan Tengah province office
"""

from datetime import date
from types import SimpleNamespace

import pytest

from netralitas.accounts.models import Role
from netralitas.reference.models import Region
from tests.factories import MembershipFactory, OfficeFactory, RegionFactory, UserFactory


@pytest.fixture
def regions(db):
    province = RegionFactory(code="62", name="Kalimantan Tengah", level=Region.Level.PROVINCE)
    gunung_mas = RegionFactory(code="62.10", name="Kabupaten Gunung Mas", level=Region.Level.REGENCY, parent=province)
    kurun = RegionFactory(code="62.10.01", name="Kurun", level=Region.Level.DISTRICT, parent=gunung_mas)
    palangka_raya = RegionFactory(code="62.71", name="Kota Palangka Raya", level=Region.Level.REGENCY, parent=province)
    pahandut = RegionFactory(code="62.71.01", name="Pahandut", level=Region.Level.DISTRICT, parent=palangka_raya)
    return SimpleNamespace(
        province=province, gunung_mas=gunung_mas, kurun=kurun, palangka_raya=palangka_raya, pahandut=pahandut
    )


@pytest.fixture
def offices(regions):
    return SimpleNamespace(
        province=OfficeFactory(region=regions.province, name="Bawaslu Provinsi Kalimantan Tengah"),
        gunung_mas=OfficeFactory(region=regions.gunung_mas, name="Bawaslu Kabupaten Gunung Mas"),
        palangka_raya=OfficeFactory(region=regions.palangka_raya, name="Bawaslu Kota Palangka Raya"),
    )


def _member(username, office, role):
    return MembershipFactory(user=UserFactory(username=username), office=office, role=role).user


@pytest.fixture
def pengawas(offices):
    return _member("pengawas", offices.gunung_mas, Role.PENGAWAS)


@pytest.fixture
def koordinator(offices):
    return _member("koordinator", offices.gunung_mas, Role.KOORDINATOR)


@pytest.fixture
def operator(offices):
    return _member("operator", offices.province, Role.OPERATOR)


@pytest.fixture
def office_admin(offices):
    return _member("admin", offices.gunung_mas, Role.ADMIN)


@pytest.fixture
def pemkab(offices):
    return _member("pemkab", offices.gunung_mas, Role.PEMKAB)


@pytest.fixture
def outsider(offices):
    return _member("pengawas2", offices.palangka_raya, Role.PENGAWAS)


@pytest.fixture
def province_supervisor(offices):
    return _member("provinsi", offices.province, Role.PENGAWAS)


@pytest.fixture
def institutions(regions):
    from netralitas.reference.models import Institution

    bkn = Institution.objects.create(
        code="bkn",
        name="Badan Kepegawaian Negara",
        short_name="BKN",
        kind="pengawas_asn",
        active_from=date(2024, 8, 24),
        response_days=14,
    )
    kasn = Institution.objects.create(
        code="kasn",
        name="Komisi Aparatur Sipil Negara",
        short_name="KASN",
        kind="pengawas_asn",
        active_until=date(2024, 8, 23),
        successor=bkn,
        response_days=14,
    )
    employer = Institution.objects.create(
        code="pemberi-kerja", name="Instansi pemberi kerja", short_name="Pemberi kerja", kind="pemberi_kerja"
    )
    ppk = Institution.objects.create(
        code="ppk-6210",
        name="Bupati Gunung Mas",
        short_name="PPK Gunung Mas",
        kind="ppk",
        region=regions.gunung_mas,
        response_days=10,
    )
    gakkumdu = Institution.objects.create(
        code="gakkumdu-6210",
        name="Sentra Gakkumdu Kabupaten Gunung Mas",
        short_name="Gakkumdu Gunung Mas",
        kind="gakkumdu",
        region=regions.gunung_mas,
    )
    return type("I", (), {"bkn": bkn, "kasn": kasn, "employer": employer, "ppk": ppk, "gakkumdu": gakkumdu})


def point_broker_at(monkeypatch, url: str) -> None:
    """Send Celery's messages to ``url`` for one test (Celery reads CELERY_BROKER_URL from the environment
    before its configuration, so both are changed; monkeypatch restores them)."""
    from netralitas.celery import app

    monkeypatch.setenv("CELERY_BROKER_URL", url)
    monkeypatch.setattr(app.conf, "broker_url", url)


@pytest.fixture
def bkn_client(institutions):
    """BKN's system, with a read-write token (``bkn_client.token``)."""
    from tests.api_world import make_client

    return make_client(institutions.bkn)


@pytest.fixture
def employer_client(institutions):
    """Another institution's system (the employing agency): sees none of BKN's referrals."""
    from tests.api_world import make_client

    return make_client(institutions.employer)
