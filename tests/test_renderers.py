"""The select list written in Python (netralitas/renderers.py) against its template, character for
character: groups, a selected value, several selected, disabled options, attributes that are flags, a CSS
class of the form's own, numbers and dates as labels, and text that must be escaped."""

from datetime import date

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting

from netralitas.renderers import FormRenderer


class Disabling(forms.Select):
    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value == "b":
            option["attrs"]["disabled"] = True
        option["attrs"]["data-note"] = '<"x">'
        return option


CHOICES = [("", "Semua"), ("a", "Alfa & <Beta>"), ("b", "Dua")]
GROUPED = [("Kelompok <1>", [("1", "Satu"), ("2", "Dua")]), ("Lain", [("3", "Tiga")]), ("4", "Empat")]


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=CHOICES, required=False)
    required = forms.ChoiceField(choices=CHOICES, widget=forms.Select(attrs={"class": "w-auto", "autofocus": True}))
    grouped = forms.ChoiceField(choices=GROUPED)
    many = forms.MultipleChoiceField(choices=GROUPED)
    nullable = forms.NullBooleanField()
    numbers = forms.TypedChoiceField(choices=[(2024, 2024), (2029, 2029)], coerce=int)
    days = forms.ChoiceField(choices=[("x", date(2024, 11, 27))], required=False)
    disabled = forms.ChoiceField(choices=CHOICES, widget=Disabling(attrs={"hidden": False, "title": 'a "b"'}))
    off = forms.ChoiceField(choices=CHOICES, disabled=True)


@pytest.mark.parametrize(
    "data",
    [None, {"plain": "a", "required": "b", "grouped": "2", "many": ["1", "3"], "nullable": "true", "numbers": "2029"}],
)
@pytest.mark.parametrize("name", list(Everything.base_fields))
def test_a_select_is_written_as_its_template_writes_it(name, data):
    fast, reference = FormRenderer(), TemplatesSetting()
    form = Everything(data)
    field = form[name]
    written = field.field.widget.render(field.html_name, field.value(), field.build_widget_attrs({}), fast)
    templated = field.field.widget.render(field.html_name, field.value(), field.build_widget_attrs({}), reference)
    assert written == templated
    assert written.startswith("<select")


def test_the_site_renders_forms_with_it(settings):
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), FormRenderer)
    assert 'class="form-select"' in str(Everything()["plain"])
