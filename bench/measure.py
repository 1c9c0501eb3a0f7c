"""Measuring: latency percentiles, memory, a gunicorn server on loopback and a bounded
HTTP load generator (threads, one keep-alive connection each)."""

import http.client
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def rss_bytes(pid="self"):
    try:
        with open(f"/proc/{pid}/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (FileNotFoundError, ProcessLookupError):
        return 0


def peak_rss_bytes(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def summary(latencies, elapsed=None, queries=None, errors=0):
    """Milliseconds; throughput in requests per second of wall time."""
    ms = [value * 1000 for value in latencies]
    result = {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 50), 3) if ms else None,
        "p95_ms": round(percentile(ms, 95), 3) if ms else None,
        "p99_ms": round(percentile(ms, 99), 3) if ms else None,
        "mean_ms": round(statistics.fmean(ms), 3) if ms else None,
        "errors": errors,
    }
    if elapsed:
        result["throughput_per_s"] = round(len(ms) / elapsed, 1)
    if queries is not None:
        result["queries_per_request"] = max(queries) if queries else None
    return result


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn serving the benchmark site on loopback with ``workers`` sync workers."""

    #: How long the server may take to answer after it starts.
    START_SECONDS = 300

    def __init__(self, env, workers=2, log=None, warm_paths=()):
        # Each worker serves ``warm_paths`` once as it starts (bench/wsgi.py), so that no
        # measured request pays for filling its process's caches.
        self.env = {
            **os.environ,
            **env,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "BENCH_WARM_PATHS": "\n".join(warm_paths),
        }
        self.ready = None
        self.workers = workers
        self.port = free_port()
        self.log = log
        self.process = None

    def __enter__(self):
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "bench.wsgi:application",
            f"--bind={HOST}:{self.port}",
            f"--workers={self.workers}",
            "--worker-class=sync",
            "--timeout=120",
            "--keep-alive=30",
            "--log-level=warning",
            f"--chdir={ROOT}",
        ]
        stream = open(self.log, "ab") if self.log else subprocess.DEVNULL
        # Each worker leaves a file here once warm (bench/wsgi.py).
        self.ready = Path(tempfile.mkdtemp(prefix="opengov-bench-ready-"))
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**self.env, "BENCH_READY_DIR": str(self.ready)},
            stdout=stream,
            stderr=stream,
        )
        try:
            self.wait_until_warm()
        except BaseException:
            self.__exit__()  # no server or folder is left behind by a start that failed
            raise
        return self

    def wait_until_warm(self):
        # Each process serves its warm-up pages before it answers: on a large site that is
        # several seconds of work for each of them at once.
        deadline = time.monotonic() + self.START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited with {self.process.returncode}; see {self.log}"
                )
            # All workers warm, not only the first to answer: one still starting takes CPU
            # from the measured requests.
            if len(list(self.ready.iterdir())) >= self.workers:
                try:
                    status, _headers, _body = Client(self.port).get("/bench/insert/")
                    if status == 405:
                        break
                except OSError:
                    pass
            time.sleep(0.2)
        else:
            warm = len(list(self.ready.iterdir()))
            raise RuntimeError(
                f"gunicorn had {warm} of {self.workers} workers warm and answering after "
                f"{self.START_SECONDS} s; see {self.log}"
            )

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.ready, ignore_errors=True)

    def worker_pids(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except FileNotFoundError:
            return []

    def peak_memory(self):
        """The highest peak resident size of any worker so far."""
        return max((peak_rss_bytes(pid) for pid in self.worker_pids()), default=0)


class Client:
    """One keep-alive HTTP/1.1 connection to the server, with a cookie jar."""

    def __init__(self, port):
        self.port = port
        self.connection = http.client.HTTPConnection(HOST, port, timeout=60)
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                payload = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle keep-alive connection; open a new one once.
                self.connection.close()
                self.connection = http.client.HTTPConnection(HOST, self.port, timeout=60)
                if attempt:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, dict(response.getheaders()), payload

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def post(self, path, fields, headers=None):
        body = urlencode(fields).encode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://{HOST}:{self.port}{path}",
            **(headers or {}),
        }
        return self.request("POST", path, body=body, headers=headers)


def timed(client, path, expect=200):
    started = time.perf_counter()
    status, headers, body = client.get(path)
    elapsed = time.perf_counter() - started
    queries = int(headers.get("X-Bench-Queries", "-1"))
    return elapsed, status == expect, queries, body


def paired(port, subject_paths, baseline_paths, requests, warmup=5):
    """Subject and baseline requests taken in turns on one connection each, so a noisy
    neighbour on the machine slows both alike. Returns (subject, baseline) summaries.

    With several paths each summary also has ``first_views`` and ``repeat_views``: a
    page's first view may make what its later views reuse (kept parts in the cache), and
    a page read a few times by the benchmark is read many times by its visitors."""
    subject, baseline = Client(port), Client(port)
    # Queries by path, the fewest seen: a worker's first request fills Wagtail's caches
    # (site root paths, content types) once, which is not what a request costs.
    runs = {"subject": ([], {}, [0], [], []), "baseline": ([], {}, [0], [], [])}
    seen = {"subject": set(), "baseline": set()}
    sides = (("subject", subject, subject_paths), ("baseline", baseline, baseline_paths))
    for n in range(warmup):
        for name, client, paths in sides:
            path = paths[n % len(paths)]
            timed(client, path)
            seen[name].add(path)
    started = time.perf_counter()
    for n in range(requests):
        for name, client, paths in sides:
            path = paths[n % len(paths)]
            elapsed, ok, queries, _body = timed(client, path)
            latencies, counts, errors, first, repeat = runs[name]
            latencies.append(elapsed)
            (repeat if path in seen[name] else first).append(elapsed)
            seen[name].add(path)
            counts[path] = min(queries, counts.get(path, queries))
            errors[0] += 0 if ok else 1
    elapsed = time.perf_counter() - started
    results = []
    for latencies, counts, errors, first, repeat in runs.values():
        result = summary(latencies, elapsed / 2, list(counts.values()), errors[0])
        if len(subject_paths) > 1:
            result["first_views"] = summary(first)
            result["repeat_views"] = summary(repeat)
        results.append(result)
    return tuple(results)


def load(port, make_request, total, concurrency, time_limit):
    """``total`` requests from ``concurrency`` threads, stopping at ``time_limit`` seconds
    whatever is left. ``make_request(client, n)`` returns True on success."""
    lock = threading.Lock()
    issued = [0]
    latencies, failures = [], [0]
    deadline = time.monotonic() + time_limit

    def worker():
        client = Client(port)
        while True:
            with lock:
                if issued[0] >= total or time.monotonic() > deadline:
                    return
                n = issued[0]
                issued[0] += 1
            started = time.perf_counter()
            try:
                ok = make_request(client, n)
            except OSError:
                ok = False
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                failures[0] += 0 if ok else 1

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return summary(latencies, elapsed, None, failures[0])
