"""What an API client may read: the referrals addressed to its institution, once sent, of cases that have been
decided; never a draft, never a case still under review, never another institution's. A client limited to
an office sees the referrals of that office's region only. Lists, details, evidence files and exports all
start from ``referrals_for_client``, so a list never shows what a detail would refuse."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

import orjson
from django.conf import settings
from django.contrib.postgres.aggregates.mixins import OrderableAggMixin
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import (
    Aggregate,
    DateTimeField,
    F,
    Func,
    IntegerField,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.http import Http404
from django.shortcuts import get_object_or_404

from cases.models import (
    CaseEvent,
    CaseSubject,
    Evidence,
    ExportJob,
    Referral,
    ReferralResponse,
    StepDocument,
)
from cases.referrals.selectors import referrals_for_client, released  # noqa: F401 (the rule lives with the referrals: the webhooks read it too)
from netralitas.accounts.models import ApiClient, User
from netralitas.reference.models import Agency, Election, Institution, Office, Region

# Timeline entries an institution sees. Clarification meetings are left out: they name the reporter and
# witnesses. Subject, evidence and referral entries are further limited to the referral's own subject.
TIMELINE_PREFIXES = ("case.", "subject.", "evidence.", "referral.", "document.")
EXPORT_CHUNK_SIZE = 2000


def evidence_shared(*, case, subject) -> Q:
    """The evidence an institution receives with a referral: of the referral's case, about its subject or about
    the case as a whole, never about another subject. ``case`` and ``subject`` are ids, or ``OuterRef`` to a
    referral's. The one rule for the lists, the details, the evidence files and the exports."""
    return Q(case_id=case) & (Q(subject_id=subject) | Q(subject__isnull=True))


def documents_shared(*, case, referral, transferred_from=None) -> Q:
    """The step documents an institution receives with a referral: the case's own (the minutes of the
    clarification and of the plenary) and those of this referral (and of the one it was transferred from),
    never another referral's. Ids, or ``OuterRef`` to a referral's. The one rule for the lists and the files."""
    mine = Q(referral_id=referral) | (Q(referral_id=transferred_from) if transferred_from is not None else Q(pk__in=[]))
    return Q(case_id=case) & (Q(referral__isnull=True) | mine)


@dataclass(frozen=True)
class ReferralFilters:
    """The staff's export filter (the API's filters are ``cases.api.filters.ReferralFilter``)."""

    institution: int | None = None


def filtered(queryset: QuerySet[Referral], filters: ReferralFilters) -> QuerySet[Referral]:
    if filters.institution:
        queryset = queryset.filter(institution_id=filters.institution)
    return queryset


# --- A referral as the API and the exports read it ----------------------------------------------------------
# Plain rows, not model objects: a page of 100 referrals as model objects was some 2,300 objects (the referral,
# its case, office, region, election, district, subject, person, agency, institution, and the lists below),
# more than the serializers' own work; an export row was ten. The serializers (``cases.api.serializers``) read
# these rows: the API's representation nested (``referral_page``), the export's columns flat (``export_rows``,
# only the columns the export shows).

