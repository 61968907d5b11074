"""NIP validation: 18 digits with a real birth date, appointment month and sex digit."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from cases.workflow.nip import parse_nip

TODAY = date(2026, 11, 22)


def test_a_valid_nip_is_parsed():
    nip = parse_nip("19850312 201001 1 004", today=TODAY)
    assert nip.value == "198503122010011004"
    assert (nip.birth_date, nip.appointed, nip.sex, nip.sequence) == (date(1985, 3, 12), (2010, 1), "L", 4)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("19850312201001100", "18 angka"),
        ("1985031220100110045", "18 angka"),
        ("19850312201001100A", "18 angka"),
        ("198502302010011004", "tanggal lahir yang ada"),  # 30 February
        ("185003122010011004", "tidak masuk akal"),  # born in 1850
        ("201503122010011004", "tidak masuk akal"),  # born 2015
        ("198503122010131004", "bulan pengangkatan"),
        ("198503122030011004", "pengangkatan"),  # appointed in the future
        ("198503121995011004", "pengangkatan"),  # appointed at ten
        ("198503122010013004", "jenis kelamin"),
    ],
)
def test_invalid_nips_are_refused_with_the_reason(raw, message):
    with pytest.raises(ValidationError, match=message):
        parse_nip(raw, today=TODAY)


def test_a_pppk_number_has_21_where_the_month_would_be():
    nip = parse_nip("19900101 2022 21 2 015", today=TODAY)
    assert nip.value == "199001012022212015"
    assert (nip.kind, nip.appointed, nip.sex, nip.sequence) == ("pppk", (2022, None), "P", 15)
    assert parse_nip("198503122010011004", today=TODAY).kind == "pns"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("199001012030212015", "pengangkatan"),  # appointed in the future
        ("199001012000212015", "pengangkatan"),  # appointed at ten
        ("199001012022223015", "bulan pengangkatan"),  # 22: neither a month nor the PPPK mark
    ],
)
def test_invalid_pppk_numbers_are_refused(raw, message):
    with pytest.raises(ValidationError, match=message):
        parse_nip(raw, today=TODAY)


def test_a_pns_cannot_have_a_pppk_number():
    from cases.workflow.nip import check_nip_kind

    pppk = parse_nip("199001012022212015", today=TODAY)
    check_nip_kind(pppk, "pppk")
    with pytest.raises(ValidationError, match="berformat PPPK"):
        check_nip_kind(pppk, "pns")


@pytest.mark.django_db
def test_a_pppk_is_recorded_with_the_number(offices, pengawas, regions):
    from cases.workflow import services
    from tests.factories import make_case

    case = make_case(office=offices.gunung_mas, actor=pengawas)
    subject = services.subject_add_new_person(
        case=case,
        actor=pengawas,
        person=services.NewPerson(name="Guru PPPK", nip="1990 0101 2022 21 2 015", employment_type="pppk"),
        violation_types=[],
    )
    assert subject.person.nip == "199001012022212015"
    with pytest.raises(services.CaseError, match="berformat PPPK"):
        services.subject_add_new_person(
            case=case,
            actor=pengawas,
            person=services.NewPerson(name="Salah Status", nip="199001012022212016", employment_type="pns"),
            violation_types=[],
        )
