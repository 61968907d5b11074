"""The case workflow: every transition allowed and refused (by role, by guard), deadlines, numbering,
stale versions, and the timeline written with each change."""

import threading
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import timezone

from cases.api import services as api_services
from cases.evidence import services as evidence_services
from cases.models import Case, CaseEvent, CaseOutcome, CaseStatus, SubjectOutcome, ViolationType
from cases.workflow import services
from cases.workflow.services import CaseError, PermissionRefused, StaleVersion, TransitionNotAllowed
from tests.factories import ALL_REQUIREMENTS, ElectionFactory, NonWorkingDayFactory, PersonFactory, make_case

WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def case(offices, pengawas, koordinator):
    return make_case(office=offices.gunung_mas, actor=pengawas, **ALL_REQUIREMENTS)


def take(case, actor, name, **kwargs):
    kwargs.setdefault("expected_version", Case.objects.get(pk=case.pk).version)
    return services.case_transition(case=case, actor=actor, name=name, **kwargs)


def add_subject(case, actor, outcome=None, **person):
    subject = services.subject_add(
        case=case,
        actor=actor,
        person=PersonFactory(region=case.office.region, **person),
        violation_types=ViolationType.objects.filter(code="MEDSOS-INTERAKSI"),
    )
    if outcome:
        services.subject_update(
            subject=subject, actor=actor, violation_types=subject.violation_types.all(), outcome=outcome
        )
    return subject


def register(case, koordinator):
    return take(case, koordinator, "register", at=datetime(2024, 10, 16, 10, 0, tzinfo=WIB))


# --- intake and deadlines --------------------------------------------------------------------------------


def test_intake_computes_the_time_limits_and_writes_the_first_event(case):
    # Pilkada: report within 7 calendar days of 14 Oct; initial review 2 days after 15 Oct
    assert (case.report_due, case.review_due) == (date(2024, 10, 21), date(2024, 10, 17))
    assert not case.filed_late
    event = case.events.get()
    assert (event.action, event.to_status, event.data["filed_late"]) == ("case.created", "received", False)
    assert case.reporter.name == "Warga Pelapor"


def test_a_late_report_is_recorded_but_cannot_be_registered(offices, pengawas, koordinator):
    late = make_case(
        office=offices.gunung_mas,
        actor=pengawas,
        known_on=date(2024, 10, 1),
        received_at=datetime(2024, 10, 15, 9, tzinfo=WIB),
        **ALL_REQUIREMENTS,
    )
    assert late.filed_late
    with pytest.raises(TransitionNotAllowed, match="melewati batas lapor"):
        take(late, koordinator, "register")
    late = take(late, koordinator, "not_register", reason="Melewati batas waktu 7 hari.")
    assert late.status == CaseStatus.NOT_REGISTERED
    assert late.status_reason == "Melewati batas waktu 7 hari."


def test_pemilu_report_limit_counts_working_days_over_holidays(offices, pengawas):
    pemilu = ElectionFactory(kind="pemilu", region=None, year=2029)
    case = make_case(
        office=offices.gunung_mas,
        actor=pengawas,
        election=pemilu,
        known_on=date(2024, 12, 20),
        received_at=datetime(2024, 12, 23, 9, tzinfo=WIB),
    )
    assert case.report_due == date(2025, 1, 3)  # 7 working days: 23, 24, 27, 30, 31 Dec, 2, 3 Jan


def test_decision_deadline_and_the_one_extension(case, koordinator, regions):
    NonWorkingDayFactory(date=date(2024, 10, 18), name="Libur uji", region=regions.gunung_mas)
    case = register(case, koordinator)
    assert case.decision_due == date(2024, 10, 19)  # Pilkada: 3 calendar days after 16 Oct
    case = services.case_extend(case=case, actor=koordinator, expected_version=case.version, reason="Menunggu saksi")
    assert (case.extended, case.decision_due) == (True, date(2024, 10, 21))
    with pytest.raises(TransitionNotAllowed, match="hanya sekali"):
        services.case_extend(case=case, actor=koordinator, expected_version=case.version, reason="Lagi")
    assert case.events.filter(action="case.extended").get().data["decision_due"] == ["2024-10-19", "2024-10-21"]


