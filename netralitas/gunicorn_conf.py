"""gunicorn settings for every way the web server is started (Dockerfile, docker-compose.yml, make bench):
``gunicorn -c python:netralitas.gunicorn_conf netralitas.wsgi``. Options on the command line still apply.

Garbage collection. A page of 100 referrals makes some 25,000 objects, so Python's cyclic collector runs
during it, and each of its full passes walked every object of the process, the tens of thousands that Django,
the URLconf and the settings left at start-up included: those passes were the slowest 5 % of the API's requests
(p95 200-250 ms against a p50 of 90-110 ms, measured in-process and under gunicorn). Each worker therefore
freezes what it holds once loaded (``gc.freeze``: kept, never walked again), the modules Django would import on
the first request included. Raising the collector's thresholds
as well was tried and left out: it made the median slower and the CSV export's worker 60 % larger.
"""

import gc


def post_worker_init(worker):
    # What Django loads on a worker's first request (the URLconf, every view module, DRF and the serializers)
    # is loaded now, so that it is frozen with the rest rather than walked by every full collection after.
    from django.urls import reverse

    reverse("healthz")  # reversing reads the whole URLconf, which imports every view module
    gc.collect()
    gc.freeze()