REFERRAL_FIELDS = (
    "pk", "case_id", "subject_id", "transferred_from_id", "code", "status", "institution__name", "channel", "letter_number", "letter_date", "sent_at",
    "acknowledged_at", "response_due", "recommended_on", "ppk_due", "closed_at", "closed_as", "sanction_lighter",
    "conflict",
    "transferred_from__code", "letter_sha256", "updated_at", "version",
    "case__code", "case__number", "case__title", "case__source", "case__status", "case__election__id",
    "case__election__name", "case__election__kind", "case__election__year", "case__office__name",
    "case__office__region__code", "case__office__region__name", "case__district__code", "case__district__name",
    "case__place", "case__occurred_on", "case__known_on", "case__received_at", "case__registered_at",
    "case__decided_at", "case__closed_at", "case__chronology", "case__outcome", "case__steps_entered_late",
    "subject__outcome", "subject__person__code", "subject__person__name", "subject__person__nip",
    "subject__person__employment_type", "subject__person__position", "subject__person__rank",
    "subject__person__agency__name",
)  # fmt: skip
# what ``with_lists`` reads of every row, and of the rows it gives a timeline
LIST_KEYS = ("pk", "code", "case_id", "subject_id", "transferred_from_id")
# what each of a referral's lists holds of its items: the API's representation, and the exports' columns
LISTS = {
    "violation_types": ("code", "name"),
    "evidence": (
        "code", "kind", "description", "captured_at", "uploaded_at", "sha256", "size", "mime_type",
        "original_name", "url_normalized", "platform", "account", "interactions", "comment_text", "gesture", "file",
    ),
    "responses": (
        "kind", "number", "date", "proven", "sanction", "refused", "executed", "note", "recorded_via", "recorded_at",
    ),
    "documents": ("code", "kind", "number", "dated", "sha256", "size", "mime_type", "original_name", "uploaded_at"),
}  # fmt: skip
EXPORT_LISTS = {
    "violation_types": ("code",),
    "evidence": ("sha256",),
    "responses": ("kind", "number", "date", "proven", "sanction"),
}
EVENT_FIELDS = ("created_at", "occurred_at", "entered_late", "action", "from_status", "to_status", "reason", "data")
_PATHS = [(name, tuple(name.split("__"))) for name in REFERRAL_FIELDS]


@dataclass(frozen=True)
class Lookup:
    """Columns of a small related table, read by id for the rows of a page or an export chunk at once rather than
    joined to every row: the referral with its case, subject and person is joined (each row its own), the
    institution, election, office and region, district, agency and the referral transferred from are looked
    up. Joined all together, the twelve tables cost PostgreSQL more to plan than to run (21 ms of 29 for a
    page of 100; planning the four joined ones takes under 1 ms). A subquery per row for each was tried: 2 ms
    less on a page of 100, but an export 12 % slower (4,700 rows/s against 5,300)."""

    prefix: str  # the row's keys it fills: ``prefix + field``
    key: str  # the id in the referral's row
    model: type
    fields: tuple[str, ...]


LOOKUPS = (
    Lookup("institution__", "institution_id", Institution, ("name",)),
    Lookup("transferred_from__", "transferred_from_id", Referral, ("code",)),
    Lookup("case__election__", "case__election_id", Election, ("id", "name", "kind", "year")),
    Lookup("case__office__", "case__office_id", Office, ("name", "region__code", "region__name")),
    Lookup("case__district__", "case__district_id", Region, ("code", "name")),
    Lookup("subject__person__agency__", "subject__person__agency_id", Agency, ("name",)),
)


class Decoded(JSONField):
    """The output of the JSON that PostgreSQL builds for a page (its lists, the looked-up columns, the timeline),
    decoded by orjson: the standard library's decoder took some 12 ms of a page of 100 referrals."""

    def from_db_value(self, value, expression, connection):
        return value if value is None else orjson.loads(value)


class Record(Func):
    """``json_build_object`` of columns (``Record("code", "name")``) or of named expressions: json, not jsonb
    (only read, never queried: building jsonb cost the timeline 11 ms against 8)."""

    function = "JSON_BUILD_OBJECT"
    output_field = JSONField()

    def __init__(self, *columns: str, **expressions):
        named = [*((name, F(name)) for name in columns), *expressions.items()]
        super().__init__(*(part for name, value in named for part in (Cast(Value(name), TextField()), value)))


class Document(Record):
    """A ``Record`` that the page reads: sent as text and decoded by orjson (``Decoded``)."""

    template = "%(function)s(%(expressions)s)::text"
    output_field = Decoded()


class Documents(OrderableAggMixin, Aggregate):
    """``json_agg`` of ``Record`` rows, in the order given, read as ``Document`` is."""

    function = "JSON_AGG"
    template = "%(function)s(%(expressions)s %(order_by)s)::text"
    output_field = Decoded()