def test_working_day_decision_deadline_skips_weekend_and_declared_day(offices, pengawas, koordinator, regions):
    election = ElectionFactory(region=regions.gunung_mas, decision_day_kind="kerja")
    NonWorkingDayFactory(date=date(2024, 10, 21), name="Libur daerah uji", region=regions.gunung_mas)
    case = make_case(office=offices.gunung_mas, actor=pengawas, election=election, **ALL_REQUIREMENTS)
    case = take(case, koordinator, "register", at=datetime(2024, 10, 17, 10, tzinfo=WIB))  # Thursday
    # 3 working days after Thu 17 Oct: Fri 18, (Sat, Sun, Mon 21 declared), Tue 22, Wed 23
    assert case.decision_due == date(2024, 10, 23)


def test_only_staff_of_the_office_record_cases(offices, outsider, pemkab):
    for user in (outsider, pemkab):
        with pytest.raises(PermissionRefused):
            make_case(office=offices.gunung_mas, actor=user)


# --- transitions -----------------------------------------------------------------------------------------


def test_register_needs_a_coordinator(case, pengawas):
    with pytest.raises(PermissionRefused):
        take(case, pengawas, "register")


def test_register_needs_every_requirement(offices, pengawas, koordinator):
    incomplete = make_case(office=offices.gunung_mas, actor=pengawas, req_evidence=False)
    with pytest.raises(TransitionNotAllowed, match="Syarat belum terpenuhi"):
        take(incomplete, koordinator, "register")


def test_a_finding_needs_no_reporter_requirements(offices, pengawas, koordinator):
    finding = make_case(
        office=offices.gunung_mas,
        actor=pengawas,
        source="temuan",
        req_reported_identity=True,
        req_time_place=True,
        req_description=True,
        req_evidence=True,
    )
    assert not hasattr(finding, "reporter") or not Case.objects.filter(pk=finding.pk, reporter__isnull=False).exists()
    assert take(finding, koordinator, "register").number.split("/")[2] == "TM"


def test_register_assigns_a_number_from_the_office_pattern(case, koordinator, offices):
    case = register(case, koordinator)
    assert case.number == "001/Reg/LP/PB/62.10/X/2024"
    assert (case.number_year, case.number_seq) == (2024, 1)
    event = case.events.get(action="case.register")
    assert (event.from_status, event.to_status, event.data["number"]) == ("received", "registered", case.number)


def test_register_numbers_are_consecutive_per_office_and_year(offices, pengawas, koordinator, outsider):
    first = register(make_case(office=offices.gunung_mas, actor=pengawas, **ALL_REQUIREMENTS), koordinator)
    second = register(make_case(office=offices.gunung_mas, actor=pengawas, **ALL_REQUIREMENTS), koordinator)
    assert (first.number_seq, second.number_seq) == (1, 2)


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_get_distinct_numbers(offices, pengawas, koordinator):
    cases = [make_case(office=offices.gunung_mas, actor=pengawas, **ALL_REQUIREMENTS) for _ in range(6)]
    barrier = threading.Barrier(len(cases))
    errors = []

    def register_one(c):
        try:
            barrier.wait()
            services.case_transition(case=c, actor=koordinator, name="register", expected_version=None)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=register_one, args=(c,)) for c in cases]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    seqs = sorted(Case.objects.values_list("number_seq", flat=True))
    assert seqs == [1, 2, 3, 4, 5, 6]


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_of_two_years_number_each_year_from_one(offices, pengawas, koordinator):
    """Cases of 2020 entered today beside cases of 2024, registered at once: each takes its number from the
    year of its own registration date, each year counting from 1 without a gap or a repeat."""
    old = ElectionFactory(region=offices.gunung_mas.region, year=2020)
    cases = [make_case(office=offices.gunung_mas, actor=pengawas, **ALL_REQUIREMENTS) for _ in range(3)] + [
        make_case(
            office=offices.gunung_mas,
            actor=pengawas,
            election=old,
            known_on=date(2020, 10, 5),
            received_at=datetime(2020, 10, 6, 10, tzinfo=WIB),
            **ALL_REQUIREMENTS,
        )
        for _ in range(3)
    ]
    barrier = threading.Barrier(len(cases))
    errors = []

    def register_one(c):
        try:
            barrier.wait()
            at = datetime(2020, 10, 7, 10, tzinfo=WIB) if c.received_at.year == 2020 else None
            services.case_transition(case=c, actor=koordinator, name="register", expected_version=None, at=at)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=register_one, args=(c,)) for c in cases]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbered = sorted(Case.objects.values_list("number_year", "number_seq"))
    this_year = timezone.localdate().year
    assert numbered == sorted([(2020, 1), (2020, 2), (2020, 3), (this_year, 1), (this_year, 2), (this_year, 3)])
    assert all("/X/2020" in n for n in Case.objects.filter(number_year=2020).values_list("number", flat=True))


