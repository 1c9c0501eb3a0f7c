"""The benchmark harness runs end to end on SQLite at a tiny size, twice, and reports every
scenario beside its baseline, with the same queries per request at both sizes."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGE_SCENARIOS = (
    "detail",
    "listing_first",
    "listing_deep",
    "cached_detail",
    "cached_listing",
    "search_database",
)
LOAD_SCENARIOS = ("request_form",)


def run_bench(tmp_path, size, sittings=(), engine=""):
    """One run; with ``sittings``, loaded first and then resumed once for each list of
    parts, and once more for the rest; with ``engine`` (its URL), the engine part too."""
    output = tmp_path / f"sqlite-{size}.json"
    env = {
        **os.environ,
        "BENCH_REDIS_URL": os.environ.get("OPENGOV_TEST_REDIS_URL", ""),
        "PYTHONPATH": str(ROOT),
    }
    if engine:
        env["BENCH_OPENSEARCH_URL"] = engine
    env.pop("DJANGO_SETTINGS_MODULE", None)

    def bench(*arguments):
        done = subprocess.run(
            [sys.executable, "-m", "bench.run", *arguments],
            cwd=ROOT,
            env=env,
            timeout=900,
            capture_output=True,
            text=True,
        )
        # The run's own log says where it stopped.
        assert done.returncode == 0, done.stderr[-4000:]
        return done.stderr

    arguments = ["--database=sqlite", f"--size={size}", "--requests=6", "--sample=4"]
    arguments += ["--submissions=6", "--concurrency=2", "--workers=2", "--load-seconds=20"]
    arguments += [f"--output={output}"] + ([] if engine else ["--no-engine"])
    if not sittings:
        bench(*arguments)
        return json.loads(output.read_text())
    # Options given when loading hold for every later sitting.
    log = bench(*arguments, "--load-only", "--no-admin-index")
    folder = re.search(r"--resume (\S+)", log).group(1)
    for phases in sittings:
        log = bench("--resume", folder, f"--phases={','.join(phases)}")
        assert not output.exists(), "a run is written out only when every part is measured"
        assert f"--resume {folder}" in log
    bench("--resume", folder)
    assert not Path(folder).exists(), "a finished run removes what it kept"
    return json.loads(output.read_text())


@pytest.mark.slow
def test_the_harness_measures_every_scenario_against_its_baseline(tmp_path):
    pytest.importorskip("gunicorn", reason="the bench extra is not installed")
    # The small site is loaded, then measured in three sittings, as a 1M run is.
    small = run_bench(tmp_path, 80, sittings=[("bulk", "index")])
    # In one sitting the engine part comes before the pages part, whose pages its server
    # serves as it starts.
    engine = os.environ.get("OPENGOV_TEST_OPENSEARCH_URL", "")
    large = run_bench(tmp_path, 160, engine=engine)
    if engine:
        assert large["scenarios"]["indexing_engine"]["documents"] >= 160
        search = large["scenarios"]["search_engine"]
        assert search["subject"]["n"] > 0 and search["subject"]["errors"] == 0
        # The server said how long each page's engine call took, and the engine's took:
        # one call per page, inside the page's time, and not shorter than its took.
        call, outside = search["engine_call"], search["engine_call_outside_took"]
        assert call["n"] == search["subject"]["n"] == outside["n"]
        assert 0 < call["p50_ms"] < search["subject"]["p50_ms"]
        assert outside["p50_ms"] >= 0 and search["page_without_engine_call"]["p50_ms"] > 0
        assert {"公开 [year=2019]", "资金 [topic=应急管理]"} <= set(search["per_query"])
    # --no-admin-index, given when the small site was loaded, held when it was indexed.
    assert small["scenarios"]["indexing_database"]["admin_index_seconds"] is None
    assert large["scenarios"]["indexing_database"]["admin_index_seconds"] > 0
    assert [sitting["phases"] for sitting in small["resumed"]] == [
        ["bulk", "index"],
        ["pages", "statistics"],
    ]
    for result in (small, large):
        scenarios = result["scenarios"]
        assert result["machine"]["cpu"]
        for name in PAGE_SCENARIOS + LOAD_SCENARIOS:
            scenario = scenarios[name]
            assert scenario["subject"]["n"] > 0 and scenario["baseline"]["n"] > 0, name
            assert scenario["ratio"] is not None and scenario["ratio"] > 0, name
            assert scenario["subject"]["errors"] == 0, name
            assert scenario["baseline"]["errors"] == 0, name
        # Each detail page's first view is told apart from its repeat views.
        detail = scenarios["detail"]["subject"]
        assert detail["first_views"]["n"] + detail["repeat_views"]["n"] == detail["n"]
        assert detail["repeat_views"]["n"] > 0 and scenarios["detail"]["repeat_views_ratio"] > 0
        # Every submission made a request; the baseline view only inserted rows.
        assert scenarios["request_form"]["subject"]["throughput_per_s"] > 0
        # Searches narrowed by a facet are measured beside the plain ones.
        narrowed = {"公开 [year=2019]", "资金 [topic=应急管理]"}
        assert narrowed <= set(scenarios["search_database"]["per_query"])
        # The section list counts nothing; a deep page is read by its cursor.
        assert scenarios["listing_first"]["count_queries"] == 0
        assert scenarios["listing_deep"]["deep_vs_first"] > 0
        bulk = scenarios["bulk_import"]
        assert bulk["add_child_rate_per_s"] > 0 and bulk["ratio_vs_add_child"] > 0
        assert scenarios["indexing_database"]["documents"] >= result["size"]
        assert scenarios["indexing_database"]["ratio"] > 0
        for period in ("quarterly", "annual"):
            statistics = scenarios["statistics"][period]
            assert statistics["baseline"]["n"] > 0
            assert statistics["subject"]["queries_per_request"] >= 1
    # Queries per request do not grow with the data.
    for name in ("detail", "listing_first", "listing_deep", "search_database"):
        assert (
            small["scenarios"][name]["subject"]["queries_per_request"]
            == large["scenarios"][name]["subject"]["queries_per_request"]
        ), name
    for period in ("quarterly", "annual"):
        assert (
            small["scenarios"]["statistics"][period]["subject"]["queries_per_request"]
            == large["scenarios"]["statistics"][period]["subject"]["queries_per_request"]
        )


@pytest.mark.parametrize(
    "arguments, state, message",
    [
        (["--phases=pages"], None, "--phases goes with --resume"),
        (["--resume", "{folder}", "--phases=pages,charts"], "{}", "unknown phase charts"),
        (["--resume", "{folder}"], None, "does not exist: --resume takes the folder"),
        (["--resume", "{folder}"], '{"args": {', "is not a saved run (Expecting"),
        (["--resume", "{folder}"], '{"args": {}}', "is not a saved run (it needs"),
        (
            ["--resume", "{folder}", "--phases=engine,pages"],
            '{"args": {}, "results": {}, "env": {}, "done": ["bulk"]}',
            "needs the database index: measure it first (--phases index,pages)",
        ),
        (["--earlier", "{folder}/earlier.json"], None, "--earlier goes with --resume and"),
        (
            ["--resume", "{folder}", "--phases=pages", "--earlier", "{folder}/earlier.json"],
            None,
            "earlier.json does not exist",
        ),
    ],
)
def test_the_command_refuses_what_it_cannot_resume(tmp_path, capsys, arguments, state, message):
    from bench.run import main

    if state is not None:
        (tmp_path / "state.json").write_text(state)
    with pytest.raises(SystemExit) as stopped:
        main([argument.format(folder=tmp_path) for argument in arguments])
    assert stopped.value.code == 2
    assert message in capsys.readouterr().err


def run_finished_with(results):
    """A run of 1,000 documents on PostgreSQL holding ``results``, to be finished with an
    earlier run's figures (``Run.take_earlier``)."""
    from types import SimpleNamespace

    from bench.run import Run

    return SimpleNamespace(
        size=1000,
        args=SimpleNamespace(database="postgres"),
        PHASES=Run.PHASES,
        PHASE_SCENARIOS=Run.PHASE_SCENARIOS,
        results=results,
    )


