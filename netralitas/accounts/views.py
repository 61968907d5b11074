from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from netralitas.accounts import audit, onboarding, second_factor, selectors
from netralitas.accounts.forms import CodeForm, LoginForm, PasswordConfirmForm, RegencyForm, SetupCodeForm
from netralitas.accounts.models import Role, SignInOutcome
from netralitas.accounts.permissions import role_required
from netralitas.accounts.roles import OFFICE_ADMINS, OPERATORS
from netralitas.accounts.scope import memberships_of, primary_role
from netralitas.forms import submit
from netralitas.reference.models import Office
from netralitas.reference.selectors import reference_counts

# Where each role lands after signing in.
ROLE_HOME = {
    Role.PENGAWAS: "accounts:supervisor_home",
    Role.KOORDINATOR: "accounts:supervisor_home",
    Role.ADMIN: "accounts:office_admin_home",
    Role.PEMKAB: "dashboard:index",
    Role.OPERATOR: "accounts:regency_list",
}


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("Anda sudah keluar."))
        return response


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_success_url(self):
        # A user with the second factor goes on to the code page (or, obliged to have one, to its set-up page),
        # which then leads where the person was going.
        url = super().get_success_url()
        owed = second_factor.pending(self.request)
        if owed is None:
            return url
        step = "accounts:otp_verify" if owed == second_factor.VERIFY else "accounts:otp_setup"
        return f"{reverse(step)}?{urlencode({'next': url})}"


@login_required
def home(request):
    role = primary_role(request.user)
    if role is not None:
        return redirect(ROLE_HOME[role])
    if request.user.is_superuser:
        return redirect("admin:index")
    return render(request, "accounts/no_membership.html", status=403)


@role_required(OFFICE_ADMINS)
def office_admin_home(request):
    offices = selectors.offices_administered(request.user)
    memberships = selectors.memberships_of_offices(offices)
    counts = reference_counts()
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


# --- The account page and the sign-in activity ------------------------------------------------------------

ACTIVITY_PAGE_SIZE = 50


@login_required
@require_GET
def account(request):
    """The person's own account: who they are, where they work, the second factor, their sign-in activity."""
    user = request.user
    enrolled = second_factor.is_enrolled(user)
    page = Paginator(audit.sign_in_events_of(user), 20).get_page(request.GET.get("hal"))
    return render(
        request,
        "accounts/account.html",
        {
            "memberships": memberships_of(user),
            "may_use_second_factor": enrolled or second_factor.may_use(user),
            "second_factor_required": second_factor.is_required(user),
            "enrolled": enrolled,
            "backup_codes_left": second_factor.backup_codes_left(user) if enrolled else 0,
            "page": page,
        },
    )


@login_required
@require_GET
def sign_in_activity(request):
    """The office admin's view of the sign-in activity of the users of their office (region)."""
    if not audit.may_see_sign_in_activity(request.user):
        raise PermissionDenied
    outcome = request.GET.get("hasil", "")
    if outcome not in SignInOutcome.values:
        outcome = ""
    username = request.GET.get("pengguna", "").strip()[:150]
    rows = audit.sign_in_activity(request.user, outcome=outcome, username=username)
    page = Paginator(rows, ACTIVITY_PAGE_SIZE).get_page(request.GET.get("hal"))
    query = urlencode({key: value for key, value in (("hasil", outcome), ("pengguna", username)) if value})
    return render(
        request,
        "accounts/sign_in_activity.html",
        {
            "page": page,
            "outcome": outcome,
            "outcomes": SignInOutcome.choices,
            "username": username,
            "query": query,
            "retention_days": settings.SIGN_IN_LOG_DAYS,
        },
    )


# --- The second factor --------------------------------------------------------------------------------------