def test_not_register_and_stop_need_a_reason(case, koordinator):
    with pytest.raises(TransitionNotAllowed, match="Isi alasan"):
        take(case, koordinator, "not_register", reason="  ")
    case = register(case, koordinator)
    with pytest.raises(TransitionNotAllowed, match="Isi alasan"):
        take(case, koordinator, "stop")
    assert take(case, koordinator, "stop", reason="Terlapor tidak ditemukan").status == CaseStatus.STOPPED


def test_transition_from_a_wrong_status_is_refused(case, koordinator):
    with pytest.raises(TransitionNotAllowed, match="tidak dapat dilakukan"):
        take(case, koordinator, "decide", reason="x")
    with pytest.raises(TransitionNotAllowed):
        take(case, koordinator, "close")


def test_deciding_needs_a_subject_and_an_outcome_for_each(case, pengawas, koordinator):
    case = register(case, koordinator)
    with pytest.raises(TransitionNotAllowed, match="sedikitnya satu terlapor"):
        take(case, koordinator, "decide", reason="Pleno")
    add_subject(case, pengawas)
    with pytest.raises(TransitionNotAllowed, match="Tetapkan hasil untuk setiap terlapor"):
        take(case, koordinator, "decide", reason="Pleno")


def test_the_full_path_to_a_decision_writes_every_step(case, pengawas, koordinator):
    case = register(case, koordinator)
    first = add_subject(case, pengawas, name="Asn Satu")
    add_subject(case, pengawas, name="Honorer Dua", employment_type="honorer")
    meeting = services.meeting_schedule(
        case=case,
        actor=pengawas,
        invitee_role="terlapor",
        invitee_name="Asn Satu",
        subject=first,
        scheduled_at=datetime(2024, 10, 17, 9, tzinfo=WIB),
        place="Kantor Bawaslu Gunung Mas",
    )
    assert Case.objects.get(pk=case.pk).status == CaseStatus.UNDER_REVIEW
    services.meeting_record(meeting=meeting, actor=pengawas, status="dilaksanakan", minutes="Mengakui menyukai.")
    for subject in case.subjects.all():
        services.subject_update(
            subject=subject,
            actor=pengawas,
            violation_types=subject.violation_types.all(),
            outcome=SubjectOutcome.PROVEN,
        )
    decided = take(case, koordinator, "decide", reason="Terbukti; diteruskan ke BKN.")
    assert (decided.status, decided.outcome) == (CaseStatus.DECIDED, CaseOutcome.OTHER_LAW)
    with pytest.raises(TransitionNotAllowed, match="penerusannya"):
        take(decided, koordinator, "close")
    actions = list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))
    assert actions == [
        "case.created",
        "case.register",
        "subject.added",
        "subject.added",
        "case.start_review",  # the first clarification starts the review, through the workflow's step
        "meeting.scheduled",
        "meeting.recorded",
        "subject.updated",
        "subject.updated",
        "case.decide",
    ]


