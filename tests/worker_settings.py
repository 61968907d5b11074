"""Settings for a Celery worker started by the broker tests in a process of its own: the test settings,
with the test database named by DATABASE_URL and e-mail written to a folder the test watches."""

import os

from tests.settings import *  # noqa: F403

EMAIL_BACKEND = "tests.mail_backends.FolderBackend"
EMAIL_FILE_PATH = os.environ["NETRALITAS_TEST_MAIL_DIR"]
