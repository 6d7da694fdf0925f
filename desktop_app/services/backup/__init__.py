"""Backups (R19): online copies of the database and the config folder, one
archive each, on a schedule and on demand, pruned by a keep policy."""