def _next_url(request, default="accounts:home"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return resolve_url(default)


def _count_failure(request, *, second_factor_step: bool):
    """A wrong code or password while signed in counts, for django-axes, as a failed sign-in of this username
    and address: the same limit locks the account out. Returns the lockout page when it does (the session then
    ends: the person signs in again after the cool-off)."""
    credentials = {"username": request.user.get_username()}
    if second_factor_step:
        credentials[audit.SECOND_FACTOR_CREDENTIAL] = True
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    if getattr(request, "axes_locked_out", False):
        request.session.flush()
        request.user = AnonymousUser()
        return True
    return False


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    """Set up the authenticator app: scan the QR code, type one code to confirm; the backup codes follow."""
    user = request.user
    if not second_factor.may_use(user):
        raise PermissionDenied
    if second_factor.is_enrolled(user):
        messages.info(request, _("Verifikasi dua langkah sudah aktif untuk akun Anda."))
        return redirect("accounts:account")
    device = second_factor.unconfirmed_totp(user=user)
    form = SetupCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        codes = second_factor.enrol_confirm(request=request, device=device, code=form.cleaned_data["code"])
        if codes is not None:
            return render(
                request,
                "accounts/otp_backup_codes.html",
                {"codes": codes, "just_enrolled": True, "next": _next_url(request)},
            )
        form.add_error("code", _("Kode tidak cocok. Periksa jam di ponsel Anda, lalu ketik kode yang sedang tampil."))
    if form.errors:
        status = 400
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr": second_factor.qr_data_uri(device),
            "secret": second_factor.secret_for_typing(device),
            "required": second_factor.is_required(user),
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """The second step of signing in, for a session that owes it."""
    if second_factor.pending(request) != second_factor.VERIFY:
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            verified = second_factor.verify(request=request, code=form.cleaned_data["code"])
        except second_factor.Throttled as throttled:
            form.add_error(
                "code",
                _("Terlalu banyak kode salah. Tunggu sebentar (sampai %(jam)s), lalu coba lagi.")
                % {"jam": date_format(localtime(throttled.until), "H.i.s") if throttled.until else "—"},
            )
        else:
            if verified:
                return redirect(_next_url(request))
            if _count_failure(request, second_factor_step=True):
                return HttpResponse(status=403)  # replaced by the lockout page (django-axes' middleware)
            form.add_error("code", _("Kode salah atau sudah dipakai. Coba lagi dengan kode yang sedang tampil."))
    if form.errors:
        status = 400
    return render(
        request,
        "accounts/otp_verify.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
        status=status,
    )


def _password_confirmed_action(request, template, action):
    form = PasswordConfirmForm(request.user, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            return action()
        if form.has_error("password", "wrong_password") and _count_failure(request, second_factor_step=False):
            return HttpResponse(status=403)  # replaced by the lockout page (django-axes' middleware)
    return render(request, template, {"form": form}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def otp_backup_codes(request):
    """New backup codes (the old ones stop working), after the password is typed again."""
    if not second_factor.is_enrolled(request.user):
        return redirect("accounts:account")

    def renew():
        codes = second_factor.backup_codes_renew(request=request)
        return render(request, "accounts/otp_backup_codes.html", {"codes": codes, "next": reverse("accounts:account")})

    return _password_confirmed_action(request, "accounts/otp_backup_codes_confirm.html", renew)


@login_required
@require_http_methods(["GET", "POST"])
def otp_disable(request):
    """Turn the second factor off, after the password is typed again."""
    if not second_factor.is_enrolled(request.user):
        return redirect("accounts:account")

    def turn_off():
        second_factor.disable(request=request)
        if second_factor.pending(request) == second_factor.ENROL:
            messages.warning(
                request, _("Kantor Anda mewajibkan verifikasi dua langkah: hubungkan aplikasi autentikator lagi.")
            )
            return redirect("accounts:otp_setup")
        messages.success(request, _("Verifikasi dua langkah dinonaktifkan. Masuk kini cukup dengan kata sandi."))
        return redirect("accounts:account")

    return _password_confirmed_action(request, "accounts/otp_disable.html", turn_off)


@role_required(OPERATORS)
def regency_list(request):
    return render(request, "accounts/regency_list.html", {"regencies": onboarding.regencies_operated_by(request.user)})


@role_required(OPERATORS)
def regency_new(request):
    provinces = onboarding.provinces_operated_by(request.user)
    queryset = Office.objects.filter(pk__in=[office.pk for office in provinces]).select_related("region")
    initial = {"province": provinces[0].pk if provinces else None}
    proposal = onboarding.proposed_pilkada(provinces[0].region) if provinces else None
    if proposal:
        initial.update(pilkada=True, pilkada_year=proposal.year, pilkada_voting_day=proposal.voting_day)
    form = RegencyForm(request.POST or None, request.FILES or None, provinces=queryset, initial=initial)
    saved = submit(
        request,
        form,
        lambda data: onboarding.regency_add(
            actor=request.user,
            province=data["province"],
            regency=onboarding.NewRegency(
                code=data["code"].strip(),
                name=data["name"].strip(),
                is_city=data["is_city"],
                districts=data["districts"],
                users=data["users"],
                agencies=data["agencies"],
                address=data["address"],
                city=data["city"],
                phone=data["phone"],
                email=data["email"],
                pilkada=data["pilkada_proposal"],
            ),
        ),
        done=lambda office: (
            _("%(office)s siap dipakai; undangan membuat kata sandi dikirim ke pengguna pertamanya.")
            % {"office": office}
        ),
        to="accounts:regency_list",
    )
    return saved or render(request, "accounts/regency_new.html", {"form": form}, status=form.status)
