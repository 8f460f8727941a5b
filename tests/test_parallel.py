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
    # nested: the child of the outer split forks a grandchild for half of its items
    out = split_map(lambda i: split_map(lambda j: (j, os.getpid()), [i, i + 1], workers=2),
                    [0, 10], workers=2)  # fmt: skip
    assert [[j for j, _ in inner] for inner in out] == [[0, 1], [10, 11]]
    assert len({pid for inner in out for _, pid in inner}) == 4  # four processes computed


@pytest.mark.parametrize("bad", [0, -1, 1.5, True])
def test_workers_must_be_a_whole_number_of_at_least_one(tmp_path, bad):
    with pytest.raises(mrs.StudyDataError, match="workers"):
        mrs.analyze(SAMPLE, out=tmp_path / "out", workers=bad)
    assert not (tmp_path / "out").exists()
