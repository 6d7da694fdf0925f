"""A Plugin Monitor on another machine, for the console (no Qt)."""