def test_a_case_found_not_a_violation_can_be_closed(case, pengawas, koordinator):
    case = register(case, koordinator)
    add_subject(case, pengawas, outcome=SubjectOutcome.NOT_PROVEN)
    case = take(case, koordinator, "decide", reason="Tidak terbukti")
    assert case.outcome == CaseOutcome.NOT_A_VIOLATION
    case = take(case, koordinator, "close")
    assert case.status == CaseStatus.CLOSED and case.closed_at


def test_start_review_by_a_supervisor(case, pengawas, koordinator):
    case = register(case, koordinator)
    assert take(case, pengawas, "start_review").status == CaseStatus.UNDER_REVIEW


def test_hand_over_needs_another_office(case, koordinator, offices):
    with pytest.raises(TransitionNotAllowed, match="Pilih kantor"):
        take(case, koordinator, "hand_over", reason="Kewenangan provinsi")
    with pytest.raises(TransitionNotAllowed, match="kantor lain"):
        take(case, koordinator, "hand_over", reason="x", handed_over_to=offices.gunung_mas)
    case = take(case, koordinator, "hand_over", reason="Kewenangan provinsi", handed_over_to=offices.province)
    assert (case.status, case.handed_over_to) == (CaseStatus.HANDED_OVER, offices.province)


def test_outsider_and_pemkab_cannot_take_any_step(case, outsider, pemkab):
    for user in (outsider, pemkab):
        for name in services.TRANSITIONS:
            with pytest.raises(PermissionRefused):
                take(case, user, name, reason="x")


def test_province_coordinator_may_take_plenary_steps_in_its_regencies(case, offices):
    from netralitas.accounts.models import Role
    from tests.factories import MembershipFactory, UserFactory

    province_chair = UserFactory(username="ketua-provinsi")
    MembershipFactory(user=province_chair, office=offices.province, role=Role.KOORDINATOR)
    assert register(case, province_chair).status == CaseStatus.REGISTERED


def test_transitions_offered_follow_role_and_status(case, pengawas, koordinator):
    assert [t.name for t in services.transitions_for(case, pengawas)] == []
    assert [t.name for t in services.transitions_for(case, koordinator)] == ["register", "not_register", "hand_over"]


# --- edits and stale versions ----------------------------------------------------------------------------


def test_a_stale_save_is_refused_with_a_clear_message(case, pengawas, koordinator):
    opened_at = case.version
    services.case_update(case=case, actor=koordinator, expected_version=opened_at, title="Judul baru koordinator")
    with pytest.raises(StaleVersion, match="sudah diubah oleh Nama koordinator"):
        services.case_update(case=case, actor=pengawas, expected_version=opened_at, title="Judul dari pengawas")
    assert Case.objects.get(pk=case.pk).title == "Judul baru koordinator"


def test_a_stale_transition_is_refused(case, koordinator):
    stale = case.version
    services.case_update(case=case, actor=koordinator, expected_version=stale, title="Diubah")
    with pytest.raises(StaleVersion):
        services.case_transition(case=case, actor=koordinator, name="register", expected_version=stale)


def test_edit_records_old_and_new_values_and_recomputes_deadlines(case, pengawas):
    case = services.case_update(case=case, actor=pengawas, expected_version=case.version, known_on=date(2024, 10, 12))
    assert case.report_due == date(2024, 10, 19)
    event = case.events.get(action="case.updated")
    assert event.data["changes"]["known_on"] == ["2024-10-14", "2024-10-12"]


def test_reporter_identity_changes_are_recorded_without_values(case, pengawas):
    services.case_update(case=case, actor=pengawas, expected_version=case.version, reporter={"phone": "0813999"})
    event = case.events.get(action="case.updated")
    assert event.data["reporter_changed"] == ["phone"]
    assert "0813999" not in str(event.data)


