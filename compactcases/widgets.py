"""GOV.UK form widgets as the service uses them: the label kept as a fieldset's legend, and
each widget's HTML remembered for the parameters it was rendered from.

govuk-frontend-wtf takes a fieldset's legend from the field's label only when the template
passes no fieldset of its own; a template that styles the legend would lose the question. These
keep the label as the legend whatever the template adds.

Rendering a widget runs a whole Flask template render (context processors, the GOV.UK macro and
the attribute macros it imports for every option), which was about a third of the case list's
time. A widget's HTML depends only on its template and its parameters (the GOV.UK macros are
imported without the request's context), so the same parameters give the same HTML: a filter
form shows the same few selections over and over.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from markupsafe import Markup

# Parameters hold what people type, so the number of entries is bounded, and a widget holding
# a long text (a case summary being edited) is rendered afresh rather than kept.
CACHE_SIZE = 1024
LONGEST_TEXT = 1000


class _Uncacheable(Exception):
    """A parameter of a type whose HTML may not follow from its value alone."""


def _frozen(value: object) -> object:
    """A hashable key that tells apart everything the macro could render differently: order
    (attributes are written in order) and type (a Markup string is not escaped, a str is)."""
    if isinstance(value, dict):
        return ("dict", tuple((key, _frozen(item)) for key, item in value.items()))
    if isinstance(value, list | tuple):
        return ("list", tuple(_frozen(item) for item in value))
    if type(value) in (str, Markup) and len(value) > LONGEST_TEXT:
        raise _Uncacheable
    if value is None or type(value) in (bool, int, float, str, Markup):
        return (type(value).__name__, value)
    raise _Uncacheable


class _RenderedHTML:
    """A bounded, thread-safe least-recently-used map from (template, parameters) to HTML."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[tuple, Markup] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple) -> Markup | None:
        with self.lock:
            html = self.entries.get(key)
            if html is not None:
                self.entries.move_to_end(key)
            return html

    def put(self, key: tuple, html: Markup) -> None:
        with self.lock:
            self.entries[key] = html
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


rendered = _RenderedHTML(CACHE_SIZE)


class _RememberHTML:
    def render(self, params: dict) -> Markup:
        try:
            key = (self.template, _frozen(params))
        except _Uncacheable:
            return super().render(params)
        html = rendered.get(key)
        if html is None:
            html = super().render(params)
            rendered.put(key, html)
        return html


class _LegendFromLabel:
    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        legend = params.setdefault("fieldset", {}).setdefault("legend", {})
        if not legend.get("text") and not legend.get("html"):
            legend["text"] = field.label.text
        return params


class TextInput(_RememberHTML, GovTextInput):
    """A text box."""


class TextArea(_RememberHTML, GovTextArea):
    """A text area."""


class Select(_RememberHTML, GovSelect):
    """A select list."""


class SubmitInput(_RememberHTML, GovSubmitInput):
    """A button."""


class CheckboxInput(_RememberHTML, GovCheckboxInput):
    """A single checkbox."""


class RadioInput(_RememberHTML, _LegendFromLabel, GovRadioInput):
    """Radios with the field's label as their legend."""


class CheckboxesInput(_RememberHTML, _LegendFromLabel, GovCheckboxesInput):
    """Checkboxes with the field's label as their legend."""


class DateInput(_RememberHTML, _LegendFromLabel, GovDateInput):
    """Day, month and year boxes with the label as legend, that survive a request missing
    some of them."""

    def map_gov_params(self, field, **kwargs):
        if field.raw_data is not None and len(field.raw_data) != 3:
            field.raw_data = [*field.raw_data, "", "", ""][:3]
        return super().map_gov_params(field, **kwargs)
