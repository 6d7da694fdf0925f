"""The operator's time zone: the setting wins, else this computer's zone."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from desktop_app.models.plugins import PluginSource
from desktop_app.services.analytics.timezones import operator_timezone
from desktop_app.services.runtime import PluginMonitor
from tests.helpers import NO_API


def test_a_named_zone_keeps_its_daylight_saving_rules() -> None:
    berlin = operator_timezone("Europe/Berlin")
    assert datetime(2026, 1, 15, tzinfo=berlin).utcoffset().total_seconds() == 3600  # type: ignore[union-attr]
    assert datetime(2026, 7, 15, tzinfo=berlin).utcoffset().total_seconds() == 7200  # type: ignore[union-attr]


def test_without_a_setting_the_systems_zone_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    operator_timezone.cache_clear()
    try:
        assert str(operator_timezone("")) == "America/New_York"
    finally:
        operator_timezone.cache_clear()


def test_the_setting_reaches_the_usage_patterns(data_dir: Path) -> None:
    (data_dir / "config").mkdir(parents=True)
    (data_dir / "config" / "settings.toml").write_text('[analytics]\ntimezone = "Asia/Seoul"\n')
    monitor = PluginMonitor.open(data_dir, collectors=[], api=NO_API)
    monitor.start(monitoring=False)
    try:
        monitor.registry.register("app", "app", PluginSource.API)
        plugin_id = monitor.registry.id_for("app")
        assert plugin_id is not None
        patterns = monitor.analytics.usage_patterns(plugin_id, days=1, now=1.8e9)
        assert patterns["timezone"] == "Asia/Seoul"
    finally:
        monitor.stop()
