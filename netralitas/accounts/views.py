from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from netralitas.accounts.forms import LoginForm
from netralitas.accounts.models import Membership, Role
from netralitas.accounts.permissions import role_required
from netralitas.accounts.scope import offices_visible_to, primary_role
from netralitas.reference.models import Agency, Election, Institution, NonWorkingDay, Region

# Where each role lands after signing in.
ROLE_HOME = {
    Role.PENGAWAS: "reference:supervisor_home",
    Role.KOORDINATOR: "reference:supervisor_home",
    Role.ADMIN: "accounts:office_admin_home",
    Role.PEMKAB: "dashboard:index",
}


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("Anda sudah keluar."))
        return response


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


@login_required
def home(request):
    role = primary_role(request.user)
    if role is not None:
        return redirect(ROLE_HOME[role])
    if request.user.is_superuser:
        return redirect("admin:index")
    return render(request, "accounts/no_membership.html", status=403)


@role_required(Role.ADMIN)
def office_admin_home(request):
    offices = offices_visible_to(request.user, roles=[Role.ADMIN]).annotate(member_count=Count("memberships"))
    memberships = (
        Membership.objects.filter(office__in=offices)
        .select_related("user", "office")
        .order_by("office__region__code", "role", "user__username")
    )
    counts = {
        "regions": Region.objects.count(),
        "agencies": Agency.objects.count(),
        "elections": Election.objects.count(),
        "institutions": Institution.objects.count(),
        "non_working_days": NonWorkingDay.objects.count(),
    }
    return render(
        request,
        "accounts/office_admin_home.html",
        {"offices": offices, "memberships": memberships, "counts": counts},
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("accounts:password_change_done")

    def form_invalid(self, form):
        # The form again with its errors, as a refusal (400): nothing was changed.
        return self.render_to_response(self.get_context_data(form=form), status=400)


password_change = PasswordChangeView.as_view()
password_change_done = auth_views.PasswordChangeDoneView.as_view()
password_reset = auth_views.PasswordResetView.as_view(
    success_url=reverse_lazy("accounts:password_reset_done"),
    email_template_name="registration/password_reset_email.txt",
    subject_template_name="registration/password_reset_subject.txt",
)
password_reset_done = auth_views.PasswordResetDoneView.as_view()
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    success_url=reverse_lazy("accounts:password_reset_complete")
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view()