def test_review_data_is_frozen_after_registration(case, koordinator):
    case = register(case, koordinator)
    with pytest.raises(CaseError, match="tidak dapat diubah"):
        services.case_update(case=case, actor=koordinator, expected_version=case.version, req_evidence=False)


def test_assignee_must_be_staff_of_the_office(case, koordinator, pengawas, outsider):
    case = services.case_assign(case=case, actor=koordinator, assignee=pengawas, expected_version=case.version)
    assert case.assignee == pengawas
    with pytest.raises(CaseError, match="Penanggung jawab"):
        services.case_assign(case=case, actor=koordinator, assignee=outsider, expected_version=case.version)


def test_the_same_person_is_not_added_twice(case, pengawas):
    subject = add_subject(case, pengawas)
    with pytest.raises(CaseError, match="sudah menjadi terlapor"):
        services.subject_add(case=case, actor=pengawas, person=subject.person)


def test_internal_steps_cannot_be_taken_directly(offices, pengawas, koordinator, regions):
    from tests.factories import decided_case

    case = decided_case(offices, pengawas, koordinator, regions)
    with pytest.raises(TransitionNotAllowed, match="otomatis"):
        take(case, koordinator, "refer")


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [
        ([SubjectOutcome.PROVEN, SubjectOutcome.NOT_PROVEN], CaseOutcome.OTHER_LAW),
        ([SubjectOutcome.CRIME, SubjectOutcome.PROVEN], CaseOutcome.OTHER_LAW),
        ([SubjectOutcome.CRIME, SubjectOutcome.NOT_PROVEN], CaseOutcome.CRIME),
        ([SubjectOutcome.ADMINISTRATIVE], CaseOutcome.ADMINISTRATIVE),
        ([SubjectOutcome.NOT_PROVEN, SubjectOutcome.NOT_PROVEN], CaseOutcome.NOT_A_VIOLATION),
    ],
)
def test_the_case_result_is_derived_from_its_subjects(case, pengawas, koordinator, outcomes, expected):
    case = register(case, koordinator)
    for n, outcome in enumerate(outcomes):
        add_subject(case, pengawas, name=f"Terlapor {n}", outcome=outcome)
    decided = take(case, koordinator, "decide", reason="Pleno")
    assert decided.outcome == expected
    assert CaseEvent.objects.get(case=case, action="case.decide").data["outcome"] == expected


def test_a_case_is_handed_only_up_or_down(case, koordinator, offices):
    with pytest.raises(TransitionNotAllowed, match="di atas atau di bawah"):
        take(case, koordinator, "hand_over", reason="x", handed_over_to=offices.palangka_raya)


# --- The services check their own input (whoever calls them: a page, the API, the demo, a script) -----------


def soon():
    from django.utils import timezone

    return timezone.now() + timezone.timedelta(hours=1)


def test_intake_refuses_a_receipt_in_the_future_and_dates_out_of_order(offices, pengawas):
    with pytest.raises(CaseError, match="Waktu diterima tidak boleh di masa depan"):
        make_case(office=offices.gunung_mas, actor=pengawas, known_on=date(2024, 10, 14), received_at=soon())
    with pytest.raises(CaseError, match="Tanggal diketahui tidak boleh sesudah laporan diterima"):
        make_case(
            office=offices.gunung_mas,
            actor=pengawas,
            known_on=date(2024, 10, 16),
            received_at=datetime(2024, 10, 15, 9, tzinfo=WIB),
        )
    with pytest.raises(CaseError, match="Kejadian tidak mungkin sesudah tanggal diketahui"):
        make_case(office=offices.gunung_mas, actor=pengawas, occurred_on=date(2024, 10, 15))
    assert not Case.objects.exists()


def test_intake_refuses_an_assignee_or_a_district_of_another_office(offices, pengawas, outsider, regions):
    with pytest.raises(CaseError, match="Penanggung jawab harus pengawas atau koordinator kantor ini"):
        make_case(office=offices.gunung_mas, actor=pengawas, assignee=outsider)
    with pytest.raises(CaseError, match="Kecamatan yang dipilih bukan wilayah kantor ini"):
        make_case(office=offices.gunung_mas, actor=pengawas, district=regions.pahandut)
    assert make_case(office=offices.gunung_mas, actor=pengawas, district=regions.kurun).district == regions.kurun


