"""Plain domain types and the SQLAlchemy tables. Nothing here imports Qt."""
