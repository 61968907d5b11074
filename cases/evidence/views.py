"""Evidence pages: add a file or a link to a case, and serve a stored file to those who may see its case."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from cases.evidence import selectors as evidence_selectors
from cases.evidence import services as evidence_services
from cases.evidence.forms import DocumentForm, EvidenceForm
from cases.workflow import selectors
from netralitas.accounts.permissions import role_required
from netralitas.accounts.roles import CASE_WORKERS, STAFF
from netralitas.files import stored_file_response
from netralitas.forms import submit


@role_required(CASE_WORKERS)
def evidence_add(request, code):
    case = selectors.case_detail(request.user, code)
    form = EvidenceForm(request.POST or None, request.FILES or None, case=case)

    def done(evidence):
        if selectors.duplicates_of([evidence], request.user).get(evidence.pk):
            messages.warning(request, _("Bukti yang sama juga tercatat di perkara lain: lihat tandanya di galeri."))
        return _("Bukti disimpan.")

    saved = submit(
        request,
        form,
        lambda data: evidence_services.evidence_add(
            case=case, actor=request.user, upload=data.get("upload"), **form.service_fields()
        ),
        done=done,
        to=case.get_absolute_url() + "#bukti",
    )
    # a storage failure is the server's fault, not the user's (503), said beside everything typed
    return saved or render(request, "cases/evidence_form.html", {"case": case, "form": form}, status=form.status)


@role_required(STAFF)
def evidence_file(request, code, evidence_code):
    """The stored file, only to users who may see the case; never executed or sniffed by the browser."""
    evidence = evidence_selectors.evidence_file(request.user, code, evidence_code)
    return stored_file_response(
        evidence.file, filename=evidence.original_name or evidence.sha256, content_type=evidence.mime_type
    )


@role_required(CASE_WORKERS)
def document_add(request, code, referral_code=None):
    """Upload a step's signed document to the case (minutes) or to one of its referrals."""
    case = selectors.case_detail(request.user, code)
    referral = get_object_or_404(case.referrals.all(), code=referral_code) if referral_code else None
    form = DocumentForm(request.POST or None, request.FILES or None, referral=referral)
    back = referral.get_absolute_url() if referral else case.get_absolute_url() + "#dokumen"
    saved = submit(
        request,
        form,
        lambda data: evidence_services.document_add(
            case=case,
            actor=request.user,
            referral=referral,
            kind=data["kind"],
            number=data["number"],
            dated=data["dated"],
            upload=data["upload"],
        ),
        done=_("Dokumen disimpan dengan sidik SHA-256-nya."),
        to=back,
    )
    context = {"case": case, "referral": referral, "form": form, "back": back}
    return saved or render(request, "cases/document_form.html", context, status=form.status)


@role_required(STAFF)
def document_file(request, document_code):
    document = evidence_selectors.document_file(request.user, document_code)
    return stored_file_response(document.file, filename=document.original_name, content_type=document.mime_type)