def _among(ids) -> RawSQL:
    """For ``filter(pk__in=_among(ids))``: the ids as one array parameter. An ``__in`` of a chunk's thousands
    of ids is as many parameters, each prepared by Django and spliced in by psycopg, which cost an export more
    time than the queries themselves."""
    return RawSQL("SELECT unnest(%s::bigint[])", [list(ids)])


def _read(field: str) -> str:
    """The column of the referral's query that gives ``field``: itself, or the id its ``Lookup`` reads by."""
    return next((lookup.key for lookup in LOOKUPS if field.startswith(lookup.prefix)), field)


LOCAL = "local__"  # a field read as the site's local time, without a zone: ``local__sent_at`` (the exports)


def referral_rows(
    queryset: QuerySet[Referral],
    fields: Iterable[str] = REFERRAL_FIELDS,
    *,
    lists: dict[str, tuple[str, ...]] = LISTS,
) -> QuerySet:
    """The referrals of ``queryset`` as rows: ``values()`` of ``fields`` (those of a ``Lookup`` as its id; a
    ``local__`` one as the site's local time) and ``lists``, built by PostgreSQL in the same query as one JSON
    object: the subject's ``violation_types``, the ``evidence`` shared with the referral (``evidence_shared``)
    and its ``responses`` with those recorded before a transfer, oldest first, a correlated subquery each, each
    item with the fields ``lists`` names. JSON has no dates: a date reads as ISO text, a moment as ISO text in
    UTC (the serializers read both)."""
    annotated, columns = _annotated(tuple(fields), tuple(lists.items()))
    return (annotated & queryset).values(*columns)


@functools.cache
def _annotated(fields: tuple[str, ...], lists: tuple[tuple[str, tuple[str, ...]], ...]):
    """The referrals with the expressions of ``referral_rows``, and the names it reads: made once for each set
    of fields (the API's, an export's), then combined with each request's own query (``&``). Resolving these
    expressions, their subqueries and their joins anew was some 10 ms of a page."""

    def objects(queryset, names, *order):
        return ArraySubquery(queryset.order_by(*order).values(json=Record(*names)))

    items = dict(lists)
    through = CaseSubject.violation_types.through.objects.filter(casesubject_id=OuterRef("subject_id"))
    acts = through.annotate(code=F("violationtype__code"), name=F("violationtype__name"))
    shared = Evidence.objects.filter(evidence_shared(case=OuterRef("case_id"), subject=OuterRef("subject_id")))
    chain = ReferralResponse.objects.filter(Q(referral=OuterRef("pk")) | Q(referral=OuterRef("transferred_from")))
    documents = StepDocument.objects.filter(
        documents_shared(
            case=OuterRef("case_id"), referral=OuterRef("pk"), transferred_from=OuterRef("transferred_from")
        )
    )
    columns = dict.fromkeys([*LIST_KEYS, *map(_read, fields), "lists"])
    local = {
        name: Func(
            Value(settings.TIME_ZONE), F(name.removeprefix(LOCAL)), function="timezone", output_field=DateTimeField()
        )
        for name in columns
        if name.startswith(LOCAL)
    }
    sources = {
        "violation_types": (acts, ("violationtype__sort_order", "violationtype__code")),
        "evidence": (shared, ("uploaded_at", "pk")),
        "responses": (chain, ("recorded_at", "pk")),
        "documents": (documents, ("dated", "pk")),
    }
    built = {name: objects(sources[name][0], fields, *sources[name][1]) for name, fields in items.items()}
    annotated = Referral.objects.annotate(**local, lists=Document(**built))
    return annotated, tuple(columns)


