"""History made useful: rollups and retention, statistics, trends, usage
patterns, baselines, forecasts and threshold backtests (R11 to R14, R18)."""
