"""`counter-tui bench …`: the performance measurements (counter_tui.bench), each on databases
and apps of its own making; this module only picks the measurement and prints its report."""

from __future__ import annotations

from typing import Annotated

import typer

from counter_tui.cli.options import JsonOption

bench_app = typer.Typer(help="性能测量。", no_args_is_help=True)


@bench_app.command("search")
def bench_search(
    items: Annotated[int, typer.Option("--items", min=100, max=200_000, help="事项数")] = 15000,
    as_json: JsonOption = False,
) -> None:
    """测量目录搜索：各类查询的 p50/p95/p99、索引构建时间和内存。"""
    from counter_tui.bench.report import echo_report
    from counter_tui.bench.search import format_report, measure_search

    echo_report(measure_search(items=items), format_report, as_json=as_json)


@bench_app.command("intake")
def bench_intake(
    cases: Annotated[int, typer.Option("--cases", min=10, max=5000, help="受理件数")] = 100,
    as_json: JsonOption = False,
) -> None:
    """测量受理：草稿保存、受理出回执、一次性告知、通知书排版与 PDF、界面按键延迟。"""
    from counter_tui.bench.intake import format_report, measure_intake
    from counter_tui.bench.report import echo_report

    echo_report(measure_intake(cases=cases), format_report, as_json=as_json)


@bench_app.command("cases")
def bench_cases(
    cases: Annotated[
        int, typer.Option("--cases", min=1000, max=5_000_000, help="生成的办件数")
    ] = 1_000_000,
    as_json: JsonOption = False,
) -> None:
    """测量待办与超期查询：在生成的大型办件表上计时（p50/p95）。"""
    from counter_tui.bench.cases import format_report, measure_cases
    from counter_tui.bench.report import echo_report

    echo_report(measure_cases(cases=cases), format_report, as_json=as_json)


@bench_app.command("queue")
def bench_queue(
    waiting: Annotated[int, typer.Option("--waiting", min=10, max=100_000, help="等候张数")] = 500,
    as_json: JsonOption = False,
) -> None:
    """测量排队叫号：取号、叫号、办结、显示屏查询，以及多个窗口进程同时叫号。"""
    from counter_tui.bench.queue import format_report, measure_queue
    from counter_tui.bench.report import echo_report

    echo_report(measure_queue(waiting=waiting), format_report, as_json=as_json)


@bench_app.command("day")
def bench_day(
    intakes: Annotated[
        int, typer.Option("--intakes", min=1, max=2000, help="受理件数（每件打印 PDF 通知书）")
    ] = 100,
    tickets: Annotated[
        int, typer.Option("--tickets", min=1, max=5000, help="叫号并办结的号数")
    ] = 200,
    as_json: JsonOption = False,
) -> None:
    """窗口的一天：在真实应用里受理并打印、叫号办结、刷新待办，测量应用进程的内存。"""
    from counter_tui.bench.day import format_report, measure_day
    from counter_tui.bench.report import echo_report

    echo_report(measure_day(intakes=intakes, tickets=tickets), format_report, as_json=as_json)


@bench_app.command("startup")
def bench_startup(
    runs: Annotated[int, typer.Option("--runs", min=1, max=50, help="每个程序测几次")] = 7,
    as_json: JsonOption = False,
) -> None:
    """在真实伪终端里测量从启动到首屏绘制的时间（与最小 Textual 应用对比）和内存峰值。"""
    from counter_tui.bench.report import echo_report
    from counter_tui.bench.startup import format_report, measure_startup

    echo_report(measure_startup(runs=runs), format_report, as_json=as_json)


@bench_app.command("demo")
def bench_demo(
    runs: Annotated[int, typer.Option("--runs", min=1, max=50, help="测几次")] = 5,
    as_json: JsonOption = False,
) -> None:
    """演示大厅从命令到可以登录的时间（建好大厅、打开数据库）和内存峰值。"""
    from counter_tui.bench.demo_ready import format_report, measure_demo
    from counter_tui.bench.report import echo_report

    echo_report(measure_demo(runs=runs), format_report, as_json=as_json)


@bench_app.command("sync")
def bench_sync(
    pg: Annotated[
        str,
        typer.Option(
            "--pg",
            envvar="COUNTER_TUI_BENCH_PG",
            help="PostgreSQL 地址（其角色须能建库），如 postgresql+psycopg://用户:密码@127.0.0.1/库",
        ),
    ],
    events: Annotated[
        int, typer.Option("--events", min=100, max=100_000, help="村级站点一个月的事件数")
    ] = 3000,
    sites: Annotated[int, typer.Option("--sites", min=1, max=5000, help="同时同步的站点数")] = 200,
    seconds: Annotated[
        float, typer.Option("--seconds", min=1, max=3600, help="多站点同步持续秒数")
    ] = 60,
    interval: Annotated[
        float, typer.Option("--interval", min=0.5, max=600, help="每个站点的同步间隔（秒）")
    ] = 10,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="中心工作进程数")] = 2,
    as_json: JsonOption = False,
) -> None:
    """测量同步：本机回环上的中心（PostgreSQL）：补同步、上传与裸插入之比、下载、多站点同时同步。"""
    from counter_tui.bench.report import echo_report
    from counter_tui.bench.sync import format_report, measure_sync

    report = measure_sync(
        pg, events=events, sites=sites, seconds=seconds, interval=interval, workers=workers
    )
    echo_report(report, format_report, as_json=as_json)


PgOption = Annotated[
    str | None,
    typer.Option(
        "--pg",
        envvar="COUNTER_TUI_BENCH_PG",
        help="中心用的 PostgreSQL 地址（其角色须能建库）；不填则中心用 SQLite",
    ),
]


@bench_app.command("files")
def bench_files(
    events: Annotated[
        list[int] | None,
        typer.Option("--events", min=100, max=200_000, help="站点事件数（可多次给出）"),
    ] = None,
    pg: PgOption = None,
    as_json: JsonOption = False,
) -> None:
    """测量同步文件：站点导出、中心导入并写回执、站点导入回执的时间与文件大小。"""
    from counter_tui.bench.files_bench import SIZES, format_report, measure_files
    from counter_tui.bench.report import echo_report

    report = measure_files(tuple(events) if events else SIZES, pg)
    echo_report(report, format_report, as_json=as_json)


@bench_app.command("restore")
def bench_restore(
    events: Annotated[
        int, typer.Option("--events", min=100, max=1_000_000, help="站点事件数")
    ] = 100_000,
    pg: PgOption = None,
    as_json: JsonOption = False,
) -> None:
    """测量从中心恢复站点（sync restore）：站点有多少事件，恢复要多久。"""
    from counter_tui.bench.report import echo_report
    from counter_tui.bench.restore_bench import format_report, measure_restore

    echo_report(measure_restore(events, pg), format_report, as_json=as_json)


@bench_app.command("report")
def bench_report(
    cases: Annotated[
        int, typer.Option("--cases", min=1000, max=5_000_000, help="生成的办件数")
    ] = 1_000_000,
    as_json: JsonOption = False,
) -> None:
    """测量统计报表：百万办件上的月通报（目标 ≤ 2 s）和 F6 今天的指标（目标 ≤ 100 ms）。"""
    from counter_tui.bench.report import echo_report
    from counter_tui.bench.reports_bench import format_report, measure_report

    echo_report(measure_report(cases=cases), format_report, as_json=as_json)
