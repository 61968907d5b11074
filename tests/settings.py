"""Settings for the test suite: the project's settings on PostgreSQL and Redis (the production parts).

DATABASE_URL and CELERY_BROKER_URL may point elsewhere; the defaults are the local servers.
"""

import os
import tempfile
from pathlib import Path

# A developer's .env must not change what the tests see.
os.environ["NETRALITAS_IGNORE_DOTENV"] = "1"
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/netralitas")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")
os.environ.setdefault("LOG_FORMAT", "text")
# The test client and the browser tests' live server speak plain HTTP; production defaults are checked by
# tests/test_deploy.py with the production variables.
os.environ.setdefault("HTTPS", "false")
os.environ.setdefault("LOG_LEVEL", "warning")

from netralitas.settings import *  # noqa: F403

# Every test counts the dashboard's figures afresh (the cache is tested on its own, tests/test_dashboard.py).
DASHBOARD_CACHE_SECONDS = 0
PUBLIC_FIGURES_CACHE_SECONDS = 0
# Hashing passwords slowly protects real accounts; in tests it only costs time.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Pages render without a collectstatic run (the manifest storage needs one).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Serve static files from the app folders (no collectstatic run in tests), as in development.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# No persistent connections: live_server threads must not keep the test database open at teardown.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Uploaded and generated files of the suite go to a throw-away folder, never to var/media.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="netralitas-test-media-"))
# The webhook tests post to a receiver on 127.0.0.1 over plain HTTP.
WEBHOOK_HTTP_LOOPBACK = True
