"""How a referral reads in the API: the referral, its case, the subject, evidence metadata, the responses and
the timeline. Read-only representations, and the two write-back inputs (validated as the web form is; the
state change itself is the service's)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.api import selectors
from cases.api.rows import download_link
from cases.models import EmploymentType, Evidence, Referral, ReferralResponse, Sanction


class ElectionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    year = serializers.IntegerField()


class RegionSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("Kode wilayah Kemendagri."))
    name = serializers.CharField()


class CaseSerializer(serializers.Serializer):
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


class ViolationTypeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class SubjectSerializer(serializers.Serializer):
    name = serializers.CharField(source="person.name")
    nip = serializers.CharField(source="person.nip")
    employment_type = serializers.ChoiceField(source="person.employment_type", choices=EmploymentType.choices)
    position = serializers.CharField(source="person.position")
    rank = serializers.CharField(source="person.rank")
    agency = serializers.CharField(source="person.agency.name", default="", allow_null=True)
    outcome = serializers.CharField(help_text=_("Hasil pleno untuk terlapor ini."))
    violation_types = ViolationTypeSerializer(many=True, source="api_violation_types")


class EvidenceSerializer(serializers.Serializer):
    code = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=Evidence.Kind.choices)
    description = serializers.CharField()
    captured_at = serializers.DateTimeField(allow_null=True)
    uploaded_at = serializers.DateTimeField()
    sha256 = serializers.CharField()
    size = serializers.IntegerField(allow_null=True)
    mime_type = serializers.CharField()
    original_name = serializers.CharField()
    url = serializers.CharField(source="url_normalized", help_text=_("Tautan unggahan (dinormalkan)."))
    platform = serializers.CharField()
    account = serializers.CharField()
    interaction = serializers.CharField()
    comment_text = serializers.CharField()
    gesture = serializers.CharField()
    download = serializers.SerializerMethodField(help_text=_("Alamat unduhan berkas (dengan token yang sama)."))

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download(self, evidence) -> str | None:
        if not evidence.file:
            return None
        # The address is built from a template made once per response (as the list's rows build it).
        template = self.context.get("_download_template")
        if template is None:
            template = self.context["_download_template"] = download_link(self.context.get("request"))
        return template(evidence.api_referral_code, evidence.code)


class ResponseSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReferralResponse.Kind.choices)
    number = serializers.CharField()
    date = serializers.DateField()
    proven = serializers.BooleanField(allow_null=True)
    sanction = serializers.CharField()
    refused = serializers.BooleanField()
    executed = serializers.BooleanField(allow_null=True)
    note = serializers.CharField()
    recorded_via = serializers.CharField(help_text=_("web atau api."))
    recorded_at = serializers.DateTimeField()


class EventSerializer(serializers.Serializer):
    at = serializers.DateTimeField(source="created_at")
    action = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    reason = serializers.CharField()
    data = serializers.SerializerMethodField()

    @extend_schema_field(serializers.DictField())
    def get_data(self, event) -> dict:
        return selectors.safe_data(event.data)


class ReferralSerializer(serializers.Serializer):
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
    transferred_from = serializers.UUIDField(source="transferred_from.code", allow_null=True, default=None)
    letter_sha256 = serializers.CharField()
    updated_at = serializers.DateTimeField()
    version = serializers.IntegerField()
    case = CaseSerializer()
    subject = SubjectSerializer()
    # The lists an institution sees, read by ``to_representation`` below from what the selector prefetched.
    evidence = EvidenceSerializer(many=True, source="api_evidence")
    responses = ResponseSerializer(many=True, source="api_responses")
    timeline = EventSerializer(many=True, source="api_timeline")

    def to_representation(self, referral):
        if not hasattr(referral, "api_evidence"):
            evidence = selectors.evidence_of(referral)
            for item in evidence:
                item.api_referral_code = referral.code
            referral.api_evidence = evidence
            referral.api_responses = selectors.responses_of(referral)
            referral.api_timeline = selectors.timeline_of(referral)
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
        return attrs


class ReferralPage(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text=_("Halaman berikutnya; null bila sudah habis."))
    results = ReferralSerializer(many=True)
