"""Helpers for ``manage.py load_demo``: write demo rows idempotently and count what changed.

Each app that has demo data gives its AppConfig a ``load_demo(report)`` method; the command calls them in
INSTALLED_APPS order inside one transaction, so apps lower in the stack never import the ones above.
"""

from __future__ import annotations

from collections import Counter

from django.db import models


class DemoReport:
    def __init__(self):
        self.counts: Counter[tuple[str, str]] = Counter()
        self.notes: list[str] = []

    def note(self, line: str) -> None:
        """A line to show after loading (e.g. the demo logins)."""
        self.notes.append(line)

    def upsert(self, model: type[models.Model], lookup: dict, values: dict | None = None) -> models.Model:
        """The row matching ``lookup``, created with ``values`` or brought up to date with them. A row
        that already holds these values is not written at all, so a second load changes nothing."""
        values = values or {}
        obj = model.objects.filter(**lookup).first()
        label = model._meta.verbose_name_plural
        if obj is None:
            obj = model(**lookup, **values)
            obj.full_clean()
            obj.save()
            self.counts[(str(label), "created")] += 1
            return obj
        changed = [name for name, value in values.items() if _field_value(obj, name) != _comparable(value)]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.full_clean()
            obj.save(update_fields=[obj._meta.get_field(name).attname for name in changed])
            self.counts[(str(label), "updated")] += 1
        else:
            self.counts[(str(label), "unchanged")] += 1
        return obj

    def count(self, label: str, outcome: str, n: int = 1) -> None:
        self.counts[(label, outcome)] += n

    @property
    def changed(self) -> int:
        return sum(n for (_label, outcome), n in self.counts.items() if outcome != "unchanged")

    def lines(self) -> list[str]:
        by_label: dict[str, Counter] = {}
        for (label, outcome), n in self.counts.items():
            by_label.setdefault(label, Counter())[outcome] = n
        return [
            f"{label}: {c['created']} baru, {c['updated']} diperbarui, {c['unchanged']} tetap"
            for label, c in sorted(by_label.items())
        ]


def _field_value(obj: models.Model, name: str):
    field = obj._meta.get_field(name)
    if field.is_relation:
        return getattr(obj, field.attname)
    return getattr(obj, name)


def _comparable(value):
    return value.pk if isinstance(value, models.Model) else value
