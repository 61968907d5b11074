"""A national-size, reproducible data set for measuring the system: regions, offices, people, cases with their
subjects, evidence (metadata over a few small shared files), timelines, referrals with their responses, and
outreach sessions, in the shape and the violation mix of DOMAIN.md.

At factor 1.0 (DESIGN.md, Budgets): 500 regencies, 200,000 cases, 300,000 subjects, 600,000 evidence rows,
1.5 million events, 120,000 referrals, 20,000 outreach sessions. Rows are written with PostgreSQL's COPY in
one transaction; the same seed gives the same data. Used by ``make bench``; by hand, from the project folder:

    python -m scripts.scale_data --factor 1.0

This module is for measuring, outside the apps: it is the one place outside the demo that writes rows without
the services, and no application module imports it (an import contract holds that).
"""

from __future__ import annotations

import hashlib
import json
import random
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

if __name__ == "__main__":  # run as a program: Django is set up before the models below are imported
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netralitas.settings")
    django.setup()

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

from cases.models import (
    Case,
    CaseEvent,
    CaseSubject,
    Evidence,
    Person,
    Referral,
    ReferralResponse,
    Reporter,
    ViolationType,
)
from netralitas.accounts.models import Membership, Role, User
from netralitas.reference.models import Agency, Election, Institution, Office, Region
from outreach.models import Attendance, OutreachSession

BENCH_PASSWORD = "bench-netralitas-2024"
BENCH_USERNAMES = {"pengawas": "bench-pengawas", "pemkab": "bench-pemkab", "provinsi": "bench-provinsi"}

# DOMAIN.md, Pilkada 2020: social-media campaigning 30.4 %, partisan activity 22.4 %, photos with a gesture
# 12.6 %, attending declarations 10.9 %, approaching parties 5.6 %; the rest spread over the other acts.
VIOLATION_MIX = [
    ("MEDSOS-KAMPANYE", 30.4),
    ("MEDSOS-INTERAKSI", 22.4),
    ("FOTO-GESTUR", 12.6),
    ("DEKLARASI", 10.9),
    ("PARPOL", 5.6),
    ("APK", 4.0),
    ("TIM-SUKSES", 3.5),
    ("FASILITAS", 3.5),
    ("KEGIATAN", 3.0),
    ("KEPUTUSAN", 2.1),
    ("KTP", 1.0),
    ("LAINNYA", 1.0),
]
STATUS_MIX = [
    ("received", 3),
    ("registered", 2),
    ("under_review", 5),
    ("not_registered", 10),
    ("stopped", 5),
    ("decided", 5),
    ("referred", 40),
    ("closed", 30),
]
AGENCY_NAMES = [
    "Sekretariat Daerah", "Dinas Pendidikan", "Dinas Kesehatan", "Dinas Pekerjaan Umum", "Dinas Sosial",
    "Dinas Perhubungan", "Dinas Pertanian", "Dinas Kependudukan dan Pencatatan Sipil", "Badan Perencanaan",
    "BKPSDM", "Inspektorat", "Satpol PP", "Dinas Pariwisata", "Dinas Lingkungan Hidup", "RSUD",
    "Dinas Perikanan", "Badan Keuangan Daerah", "Dinas Koperasi dan UKM", "Kecamatan Kota", "Dinas Kominfo",
]  # fmt: skip
FIRST = ["Agus", "Budi", "Citra", "Dewi", "Eko", "Fitri", "Gunawan", "Hendra", "Indah", "Joko", "Kartika", "Lestari",
         "Made", "Nur", "Oka", "Putri", "Rahmat", "Sari", "Tono", "Umi", "Wahyu", "Yanti"]  # fmt: skip
LAST = ["Saputra", "Wijaya", "Hidayat", "Lestari", "Pratama", "Santoso", "Kurniawan", "Siregar", "Nugroho",
        "Rahayu", "Tingang", "Anggraini", "Setiawan", "Handayani", "Simanjuntak", "Manurung"]  # fmt: skip


