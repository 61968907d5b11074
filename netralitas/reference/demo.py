"""Demo reference data: Kalimantan Tengah, Kabupaten Gunung Mas (the first deployment) and Kota Palangka Raya
(a second regency with its own office, for access tests). Candidate names are fictional and say so."""

import importlib
from datetime import date

from netralitas.demo import DemoReport
from netralitas.reference.models import (
    Agency,
    CandidatePair,
    Election,
    EscalationRung,
    Institution,
    NonWorkingDay,
    Office,
    Region,
)

PROVINCE = ("62", "Kalimantan Tengah")
GUNUNG_MAS = ("62.10", "Kabupaten Gunung Mas")
PALANGKA_RAYA = ("62.71", "Kota Palangka Raya")

# Kecamatan of Gunung Mas (DOMAIN.md) with their Kemendagri codes.
GUNUNG_MAS_KECAMATAN = [
    ("62.10.01", "Kurun"),
    ("62.10.02", "Tewah"),
    ("62.10.03", "Kahayan Hulu Utara"),
    ("62.10.04", "Rungan"),
    ("62.10.05", "Manuhing"),
    ("62.10.06", "Sepang"),
    ("62.10.07", "Damang Batu"),
    ("62.10.08", "Miri Manasa"),
    ("62.10.09", "Rungan Hulu"),
    ("62.10.10", "Mihing Raya"),
    ("62.10.11", "Manuhing Raya"),
    ("62.10.12", "Rungan Barat"),
]
PALANGKA_RAYA_KECAMATAN = [
    ("62.71.01", "Pahandut"),
    ("62.71.02", "Sebangau"),
    ("62.71.03", "Jekan Raya"),
    ("62.71.04", "Bukit Batu"),
    ("62.71.05", "Rakumpit"),
]

