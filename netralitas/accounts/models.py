"""Users and their memberships: a membership ties a user to one office with one role."""

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from netralitas.accounts.webhooks import validate_webhook_url
from netralitas.reference.models import Office


class User(AbstractUser):
    """A person who signs in. Roles and scope come from memberships, never from the user row itself."""

    full_name = models.CharField(_("nama lengkap"), max_length=150, blank=True)
    position = models.CharField(_("jabatan"), max_length=150, blank=True)
    phone = models.CharField(_("telepon"), max_length=40, blank=True)
    # Raised when the second factor is turned on or off or the backup codes are renewed: every other session of
    # the user ends (it is part of the session hash below), so a session opened before the change cannot go on.
    session_generation = models.PositiveIntegerField(_("generasi sesi"), default=0, db_default=0, editable=False)

    class Meta(AbstractUser.Meta):
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    def get_session_auth_hash(self) -> str:
        """Django's hash of the password (a new password ends the other sessions), with the session generation
        once it has been raised; at 0 the hash is Django's own, so existing sessions survive an upgrade."""
        if not self.session_generation:
            return super().get_session_auth_hash()
        return salted_hmac(
            "netralitas.accounts.User.get_session_auth_hash",
            f"{self.password}:{self.session_generation}",
            algorithm="sha256",
        ).hexdigest()


class Role(models.TextChoices):
    PENGAWAS = "pengawas", _("Pengawas")
    KOORDINATOR = "koordinator", _("Koordinator")
    ADMIN = "admin", _("Admin kantor")
    PEMKAB = "pemkab", _("Pemerintah kabupaten (baca saja)")
    # of a province (or national) office: adds a regency with its office, first users and local bodies
    OPERATOR = "operator", _("Operator sistem")


# The named sets of these roles (who may work on a case, who is read-only, ...) are in accounts/roles.py.


class Membership(models.Model):
    user = models.ForeignKey(User, verbose_name=_("pengguna"), on_delete=models.CASCADE, related_name="memberships")
    office = models.ForeignKey(Office, verbose_name=_("kantor"), on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("peran"), max_length=12, choices=Role.choices)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("keanggotaan")
        verbose_name_plural = _("keanggotaan")
        ordering = ["office__region__code", "user__username"]
        constraints = [
            # One role per person per office: a coordinator is not also listed as a supervisor there.
            models.UniqueConstraint(fields=["user", "office"], name="membership_unique_user_office"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.office}"


# --- API clients ----------------------------------------------------------------------------------------


class ApiClient(models.Model):
    """An institution's system that reads the referrals addressed to it (and, with a write token, posts its
    responses back). Optionally limited to one office's region (a province office of that institution)."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    institution = models.ForeignKey(
        "reference.Institution", verbose_name=_("lembaga"), on_delete=models.PROTECT, related_name="api_clients"
    )
    office = models.ForeignKey(
        Office,
        verbose_name=_("batas wilayah"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "Kosongkan untuk semua wilayah; bila diisi, klien hanya melihat penerusan dari wilayah kantor itu."
        ),
    )
    throttle_rate = models.CharField(
        _("batas permintaan"),
        max_length=20,
        blank=True,
        help_text=_("Mis. 600/min atau 20000/day; kosongkan untuk memakai API_THROTTLE_RATE."),
        validators=[
            RegexValidator(
                r"^[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)$",
                _("Tulis sebagai jumlah per satuan waktu, mis. 600/min, 1200/hour atau 20000/day."),
            )
        ],
    )
    contact_email = models.EmailField(_("e-mail kontak"), blank=True)
    # Where every change to a referral the client may see is posted as a signed event (docs/api.md, Webhook).
    webhook_url = models.URLField(
        _("alamat webhook"),
        max_length=500,
        blank=True,
        validators=[validate_webhook_url],
        help_text=_(
            "Kosongkan bila klien hanya membaca API. Bila diisi (https://), setiap perubahan penerusan yang dapat "
            "dilihat klien dikirim ke alamat ini sebagai peristiwa bertanda tangan."
        ),
    )
    # The HMAC key of the events: readable by the system (it signs with it), shown to people once.
    webhook_secret = models.CharField(_("rahasia webhook"), max_length=80, blank=True, editable=False)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("klien API")
        verbose_name_plural = _("klien API")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ApiScope(models.TextChoices):
    READ = "read", _("Baca")
    READ_WRITE = "read_write", _("Baca dan tulis")


class ApiToken(models.Model):
    """A secret a client sends as ``Authorization: Bearer <token>``. Only its SHA-256 is stored: the token is
    shown once, when it is made. ``prefix`` (the first characters) tells tokens apart in the admin and logs."""

    client = models.ForeignKey(ApiClient, verbose_name=_("klien"), on_delete=models.CASCADE, related_name="tokens")
    label = models.CharField(_("keterangan"), max_length=100, blank=True)
    prefix = models.CharField(_("awalan"), max_length=16, editable=False)
    key_hash = models.CharField(_("SHA-256 token"), max_length=64, unique=True, editable=False)
    scope = models.CharField(_("cakupan"), max_length=10, choices=ApiScope.choices, default=ApiScope.READ)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="apitoken_hash_is_sha256", condition=models.Q(key_hash__regex=r"^[0-9a-f]{64}$")
            )
        ]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.client})"

    @property
    def can_write(self) -> bool:
        return self.scope == ApiScope.READ_WRITE


class ApiRequestLog(models.Model):
    """One row per API request of an identified client, written with a single INSERT after the response."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="+")
    token = models.ForeignKey(ApiToken, null=True, on_delete=models.SET_NULL, related_name="+")
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=300)
    status = models.PositiveSmallIntegerField()
    duration_ms = models.PositiveIntegerField()
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("log permintaan API")
        verbose_name_plural = _("log permintaan API")
        ordering = ["-at", "-pk"]
        # the admin's log of one client, newest first
        indexes = [models.Index(fields=["client", "-at"], name="apilog_client_at_idx")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status}"


