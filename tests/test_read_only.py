"""A pemkab (read-only) user changes nothing anywhere: every URL pattern of the project, walked from the root
URLconf with its path converters filled (real objects' codes where there are some), refuses the user's POST,
PUT, PATCH and DELETE with 403; only the user's own account actions in READ_ONLY_ROLE_WRITABLE_URL_NAMES are let
through, and they change no case data. On GET, nothing outside the user's regency, no reporter, no evidence
file and no name outside the PPK follow-up list."""

import uuid
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import URLResolver, get_resolver, resolve
from django.urls.converters import UUIDConverter
from django.utils.regex_helper import normalize

from netralitas.accounts.models import Role
from netralitas.accounts.permissions import is_read_only
from netralitas.accounts.scope import forget_scope
from tests.dashboard_world import REPORTER_GM, REPORTER_PR, build_world
from tests.factories import MembershipFactory, UserFactory

WRITE_METHODS = ("post", "put", "patch", "delete")
# Rows a read-only user must never change (their own calendar tokens and session are theirs to change).
GUARDED_MODELS = [
    "cases.Case",
    "cases.CaseSubject",
    "cases.CaseEvent",
    "cases.Person",
    "cases.Reporter",
    "cases.Evidence",
    "cases.ClarificationMeeting",
    "cases.Referral",
    "cases.ReferralResponse",
    "outreach.OutreachSession",
    "outreach.Series",
    "outreach.Invitation",
    "outreach.Attendance",
    "outreach.Material",
    "outreach.FollowUpAction",
    "accounts.Membership",
    "reference.Region",
    "reference.Office",
    "reference.Agency",
    "reference.Election",
    "reference.Institution",
    "reference.NonWorkingDay",
]
# What a pemkab user may open (200) at all: the dashboard, the outreach calendar's read views, their own
# account and the public account pages, the health check, the admin's sign-in page (it says "not authorised").
PEMKAB_READABLE = {
    "api-schema",  # the public API description (no data); the API itself wants a client token: 401
    "api-docs",
    "dashboard:index",
    "dashboard:xlsx",
    "dashboard:followup",  # the follow-up rates of their regency (figures, no names)
    "dashboard:public_followup",  # open to everyone: the figures of an election, without names
    "outreach:calendar",
    "outreach:session",
    "outreach:material",
    "outreach:feeds",
    "accounts:password_change",
    "accounts:password_change_done",
    "accounts:account",  # their own account and sign-in activity
    "notify:inbox",
    "notify:badge",
    "notify:preferences",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "admin:login",
    "healthz",
    # the public report pages, open to everyone (a status page needs a real tracking code)
    "cases:public_report",
    "cases:public_report_due",
    "cases:public_status_lookup",
}


@dataclass(frozen=True)
class Url:
    name: str
    path: str


def _walk(patterns, prefix=(), namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace) if n) or None
            yield from _walk(pattern.url_patterns, (*prefix, pattern.pattern), inner)
        else:
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield (*prefix, pattern.pattern), name or f"(unnamed {pattern.pattern})"


def _fill(pieces, values):
    """The path of a chain of patterns, each parameter filled by ``values(param, first_segment, converter)``."""
    path, first = "", None
    for piece in pieces:
        template, params = normalize(piece.regex.pattern)[0]
        if first is None and template:
            first = template.split("/")[0]
        converters = getattr(piece, "converters", {})
        path += template % {param: values(param, first, converters.get(param)) for param in params}
    return "/" + path


def every_url(objects):
    """Every URL pattern of the project as a concrete path, with ``objects``' codes."""
    by_segment = {"perkara": objects.case, "penerusan": objects.referral, "terlapor": objects.person,
                  "kalender": objects.session}  # fmt: skip
    fixed = {
        "evidence_code": objects.evidence_code,
        "subject_id": objects.subject_id,
        "meeting_id": objects.meeting_id,
        "material_id": objects.material_id,
        "source": "laporan",
        "name": "register",
        "kind": "rekomendasi",
        "which": "surat",
        "token": "token-yang-tidak-ada",
        "uidb64": "MQ",
        "app_label": "cases",
        "object_id": "1",
        "content_type_id": "1",
        "url": "tidak-ada/",
    }

    def values(param, segment, converter):
        if param == "code":
            return by_segment.get(segment, uuid.uuid4())
        if param in fixed:
            return fixed[param]
        # A parameter this sweep does not know yet (a new URL): a value its converter accepts.
        return uuid.uuid4() if isinstance(converter, UUIDConverter) else "1"

    urls = [Url(name, _fill(pieces, values)) for pieces, name in _walk(get_resolver().url_patterns)]
    for url in urls:
        if not url.name.startswith("(unnamed"):
            assert resolve(url.path).view_name == url.name, url  # the filled path reaches the pattern it came from
    return urls