def _looked_up(rows: list[dict]) -> None:
    """Fill in the rows the columns of each ``Lookup`` whose id they hold, read for all rows in one query (a
    ``UNION ALL`` of one part per table, each row's columns as a JSON object)."""
    lookups = [lookup for lookup in LOOKUPS if lookup.key in rows[0]]
    parts = []
    for n, lookup in enumerate(lookups):
        ids = {row[lookup.key] for row in rows} - {None}
        if ids:
            part = lookup.model.objects.filter(pk__in=_among(ids)).order_by()
            parts.append(part.values_list(Value(n, output_field=IntegerField()), "pk", Document(*lookup.fields)))
    found: dict[tuple[int, int], dict] = {}
    if parts:
        for n, pk, columns in parts[0].union(*parts[1:], all=True):
            prefix = lookups[n].prefix
            found[n, pk] = {prefix + field: value for field, value in columns.items()}
    for n, lookup in enumerate(lookups):
        absent = {lookup.prefix + field: None for field in lookup.fields}
        for row in rows:
            row.update(found.get((n, row[lookup.key]), absent))


def with_lists(rows: list[dict], *, timeline: bool = True) -> list[dict]:
    """The rows of ``referral_rows`` (in their order) with their lists as keys of their own, the columns of
    each ``Lookup`` and, when ``timeline``, the case's timeline as ``timeline_filter`` lets it through for each
    referral (the rows then need the subject's person's code and name). One query for the lookups and one for
    the timeline, whatever the number of rows."""
    if not rows:
        return rows
    _looked_up(rows)
    events = {}
    if timeline:  # each case's entries as one JSON array, oldest first: one row and one decoding a case
        entries = Documents(Record(*EVENT_FIELDS), order_by=("created_at", "pk"))
        cases = CaseEvent.objects.filter(timeline_condition(), case_id__in=_among({r["case_id"] for r in rows}))
        events = dict(cases.order_by().values("case_id").annotate(entries=entries).values_list("case_id", "entries"))
    for row in rows:
        code = row["code"]
        row.update(row.pop("lists"))
        if timeline:
            shows = timeline_filter(
                person_code=str(row["subject__person__code"]),
                person_name=row["subject__person__name"],
                evidence_codes={item["code"] for item in row["evidence"]},
                referral_codes={str(code), str(row["transferred_from__code"])}
                if row["transferred_from_id"]
                else {str(code)},
            )
            row["timeline"] = [e for e in events.get(row["case_id"], ()) if shows(e["action"], e["data"])]
    return rows


def nested(row: dict) -> dict:
    """A row as the API's representation reads it: ``{"case__office__name": x}`` as ``{"case": {"office":
    {"name": x}}}``, the lists beside; a related row that is absent (all of its columns null: no district, no
    agency, not transferred) reads as None."""
    tree: dict = {}
    for name, path in _PATHS:
        target = tree
        for part in path[:-1]:
            target = target.setdefault(part, {})
        target[path[-1]] = row[name]
    for parent, key in ((tree, "transferred_from"), (tree["case"], "district"), (tree["subject"]["person"], "agency")):
        if all(value is None for value in parent[key].values()):
            parent[key] = None
    tree["subject"]["violation_types"] = row["violation_types"]
    for key in ("evidence", "responses", "documents", "timeline"):
        tree[key] = row[key]
    return tree


def referral_page(rows: list[dict]) -> list[dict]:
    """Rows of ``referral_rows`` (a page, or one referral) as ``ReferralSerializer`` reads them."""
    return [nested(row) for row in with_lists(rows)]


def referral_for_client(client: ApiClient, code) -> dict:
    rows = referral_page(list(referral_rows(referrals_for_client(client).filter(code=code))))
    if not rows:
        raise Http404
    return rows[0]


def referral_to_answer(client: ApiClient, code) -> Referral:
    """The referral a write-back records an answer on (the services lock it)."""
    return get_object_or_404(referrals_for_client(client), code=code)


