"""The one error a service raises to refuse a change. Its message is for the user, in Indonesian; a page shows it
beside what was typed (``netralitas.forms.submit``), the API returns it as a 400."""


class ServiceError(Exception):
    field: str | None = None  # the form field the refusal is about; None: the form as a whole
    status = 200  # the page's status when shown again: 503 where the server, not the user, failed

    def __init__(self, *args, field: str | None = None):
        super().__init__(*args)
        if field is not None:
            self.field = field
