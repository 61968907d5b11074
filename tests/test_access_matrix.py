"""The access matrix: every URL pattern of the project, found by walking the URL configuration, asked by every
persona with GET and POST, against the answer written down for it in ``EXPECTED`` below.

A URL pattern without a row fails ``test_every_url_pattern_has_its_row``, so a new page cannot be forgotten;
a row whose pattern is gone fails it too. Any answer other than the row's (a crash included) fails
``test_access_matrix`` for that persona, with every difference listed. Object URLs
are asked with an object of the persona's own regency (``gm``, Gunung Mas) and with someone else's (``pr``,
Palangka Raya), and where a URL names two objects, with a mix of both (``mix``): out of scope is a 404.
Every answer's body is searched for what that persona must never read (a reporter's identity above all).

The admin site is covered by a rule (``admin_expectation``), its patterns discovered all the same.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from netralitas.accounts.groups import OFFICE_ADMIN_PERMISSIONS
from tests.access_world import MOVED_GM, MOVED_PR, PUBLIC_REPORTER, PUBLIC_REPORTER_PHONE, build_access_world
from tests.dashboard_world import REPORTER_GM, REPORTER_PR

# --- Personas --------------------------------------------------------------------------------------------

PERSONAS = {
    "anon": "anonymous",
    "pgw": "pengawas of Gunung Mas",
    "koor": "koordinator of Gunung Mas",
    "adm": "office admin of Gunung Mas (staff, office admins' group)",
    "luar": "pengawas of another regency (Palangka Raya)",
    "prov": "pengawas of the province office (Kalimantan Tengah: sees both regencies)",
    "pemkab": "pemkab official of Gunung Mas (read only)",
    "off": "pengawas of Gunung Mas whose account was switched off after signing in",
    "bkn": "API client of BKN, read-write token",
    "bknr": "API client of BKN, read-only token",
    "lain": "API client of another institution (the employing agency)",
    "exp": "an expired BKN token",
    "rev": "a revoked BKN token",
}
SIGNED_IN = {"pgw": "pengawas", "koor": "koordinator", "adm": "admin", "luar": "outsider",
             "prov": "province_supervisor", "pemkab": "pemkab", "off": "deactivated"}  # fmt: skip
TOKENS = {"bkn": "bkn", "bknr": "bkn_read", "lain": "employer", "exp": "expired", "rev": "revoked"}
METHODS = ("GET", "POST")

# --- What each persona must never read ------------------------------------------------------------------

REPORTERS = [REPORTER_GM, REPORTER_PR, PUBLIC_REPORTER, PUBLIC_REPORTER_PHONE, "Alamat rahasia", "0812000111"]
GM_ONLY = ["Asn Lima", "Kades Enam", "Sosialisasi di Setda Uji", REPORTER_GM, PUBLIC_REPORTER, MOVED_GM]
PR_ONLY = ["Asn Kota", "Sosialisasi Kota Uji", "Pilkada Palangka Raya Uji", REPORTER_PR, MOVED_PR]
SUBJECTS = [
    "Asn Satu",
    "Asn Dua",
    "Honorer Tiga",
    "Asn Empat",
    "Asn Lima",
    "Kades Enam",
    "Asn Kota",
    MOVED_GM,
    MOVED_PR,
]
STAFF_NAMES = ["Nama pengawas", "Nama koordinator"]
NOBODY = REPORTERS + SUBJECTS + STAFF_NAMES  # anonymous, a switched-off account, a refused token
NEVER = {
    "anon": NOBODY,
    "off": NOBODY,
    "exp": NOBODY,
    "rev": NOBODY,
    "pgw": PR_ONLY,
    "koor": PR_ONLY,
    # the office admin manages the office, it does not work cases: the case page hides who reported from it
    "adm": [*REPORTERS, *PR_ONLY],
    "luar": [*GM_ONLY, "Asn Satu"],
    "prov": [],
    "pemkab": [*REPORTERS, *PR_ONLY],
    # institutions read their referrals' people and evidence, never who reported
    "bkn": REPORTERS,
    "bknr": REPORTERS,
    "lain": [*REPORTERS, "Asn Satu", "Asn Dua", "Asn Empat", "Asn Kota", MOVED_GM, MOVED_PR],
}

# --- The table ------------------------------------------------------------------------------------------
# One row per (URL name, object, method); one column per persona. Objects: "-" (the URL names none), "gm" (of
# Gunung Mas: the case under initial review, its subject, evidence, meeting; the referral awaiting the PPK;
# the held session and its photo; the supervisor's own export and message; for the API, a referral to BKN),
# "pr" (the same in Palangka Raya; the outsider's export and message), "mix" (a Gunung Mas case or session
# with a Palangka Raya subject, meeting, evidence or photo; for the API, a BKN referral with evidence of
# another subject), "emp" (the API: a referral to the employing agency), "off" (a feed address of the
# switched-off account), "stay" (a Gunung Mas referral no succession moved). For the escalation ladder, "gm" and
# "pr" are the referral awaiting the PPK with the reminder rung it climbed; for the transfer note, the referral
# to KASN a succession moved to BKN.
# Answers: 200 201 400 401 403 404 405 ...: that status; "login": a redirect to the sign-in page
# (/akun/masuk/); "302": a redirect anywhere else (a form's success or a refusal with a message).
# Empty POSTs: where a POST is let in, the form says what is missing (200/400) or the action refuses and
# redirects (302); nothing is written that matters to the next row (each request is rolled back).

EXPECTED = """
# The health check and the API (client tokens only; a session does not open it)
# url                               obj  meth  anon   pgw    koor   adm    luar   prov   pemkab off    bkn    bknr   lain   exp    rev
healthz                             -    GET   200    200    200    200    200    200    200    200    200    200    200    200    200
healthz                             -    POST  405    405    405    405    405    405    403    405    405    405    405    405    405
api:referral-list                   -    GET   401    401    401    401    401    401    401    401    200    200    200    401    401
api:referral-list                   -    POST  401    401    401    401    401    401    403    401    405    403    405    401    401
api:referral-export-csv             -    GET   401    401    401    401    401    401    401    401    200    200    200    401    401
api:referral-export-csv             -    POST  401    401    401    401    401    401    403    401    405    403    405    401    401
api:referral-export-xlsx            -    GET   401    401    401    401    401    401    401    401    200    200    200    401    401
api:referral-export-xlsx            -    POST  401    401    401    401    401    401    403    401    405    403    405    401    401
api:referral-detail                 gm   GET   401    401    401    401    401    401    401    401    200    200    404    401    401
api:referral-detail                 gm   POST  401    401    401    401    401    401    403    401    405    403    405    401    401
api:referral-detail                 pr   GET   401    401    401    401    401    401    401    401    200    200    404    401    401
api:referral-detail                 pr   POST  401    401    401    401    401    401    403    401    405    403    405    401    401
api:referral-detail                 emp  GET   401    401    401    401    401    401    401    401    404    404    200    401    401
api:referral-detail                 emp  POST  401    401    401    401    401    401    403    401    405    403    405    401    401
api:document-file                   gm   GET   401    401    401    401    401    401    401    401    200    200    404    401    401
api:document-file                   gm   POST  401    401    401    401    401    401    403    401    405    403    405    401    401
api:document-file                   pr   GET   401    401    401    401    401    401    401    401    200    200    404    401    401
api:document-file                   pr   POST  401    401    401    401    401    401    403    401    405    403    405    401    401
api:document-file                   emp  GET   401    401    401    401    401    401    401    401    404    404    200    401    401
api:document-file                   emp  POST  401    401    401    401    401    401    403    401    405    403    405    401    401
api:document-file                   mix  GET   401    401    401    401    401    401    401    401    404    404    404    401    401
api:document-file                   mix  POST  401    401    401    401    401    401    403    401    405    403    405    401    401
api:evidence-file                   gm   GET   401    401    401    401    401    401    401    401    200    200    404    401    401
api:evidence-file                   gm   POST  401    401    401    401    401    401    403    401    405    403    405    401    401
api:evidence-file                   pr   GET   401    401    401    401    401    401    401    401    200    200    404    401    401
api:evidence-file                   pr   POST  401    401    401    401    401    401    403    401    405    403    405    401    401
api:evidence-file                   emp  GET   401    401    401    401    401    401    401    401    404    404    200    401    401
api:evidence-file                   emp  POST  401    401    401    401    401    401    403    401    405    403    405    401    401
api:evidence-file                   mix  GET   401    401    401    401    401    401    401    401    404    404    404    401    401
api:evidence-file                   mix  POST  401    401    401    401    401    401    403    401    405    403    405    401    401
api:recommendation                  gm   GET   401    401    401    401    401    401    401    401    405    405    405    401    401
api:recommendation                  gm   POST  401    401    401    401    401    401    403    401    400    403    404    401    401
api:recommendation                  pr   GET   401    401    401    401    401    401    401    401    405    405    405    401    401
api:recommendation                  pr   POST  401    401    401    401    401    401    403    401    400    403    404    401    401
api:recommendation                  emp  GET   401    401    401    401    401    401    401    401    405    405    405    401    401
api:recommendation                  emp  POST  401    401    401    401    401    401    403    401    404    403    400    401    401
api:ppk-decision                    gm   GET   401    401    401    401    401    401    401    401    405    405    405    401    401
api:ppk-decision                    gm   POST  401    401    401    401    401    401    403    401    400    403    404    401    401
api:ppk-decision                    pr   GET   401    401    401    401    401    401    401    401    405    405    405    401    401
api:ppk-decision                    pr   POST  401    401    401    401    401    401    403    401    400    403    404    401    401
api:ppk-decision                    emp  GET   401    401    401    401    401    401    401    401    405    405    405    401    401
api:ppk-decision                    emp  POST  401    401    401    401    401    401    403    401    404    403    400    401    401
api-schema                          -    GET   200    200    200    200    200    200    200    200    200    200    200    200    200
api-schema                          -    POST  405    405    405    405    405    405    403    405    405    405    405    405    405
api-docs                            -    GET   200    200    200    200    200    200    200    200    200    200    200    200    200
api-docs                            -    POST  405    405    405    405    405    405    403    405    405    405    405    405    405

