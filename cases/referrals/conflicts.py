"""A conflict of interest: the regent (PPK) who must act on a referral is an interested party in the case's
election. He is one of its candidates (an incumbent running again: ``CandidatePerson.holds_office``), or the
person reported serves in the campaign of a pair he is in (matched by NIP). The referral is flagged
(``Referral.conflict``), its office's koordinators are told, and the escalation ladder starts above the PPK."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from cases.models import Referral, ReferralStatus
from netralitas.accounts.models import Membership
from netralitas.accounts.roles import PLENARY
from netralitas.notify.services import Message, queue
from netralitas.reference.models import CandidatePair, CandidatePerson, Institution


def ppk_of(referral: Referral) -> Institution | None:
    """The PPK who must act on the referral: the one of the person's regency."""
    return Institution.objects.filter(kind=Institution.Kind.PPK, region=referral.subject.person.region_id).first()


def conflict_of(referral: Referral) -> str:
    """Whether the PPK who must act on ``referral`` is an interested party in the case's election: he is one of
    its candidates (an incumbent regent running again), or the person serves in the campaign of a pair he is
    in. The one rule; "" when there is no conflict (or the referral does not wait on a PPK: a crime)."""
    if referral.is_crime:
        return ""
    ppk = ppk_of(referral)
    if ppk is None:
        return ""
    pairs = CandidatePerson.objects.filter(pair__election=referral.case.election_id, holds_office=ppk).values("pair")
    if not pairs.exists():
        return ""
    nip = referral.subject.person.nip
    if nip and CandidatePerson.objects.filter(pair__in=pairs, role=CandidatePerson.Role.CAMPAIGN, nip=nip).exists():
        return Referral.Conflict.CAMPAIGN
    return Referral.Conflict.PPK_CANDIDATE


def _koordinators(office_id: int) -> list[int]:
    return list(
        Membership.objects.filter(office_id=office_id, role__in=PLENARY, user__is_active=True).values_list(
            "user_id", flat=True
        )
    )


def _tell_conflict(referral: Referral) -> None:
    queue(
        [
            Message(
                template="referral_conflict",
                key=f"referral:{referral.pk}:conflict:{referral.conflict}",
                context={
                    "person": referral.subject.person.name,
                    "case_number": referral.case.number,
                    "conflict": referral.get_conflict_display(),
                },
                users=_koordinators(referral.case.office_id),
                url=referral.get_absolute_url(),
                office_id=referral.case.office_id,
            )
        ]
    )


def referral_conflict_refresh(*, referral: Referral) -> Referral:
    """Set the referral's conflict flag from the candidates of its election; the koordinators are told when a
    conflict is found. Called when a referral is sent or recommended, and for every open referral of an
    election whose candidates change (``election_conflicts_refresh``)."""
    found = conflict_of(referral)
    if found != referral.conflict:
        Referral.objects.filter(pk=referral.pk).update(conflict=found)
        referral.conflict = found
        if found:
            _tell_conflict(referral)
    return referral


@transaction.atomic
def election_conflicts_refresh(*, election_id: int) -> int:
    """Refresh the conflict flag of every open referral of an election's cases (its candidates changed);
    returns how many changed."""
    changed = 0
    open_referrals = (
        Referral.objects.filter(case__election_id=election_id)
        .filter(Q(status=ReferralStatus.SENT) | Q(status=ReferralStatus.AWAITING_PPK))
        .select_related("case", "subject__person", "institution")
    )
    for referral in open_referrals:
        before = referral.conflict
        if referral_conflict_refresh(referral=referral).conflict != before:
            changed += 1
    return changed


def candidates_changed(sender, instance, **kwargs) -> None:
    """A candidate's person was saved or deleted (a signal of ``CandidatePerson``): refresh the flags of the
    election's open referrals once the change is committed."""
    election_id = CandidatePair.objects.filter(pk=instance.pair_id).values_list("election_id", flat=True).first()
    if election_id is not None:
        transaction.on_commit(lambda: election_conflicts_refresh(election_id=election_id))
