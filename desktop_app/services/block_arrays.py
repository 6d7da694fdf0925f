"""A block's columns as numpy arrays (NaN where a sample has no value),
worked out once for all its readers: the alert engine and the exposition
each converted them before, 5 % of a columnar push's time between them."""

from __future__ import annotations

import numpy as np

from desktop_app.models.samples import SampleBlock

Arrays = tuple[np.ndarray, dict[str, np.ndarray]]


def arrays_of(block: SampleBlock) -> Arrays:
    """(times, {stored column: values}); safe from any thread (the same
    arrays whichever reader makes them first)."""
    found: Arrays | None = block.derived.get("arrays")
    if found is None:
        found = (
            np.asarray(block.times, dtype=float),
            {name: np.asarray(column, dtype=float) for name, column in block.values.items()},
        )
        block.derived["arrays"] = found
    return found
