"""The referral endpoints for institutions (KASN, BKN, ...): list and detail for sync, CSV/XLSX exports,
evidence files, and the two write-back actions. Thin: selectors read, services write, domain errors become
HTTP here and only here."""

from __future__ import annotations

import base64

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from cases import services
from cases.api import exports, rows, selectors
from cases.api import services as api_services
from cases.api.serializers import PpkDecisionInput, RecommendationInput, ReferralPage, ReferralSerializer
from cases.models import ReferralStatus
from netralitas.api.exceptions import Conflict
from netralitas.api.idempotency import idempotent
from netralitas.api.pagination import KeysetPagination, schema_parameters
from netralitas.api.views import ApiView
from netralitas.forms import validate_sensible_date

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERRORS = {
    400: OpenApiResponse(description=gettext_lazy("Data tidak valid: 'detail' dan 'errors' per kolom.")),
    401: OpenApiResponse(description=gettext_lazy("Token tidak ada, tidak dikenal, dicabut atau kedaluwarsa.")),
    403: OpenApiResponse(description=gettext_lazy("Token baca saja untuk permintaan tulis.")),
    404: OpenApiResponse(description=gettext_lazy("Tidak ada, atau tidak ditujukan kepada lembaga klien ini.")),
    429: OpenApiResponse(description=gettext_lazy("Terlalu banyak permintaan.")),
}
IDEMPOTENCY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=gettext_lazy("Kunci unik per permintaan; mengulang dengan kunci yang sama memberi jawaban yang sama."),
)