def test_the_services_name_every_field_they_accept(case, pengawas, offices):
    with pytest.raises(TypeError):
        make_case(office=offices.gunung_mas, actor=pengawas, status=CaseStatus.CLOSED)
    with pytest.raises(TypeError):
        services.case_update(case=case, actor=pengawas, expected_version=case.version, number="001/2024")


def test_edit_refuses_dates_out_of_order_and_leaves_what_is_not_given(case, pengawas):
    with pytest.raises(CaseError, match="Waktu diterima tidak boleh di masa depan"):
        services.case_update(case=case, actor=pengawas, expected_version=case.version, received_at=soon())
    with pytest.raises(CaseError, match="Kejadian tidak mungkin sesudah tanggal diketahui"):
        services.case_update(case=case, actor=pengawas, expected_version=case.version, occurred_on=date(2024, 10, 15))
    with pytest.raises(CaseError, match="Isi ringkasan dan kronologi"):
        services.case_update(case=case, actor=pengawas, expected_version=case.version, title="  ")
    updated = services.case_update(case=case, actor=pengawas, expected_version=case.version, place="Kuala Kurun")
    assert (updated.place, updated.title, updated.known_on) == ("Kuala Kurun", case.title, case.known_on)
    assert updated.events.last().data["changes"] == {"place": ["", "Kuala Kurun"]}


def test_a_step_dated_in_the_future_is_refused(case, koordinator):
    with pytest.raises(TransitionNotAllowed, match="tidak boleh di masa depan"):
        take(case, koordinator, "register", at=soon())
    assert Case.objects.get(pk=case.pk).status == CaseStatus.RECEIVED


def test_the_first_clarification_takes_the_start_review_step(case, pengawas, koordinator):
    case = register(case, koordinator)
    version = Case.objects.get(pk=case.pk).version
    services.meeting_schedule(
        case=case,
        actor=pengawas,
        invitee_role="terlapor",
        invitee_name="Asn Satu",
        scheduled_at=datetime(2024, 10, 18, 9, tzinfo=WIB),
        place="Kantor Bawaslu",
    )
    case = Case.objects.get(pk=case.pk)
    assert (case.status, case.version) == (CaseStatus.UNDER_REVIEW, version + 1)
    step, scheduled = case.events.order_by("-pk")[:2][::-1]
    assert (step.action, step.from_status, step.to_status) == ("case.start_review", "registered", "under_review")
    assert step.data["consequence_of"] == "meeting.scheduled"
    assert (scheduled.action, scheduled.from_status, scheduled.to_status) == ("meeting.scheduled", "", "")
    # the second clarification changes no status
    services.meeting_schedule(
        case=case,
        actor=pengawas,
        invitee_role="saksi",
        invitee_name="Saksi",
        scheduled_at=datetime(2024, 10, 19, 9, tzinfo=WIB),
        place="Kantor Bawaslu",
    )
    assert case.events.filter(action="case.start_review").count() == 1


def test_meetings_refuse_an_unknown_invitee_or_status(case, pengawas, koordinator):
    case = register(case, koordinator)
    with pytest.raises(CaseError, match="Pilih siapa yang diundang"):
        services.meeting_schedule(
            case=case,
            actor=pengawas,
            invitee_role="kepala",
            invitee_name="X",
            scheduled_at=datetime(2024, 10, 18, 9, tzinfo=WIB),
            place="Kantor",
        )
    assert Case.objects.get(pk=case.pk).status == CaseStatus.REGISTERED  # nothing taken on a refusal
    meeting = services.meeting_schedule(
        case=case,
        actor=pengawas,
        invitee_role="saksi",
        invitee_name="Saksi",
        scheduled_at=datetime(2024, 10, 18, 9, tzinfo=WIB),
        place="Kantor",
    )
    with pytest.raises(CaseError, match="Pilih status klarifikasi"):
        services.meeting_record(meeting=meeting, actor=pengawas, status="selesai", minutes="x")