def evidence_for_client(client: ApiClient, code, evidence_code) -> Evidence:
    referral = get_object_or_404(referrals_for_client(client).only("case_id", "subject_id"), code=code)
    return get_object_or_404(
        Evidence.objects.filter(evidence_shared(case=referral.case_id, subject=referral.subject_id)).exclude(file=""),
        code=evidence_code,
    )


def document_for_client(client: ApiClient, code, document_code) -> StepDocument:
    referral = get_object_or_404(referrals_for_client(client).only("case_id", "transferred_from_id"), code=code)
    shared = documents_shared(
        case=referral.case_id, referral=referral.pk, transferred_from=referral.transferred_from_id
    )
    return get_object_or_404(StepDocument.objects.filter(shared), code=document_code)


def export_rows(queryset: QuerySet[Referral], fields: Iterable[str], chunk_size: int | None = None) -> Iterator[dict]:
    """Every referral of ``queryset`` (oldest change first) as ``with_lists`` gives it, without the timeline,
    read ``chunk_size`` at a time through a server-side cursor, with the lists of each chunk: memory stays flat
    whatever the number of rows, and a chunk costs four queries."""
    size = chunk_size or EXPORT_CHUNK_SIZE
    rows = referral_rows(queryset, fields, lists=EXPORT_LISTS)
    read = rows.order_by("updated_at", "pk").iterator(chunk_size=size)
    while chunk := list(islice(read, size)):
        yield from with_lists(chunk, timeline=False)


def timeline_condition() -> Q:
    """The timeline entries an institution may see of any case (the groups of ``TIMELINE_PREFIXES``)."""
    condition = Q()
    for prefix in TIMELINE_PREFIXES:
        condition |= Q(action__startswith=prefix)
    return condition


def timeline_filter(
    *, person_code: str, person_name: str, evidence_codes: set[str], referral_codes: set[str]
) -> Callable[[str, dict | None], bool]:
    """Whether an entry (its action and data) of the case's timeline is shown with one referral: the case's
    own steps, and the entries about the referral's subject, its evidence and the referral itself (never
    another subject's, never a meeting)."""

    def shows(action: str, data: dict | None) -> bool:
        group = action.split(".", 1)[0] + "."
        data = data or {}
        if group not in TIMELINE_PREFIXES:
            return False
        if group == "subject.":
            if "person_code" in data:
                return data["person_code"] == person_code
            return data.get("person") == person_name
        if group == "evidence.":
            return data.get("evidence") in evidence_codes
        if group == "referral.":
            return data.get("referral") in referral_codes
        if group == "document.":  # the case's own documents, and this referral's
            return "referral" not in data or data["referral"] in referral_codes
        return True

    return shows


SAFE_EVENT_KEYS = frozenset(
    [
        "source",
        "report_due",
        "review_due",
        "decision_due",
        "filed_late",
        "outcome",
        "number",
        "violation_types",
        "person",
        "kind",
        "sha256",
        "url",
        "referral",
        "institution",
        "letter_number",
        "response_due",
        "letter_sha256",
        "date",
        "proven",
        "sanction",
        "ppk_due",
        "refused",
        "closed_as",
        "from_institution",
        "to_institution",
        "consequence_of",
        "document",
        "kind_label",
        # the escalation ladder: which rung, to whom (the letter's number is ``letter_number``)
        "rung",
        "rung_name",
        "addressee",
        "succession",
    ]
)


def safe_data(data: dict | None) -> dict:
    """An event's data with only the keys listed above: nothing about the reporter (``case.updated`` records
    which reporter fields changed) or anyone else's identity passes, whatever a later service writes."""
    return {k: v for k, v in (data or {}).items() if k in SAFE_EVENT_KEYS}


def export_job_of(user: User, code, *, done: bool = False) -> ExportJob:
    """A staff export the user asked for (404 for anyone else's); ``done`` for one whose file is ready."""
    jobs = ExportJob.objects.filter(requested_by=user)
    if done:
        jobs = jobs.filter(status=ExportJob.Status.DONE)
    return get_object_or_404(jobs, code=code)
