"""How a referral reads in the API and in the exports: the referral, its case, the subject, evidence metadata,
the responses and the timeline (``ReferralSerializer``: the list, the detail and the write-back answers), and
the same referral as one row of the CSV and XLSX exports (``ReferralColumns``). Both read the rows of
``cases.api.selectors.with_lists``. Then the two write-back inputs (validated as the web form is; the state
change itself is the service's)."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import ISO_8601, serializers
from rest_framework.fields import empty
from rest_framework.settings import api_settings

from cases.api import selectors
from cases.models import EmploymentType, Evidence, Referral, ReferralResponse, Sanction, StepDocument


class RowSerializer(serializers.Serializer):
    """A read-only representation of plain rows (dicts of ``selectors``): each value is read by its path and
    written by its field, without DRF's general attribute lookup (objects, callables, errors turned into
    defaults), which was most of the time of a page of 100 referrals and of an export. A value that is absent
    or null is the field's default, or null.

    The plan (each field's path, default and writer) is made once per class, from one instance of it: a request
    does not copy the tree of fields (a referral's is some 2,000 objects, 10 ms of a page), so a field here
    reads nothing of a request (no ``context``: the view fills in what depends on it, the download addresses)."""

    @classmethod
    def plan(cls) -> list[tuple]:
        plan = cls.__dict__.get("_plan")
        if plan is None:
            plan = cls._plan = [
                (name, field.source_attrs, None if field.default is empty else field.default, _writer(field))
                for name, field in cls().fields.items()
            ]
        return plan

    def to_representation(self, row):
        data = {}
        for name, path, default, write in self.plan():
            if len(path) == 1:  # most columns: one key of the row
                value = row.get(path[0])
            else:  # the whole row (source "*"), or a nested path ("recommendation.date")
                value = row
                for key in path:
                    value = value.get(key) if value is not None else None
            if value is None:
                value = default
            data[name] = None if value is None else write(value)
        return data


def _writer(field: serializers.Field):
    """What writes a value of ``field``: DRF's ``to_representation``, or, for the fields a page or an export
    writes thousands of times, the same result without DRF's per-value overhead: the built-in for plain text
    and numbers (DRF's ``str(value)``, ``int(value)``), and for a moment in ISO 8601 the conversion to the
    current time zone done once per serializer instead of once per value (DRF's ``enforce_timezone``)."""
    kind = type(field)
    if kind is serializers.CharField or (kind is serializers.UUIDField and field.uuid_format == "hex_verbose"):
        return str
    if kind is serializers.IntegerField:
        return int
    iso = api_settings.DATETIME_FORMAT.lower() == ISO_8601
    if (
        kind in (serializers.DateTimeField, Moment)
        and iso
        and not hasattr(field, "format")
        and not hasattr(field, "timezone")
    ):
        zone = timezone.get_current_timezone()

        def moment(value):
            if isinstance(value, str):
                value = datetime.fromisoformat(value)
            text = value.astimezone(zone).isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text

        return moment
    return field.to_representation


class Moment(serializers.DateTimeField):
    """A moment of a list built by PostgreSQL as JSON (ISO text in UTC), written as every other moment is."""

    def to_representation(self, value):
        return super().to_representation(datetime.fromisoformat(value) if isinstance(value, str) else value)


class ElectionSerializer(RowSerializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    year = serializers.IntegerField()


class RegionSerializer(RowSerializer):
    code = serializers.CharField(help_text=_("Kode wilayah Kemendagri."))
    name = serializers.CharField()


class CaseSerializer(RowSerializer):
    code = serializers.UUIDField()
    number = serializers.CharField(help_text=_("Nomor register."))
    title = serializers.CharField()
    source = serializers.CharField(help_text=_("temuan atau laporan."))
    status = serializers.CharField()
    election = ElectionSerializer()
    office = serializers.CharField(source="office.name")
    region = RegionSerializer(source="office.region")
    district = RegionSerializer(allow_null=True, help_text=_("Kecamatan tempat kejadian."))
    place = serializers.CharField()
    occurred_on = serializers.DateField(allow_null=True)
    known_on = serializers.DateField()
    received_at = serializers.DateTimeField()
    registered_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    chronology = serializers.CharField()
    outcome = serializers.CharField(help_text=_("Putusan pleno."))
    steps_entered_late = serializers.BooleanField(
        help_text=_("Ada langkah yang dicatat sesudah hari terjadinya (lihat timeline: occurred_at).")
    )


class ViolationTypeSerializer(RowSerializer):
    code = serializers.CharField()
    name = serializers.CharField()


class SubjectSerializer(RowSerializer):
    name = serializers.CharField(source="person.name")
    nip = serializers.CharField(source="person.nip")
    employment_type = serializers.ChoiceField(source="person.employment_type", choices=EmploymentType.choices)
    position = serializers.CharField(source="person.position")
    rank = serializers.CharField(source="person.rank")
    agency = serializers.CharField(source="person.agency.name", default="", allow_null=True)
    outcome = serializers.CharField(help_text=_("Hasil pleno untuk terlapor ini."))
    violation_types = ViolationTypeSerializer(many=True)


class EvidenceSerializer(RowSerializer):
    code = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=Evidence.Kind.choices)
    description = serializers.CharField()
    captured_at = Moment(allow_null=True)
    uploaded_at = Moment()
    sha256 = serializers.CharField()
    size = serializers.IntegerField(allow_null=True)
    mime_type = serializers.CharField()
    original_name = serializers.CharField()
    url = serializers.CharField(source="url_normalized", help_text=_("Tautan unggahan (dinormalkan)."))
    platform = serializers.CharField()
    account = serializers.CharField()
    interactions = serializers.ListField(child=serializers.CharField(), help_text=_("Interaksi: suka, komentar, ..."))
    comment_text = serializers.CharField()
    gesture = serializers.CharField()
    download = serializers.URLField(
        allow_null=True, help_text=_("Alamat unduhan berkas (dengan token yang sama); null untuk tautan.")
    )


class StepDocumentSerializer(RowSerializer):
    code = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=StepDocument.Kind.choices)
    number = serializers.CharField()
    dated = serializers.DateField(help_text=_("Tanggal dokumen ditandatangani."))
    sha256 = serializers.CharField()
    size = serializers.IntegerField()
    mime_type = serializers.CharField()
    original_name = serializers.CharField()
    uploaded_at = Moment()
    download = serializers.URLField(help_text=_("Alamat unduhan berkas (dengan token yang sama)."))


class ResponseSerializer(RowSerializer):
    kind = serializers.ChoiceField(choices=ReferralResponse.Kind.choices)
    number = serializers.CharField()
    date = serializers.DateField()
    proven = serializers.BooleanField(allow_null=True)
    sanction = serializers.CharField()
    refused = serializers.BooleanField()
    executed = serializers.BooleanField(allow_null=True)
    note = serializers.CharField()
    recorded_via = serializers.CharField(help_text=_("web atau api."))
    recorded_at = Moment()


class EventSerializer(RowSerializer):
    at = serializers.DateTimeField(source="created_at", help_text=_("Kapan langkah dicatat."))
    occurred_at = Moment(allow_null=True, help_text=_("Kapan langkah terjadi, bila bukan saat dicatat."))
    entered_late = serializers.BooleanField(help_text=_("Dicatat pada hari sesudah terjadi."))
    action = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    reason = serializers.CharField()
    data = serializers.SerializerMethodField()

    @extend_schema_field(serializers.DictField())
    def get_data(self, event) -> dict:
        return selectors.safe_data(event["data"])


class ReferralSerializer(RowSerializer):
    code = serializers.UUIDField()
    status = serializers.ChoiceField(choices=Referral._meta.get_field("status").choices)
    institution = serializers.CharField(source="institution.name")
    channel = serializers.CharField()
    letter_number = serializers.CharField()
    letter_date = serializers.DateField(allow_null=True)
    sent_at = serializers.DateTimeField(allow_null=True)
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    response_due = serializers.DateField(allow_null=True)
    recommended_on = serializers.DateField(allow_null=True)
    ppk_due = serializers.DateField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    closed_as = serializers.CharField()
    sanction_lighter = serializers.BooleanField(help_text=_("PPK menjatuhkan sanksi lebih ringan dari rekomendasi."))
    conflict = serializers.ChoiceField(
        choices=Referral.Conflict.choices,
        allow_blank=True,
        help_text=_(
            "Benturan kepentingan: PPK adalah calon dalam pemilihan ini, atau terlapor anggota tim kampanyenya."
        ),
    )
    transferred_from = serializers.UUIDField(source="transferred_from.code", allow_null=True, default=None)
    letter_sha256 = serializers.CharField()
    updated_at = serializers.DateTimeField()
    version = serializers.IntegerField()
    case = CaseSerializer()
    subject = SubjectSerializer()
    # what an institution sees of the case: the evidence shared with it, the responses, the timeline
    evidence = EvidenceSerializer(many=True)
    responses = ResponseSerializer(many=True)
    documents = StepDocumentSerializer(
        many=True, help_text=_("Dokumen langkah: berita acara perkara, dan dokumen penerusan ini.")
    )
    timeline = EventSerializer(many=True)


# --- The export's columns: one row per referral, the same for CSV and XLSX -------------------------------------
# Values stay Python values (dates, local times without a zone, text): the XLSX writes them as typed cells, the
# CSV as text (``cases.api.exports``). Choice fields give their stored value, as the JSON does.


class _Day(serializers.DateField):
    """A date as a typed cell (a response's date, from JSON, is ISO text)."""

    def to_representation(self, value):
        return date.fromisoformat(value) if isinstance(value, str) else value


class _LocalTime(serializers.DateTimeField):
    """A moment in the site's time zone, to the minute in the CSV (a spreadsheet cell has no zone): its source
    is read as such by PostgreSQL (``selectors.LOCAL``)."""

    def to_representation(self, value):
        return value


class _Joined(serializers.Field):
    """The non-empty ``key`` of each item of a list, joined by ``separator``."""

    def __init__(self, *, key: str, separator: str, **kwargs):
        self.key, self.separator = key, separator
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, items):
        return self.separator.join(item[self.key] for item in items if item[self.key])


class _YesNo(serializers.BooleanField):
    def to_representation(self, value):
        return "ya" if value else "tidak"


class _PpkSanction(serializers.Field):
    """The sanction the PPK imposed, or ``ditolak`` when it refused to impose one."""

    def to_representation(self, decision):
        return decision["sanction"] or "ditolak"


class ReferralColumns(RowSerializer):
    """The columns of the CSV and XLSX exports, named as their header (Indonesian, lower case). They read the
    flat rows of ``selectors.export_rows`` (a source is a ``values()`` path, or a response's field), and the
    export reads only the paths named here (``read_fields``)."""

    kode_penerusan = serializers.CharField(source="code")
    tahap = serializers.CharField(source="status")
    lembaga = serializers.CharField(source="institution__name")
    nomor_surat = serializers.CharField(source="letter_number")
    tanggal_surat = _Day(source="letter_date")
    dikirim = _LocalTime(source="local__sent_at")
    batas_rekomendasi = _Day(source="response_due")
    batas_ppk = _Day(source="ppk_due")
    selesai_karena = serializers.CharField(source="closed_as")
    nomor_register = serializers.CharField(source="case__number")
    pemilihan = serializers.CharField(source="case__election__name")
    kode_wilayah = serializers.CharField(source="case__office__region__code")
    wilayah = serializers.CharField(source="case__office__region__name")
    kecamatan = serializers.CharField(source="case__district__name", default="")
    tanggal_kejadian = _Day(source="case__occurred_on")
    diterima = _LocalTime(source="local__case__received_at")
    diputus = _LocalTime(source="local__case__decided_at")
    putusan = serializers.CharField(source="case__outcome")
    nama = serializers.CharField(source="subject__person__name")
    nip = serializers.CharField(source="subject__person__nip")
    status_kepegawaian = serializers.CharField(source="subject__person__employment_type")
    jabatan = serializers.CharField(source="subject__person__position")
    instansi = serializers.CharField(source="subject__person__agency__name", default="")
    jenis_pelanggaran = _Joined(source="violation_types", key="code", separator=";")
    # the latest response of each kind (``to_representation`` below picks them)
    nomor_rekomendasi = serializers.CharField(source="recommendation.number", default="")
    tanggal_rekomendasi = _Day(source="recommendation.date", default=None)
    terbukti = _YesNo(source="recommendation.proven", default=None)
    sanksi_rekomendasi = serializers.CharField(source="recommendation.sanction", default="")
    nomor_keputusan_ppk = serializers.CharField(source="ppk_decision.number", default="")
    tanggal_keputusan_ppk = _Day(source="ppk_decision.date", default=None)
    sanksi_ppk = _PpkSanction(source="ppk_decision", default=None)
    sanksi_dilaksanakan = _Day(source="execution.date", default=None)
    sha256_bukti = _Joined(source="evidence", key="sha256", separator=" ")
    langkah_dicatat_belakangan = _YesNo(source="case__steps_entered_late")
    diubah = _LocalTime(source="local__updated_at")

    COMPUTED = ("violation_types", "evidence", "recommendation", "ppk_decision", "execution")

    def read_fields(self) -> list[str]:
        """The ``values()`` paths the columns show."""
        sources = (field.source_attrs[0] for field in self.fields.values())
        return [source for source in dict.fromkeys(sources) if source not in self.COMPUTED]

    def to_representation(self, referral):
        kinds = {r["kind"]: r for r in referral["responses"]}  # oldest first: the last of each kind stays
        K = ReferralResponse.Kind
        referral["recommendation"] = kinds.get(K.RECOMMENDATION)
        referral["ppk_decision"] = kinds.get(K.PPK_DECISION)
        referral["execution"] = kinds.get(K.EXECUTION)
        return super().to_representation(referral)


# --- Write-back inputs: the web's ResponseForm rules ---------------------------------------------------


def _not_in_future(day):
    if day > timezone.localdate():
        raise serializers.ValidationError(_("Tanggal tidak boleh di masa depan."))
    return day


class RecommendationInput(serializers.Serializer):
    number = serializers.CharField(max_length=120, allow_blank=True, default="", label=_("Nomor rekomendasi"))
    date = serializers.DateField(validators=[_not_in_future], error_messages={"required": _("Isi tanggal.")})
    proven = serializers.BooleanField(error_messages={"required": _("Pilih hasil rekomendasi.")})
    sanction = serializers.ChoiceField(choices=Sanction.choices, allow_blank=True, default="")
    note = serializers.CharField(allow_blank=True, default="", max_length=4000)

    def validate(self, attrs):
        if attrs["proven"] and not attrs["sanction"]:
            raise serializers.ValidationError(
                {"sanction": [_("Rekomendasi terbukti harus menyebut sanksi yang direkomendasikan.")]}
            )
        return attrs


class PpkDecisionInput(serializers.Serializer):
    number = serializers.CharField(max_length=120, allow_blank=True, default="", label=_("Nomor keputusan"))
    date = serializers.DateField(validators=[_not_in_future], error_messages={"required": _("Isi tanggal.")})
    sanction = serializers.ChoiceField(choices=Sanction.choices, allow_blank=True, default="")
    refused = serializers.BooleanField(default=False)
    note = serializers.CharField(allow_blank=True, default="", max_length=4000)

    def validate(self, attrs):
        if attrs["refused"] == bool(attrs["sanction"]):
            raise serializers.ValidationError(
                {"sanction": [_("Pilih sanksi yang dijatuhkan PPK, atau tandai bahwa PPK tidak menjatuhkan sanksi.")]}
            )
        if not attrs["refused"] and not attrs["number"].strip():
            raise serializers.ValidationError({"number": [_("Isi nomor keputusan PPK.")]})
        if attrs["refused"] and not attrs["note"].strip():
            raise serializers.ValidationError({"note": [_("Isi alasan PPK tidak menjatuhkan sanksi.")]})
        return attrs


class ReferralPage(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text=_("Halaman berikutnya; null bila sudah habis."))
    results = ReferralSerializer(many=True)
