"""GOV.UK form widgets as the service uses them.

govuk-frontend-wtf takes a fieldset's legend from the field's label only when the template
passes no fieldset of its own; a template that styles the legend would lose the question. These
keep the label as the legend whatever the template adds.
"""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovDateInput, GovRadioInput


class _LegendFromLabel:
    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        legend = params.setdefault("fieldset", {}).setdefault("legend", {})
        if not legend.get("text") and not legend.get("html"):
            legend["text"] = field.label.text
        return params


class RadioInput(_LegendFromLabel, GovRadioInput):
    """Radios with the field's label as their legend."""


class CheckboxesInput(_LegendFromLabel, GovCheckboxesInput):
    """Checkboxes with the field's label as their legend."""


class DateInput(_LegendFromLabel, GovDateInput):
    """Day, month and year boxes with the label as legend, that survive a request missing
    some of them."""

    def map_gov_params(self, field, **kwargs):
        if field.raw_data is not None and len(field.raw_data) != 3:
            field.raw_data = [*field.raw_data, "", "", ""][:3]
        return super().map_gov_params(field, **kwargs)
