"""Reads of evidence, always from the caller's scope: a stored file, and the other cases holding the same
file or post."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from cases.models import (
    Evidence,
    StepDocument,
)
from cases.workflow.selectors import cases_visible_to
from netralitas.accounts.models import User


def evidence_file(user: User, case_code, evidence_code) -> Evidence:
    """A stored evidence file of a case the user may see (404 otherwise)."""
    return get_object_or_404(
        Evidence.objects.filter(case__in=cases_visible_to(user), case__code=case_code).exclude(file=""),
        code=evidence_code,
    )


def document_file(user: User, code) -> StepDocument:
    """A step's document of a case the user may see (404 otherwise)."""
    return get_object_or_404(StepDocument.objects.filter(case__in=cases_visible_to(user)), code=code)
