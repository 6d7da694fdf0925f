"""The frozen application's entry point: the same command line as `plugin-monitor`.

`freeze_support()` first: the backtest pool starts its workers with `spawn`,
and in a bundle each worker is this executable again, which must run the
worker instead of a second console.
"""

import multiprocessing

from desktop_app.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    raise SystemExit(main())
