"""A hand-down (pelimpahan): the province hands a laporan to a regency, which receives it as a case of its own
(its register, its clarification, its decision) with the same intake, reporter, subjects and evidence."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases.demo import png_bytes
from cases.evidence import services as evidence_services
from cases.models import Case, CaseStatus, Person, ViolationType
from cases.workflow import services
from netralitas.accounts.models import Role
from tests.conftest import _member
from tests.factories import ALL_REQUIREMENTS, ElectionFactory, make_case

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def province_coordinator(offices):
    return _member("koordinator-prov", offices.province, Role.KOORDINATOR)


@pytest.fixture
def province_case(offices, regions, province_supervisor):
    """A Pemilu laporan received by the province, with a subject of Gunung Mas and a photo."""
    election = ElectionFactory(region=regions.province)
    case = make_case(
        office=offices.province,
        actor=province_supervisor,
        election=election,
        known_on=datetime(2024, 2, 10, tzinfo=WIB).date(),
        received_at=datetime(2024, 2, 12, 10, tzinfo=WIB),
        **ALL_REQUIREMENTS,
    )
    person = Person.objects.create(name="Asn Kurun", employment_type="pns", region=regions.gunung_mas)
    interaction, _ = ViolationType.objects.get_or_create(code="MEDSOS-INTERAKSI", defaults={"name": "Interaksi"})
    subject = services.subject_add(case=case, actor=province_supervisor, person=person, violation_types=[interaction])
    evidence_services.evidence_add(
        case=case,
        actor=province_supervisor,
        kind="foto",
        subject=subject,
        upload=SimpleUploadedFile("foto.png", png_bytes((3, 4, 5))),
    )
    return case


def test_the_province_hands_a_laporan_down_and_the_regency_receives_a_case_of_its_own(
    offices, province_case, province_coordinator, koordinator
):
    original = services.case_transition(
        case=province_case,
        actor=province_coordinator,
        name="hand_over",
        expected_version=None,
        reason="Terlapor ASN Pemkab Gunung Mas: ditangani Bawaslu Gunung Mas.",
        handed_over_to=offices.gunung_mas,
        at=datetime(2024, 2, 13, 9, tzinfo=WIB),
    )
    assert original.status == CaseStatus.HANDED_OVER
    received = Case.objects.get(handed_over_from=original)
    assert received.office == offices.gunung_mas and received.status == CaseStatus.RECEIVED
    assert received.received_at == original.received_at  # the report's time limit was judged on it
    assert received.review_due > original.review_due  # the initial review counts from the hand-down
    assert received.reporter.name == original.reporter.name
    [subject] = received.subjects.all()
    assert subject.person == original.subjects.get().person and subject.outcome == "pending"
    assert [v.code for v in subject.violation_types.all()] == ["MEDSOS-INTERAKSI"]
    [photo] = received.evidence.all()
    assert photo.sha256 == original.evidence.get().sha256 and photo.subject == subject and photo.file
    event = received.events.get(action="case.handed_in")
    assert timezone.localdate(event.occurred_at) == date(2024, 2, 13)
    assert original.events.get(action="case.hand_over").data["received_as"] == str(received.code)
    # the receiving office's staff are told, in the inbox and by e-mail
    from netralitas.notify.models import Notification

    told = Notification.objects.filter(template="case_handed_in", channel="inbox")
    assert {n.recipient.username for n in told} == {"koordinator"}
    assert "Bawaslu Provinsi Kalimantan Tengah" in told.get().context["from_office"]
    # the regency works it from here: its coordinator registers it in its own register
    registered = services.case_transition(
        case=received,
        actor=koordinator,
        name="register",
        expected_version=None,
        at=datetime(2024, 2, 14, 9, tzinfo=WIB),
    )
    assert registered.number.endswith("/62.10/II/2024")


def test_a_regency_coordinator_cannot_hand_the_province_case(offices, province_case, koordinator):
    with pytest.raises(services.PermissionRefused):
        services.case_transition(
            case=province_case,
            actor=koordinator,
            name="hand_over",
            expected_version=None,
            reason="x",
            handed_over_to=offices.gunung_mas,
        )


def test_both_pages_link_the_two_cases(client, offices, province_case, province_coordinator, pengawas):
    client.force_login(province_coordinator)
    url = reverse("cases:transition", args=[province_case.code, "hand_over"])
    response = client.post(
        url,
        {
            "version": province_case.version,
            "handed_over_to": offices.gunung_mas.pk,
            "reason": "Ditangani kabupaten.",
            "at": "2024-02-13T09:00",
        },
    )
    assert response.status_code == 302
    received = Case.objects.get(handed_over_from=province_case)
    page = client.get(reverse("cases:detail", args=[province_case.code])).content.decode()
    assert "Dilimpahkan ke" in page and str(received.code) in page
    client.force_login(pengawas)
    page = client.get(reverse("cases:detail", args=[received.code])).content.decode()
    assert "Dilimpahkan dari" in page and "Bawaslu Provinsi Kalimantan Tengah" in page
