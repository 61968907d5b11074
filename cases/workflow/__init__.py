"""Intake and workflow: the case from its receipt to its decision — the services that write it, the
selectors that read it for the pages, its forms, filters, deadlines and views."""
