"""The monitoring core. Nothing here imports Qt: the headless service and the
desktop console share it."""