# Accounts: signing in and out, passwords, the office admin's page
# url                               obj  meth  anon   pgw    koor   adm    luar   prov   pemkab off    bkn    bknr   lain   exp    rev
accounts:home                       -    GET   login  302    302    302    302    302    302    login  login  login  login  login  login
accounts:home                       -    POST  login  302    302    302    302    302    403    login  login  login  login  login  login
accounts:login                      -    GET   200    302    302    302    302    302    302    200    200    200    200    200    200
accounts:login                      -    POST  200    302    302    302    302    302    403    200    200    200    200    200    200
accounts:logout                     -    GET   405    405    405    405    405    405    405    405    405    405    405    405    405
accounts:logout                     -    POST  login  login  login  login  login  login  login  login  login  login  login  login  login
accounts:password_change            -    GET   login  200    200    200    200    200    200    login  login  login  login  login  login
accounts:password_change            -    POST  login  400    400    400    400    400    400    login  login  login  login  login  login
accounts:password_change_done       -    GET   login  200    200    200    200    200    200    login  login  login  login  login  login
accounts:password_change_done       -    POST  login  405    405    405    405    405    403    login  login  login  login  login  login
accounts:password_reset             -    GET   200    200    200    200    200    200    200    200    200    200    200    200    200
accounts:password_reset             -    POST  200    200    200    200    200    200    403    200    200    200    200    200    200
accounts:password_reset_done        -    GET   200    200    200    200    200    200    200    200    200    200    200    200    200
accounts:password_reset_done        -    POST  405    405    405    405    405    405    403    405    405    405    405    405    405
accounts:password_reset_confirm     -    GET   200    200    200    200    200    200    200    200    200    200    200    200    200
accounts:password_reset_confirm     -    POST  200    200    200    200    200    200    403    200    200    200    200    200    200
accounts:password_reset_complete    -    GET   200    200    200    200    200    200    200    200    200    200    200    200    200
accounts:password_reset_complete    -    POST  405    405    405    405    405    405    403    405    405    405    405    405    405
accounts:office_admin_home          -    GET   login  403    403    200    403    403    403    login  login  login  login  login  login
accounts:office_admin_home          -    POST  login  403    403    200    403    403    403    login  login  login  login  login  login

# Account page, second factor (koordinator and admin set it up; without a device the other pages send on)
# and sign-in activity (the office admin's, for its offices)
# url                               obj  meth  anon   pgw    koor   adm    luar   prov   pemkab off    bkn    bknr   lain   exp    rev
accounts:account                    -    GET   login  200    200    200    200    200    200    login  login  login  login  login  login
accounts:account                    -    POST  login  405    405    405    405    405    403    login  login  login  login  login  login
accounts:otp_verify                 -    GET   login  302    302    302    302    302    302    login  login  login  login  login  login
accounts:otp_verify                 -    POST  login  302    302    302    302    302    302    login  login  login  login  login  login
accounts:otp_setup                  -    GET   login  403    200    200    403    403    403    login  login  login  login  login  login
accounts:otp_setup                  -    POST  login  403    200    200    403    403    403    login  login  login  login  login  login
accounts:otp_backup_codes           -    GET   login  302    302    302    302    302    302    login  login  login  login  login  login
accounts:otp_backup_codes           -    POST  login  302    302    302    302    302    403    login  login  login  login  login  login
accounts:otp_disable                -    GET   login  302    302    302    302    302    302    login  login  login  login  login  login
accounts:otp_disable                -    POST  login  302    302    302    302    302    403    login  login  login  login  login  login
accounts:sign_in_activity           -    GET   login  403    403    200    403    403    403    login  login  login  login  login  login
accounts:sign_in_activity           -    POST  login  405    405    405    405    405    403    login  login  login  login  login  login
# The province's system operator adds regencies (tests/test_onboarding.py); no one else may
accounts:regency_list               -    GET   login  403    403    403    403    403    403    login  login  login  login  login  login
accounts:regency_list               -    POST  login  403    403    403    403    403    403    login  login  login  login  login  login
accounts:regency_new                -    GET   login  403    403    403    403    403    403    login  login  login  login  login  login
accounts:regency_new                -    POST  login  403    403    403    403    403    403    login  login  login  login  login  login

