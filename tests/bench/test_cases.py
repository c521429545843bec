"""`counter-tui bench cases` fills a case table and times the worklist and overdue queries."""

from __future__ import annotations

from counter_tui.bench.cases import format_report, measure_cases


def test_cases_bench_reports_both_queries() -> None:
    report = measure_cases(cases=5000, runs=5)
    assert report["cases"] == 5000
    assert 0 < report["open"] < 5000  # nearly all closed, some open
    for query in ("worklist_ms", "overdue_ms", "warnings_ms"):
        figures = report[query]
        assert figures["count"] == 5
        assert 0 < figures["p50_ms"] <= figures["max_ms"]
    text = format_report(report)
    assert "待办 worklist" in text and "超期 overdue" in text
