"""Form fields the service's forms share: a sum of money read by the one money rule."""

from __future__ import annotations

from wtforms import Field

from workflows.money import MAX_FIGURE, FigureError, parse_pounds

from .widgets import TextInput


class MoneyField(Field):
    """Whole pounds typed as people type them ("£18,000", "18,000", "18000"), read by
    `workflows.money.parse_pounds`. Left blank it is None; what cannot be read is a field error
    naming `words`, and the page shows the text as it was typed."""

    widget = TextInput()
    maximum = MAX_FIGURE

    def __init__(self, label=None, validators=None, *, words: str = "the amount", **kwargs):
        super().__init__(label, validators, **kwargs)
        self.words = words

    def process_formdata(self, valuelist) -> None:
        if not valuelist:
            return
        try:
            self.data = parse_pounds(valuelist[0], self.words)
        except FigureError as error:
            self.data = None
            raise ValueError(error.message) from None

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return f"{self.data:,}" if isinstance(self.data, int) else ""
