"""Helpers for the API tests: referrals sent to an institution, and API clients with tokens."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from cases.models import Referral
from cases.referrals import services as referrals
from netralitas.accounts.models import ApiClient, ApiScope
from netralitas.accounts.tokens import api_token_create
from tests.factories import decided_case

WIB = ZoneInfo("Asia/Jakarta")


def nip(n: int) -> str:
    return f"19850312201001{1000 + n:04d}"


def sent_referrals(
    offices, pengawas, koordinator, regions, institution, *, n=1, kind="pns", start=0, year=2024, send=True
) -> list[Referral]:
    """One decided case with ``n`` proven subjects, each referred to ``institution`` (sent unless ``send`` is
    false). People are numbered from ``start`` so that several calls make distinct people."""
    people = [(f"Terlapor Api {start + i}", kind, nip(start + i) if kind in ("pns", "pppk") else "") for i in range(n)]
    case = decided_case(offices, pengawas, koordinator, regions, year=year, people=people)
    sent_on = datetime(year, 10, 21, 9, tzinfo=WIB)
    drafts = referrals.referral_draft(
        case=case,
        actor=pengawas,
        subjects=list(case.subjects.all()),
        institution=institution,
        channel="surat",
        on=sent_on.date(),
    )
    if not send:
        return drafts
    return [
        referrals.referral_send(
            referral=draft,
            actor=koordinator,
            expected_version=None,
            letter_number=f"0{start + i}/PP.01.02/K.KT-10/X/{year}",
            letter_date=sent_on.date(),
            channel="surat",
            sent_at=sent_on,
            make_letters=False,
        )
        for i, draft in enumerate(drafts)
    ]


def make_client(institution, *, code=None, scope=ApiScope.READ_WRITE, office=None, **fields):
    client = ApiClient.objects.create(
        code=code or f"{institution.code}-sistem",
        name=f"Sistem {institution.short_name or institution.name}",
        institution=institution,
        office=office,
        **fields,
    )
    token_row, token = api_token_create(client=client, scope=scope)
    client.token, client.token_row = token, token_row
    return client


def auth(client_or_token) -> dict:
    token = getattr(client_or_token, "token", client_or_token)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def add_evidence(case, *, content: bytes, subject=None, name="foto.png", kind="foto"):
    """Evidence recorded while the case was open (added here directly: the services refuse it once decided)."""
    import hashlib

    from django.core.files.base import ContentFile

    from cases.models import Evidence

    digest = hashlib.sha256(content).hexdigest()
    evidence = Evidence(
        case=case,
        subject=subject,
        kind=kind,
        sha256=digest,
        size=len(content),
        mime_type="image/png",
        original_name=name,
        description="Foto",
    )
    evidence.file.save(name, ContentFile(content), save=False)
    evidence.save()
    return evidence
