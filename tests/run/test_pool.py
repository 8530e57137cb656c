"""pool.py: the process pool over files gives the in-process results, in input order.

One file that crashes its reader (an exception, or a worker that dies) costs only that file.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from antq_cli.cli.app import app
from antq_cli.forms import load_forms
from antq_cli.model import ACCEPTED, REJECTED, AntqError
from antq_cli.outputs.report import merge_dict
from antq_cli.run import one_file, pool
from antq_cli.run.files import LateRegistry, find_files, read_files
from antq_cli.run.merge import merge_files, validate_files
from antq_cli.settings import RunSettings
from antq_cli.units.registry import load_registry

ROOT = Path(__file__).resolve().parents[2]


def _corpus_module():
    spec = importlib.util.spec_from_file_location("antq_bench_corpus", ROOT / "benchmarks" / "corpus.py")
    module = sys.modules[spec.name] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def country(tmp_path_factory):
    """Twelve generated communes (benchmarks/corpus.py: real layouts, both forms each)."""
    folder, registry = _corpus_module().build(12, seed=7, root=tmp_path_factory.mktemp("corpus"),
                                              processes=1, say=lambda _: None)
    return find_files(folder), registry


@pytest.fixture(scope="module")
def forms():
    return load_forms()


def _merge(paths, forms, registry_path, jobs, progress=None):
    registry = load_registry(registry_path)
    return merge_dict(merge_files(paths, forms, registry, progress=progress,
                                  settings=RunSettings(jobs=jobs)), "vi")


def test_two_processes_give_exactly_the_in_process_result(country, forms):
    paths, registry = country
    alone = _merge(paths, forms, registry, jobs=1)
    assert [f["status"] for f in alone["files"]] == [ACCEPTED] * len(paths)
    assert alone["totals"]["households"] > 0
    assert _merge(paths, forms, registry, jobs=2) == alone


def test_progress_is_reported_per_file_in_input_order(country, forms):
    paths, registry = country
    seen: list[str] = []
    _merge(paths, forms, registry, jobs=2, progress=seen.append)
    assert seen == [str(p) for p in paths]


def _raising_on(victim: Path):
    real = one_file.read_submission

    def read(path, forms, settings, root=None):
        if Path(path) == victim:
            raise RuntimeError("calamine went wrong")
        return real(path, forms, settings, root)
    return read


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_exception_reading_one_file_rejects_that_file_only(country, forms, monkeypatch, jobs):
    paths, registry = country
    before = _merge(paths, forms, registry, jobs=1)
    victim = paths[4]
    monkeypatch.setattr(one_file, "read_submission", _raising_on(victim))  # forked workers too
    after = _merge(paths, forms, registry, jobs=jobs)
    broken = [f for f in after["files"] if f["path"] == str(victim)][0]
    assert broken["status"] == REJECTED
    assert [p["code"] for p in broken["problems"]] == ["unreadable-file"]
    assert "RuntimeError: calamine went wrong" in broken["problems"][0]["message"]
    others = [f for f in after["files"] if f["path"] != str(victim)]
    assert others == [f for f in before["files"] if f["path"] != str(victim)]
    assert [m["code"] for m in after["missing"]] == [
        f["unit"] for f in before["files"] if f["path"] == str(victim)]


def test_a_worker_that_dies_costs_only_its_own_file(country, forms, monkeypatch):
    paths, registry = country
    before = _merge(paths, forms, registry, jobs=1)
    victim = paths[7]
    real = one_file.read_submission

    def die_on_victim(path, forms, settings, root=None):
        if Path(path) == victim:
            os._exit(9)  # what the kernel's OOM killer does to a worker
        return real(path, forms, settings, root)
    monkeypatch.setattr(one_file, "read_submission", die_on_victim)
    after = _merge(paths, forms, registry, jobs=2)
    broken = [f for f in after["files"] if f["path"] == str(victim)][0]
    assert broken["status"] == REJECTED
    assert [p["code"] for p in broken["problems"]] == ["unreadable-file"]
    assert [f for f in after["files"] if f["path"] != str(victim)] == [
        f for f in before["files"] if f["path"] != str(victim)]


def test_with_other_threads_running_the_pool_does_not_fork_them(country, forms):
    """A progress bar's thread is running: workers come from a fork server and only read;
    this process identifies the units. Same results."""
    paths, registry_path = country
    registry = load_registry(registry_path)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not pool.forks()
        pooled = [s.result for s in read_files(paths[:3], forms, registry, RunSettings(jobs=2))]
    finally:
        stop.set()
        thread.join()
    alone = [s.result for s in read_files(paths[:3], forms, registry, RunSettings(jobs=1))]
    assert pooled == alone
    assert all(result.unit and all(r.unit for r in result.records) for result in pooled)


def test_validate_reads_through_the_pool_too(country, forms):
    paths, _ = country
    alone = validate_files(paths, forms, settings=RunSettings(jobs=1))
    assert validate_files(paths, forms, settings=RunSettings(jobs=2)) == alone
    assert [r.path for r in alone] == [str(p) for p in paths]


@pytest.mark.parametrize("files, jobs, env, expected", [
    (1, None, None, 1),                              # one file: never a pool
    (pool.MIN_ITEMS_FOR_POOL - 1, None, None, 1),    # below the break-even
    (5, 1, None, 1),                                 # jobs=1 forces in-process
    (5, 8, None, 5),                                 # never more workers than files
    (100, 3, "1", 3),                                # --jobs wins over ANTQ_JOBS
    (100, None, "1", 1),                             # ANTQ_JOBS overrides the automatic choice
    (3, None, "2", 2),                               # ... even below the break-even
])
def test_worker_count(files, jobs, env, expected):
    settings = RunSettings.from_environment({"ANTQ_JOBS": env} if env else {}, jobs=jobs)
    assert pool.worker_count(files, settings.jobs) == expected


def test_automatic_uses_every_core_when_it_pays(monkeypatch):
    monkeypatch.setattr(pool, "_cores", lambda: 2)
    assert pool.worker_count(1000) == 2


@pytest.mark.parametrize("value", ["0", "two", "-1", "1.5"])
def test_a_bad_antq_jobs_is_a_usage_error(value):
    with pytest.raises(AntqError) as caught:
        RunSettings.from_environment({"ANTQ_JOBS": value})
    assert caught.value.code == "bad-jobs"


def test_cli_jobs_option_and_env(country, monkeypatch):
    paths, registry = country
    folder = str(Path(os.path.commonpath([str(p) for p in paths])))
    runner = CliRunner()
    args = ["merge", folder, "--registry", str(registry), "--format", "json"]
    one = runner.invoke(app, [*args, "--jobs", "1"])
    two = runner.invoke(app, [*args, "--jobs", "2"])
    assert one.exit_code == two.exit_code == 0, one.output
    assert json.loads(one.stdout) == json.loads(two.stdout)
    monkeypatch.setenv("ANTQ_JOBS", "many")
    bad = runner.invoke(app, args)
    assert bad.exit_code == 2
    assert "ANTQ_JOBS=\"many\" không hợp lệ" in bad.output


def test_the_command_runs_without_the_collector_and_its_workers_with_it(country, forms,
                                                                      monkeypatch):
    """antq merge turns the cyclic collector off for itself and back on afterwards; the
    worker processes, which read files anyone may have made, turn theirs back on."""
    import gc

    from antq_cli.run import files

    paths, registry = country
    folder = str(Path(os.path.commonpath([str(p) for p in paths])))
    seen = []
    real = files.read_files

    def watching(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr("antq_cli.run.merge.read_files", watching)
    done = CliRunner().invoke(app, ["merge", folder, "--registry", str(registry), "--jobs", "2",
                                    "--format", "json"])
    assert done.exit_code == 0, done.output
    assert seen == [False] and gc.isenabled()
    threshold = gc.get_threshold()
    monkeypatch.setattr(pool, "_work", pool._work)  # put back after the test
    monkeypatch.setattr(pool, "_tie_to_parent", lambda owner: None)  # this is not a worker
    gc.disable()
    try:
        pool._start(len, os.getpid(), "fork")
        assert gc.isenabled()
    finally:
        gc.set_threshold(*threshold)
        gc.enable()


def test_stopping_early_cancels_the_files_not_started(country, forms):
    paths, registry_path = country
    reader = one_file.FileReader(forms, RunSettings(), load_registry(registry_path))
    started = pool.parallel_map(reader, paths, 2, reader.lost)
    first = next(started)
    started.close()  # what an exception in the caller's loop does
    assert first.result.path == str(paths[0])


def test_a_registry_loaded_while_the_files_are_read_gives_the_same_result(country, forms):
    paths, registry = country
    calls = []

    def load():
        calls.append(1)
        return load_registry(registry)
    late = merge_files(paths, forms, LateRegistry(load), settings=RunSettings(jobs=2))
    assert calls == [1]
    assert merge_dict(late, "vi") == _merge(paths, forms, registry, jobs=2)
    assert late.registry is not None and late.registry.find_code(late.files[0].unit) is not None


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_broken_registry_or_scope_still_stops_the_merge(country, tmp_path, jobs):
    paths, registry = country
    folder = str(Path(os.path.commonpath([str(p) for p in paths])))
    broken = tmp_path / "units.csv"
    broken.write_text("ma,ten\n01,Hà Nội\n", encoding="utf-8")  # no level, no parent columns
    runner = CliRunner()
    bad = runner.invoke(app, ["merge", folder, "--registry", str(broken), "--jobs", jobs])
    assert bad.exit_code == 2, bad.output
    assert "units.csv" in bad.output and "Traceback" not in bad.output
    scope = runner.invoke(app, ["merge", folder, "--registry", str(registry), "--scope", "999",
                                "--jobs", jobs])
    assert scope.exit_code == 2, scope.output
    assert "999" in scope.output