# Messages: one's own inbox; the outbox is the office admin's
# url                               obj  meth  anon   pgw    koor   adm    luar   prov   pemkab off    bkn    bknr   lain   exp    rev
notify:inbox                        -    GET   login  200    200    200    200    200    200    login  login  login  login  login  login
notify:inbox                        -    POST  login  405    405    405    405    405    403    login  login  login  login  login  login
notify:badge                        -    GET   login  200    200    200    200    200    200    login  login  login  login  login  login
notify:badge                        -    POST  login  405    405    405    405    405    403    login  login  login  login  login  login
notify:read_all                     -    GET   login  405    405    405    405    405    405    login  login  login  login  login  login
notify:read_all                     -    POST  login  302    302    302    302    302    302    login  login  login  login  login  login
notify:preferences                  -    GET   login  200    200    200    200    200    200    login  login  login  login  login  login
notify:preferences                  -    POST  login  302    302    302    302    302    302    login  login  login  login  login  login
notify:open                         gm   GET   login  405    405    405    405    405    405    login  login  login  login  login  login
notify:open                         gm   POST  login  302    404    404    404    404    404    login  login  login  login  login  login
notify:open                         pr   GET   login  405    405    405    405    405    405    login  login  login  login  login  login
notify:open                         pr   POST  login  404    404    404    302    404    404    login  login  login  login  login  login
notify:outbox                       -    GET   login  403    403    200    403    403    403    login  login  login  login  login  login
notify:outbox                       -    POST  login  405    405    405    405    405    403    login  login  login  login  login  login
notify:retry                        -    GET   login  405    405    405    405    405    405    login  login  login  login  login  login
notify:retry                        -    POST  login  403    403    302    403    403    403    login  login  login  login  login  login

# Home pages
# url                               obj  meth  anon   pgw    koor   adm    luar   prov   pemkab off    bkn    bknr   lain   exp    rev
accounts:supervisor_home           -    GET   login  200    200    403    200    200    403    login  login  login  login  login  login
accounts:supervisor_home           -    POST  login  200    200    403    200    200    403    login  login  login  login  login  login
accounts:deadline_calculator       -    GET   login  200    200    403    200    200    403    login  login  login  login  login  login
accounts:deadline_calculator       -    POST  login  200    200    403    200    200    403    login  login  login  login  login  login
accounts:pemkab_home               -    GET   login  403    403    403    403    403    302    login  login  login  login  login  login
accounts:pemkab_home               -    POST  login  403    403    403    403    403    403    login  login  login  login  login  login

# The public report pages: open to all, never a name
# url                               obj  meth  anon   pgw    koor   adm    luar   prov   pemkab off    bkn    bknr   lain   exp    rev
cases:public_report                 -    GET   200    200    200    200    200    200    200    200    200    200    200    200    200
cases:public_report                 -    POST  400    400    400    400    400    400    403    400    400    400    400    400    400
cases:public_report_due             -    GET   200    200    200    200    200    200    200    200    200    200    200    200    200
cases:public_report_due             -    POST  405    405    405    405    405    405    403    405    405    405    405    405    405
cases:public_status_lookup          -    GET   200    200    200    200    200    200    200    200    200    200    200    200    200
cases:public_status_lookup          -    POST  405    405    405    405    405    405    403    405    405    405    405    405    405
cases:public_status                 -    GET   200    200    200    200    200    200    200    200    200    200    200    200    200
cases:public_status                 -    POST  405    405    405    405    405    405    403    405    405    405    405    405    405

