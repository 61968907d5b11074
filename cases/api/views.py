"""The referral endpoints for institutions (KASN, BKN, ...): list and detail for sync, CSV/XLSX exports,
evidence files, and the two write-back actions. Thin: selectors read, services write, domain errors become
HTTP here and only here."""

from __future__ import annotations

import base64
from collections.abc import Callable

from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.response import Response

from cases.api import exports, selectors
from cases.api import services as api_services
from cases.api.filters import ReferralFilter
from cases.api.serializers import PpkDecisionInput, RecommendationInput, ReferralPage, ReferralSerializer
from cases.models import Referral
from cases.workflow import services
from netralitas.api.exceptions import Conflict
from netralitas.api.idempotency import idempotent
from netralitas.api.pagination import KeysetPagination, schema_parameters
from netralitas.api.views import ApiView
from netralitas.files import stored_file_response
from netralitas.links import path_template

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


# The referrals addressed to the client, with the filters of ``ReferralFilter`` (the schema documents them from it).
def represent(rows, request, *, many: bool = False):
    """Rows as ``ReferralSerializer`` writes them, as plain lists and dicts, each file of the evidence with its
    download address on this request's host. Not DRF's ``.data``: its result keeps the serializer, which keeps
    the rows, in a reference cycle, so a page's rows and its JSON lived on until Python's full garbage
    collection, which then freed some forty thousand objects at once in the middle of a later request (45-70 ms;
    the API page's slowest 5 %)."""
    base, path = request.build_absolute_uri("/").rstrip("/"), path_template("api:evidence-file", 2)
    document_path = path_template("api:document-file", 2)
    for referral in rows if many else [rows]:
        for item in referral["evidence"]:
            item["download"] = base + path(referral["code"], item["code"]) if item["file"] else None
        for item in referral["documents"]:
            item["download"] = base + document_path(referral["code"], item["code"])
    return ReferralSerializer(many=many).to_representation(rows)


class _FilteredReferrals(ApiView):
    filter_backends = [DjangoFilterBackend]
    filterset_class = ReferralFilter
    queryset = Referral.objects.none()  # the model the schema's filters are read from

    def client_referrals(self, request):
        return DjangoFilterBackend().filter_queryset(request, selectors.referrals_for_client(request.user), self)


class ReferralList(_FilteredReferrals):
    @extend_schema(
        operation_id="referrals_list",
        summary=gettext_lazy("Penerusan yang ditujukan kepada lembaga klien"),
        filters=True,
        parameters=schema_parameters(),
        responses={200: ReferralPage, **ERRORS},
    )
    def get(self, request):
        paginator = KeysetPagination()
        page = paginator.paginate_queryset(selectors.referral_rows(self.client_referrals(request)), request)
        data = represent(selectors.referral_page(page), request, many=True)
        return paginator.get_paginated_response(data)


class ReferralDetail(ApiView):
    @extend_schema(
        operation_id="referrals_retrieve",
        summary=gettext_lazy("Satu penerusan"),
        responses={200: ReferralSerializer, **ERRORS},
    )
    def get(self, request, code):
        referral = selectors.referral_for_client(request.user, code)
        return Response(represent(referral, request))


class ReferralExportCsv(_FilteredReferrals):
    @extend_schema(
        operation_id="referrals_export_csv",
        summary=gettext_lazy("Semua penerusan (dengan filter) sebagai CSV"),
        filters=True,
        responses={(200, "text/csv"): OpenApiTypes.STR, **ERRORS},
    )
    def get(self, request):
        return exports.csv_response(self.client_referrals(request), "penerusan")


class ReferralExportXlsx(_FilteredReferrals):
    @extend_schema(
        operation_id="referrals_export_xlsx",
        summary=gettext_lazy("Semua penerusan (dengan filter) sebagai XLSX"),
        filters=True,
        responses={(200, exports.XLSX_TYPE): OpenApiTypes.BINARY, **ERRORS},
    )
    def get(self, request):
        return exports.xlsx_response(self.client_referrals(request), "penerusan")


