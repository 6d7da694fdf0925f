"""`python -m desktop_app` runs the same command line as `plugin-monitor`."""

from desktop_app.cli import main

raise SystemExit(main())
