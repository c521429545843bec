"""`counter-tui bench search`: how fast item search answers on a large synthetic catalog, per kind
of query, how long its index takes to build, and how much memory it holds.

The catalog comes from `counter_tui.bench.catalog` (in memory, no files). Pinyin keys are
made first and timed apart (`key_build_s`): that happens once, at catalog import. The index is
then built from those keys as the app builds it at start-up (`index_build_s`), for a village
room (the site level splits the ranking in two, the harder case) with skewed usage counts.

Targets (the issue): p95 ≤ 5 ms per query class at 15,000 items, index build ≤ 1 s. The report
states them and whether they are met; it never fails on them, because the figures depend on the
machine.
"""

from __future__ import annotations

import gc
import math
import os
import platform
import random
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from typing import Any

from counter_tui.bench.catalog import generate_bundles, generate_items
from counter_tui.catalog.search import Entry, SearchIndex

MAX_P95_MS = 5.0
MAX_INDEX_BUILD_S = 1.0
SITE_LEVEL = "village"
LIMIT = 20
#: Query classes in report order; "and" is two terms that must both match.
CLASSES = (
    "code",
    "exact",
    "prefix",
    "initials",
    "pinyin",
    "substring",
    "alias",
    "and",
    "miss",
)
#: Characters no generated name contains: a Chinese query that finds nothing.
_UNUSED_HAN = "鑫淼犇骉麤龘靐齉爨躞鬻"


def measure_search(
    items: int = 15000, *, seed: int = 0, queries_per_class: int = 200
) -> dict[str, Any]:
    """Generate `items` items, index them, time `queries_per_class` queries of each class."""
    if items < 2 or queries_per_class < 1:
        raise ValueError("items must be at least 2 and queries_per_class at least 1")
    from counter_tui.catalog.pinyin import search_keys  # slow import, as at catalog import

    generated = generate_items(items, seed=seed)
    bundles = generate_bundles(generated, seed=seed)
    levels = {i.code: i.levels for i in generated}
    started = time.perf_counter()
    entries = [
        Entry(
            code=i.code,
            name=i.name,
            aliases=i.aliases,
            kind="item",
            department=i.department,
            levels=i.levels,
            name_keys=search_keys(i.name),
            alias_keys=tuple(search_keys(a) for a in i.aliases),
        )
        for i in generated
    ] + [
        Entry(
            code=b.code,
            name=b.name,
            aliases=b.aliases,
            kind="bundle",
            department=b.lead_department,
            levels=tuple(sorted({level for code in b.items for level in levels[code]})),
            name_keys=search_keys(b.name),
            alias_keys=tuple(search_keys(a) for a in b.aliases),
        )
        for b in bundles
    ]
    key_build_s = time.perf_counter() - started

    rng = random.Random(seed)
    # Skewed like a real window: a few items make most of the cases.
    usage = {e.code: int(rng.paretovariate(1.2)) - 1 for e in entries}
    index, index_build_s = _timed(lambda: SearchIndex(entries, usage=usage, site_level=SITE_LEVEL))
    gc.collect()
    tracemalloc.start()
    SearchIndex(entries, usage=usage, site_level=SITE_LEVEL)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    queries = make_queries(entries, index, rng, queries_per_class, search_keys)
    for query, _ in queries["exact"][:20]:  # warm-up: first calls pay for lazy imports
        index.search(query, LIMIT)
    classes: dict[str, Any] = {}
    every: list[float] = []
    for name in CLASSES:
        times, answered, found = [], 0, 0
        for query, wanted in queries[name]:
            start = time.perf_counter_ns()
            hits = index.search(query, LIMIT)
            times.append((time.perf_counter_ns() - start) / 1e6)
            answered += bool(hits)
            found += any(h.entry.code == wanted for h in hits)
        every += times
        classes[name] = {**percentiles(times), "answered": round(answered / len(times), 3)}
        if name in ("code", "exact"):
            classes[name]["found"] = round(found / len(times), 3)
    classes["overall"] = percentiles(every)
    return build_report(
        items=items,
        entries=len(entries),
        bundles=len(bundles),
        seed=seed,
        queries_per_class=queries_per_class,
        key_build_s=key_build_s,
        index_build_s=index_build_s,
        index_peak_mb=peak / 2**20,
        classes=classes,
    )


def _timed(build: Callable[[], SearchIndex]) -> tuple[SearchIndex, float]:
    started = time.perf_counter()
    index = build()
    return index, time.perf_counter() - started


