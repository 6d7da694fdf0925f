"""Spin boxes for numeric settings, with the ranges their declarations allow
(config/spec.py), so a form can never offer a value the settings refuse."""

from __future__ import annotations

from PySide6.QtWidgets import QDoubleSpinBox, QSpinBox

from desktop_app.config import SPEC_BY_KEY


def _range(key: str) -> tuple[float, float]:
    rule = SPEC_BY_KEY[key].rule
    assert rule.low is not None and rule.high is not None, f"{key} has a numeric range"
    return rule.low, rule.high


def int_box(key: str) -> QSpinBox:
    """A box for a whole-number setting, with the range its declaration allows."""
    low, high = _range(key)
    box = QSpinBox()
    box.setRange(int(low), int(high))
    box.setMaximumWidth(180)
    return box


def number_box(key: str, suffix: str = "") -> QDoubleSpinBox:
    """A box for a number setting, with the range its declaration allows."""
    low, high = _range(key)
    box = QDoubleSpinBox()
    box.setRange(low, high)
    box.setDecimals(2)
    box.setSuffix(suffix)
    box.setMaximumWidth(180)
    return box
