"""Plugin Monitor: a monitoring console for operators of plugin-based applications."""

__version__ = "0.1.0"