# The case register: office staff of the case's office or its province; workers only write
# url                               obj  meth  anon   pgw    koor   adm    luar   prov   pemkab off    bkn    bknr   lain   exp    rev
cases:list                          -    GET   login  200    200    200    200    200    403    login  login  login  login  login  login
cases:list                          -    POST  login  200    200    200    200    200    403    login  login  login  login  login  login
cases:create                        -    GET   login  200    200    403    200    200    403    login  login  login  login  login  login
cases:create                        -    POST  login  200    200    403    200    200    403    login  login  login  login  login  login
cases:detail                        gm   GET   login  200    200    200    404    200    403    login  login  login  login  login  login
cases:detail                        gm   POST  login  200    200    200    404    200    403    login  login  login  login  login  login
cases:detail                        pr   GET   login  404    404    404    200    200    403    login  login  login  login  login  login
cases:detail                        pr   POST  login  404    404    404    200    200    403    login  login  login  login  login  login
cases:edit                          gm   GET   login  200    200    403    404    200    403    login  login  login  login  login  login
cases:edit                          gm   POST  login  200    200    403    404    200    403    login  login  login  login  login  login
cases:edit                          pr   GET   login  404    404    403    302    302    403    login  login  login  login  login  login
cases:edit                          pr   POST  login  404    404    403    302    302    403    login  login  login  login  login  login
cases:transition                    gm   GET   login  200    200    403    404    200    403    login  login  login  login  login  login
cases:transition                    gm   POST  login  200    200    403    404    200    403    login  login  login  login  login  login
cases:transition                    pr   GET   login  404    404    403    200    200    403    login  login  login  login  login  login
cases:transition                    pr   POST  login  404    404    403    200    200    403    login  login  login  login  login  login
cases:extend                        gm   GET   login  200    200    403    404    200    403    login  login  login  login  login  login
cases:extend                        gm   POST  login  200    200    403    404    200    403    login  login  login  login  login  login
cases:extend                        pr   GET   login  404    404    403    200    200    403    login  login  login  login  login  login
cases:extend                        pr   POST  login  404    404    403    200    200    403    login  login  login  login  login  login
cases:assign                        gm   GET   405    405    405    405    405    405    405    405    405    405    405    405    405
cases:assign                        gm   POST  login  302    302    403    404    302    403    login  login  login  login  login  login
cases:assign                        pr   GET   405    405    405    405    405    405    405    405    405    405    405    405    405
cases:assign                        pr   POST  login  404    404    403    302    302    403    login  login  login  login  login  login
cases:subject_add                   gm   GET   login  200    200    403    404    200    403    login  login  login  login  login  login
cases:subject_add                   gm   POST  login  200    200    403    404    200    403    login  login  login  login  login  login
cases:subject_add                   pr   GET   login  404    404    403    200    200    403    login  login  login  login  login  login
cases:subject_add                   pr   POST  login  404    404    403    200    200    403    login  login  login  login  login  login
cases:subject_edit                  gm   GET   login  200    200    403    404    200    403    login  login  login  login  login  login
cases:subject_edit                  gm   POST  login  200    200    403    404    200    403    login  login  login  login  login  login
cases:subject_edit                  pr   GET   login  404    404    403    200    200    403    login  login  login  login  login  login
cases:subject_edit                  pr   POST  login  404    404    403    200    200    403    login  login  login  login  login  login
cases:subject_edit                  mix  GET   login  404    404    403    404    404    403    login  login  login  login  login  login
cases:subject_edit                  mix  POST  login  404    404    403    404    404    403    login  login  login  login  login  login
cases:document_add                  gm   GET   login  200    200    403    404    200    403    login  login  login  login  login  login
cases:document_add                  gm   POST  login  200    200    403    404    200    403    login  login  login  login  login  login
cases:document_add                  pr   GET   login  404    404    403    200    200    403    login  login  login  login  login  login
cases:document_add                  pr   POST  login  404    404    403    200    200    403    login  login  login  login  login  login
cases:referral_document_add         gm   GET   login  200    200    403    404    200    403    login  login  login  login  login  login
cases:referral_document_add         gm   POST  login  200    200    403    404    200    403    login  login  login  login  login  login
cases:referral_document_add         pr   GET   login  404    404    403    200    200    403    login  login  login  login  login  login
cases:referral_document_add         pr   POST  login  404    404    403    200    200    403    login  login  login  login  login  login
cases:document_file                 gm   GET   login  200    200    200    404    200    403    login  login  login  login  login  login
cases:document_file                 gm   POST  login  200    200    200    404    200    403    login  login  login  login  login  login
cases:document_file                 pr   GET   login  404    404    404    200    200    403    login  login  login  login  login  login
cases:document_file                 pr   POST  login  404    404    404    200    200    403    login  login  login  login  login  login
cases:evidence_add                  gm   GET   login  200    200    403    404    200    403    login  login  login  login  login  login
cases:evidence_add                  gm   POST  login  200    200    403    404    200    403    login  login  login  login  login  login
cases:evidence_add                  pr   GET   login  404    404    403    200    200    403    login  login  login  login  login  login
cases:evidence_add                  pr   POST  login  404    404    403    200    200    403    login  login  login  login  login  login
cases:evidence_file                 gm   GET   login  200    200    200    404    200    403    login  login  login  login  login  login
cases:evidence_file                 gm   POST  login  200    200    200    404    200    403    login  login  login  login  login  login
cases:evidence_file                 pr   GET   login  404    404    404    200    200    403    login  login  login  login  login  login
cases:evidence_file                 pr   POST  login  404    404    404    200    200    403    login  login  login  login  login  login
cases:evidence_file                 mix  GET   login  404    404    404    404    404    403    login  login  login  login  login  login
cases:evidence_file                 mix  POST  login  404    404    404    404    404    403    login  login  login  login  login  login
cases:meeting_add                   gm   GET   login  200    200    403    404    200    403    login  login  login  login  login  login
cases:meeting_add                   gm   POST  login  200    200    403    404    200    403    login  login  login  login  login  login
cases:meeting_add                   pr   GET   login  404    404    403    200    200    403    login  login  login  login  login  login
cases:meeting_add                   pr   POST  login  404    404    403    200    200    403    login  login  login  login  login  login
cases:meeting_record                gm   GET   login  200    200    403    404    200    403    login  login  login  login  login  login
cases:meeting_record                gm   POST  login  200    200    403    404    200    403    login  login  login  login  login  login
cases:meeting_record                pr   GET   login  404    404    403    200    200    403    login  login  login  login  login  login
cases:meeting_record                pr   POST  login  404    404    403    200    200    403    login  login  login  login  login  login
cases:meeting_record                mix  GET   login  404    404    403    404    404    403    login  login  login  login  login  login
cases:meeting_record                mix  POST  login  404    404    403    404    404    403    login  login  login  login  login  login
cases:person                        gm   GET   login  200    200    200    404    200    403    login  login  login  login  login  login
cases:person                        gm   POST  login  200    200    200    404    200    403    login  login  login  login  login  login
cases:person                        pr   GET   login  404    404    404    200    200    403    login  login  login  login  login  login
cases:person                        pr   POST  login  404    404    404    200    200    403    login  login  login  login  login  login

# Soft deletion: coordinators and the office admin of the case's office; the deleted list is theirs. A live
# case is not in the deleted list (404); restoring a deleted one is tested in tests/test_case_deletion.py
# url                               obj  meth  anon   pgw    koor   adm    luar   prov   pemkab off    bkn    bknr   lain   exp    rev
cases:delete                        gm   GET   login  403    200    200    403    403    403    login  login  login  login  login  login
cases:delete                        gm   POST  login  403    200    200    403    403    403    login  login  login  login  login  login
cases:delete                        pr   GET   login  403    404    404    403    403    403    login  login  login  login  login  login
cases:delete                        pr   POST  login  403    404    404    403    403    403    login  login  login  login  login  login
cases:deleted_list                  -    GET   login  403    200    200    403    403    403    login  login  login  login  login  login
cases:deleted_list                  -    POST  login  403    200    200    403    403    403    login  login  login  login  login  login
cases:deleted_detail                gm   GET   login  403    404    404    403    403    403    login  login  login  login  login  login
cases:deleted_detail                gm   POST  login  403    404    404    403    403    403    login  login  login  login  login  login
cases:deleted_detail                pr   GET   login  403    404    404    403    403    403    login  login  login  login  login  login
cases:deleted_detail                pr   POST  login  403    404    404    403    403    403    login  login  login  login  login  login

