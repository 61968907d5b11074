from django.urls import path

from cases.api import views

app_name = "api"

urlpatterns = [
    path("referrals/", views.ReferralList.as_view(), name="referral-list"),
    path("referrals/export.csv", views.ReferralExportCsv.as_view(), name="referral-export-csv"),
    path("referrals/export.xlsx", views.ReferralExportXlsx.as_view(), name="referral-export-xlsx"),
    path("referrals/<uuid:code>/", views.ReferralDetail.as_view(), name="referral-detail"),
    path(
        "referrals/<uuid:code>/evidence/<uuid:evidence_code>/",
        views.EvidenceFile.as_view(),
        name="evidence-file",
    ),
    path(
        "referrals/<uuid:code>/documents/<uuid:document_code>/",
        views.DocumentFile.as_view(),
        name="document-file",
    ),
    path("referrals/<uuid:code>/recommendation/", views.RecommendationCreate.as_view(), name="recommendation"),
    path("referrals/<uuid:code>/ppk-decision/", views.PpkDecisionCreate.as_view(), name="ppk-decision"),
]
