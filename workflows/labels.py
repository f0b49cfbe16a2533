"""Enums whose members carry the words people read: one style for the domain and the models.

A member is declared as ``NAME = "value", "Label"``; ``member.label`` is the label and
``Enum.choices()`` the (value, label) pairs a form offers.
"""

from __future__ import annotations

import enum


class LabelledEnum(enum.StrEnum):
    """A str enum whose members carry the words shown to people."""

    label: str

    def __new__(cls, value: str, label: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in cls]