# Referrals
# url                               obj  meth  anon   pgw    koor   adm    luar   prov   pemkab off    bkn    bknr   lain   exp    rev
cases:referral_create               gm   GET   login  200    200    403    404    200    403    login  login  login  login  login  login
cases:referral_create               gm   POST  login  200    200    403    404    200    403    login  login  login  login  login  login
cases:referral_create               pr   GET   login  404    404    403    200    200    403    login  login  login  login  login  login
cases:referral_create               pr   POST  login  404    404    403    200    200    403    login  login  login  login  login  login
cases:referral_board                -    GET   login  200    200    200    200    200    403    login  login  login  login  login  login
cases:referral_board                -    POST  login  200    200    200    200    200    403    login  login  login  login  login  login
cases:referral_export_csv           -    GET   login  200    200    200    200    200    403    login  login  login  login  login  login
cases:referral_export_csv           -    POST  login  200    200    200    200    200    403    login  login  login  login  login  login
cases:referral_export_xlsx          -    GET   405    405    405    405    405    405    405    405    405    405    405    405    405
cases:referral_export_xlsx          -    POST  login  200    200    200    200    200    403    login  login  login  login  login  login
cases:export_job                    gm   GET   login  200    404    404    404    404    403    login  login  login  login  login  login
cases:export_job                    gm   POST  login  200    404    404    404    404    403    login  login  login  login  login  login
cases:export_job                    pr   GET   login  404    404    404    200    404    403    login  login  login  login  login  login
cases:export_job                    pr   POST  login  404    404    404    200    404    403    login  login  login  login  login  login
cases:export_job_file               gm   GET   login  200    404    404    404    404    403    login  login  login  login  login  login
cases:export_job_file               gm   POST  login  200    404    404    404    404    403    login  login  login  login  login  login
cases:export_job_file               pr   GET   login  404    404    404    200    404    403    login  login  login  login  login  login
cases:export_job_file               pr   POST  login  404    404    404    200    404    403    login  login  login  login  login  login
cases:referral                      gm   GET   login  200    200    200    404    200    403    login  login  login  login  login  login
cases:referral                      gm   POST  login  200    200    200    404    200    403    login  login  login  login  login  login
cases:referral                      pr   GET   login  404    404    404    200    200    403    login  login  login  login  login  login
cases:referral                      pr   POST  login  404    404    404    200    200    403    login  login  login  login  login  login
cases:referral_send                 gm   GET   405    405    405    405    405    405    405    405    405    405    405    405    405
cases:referral_send                 gm   POST  login  200    200    403    404    200    403    login  login  login  login  login  login
cases:referral_send                 pr   GET   405    405    405    405    405    405    405    405    405    405    405    405    405
cases:referral_send                 pr   POST  login  404    404    403    200    200    403    login  login  login  login  login  login
cases:referral_respond              gm   GET   405    405    405    405    405    405    405    405    405    405    405    405    405
cases:referral_respond              gm   POST  login  200    200    403    404    200    403    login  login  login  login  login  login
cases:referral_respond              pr   GET   405    405    405    405    405    405    405    405    405    405    405    405    405
cases:referral_respond              pr   POST  login  404    404    403    200    200    403    login  login  login  login  login  login
# The escalation ladder: the workers climb and record (an empty POST: the page again with the form's errors; the
# service itself lets only the koordinator sign a rung); its letters are read by the office staff; "mix": a
# Gunung Mas referral with Palangka Raya's escalation
cases:referral_escalate             gm   GET   405    405    405    405    405    405    405    405    405    405    405    405    405
cases:referral_escalate             gm   POST  login  200    200    403    404    200    403    login  login  login  login  login  login
cases:referral_escalate             pr   GET   405    405    405    405    405    405    405    405    405    405    405    405    405
cases:referral_escalate             pr   POST  login  404    404    403    200    200    403    login  login  login  login  login  login
cases:escalation_answer             gm   GET   405    405    405    405    405    405    405    405    405    405    405    405    405
cases:escalation_answer             gm   POST  login  200    200    403    404    200    403    login  login  login  login  login  login
cases:escalation_answer             pr   GET   405    405    405    405    405    405    405    405    405    405    405    405    405
cases:escalation_answer             pr   POST  login  404    404    403    200    200    403    login  login  login  login  login  login
cases:escalation_answer             mix  GET   405    405    405    405    405    405    405    405    405    405    405    405    405
cases:escalation_answer             mix  POST  login  404    404    403    404    404    403    login  login  login  login  login  login
cases:escalation_letter             gm   GET   login  200    200    200    404    200    403    login  login  login  login  login  login
cases:escalation_letter             gm   POST  login  200    200    200    404    200    403    login  login  login  login  login  login
cases:escalation_letter             pr   GET   login  404    404    404    200    200    403    login  login  login  login  login  login
cases:escalation_letter             pr   POST  login  404    404    404    200    200    403    login  login  login  login  login  login
cases:escalation_letter             mix  GET   login  404    404    404    404    404    403    login  login  login  login  login  login
cases:escalation_letter             mix  POST  login  404    404    404    404    404    403    login  login  login  login  login  login
# A declared succession: its transfer note exists for a referral it moved ("stay": one it did not, 404); only a
# system operator (or a superuser) declares one
cases:transfer_note                 gm   GET   login  200    200    200    404    200    403    login  login  login  login  login  login
cases:transfer_note                 gm   POST  login  200    200    200    404    200    403    login  login  login  login  login  login
cases:transfer_note                 pr   GET   login  404    404    404    200    200    403    login  login  login  login  login  login
cases:transfer_note                 pr   POST  login  404    404    404    200    200    403    login  login  login  login  login  login
cases:transfer_note                 stay GET   login  404    404    404    404    404    403    login  login  login  login  login  login
cases:transfer_note                 stay POST  login  404    404    404    404    404    403    login  login  login  login  login  login
cases:succession_declare            -    GET   login  403    403    403    403    403    403    login  login  login  login  login  login
cases:succession_declare            -    POST  login  403    403    403    403    403    403    login  login  login  login  login  login
cases:referral_withdraw             gm   GET   405    405    405    405    405    405    405    405    405    405    405    405    405
cases:referral_withdraw             gm   POST  login  302    302    403    404    302    403    login  login  login  login  login  login
cases:referral_withdraw             pr   GET   405    405    405    405    405    405    405    405    405    405    405    405    405
cases:referral_withdraw             pr   POST  login  404    404    403    302    302    403    login  login  login  login  login  login
cases:referral_document             gm   GET   login  200    200    200    404    200    403    login  login  login  login  login  login
cases:referral_document             gm   POST  login  200    200    200    404    200    403    login  login  login  login  login  login
cases:referral_document             pr   GET   login  404    404    404    200    200    403    login  login  login  login  login  login
cases:referral_document             pr   POST  login  404    404    404    200    200    403    login  login  login  login  login  login

# Outreach: pemkab reads its regency's sessions; the feed opens with its secret address alone
# url                               obj  meth  anon   pgw    koor   adm    luar   prov   pemkab off    bkn    bknr   lain   exp    rev
outreach:calendar                   -    GET   login  200    200    200    200    200    200    login  login  login  login  login  login
outreach:calendar                   -    POST  login  200    200    200    200    200    403    login  login  login  login  login  login
outreach:create                     -    GET   login  200    200    403    200    200    403    login  login  login  login  login  login
outreach:create                     -    POST  login  200    200    403    200    200    403    login  login  login  login  login  login
outreach:series_create              -    GET   login  200    200    403    200    200    403    login  login  login  login  login  login
outreach:series_create              -    POST  login  200    200    403    200    200    403    login  login  login  login  login  login
outreach:feeds                      -    GET   login  200    200    200    200    200    200    login  login  login  login  login  login
outreach:feeds                      -    POST  login  302    302    302    302    302    302    login  login  login  login  login  login
outreach:session                    gm   GET   login  200    200    200    404    200    200    login  login  login  login  login  login
outreach:session                    gm   POST  login  200    200    200    404    200    403    login  login  login  login  login  login
outreach:session                    pr   GET   login  404    404    404    200    200    404    login  login  login  login  login  login
outreach:session                    pr   POST  login  404    404    404    200    200    403    login  login  login  login  login  login
outreach:material                   gm   GET   login  200    200    200    404    200    200    login  login  login  login  login  login
outreach:material                   gm   POST  login  200    200    200    404    200    403    login  login  login  login  login  login
outreach:material                   pr   GET   login  404    404    404    200    200    404    login  login  login  login  login  login
outreach:material                   pr   POST  login  404    404    404    200    200    403    login  login  login  login  login  login
outreach:material                   mix  GET   login  404    404    404    404    404    404    login  login  login  login  login  login
outreach:material                   mix  POST  login  404    404    404    404    404    403    login  login  login  login  login  login
outreach:feed                       gm   GET   200    200    200    200    200    200    200    200    200    200    200    200    200
outreach:feed                       gm   POST  200    200    200    200    200    200    403    200    200    200    200    200    200
outreach:feed                       off  GET   404    404    404    404    404    404    404    404    404    404    404    404    404
outreach:feed                       off  POST  404    404    404    404    404    404    403    404    404    404    404    404    404

