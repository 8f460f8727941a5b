"""``python -m msrelax_stats``: the command-line interface."""

from msrelax_stats.cli import main

raise SystemExit(main())
