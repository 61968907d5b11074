"""The permission group of office administrators, kept in step with the code after every migration.

Model permissions say what an office admin may do in the admin site; ``admin_scope`` limits where."""

OFFICE_ADMIN_GROUP = "Admin kantor"

OFFICE_ADMIN_PERMISSIONS = [
    f"{app}.{action}_{model}"
    for app, model, actions in (
        ("accounts", "user", "add change view"),
        ("accounts", "membership", "add change delete view"),
        ("reference", "region", "view"),
        ("reference", "office", "view change"),
        ("reference", "agency", "add change view"),
        ("reference", "election", "add change view"),
        ("reference", "candidatepair", "add change delete view"),
        ("reference", "institution", "view"),
        ("reference", "nonworkingday", "add change delete view"),
    )
    for action in actions.split()
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