# The dashboard: supervisors, coordinators and pemkab of the area
# url                               obj  meth  anon   pgw    koor   adm    luar   prov   pemkab off    bkn    bknr   lain   exp    rev
dashboard:index                     -    GET   login  200    200    403    200    200    200    login  login  login  login  login  login
dashboard:index                     -    POST  login  200    200    403    200    200    403    login  login  login  login  login  login
dashboard:xlsx                      -    GET   login  200    200    403    200    200    200    login  login  login  login  login  login
dashboard:xlsx                      -    POST  login  200    200    403    200    200    403    login  login  login  login  login  login
dashboard:followup                  -    GET   login  200    200    403    200    200    200    login  login  login  login  login  login
dashboard:followup                  -    POST  login  200    200    403    200    200    403    login  login  login  login  login  login
# An election's follow-up rates for the public: open to all, figures only
dashboard:public_followup           -    GET   200    200    200    200    200    200    200    200    200    200    200    200    200
dashboard:public_followup           -    POST  405    405    405    405    405    405    403    405    405    405    405    405    405
"""

ANSWER = re.compile(r"^(\d{3}|login|302)$")


@dataclass(frozen=True)
class Row:
    name: str
    target: str
    method: str


def parse_table(text: str) -> dict[Row, dict[str, str]]:
    table = {}
    for number, line in enumerate(text.splitlines(), 1):
        words = line.split()
        if not words:
            continue
        if words[0] == "#":
            if words[1:2] == ["url"]:  # a header: its personas must be the table's columns, in order
                assert words[4:] == list(PERSONAS), f"line {number}: header {words[4:]}"
            continue
        name, target, method, *answers = words
        assert len(answers) == len(PERSONAS), f"line {number}: {len(answers)} answers for {len(PERSONAS)} personas"
        assert method in METHODS, f"line {number}: {method}"
        assert all(ANSWER.match(a) for a in answers), f"line {number}: {answers}"
        row = Row(name, target, method)
        assert row not in table, f"line {number}: {row} twice"
        table[row] = dict(zip(PERSONAS, answers, strict=True))
    return table


TABLE = parse_table(EXPECTED)

# --- The URL configuration ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    name: str
    route: str
    params: tuple[str, ...]


# No pattern is left out today. Static files are served by WhiteNoise before URL resolution, there is no media
# URL (files go through the views that check access: evidence, materials, letters, exports) and no debug
# toolbar. A pattern that must be left out is named here, with the reason.
EXCLUDED: dict[str, str] = {}


def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace) if n) or None
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            assert isinstance(pattern, URLPattern)
            route = prefix + str(pattern.pattern)
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            params = tuple(re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route))
            yield Pattern(name or f"({route})", route, tuple(a or b for a, b in params))


def discovered() -> list[Pattern]:
    return [p for p in _walk(get_resolver().url_patterns) if p.name not in EXCLUDED]


def is_admin(pattern: Pattern) -> bool:
    return pattern.route.startswith("admin/")


# --- Filling URLs with the world's objects --------------------------------------------------------------

# URLs whose parameters name no object of a regency (one row each is enough).
NO_OBJECT = {
    "cases:create": "the kind of report (laporan)",
    "cases:public_status": "a tracking code, the public's own key to one report",
    "dashboard:public_followup": "an election, public to all",
    "accounts:password_reset_confirm": "a link from a reset e-mail",
}


def objects(world, target: str) -> dict:
    """The objects behind ``target``'s URL parameters (made once per world)."""
    if not hasattr(world, "objects"):
        world.objects = _objects(world)
    return world.objects[target]


def _objects(w) -> dict:
    gm_subject = w.case_b.subjects.get()
    return {
        "gm": {"case": w.case_b, "decided_case": w.case_a, "referral": w.awaiting, "api_referral": w.awaiting,
               "api_evidence": w.gm_case_evidence, "person": gm_subject.person, "session": w.gm_session,
               "job": w.jobs["gm"], "note": w.notes["gm"], "subject_id": gm_subject.pk, "meeting_id": w.meeting.pk,
               "evidence_code": w.evidence.code, "material_id": w.material.pk, "feed": w.feed_token,
               "document_code": w.gm_case_document.code, "api_document": w.gm_referral_document,
               "referral_code": w.awaiting.code, "escalation_code": w.escalations["gm"].code,
               "note_referral": w.moved["gm"]},
        "pr": {"case": w.case_d, "decided_case": w.case_d, "referral": w.pr_awaiting, "api_referral": w.pr_awaiting,
               "api_evidence": w.pr_evidence, "person": w.pr_subject.person, "session": w.pr_session,
               "job": w.jobs["pr"], "note": w.notes["pr"], "subject_id": w.pr_subject.pk,
               "meeting_id": w.pr_meeting.pk, "evidence_code": w.pr_evidence.code, "material_id": w.pr_material.pk,
               "document_code": w.pr_document.code, "api_document": w.pr_document, "referral_code": w.pr_awaiting.code,
               "escalation_code": w.escalations["pr"].code, "note_referral": w.moved["pr"]},
        "mix": {"case": w.case_b, "session": w.gm_session, "subject_id": w.pr_subject.pk,
                "meeting_id": w.pr_meeting.pk, "evidence_code": w.pr_evidence.code, "material_id": w.pr_material.pk,
                "api_referral": w.awaiting, "api_evidence": w.other_subject_evidence,
                "document_code": w.pr_document.code, "api_document": w.other_referral_document,
                "referral": w.awaiting, "escalation_code": w.escalations["pr"].code},
        "emp": {"api_referral": w.executed, "api_evidence": w.gm_case_evidence, "api_document": w.gm_case_document},
        "off": {"feed": w.deactivated_feed_token},
        "stay": {"note_referral": w.awaiting},
        "-": {},
    }  # fmt: skip


# What a "code" is, by the start of the route.
CODE_OF = [
    ("api/v1/referrals/", "api_referral"),
    ("penerusan/unduhan/", "job"),
    ("penerusan/", "referral"),
    ("perkara/", "case"),
    ("terlapor/", "person"),
    ("kalender/", "session"),
    ("pemberitahuan/", "note"),
]
CODE_OVERRIDE = {
    "cases:referral_create": "decided_case",
    "cases:referral_document_add": "decided_case",  # a case must be decided to be forwarded
    "cases:transfer_note": "note_referral",  # a referral a succession moved
}
# Parameters that are not objects, with the value asked.
FIXED = {
    "source": "laporan",
    "name": "register",
    "kind": "keputusan_ppk",  # the referral awaits the PPK's decision
    "which": "surat",
    "uidb64": "MQ",
}


