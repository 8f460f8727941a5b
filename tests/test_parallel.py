"""Two cores (msrelax_stats.parallel): the same results as one, computed in two processes,
and ``analyze`` writing the same files with ``workers=2`` as with ``workers=1``."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import msrelax_stats as mrs
from msrelax_stats.parallel import can_fork, split_map

ROOT = Path(__file__).parents[1]
SAMPLE = ROOT / "data" / "sample" / "pmr_study.csv"
needs_fork = pytest.mark.skipif(not can_fork(), reason="the platform does not fork")


@needs_fork
def test_first_half_in_a_child_rest_here_in_order():
    here = os.getpid()
    calls = []
    out = split_map(lambda i: (i * i, os.getpid()), list(range(5)), workers=2,
                    meanwhile=lambda: calls.append(os.getpid()))  # fmt: skip
    assert [v for v, _ in out] == [0, 1, 4, 9, 16]
    pids = [pid for _, pid in out]
    assert len(set(pids[:3])) == 1 and pids[0] != here  # items 0-2: one forked child
    assert pids[3:] == [here, here]
    assert calls == [here]  # meanwhile: once, in this process


def test_one_worker_or_one_item_stays_in_this_process():
    here = os.getpid()
    assert split_map(lambda i: os.getpid(), [1, 2, 3], workers=1) == [here] * 3
    assert split_map(lambda i: os.getpid(), [1], workers=2) == [here]
    calls = []
    assert split_map(str, [], workers=2, meanwhile=lambda: calls.append(1)) == []
    assert calls == [1]


@needs_fork
def test_an_error_in_the_child_is_raised_here():
    def fail_on_zero(i):
        if i == 0:
            raise ValueError("item 0 is bad")
        return i

    with pytest.raises(ValueError, match="item 0 is bad"):
        split_map(fail_on_zero, [0, 1, 2], workers=2)


@needs_fork
def test_a_child_that_dies_is_an_error_not_a_wait():
    def die_on_zero(i):
        if i == 0:
            os._exit(3)  # as the OOM killer would end it: no result, no exception
        return i

    with pytest.raises(RuntimeError, match="exit code 3"):
        split_map(die_on_zero, [0, 1, 2], workers=2)


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


@needs_fork
def test_analyze_writes_the_same_files_with_two_workers(tmp_path):
    one = mrs.analyze(SAMPLE, out=tmp_path / "one", workers=1)
    two = mrs.analyze(SAMPLE, out=tmp_path / "two", workers=2)
    assert one.files == two.files
    a, b = _files(tmp_path / "one"), _files(tmp_path / "two")
    assert sorted(a) == sorted(b) and any(name.startswith("figures/") for name in a)
    assert [name for name in a if a[name] != b[name]] == []


@pytest.mark.parametrize("bad", [0, -1, 1.5, True])
def test_workers_must_be_a_whole_number_of_at_least_one(tmp_path, bad):
    with pytest.raises(mrs.StudyDataError, match="workers"):
        mrs.analyze(SAMPLE, out=tmp_path / "out", workers=bad)
    assert not (tmp_path / "out").exists()
