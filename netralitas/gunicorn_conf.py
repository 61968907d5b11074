"""gunicorn settings for every way the web server is started (Dockerfile, docker-compose.yml, make bench):
``gunicorn -c python:netralitas.gunicorn_conf netralitas.wsgi``. Options on the command line still apply.

Garbage collection. A page of 100 referrals makes some 25,000 objects; Python's cyclic collector then runs
often, and each of its full passes walks every object of the process, the tens of thousands that Django, the
URLconf and the templates left at start-up included. Those passes were the slowest 5 % of the API's requests
(p95 200 ms against a p50 of 90 ms). Each worker therefore freezes what it holds once loaded (``gc.freeze``:
kept, never walked again) and collects the young generation after 50,000 allocations instead of 700.
"""

import gc

GC_THRESHOLDS = (50_000, 20, 10)


def post_worker_init(worker):
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