def make_queries(
    entries: Sequence[Entry],
    index: SearchIndex,
    rng: random.Random,
    count: int,
    search_keys: Callable[[str], Any],
) -> dict[str, list[tuple[str, str | None]]]:
    """`count` queries per class: (query, the code of the entry it names, for a whole code or
    name; None for the others, which may rank their source entry past the limit)."""
    items = [e for e in entries if e.kind == "item"]
    with_aliases = [e for e in entries if e.aliases] or items

    def han(entry: Entry, low: int, high: int) -> str:
        """A stretch of the name's Chinese characters (qualifiers in brackets left out)."""
        base = entry.name.split("（")[0]
        size = min(len(base), rng.randint(low, high))
        start = rng.randint(0, len(base) - size)
        return base[start : start + size]

    def initials(entry: Entry) -> str:
        key = entry.name_keys.initials[0]
        size = min(len(key), rng.randint(3, 5))
        start = 0 if rng.random() < 0.5 else rng.randint(0, len(key) - size)
        return str(key[start : start + size])

    def alias(entry: Entry) -> str:
        n = rng.randrange(len(entry.aliases))
        return entry.aliases[n] if rng.random() < 0.5 else entry.alias_keys[n].initials[0]

    makers: dict[str, Callable[[Entry], str]] = {
        "code": lambda e: e.code.lower() if rng.random() < 0.5 else e.code,
        "exact": lambda e: e.name,
        "prefix": lambda e: e.name[: rng.randint(2, 4)],
        "initials": initials,
        "pinyin": lambda e: str(search_keys(han(e, 2, 3)).full[0]),
        "substring": lambda e: han(e, 2, 4),
        "and": lambda e: f"{han(e, 2, 2)} {initials(e)}",
    }
    queries: dict[str, list[tuple[str, str | None]]] = {}
    for name, make in makers.items():
        picked = [rng.choice(items) for _ in range(count)]
        exact = name in ("code", "exact")
        queries[name] = [(make(e), e.code if exact else None) for e in picked]
    picked = [rng.choice(with_aliases) for _ in range(count)]
    queries["alias"] = [(alias(e), None) for e in picked]
    misses: list[tuple[str, str | None]] = []
    while len(misses) < count:
        if rng.random() < 0.5:
            query = "".join(rng.choice("bcdfghjklmnpqrstwxyz") for _ in range(rng.randint(4, 7)))
        else:
            query = "".join(rng.choice(_UNUSED_HAN) for _ in range(rng.randint(2, 4)))
        if not index.search(query, 1):
            misses.append((query, None))
    queries["miss"] = misses
    return queries


def percentiles(times_ms: Sequence[float]) -> dict[str, Any]:
    """p50/p95/p99 (nearest rank) and the maximum, in ms."""
    ordered = sorted(times_ms)

    def rank(p: float) -> float:
        return ordered[max(0, math.ceil(p * len(ordered) / 100) - 1)]

    return {
        "count": len(ordered),
        "p50_ms": round(rank(50), 3),
        "p95_ms": round(rank(95), 3),
        "p99_ms": round(rank(99), 3),
        "max_ms": round(ordered[-1], 3),
    }


def build_report(
    *,
    items: int,
    entries: int,
    bundles: int,
    seed: int,
    queries_per_class: int,
    key_build_s: float,
    index_build_s: float,
    index_peak_mb: float,
    classes: dict[str, Any],
) -> dict[str, Any]:
    """The JSON report: figures, targets and whether they are met."""
    max_rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if sys.platform == "darwin":  # bytes there, kilobytes on Linux
        max_rss_kb //= 1024
    slow = [name for name, c in classes.items() if c["p95_ms"] > MAX_P95_MS]
    met = {"p95": not slow, "index_build": index_build_s <= MAX_INDEX_BUILD_S}
    return {
        "benchmark": "search",
        "items": items,
        "bundles": bundles,
        "entries": entries,
        "seed": seed,
        "site_level": SITE_LEVEL,
        "limit": LIMIT,
        "queries_per_class": queries_per_class,
        "machine": {
            "python": platform.python_version(),
            "implementation": platform.python_implementation(),
            "platform": platform.platform(),
            "cpu_count": os.cpu_count(),
        },
        "key_build_s": round(key_build_s, 3),
        "index_build_s": round(index_build_s, 3),
        "memory": {
            "index_peak_mb": round(index_peak_mb, 1),
            "max_rss_mb": round(max_rss_kb / 1024, 1),
        },
        "queries": classes,
        "targets": {"p95_ms_max": MAX_P95_MS, "index_build_s_max": MAX_INDEX_BUILD_S},
        "met": {**met, "slow_classes": slow, "all": all(met.values())},
    }


def format_report(report: dict[str, Any]) -> str:
    """A short table for people; `--json` gives everything."""
    machine, targets, met = report["machine"], report["targets"], report["met"]
    lines = [
        f"检索测量 search：{report['items']} 个事项 + {report['bundles']} 个一件事，"
        f"站点层级 {report['site_level']}，每类 {report['queries_per_class']} 次查询，"
        f"Python {machine['python']}，{machine['cpu_count']} CPU",
        "",
        f"{'class':<11}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}{'answered':>10}",
    ]
    for name, figures in report["queries"].items():
        answered = f"{figures['answered']:.0%}" if "answered" in figures else ""
        lines.append(
            f"{name:<11}{figures['p50_ms']:>9.3f}{figures['p95_ms']:>9.3f}"
            f"{figures['p99_ms']:>9.3f}{figures['max_ms']:>9.3f}{answered:>10}"
        )
    memory = report["memory"]
    lines += [
        "",
        f"拼音键生成 key build（导入目录时）：{report['key_build_s']:.3f} s",
        f"索引建立 index build ≤ {targets['index_build_s_max']:g} s："
        f"{report['index_build_s']:.3f} s {_mark(met['index_build'])}",
        f"每类 p95 ≤ {targets['p95_ms_max']:g} ms：{_mark(met['p95'])}"
        + (f"（超出：{', '.join(met['slow_classes'])}）" if met["slow_classes"] else ""),
        f"内存 memory：索引建立峰值 {memory['index_peak_mb']:.1f} MB（tracemalloc），"
        f"进程峰值 RSS {memory['max_rss_mb']:.1f} MB",
    ]
    return "\n".join(lines)


def _mark(ok: bool) -> str:
    return "✓" if ok else "✗ 未达标"
