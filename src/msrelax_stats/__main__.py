"""``python -m msrelax_stats``: the command-line interface."""

import atexit
import os
import sys

from msrelax_stats.cli import main

status = main()  # an exception (a usage error's SystemExit included) ends the usual way
# The command is over: every file it wrote is closed and every process it forked reaped. The
# exit handlers run and the output is flushed as at any exit; then the process ends without
# the interpreter's teardown, which frees the million objects of pandas, scipy and
# matplotlib one by one for nothing (about 0.07 s of each run on the sample study).
atexit._run_exitfuncs()
for stream in (sys.stdout, sys.stderr):
    try:
        stream.flush()
    except (OSError, ValueError):  # a closed pipe (``| head``), a closed stream
        pass
os._exit(0 if status is None else int(status))
