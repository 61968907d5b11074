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
