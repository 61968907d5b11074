"""Evidence pages: add a file or a link to a case, and serve a stored file to those who may see its case."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import render
from django.utils.translation import gettext as _

from cases.evidence import selectors as evidence_selectors
from cases.evidence import services as evidence_services
from cases.evidence.forms import EvidenceForm
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
