"""factory_boy factories for the test suite (no JSON fixtures)."""

from datetime import date

import factory

from netralitas.accounts.models import Membership, Role, User
from netralitas.reference.models import Agency, Election, NonWorkingDay, Office, Region

TEST_PASSWORD = "kata-sandi-uji-123"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"{10 + n % 80:02d}")
    name = factory.Sequence(lambda n: f"Provinsi Uji {n}")
    level = Region.Level.PROVINCE
    parent = None


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office
        django_get_or_create = ["region"]

    region = factory.SubFactory(RegionFactory)
    name = factory.LazyAttribute(lambda o: f"Bawaslu {o.region.name}")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    regency = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Dinas Uji {n}")


class ElectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Election
        django_get_or_create = ["kind", "year", "region"]

    kind = Election.Kind.PILKADA
    name = factory.Sequence(lambda n: f"Pilkada Uji {n}")
    year = 2024
    region = factory.SubFactory(RegionFactory)
    voting_day = date(2024, 11, 27)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        rules = Election.default_rules(kwargs.get("kind", Election.Kind.PILKADA))
        return super()._create(model_class, *args, **{**rules, **kwargs})


class NonWorkingDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NonWorkingDay

    name = "Hari libur uji"
    kind = NonWorkingDay.Kind.OTHER
    region = None


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"pengguna{n}")
    full_name = factory.LazyAttribute(lambda o: f"Nama {o.username}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@uji.test")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    office = factory.SubFactory(OfficeFactory)
    role = Role.PENGAWAS


def make_case(*, office, actor, election=None, source="laporan", known_on=None, received_at=None, **fields):
    """A case recorded through the service, as the intake form would."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from cases.workflow.services import Intake, case_create

    election = election or ElectionFactory(region=office.region)
    known_on = known_on or date(2024, 10, 14)
    received_at = received_at or datetime(2024, 10, 15, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    reporter = (
        {"name": "Warga Pelapor", "address": "Kuala Kurun", "phone": "0812000000"} if source == "laporan" else None
    )
    defaults = {
        "title": "ASN menyukai unggahan calon",
        "chronology": "Terlapor menyukai dan mengomentari unggahan akun calon nomor 2.",
    }
    return case_create(
        office=office,
        election=election,
        source=source,
        actor=actor,
        intake=Intake(known_on=known_on, received_at=received_at, reporter=reporter, **{**defaults, **fields}),
    )


ALL_REQUIREMENTS = {
    "req_reporter_identity": True,
    "req_reported_identity": True,
    "req_signature": True,
    "req_time_place": True,
    "req_description": True,
    "req_evidence": True,
}


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.Person"

    name = factory.Sequence(lambda n: f"Terlapor Uji {n}")
    employment_type = "pns"
    region = factory.SubFactory(RegionFactory)


def decided_case(
    offices, pengawas, koordinator, regions, *, year=2024, people=(("Asn Satu", "pns", "198503122010011004"),)
):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from cases.models import Person, SubjectOutcome, ViolationType
    from cases.workflow import services

    interaction, _ = ViolationType.objects.get_or_create(
        code="MEDSOS-INTERAKSI", defaults={"name": "Berinteraksi dengan akun calon di media sosial"}
    )
    WIB = ZoneInfo("Asia/Jakarta")
    election = ElectionFactory(region=regions.gunung_mas, year=year)
    received = datetime(year, 10, 15, 9, tzinfo=WIB)
    case = make_case(
        office=offices.gunung_mas,
        actor=pengawas,
        election=election,
        known_on=received.date(),
        received_at=received,
        **ALL_REQUIREMENTS,
    )
    case = services.case_transition(
        case=case, actor=koordinator, name="register", expected_version=None, at=datetime(year, 10, 16, 10, tzinfo=WIB)
    )
    for name, kind, nip, *outcome in people:  # each person proven, unless their outcome is given
        subject = services.subject_add(
            case=case,
            actor=pengawas,
            person=Person.objects.create(name=name, employment_type=kind, nip=nip, region=regions.gunung_mas),
        )
        services.subject_update(
            subject=subject,
            actor=pengawas,
            violation_types=[interaction],
            outcome=outcome[0] if outcome else SubjectOutcome.PROVEN,
        )
    return services.case_transition(
        case=case,
        actor=koordinator,
        name="decide",
        expected_version=None,
        reason="Terbukti",
        at=datetime(year, 10, 18, 15, tzinfo=WIB),
    )


def declare_succession(institutions, actor, on=None):
    """KASN succeeded by BKN (the one way open KASN referrals move); returns the ``Succession``."""
    from datetime import date

    from cases.referrals.succession import succession_declare

    return succession_declare(
        actor=actor,
        predecessor=institutions.kasn,
        successor=institutions.bkn,
        effective_on=on or date(2024, 8, 24),
        legal_basis="UU 20/2023; Perpres 91/2024 dan 92/2024",
    )
