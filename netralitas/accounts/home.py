"""The home pages of case workers: their offices, the elections they follow, the coming non-working days and
the deadline calculator (reference data read through the user's scope). The pemkab's old home now redirects."""

from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from netralitas.accounts.permissions import role_required
from netralitas.accounts.roles import CASE_WORKERS, READ_ONLY
from netralitas.accounts.scope import memberships_of
from netralitas.accounts.selectors import elections_visible_to
from netralitas.reference.deadlines import compute_deadline
from netralitas.reference.forms import STAGES, DeadlineForm
from netralitas.reference.selectors import upcoming_non_working_days


def _home_region(user):
    """The region of the user's first membership, for the holiday list (regional days count too)."""
    memberships = sorted(memberships_of(user), key=lambda m: m.office.region.code)
    return memberships[0].office.region if memberships else None


def _deadline_context(request):
    elections = elections_visible_to(request.user)
    form = DeadlineForm(request.GET or None, elections=elections)
    deadline = deadline_label = None
    if form.is_bound and form.is_valid():
        label, days_field, kind_field, with_extension = STAGES[form.cleaned_data["stage"]]
        deadline = compute_deadline(
            form.cleaned_data["election"],
            start=form.cleaned_data["start"],
            days_field=days_field,
            kind_field=kind_field,
            with_extension=with_extension,
            region=_home_region(request.user),
        )
        deadline_label = label
    return {"form": form, "deadline": deadline, "deadline_label": deadline_label}


@role_required(CASE_WORKERS)
def supervisor_home(request):
    today = timezone.localdate()
    region = _home_region(request.user)
    elections = list(elections_visible_to(request.user).order_by("voting_day"))
    context = {
        "today": today,
        "memberships": memberships_of(request.user),
        "elections": elections,
        "holidays": upcoming_non_working_days(region, start=today, days=60),
        **_deadline_context(request),
    }
    return render(request, "reference/supervisor_home.html", context)


@role_required(CASE_WORKERS)
def deadline_calculator(request):
    """The deadline calculator alone: the htmx target of the form on the home page, and a page of its
    own (with the query string, so a result can be bookmarked or sent to a colleague)."""
    partial = request.htmx and not request.htmx.history_restore_request
    template = "reference/_deadline_result.html" if partial else "reference/deadline.html"
    response = render(request, template, _deadline_context(request))
    patch_vary_headers(response, ["HX-Request"])  # the same URL answers a fragment or a page
    return response


@role_required(READ_ONLY)
def pemkab_home(request):
    """The former regency summary, folded into the dashboard (elections and holidays are there): old
    bookmarks land on the dashboard."""
    return redirect("dashboard:index")
