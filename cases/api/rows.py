"""The API's list of referrals read as rows: a page is read with ``values()`` and written straight into the
JSON that ``serializers.ReferralSerializer`` declares, field for field and value for value.

Model objects and DRF's fields made a page of 100 referrals cost some 2,300 objects (the referral, its case,
office, region, election, district, subject, person, agency, institution; the evidence, responses, violation
types and timeline entries) and 15,000 field visits, two thirds of the request. Rows cost a tuple each and
one small function per value. The serializer stays the declaration (the schema, the detail endpoint and the
write-back answers); a test compares every referral of a page with its detail, so the two cannot drift apart.

Five queries whatever the page's size: the referrals with their case and subject, then the violation types,
the responses, the evidence and the timeline of the whole page at once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime

from django.db.models import QuerySet
from django.utils import timezone

from cases.api import selectors
from cases.models import CaseEvent, CaseSubject, Evidence, ReferralResponse
from netralitas.links import path_template

REFERRAL_FIELDS = (
    "pk", "code", "status", "institution__name", "channel", "letter_number", "letter_date", "sent_at",
    "acknowledged_at", "response_due", "recommended_on", "ppk_due", "closed_at", "closed_as",
    "transferred_from_id", "transferred_from__code", "letter_sha256", "updated_at", "version", "case_id",
    "subject_id",
    "case__code", "case__number", "case__title", "case__source", "case__status", "case__election_id",
    "case__election__name", "case__election__kind", "case__election__year", "case__office__name",
    "case__office__region__code", "case__office__region__name", "case__district_id", "case__district__code",
    "case__district__name", "case__place", "case__occurred_on", "case__known_on", "case__received_at",
    "case__registered_at", "case__decided_at", "case__closed_at", "case__chronology", "case__outcome",
    "subject__outcome", "subject__person__code", "subject__person__name", "subject__person__nip",
    "subject__person__employment_type", "subject__person__position", "subject__person__rank",
    "subject__person__agency__name",
)  # fmt: skip
EVIDENCE_FIELDS = (
    "case_id", "subject_id", "code", "kind", "description", "captured_at", "uploaded_at", "sha256", "size",
    "mime_type", "original_name", "url_normalized", "platform", "account", "interaction", "comment_text",
    "gesture", "file",
)  # fmt: skip
RESPONSE_FIELDS = (
    "referral_id", "kind", "number", "date", "proven", "sanction", "refused", "executed", "note", "recorded_via",
    "recorded_at",
)  # fmt: skip
EVENT_FIELDS = ("case_id", "created_at", "action", "from_status", "to_status", "reason", "data")


def page_query(queryset: QuerySet) -> QuerySet:
    """The referrals of ``queryset`` as the rows ``represent`` reads (the paginator orders and cuts them)."""
    return queryset.values(*REFERRAL_FIELDS)


def moment_text() -> Callable[[datetime | None], str | None]:
    """A moment as DRF's ``DateTimeField`` writes it (ISO 8601 in the current time zone, ``Z`` for UTC)."""
    zone = timezone.get_current_timezone()

    def text(value):
        if not value:
            return None
        written = value.astimezone(zone).isoformat()
        return written[:-6] + "Z" if written.endswith("+00:00") else written

    return text


def day_text(value: date | None) -> str | None:
    return value.isoformat() if value else None


def download_link(request) -> Callable[[object, object], str]:
    """The address of an evidence file, from a template reversed once (as ``EvidenceSerializer`` builds it)."""
    path = path_template("api:evidence-file", 2)
    base = request.build_absolute_uri("/").rstrip("/") if request else ""
    return lambda referral_code, evidence_code: base + path(referral_code, evidence_code)


def _grouped(rows: Iterable[tuple], key: int = 0) -> dict:
    groups = defaultdict(list)
    for row in rows:
        groups[row[key]].append(row)
    return groups