@dataclass(frozen=True)
class Objects:
    case: str
    referral: str
    person: str
    session: str
    evidence_code: str
    subject_id: int
    meeting_id: int
    material_id: int


@pytest.fixture
def world(regions, offices, pengawas, koordinator, institutions, outsider):
    return build_world(regions, offices, pengawas, koordinator, institutions, outsider)


@pytest.fixture
def gunung_mas_objects(world):
    return Objects(
        case=world.case_b.code,
        referral=world.awaiting.code,
        person=world.awaiting.subject.person.code,
        session=world.gm_session.code,
        evidence_code=world.evidence.code,
        subject_id=world.awaiting.subject_id,
        meeting_id=world.meeting.pk,
        material_id=world.material.pk,
    )


@pytest.fixture
def palangka_raya_objects(world):
    subject = world.case_d.subjects.get()
    return Objects(
        case=world.case_d.code,
        referral=world.pr_awaiting.code,
        person=subject.person.code,
        session=world.pr_session.code,
        evidence_code=uuid.uuid4(),
        subject_id=subject.pk,
        meeting_id=world.meeting.pk,
        material_id=world.material.pk,
    )


def snapshot():
    return {label: list(apps.get_model(label).objects.order_by("pk").values()) for label in GUARDED_MODELS}


def test_the_sweep_covers_every_part_of_the_project(gunung_mas_objects):
    names = {url.name for url in every_url(gunung_mas_objects)}
    for expected in ("cases:transition", "cases:referral_respond", "outreach:session", "dashboard:index",
                     "accounts:logout", "admin:index", "accounts:deadline_calculator", "healthz"):  # fmt: skip
        assert expected in names
    assert len(names) > 60  # the admin's model pages included


def test_pemkab_cannot_post_put_patch_or_delete_to_any_url(client, pemkab, world, gunung_mas_objects):
    from outreach.models import CalendarToken

    before = snapshot()
    password = pemkab.password
    others_tokens = list(CalendarToken.objects.exclude(user=pemkab).values())
    exempt = set(settings.READ_ONLY_ROLE_WRITABLE_URL_NAMES)
    refused = []
    for url in every_url(gunung_mas_objects):
        for method in WRITE_METHODS:
            client.force_login(pemkab)  # signing out is one of the exempt actions
            response = getattr(client, method)(url.path, {"opd": world.agencies.disdik.pk} if method == "post" else {})
            if url.name in exempt:
                # own-account actions answer with a redirect or a refusal, never a 2xx page
                assert not 200 <= response.status_code < 300, (method, url, response.status_code)
            else:
                assert response.status_code == 403, (method, url, response.status_code)
                refused.append(url.name)
    assert snapshot() == before
    assert list(CalendarToken.objects.exclude(user=pemkab).values()) == others_tokens  # no agency feed address
    pemkab.refresh_from_db()
    assert pemkab.password == password  # the empty password form changed nothing
    assert "dashboard:index" in refused and "outreach:session" in refused


def test_the_exempt_own_account_actions_still_work(client, pemkab):
    from tests.factories import TEST_PASSWORD

    assert set(settings.READ_ONLY_ROLE_WRITABLE_URL_NAMES) >= {"accounts:logout", "accounts:password_change"}
    client.force_login(pemkab)
    response = client.post(
        "/akun/sandi/",
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "sandi-baru-pemkab-42",
            "new_password2": "sandi-baru-pemkab-42",
        },
    )
    assert response.status_code == 302
    pemkab.refresh_from_db()
    assert pemkab.check_password("sandi-baru-pemkab-42")
    response = client.post("/akun/keluar/")
    assert response.status_code == 302 and "_auth_user_id" not in client.session


