"""The named sets of roles that every permission check uses.

A check names the set for what it allows (``role_required(CASE_WORKERS)``, ``holds_role_for(user, office,
PLENARY)``); a set is written here once, so "who may work on a case" means the same on a page, in a service
and in a reminder. The role values themselves are ``Role`` (a model choice, stored on ``Membership``).
"""

from __future__ import annotations

from netralitas.accounts.models import Role

# Bawaslu staff who work on cases: record findings and reports, add subjects and evidence, schedule
# clarification, draft referrals, organise outreach.
CASE_WORKERS = frozenset({Role.PENGAWAS, Role.KOORDINATOR})
# The plenary steps: register or not, decide, send a referral, extend a deadline, record a response's
# consequence on the case.
PLENARY = frozenset({Role.KOORDINATOR})
# Bawaslu staff who may read the case register, the referral board and people (the office admin reads too).
STAFF = frozenset({Role.PENGAWAS, Role.KOORDINATOR, Role.ADMIN})
# Who may delete (softly) and restore a case, and see the deleted ones.
DELETERS = frozenset({Role.KOORDINATOR, Role.ADMIN})
# The office administrator: users and memberships, reference data, the outbox, sign-in activity.
OFFICE_ADMINS = frozenset({Role.ADMIN})
# The system operator of a province (or national) office: adds a regency, its office and its first users.
OPERATORS = frozenset({Role.OPERATOR})
# Roles that may change nothing (enforced for every URL by ReadOnlyRoleMiddleware).
READ_ONLY = frozenset({Role.PEMKAB})
# Who reads the dashboard: case workers for their scope, the regency government for its regency.
DASHBOARD_READERS = CASE_WORKERS | READ_ONLY
# Who reads the outreach calendar: everyone with a membership.
CALENDAR_READERS = STAFF | READ_ONLY
# Who organises outreach sessions.
ORGANISERS = CASE_WORKERS
# Who may (and, by OTP_REQUIRED_FOR_ROLES, must) use a second factor: the roles that sign or administer.
SECOND_FACTOR = frozenset({Role.KOORDINATOR, Role.ADMIN})
# The order in which a user with several memberships picks a home page: case work first.
HOME_ORDER = (Role.KOORDINATOR, Role.PENGAWAS, Role.ADMIN, Role.OPERATOR, Role.PEMKAB)