def test_a_run_finished_with_an_earlier_runs_figures(tmp_path):
    """A 1M run measured only in the parts a change needs takes the other parts' figures
    from the earlier run, and the report says which figures are whose."""
    from types import SimpleNamespace

    from bench import report
    from bench.run import Run

    earlier = {
        "size": 1000,
        "database": "postgres",
        "started": "2026-11-29T02:13:46+00:00",
        "machine": {"commit": "511d9d5"},
        "load": {"documents": {"seconds": 9.0}},
        "resumed": [
            {"commit": "511d9d5", "phases": ["bulk", "index", "engine"]},
            {"commit": "68056b7", "phases": ["pages", "statistics"]},
        ],
        "scenarios": {
            "bulk_import": {"bulk_rate_per_s": 1.0},
            "statistics": {"quarterly": {}},
            "search_database": {"old": True},
        },
    }
    path = tmp_path / "earlier.json"
    path.write_text(json.dumps(earlier))
    run = run_finished_with(
        {
            "machine": {"commit": "abc1234"},
            "resumed": [{"commit": "abc1234", "phases": ["index", "engine", "pages"]}],
            "scenarios": {"search_database": {"new": True}},
        },
    )
    Run.take_earlier(run, path, ["bulk", "statistics"])
    scenarios = run.results["scenarios"]
    assert scenarios["bulk_import"] == {"bulk_rate_per_s": 1.0}
    assert scenarios["statistics"] == {"quarterly": {}}
    assert scenarios["search_database"] == {"new": True}, "a part measured now is kept"
    assert run.results["load"] == earlier["load"]
    assert report.commits({**run.results, "name": "postgres-1000"}) == (
        "(`abc1234`: index, engine, pages; `511d9d5`: bulk, from the run of 2026-11-29; "
        "`68056b7`: statistics, from the run of 2026-11-29)"
    )
    other = SimpleNamespace(**{**vars(run), "size": 10})
    with pytest.raises(SystemExit, match="is not a run of postgres at 10"):
        Run.take_earlier(other, path, ["bulk"])
    with pytest.raises(SystemExit, match="no figures for the engine part"):
        Run.take_earlier(run, path, ["engine"])


