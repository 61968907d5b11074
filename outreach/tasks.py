"""Celery tasks of the outreach calendar: the reminder sweeps (schedules in django-celery-beat)."""

from celery import shared_task

from outreach import reminders


@shared_task(name="outreach.sweep_upcoming")
def sweep_upcoming() -> dict:
    return reminders.sweep_upcoming()


@shared_task(name="outreach.sweep_minutes")
def sweep_minutes() -> dict:
    return reminders.sweep_minutes()
