"""Beat schedules written by data migrations (editable in the admin afterwards, never overwritten)."""


def schedule_every(apps, name: str, task: str, minutes: int) -> None:
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    interval, _ = IntervalSchedule.objects.get_or_create(every=minutes, period="minutes")
    PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "interval": interval, "enabled": True})


def unschedule(apps, *names: str) -> None:
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=names).delete()