def test_figures_taken_twice_keep_the_time_they_were_measured_at(tmp_path):
    """A run finished with figures an earlier run had itself taken, or measured in a later
    sitting, says when they were measured, so the report does not compare them with a
    10k run of another day."""
    from bench import report
    from bench.run import Run

    earlier = {
        "size": 1000,
        "database": "postgres",
        "started": "2026-12-06T23:39:01+00:00",
        "machine": {"commit": "4f5c534"},
        "resumed": [
            {"commit": "4f5c534", "phases": ["index"], "at": "2026-12-07T00:20:42+00:00"},
            {"commit": "dfa9c09", "phases": ["engine"], "earlier_run": "2026-12-06T17:47:55+00:00"},
            {"commit": "4f5c534", "phases": ["pages"], "at": "2026-12-07T01:36:20+00:00"},
        ],
        "scenarios": {"search_engine": {"per_query": {}}, "search_database": {"old": True}},
    }
    path = tmp_path / "earlier.json"
    path.write_text(json.dumps(earlier))
    run = run_finished_with(
        {
            "started": earlier["started"],
            "resumed": [
                {"commit": "4f5c534", "phases": ["pages"], "at": "2026-12-07T01:44:00+00:00"}
            ],
            "scenarios": {"search_database": {"new": True}},
        },
    )
    Run.take_earlier(run, path, ["engine"])
    assert run.results["resumed"][-1] == {
        "commit": "dfa9c09",
        "phases": ["engine"],
        "earlier_run": "2026-12-06T17:47:55+00:00",
    }
    assert report.measured_at(run.results, "engine").isoformat() == "2026-12-06T17:47:55+00:00"
    assert report.measured_at(run.results, "pages").isoformat() == "2026-12-07T01:44:00+00:00"


def test_the_report_names_a_run_it_does_not_have(monkeypatch, tmp_path, capsys):
    from bench import report

    monkeypatch.setattr(report, "RESULTS", tmp_path)
    with pytest.raises(SystemExit) as stopped:
        report.main([])
    assert stopped.value.code == 2
    assert "no results in" in capsys.readouterr().err
    (tmp_path / "sqlite-10000.json").write_text("{}")
    with pytest.raises(SystemExit) as stopped:
        report.main(["sqlite-1000"])
    assert stopped.value.code == 2
    error = capsys.readouterr().err
    assert "no results named sqlite-1000" in error and "(there are: sqlite-10000)" in error


def test_the_report_names_the_machine_of_each_run():
    """Times from different machines do not compare: the report says which run was made on
    which."""
    from bench import report

    def run(name, cpu):
        machine = {"cpu": cpu, "cores": 2, "python": "3.11", "django": "5.2", "wagtail": "8.0"}
        machine.update(platform="Linux", memory="Mem: 24105", commit="abc1234")
        return {"name": name, "machine": machine}

    same = report.machine_block([run("sqlite-10000", "AMD EPYC"), run("pg-10000", "AMD EPYC")])
    assert "- CPU: AMD EPYC, 2 cores" in same
    mixed = report.machine_block([run("sqlite-10000", "AMD EPYC"), run("pg-10000", "Xeon")])
    assert "    - AMD EPYC, 2 cores: sqlite-10000\n" in mixed
    assert "    - Xeon, 2 cores: pg-10000\n" in mixed


def test_the_report_compares_searches_only_of_runs_measured_the_same_hours():
    """The machine's speed moves within a day: a query's p95 at 1M is set beside its p95 at
    10k only when both were measured within COMPARABLE_HOURS of each other, by the sitting
    that measured them or the earlier run they were taken from."""
    from bench import report

    def run(size, started, p95, resumed=None):
        return {
            "database": "postgres",
            "size": size,
            "started": started,
            "search_version": 2,
            "resumed": resumed or [],
            "scenarios": {
                "search_database": {
                    "per_query": {"公开": {"p95_ms": p95}},
                    "subject": {"p95_ms": p95},
                },
                "listing_first": {"subject": {"p95_ms": 20.0}},
            },
        }

    small = run(10_000, "2026-12-06T08:47:00+00:00", 20.0)
    # Loaded at dawn, its pages measured an hour after the small run.
    late = [{"commit": "abc1234", "phases": ["pages"], "at": "2026-12-06T09:40:00+00:00"}]
    large = run(1_000_000, "2026-12-06T04:26:00+00:00", 50.0, late)
    assert "| 2.50 | missed |" in report.scaling_table([small, large])
    # Its pages from an earlier run of the morning: not compared.
    earlier = [
        {"commit": "abc1234", "phases": ["pages"], "earlier_run": "2026-12-06T04:26:00+00:00"}
    ]
    large = run(1_000_000, "2026-12-06T08:00:00+00:00", 50.0, earlier)
    assert "| 2.50 | not compared: measured 4.3 h apart |" in report.scaling_table([small, large])
