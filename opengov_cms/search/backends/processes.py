"""Analysing a rebuild's batches in processes of their own, beside the one reading the pages.

A rebuild is CPU work in Python on both sides of each batch: reading pages into documents,
and analysing the documents into index sources (bigrams, jieba words, JSON). One process
can only do one at a time. Forked analysis processes take the second part onto the
machine's other cores, while the rebuilding process reads the next pages and sends the
finished batches.

The processes are forked from the rebuilding process when the rebuild starts, with the
site's term dictionary already loaded, and keep that dictionary until the rebuild ends:
they never touch the database. Where processes cannot be forked (a platform without
``fork``, a process that may not have children) the batches are analysed in the rebuilding
process, as with ``processes=0``.
"""

import logging
import multiprocessing
import warnings
from concurrent.futures import Future, ProcessPoolExecutor

from opengov_cms.search import analysis

logger = logging.getLogger(__name__)

# The database connections a forked process was given by its parent: kept, never used and
# never closed, since closing one would end the parent's session on the server.
_INHERITED_CONNECTIONS = []


def _start_analysis_process():
    from django.db import connections

    analysis.keep_terms()
    for connection in connections.all(initialized_only=True):
        _INHERITED_CONNECTIONS.append(connection.connection)
        connection.connection = None


def _ready():
    return True


class BatchAnalysis:
    """Runs ``function(*args)`` for each batch in ``processes`` forked processes, or in the
    calling process. ``submit`` returns a future either way; use it as a context manager."""

    def __init__(self, processes):
        self.pool = None
        if processes > 0 and "fork" in multiprocessing.get_all_start_methods():
            # The dictionary the processes analyse with is the one loaded now.
            analysis.load_terms()
            try:
                with warnings.catch_warnings():
                    # Python 3.12+ warns about forking a process that has threads. The
                    # analysis processes take no lock a thread of the parent may hold at the
                    # fork (jieba's is made again in each child) and never use the parent's
                    # connections.
                    warnings.filterwarnings("ignore", "This process .* use of fork", Warning)
                    self.pool = ProcessPoolExecutor(
                        max_workers=processes,
                        mp_context=multiprocessing.get_context("fork"),
                        initializer=_start_analysis_process,
                    )
                    self.pool.submit(_ready).result()
            except Exception as error:  # any failure to start: analyse here instead
                logger.warning(
                    "search rebuild: analysing in the rebuilding process, since analysis "
                    "processes could not be started (%s)",
                    error,
                )
                self.close(cancel=True)
        self.processes = processes if self.pool is not None else 0

    def submit(self, function, *args):
        if self.pool is not None:
            return self.pool.submit(function, *args)
        future = Future()
        future.set_result(function(*args))
        return future

    def close(self, cancel=False):
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=cancel)
            self.pool = None

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, traceback):
        self.close(cancel=exc_type is not None)
