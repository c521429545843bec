"""The data-file toolkit both loaders use: a file that cannot be read is one problem, and a
record's problems (unknown, missing, mistyped fields) each name their own line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from counter_tui.datafiles.fields import Spec, day, integer, read_record, text
from counter_tui.datafiles.reading import DataFile, Problem

SPEC: Spec = {
    "name": (text, True, None),
    "copies": (integer(0, 9), False, 1),
    "from": (day, False, None),
}


def read(tmp_path: Path, content: str | bytes) -> tuple[DataFile, list[Problem]]:
    path = tmp_path / "x.toml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    problems: list[Problem] = []
    return DataFile.read(path, "x.toml", problems), problems


def test_a_record_is_read_with_its_defaults(tmp_path: Path) -> None:
    file, problems = read(tmp_path, 'name = " 国庆节 "\nfrom = 2026-10-01\n')

    assert file.data is not None
    values = read_record(file, file.data, (), SPEC, "节日")
    assert values == {"name": "国庆节", "copies": 1, "from": date(2026, 10, 1)}
    assert problems == []


def test_every_problem_of_a_record_names_its_line(tmp_path: Path) -> None:
    file, problems = read(tmp_path, 'copies = 12\nfrom = "2026-02-30"\nnmae = "x"\n')

    assert file.data is not None
    assert read_record(file, file.data, (), SPEC, "节日") is None
    assert [str(p) for p in problems] == [
        "x.toml:3: nmae: 未知字段（节日可用的字段：name、copies、from）",
        "x.toml:1: name: 缺少必填字段",
        "x.toml:1: copies: 应在 0–9 之间，实际是 12",
        "x.toml:2: from: 应为日期，如 2026-10-01，实际是 2026-02-30",
    ]


def test_a_date_time_where_text_belongs_is_named_in_chinese(tmp_path: Path) -> None:
    file, problems = read(tmp_path, "name = 2026-10-01T09:00:00\n")

    assert file.data is not None
    read_record(file, file.data, (), SPEC, "节日")
    assert [str(p) for p in problems] == ["x.toml:1: name: 应为文字，实际是 日期时间"]


def test_an_unreadable_file_is_one_problem_and_no_data(tmp_path: Path) -> None:
    broken, syntax = read(tmp_path, 'name = "a"\ncopies = = 2\n')
    latin, encoding = read(tmp_path, "name = '\xe9'\n".encode("latin-1"))

    assert broken.data is None and latin.data is None
    assert [(p.line, p.field) for p in syntax] == [(2, "-")]
    assert syntax[0].message.startswith("TOML 语法错误")
    assert [str(p) for p in encoding] == ["x.toml:1: -: 不是 UTF-8 文本"]
