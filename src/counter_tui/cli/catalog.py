"""`counter-tui catalog …`: the item catalog from the command line.

`validate` and `generate` work on files only; `import` and the reads go through the
application layer's catalog door.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from counter_tui.cli.admin import sign_in_admin
from counter_tui.cli.context import context_of
from counter_tui.cli.options import AdminOption, AdminPasswordFileOption, JsonOption
from counter_tui.cli.output import echo_json
from counter_tui.errors import UserError

if TYPE_CHECKING:
    from counter_tui.catalog.model import Catalog

catalog_app = typer.Typer(
    help="事项目录：校验、导入、列出、查看、搜索、生成。", no_args_is_help=True
)


def _load(path: Path) -> Catalog:
    """Validate `path`; print every problem and exit 1 when there are any."""
    from counter_tui.catalog.loader import CatalogInvalid, load_catalog

    try:
        return load_catalog(path.expanduser())
    except CatalogInvalid as invalid:
        for problem in invalid.problems:
            typer.echo(str(problem), err=True)
        typer.echo(f"目录有 {len(invalid.problems)} 处问题，未导入：{path}", err=True)
        raise typer.Exit(1) from None


@catalog_app.command("validate")
def validate(path: Annotated[Path, typer.Argument(help="目录文件夹，如 data/catalog")]) -> None:
    """校验目录文件；每处问题一行（文件:行: 字段: 问题），有问题时退出码为 1。"""
    catalog = _load(path)
    typer.echo(
        f"目录有效：{catalog.name}（{catalog.version}）{len(catalog.items)} 个事项，"
        f"{len(catalog.bundles)} 个一件事，{len(catalog.departments)} 个部门"
    )


@catalog_app.command("import")
def import_(
    ctx: typer.Context,
    path: Annotated[Path | None, typer.Argument(help="目录文件夹；用 --shipped 时不写")] = None,
    shipped: Annotated[
        bool, typer.Option("--shipped", help="导入随程序附带的目录（演示和新站点用）")
    ] = False,
    admin: AdminOption = None,
    admin_password_file: AdminPasswordFileOption = None,
) -> None:
    """把目录导入本机数据库，成为新版本；有任何问题时不导入，继续使用原版本（需管理员登录）。"""
    from counter_tui.catalog.shipped import shipped_catalog

    if shipped == (path is not None):
        raise UserError("请给出目录文件夹，或用 --shipped 导入随程序附带的目录（二者选一）")
    if shipped:
        path = shipped_catalog()
        if path is None:
            raise UserError("本安装没有附带事项目录：请给出目录文件夹")
    assert path is not None
    catalog = _load(path)
    context = context_of(ctx)
    actor = sign_in_admin(context, admin, admin_password_file)
    result = context.desk.catalog.import_catalog(actor, catalog)
    version = result.version
    if result.unchanged:
        typer.echo(f"目录与正在使用的第 {version.number} 版相同，未重复导入")
        return
    typer.echo(
        f"已导入第 {version.number} 版目录：{version.name}（{version.label}），"
        f"{version.items} 个事项，{version.bundles} 个一件事"
    )


@catalog_app.command("list")
def list_(
    ctx: typer.Context,
    department: Annotated[
        str | None, typer.Option("--department", help="只列出该部门的事项")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """列出正在使用的目录中的事项和一件事。"""
    catalog = context_of(ctx).desk.catalog
    catalog.require_catalog()
    rows = catalog.entries(department)
    names = catalog.department_names()
    out = [
        {
            "code": row.code,
            "kind": row.kind,
            "name": row.name,
            "department": row.department,
            "department_name": names.get(row.department, row.department),
            "levels": row.levels.split(),
            "instant": row.instant,
        }
        for row in rows
    ]
    if as_json:
        echo_json(out)
        return
    for entry in out:
        tag = "一件事" if entry["kind"] == "bundle" else ("即办" if entry["instant"] else "")
        typer.echo(f"{entry['code']}  {entry['name']}  [{entry['department_name']}] {tag}".rstrip())


@catalog_app.command("show")
def show(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="事项或一件事的编码")],
    as_json: JsonOption = False,
) -> None:
    """显示一个事项的办事指南（或一件事的合并材料清单）。"""
    from dataclasses import asdict

    from counter_tui.catalog.guide import guide_text

    catalog = context_of(ctx).desk.catalog
    catalog.require_catalog()
    guide = catalog.guide(code)
    if guide is None:
        raise UserError(f"目录中没有这个编码：{code}（可用 counter-tui catalog search 查找）")
    if as_json:
        echo_json(asdict(guide.entry))
        return
    typer.echo(
        guide_text(guide.entry, departments=guide.departments, items=guide.items, kinds=guide.kinds)
    )


@catalog_app.command("search")
def search(
    ctx: typer.Context,
    query: Annotated[
        str, typer.Argument(help="名称、拼音、首字母、编码或别名，如 gtgsh、营业执照")
    ],
    limit: Annotated[int, typer.Option("--limit", min=1, max=500, help="最多列出几条")] = 20,
    as_json: JsonOption = False,
) -> None:
    """搜索事项和一件事，按匹配程度和本站点能否受理排序（窗口里的搜索还参考本站点的使用次数）。"""
    catalog = context_of(ctx).desk.catalog
    catalog.require_catalog()
    out = [
        {
            "code": hit.entry.code,
            "name": hit.entry.name,
            "kind": hit.entry.kind,
            "department": hit.entry.department,
            "match": hit.match,
            "allowed_here": hit.allowed_here,
        }
        for hit in catalog.search(query, limit)
    ]
    if as_json:
        echo_json(out)
        return
    if not out:
        typer.echo(f"没有找到：{query}")
    for row in out:
        mark = "" if row["allowed_here"] else "  （本站点不可受理）"
        typer.echo(f"{row['code']}  {row['name']}{mark}")


@catalog_app.command("generate")
def generate(
    out: Annotated[Path, typer.Argument(help="输出目录（不能已存在）")],
    items: Annotated[int, typer.Option("--items", min=1, max=200_000, help="事项数")] = 15000,
    seed: Annotated[int, typer.Option("--seed", help="随机种子（相同种子得到相同目录）")] = 0,
) -> None:
    """生成一个大型合成目录（名称仿真实事项），用于性能测量。"""
    from counter_tui.bench.catalog import generate_catalog

    target = out.expanduser()
    if target.exists():
        raise UserError(f"输出目录已存在，不会覆盖：{target}")
    generate_catalog(target, items, seed=seed)
    typer.echo(f"已生成 {items} 个事项的目录：{target}")
