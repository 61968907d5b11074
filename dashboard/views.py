"""The dashboard: figures of the caller's regencies, filtered in the query string, as a page and as XLSX.
Read only for every role: nothing here writes."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from dashboard import followup, selectors
from dashboard.forms import DashboardFilterForm
from dashboard.xlsx import workbook_bytes
from netralitas.accounts.permissions import role_required
from netralitas.accounts.roles import DASHBOARD_READERS, READ_ONLY
from netralitas.accounts.scope import has_role, memberships_of
from netralitas.accounts.selectors import elections_visible_to
from netralitas.reference.selectors import public_elections, upcoming_non_working_days

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filter(request, *, with_pairs=False):
    elections = elections_visible_to(request.user).order_by("-voting_day", "name")
    if with_pairs:  # the page lists the elections with their candidate pairs
        elections = elections.prefetch_related("candidate_pairs")
    elections = list(elections)
    form = DashboardFilterForm(request.GET or None, elections=elections)
    if not form.is_bound:
        return form, elections, selectors.Period()
    if not form.is_valid():
        return form, elections, None
    data = form.cleaned_data
    return form, elections, selectors.Period(election=form.election, start=data["dari"], end=data["sampai"])


def _scope_label(regencies) -> str:
    return ", ".join(r.name for r in regencies)


@role_required(DASHBOARD_READERS)
def index(request):
    today = timezone.localdate()
    form, elections, period = _filter(request, with_pairs=True)
    context = {"form": form, "today": today, "elections": elections, "query": request.GET.urlencode()}
    if period is None:
        # A filter that cannot be understood: say which, show no figures (they would not be what was asked).
        return render(request, "dashboard/index.html", context, status=400)
    whole = set(request.GET.getlist("semua")) & set(selectors.PAGE_LIMITS)
    figures, counted_at = selectors.dashboard_figures_for_page(request.user, period, today=today, whole=whole)
    is_pemkab = has_role(request.user, READ_ONLY)
    memberships = sorted(memberships_of(request.user), key=lambda m: m.office.region.code)
    context.update(
        figures=figures,
        charts=figures.charts(),
        counted_at=counted_at,
        whole=whole,
        period=period,
        scope_label=_scope_label(figures.regencies),
        several_regencies=len(figures.per_regency) > 1,
        show_reference=is_pemkab,
        holidays=upcoming_non_working_days(memberships[0].office.region, start=today, days=60)
        if is_pemkab and memberships
        else [],
    )
    return render(request, "dashboard/index.html", context)


@role_required(DASHBOARD_READERS)
def download(request):
    today = timezone.localdate()
    form, elections, period = _filter(request)
    if period is None:
        return render(
            request, "dashboard/index.html", {"form": form, "today": today, "elections": elections}, status=400
        )
    figures = selectors.dashboard_figures(request.user, period, today=today, with_names=False)
    rates = followup.followup_for_user(request.user, period, today=today)
    body = workbook_bytes(figures, period, scope_label=_scope_label(figures.regencies), made_on=today, followup=rates)
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="dasbor-netralitas-{today.isoformat()}.xlsx"'
    return response


def _followup_context(figures) -> dict:
    return {
        "figures": figures,
        "figure_labels": followup.FIGURE_LABELS,
        "spans": [(key, label) for key, *_dates, label in followup.SPANS],
    }


@role_required(DASHBOARD_READERS)
def followup_rates(request):
    """Follow-up rates of the caller's scope: per regency ranked by rate, per province, per receiving body."""
    today = timezone.localdate()
    form, _elections, period = _filter(request)
    context = {"form": form, "today": today, "query": request.GET.urlencode()}
    if period is None:
        return render(request, "dashboard/followup.html", context, status=400)
    figures, counted_at = followup.followup_for_page(request.user, period, today=today)
    context.update(_followup_context(figures), counted_at=counted_at, period=period)
    return render(request, "dashboard/followup.html", context)


@require_GET
def public_followup_rates(request, pk):
    """An election's follow-up rates for anyone, without an account: figures only, never a name."""
    election = get_object_or_404(public_elections(), pk=pk)
    today = timezone.localdate()
    figures, counted_at = followup.public_followup_for_page(election, today=today)
    context = _followup_context(figures)
    context.update(election=election, today=today, counted_at=counted_at, median_min=followup.PUBLIC_MEDIAN_MIN)
    return render(request, "dashboard/public_followup.html", context)
