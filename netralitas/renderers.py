"""The form renderer: the project's widget templates (``templates/django/forms/widgets/``), except the select
list, which is written here.

A select rendered through its template costs some 40 microseconds per option (a loop over the option's
attributes, a filter per value); a province's lists run to hundreds of agencies and staff, which made the
case list's filter form a fifth of the page. Written here it costs a few microseconds per option. The output
is the template's, character for character: ``select.html`` stays the reference, and a test renders every
kind of select through both."""

from __future__ import annotations

from django.forms.renderers import TemplatesSetting
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

SELECT_TEMPLATE = "django/forms/widgets/select.html"


class FormRenderer(TemplatesSetting):
    def render(self, template_name, context, request=None):
        if template_name == SELECT_TEMPLATE:
            return render_select(context["widget"])
        return super().render(template_name, context, request)


def _text(value) -> str:
    """A value as a template prints it (localized when not text, escaped unless already safe)."""
    return conditional_escape(value if isinstance(value, str) else localize(value))


def _attrs(attrs: dict, skip: str = "") -> str:
    """``attrs.html``: ``name="value"``, a bare name for True, nothing for False."""
    out = []
    for name, value in attrs.items():
        if name == skip or value is False:
            continue
        out.append(f" {_text(name)}" if value is True else f' {_text(name)}="{_text(f"{value}")}"')
    return "".join(out)


def render_select(widget: dict) -> SafeString:
    attrs = widget["attrs"]
    css = "form-select" + (f" {_text(attrs['class'])}" if attrs.get("class") else "")
    out = [f'<select name="{_text(widget["name"])}" class="{css}"{_attrs(attrs, skip="class")}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            value = _text(f"{option['value']}")  # as ``stringformat:'s'`` (plain text, then escaped)
            out.append(f'\n  <option value="{value}"{_attrs(option["attrs"])}>{_text(option["label"])}</option>')
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return mark_safe("".join(out))  # every value above is escaped
