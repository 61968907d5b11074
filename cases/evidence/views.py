"""Evidence pages: add a file or a link to a case, and serve a stored file to those who may see its case."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from cases.evidence import selectors as evidence_selectors
from cases.evidence import services as evidence_services
from cases.evidence.forms import EvidenceForm
from cases.workflow import selectors, services
from netralitas.accounts.permissions import role_required
from netralitas.accounts.roles import CASE_WORKERS, STAFF
from netralitas.files import stored_file_response


@role_required(CASE_WORKERS)
def evidence_add(request, code):
    case = selectors.case_detail(request.user, code)
    form = EvidenceForm(request.POST or None, request.FILES or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            evidence = evidence_services.evidence_add(
                case=case, actor=request.user, upload=form.cleaned_data.get("upload"), **form.service_fields()
            )
        except services.StorageFailed as error:
            form.add_error("upload", str(error))
            # the server's fault, not the user's: said so, with everything typed kept
            return render(request, "cases/evidence_form.html", {"case": case, "form": form}, status=503)
        except services.RejectedFile as error:
            form.add_error("upload", str(error))
        except services.CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Bukti disimpan."))
            if selectors.duplicates_of([evidence], request.user).get(evidence.pk):
                messages.warning(request, _("Bukti yang sama juga tercatat di perkara lain: lihat tandanya di galeri."))
            return redirect(reverse("cases:detail", kwargs={"code": case.code}) + "#bukti")
    return render(request, "cases/evidence_form.html", {"case": case, "form": form})


@role_required(STAFF)
def evidence_file(request, code, evidence_code):
    """The stored file, only to users who may see the case; never executed or sniffed by the browser."""
    evidence = evidence_selectors.evidence_file(request.user, code, evidence_code)
    return stored_file_response(
        evidence.file, filename=evidence.original_name or evidence.sha256, content_type=evidence.mime_type
    )
