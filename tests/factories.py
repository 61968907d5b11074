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
