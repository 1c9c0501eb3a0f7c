"""Counts the SQL queries of every request, baselines and package views alike, and times the
search engine's calls a request makes."""

import contextvars
import time

from django.db import connections

#: The engine calls of the request being served: [(wall seconds, the engine's took in ms)].
_engine_calls = contextvars.ContextVar("bench_engine_calls", default=None)
_wrapped = set()


def time_engine_searches():
    """Wrap the engine backends' one search call, once per process, so each request can say
    how long its engine searches took from here and by the engine's own ``took``."""
    from opengov_cms.search.backends import engine

    for backend in (engine.OpenSearchBackend, engine.ElasticsearchBackend):
        if backend in _wrapped:
            continue
        _wrapped.add(backend)
        original = backend._run_searches

        def run_searches(self, bodies, _original=original, **options):
            from bench.run import engine_took

            started = time.perf_counter()
            response = _original(self, bodies, **options)
            calls = _engine_calls.get()
            if calls is not None:
                calls.append((time.perf_counter() - started, engine_took(response)))
            return response

        backend._run_searches = run_searches


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        time_engine_searches()

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        calls = []
        token = _engine_calls.set(calls)
        try:
            with connections["default"].execute_wrapper(counter):
                response = self.get_response(request)
                if hasattr(response, "render") and not response.is_rendered:
                    response.render()
        finally:
            _engine_calls.reset(token)
        response["X-Bench-Queries"] = str(count)
        if calls:
            # Milliseconds: the engine calls as waited for here, and as the engine timed them.
            wall = sum(seconds for seconds, _took in calls) * 1000
            took = sum(took for _seconds, took in calls)
            response["X-Bench-Engine"] = f"{len(calls)};{wall:.2f};{took}"
        return response