class EvidenceFile(ApiView):
    @extend_schema(
        operation_id="referrals_evidence_file",
        summary=gettext_lazy("Berkas bukti (SHA-256 pada data penerusan)"),
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, **ERRORS},
    )
    def get(self, request, code, evidence_code):
        return hashed_file(selectors.evidence_for_client(request.user, code, evidence_code))


def hashed_file(row):
    """A stored file (evidence, a step's document) as an attachment, with the SHA-256 it was stored under:
    RFC 3230's ``Digest`` (base64) and the hex form of the referral's data beside it."""
    response = stored_file_response(
        row.file, filename=row.original_name or row.sha256, content_type=row.mime_type, attachment=True
    )
    response["Digest"] = "sha-256=" + base64.b64encode(bytes.fromhex(row.sha256)).decode()
    response["X-Content-SHA256"] = row.sha256
    return response


class DocumentFile(ApiView):
    @extend_schema(
        operation_id="referrals_document_file",
        summary=gettext_lazy("Dokumen langkah (berita acara, rekomendasi, SK; SHA-256 pada data penerusan)"),
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, **ERRORS},
    )
    def get(self, request, code, document_code):
        return hashed_file(selectors.document_for_client(request.user, code, document_code))


# Record an institution's answer (``record``: a service of ``cases.api.services``) from ``input_class``'s
# validated data, once per Idempotency-Key; the answer is the referral as it now reads.
class _WriteBack(ApiView):
    input_class: type[serializers.Serializer]
    record: Callable[..., Referral]
    action = ""

    def post(self, request, code):
        def run():
            referral = selectors.referral_to_answer(request.user, code)
            form = self.input_class(data=request.data)
            form.is_valid(raise_exception=True)
            try:
                self.record(referral=referral, client=request.user, **form.validated_data)
            except services.TransitionNotAllowed as refused:
                raise Conflict(str(refused)) from None
            except services.CaseError as error:
                raise serializers.ValidationError({"non_field_errors": [str(error)]}) from None
            fresh = selectors.referral_for_client(request.user, code)
            return Response(represent(fresh, request), status=status.HTTP_201_CREATED)

        return idempotent(request, f"{self.action}:{code}", run)


def _write_back_schema(operation_id: str, summary, input_class, conflict) -> dict:
    return {
        "post": extend_schema(
            operation_id=operation_id,
            summary=summary,
            request=input_class,
            parameters=[IDEMPOTENCY],
            responses={
                201: ReferralSerializer,
                409: OpenApiResponse(description=conflict),
                422: OpenApiResponse(description=gettext_lazy("Idempotency-Key dipakai untuk permintaan lain.")),
                **ERRORS,
            },
        )
    }


@extend_schema_view(
    **_write_back_schema(
        "referrals_recommendation_create",
        gettext_lazy("Catat rekomendasi lembaga (terbukti atau tidak, sanksi yang direkomendasikan)"),
        RecommendationInput,
        gettext_lazy("Penerusan tidak sedang menunggu rekomendasi."),
    )
)
class RecommendationCreate(_WriteBack):
    input_class = RecommendationInput
    record = staticmethod(api_services.api_record_recommendation)
    action = "recommendation"


@extend_schema_view(
    **_write_back_schema(
        "referrals_ppk_decision_create",
        gettext_lazy("Catat keputusan PPK (sanksi yang dijatuhkan, atau tidak menjatuhkan sanksi)"),
        PpkDecisionInput,
        gettext_lazy("Penerusan tidak sedang menunggu keputusan PPK."),
    )
)
class PpkDecisionCreate(_WriteBack):
    input_class = PpkDecisionInput
    record = staticmethod(api_services.api_record_ppk_decision)
    action = "ppk-decision"
