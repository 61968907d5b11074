from django.urls import path

from cases.api import downloads
from cases.evidence import views as evidence_views
from cases.public import views as public_views
from cases.referrals import views as referral_views
from cases.workflow import views

app_name = "cases"

urlpatterns = [
    path("lapor/", public_views.report, name="public_report"),
    path("lapor/batas/", public_views.report_due, name="public_report_due"),
    path("lapor/status/", public_views.status_lookup, name="public_status_lookup"),
    path("lapor/status/<str:code>/", public_views.status, name="public_status"),
    path("perkara/", views.case_list, name="list"),
    path("perkara/baru/<str:source>/", views.case_create, name="create"),
    path("perkara/terhapus/", views.deleted_list, name="deleted_list"),
    path("perkara/terhapus/<uuid:code>/", views.deleted_detail, name="deleted_detail"),
    path("perkara/<uuid:code>/", views.case_detail, name="detail"),
    path("perkara/<uuid:code>/hapus/", views.case_delete, name="delete"),
    path("perkara/<uuid:code>/ubah/", views.case_edit, name="edit"),
    path("perkara/<uuid:code>/langkah/<str:name>/", views.case_transition, name="transition"),
    path("perkara/<uuid:code>/perpanjang/", views.case_extend, name="extend"),
    path("perkara/<uuid:code>/penanggung-jawab/", views.case_assign, name="assign"),
    path("perkara/<uuid:code>/terlapor/tambah/", views.subject_add, name="subject_add"),
    path("perkara/<uuid:code>/terlapor/<int:subject_id>/", views.subject_edit, name="subject_edit"),
    path("perkara/<uuid:code>/bukti/tambah/", evidence_views.evidence_add, name="evidence_add"),
    path("perkara/<uuid:code>/bukti/<uuid:evidence_code>/berkas/", evidence_views.evidence_file, name="evidence_file"),
    path("perkara/<uuid:code>/dokumen/tambah/", evidence_views.document_add, name="document_add"),
    path(
        "perkara/<uuid:code>/penerusan/<uuid:referral_code>/dokumen/tambah/",
        evidence_views.document_add,
        name="referral_document_add",
    ),
    path("dokumen/<uuid:document_code>/", evidence_views.document_file, name="document_file"),
    path("perkara/<uuid:code>/klarifikasi/tambah/", views.meeting_add, name="meeting_add"),
    path("perkara/<uuid:code>/klarifikasi/<int:meeting_id>/", views.meeting_record, name="meeting_record"),
    path("terlapor/<uuid:code>/", views.person_detail, name="person"),
    path("perkara/<uuid:code>/teruskan/", referral_views.referral_create, name="referral_create"),
    path("penerusan/", referral_views.referral_board, name="referral_board"),
    path("penerusan/unduh.csv", downloads.referral_export_csv, name="referral_export_csv"),
    path("penerusan/unduh.xlsx", downloads.referral_export_xlsx, name="referral_export_xlsx"),
    path("penerusan/unduhan/<uuid:code>/", downloads.export_job, name="export_job"),
    path("penerusan/unduhan/<uuid:code>/berkas/", downloads.export_job_file, name="export_job_file"),
    path("penerusan/<uuid:code>/", referral_views.referral_detail, name="referral"),
    path("penerusan/<uuid:code>/kirim/", referral_views.referral_send, name="referral_send"),
    path("penerusan/<uuid:code>/tanggapan/<str:kind>/", referral_views.referral_respond, name="referral_respond"),
    path("penerusan/<uuid:code>/eskalasi/", referral_views.referral_escalate, name="referral_escalate"),
    path(
        "penerusan/<uuid:code>/eskalasi/<uuid:escalation_code>/jawaban/",
        referral_views.escalation_answer,
        name="escalation_answer",
    ),
    path(
        "penerusan/<uuid:code>/eskalasi/<uuid:escalation_code>.pdf",
        referral_views.escalation_letter,
        name="escalation_letter",
    ),
    path("penerusan/suksesi/", referral_views.succession_declare, name="succession_declare"),
    path("penerusan/<uuid:code>/nota-pengalihan.pdf", referral_views.transfer_note, name="transfer_note"),
    path("penerusan/<uuid:code>/batalkan/", referral_views.referral_withdraw, name="referral_withdraw"),
    path("penerusan/<uuid:code>/<str:which>.pdf", referral_views.referral_document, name="referral_document"),
]