def url_for(pattern: Pattern, target: str, world) -> str:
    values = objects(world, target)
    kwargs = {}
    for param in pattern.params:
        if param == "code" and pattern.name == "cases:public_status":
            kwargs[param] = world.public_report.tracking_code
        elif param == "pk" and pattern.name == "dashboard:public_followup":
            kwargs[param] = world.gm_election.pk  # an election: public, of no one's scope
        elif param == "code":
            key = CODE_OVERRIDE.get(pattern.name) or next(k for p, k in CODE_OF if pattern.route.startswith(p))
            kwargs[param] = values[key].code
        elif param == "evidence_code" and pattern.route.startswith("api/"):
            kwargs[param] = values["api_evidence"].code
        elif param == "document_code" and pattern.route.startswith("api/"):
            kwargs[param] = values["api_document"].code
        elif param == "token" and pattern.name == "outreach:feed":
            kwargs[param] = values["feed"]
        elif param == "token":
            kwargs[param] = "set-password"  # the reset view's own redirect target: an unknown link
        elif param in FIXED:
            kwargs[param] = FIXED[param]
        elif param in values:
            kwargs[param] = values[param]
        else:
            raise AssertionError(f"{pattern.name}: no value for <{param}> in target {target!r}; add one")
    return reverse(pattern.name, kwargs=kwargs)


def admin_url(pattern: Pattern) -> str:
    """An admin pattern filled in: the rule does not look at objects (an unknown one is the admin's own
    "does not exist" answer)."""
    values = {
        "app_label": "reference",
        "object_id": "0",
        "id": "0",
        "pk": "0",
        "content_type_id": "1",
        "url": "tidak-ada/",
    }
    if not pattern.name.startswith("("):
        return reverse(pattern.name, kwargs={p: values[p] for p in pattern.params})
    # unnamed: the admin's redirects from an object's old address, and its catch-all
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], pattern.route)
    return "/" + re.sub(r"\(\?P<(\w+)>[^)]*\)\$", lambda m: values[m.group(1)], path)


# --- Asking ---------------------------------------------------------------------------------------------


def answer_of(response) -> str:
    if response.status_code in (301, 302, 303, 307, 308):
        path = urlsplit(response["Location"]).path
        if path == reverse("accounts:login"):
            return "login"
        if path == reverse("admin:login"):
            return "admin-login"
        return "302"
    return str(response.status_code)


def body_of(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if raw.startswith(b"PK\x03\x04"):  # an XLSX: the text is in the XML parts
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                raw = b"".join(archive.read(n) for n in archive.namelist() if n.endswith(".xml"))
        except zipfile.BadZipFile:
            pass
    return raw.decode(errors="replace")


def ask(client: Client, method: str, url: str) -> tuple[str, str]:
    """The answer and body of one request, which changes nothing: it runs in a savepoint rolled back after
    the body is read, and the client's cookies (session, messages) are put back."""
    cookies = client.cookies
    client.cookies = type(cookies)(cookies)
    try:
        with transaction.atomic():
            if method == "GET":
                response = client.get(url)
            elif url.startswith("/api/"):
                response = client.post(url, data="{}", content_type="application/json")
            else:
                response = client.post(url)
            answer, body = answer_of(response), body_of(response)
            transaction.set_rollback(True)
    except Exception as error:  # a crash is an answer too, and a surprise wherever it happens
        answer, body = f"crash:{type(error).__name__}", ""
    finally:
        client.cookies = cookies
    return answer, body


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker):
    """The world and a signed-in client per persona, made once for the module in a transaction that is rolled
    back at its end; each test runs in a savepoint inside it (pytest-django's ``db``)."""
    # thousands of refusals (403, 404, 405) are expected here: Django's warning for each is only noise
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = build_access_world()
            clients = {}
            for persona in PERSONAS:
                if persona in SIGNED_IN:
                    clients[persona] = Client()
                    clients[persona].force_login(getattr(world.users, SIGNED_IN[persona]))
                elif persona in TOKENS:
                    clients[persona] = Client(
                        headers={"authorization": f"Bearer {getattr(world.tokens, TOKENS[persona])}"}
                    )
                else:
                    clients[persona] = Client()
            # switched off while signed in: the session cookie is still sent
            world.users.deactivated.is_active = False
            world.users.deactivated.save(update_fields=["is_active"])
            yield world, clients
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            request_log.setLevel(level)


# --- The admin site, by rule -----------------------------------------------------------------------------
# Only staff enter the admin site: everyone else is sent to its sign-in page (which itself opens for all),
# and a pemkab user's POST is refused before the admin is reached. The office admin (staff, in the office
# admins' group) gets exactly what the group's permissions give, model by model; its object pages are asked
# with an object that does not exist (pk 0), so each answer is the permission's: 403 without it, the admin's
# "does not exist" redirect (302) or 404 with it. Real objects, its own and another regency's, are asked in
# ADMIN_OBJECTS below.

ADMIN_VIEWS = ("changelist", "add", "change", "delete", "history")
# Who asks every admin URL, with GET and POST: the anonymous visitor, a signed-in supervisor (not staff),
# pemkab (its POSTs refused by the read-only middleware first) and the office admin; with GET, a switched-off
# account and an API token. The other personas are sent away by the same check as one of these and ask the
# admin's index only (it keeps the matrix's time down: each admin URL is one more request per persona).
ADMIN_ASKED_BY = {"anon": METHODS, "pgw": METHODS, "pemkab": METHODS, "adm": METHODS, "off": ("GET",),
                  "bkn": ("GET",)}  # fmt: skip


def _admin_models() -> dict[str, tuple[str, str]]:
    """Admin URL name -> (model's permission label, view), for every registered model."""
    from django.contrib import admin

    names = {}
    for model in admin.site._registry:
        app, model_name = model._meta.app_label, model._meta.model_name
        for view in ADMIN_VIEWS:
            names[f"admin:{app}_{model_name}_{view}"] = (f"{app}.%s_{model_name}", view)
    names["admin:auth_user_password_change"] = ("accounts.%s_user", "password")
    return names


