"""settings.toml: written complete on first start, validated on every load."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from desktop_app.config import SPEC, SettingsFile, default_settings_text, parse_settings
from desktop_app.errors import SettingsError
from desktop_app.models.thresholds import ThresholdValues


def test_the_default_file_lists_every_setting_with_a_comment() -> None:
    text = default_settings_text()
    document = tomllib.loads(text)
    for spec in SPEC:
        assert spec.validate(document[spec.section][spec.key], "default") == spec.default
        assert f"# {spec.doc}" in text
    assert parse_settings(text, "x").thresholds == ThresholdValues()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[collection]\ninterval = 0.5\n",
            "x: collection.interval = 0.5 is not allowed: a number from 1 to 3600 seconds",
        ),
        ("[collection]\ninterval = 'fast'\n", "collection.interval = 'fast' is not allowed"),
        (
            "[collection]\nintervall = 5\n",
            "unknown setting collection.intervall; known keys in [collection]: interval",
        ),
        ("[thresholds]\ncpu_threshold = true\n", "thresholds.cpu_threshold = True is not allowed"),
        (
            "[storage]\nsynchronous = 'off'\n",
            'storage.synchronous = \'off\' is not allowed: one of "normal", "full"',
        ),
        (
            "[thresholds]\nmemory_threshold = 90\nmemory_critical_threshold = 80\n",
            "memory_critical_threshold = 80 is below memory_threshold = 90",
        ),
        ("[thresholds.plugins.app]\ncpu = 5\n", "unknown threshold thresholds.plugins.app.cpu"),
        (
            "[thresholds.plugins.app]\ncpu_threshold = 500\n",
            "[thresholds.plugins.app]: thresholds.cpu_threshold = 500 is not allowed",
        ),
        (
            "[analytics]\ntimezone = 'Mars/Olympus'\n",
            "analytics.timezone = 'Mars/Olympus' is not allowed: an IANA time zone name",
        ),
        (
            "[storage]\nraw_retention_days = 0\n",
            "storage.raw_retention_days = 0 is not allowed: a whole number from 1 to 3650",
        ),
        ("interval = 5\n", "interval must be a [section]"),
        ("[collection\ninterval = 5\n", "x: not valid TOML"),
    ],
)
def test_wrong_values_name_the_key_the_value_and_what_is_allowed(text: str, message: str) -> None:
    with pytest.raises(SettingsError) as error:
        parse_settings(text, "x")
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_a_partial_file_takes_defaults_for_the_rest() -> None:
    settings = parse_settings("[collection]\ninterval = 1\n", "x")
    assert settings.collection_interval == 1.0
    assert settings.thresholds.cpu_threshold == 80.0
    assert settings.throttle_seconds == 300.0
    assert settings.retention.raw_retention_days == 30
    assert settings.timezone == ""


def test_set_value_keeps_comments_and_replaces_the_file_atomically(tmp_path: Path) -> None:
    settings = SettingsFile(tmp_path / "settings.toml")
    settings.ensure_exists()
    settings.apply([(("collection", "interval"), 5.0)])
    settings.apply(
        [(("thresholds", "plugins", "app", "cpu_threshold"), 60.0)],
        [("thresholds", "plugins", "app", "not_there")],
    )
    text = settings.path.read_text()
    assert "# Seconds between two collections" in text
    loaded = settings.load()
    assert loaded.collection_interval == 5.0
    assert loaded.plugin_thresholds == {"app": {"cpu_threshold": 60.0}}
    assert [p.name for p in tmp_path.iterdir()] == ["settings.toml"]


def test_ensure_exists_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("[collection]\ninterval = 7\n")
    SettingsFile(path).ensure_exists()
    assert path.read_text() == "[collection]\ninterval = 7\n"