class IdempotencyKey(models.Model):
    """A write a client asked for with an ``Idempotency-Key`` header, and the answer it got: a retry with the
    same key gets the same answer and changes nothing."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    endpoint = models.CharField(max_length=300)
    request_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(null=True)
    response = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kunci idempotensi")
        verbose_name_plural = _("kunci idempotensi")
        constraints = [models.UniqueConstraint(fields=["client", "key"], name="idempotencykey_unique_per_client")]

    def __str__(self) -> str:
        return self.key


# --- Sign-in audit --------------------------------------------------------------------------------------


class SignInOutcome(models.TextChoices):
    SIGNED_IN = "signed_in", _("Masuk (kata sandi benar)")
    FAILED = "failed", _("Gagal masuk (kata sandi salah)")
    LOCKED_OUT = "locked_out", _("Ditolak: terkunci karena terlalu banyak percobaan")
    SIGNED_OUT = "signed_out", _("Keluar")
    IDLE_TIMEOUT = "idle_timeout", _("Sesi berakhir (tidak aktif)")
    OTP_VERIFIED = "otp_verified", _("Kode verifikasi dua langkah benar")
    OTP_FAILED = "otp_failed", _("Kode verifikasi dua langkah salah")
    OTP_ENABLED = "otp_enabled", _("Verifikasi dua langkah diaktifkan")
    OTP_DISABLED = "otp_disabled", _("Verifikasi dua langkah dinonaktifkan")
    BACKUP_CODES_RENEWED = "backup_codes_renewed", _("Kode cadangan dibuat ulang")


# Outcomes shown in red on the activity pages.
FAILED_OUTCOMES = frozenset({SignInOutcome.FAILED, SignInOutcome.LOCKED_OUT, SignInOutcome.OTP_FAILED})


class SignInEvent(models.Model):
    """One sign-in, failed sign-in, lockout, sign-out or second-factor step: written once, never changed
    (no code path updates or deletes a row except the retention purge; the admin shows them read-only).
    ``username`` is what was typed, kept also when no such user exists (then ``user`` is empty)."""

    user = models.ForeignKey(
        User, verbose_name=_("pengguna"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(_("nama pengguna"), max_length=150)
    outcome = models.CharField(_("hasil"), max_length=24, choices=SignInOutcome.choices)
    at = models.DateTimeField(_("waktu"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    user_agent = models.CharField(_("peramban"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("aktivitas masuk")
        verbose_name_plural = _("aktivitas masuk")
        ordering = ["-at", "-pk"]
        indexes = [
            # a user's own activity and an office admin's page (users of the office), newest first
            models.Index(fields=["user", "-at"], name="signin_user_at_idx"),
            # a system operator's page and the retention purge
            models.Index(fields=["-at"], name="signin_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.username}: {self.get_outcome_display()}"

    @property
    def is_failure(self) -> bool:
        return self.outcome in FAILED_OUTCOMES
