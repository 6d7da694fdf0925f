"""Collectors: small self-describing sources of samples, run on a schedule."""