@dataclass
class Sizes:
    regencies: int
    cases: int
    persons: int
    sessions: int
    referral_share: float = 0.6  # of the cases that were forwarded, how many subjects became referrals

    @classmethod
    def for_factor(cls, factor: float) -> Sizes:
        return cls(
            regencies=max(2, round(500 * factor)),
            cases=max(10, round(200_000 * factor)),
            persons=max(10, round(250_000 * factor)),
            sessions=max(4, round(20_000 * factor)),
        )


@dataclass
class Report:
    counts: dict = field(default_factory=dict)

    def add(self, table: str, n: int) -> None:
        self.counts[table] = self.counts.get(table, 0) + n


class Ids:
    """Primary keys handed out here (the tables are filled with COPY); sequences are moved past them after."""

    def __init__(self, models):
        self.next = {}
        with connection.cursor() as cursor:
            for model in models:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {model._meta.db_table}")
                self.next[model] = cursor.fetchone()[0] + 1

    def take(self, model) -> int:
        value = self.next[model]
        self.next[model] = value + 1
        return value


def _copy(model_or_table, columns: list[str], rows: Iterable[tuple], report: Report) -> None:
    table = model_or_table if isinstance(model_or_table, str) else model_or_table._meta.db_table
    n = 0
    quoted = ", ".join(f'"{column}"' for column in columns)
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    report.add(table, n)


def _columns(model, *left_out: str) -> list[str]:
    """A model's columns in their order, but those ``left_out`` (the database's defaults fill them)."""
    return [f.attname for f in model._meta.concrete_fields if f.name not in left_out]


def _nip(rng: random.Random, serial: int) -> str:
    born = date(1965, 1, 1) + timedelta(days=rng.randint(0, 365 * 35))
    appointed_year = min(born.year + rng.randint(20, 30), 2023)
    sex = rng.choice("12")
    return f"{born:%Y%m%d}{appointed_year}{rng.randint(1, 12):02d}{sex}{serial % 1000:03d}"


def already_generated() -> bool:
    return User.objects.filter(username=BENCH_USERNAMES["pengawas"]).exists()