def represent(rows: list[dict], *, request) -> list[dict]:
    """The page's referrals (rows of ``page_query``, in their order) as the API shows them."""
    if not rows:
        return []
    moment = moment_text()
    download = download_link(request)
    case_ids = {r["case_id"] for r in rows}
    referral_ids = {r["pk"] for r in rows} | {r["transferred_from_id"] for r in rows if r["transferred_from_id"]}

    acts = _grouped(
        CaseSubject.violation_types.through.objects.filter(casesubject_id__in={r["subject_id"] for r in rows})
        .order_by("violationtype__sort_order", "violationtype__code")
        .values_list("casesubject_id", "violationtype__code", "violationtype__name")
    )
    responses = _grouped(
        ReferralResponse.objects.filter(referral_id__in=referral_ids)
        .order_by("recorded_at", "pk")
        .values_list(*RESPONSE_FIELDS)
    )
    evidence = _grouped(
        Evidence.objects.filter(case_id__in=case_ids).order_by("uploaded_at", "pk").values_list(*EVIDENCE_FIELDS)
    )
    events = _grouped(
        CaseEvent.objects.filter(selectors.timeline_condition(), case_id__in=case_ids)
        .order_by("created_at", "pk")
        .values_list(*EVENT_FIELDS)
    )

    def response(row):
        _referral, kind, number, day, proven, sanction, refused, executed, note, via, recorded_at = row
        return {
            "kind": kind, "number": number, "date": day_text(day), "proven": proven, "sanction": sanction,
            "refused": refused, "executed": executed, "note": note, "recorded_via": via,
            "recorded_at": moment(recorded_at),
        }  # fmt: skip

    def evidence_item(referral_code, e):
        return {
            "code": str(e[2]), "kind": e[3], "description": e[4], "captured_at": moment(e[5]),
            "uploaded_at": moment(e[6]), "sha256": e[7], "size": e[8], "mime_type": e[9], "original_name": e[10],
            "url": e[11], "platform": e[12], "account": e[13], "interaction": e[14], "comment_text": e[15],
            "gesture": e[16], "download": download(referral_code, e[2]) if e[17] else None,
        }  # fmt: skip

    def event_item(row):
        _case, created_at, action, from_status, to_status, reason, data = row
        return {
            "at": moment(created_at), "action": action, "from_status": from_status, "to_status": to_status,
            "reason": reason, "data": selectors.safe_data(data),
        }  # fmt: skip

    page = []
    for r in rows:
        code = str(r["code"])
        shown_evidence = [e for e in evidence.get(r["case_id"], ()) if e[1] is None or e[1] == r["subject_id"]]
        chain = {code, str(r["transferred_from__code"])} if r["transferred_from_id"] else {code}
        shows = selectors.timeline_filter(
            person_code=str(r["subject__person__code"]),
            person_name=r["subject__person__name"],
            evidence_codes={str(e[2]) for e in shown_evidence},
            referral_codes=chain,
        )
        district = (
            {"code": r["case__district__code"], "name": r["case__district__name"]} if r["case__district_id"] else None
        )
        page.append(
            {
                "code": code,
                "status": r["status"],
                "institution": r["institution__name"],
                "channel": r["channel"],
                "letter_number": r["letter_number"],
                "letter_date": day_text(r["letter_date"]),
                "sent_at": moment(r["sent_at"]),
                "acknowledged_at": moment(r["acknowledged_at"]),
                "response_due": day_text(r["response_due"]),
                "recommended_on": day_text(r["recommended_on"]),
                "ppk_due": day_text(r["ppk_due"]),
                "closed_at": moment(r["closed_at"]),
                "closed_as": r["closed_as"],
                "transferred_from": str(r["transferred_from__code"]) if r["transferred_from_id"] else None,
                "letter_sha256": r["letter_sha256"],
                "updated_at": moment(r["updated_at"]),
                "version": r["version"],
                "case": {
                    "code": str(r["case__code"]),
                    "number": r["case__number"],
                    "title": r["case__title"],
                    "source": r["case__source"],
                    "status": r["case__status"],
                    "election": {
                        "id": r["case__election_id"],
                        "name": r["case__election__name"],
                        "kind": r["case__election__kind"],
                        "year": r["case__election__year"],
                    },
                    "office": r["case__office__name"],
                    "region": {"code": r["case__office__region__code"], "name": r["case__office__region__name"]},
                    "district": district,
                    "place": r["case__place"],
                    "occurred_on": day_text(r["case__occurred_on"]),
                    "known_on": day_text(r["case__known_on"]),
                    "received_at": moment(r["case__received_at"]),
                    "registered_at": moment(r["case__registered_at"]),
                    "decided_at": moment(r["case__decided_at"]),
                    "closed_at": moment(r["case__closed_at"]),
                    "chronology": r["case__chronology"],
                    "outcome": r["case__outcome"],
                },
                "subject": {
                    "name": r["subject__person__name"],
                    "nip": r["subject__person__nip"],
                    "employment_type": r["subject__person__employment_type"],
                    "position": r["subject__person__position"],
                    "rank": r["subject__person__rank"],
                    "agency": r["subject__person__agency__name"] or "",
                    "outcome": r["subject__outcome"],
                    "violation_types": [
                        {"code": type_code, "name": name} for _s, type_code, name in acts.get(r["subject_id"], ())
                    ],
                },
                "evidence": [evidence_item(code, e) for e in shown_evidence],
                # responses recorded before a transfer (KASN to BKN) first, as ``selectors.responses_of``
                "responses": [
                    response(row)
                    for referral_id in (r["transferred_from_id"], r["pk"])
                    if referral_id
                    for row in responses.get(referral_id, ())
                ],
                "timeline": [event_item(row) for row in events.get(r["case_id"], ()) if shows(row[2], row[6])],
            }
        )
    return page
