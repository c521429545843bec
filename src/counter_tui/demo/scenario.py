"""A training scenario as read from its text file (docs/scenarios.md): the header, the `given:`
lines that set the hall up, and the tasks with their checks, hints and mistakes.

The format is line-based so that every problem names its file and line (`ScenarioError`); the
words after a keyword are parsed here, what they mean (which givens and checks exist, which
parameters they take) is demo.givens and demo.checks, asked through `Vocabulary` so that a
misspelt check is refused when the file is read, not when a trainee reaches it.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from counter_tui.errors import UserError
from counter_tui.text import clean

#: Points one hint costs, and one caught mistake (a header may change them).
HINT_COST = 5
MISTAKE_COST = 10

#: The header's keys, and the roles a scenario may ask the trainee to sign in as.
HEADER_KEYS = ("name", "title", "summary", "account", "hint_cost", "mistake_cost")
ACCOUNTS = {
    "clerk": "窗口人员",
    "approver": "后台审批",
    "supervisor": "督查管理",
    "trainer": "培训讲师",
}
NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,47}$")
LABEL = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,31}$")
#: Between a mistake's condition and its message.
MISTAKE_ARROW = "=>"


class ScenarioError(UserError):
    """A scenario file the trainer must fix: where (file, line) and what is wrong, in Chinese."""

    def __init__(self, source: str, line: int, problem: str) -> None:
        self.source = source
        self.line = line
        self.problem = problem
        super().__init__(f"文件 {source} 第 {line} 行：{problem}")


@dataclass(frozen=True)
class Clause:
    """One `given:`, `check:` or `mistake:` condition: a kind and its key=value parameters.

    `words` are the positional words after the kind (`event case.accepted` has one: the event
    type). `line` is where it was written, for errors found later (a given that fails)."""

    kind: str
    params: Mapping[str, str]
    words: tuple[str, ...] = ()
    line: int = 0

    @property
    def label(self) -> str | None:
        """The name `as=NAME` gives what this clause finds (a case, a ticket …) for later lines."""
        return self.params.get("as")


@dataclass(frozen=True)
class Mistake:
    """A known wrong step: the event that shows it, and what the trainee is told."""

    clause: Clause
    message: str


@dataclass(frozen=True)
class Task:
    """One step of a scenario: passed when every check has matched an event observed while the
    task was the current one."""

    title: str
    instruction: str
    checks: tuple[Clause, ...]
    hints: tuple[str, ...] = ()
    mistakes: tuple[Mistake, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    summary: str
    #: The role the trainee signs in as (a key of ACCOUNTS).
    account: str
    givens: tuple[Clause, ...]
    tasks: tuple[Task, ...]
    #: Mistakes watched during every task (written before the first `task:`).
    mistakes: tuple[Mistake, ...] = ()
    hint_cost: int = HINT_COST
    mistake_cost: int = MISTAKE_COST
    #: The file it was read from (shown in errors; "" for a text parsed in memory).
    source: str = ""

    @property
    def account_label(self) -> str:
        return ACCOUNTS[self.account]


@dataclass(frozen=True)
class Vocabulary:
    """What the parser asks about kinds: None when a clause is fine, else the problem in
    Chinese. demo.checks and demo.givens provide the real ones (`default_vocabulary`)."""

    given: Callable[[Clause, frozenset[str]], str | None]
    check: Callable[[Clause, frozenset[str]], str | None]


def parse(text: str, *, source: str, vocabulary: Vocabulary) -> Scenario:
    """Parse a scenario's text (see docs/scenarios.md). `source` names it in errors.
    (demo.scenario_files.parse_scenario parses with the real vocabulary.)"""
    return _Parser(source, vocabulary).parse(text)


# --- the parser ---------------------------------------------------------------------------


@dataclass
class _TaskDraft:
    title: str
    line: int
    instruction: list[str] = field(default_factory=list)
    checks: list[Clause] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)
    mistakes: list[Mistake] = field(default_factory=list)


class _Parser:
    def __init__(self, source: str, vocabulary: Vocabulary) -> None:
        self.source = source
        self.vocabulary = vocabulary
        self.header: dict[str, tuple[str, int]] = {}
        self.givens: list[Clause] = []
        self.mistakes: list[Mistake] = []
        self.tasks: list[_TaskDraft] = []
        #: Names given by `as=` so far: a later line may refer to them, an earlier may not.
        self.labels: set[str] = set()

    def fail(self, line: int, problem: str) -> ScenarioError:
        return ScenarioError(self.source, line, problem)

    def parse(self, text: str) -> Scenario:
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            key, colon, rest = line.partition(":")
            if not colon:
                key, colon, rest = line.partition("：")
            key = key.strip().lower()
            if not colon or not key:
                raise self.fail(number, f"应为“关键字: 内容”，如 task: 叫号；收到 {line!r}")
            self.line(number, key, clean(rest).strip())
        return self.finish()

    def line(self, number: int, key: str, rest: str) -> None:
        if not rest:
            raise self.fail(number, f"{key}: 后面缺少内容")
        if key in HEADER_KEYS:
            if self.givens or self.tasks:
                raise self.fail(number, f"{key}: 是开头的说明，应写在 given: 和 task: 之前")
            if key in self.header:
                raise self.fail(number, f"{key}: 重复（第 {self.header[key][1]} 行已写过）")
            self.header[key] = (rest, number)
        elif key == "given":
            if self.tasks:
                raise self.fail(number, "given: 应写在第一个 task: 之前")
            clause = self.clause(number, rest)
            self.ask(number, self.vocabulary.given(clause, frozenset(self.labels)))
            self.learn(number, clause)
            self.givens.append(clause)
        elif key == "task":
            self.tasks.append(_TaskDraft(title=rest, line=number))
        elif key in ("do", "check", "hint"):
            task = self.current(number, key)
            if key == "do":
                task.instruction.append(rest)
            elif key == "hint":
                task.hints.append(rest)
            else:
                clause = self.clause(number, rest)
                self.ask(number, self.vocabulary.check(clause, frozenset(self.labels)))
                self.learn(number, clause)
                task.checks.append(clause)
        elif key == "mistake":
            mistake = self.mistake(number, rest)
            (self.tasks[-1].mistakes if self.tasks else self.mistakes).append(mistake)
        else:
            known = "、".join((*HEADER_KEYS, "given", "task", "do", "check", "hint", "mistake"))
            raise self.fail(number, f"未知的关键字 {key}:（可用：{known}）")

    def current(self, number: int, key: str) -> _TaskDraft:
        if not self.tasks:
            raise self.fail(number, f"{key}: 应写在某个 task: 之下")
        return self.tasks[-1]

    def clause(self, number: int, rest: str) -> Clause:
        try:
            tokens = shlex.split(rest, posix=True)
        except ValueError:
            raise self.fail(number, "引号没有配对") from None
        kind, *others = tokens
        params: dict[str, str] = {}
        words: list[str] = []
        for token in others:
            name, eq, value = token.partition("=")
            if not eq:
                if params:
                    raise self.fail(number, f"“{token}”应写成 名称=值，且放在所有单独的词之后")
                words.append(token)
                continue
            if not name:
                raise self.fail(number, f"“{token}”缺少参数名")
            if name in params:
                raise self.fail(number, f"参数 {name} 重复")
            params[name] = value
        return Clause(kind=kind.lower(), params=params, words=tuple(words), line=number)

    def ask(self, number: int, problem: str | None) -> None:
        if problem:
            raise self.fail(number, problem)

    def learn(self, number: int, clause: Clause) -> None:
        label = clause.label
        if label is None:
            return
        if not LABEL.match(label):
            raise self.fail(number, f"as={label}：名称应以字母开头，只含字母、数字、下划线")
        if label in self.labels:
            raise self.fail(number, f"as={label}：这个名称前面已经用过")
        self.labels.add(label)

    def mistake(self, number: int, rest: str) -> Mistake:
        condition, arrow, message = rest.partition(MISTAKE_ARROW)
        if not arrow or not message.strip() or not condition.strip():
            raise self.fail(number, f"mistake: 应写成 条件 {MISTAKE_ARROW} 提示学员的话")
        clause = self.clause(number, condition.strip())
        if clause.label:
            raise self.fail(number, "mistake: 的条件不能用 as= 命名")
        self.ask(number, self.vocabulary.check(clause, frozenset(self.labels)))
        return Mistake(clause=clause, message=message.strip())

    def finish(self) -> Scenario:
        end = 1
        for key in ("name", "title", "summary"):
            if key not in self.header:
                raise self.fail(end, f"缺少 {key}: （文件开头应写 name:、title:、summary:）")
        name, line = self.header["name"]
        if not NAME.match(name):
            raise self.fail(line, f"name: 应为小写字母、数字和连字符（如 routine-intake）：{name}")
        account, line = self.header.get("account", ("clerk", 1))
        if account not in ACCOUNTS:
            known = "、".join(f"{k} {v}" for k, v in ACCOUNTS.items())
            raise self.fail(line, f"account: 未知的角色 {account}（可用：{known}）")
        costs = {k: self.cost(k) for k in ("hint_cost", "mistake_cost")}
        if not self.tasks:
            raise self.fail(end, "至少要有一个 task:")
        for task in self.tasks:
            if not task.checks:
                raise self.fail(task.line, f"任务“{task.title}”没有 check:，无法判断是否完成")
            if not task.instruction:
                raise self.fail(task.line, f"任务“{task.title}”缺少 do:（告诉学员要做什么）")
        return Scenario(
            name=name,
            title=self.header["title"][0],
            summary=self.header["summary"][0],
            account=account,
            givens=tuple(self.givens),
            tasks=tuple(
                Task(
                    title=t.title,
                    instruction="\n".join(t.instruction),
                    checks=tuple(t.checks),
                    hints=tuple(t.hints),
                    mistakes=tuple(t.mistakes),
                    line=t.line,
                )
                for t in self.tasks
            ),
            mistakes=tuple(self.mistakes),
            hint_cost=costs["hint_cost"],
            mistake_cost=costs["mistake_cost"],
            source=self.source,
        )

    def cost(self, key: str) -> int:
        default = HINT_COST if key == "hint_cost" else MISTAKE_COST
        if key not in self.header:
            return default
        value, line = self.header[key]
        if not value.isdigit() or int(value) > 100:
            raise self.fail(line, f"{key}: 应为 0–100 的整数；收到 {value}")
        return int(value)