@transaction.atomic
def generate(*, factor: float = 1.0, seed: int = 2024, now: datetime | None = None, log=print) -> Report:
    rng = random.Random(seed)
    sizes = Sizes.for_factor(factor)
    now = now or timezone.now()
    report = Report()
    models = [Region, Office, Agency, Person, Case, Reporter, CaseSubject, Evidence, CaseEvent, Referral,
              ReferralResponse, OutreachSession, Attendance, User, Membership, Institution, Election]  # fmt: skip
    ids = Ids(models)
    tz = timezone.get_current_timezone()

    # --- Regions, offices, agencies, elections, institutions, accounts --------------------------------
    provinces = []
    for p in range(34):
        code = f"{11 + p}"
        provinces.append((ids.take(Region), code, f"Provinsi Uji {code}"))
    regencies = []
    for r in range(sizes.regencies):
        province = provinces[r % len(provinces)]
        code = f"{province[1]}.{70 + r // len(provinces):02d}"
        regencies.append((ids.take(Region), code, f"Kabupaten Uji {code}", province))
    _copy(Region, ["id", "code", "name", "level", "parent_id"],
          [(pid, code, name, "provinsi", None) for pid, code, name in provinces]
          + [(rid, code, name, "kabupaten", prov[0]) for rid, code, name, prov in regencies], report)  # fmt: skip
    offices = {}
    office_rows = []
    for rid, _code, name, _prov in regencies:
        offices[rid] = ids.take(Office)
        office_rows.append((offices[rid], rid, f"Bawaslu {name}", "", "", "", "", ""))
    province_offices = {}
    for pid, _code, name in provinces:
        province_offices[pid] = ids.take(Office)
        office_rows.append((province_offices[pid], pid, f"Bawaslu {name}", "", "", "", "", ""))
    pattern = Office._meta.get_field("case_number_pattern").default
    _copy(Office, ["id", "region_id", "name", "short_name", "address", "city", "phone", "email", "case_number_pattern"],
          [(*row, pattern) for row in office_rows], report)  # fmt: skip
    agencies = {rid: [] for rid, *_ in regencies}
    agency_rows = []
    for rid, *_ in regencies:
        for name in AGENCY_NAMES:
            aid = ids.take(Agency)
            agencies[rid].append(aid)
            agency_rows.append((aid, rid, name, "", "dinas", True))
    _copy(Agency, ["id", "regency_id", "name", "short_name", "kind", "is_active"], agency_rows, report)
    elections = {}
    for pid, code, _name in provinces:
        rules = Election.default_rules(Election.Kind.PILKADA)
        elections[pid] = Election.objects.create(
            kind=Election.Kind.PILKADA, name=f"Pilkada Serentak 2024 ({code})", year=2024,
            region_id=pid, voting_day=date(2024, 11, 27), **rules,
        ).pk  # fmt: skip
    bkn = Institution.objects.filter(code="bkn").first() or Institution.objects.create(
        code="bkn", name="Badan Kepegawaian Negara", short_name="BKN", kind="pengawas_asn",
        active_from=date(2024, 8, 24), response_days=14,
    )  # fmt: skip
    kasn = Institution.objects.filter(code="kasn").first() or Institution.objects.create(
        code="kasn", name="Komisi Aparatur Sipil Negara", short_name="KASN", kind="pengawas_asn",
        active_until=date(2024, 8, 23), successor=bkn, response_days=14,
    )  # fmt: skip
    violation_types = {vt.code: vt.pk for vt in ViolationType.objects.all()}
    mix = [(violation_types[code], weight) for code, weight in VIOLATION_MIX if code in violation_types]
    vt_ids, vt_weights = zip(*mix, strict=True)

    password = make_password(BENCH_PASSWORD)
    user_rows, membership_rows = [], []
    staff_of = {}  # regency id -> (koordinator id, [pengawas ids])
    first_regency = regencies[0][0]
    for rid, code, _name, _prov in regencies:
        office = offices[rid]
        koordinator = ids.take(User)
        pengawas = [ids.take(User), ids.take(User)]
        staff_of[rid] = (koordinator, pengawas)
        names = [(koordinator, f"koordinator-{code}", Role.KOORDINATOR)] + [
            (uid, f"pengawas-{code}-{i}", Role.PENGAWAS) for i, uid in enumerate(pengawas)
        ]
        if rid == first_regency:
            names[1] = (pengawas[0], BENCH_USERNAMES["pengawas"], Role.PENGAWAS)
            names.append((ids.take(User), BENCH_USERNAMES["pemkab"], Role.PEMKAB))
        for uid, username, role in names:
            user_rows.append((uid, username, f"Nama {username}", f"{username}@uji.test", role))
            membership_rows.append((ids.take(Membership), uid, office, role))
    province_user = ids.take(User)
    user_rows.append((province_user, BENCH_USERNAMES["provinsi"], "Pengawas Provinsi Uji", "provinsi@uji.test", ""))
    membership_rows.append((ids.take(Membership), province_user, province_offices[regencies[0][3][0]], Role.PENGAWAS))
    _copy(User, ["id", "password", "is_superuser", "username", "first_name", "last_name", "email", "is_staff",
                 "is_active", "date_joined", "full_name", "position", "phone"],
          [(uid, password, False, username, "", "", email, False, True, now, full, "", "")
           for uid, username, full, email, _role in user_rows], report)  # fmt: skip
    _copy(Membership, ["id", "user_id", "office_id", "role", "created_at"],
          [(*row, now) for row in membership_rows], report)  # fmt: skip
    log(f"  reference data and {len(user_rows)} accounts")

    # --- People -----------------------------------------------------------------------------------------
    person_rows = []
    people_of = {rid: [] for rid, *_ in regencies}
    regency_ids = [rid for rid, *_ in regencies]
    for serial in range(sizes.persons):
        rid = regency_ids[serial % len(regency_ids)]
        pid = ids.take(Person)
        kind = rng.choices(["pns", "pppk", "honorer", "kepala_desa"], [70, 15, 10, 5])[0]
        nip = _nip(rng, serial) if kind in ("pns", "pppk") else ""
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {serial}"
        person_rows.append((pid, uuid.UUID(int=rng.getrandbits(128)), name, nip, kind, "Staf", "", rng.choice(agencies[rid]),
                            "", rid, "", now, None))  # fmt: skip
        people_of[rid].append((pid, kind))
    # NIPs must be unique: the serial's last three digits and the random dates make clashes rare; drop them.
    seen_nip = set()
    unique_rows = []
    for row in person_rows:
        if row[3] and row[3] in seen_nip:
            row = (*row[:3], "", *row[4:])
        seen_nip.add(row[3])
        unique_rows.append(row)
    _copy(Person, ["id", "code", "name", "nip", "employment_type", "position", "rank", "agency_id", "employer_note",
                   "region_id", "address", "created_at", "created_by_id"], unique_rows, report)  # fmt: skip
    log(f"  {len(unique_rows)} people")

    # --- Shared evidence files ------------------------------------------------------------------------
    shared_files = []
    for i in range(20):
        content = b"\x89PNG\r\n\x1a\n" + hashlib.sha256(f"bench-{seed}-{i}".encode()).digest() * 8
        sha = hashlib.sha256(content).hexdigest()
        name = f"evidence/{sha[:2]}/{sha}"
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(content))
        shared_files.append((name, sha, len(content)))

    # --- Cases and everything under them -------------------------------------------------------------
    statuses, status_weights = zip(*STATUS_MIX, strict=True)
    counters: dict[tuple[int, int], int] = {}
    case_rows, reporter_rows, subject_rows, subject_vt_rows = [], [], [], []
    evidence_rows, event_rows, referral_rows, response_rows = [], [], [], []
    referral_budget = round(120_000 * factor)
    vt_through = CaseSubject.violation_types.through
    vt_through_id = 1 + (vt_through.objects.order_by("-id").values_list("id", flat=True).first() or 0)
    start = now - timedelta(days=730)
    for n in range(sizes.cases):
        rid, code, _name, prov = regencies[n % len(regencies)]
        office = offices[rid]
        koordinator, pengawas = staff_of[rid]
        status = rng.choices(statuses, status_weights)[0]
        source = "laporan" if rng.random() < 0.6 else "temuan"
        received = start + timedelta(seconds=rng.randint(0, 730 * 86400))
        received = min(received, now - timedelta(hours=1))
        received_day = timezone.localtime(received, tz).date()
        known = received_day - timedelta(days=rng.randint(0, 5))
        cid = ids.take(Case)
        registered = decided = closed = None
        number, number_year, number_seq, outcome, decision_due = "", None, None, "", None
        if status in ("registered", "under_review", "stopped", "decided", "referred", "closed"):
            registered = received + timedelta(days=1)
            local = timezone.localtime(registered, tz)
            counters[(office, local.year)] = counters.get((office, local.year), 0) + 1
            number_year, number_seq = local.year, counters[(office, local.year)]
            number = (
                f"{number_seq:03d}/Reg/{'LP' if source == 'laporan' else 'TM'}/PB/{code}/{local.month}/{local.year}"
            )
            decision_due = local.date() + timedelta(days=3)
        if status in ("decided", "referred", "closed"):
            decided = registered + timedelta(days=3)
            outcome = "peraturan_lain" if status != "closed" or rng.random() < 0.8 else "bukan_pelanggaran"
        if status in ("not_registered", "stopped", "closed"):
            closed = (decided or registered or received) + timedelta(days=rng.randint(1, 60))
        title = f"ASN diduga tidak netral ({rng.choice(VIOLATION_MIX)[0].lower()}) #{n}"
        case_rows.append((
            cid, uuid.UUID(int=rng.getrandbits(128)), office, elections[prov[0]], source, status, outcome,
            number, number_year, number_seq, title, "Kronologi singkat kejadian untuk data uji.", known, None,
            "Media sosial", known, received, registered, decided, closed,
            True, True, True, True, True, True, True,
            known + timedelta(days=7), received_day + timedelta(days=2), decision_due, False,
            rng.choice([koordinator, *pengawas, None]), None, "", 1, pengawas[0], received, received,
            None, None, "",  # not deleted
        ))  # fmt: skip
        if source == "laporan":
            reporter_rows.append((ids.take(Reporter), cid, f"Pelapor {n}", "", None, "", "", "Indonesia",
                                  "Alamat pelapor", "0812000000", ""))  # fmt: skip
        event_rows.append((ids.take(CaseEvent), cid, pengawas[0], "case.created", "", "received", "", "{}", received))
        # subjects: 1 or 2 (1.5 on average)
        people = people_of[rid]
        chosen = {people[rng.randrange(len(people))] for _ in range(1 + (rng.random() < 0.5))}
        proven_subjects = []
        for person_id, kind in chosen:
            sid = ids.take(CaseSubject)
            proven = outcome == "peraturan_lain"
            subject_rows.append((sid, cid, person_id, "terbukti" if proven else "pending", "", received))
            for vt in set(rng.choices(vt_ids, vt_weights, k=1 + (rng.random() < 0.3))):
                subject_vt_rows.append((vt_through_id, sid, vt))
                vt_through_id += 1
            event_rows.append((ids.take(CaseEvent), cid, pengawas[0], "subject.added", "", "", "", "{}", received))
            if proven:
                proven_subjects.append((sid, kind))
        # evidence: 3 per case
        for e in range(3):
            eid = ids.take(Evidence)
            roll = rng.random()
            if roll < 0.6:
                # a few small files on disk serve every row; each row has a hash of its own, so that the
                # duplicate checks see what real evidence would give them (few duplicates), not 30,000 each
                fname, _sha, size = shared_files[rng.randrange(len(shared_files))]
                sha = f"{rng.getrandbits(256):064x}"
                evidence_rows.append((eid, uuid.UUID(int=rng.getrandbits(128)), cid, None, "screenshot", "", None,
                                      fname, sha, size, "image/png", f"tangkapan-{e}.png", "", "", "", "", [], "",
                                      None, "", None, "", pengawas[0], received,
                                      "", None, ""))  # not yet checked by the periodic task  # fmt: skip
            elif roll < 0.95:
                url = f"https://www.facebook.com/akun{n % 5000}/posts/{n}{e}"
                evidence_rows.append((eid, uuid.UUID(int=rng.getrandbits(128)), cid, None, "tautan", "", None, "",
                                      "", None, "", "", url, url.replace("https://www.", "https://"), "facebook", "",
                                      ["suka"], "", None, "", None, "", pengawas[0], received, "", None, ""))  # fmt: skip
            else:
                evidence_rows.append((eid, uuid.UUID(int=rng.getrandbits(128)), cid, None, "keterangan_saksi",
                                      "Keterangan saksi", None, "", "", None, "", "", "", "", "", "", [], "", None,
                                      "", None, "", pengawas[0], received, "", None, ""))  # fmt: skip
            event_rows.append((ids.take(CaseEvent), cid, pengawas[0], "evidence.added", "", "", "", "{}", received))
        if registered:
            event_rows.append((ids.take(CaseEvent), cid, koordinator, "case.register", "received", "registered",
                               "", json.dumps({"number": number}), registered))  # fmt: skip
        if decided:
            event_rows.append((ids.take(CaseEvent), cid, koordinator, "case.decide", "under_review", "decided",
                               "Terbukti", json.dumps({"outcome": outcome}), decided))  # fmt: skip
        if closed:
            event_rows.append((ids.take(CaseEvent), cid, koordinator, f"case.{'close' if status == 'closed' else status}",
                               "", status, "", "{}", closed))  # fmt: skip
        # referrals: the forwarded cases' proven subjects, within the budget
        if status in ("referred", "closed") and outcome == "peraturan_lain" and referral_budget > 0:
            for sid, _kind in proven_subjects[:1]:
                if rng.random() > sizes.referral_share * 2:
                    continue
                referral_budget -= 1
                rf = ids.take(Referral)
                sent = decided + timedelta(days=2)
                institution = bkn.pk if sent.date() >= date(2024, 8, 24) else kasn.pk
                sent_day = timezone.localtime(sent, tz).date()
                response_due = sent_day + timedelta(days=20)
                r_status = "closed" if status == "closed" else rng.choices(
                    ["sent", "awaiting_ppk", "sanctioned"], [45, 35, 20])[0]  # fmt: skip
                recommended = sent_day + timedelta(days=rng.randint(5, 25)) if r_status != "sent" else None
                ppk_due = recommended + timedelta(days=14) if recommended else None
                closed_at = closed if r_status == "closed" else None
                referral_rows.append((
                    rf, uuid.UUID(int=rng.getrandbits(128)), cid, sid, institution, r_status, "surat",
                    f"{n}/PP.01.02/K/2024", sent_day, sent, None, response_due, recommended, ppk_due, closed_at,
                    "dilaksanakan" if r_status == "closed" else "", None, None, "", "", "", "", "",
                    koordinator, koordinator, 1, sent, closed_at or sent,
                ))  # fmt: skip
                event_rows.append((ids.take(CaseEvent), cid, koordinator, "referral.sent", "", "", "",
                                   json.dumps({"letter_number": f"{n}/PP.01.02/K/2024"}), sent))  # fmt: skip
                if recommended:
                    response_rows.append((ids.take(ReferralResponse), rf, "rekomendasi", f"R-{n}", recommended,
                                          True, "teguran_tertulis", False, None, "", None, "web",
                                          datetime.combine(recommended, time(10), tz)))  # fmt: skip
                if r_status in ("sanctioned", "closed"):
                    response_rows.append((ids.take(ReferralResponse), rf, "keputusan_ppk", f"K-{n}",
                                          recommended + timedelta(days=7), None, "teguran_tertulis", False, None, "",
                                          None, "web", datetime.combine(recommended + timedelta(days=7), time(10), tz)))  # fmt: skip
                if r_status == "closed":
                    response_rows.append((ids.take(ReferralResponse), rf, "pelaksanaan", "",
                                          recommended + timedelta(days=10), None, "", False, True, "", None, "web",
                                          datetime.combine(recommended + timedelta(days=10), time(10), tz)))  # fmt: skip
    _copy(Case, _columns(Case, "steps_entered_late", "handed_over_from"), case_rows, report)
    reporter_columns = ["id", "case_id", "name", "birth_place", "birth_date", "sex", "occupation", "nationality",
                        "address", "phone", "email"]  # fmt: skip
    _copy(Reporter, reporter_columns, reporter_rows, report)
    _copy(CaseSubject, [f.attname for f in CaseSubject._meta.concrete_fields], subject_rows, report)
    _copy(vt_through, ["id", "casesubject_id", "violationtype_id"], subject_vt_rows, report)
    log(f"  {len(case_rows)} cases, {len(subject_rows)} subjects")
    _copy(Evidence, [f.attname for f in Evidence._meta.concrete_fields], evidence_rows, report)
    _copy(CaseEvent, _columns(CaseEvent, "occurred_at", "entered_late"), event_rows, report)
    referral_columns = [
        "id", "code", "case_id", "subject_id", "institution_id", "status", "channel", "letter_number",
        "letter_date", "sent_at", "acknowledged_at", "response_due", "recommended_on", "ppk_due", "closed_at",
        "closed_as", "transferred_on", "transferred_from_id", "note", "letter_pdf", "letter_sha256",
        "dossier_pdf", "dossier_sha256", "prepared_by_id", "sent_by_id", "version", "created_at", "updated_at",
    ]  # fmt: skip
    _copy(Referral, referral_columns, referral_rows, report)
    _copy(ReferralResponse, [f.attname for f in ReferralResponse._meta.concrete_fields], response_rows, report)
    log(f"  {len(evidence_rows)} evidence, {len(event_rows)} events, {len(referral_rows)} referrals")

    # --- Outreach -------------------------------------------------------------------------------------
    session_rows, attendance_rows = [], []
    for n in range(sizes.sessions):
        rid, code, _name, _prov = regencies[n % len(regencies)]
        sid = ids.take(OutreachSession)
        begin = start + timedelta(days=rng.randint(0, 760), hours=rng.randint(0, 8))
        begin = datetime.combine(timezone.localtime(begin, tz).date(), time(8 + rng.randint(0, 6)), tz)
        held = begin < now
        session_rows.append((sid, uuid.UUID(int=rng.getrandbits(128)), offices[rid], None, None, False,
                             rng.choice(["sosialisasi", "rakor", "apel", "fgd", "media"]), f"Sosialisasi netralitas {n}",
                             "Larangan berpihak", begin, begin + timedelta(hours=2), "Aula", "", staff_of[rid][1][0],
                             "", 50, "terlaksana" if held else "rencana", "", "Notulen." if held else "",
                             staff_of[rid][1][0], begin - timedelta(days=10), begin - timedelta(days=10)))  # fmt: skip
        if held:
            for agency in rng.sample(agencies[rid], 2):
                reached = rng.randint(10, 80)
                attendance_rows.append((ids.take(Attendance), sid, agency, reached, rng.randint(0, reached), ""))
    _copy(OutreachSession, [f.attname for f in OutreachSession._meta.concrete_fields], session_rows, report)
    _copy(Attendance, [f.attname for f in Attendance._meta.concrete_fields], attendance_rows, report)
    log(f"  {len(session_rows)} outreach sessions")

    with connection.cursor() as cursor:
        for model in [*models, vt_through]:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST((SELECT MAX(id) FROM {table}), 1))"
            )
        cursor.execute("ANALYZE")
    return report


def main(argv: list[str] | None = None) -> int:
    import argparse
    import os
    import time

    import django

    parser = argparse.ArgumentParser(description="Isi basis data (PostgreSQL) dengan data uji berskala nasional.")
    parser.add_argument("--factor", type=float, default=1.0, help="ukuran relatif terhadap skala penuh (1.0)")
    parser.add_argument("--seed", type=int, default=2024, help="benih acak: benih yang sama, data yang sama")
    args = parser.parse_args(argv)
    if not 0 < args.factor <= 5:
        parser.error("--factor harus di antara 0 dan 5.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netralitas.settings")
    django.setup()
    if already_generated():
        print("Data uji sudah ada di basis data ini (akun bench-pengawas ditemukan).")
        return 1
    started = time.monotonic()
    report = generate(factor=args.factor, seed=args.seed)
    # As autovacuum would after a bulk load: the visibility map lets covering indexes answer alone
    # (index-only scans), and the statistics are fresh. Outside the load's transaction, as VACUUM must be.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    for table, n in sorted(report.counts.items()):
        print(f"  {table}: {n}")
    print(f"Selesai dalam {time.monotonic() - started:.0f} detik.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
