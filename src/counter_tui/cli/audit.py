"""`counter-tui audit verify`: the journal's hash chains and the projections rebuilt from it.

A read-only maintenance command: it takes the engine from the context (`CliContext
.ready_engine`), opened read-only where the engine allows, rather than the application layer,
so that a backup on a write-protected stick can be verified as it is.
"""

from __future__ import annotations

import typer

from counter_tui.cli.context import context_of

audit_app = typer.Typer(
    help="审计：核验事件日志的哈希链，并按日志重建数据逐行比对。", no_args_is_help=True
)


@audit_app.command("verify")
def audit_verify(ctx: typer.Context) -> None:
    """核验每个站点事件日志的哈希链，并按日志另行重建各投影表、与现存数据逐行比对；
    发现改动时指出第一条出问题的事件和每一处不符的表、行、列，退出码为 1。"""
    from counter_tui.db import read_session
    from counter_tui.journal.service import projection_differences, verify

    context = context_of(ctx)
    # SQLite opens read-only (a write-protected backup too; the projections are rebuilt in a
    # scratch copy). PostgreSQL rebuilds them in a savepoint that is always rolled back, which a
    # read-only transaction would refuse; a server is no write-protected stick.
    postgres = context.settings.db_url.startswith("postgresql")
    engine = context.ready_engine(read_only=not postgres)
    with read_session(engine) as session:
        checked, breach = verify(session)
        differences = projection_differences(session)
    if breach is not None:
        typer.echo(f"日志被改动：{breach.describe()}", err=True)
    for difference in differences:
        typer.echo(f"数据与日志不符：{difference.describe()}", err=True)
    if breach is not None or differences:
        raise typer.Exit(1)
    typer.echo(f"日志完好：已核验 {checked} 条事件；各投影表与按日志重建的结果一致")
