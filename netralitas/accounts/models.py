"""Users and their memberships: a membership ties a user to one office with one role."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from netralitas.reference.models import Office


class User(AbstractUser):
    """A person who signs in. Roles and scope come from memberships, never from the user row itself."""

    full_name = models.CharField(_("nama lengkap"), max_length=150, blank=True)
    position = models.CharField(_("jabatan"), max_length=150, blank=True)
    phone = models.CharField(_("telepon"), max_length=40, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username


class Role(models.TextChoices):
    PENGAWAS = "pengawas", _("Pengawas")
    KOORDINATOR = "koordinator", _("Koordinator")
    ADMIN = "admin", _("Admin kantor")
    PEMKAB = "pemkab", _("Pemerintah kabupaten (baca saja)")


# The order in which a user with several memberships picks a home page: case work first.
ROLE_PRIORITY = [Role.KOORDINATOR, Role.PENGAWAS, Role.ADMIN, Role.PEMKAB]
# Roles of Bawaslu staff, who work on cases (pemkab officials only read).
STAFF_ROLES = frozenset({Role.PENGAWAS, Role.KOORDINATOR, Role.ADMIN})
# Roles that may change nothing (enforced for every URL by netralitas.accounts.middleware.ReadOnlyRoleMiddleware).
READ_ONLY_ROLES = frozenset({Role.PEMKAB})


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