def admin_expectation(persona: str, pattern: Pattern, method: str) -> str:
    name, get = pattern.name, method == "GET"
    if persona == "pemkab" and not get:
        return "403"  # the read-only middleware
    if persona != "adm":
        if name == "admin:login":
            return "200"
        if name == "admin:logout":
            return "302"  # to the admin's index, which sends to the sign-in page
        return "admin-login"
    # the office admin
    if name == "admin:login":
        return "302" if get else "200"
    if name == "admin:logout":
        return "405" if get else "login"
    if name in ("admin:index", "admin:app_list", "admin:password_change"):
        return "200"
    if name in ("admin:password_change_done", "admin:jsi18n"):
        return "200" if get else "405"
    if name == "admin:autocomplete":
        return "403" if get else "405"  # no model named in the query
    if name in ("admin:otp_totp_totpdevice_config", "admin:otp_totp_totpdevice_qrcode"):
        return "403"  # a device's secret is never shown (OTP_ADMIN_HIDE_SENSITIVE_DATA)
    if name in ("admin:view_on_site", "(admin/(?P<url>.*)$)"):
        return "404"
    if name.startswith("(admin/"):
        return "302"  # an object's old address (…/<pk>/): redirected to its change page
    models = _admin_models()
    if name not in models:
        return f"undeclared: {name} is not in admin_expectation"  # a new admin view: say what it answers
    label, view = models[name]
    may = {action: label % action in OFFICE_ADMIN_PERMISSIONS for action in ("view", "add", "change", "delete")}
    if view == "changelist":
        return "200" if may["view"] or may["change"] else "403"
    if view == "add":
        return "200" if may["add"] else "403"
    if view == "change":
        allowed = (may["view"] or may["change"]) if get else may["change"]
        return "302" if allowed else "403"
    if view == "delete":
        return "302" if may["delete"] else "403"
    if view == "password":
        return "404" if may["change"] else "403"
    return "302"  # history: "does not exist" comes before the permission


# The office admin on real objects: its own regency's (gm) and another's (pr), which the admin site answers as
# "does not exist" (302 back to the list; 404 on the password page); "op" is a system operator (superuser)
# who also holds a role in Gunung Mas: its account is not the office admin's to manage.
ADMIN_OBJECTS = """
# url                               obj  GET   POST
admin:accounts_user_change          gm   200   200
admin:accounts_user_change          pr   302   302
admin:auth_user_password_change     gm   200   200
admin:auth_user_password_change     pr   404   404
admin:accounts_user_change          op   302   302
admin:auth_user_password_change     op   404   404
admin:accounts_membership_change    gm   200   200
admin:accounts_membership_change    pr   302   302
admin:reference_office_change       gm   200   200
admin:reference_office_change       pr   302   302
admin:reference_agency_change       gm   200   200
admin:reference_agency_change       pr   302   302
admin:reference_election_change     gm   200   200
admin:reference_election_change     pr   302   302
admin:outreach_outreachsession_change gm 403   403
admin:outreach_outreachsession_change pr 403   403
"""


def admin_objects(world) -> list[tuple[str, str, str, dict[str, str]]]:
    """(URL name, target, path, {method: the office admin's answer}) of ADMIN_OBJECTS."""
    ids = {
        "accounts_user": (world.users.pengawas, world.users.outsider, world.users.operator),
        "auth_user": (world.users.pengawas, world.users.outsider, world.users.operator),
        "accounts_membership": (world.users.pengawas.memberships.get(), world.users.outsider.memberships.get()),
        "reference_office": (world.offices.gunung_mas, world.offices.palangka_raya),
        "reference_agency": (world.agencies.disdik, world.agencies.kota),
        "reference_election": (world.gm_election, world.pr_election),
        "outreach_outreachsession": (world.gm_session, world.pr_session),
    }
    rows = []
    for line in ADMIN_OBJECTS.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, target, get, post = line.split()
        model = next(key for key in ids if name.startswith(f"admin:{key}_"))
        obj = ids[model][("gm", "pr", "op").index(target)]
        param = "id" if name == "admin:auth_user_password_change" else "object_id"
        rows.append((name, target, reverse(name, kwargs={param: obj.pk}), {"GET": get, "POST": post}))
    return rows


# --- The tests ------------------------------------------------------------------------------------------


def test_every_url_pattern_has_its_row():
    patterns = discovered()
    names = [p.name for p in patterns]
    assert len(names) == len(set(names)), "two patterns share a name"
    declared = {row.name for row in TABLE}
    missing = [p.name for p in patterns if not is_admin(p) and p.name not in declared]
    assert not missing, f"URL patterns with no expected answers in EXPECTED: {missing}"
    stale = declared - set(names)
    assert not stale, f"rows in EXPECTED for URL patterns that no longer exist: {sorted(stale)}"
    for pattern in patterns:
        if is_admin(pattern):
            continue
        targets = {row.target for row in TABLE if row.name == pattern.name}
        methods = {row.method for row in TABLE if row.name == pattern.name}
        assert methods == set(METHODS), f"{pattern.name}: rows for {sorted(methods)}, not both GET and POST"
        for target in targets:
            assert {r.method for r in TABLE if r.name == pattern.name and r.target == target} == set(METHODS)
        if not pattern.params:
            assert targets == {"-"}, f"{pattern.name} names no object: its rows are '-'"
        elif pattern.name not in NO_OBJECT:
            assert len(targets - {"-"}) >= 2, f"{pattern.name}: ask it with one's own object and another's"
    assert len([p for p in patterns if is_admin(p)]) > 50  # the admin's model pages are discovered too


@pytest.mark.django_db
@pytest.mark.parametrize("persona", list(PERSONAS))
def test_access_matrix(matrix, persona):
    world, clients = matrix
    client = clients[persona]
    patterns = {p.name: p for p in discovered()}
    surprises, leaks, reporter_seen = [], [], False
    for row, answers in TABLE.items():
        url = url_for(patterns[row.name], row.target, world)
        got, body = ask(client, row.method, url)
        if got != answers[persona]:
            surprises.append(f"{row.method} {url} ({row.name}, {row.target}): expected {answers[persona]}, got {got}")
        if got.startswith("2"):
            # a feed address is a key: whoever holds it reads the feed of its owner (the pemkab official)
            reader = "pemkab" if row.name == "outreach:feed" else persona
            leaks += [f"{row.method} {url}: {text!r}" for text in NEVER[reader] if text in body]
            reporter_seen |= REPORTER_GM in body
    for pattern in patterns.values():
        if not is_admin(pattern) or (persona not in ADMIN_ASKED_BY and pattern.name != "admin:index"):
            continue
        for method in ADMIN_ASKED_BY.get(persona, METHODS):
            got, body = ask(client, method, admin_url(pattern))
            wanted = admin_expectation(persona, pattern, method)
            if got != wanted:
                surprises.append(f"{method} {pattern.route} ({pattern.name}): expected {wanted}, got {got}")
            if got.startswith("2"):
                leaks += [f"{method} {pattern.route}: {text!r}" for text in NEVER[persona] if text in body]
    for name, target, url, answers in admin_objects(world):
        for method in METHODS:
            got, body = ask(client, method, url)
            wanted = answers[method] if persona == "adm" else admin_expectation(persona, patterns[name], method)
            if got != wanted:
                surprises.append(f"{method} {url} ({name}, {target}): expected {wanted}, got {got}")
            if got.startswith("2"):
                leaks += [f"{method} {url}: {text!r}" for text in NEVER[persona] if text in body]
    assert not surprises, f"{PERSONAS[persona]}: {len(surprises)} answers differ from the table:\n" + "\n".join(
        surprises
    )
    assert not leaks, f"{PERSONAS[persona]} read what it must not:\n" + "\n".join(leaks)
    # The bodies are really read: Gunung Mas's staff do see the reporter (on the case page).
    assert reporter_seen == (persona in ("pgw", "koor", "prov"))
