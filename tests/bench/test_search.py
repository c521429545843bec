"""`counter-tui bench search`: the report's structure on a small catalog, and its arithmetic.

A benchmark, not a timed test: nothing here checks that the targets are met (they depend on the
machine), only that the figures are there and make sense.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from counter_tui.bench.search import (
    CLASSES,
    build_report,
    format_report,
    measure_search,
    percentiles,
)


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    return measure_search(items=300, seed=1, queries_per_class=10)


def test_report_structure(report: dict[str, Any]) -> None:
    assert report["benchmark"] == "search"
    assert report["items"] == 300
    assert report["entries"] == 300 + report["bundles"]
    queries = report["queries"]
    assert list(queries) == [*CLASSES, "overall"]
    for name, figures in queries.items():
        assert figures["count"] == (10 * len(CLASSES) if name == "overall" else 10)
        assert 0 <= figures["p50_ms"] <= figures["p95_ms"] <= figures["p99_ms"]
        assert figures["p99_ms"] <= figures["max_ms"]
    for key in ("key_build_s", "index_build_s"):
        assert isinstance(report[key], float) and report[key] >= 0
    memory = report["memory"]
    assert memory["index_peak_mb"] > 0 and memory["max_rss_mb"] > 0
    met = report["met"]
    assert set(met) == {"p95", "index_build", "slow_classes", "all"}
    json.dumps(report)


def test_queries_find_what_they_were_made_from(report: dict[str, Any]) -> None:
    queries = report["queries"]
    assert queries["code"]["found"] == 1.0
    assert queries["exact"]["found"] == 1.0
    for name in ("prefix", "initials", "pinyin", "substring", "alias", "and"):
        assert queries[name]["answered"] == 1.0, name
    assert queries["miss"]["answered"] == 0.0


def test_the_table(report: dict[str, Any]) -> None:
    table = format_report(report)

    for name in CLASSES:
        assert name in table
    assert "index build" in table


def test_percentiles_are_nearest_rank() -> None:
    figures = percentiles([float(n) for n in range(1, 101)])

    assert figures == {
        "count": 100,
        "p50_ms": 50.0,
        "p95_ms": 95.0,
        "p99_ms": 99.0,
        "max_ms": 100.0,
    }
    assert percentiles([2.0])["p99_ms"] == 2.0


def test_targets() -> None:
    fast = percentiles([1.0, 2.0])
    slow = percentiles([1.0, 9.0] * 10)

    def report(index_build_s: float, figures: dict[str, Any]) -> dict[str, Any]:
        return build_report(
            items=10,
            entries=10,
            bundles=0,
            seed=0,
            queries_per_class=2,
            key_build_s=0.5,
            index_build_s=index_build_s,
            index_peak_mb=1.0,
            classes={"code": figures, "overall": figures},
        )

    ok = report(0.2, fast)
    assert ok["met"] == {"p95": True, "index_build": True, "slow_classes": [], "all": True}

    bad = report(1.5, slow)
    assert bad["met"]["slow_classes"] == ["code", "overall"]
    assert not bad["met"]["all"]
    assert "未达标" in format_report(bad)


def test_importing_the_benchmark_loads_neither_pypinyin_nor_textual() -> None:
    """pypinyin is imported when the benchmark runs (it times key building), not before."""
    code = (
        "import sys, counter_tui.bench.search;"
        "print(sorted({m.split('.')[0] for m in sys.modules}"
        " & {'pypinyin', 'sqlalchemy', 'textual'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_too_small_a_run_is_refused() -> None:
    with pytest.raises(ValueError):
        measure_search(items=1)