class SensibleDateTimeField(serializers.DateTimeField):
    """A moment between 1900 and 2100, checked before DRF moves it into the time zone (which overflows on a
    naive 0001-01-01: a server error instead of a 400)."""

    def enforce_timezone(self, value):
        try:
            validate_sensible_date(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None
        return super().enforce_timezone(value)


class ReferralFilterInput(serializers.Serializer):
    updated_since = SensibleDateTimeField(
        required=False,
        help_text=gettext_lazy("Hanya yang berubah sesudah waktu ini (ISO 8601; tanpa zona waktu dibaca sebagai WIB)."),
    )
    status = serializers.MultipleChoiceField(
        choices=ReferralStatus.choices, required=False, help_text=gettext_lazy("Tahap; boleh diulang.")
    )
    election = serializers.IntegerField(required=False, min_value=1, help_text=gettext_lazy("Id pemilihan."))
    region = serializers.RegexField(
        r"^[0-9]{2}(\.[0-9]{2}){0,2}$", required=False, help_text=gettext_lazy("Kode wilayah Kemendagri, mis. 62.10.")
    )
    sent_from = serializers.DateField(
        required=False, validators=[validate_sensible_date], help_text=gettext_lazy("Tanggal surat penerusan sejak.")
    )
    sent_to = serializers.DateField(
        required=False, validators=[validate_sensible_date], help_text=gettext_lazy("Tanggal surat penerusan sampai.")
    )

    def validate(self, attrs):
        if attrs.get("sent_from") and attrs.get("sent_to") and attrs["sent_from"] > attrs["sent_to"]:
            raise serializers.ValidationError({"sent_to": [_("Tanggal akhir sebelum tanggal awal.")]})
        return attrs

    def filters(self) -> selectors.ReferralFilters:
        data = self.validated_data
        return selectors.ReferralFilters(
            updated_since=data.get("updated_since"),
            status=tuple(sorted(data.get("status", ()))),
            election=data.get("election"),
            region=data.get("region"),
            sent_from=data.get("sent_from"),
            sent_to=data.get("sent_to"),
        )


def client_filters(request) -> selectors.ReferralFilters:
    params = request.query_params.copy()
    data = {key: params.get(key) for key in params if key != "status"}
    if "status" in params:
        data["status"] = params.getlist("status")
    form = ReferralFilterInput(data=data)
    form.is_valid(raise_exception=True)
    return form.filters()


def _client_queryset(request):
    return selectors.filtered(selectors.referrals_for_client(request.user), client_filters(request))


class ReferralList(ApiView):
    pagination = KeysetPagination

    @extend_schema(
        operation_id="referrals_list",
        summary=gettext_lazy("Penerusan yang ditujukan kepada lembaga klien"),
        parameters=[ReferralFilterInput, *schema_parameters()],
        responses={200: ReferralPage, **ERRORS},
    )
    def get(self, request):
        paginator = self.pagination()
        page = paginator.paginate_queryset(rows.page_query(_client_queryset(request)), request)
        return paginator.get_paginated_response(rows.represent(page, request=request))


class ReferralDetail(ApiView):
    @extend_schema(
        operation_id="referrals_retrieve",
        summary=gettext_lazy("Satu penerusan"),
        responses={200: ReferralSerializer, **ERRORS},
    )
    def get(self, request, code):
        referral = selectors.referral_for_client(request.user, code)
        return Response(ReferralSerializer(referral, context={"request": request}).data)


class ReferralExportCsv(ApiView):
    etag = False

    @extend_schema(
        operation_id="referrals_export_csv",
        summary=gettext_lazy("Semua penerusan (dengan filter) sebagai CSV"),
        parameters=[ReferralFilterInput],
        responses={(200, "text/csv"): OpenApiTypes.STR, **ERRORS},
    )
    def get(self, request):
        return csv_response(_client_queryset(request), "penerusan")


class ReferralExportXlsx(ApiView):
    etag = False

    @extend_schema(
        operation_id="referrals_export_xlsx",
        summary=gettext_lazy("Semua penerusan (dengan filter) sebagai XLSX"),
        parameters=[ReferralFilterInput],
        responses={(200, XLSX_TYPE): OpenApiTypes.BINARY, **ERRORS},
    )
    def get(self, request):
        return xlsx_response(_client_queryset(request), "penerusan")


def _filename(stem: str, ext: str) -> str:
    return f"{stem}-{timezone.localtime():%Y%m%d-%H%M}.{ext}"


def csv_response(queryset, stem: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        exports.lines_of(exports.csv_lines(queryset)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(stem, "csv")}"'
    response["Cache-Control"] = "private, no-store"
    return response


def xlsx_response(queryset, stem: str) -> FileResponse:
    response = FileResponse(
        exports.xlsx_file(queryset), content_type=XLSX_TYPE, as_attachment=True, filename=_filename(stem, "xlsx")
    )
    response["Cache-Control"] = "private, no-store"
    return response


class EvidenceFile(ApiView):
    etag = False

    @extend_schema(
        operation_id="referrals_evidence_file",
        summary=gettext_lazy("Berkas bukti (SHA-256 pada data penerusan)"),
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, **ERRORS},
    )
    def get(self, request, code, evidence_code):
        evidence = selectors.evidence_for_client(request.user, code, evidence_code)
        try:
            stored = evidence.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(
            stored,
            content_type=evidence.mime_type or "application/octet-stream",
            as_attachment=True,
            filename=evidence.original_name or evidence.sha256,
        )
        response["X-Content-Type-Options"] = "nosniff"
        # RFC 3230: the hash in base64; the hex form (as in the referral's data) beside it
        response["Digest"] = "sha-256=" + base64.b64encode(bytes.fromhex(evidence.sha256)).decode()
        response["X-Content-SHA256"] = evidence.sha256
        response["Cache-Control"] = "private, max-age=3600"
        return response


class _WriteBack(ApiView):
    etag = False
    input_class: type[serializers.Serializer]
    action = ""

    def record(self, referral, client, data):
        raise NotImplementedError

    def post(self, request, code):
        def run():
            referral = selectors.referral_for_client(request.user, code)
            form = self.input_class(data=request.data)
            form.is_valid(raise_exception=True)
            try:
                self.record(referral, request.user, form.validated_data)
            except services.TransitionNotAllowed as refused:
                raise Conflict(str(refused)) from None
            except services.CaseError as error:
                raise serializers.ValidationError({"non_field_errors": [str(error)]}) from None
            fresh = selectors.referral_for_client(request.user, code)
            return Response(
                ReferralSerializer(fresh, context={"request": request}).data, status=status.HTTP_201_CREATED
            )

        return idempotent(request, f"{self.action}:{code}", run)


class RecommendationCreate(_WriteBack):
    input_class = RecommendationInput
    action = "recommendation"

    @extend_schema(
        operation_id="referrals_recommendation_create",
        summary=gettext_lazy("Catat rekomendasi lembaga (terbukti atau tidak, sanksi yang direkomendasikan)"),
        request=RecommendationInput,
        parameters=[IDEMPOTENCY],
        responses={
            201: ReferralSerializer,
            409: OpenApiResponse(description=gettext_lazy("Penerusan tidak sedang menunggu rekomendasi.")),
            422: OpenApiResponse(description=gettext_lazy("Idempotency-Key dipakai untuk permintaan lain.")),
            **ERRORS,
        },
    )
    def post(self, request, code):
        return super().post(request, code)

    def record(self, referral, client, data):
        api_services.api_record_recommendation(referral=referral, client=client, **data)


class PpkDecisionCreate(_WriteBack):
    input_class = PpkDecisionInput
    action = "ppk-decision"

    @extend_schema(
        operation_id="referrals_ppk_decision_create",
        summary=gettext_lazy("Catat keputusan PPK (sanksi yang dijatuhkan, atau tidak menjatuhkan sanksi)"),
        request=PpkDecisionInput,
        parameters=[IDEMPOTENCY],
        responses={
            201: ReferralSerializer,
            409: OpenApiResponse(description=gettext_lazy("Penerusan tidak sedang menunggu keputusan PPK.")),
            422: OpenApiResponse(description=gettext_lazy("Idempotency-Key dipakai untuk permintaan lain.")),
            **ERRORS,
        },
    )
    def post(self, request, code):
        return super().post(request, code)

    def record(self, referral, client, data):
        api_services.api_record_ppk_decision(referral=referral, client=client, **data)
