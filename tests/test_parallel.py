"""Two cores (msrelax_stats.parallel): the same results as one, computed in two processes,
and ``analyze`` writing the same files with ``workers=2`` as with ``workers=1``."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import msrelax_stats as mrs
from msrelax_stats.parallel import call_ahead, can_fork, split_map

ROOT = Path(__file__).parents[1]
SAMPLE = ROOT / "data" / "sample" / "pmr_study.csv"
needs_fork = pytest.mark.skipif(not can_fork(), reason="the platform does not fork")


FORK = __import__("multiprocessing").get_context("fork")
WAIT = 60  # seconds: a bound on waiting for the other process, never reached when it works


@needs_fork
def test_the_child_takes_from_the_front_this_process_from_the_back_until_they_meet():
    # the child is held at item 0 until this process has taken every other item, one by one
    # from the back, after meanwhile: each item once, the results in order
    here = os.getpid()
    child_started, rest_done = FORK.Event(), FORK.Event()
    calls = []

    def item(i):
        if os.getpid() != here:
            child_started.set()
            assert rest_done.wait(WAIT)
        else:
            assert child_started.wait(WAIT)
            if i == 1:
                rest_done.set()
        return i * i, os.getpid()

    out = split_map(item, list(range(5)), workers=2,
                    meanwhile=lambda: calls.append(os.getpid()))  # fmt: skip
    assert [v for v, _ in out] == [0, 1, 4, 9, 16]
    pids = [pid for _, pid in out]
    assert pids[0] != here and pids[1:] == [here] * 4
    assert calls == [here]  # meanwhile: once, in this process


@needs_fork
def test_while_this_process_is_busy_the_child_takes_every_item():
    here = os.getpid()
    last_done = FORK.Event()

    def item(i):
        if os.getpid() != here and i == 4:
            last_done.set()
        return os.getpid()

    pids = split_map(item, list(range(5)), workers=2,
                     meanwhile=lambda: last_done.wait(WAIT))  # fmt: skip
    assert len(set(pids)) == 1 and pids[0] != here


def test_one_worker_or_one_item_stays_in_this_process():
    here = os.getpid()
    assert split_map(lambda i: os.getpid(), [1, 2, 3], workers=1) == [here] * 3
    assert split_map(lambda i: os.getpid(), [1], workers=2) == [here]
    calls = []
    assert split_map(str, [], workers=2, meanwhile=lambda: calls.append(1)) == []
    assert calls == [1]


def _in_the_child_only(action):
    """An item function that does ``action`` in the forked child (at its first item) and
    waits in this process until the child has started, so the child does get an item."""
    here, started = os.getpid(), FORK.Event()

    def item(i):
        if os.getpid() != here:
            started.set()
            action()
        assert started.wait(WAIT)
        return i

    return item


@needs_fork
def test_an_error_in_the_child_is_raised_here():
    def fail():
        raise ValueError("bad item in the child")

    with pytest.raises(ValueError, match="bad item in the child"):
        split_map(_in_the_child_only(fail), [0, 1, 2], workers=2)


@needs_fork
def test_a_child_that_dies_is_an_error_not_a_wait():
    # as the OOM killer would end it: no result, no exception
    with pytest.raises(RuntimeError, match="exit code 3"):
        split_map(_in_the_child_only(lambda: os._exit(3)), [0, 1, 2], workers=2)


# ---- call_ahead: a process forked before its argument exists --------------------------------

_PREPARED: list[object] = []  # what prepare() saw, in the process that called it


@needs_fork
def test_call_ahead_prepares_in_the_child_while_this_process_makes_the_argument():
    # prepare() waits until this process has sent an argument larger than a pipe holds
    # (64 KiB): send() returns at once (a thread writes into the pipe), so the child sees
    # the event set; were send() to wait for the child to read, prepare() would time out
    here, sent = os.getpid(), FORK.Event()
    big = list(range(200_000))  # about 1 MB pickled

    def prepare():
        _PREPARED.append((os.getpid(), sent.wait(WAIT)))

    def function(argument):
        return list(_PREPARED), len(argument), os.getpid()

    with call_ahead(function, prepare=prepare, workers=2) as call:
        call.send(big)
        sent.set()
        prepared, n, pid = call.result()
    assert n == len(big) and pid != here
    assert prepared == [(pid, True)] and _PREPARED == []  # in the child, not here


def test_call_ahead_with_one_worker_computes_here_after_prepare():
    calls = []
    with call_ahead(lambda x: (calls.copy(), x * 2, os.getpid()),
                    prepare=lambda: calls.append("prepared"), workers=1) as call:  # fmt: skip
        call.send(21)
        assert calls == []  # nothing before result(): prepare and the call, one after the other
        assert call.result() == (["prepared"], 42, os.getpid())


@needs_fork
def test_call_ahead_raises_the_childs_error_here():
    def fail(argument):
        raise mrs.StudyDataError([mrs.Problem(f"bad {argument}")])

    with pytest.raises(mrs.StudyDataError, match="bad input"):
        with call_ahead(fail, workers=2) as call:
            call.send("input")
            call.result()


@needs_fork
def test_call_ahead_stops_its_child_when_this_process_fails_before_sending():
    # the child waits for an argument that never comes: the block ends at once, the child
    # terminated and reaped, and nothing computed
    import multiprocessing

    with pytest.raises(ValueError, match="reading failed"):
        with call_ahead(lambda x: x, prepare=lambda: None, workers=2):
            assert len(multiprocessing.active_children()) == 1
            raise ValueError("reading failed")
    assert multiprocessing.active_children() == []


@needs_fork
def test_a_child_that_dies_before_its_result_is_an_error_not_a_wait():
    with pytest.raises(RuntimeError, match="ended before sending its result"):
        with call_ahead(lambda x: os._exit(3), workers=2) as call:
            call.send(1)
            call.result()


def _files(folder: Path) -> dict[str, bytes]:
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != ".msrelax-output.json":  # hashes results.json
            data = path.read_bytes()
            if path.name == "results.json":  # the time of the run: the one expected change
                document = json.loads(data)
                document.pop("created")
                data = json.dumps(document, sort_keys=True).encode()
            out[str(path.relative_to(folder))] = data
    return out


CONTROLLED = ROOT / "data" / "sample" / "controlled"


@needs_fork
@pytest.mark.parametrize(
    ("source", "keywords"),
    [(SAMPLE, {}),
     (CONTROLLED / "pmr_controlled.csv",
      {"visits": ["baseline", "week6", "week12"], "diary": CONTROLLED / "pmr_diary.csv",
       "plan": CONTROLLED / "pmr_controlled_plan.toml", "n_boot": 500}),
     (SAMPLE, {"missing": "mi", "outcomes": ["fss_mean", "psqi_global"]})],
    ids=["one group", "two arms, three visits, diary", "multiple imputation"],
)  # fmt: skip
def test_analyze_writes_the_same_files_with_two_workers(tmp_path, source, keywords):
    # workers=2: the statistics in a forked process (its analysis pickled back) while this
    # one imports the report, the outcomes and the figures split again; every design's
    # analysis has to come back whole
    one = mrs.analyze(source, out=tmp_path / "one", workers=1, **keywords)
    two = mrs.analyze(source, out=tmp_path / "two", workers=2, **keywords)
    assert one.files == two.files
    a, b = _files(tmp_path / "one"), _files(tmp_path / "two")
    assert sorted(a) == sorted(b) and any(name.startswith("figures/") for name in a)
    assert [name for name in a if a[name] != b[name]] == []


@needs_fork
def test_an_input_error_found_by_the_forked_statistics_is_the_same_error(tmp_path):
    # a control arm named that the file does not have: found by analyse(), in the child
    errors = []
    for workers in (1, 2):
        with pytest.raises(mrs.StudyDataError) as caught:
            mrs.analyze(CONTROLLED / "pmr_controlled.csv", out=tmp_path / f"w{workers}",
                        workers=workers, control="placebo",
                        visits=["baseline", "week6", "week12"])  # fmt: skip
        errors.append([str(problem) for problem in caught.value.problems])
        assert not (tmp_path / f"w{workers}").exists()
    assert errors[0] == errors[1] and "placebo" in errors[0][0]
    assert "pmr_controlled.csv" in errors[0][0]  # the file is named, as from one process


@needs_fork
def test_a_child_splits_its_own_share_and_ends_with_its_parent():
    # nested: the child of the outer split forks a grandchild for its items; the four items
    # wait for each other (a barrier of four), so four processes must each hold one
    together = FORK.Barrier(4)

    def inner(j):
        together.wait(WAIT)
        return j, os.getpid()

    out = split_map(lambda i: split_map(inner, [i, i + 1], workers=2), [0, 10], workers=2)
    assert [[j for j, _ in part] for part in out] == [[0, 1], [10, 11]]
    assert len({pid for part in out for _, pid in part}) == 4  # four processes computed


@pytest.mark.parametrize("bad", [0, -1, 1.5, True])
def test_workers_must_be_a_whole_number_of_at_least_one(tmp_path, bad):
    with pytest.raises(mrs.StudyDataError, match="workers"):
        mrs.analyze(SAMPLE, out=tmp_path / "out", workers=bad)
    assert not (tmp_path / "out").exists()