# (name, short name, kind)
GUNUNG_MAS_AGENCIES = [
    ("Sekretariat Daerah", "Setda", Agency.Kind.SECRETARIAT),
    ("Sekretariat DPRD", "Setwan", Agency.Kind.SECRETARIAT),
    ("Inspektorat Daerah", "Inspektorat", Agency.Kind.INSPECTORATE),
    ("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "BKPSDM", Agency.Kind.BADAN),
    ("Badan Perencanaan Pembangunan Daerah", "Bappeda", Agency.Kind.BADAN),
    ("Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD", Agency.Kind.BADAN),
    ("Badan Pendapatan Daerah", "Bapenda", Agency.Kind.BADAN),
    ("Badan Penanggulangan Bencana Daerah", "BPBD", Agency.Kind.BADAN),
    ("Badan Kesatuan Bangsa dan Politik", "Kesbangpol", Agency.Kind.BADAN),
    ("Dinas Pendidikan", "Disdik", Agency.Kind.DINAS),
    ("Dinas Kesehatan", "Dinkes", Agency.Kind.DINAS),
    ("Dinas Pekerjaan Umum dan Penataan Ruang", "Dinas PUPR", Agency.Kind.DINAS),
    ("Dinas Perumahan, Kawasan Permukiman dan Pertanahan", "Disperkimtan", Agency.Kind.DINAS),
    ("Dinas Sosial", "Dinsos", Agency.Kind.DINAS),
    ("Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil", Agency.Kind.DINAS),
    ("Dinas Pemberdayaan Masyarakat dan Desa", "DPMD", Agency.Kind.DINAS),
    ("Dinas Pertanian", "Distan", Agency.Kind.DINAS),
    ("Dinas Perhubungan", "Dishub", Agency.Kind.DINAS),
    ("Dinas Komunikasi, Informatika, Statistik dan Persandian", "Diskominfo", Agency.Kind.DINAS),
    ("Dinas Lingkungan Hidup", "DLH", Agency.Kind.DINAS),
    ("Dinas Pariwisata, Kebudayaan, Pemuda dan Olahraga", "Disparbudpora", Agency.Kind.DINAS),
    ("Dinas Koperasi, Usaha Kecil dan Menengah, Perdagangan dan Perindustrian", "Diskopdagperin", Agency.Kind.DINAS),
    ("Dinas Tenaga Kerja dan Transmigrasi", "Disnakertrans", Agency.Kind.DINAS),
    ("Dinas Ketahanan Pangan dan Perikanan", "DKPP", Agency.Kind.DINAS),
    ("Satuan Polisi Pamong Praja dan Pemadam Kebakaran", "Satpol PP", Agency.Kind.OTHER),
    ("Rumah Sakit Umum Daerah Kuala Kurun", "RSUD Kuala Kurun", Agency.Kind.HOSPITAL),
    *[(f"Kecamatan {name}", f"Kec. {name}", Agency.Kind.DISTRICT) for _code, name in GUNUNG_MAS_KECAMATAN],
]
PALANGKA_RAYA_AGENCIES = [
    ("Sekretariat Daerah", "Setda", Agency.Kind.SECRETARIAT),
    ("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "BKPSDM", Agency.Kind.BADAN),
    ("Dinas Pendidikan", "Disdik", Agency.Kind.DINAS),
    ("Dinas Kesehatan", "Dinkes", Agency.Kind.DINAS),
]

DEMO_NOTE = "Nama fiktif untuk data demo"


def load(report: DemoReport) -> None:
    _ladder(report)
    province = report.upsert(Region, {"code": PROVINCE[0]}, {"name": PROVINCE[1], "level": Region.Level.PROVINCE})
    regencies = {}
    for (code, name), kecamatan in ((GUNUNG_MAS, GUNUNG_MAS_KECAMATAN), (PALANGKA_RAYA, PALANGKA_RAYA_KECAMATAN)):
        regency = report.upsert(
            Region, {"code": code}, {"name": name, "level": Region.Level.REGENCY, "parent": province}
        )
        regencies[code] = regency
        for district_code, district_name in kecamatan:
            report.upsert(
                Region,
                {"code": district_code},
                {"name": district_name, "level": Region.Level.DISTRICT, "parent": regency},
            )
    gunung_mas, palangka_raya = regencies[GUNUNG_MAS[0]], regencies[PALANGKA_RAYA[0]]

    report.upsert(
        Office,
        {"region": province},
        {"name": "Bawaslu Provinsi Kalimantan Tengah", "short_name": "Bawaslu Kalteng", "city": "Palangka Raya"},
    )
    report.upsert(
        Office,
        {"region": gunung_mas},
        {
            "name": "Bawaslu Kabupaten Gunung Mas",
            "short_name": "Bawaslu Gunung Mas",
            "city": "Kuala Kurun",
            "address": "Kuala Kurun, Kabupaten Gunung Mas, Kalimantan Tengah",
        },
    )
    report.upsert(
        Office,
        {"region": palangka_raya},
        {"name": "Bawaslu Kota Palangka Raya", "short_name": "Bawaslu Palangka Raya", "city": "Palangka Raya"},
    )

    for regency, agencies in ((gunung_mas, GUNUNG_MAS_AGENCIES), (palangka_raya, PALANGKA_RAYA_AGENCIES)):
        for name, short_name, kind in agencies:
            report.upsert(Agency, {"regency": regency, "name": name}, {"short_name": short_name, "kind": kind})

    _elections(report, province, gunung_mas, palangka_raya)
    _institutions(report, gunung_mas, palangka_raya)

    report.upsert(
        NonWorkingDay,
        {"date": date(2024, 11, 27), "region": None},
        {"name": "Hari pemungutan suara Pilkada serentak 2024", "kind": NonWorkingDay.Kind.ELECTION_DAY},
    )


def _elections(report, province, gunung_mas, palangka_raya):
    pilkada = Election.default_rules(Election.Kind.PILKADA)
    elections = [
        (gunung_mas, "Pemilihan Bupati dan Wakil Bupati Gunung Mas 2024"),
        (province, "Pemilihan Gubernur dan Wakil Gubernur Kalimantan Tengah 2024"),
        (palangka_raya, "Pemilihan Wali Kota dan Wakil Wali Kota Palangka Raya 2024"),
    ]
    for region, name in elections:
        election = report.upsert(
            Election,
            {"kind": Election.Kind.PILKADA, "year": 2024, "region": region},
            {"name": name, "voting_day": date(2024, 11, 27), **pilkada},
        )
        if region == gunung_mas:
            pairs = [
                (1, "Yohanes Demo Bungai", "Marta Contoh Liani"),
                (2, "Rahmat Demo Saputra", "Elisabet Contoh Ningsih"),
                (3, "Daniel Demo Ranying", "Siti Contoh Aminah"),
            ]
            for number, head, deputy in pairs:
                report.upsert(
                    CandidatePair,
                    {"election": election, "number": number},
                    {"head_name": head, "deputy_name": deputy, "note": DEMO_NOTE},
                )
    governor_2020 = report.upsert(
        Election,
        {"kind": Election.Kind.PILKADA, "year": 2020, "region": province},
        {
            "name": "Pemilihan Gubernur dan Wakil Gubernur Kalimantan Tengah 2020",
            "voting_day": date(2020, 12, 9),
            **pilkada,
        },
    )
    # a past election has its candidate pairs too: evidence of a 2020 case names the pair it was for
    for number, head, deputy in ((1, "Benyamin Demo Kahayan", "Ruth Contoh Sari"), (2, "Hasan Demo Katingan", "")):
        report.upsert(
            CandidatePair,
            {"election": governor_2020, "number": number},
            {"head_name": head, "deputy_name": deputy, "note": DEMO_NOTE},
        )
    report.upsert(
        Election,
        {"kind": Election.Kind.PEMILU, "year": 2024, "region": None},
        {"name": "Pemilihan Umum 2024", "voting_day": date(2024, 2, 14), **Election.default_rules("pemilu")},
    )


def _institutions(report, gunung_mas, palangka_raya):
    bkn = report.upsert(
        Institution,
        {"code": "bkn"},
        {
            "name": "Badan Kepegawaian Negara (Deputi Bidang Pengawasan dan Pengendalian)",
            "short_name": "BKN",
            "head_title": "Kepala Badan Kepegawaian Negara",
            "kind": Institution.Kind.OVERSIGHT,
            "active_from": date(2024, 8, 24),
            "response_days": 14,
            "note": "Menerima penerusan pelanggaran netralitas ASN setelah KASN dibubarkan (Perpres 91 dan 92/2024).",
        },
    )
    report.upsert(
        Institution,
        {"code": "kasn"},
        {
            "name": "Komisi Aparatur Sipil Negara",
            "short_name": "KASN",
            "head_title": "Ketua Komisi Aparatur Sipil Negara",
            "kind": Institution.Kind.OVERSIGHT,
            "active_until": date(2024, 8, 23),
            "successor": bkn,
            "response_days": 14,
            "note": "Dibubarkan oleh UU 20/2023; berhenti menangani laporan 24 Agustus 2024.",
        },
    )
    report.upsert(
        Institution,
        {"code": "kemenpan-rb"},
        {
            "name": "Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
            "short_name": "KemenPAN-RB",
            "head_title": "Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
            "kind": Institution.Kind.MINISTRY,
            "active_from": date(2024, 8, 24),
            "response_days": 14,
        },
    )
    report.upsert(
        Institution,
        {"code": "pemberi-kerja"},
        {
            "name": "Instansi pemberi kerja (untuk tenaga honorer)",
            "short_name": "Pemberi kerja",
            "kind": Institution.Kind.EMPLOYER,
            "response_days": 14,
        },
    )
    for region, regent, label in (
        (gunung_mas, "Bupati Gunung Mas", "Gunung Mas"),
        (palangka_raya, "Wali Kota Palangka Raya", "Palangka Raya"),
    ):
        for lookup, values in Institution.local_bodies(region, regent, label):
            report.upsert(Institution, lookup, values)


def _ladder(report: DemoReport) -> None:
    """The escalation rungs as their migration seeds them, for a database emptied since (a test's flush); a
    rung an administrator edited is kept as it is."""
    seeded = importlib.import_module("netralitas.reference.migrations.0008_escalation_ladder_candidate_people")
    for row in seeded.RUNGS:
        values = {key: value for key, value in row.items() if key != "code"}
        _rung, created = EscalationRung.objects.get_or_create(code=row["code"], defaults=values)
        report.count("langkah eskalasi", "created" if created else "unchanged")
