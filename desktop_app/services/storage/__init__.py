"""SQLite through SQLAlchemy: opening and migrating, the single writer, reads."""
