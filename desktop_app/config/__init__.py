"""Settings: `config/settings.toml` in the data folder, validated on load.

Every setting is declared once in `SPEC`; the first start writes the file with
every setting present, commented and at its default, and every later read or
runtime change is checked against the same declaration, so an error always
names the key, the value and what is allowed.
"""

from desktop_app.config.file import SettingsFile, digest
from desktop_app.config.rules import Rule
from desktop_app.config.settings import (
    ApiSettings,
    BackupSettings,
    ConsoleSettings,
    RetentionSettings,
    SecuritySettings,
    Settings,
    SupervisorSettings,
    default_settings_text,
    flatten,
    from_values,
    parse_settings,
)
from desktop_app.config.spec import (
    SPEC,
    SPEC_BY_KEY,
    THRESHOLD_DOCS,
    THRESHOLD_SPECS,
    SettingSpec,
    check_threshold_order,
)

__all__ = [
    "SPEC",
    "SPEC_BY_KEY",
    "THRESHOLD_DOCS",
    "THRESHOLD_SPECS",
    "ApiSettings",
    "BackupSettings",
    "ConsoleSettings",
    "RetentionSettings",
    "Rule",
    "SecuritySettings",
    "SettingSpec",
    "Settings",
    "SettingsFile",
    "SupervisorSettings",
    "check_threshold_order",
    "default_settings_text",
    "digest",
    "flatten",
    "from_values",
    "parse_settings",
]
