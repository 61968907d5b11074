"""Database helpers shared by the apps.

``in_array``: ``field__in_array=<subquery>`` is ``field IN (subquery)`` everywhere, and on PostgreSQL
``field = ANY(ARRAY(subquery))``: the subquery is run once, up front, and its result is a value the planner
can look up in the field's index. Scoping by office (``office_id IN offices in scope``) needs that: with two
such conditions joined by OR (own cases, cases handed over to the office) PostgreSQL otherwise scans the
whole table with a hashed subplan (about 100 ms at 200,000 cases, against 2 ms).
"""

from django.db import models
from django.db.models import Lookup


@models.ForeignKey.register_lookup
@models.IntegerField.register_lookup
class InArray(Lookup):
    lookup_name = "in_array"

    def _sides(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return lhs, rhs, [*lhs_params, *rhs_params]

    def as_sql(self, compiler, connection):
        lhs, rhs, params = self._sides(compiler, connection)
        return f"{lhs} IN {rhs}", params

    def as_postgresql(self, compiler, connection):
        lhs, rhs, params = self._sides(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", params
