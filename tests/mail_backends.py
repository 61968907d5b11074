"""E-mail backends for the tests: one that fails as told, one that writes each message to a folder (so a
worker in another process can be watched) and can be told to hang mid-send, to be killed there."""

import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class FailingBackend(BaseEmailBackend):
    """Raises ``FailingBackend.error`` (an exception instance) while it is set, then delivers to locmem."""

    error: Exception | None = None

    def send_messages(self, messages):
        if FailingBackend.error is not None:
            raise FailingBackend.error
        return LocmemBackend().send_messages(messages)


class FolderBackend(BaseEmailBackend):
    """Each message as a file in EMAIL_FILE_PATH. While a file named ``hang`` is there, the backend marks
    ``started`` and hangs before writing anything, as a mail server that stopped answering mid-send."""

    def send_messages(self, messages):
        folder = Path(settings.EMAIL_FILE_PATH)
        for message in messages:
            while (folder / "hang").exists():
                (folder / "started").touch()
                time.sleep(0.2)
            (folder / f"{uuid.uuid4().hex}.eml").write_bytes(message.message().as_bytes())
        return len(messages)


__all__ = ["FailingBackend", "FolderBackend"]
