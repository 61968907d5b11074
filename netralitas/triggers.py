"""Rows that may only be added: the trigger that refuses to change or delete them, for every audit table.

django-pgtrigger's ``Protect`` on UPDATE and DELETE of each row, declared in a model's ``Meta.triggers``.
"""

from pgtrigger import Delete, Protect, Update


class AppendOnly(Protect):
    """django-pgtrigger's ``Protect`` on UPDATE and DELETE of each row, refusing with the SQL state
    ``integrity_constraint_violation`` (Django's ``IntegrityError``, like any other broken rule of the record) and
    a message that says what to do instead. TRUNCATE fires no row trigger, so the test suite's flush and
    ``manage.py restore`` (which replaces the whole schema) still work."""

    def __init__(self, **kwargs):
        super().__init__(name="append_only", operation=Update | Delete, **kwargs)

    def get_func(self, model):
        return self.format_sql(
            """
            RAISE EXCEPTION USING
                ERRCODE = 'integrity_constraint_violation',
                MESSAGE = format('%s hanya boleh ditambah: baris yang sudah tercatat tidak dapat diubah atau dihapus (catat koreksinya sebagai baris baru)', TG_TABLE_NAME),
                DETAIL = format('%s ditolak pada baris id=%s', TG_OP, OLD.id);
            """
        )