def test_pemkab_may_keep_a_calendar_feed_address_of_its_own_only(client, pemkab, world):
    from outreach.models import CalendarToken

    client.force_login(pemkab)
    assert client.post("/kalender/langganan/", {"label": "Kalender Setda"}).status_code == 302
    assert CalendarToken.objects.get().user == pemkab
    assert client.post("/kalender/langganan/", {"opd": world.agencies.disdik.pk}).status_code == 404
    assert CalendarToken.objects.count() == 1


@pytest.mark.parametrize("which", ["gunung_mas_objects", "palangka_raya_objects"])
def test_pemkab_reads_nothing_outside_its_pages_and_regency(client, pemkab, world, request, which):
    objects = request.getfixturevalue(which)
    subject_names = ["Asn Satu", "Asn Dua", "Honorer Tiga", "Asn Empat", "Asn Lima", "Kades Enam"]
    never = [REPORTER_GM, REPORTER_PR, "Alamat rahasia", "bukti-rahasia", "Asn Kota", "Dinas Kota", "Sosialisasi Kota Uji",
             "Pilkada Palangka Raya Uji"]  # fmt: skip
    client.force_login(pemkab)
    opened = set()
    for url in every_url(objects):
        response = client.get(url.path)
        # a signed-in session does not open the REST API (client tokens only): 401 there
        allowed = (200, 302, 403, 404, 405, *((401,) if url.path.startswith("/api/v1/") else ()))
        assert response.status_code in allowed, (url, response.status_code)
        if response.status_code != 200:
            continue
        opened.add(url.name)
        assert url.name in PEMKAB_READABLE, url
        content = b"".join(response.streaming_content) if response.streaming else response.content
        body = content.decode(errors="replace")
        for text in never:
            assert text not in body, (url, text)
        if url.name != "dashboard:index":  # the PPK follow-up list: the one page with names
            for name in subject_names:
                assert name not in body, (url, name)
        assert "/perkara/" not in body and "/penerusan/" not in body, url
    if which == "gunung_mas_objects":
        assert {"dashboard:index", "outreach:session", "outreach:material", "outreach:calendar"} <= opened
    else:
        assert not opened & {"outreach:session", "outreach:material"}


def test_without_the_middleware_a_pemkab_post_would_reach_views(client, pemkab, world, settings):
    """The sweep is not vacuous: the refusals come from the middleware, not from each view."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("ReadOnlyRoleMiddleware")]
    client.force_login(pemkab)
    assert client.post("/dasbor/").status_code == 200
    assert client.post(f"/kalender/{world.gm_session.code}/", {"aksi": "status"}).status_code == 200


def test_a_user_who_also_holds_a_staff_role_is_not_read_only(client, pemkab, offices):
    assert is_read_only(pemkab)
    MembershipFactory(user=pemkab, office=offices.palangka_raya, role=Role.PENGAWAS)
    forget_scope(pemkab)  # memberships are read once per user object (each request has a fresh one)
    assert not is_read_only(pemkab)
    client.force_login(pemkab)
    assert client.post("/dasbor/").status_code == 200


def test_superusers_staff_and_anonymous_are_not_read_only(pengawas, db):
    from django.contrib.auth.models import AnonymousUser

    assert not is_read_only(UserFactory(is_superuser=True))
    assert not is_read_only(pengawas)
    assert not is_read_only(AnonymousUser())
    assert not is_read_only(UserFactory())  # no membership: nothing to write anyway, refused by every view


def test_the_exemptions_are_the_setting(client, pemkab, settings, db):
    client.force_login(pemkab)
    assert client.post("/dasbor/").status_code == 403
    settings.READ_ONLY_ROLE_WRITABLE_URL_NAMES = [*settings.READ_ONLY_ROLE_WRITABLE_URL_NAMES, "dashboard:index"]
    assert client.post("/dasbor/").status_code == 200
    settings.READ_ONLY_ROLE_WRITABLE_URL_NAMES = []
    assert client.post("/akun/keluar/").status_code == 403