def test_evidence_refuses_a_capture_in_the_future_too_many_fingers_and_another_elections_pair(case, pengawas):
    from netralitas.reference.models import CandidatePair

    link = {"case": case, "actor": pengawas, "kind": "tautan", "url": "https://facebook.com/p/1"}
    with pytest.raises(CaseError, match="Waktu bukti diambil tidak boleh di masa depan"):
        evidence_services.evidence_add(**link, captured_at=soon())
    with pytest.raises(CaseError, match="Jumlah jari paling banyak 10"):
        evidence_services.evidence_add(**link, gesture_fingers=11)
    other = CandidatePair.objects.create(election=ElectionFactory(year=2029), number=1, head_name="Lain")
    with pytest.raises(CaseError, match="bukan peserta pemilihan perkara ini"):
        evidence_services.evidence_add(**link, candidate_pair=other)
    assert not case.evidence.exists()
    assert evidence_services.evidence_add(**link, gesture_fingers=2).gesture_fingers == 2


def test_a_new_person_is_checked_by_the_service(case, pengawas, offices):
    from netralitas.reference.models import Agency

    with pytest.raises(CaseError, match="tidak memiliki NIP ASN"):
        services.subject_add_new_person(
            case=case,
            actor=pengawas,
            person=services.NewPerson(name="Honorer", employment_type="honorer", nip="198503122010011004"),
        )
    elsewhere = Agency.objects.create(regency=offices.palangka_raya.region, name="Dinas Kota")
    with pytest.raises(CaseError, match="bukan wilayah kantor ini"):
        services.subject_add_new_person(
            case=case, actor=pengawas, person=services.NewPerson(name="Asn", employment_type="pns", agency=elsewhere)
        )
    with pytest.raises(CaseError, match="NIP"):
        services.subject_add_new_person(
            case=case, actor=pengawas, person=services.NewPerson(name="Asn", employment_type="pns", nip="123")
        )
    assert not case.subjects.exists()


def test_restoring_a_case_refuses_a_stale_version(case, koordinator):
    services.case_delete(case=case, actor=koordinator, reason="Tercatat dua kali.")
    deleted = Case.all_objects.get(pk=case.pk)
    with pytest.raises(StaleVersion):
        services.case_restore(case=deleted, actor=koordinator, reason="Keliru", expected_version=deleted.version - 1)
    restored = services.case_restore(case=deleted, actor=koordinator, reason="Keliru", expected_version=deleted.version)
    assert not restored.is_deleted


def test_export_jobs_are_claimed_once_and_count_only_forward(pengawas):
    from cases.models import ExportJob

    job = api_services.export_job_create(user=pengawas, institution=None)
    assert api_services.export_job_claim(job_id=job.pk) is True
    assert api_services.export_job_claim(job_id=job.pk) is False
    with pytest.raises(ValueError):
        api_services.export_job_progress(job_id=job.pk, done=-1)
    api_services.export_job_progress(job_id=job.pk, total=10, done=4)
    api_services.export_job_fail(job_id=job.pk, error="x" * 3000)
    job.refresh_from_db()
    assert (job.status, job.total, job.done, len(job.error)) == (ExportJob.Status.FAILED, 10, 4, 2000)
    api_services.export_job_finish(job_id=job.pk, file_name="f.xlsx", total=10)  # a failed job stays failed
    assert ExportJob.objects.get(pk=job.pk).status == ExportJob.Status.FAILED


def test_the_integrity_record_refuses_an_unknown_state(case):
    row = {"pk": 0}
    with pytest.raises(ValueError):
        evidence_services.evidence_integrity_record(
            findings=[evidence_services.IntegrityFinding(row=row, state="rusak")],
            checked_at=datetime(2024, 10, 15, tzinfo=WIB),
        )
