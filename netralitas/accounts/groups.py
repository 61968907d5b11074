"""The permission group of office administrators, kept in step with the code after every migration.

Model permissions say what an office admin may do in the admin site; ``admin_scope`` limits where."""

OFFICE_ADMIN_GROUP = "Admin kantor"

OFFICE_ADMIN_PERMISSIONS = [
    "accounts.add_user",
    "accounts.change_user",
    "accounts.view_user",
    "accounts.add_membership",
    "accounts.change_membership",
    "accounts.delete_membership",
    "accounts.view_membership",
    "reference.view_region",
    "reference.view_office",
    "reference.change_office",
    "reference.add_agency",
    "reference.change_agency",
    "reference.view_agency",
    "reference.add_election",
    "reference.change_election",
    "reference.view_election",
    "reference.add_candidatepair",
    "reference.change_candidatepair",
    "reference.delete_candidatepair",
    "reference.view_candidatepair",
    "reference.view_institution",
    "reference.add_nonworkingday",
    "reference.change_nonworkingday",
    "reference.delete_nonworkingday",
    "reference.view_nonworkingday",
]


def ensure_office_admin_group(using="default", **kwargs):
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.using(using).get_or_create(name=OFFICE_ADMIN_GROUP)
    wanted = []
    for label in OFFICE_ADMIN_PERMISSIONS:
        app_label, codename = label.split(".")
        wanted.extend(Permission.objects.using(using).filter(content_type__app_label=app_label, codename=codename))
    if {p.pk for p in wanted} != set(group.permissions.values_list("pk", flat=True)):
        group.permissions.set(wanted)
    return group
