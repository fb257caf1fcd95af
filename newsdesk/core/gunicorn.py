"""gunicorn's hooks for `newsdesk web` (its --config): the metrics its processes share.

`newsdesk web` gives each start a folder of its own in PROMETHEUS_MULTIPROC_DIR,
prometheus-client's variable, which it sets for gunicorn and its processes; a
scrape of any process adds up the files of all of them (core/metrics.py).
"""

import os
import shutil

from prometheus_client import multiprocess


def child_exit(server, worker):
    """A process that ended keeps its counts; its live gauges go with it."""
    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
