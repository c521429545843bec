"""Settings of one counter-tui process: a TOML config file, overridden by COUNTER_TUI_* variables,
overridden by command-line options.

Kept free of SQLAlchemy and Textual so that `counter-tui --help` and the first paint stay fast.
"""

from __future__ import annotations

import os
import re
import shlex
import tomllib
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from counter_tui.clock import DEFAULT_ZONE, load_zone
from counter_tui.errors import UserError

APP_NAME = "counter-tui"

#: Keys a config file may hold, with what they mean (shown when a key is unknown).
KNOWN_KEYS = {
    "db": "数据库地址，如 sqlite:////var/lib/counter-tui/counter.db 或 postgresql+psycopg://…",
    "window": '本机窗口号，如 3；导服台（只取号、签到、预约，不叫号）写 "reception"',
    "keys": '按键重设，如 [keys] 下写 "section.intake" = "f7"（编号见 F1 帮助）',
    "print": '打印设置，如 [print] 下写 command = "lp -d HALL1"、format = "80mm"',
    "supervision": "电子监察预警，如 [supervision] 下写 reminder_days = 1、yellow_grace_days = 3",
    "timezone": '大厅所在时区，如 "Asia/Shanghai"（默认；与本机时区设置无关）',
    "idle_logout_minutes": "无操作多少分钟后自动注销（默认 15；0 表示不自动注销）",
    "sync": "与县级中心同步，如 [sync] 下写 interval_seconds = 60（0 表示只在按键时同步）",
    "queue": "排队叫号，如 [queue] 下写 recall_min_interval_seconds = 30",
    "ratings": "好差评，如 [ratings] 下写 followup_working_days = 5（差评整改期限）",
}
#: Sign-out after this many minutes without a key press or mouse action (shared hall PCs).
IDLE_LOGOUT_MINUTES = 15
#: Keys of the [supervision] table (whole working days, 0–30), with what they mean.
SUPERVISION_KEYS = {
    "reminder_days": "剩余几个工作日起提醒（默认 1：到期当天和前一个工作日）",
    "yellow_grace_days": "黄牌后几个工作日仍未办结即升为红牌（默认 3）",
}
#: Keys of the [print] table, with what they mean.
PRINT_KEYS = {
    "command": '打印命令，如 "lp -d HALL1"；文件路径加在最后，或写在 {file} 处',
    "folder": "文书保存的文件夹",
    "format": '"pdf"（A4）、"80mm" 或 "58mm"（小票打印机纯文字）',
    "font": "PDF 使用的中文字体文件（TTF/TTC/OTF）",
}
PRINT_FORMATS = ("pdf", "80mm", "58mm")
#: Keys of the [sync] table, with what they mean.
SYNC_KEYS = {
    "interval_seconds": "每隔多少秒在后台同步一次（默认 60；0 表示只在按键时同步；最少 10）",
}
#: Keys of the [queue] table, with what they mean.
QUEUE_KEYS = {
    "recall_min_interval_seconds": "同一个号两次呼叫至少相隔的秒数（默认 30；0 不限；最多 600）",
}
#: Keys of the [ratings] table, with what they mean.
RATINGS_KEYS = {
    "followup_working_days": "差评整改期限，几个工作日（默认 5；各地有 5、7、15 天；1–60）",
}
#: The longest follow-up deadline the [ratings] table accepts, in working days.
FOLLOWUP_MAX_DAYS = 60
#: The longest minimum between two calls of a ticket: ten minutes.
RECALL_MAX_INTERVAL_S = 600
#: The shortest background interval: a hall of PCs knocking every second would only load the hub.
SYNC_MIN_INTERVAL_S = 10
#: The longest: a day.
SYNC_MAX_INTERVAL_S = 86_400
#: The `window` of the reception desk.
RECEPTION = "reception"
#: A key name as Textual spells it: f1–f12, ctrl+x, letters, digits; several joined by commas.
KEY_SPEC = re.compile(r"^[a-z0-9_+]+(,[a-z0-9_+]+)*$")


def default_config_path() -> Path:
    from platformdirs import user_config_path

    return user_config_path(APP_NAME) / "config.toml"


def default_notice_folder() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME) / "notices"


def default_db_url() -> str:
    from platformdirs import user_data_path

    return "sqlite:///" + str(user_data_path(APP_NAME) / "counter.db")


@dataclass(frozen=True)
class PrintSettings:
    """How notices are printed: the [print] table of the config file."""

    #: The print command; the saved file's path is its last argument or replaces `{file}`.
    #: Empty: notices are only saved.
    command: str = ""
    #: Where every notice is saved first (a dated folder per day).
    folder: Path = field(default_factory=default_notice_folder)
    #: "pdf" (A4), or "80mm"/"58mm" plain text for a receipt printer.
    format: str = "pdf"
    #: The CJK font the PDF embeds; None: the packaged one (notices/fonts.py).
    font: Path | None = None


@dataclass(frozen=True)
class SupervisionSettings:
    """Time-limit warnings (电子监察): no national thresholds, so the county sets them
    (DOMAIN "Supervision"); workdays.sla.SupervisionPolicy takes these numbers."""

    reminder_days: int = 1
    yellow_grace_days: int = 3


@dataclass(frozen=True)
class SyncSettings:
    """Sync with the county hub in the app: the [sync] table of the config file."""

    #: Seconds between background rounds; 0: only when the clerk presses the key.
    interval_seconds: int = 60


@dataclass(frozen=True)
class QueueSettings:
    """The window's calling: the [queue] table of the config file."""

    #: Seconds a recall must wait after the last call of the same ticket (queue.rules).
    recall_min_interval_seconds: int = 30


@dataclass(frozen=True)
class RatingsSettings:
    """Ratings (好差评): the [ratings] table of the config file."""

    #: Working days a bad rating's follow-up (差评整改) has: the county sets it (DOMAIN).
    followup_working_days: int = 5


@dataclass(frozen=True)
class ConfigFile:
    """What a config file holds, each table parsed."""

    values: dict[str, str] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    printing: PrintSettings = field(default_factory=PrintSettings)
    supervision: SupervisionSettings = field(default_factory=SupervisionSettings)
    sync: SyncSettings = field(default_factory=SyncSettings)
    queue: QueueSettings = field(default_factory=QueueSettings)
    ratings: RatingsSettings = field(default_factory=RatingsSettings)


@dataclass(frozen=True)
class Settings:
    """Everything a process needs to know before it touches the database."""

    db_url: str = field(default_factory=default_db_url)
    window: str = "1"
    config_path: Path | None = None
    #: Demo (training) mode: fake data, and the database may never sync (DESIGN §4.7).
    demo: bool = False
    #: Binding id → key(s), from the config file's [keys] table (STYLE.md: remap keys by id).
    keys: dict[str, str] = field(default_factory=dict)
    #: Printing of notices, from the config file's [print] table.
    printing: PrintSettings = field(default_factory=PrintSettings)
    #: Time-limit warnings, from the config file's [supervision] table.
    supervision: SupervisionSettings = field(default_factory=SupervisionSettings)
    #: Background sync with the hub, from the config file's [sync] table.
    sync: SyncSettings = field(default_factory=SyncSettings)
    #: The window's calling, from the config file's [queue] table.
    queue: QueueSettings = field(default_factory=QueueSettings)
    #: Ratings' follow-up deadline, from the config file's [ratings] table.
    ratings: RatingsSettings = field(default_factory=RatingsSettings)
    #: The hall's time zone (IANA name): its days, numbers and printed times, whatever the PC's
    #: zone is (clock.py).
    timezone: str = DEFAULT_ZONE

    #: Minutes without a key press or mouse action before the app signs the user out (a shared
    #: hall PC left alone); 0: never.
    idle_logout_minutes: int = IDLE_LOGOUT_MINUTES

    def with_overrides(self, **changes: object) -> Settings:
        given = {k: v for k, v in changes.items() if v is not None}
        return replace(self, **given)  # type: ignore[arg-type]

    @property
    def reception(self) -> bool:
        """This PC is the hall's reception desk (导服台): it issues tickets, checks in and books
        appointments, and calls nobody."""
        return self.window == RECEPTION

    @property
    def sqlite_path(self) -> Path | None:
        """The file of an SQLite URL, or None for other engines and in-memory databases."""
        return sqlite_path(self.db_url)


def sqlite_path(url: str) -> Path | None:
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        return None
    rest = url[len(prefix) :].split("?", 1)[0]
    if rest in ("", ":memory:"):
        return None
    return Path(rest)


def normalise_db_option(value: str) -> str:
    """Accept a plain file path for `--db` as well as a URL."""
    if "://" in value:
        return value
    return "sqlite:///" + str(Path(value).expanduser().absolute())


def load_settings(
    config: str | Path | None = None,
    db: str | None = None,
    environ: dict[str, str] | None = None,
) -> Settings:
    """Build Settings: defaults < config file < environment < explicit arguments."""
    env = os.environ if environ is None else environ
    explicit_config = config is not None or "COUNTER_TUI_CONFIG" in env
    path = Path(config or env.get("COUNTER_TUI_CONFIG") or default_config_path()).expanduser()
    file = _read_config(path) if path.exists() or explicit_config else ConfigFile()
    values = dict(file.values)
    if "COUNTER_TUI_DB" in env:
        values["db"] = env["COUNTER_TUI_DB"]
    if "COUNTER_TUI_WINDOW" in env:
        values["window"] = env["COUNTER_TUI_WINDOW"]
    if "COUNTER_TUI_TIMEZONE" in env:
        zone = env["COUNTER_TUI_TIMEZONE"]
        values["timezone"] = _checked_zone(zone, "环境变量 COUNTER_TUI_TIMEZONE")
    elif "timezone" in values:
        values["timezone"] = _checked_zone(values["timezone"], f"配置文件 {path} 中 timezone")
    if db is not None:
        values["db"] = db
    settings = Settings(
        config_path=path if path.exists() else None,
        keys=file.keys,
        printing=file.printing,
        supervision=file.supervision,
        sync=file.sync,
        queue=file.queue,
        ratings=file.ratings,
    )
    if "db" in values:
        settings = replace(settings, db_url=normalise_db_option(values["db"]))
    if "window" in values:
        settings = replace(settings, window=values["window"])
    if "timezone" in values:
        settings = replace(settings, timezone=values["timezone"])
    if "idle_logout_minutes" in values:
        minutes = _idle_minutes(path, values["idle_logout_minutes"])
        settings = replace(settings, idle_logout_minutes=minutes)
    return settings


def _checked_zone(value: str, where: str) -> str:
    """An IANA zone name, or a UserError naming `where` it was given and the bad value."""
    name = value.strip()
    try:
        load_zone(name)
    except ValueError:
        raise UserError(
            f'{where} 不是有效的时区：{value!r}（应为 IANA 时区名，如 "Asia/Shanghai"）'
        ) from None
    return name


def _idle_minutes(path: Path, value: str) -> int:
    text = value.strip()
    if not text.isdigit() or int(text) > 1440:
        raise UserError(
            f"配置文件 {path} 中 idle_logout_minutes 应为 0 到 1440 之间的整数"
            f"（分钟；0 表示不自动注销），现在是 {value!r}"
        )
    return int(text)


def _read_config(path: Path) -> ConfigFile:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"找不到配置文件：{path}") from None
    except OSError as exc:
        raise UserError(f"无法读取配置文件：{path}（{exc.strerror}）") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise UserError(f"配置文件不是 UTF-8 文本：{path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"配置文件语法错误：{path}{_toml_position(str(exc))}：{exc}") from None
    unknown = sorted(set(data) - set(KNOWN_KEYS))
    if unknown:
        known = "、".join(KNOWN_KEYS)
        raise UserError(
            f"配置文件 {path} 中有未知的设置项：{'、'.join(unknown)}（可用的有：{known}）"
        )
    keys = _read_keys(path, data.pop("keys", {}))
    printing = _read_print(path, data.pop("print", {}))
    supervision = _read_supervision(path, data.pop("supervision", {}))
    sync = _read_sync(path, data.pop("sync", {}))
    queue = _read_queue(path, data.pop("queue", {}))
    ratings = _read_ratings(path, data.pop("ratings", {}))
    values: dict[str, str] = {}
    for key, value in data.items():
        if not isinstance(value, str | int):
            raise UserError(f'配置文件 {path} 中 {key} 应为文字，例如 {key} = "…"')
        values[key] = str(value)
    return ConfigFile(values, keys, printing, supervision, sync, queue, ratings)


def _settings_table(
    path: Path, name: str, table: object, known: Collection[str], example: str
) -> dict[str, Any]:
    """A [name] table of the config file holding only `known` keys, or a sentence that says
    what is wrong with it (`example` shows a line it may hold)."""
    if not isinstance(table, dict):
        raise UserError(f"配置文件 {path} 中 {name} 应为一个表：[{name}] 下写 {example}")
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise UserError(
            f"配置文件 {path} 中 [{name}] 有未知的设置项：{'、'.join(unknown)}"
            f"（可用的有：{'、'.join(known)}）"
        )
    return table


def _read_queue(path: Path, table: object) -> QueueSettings:
    table = _settings_table(path, "queue", table, QUEUE_KEYS, "recall_min_interval_seconds = 30")
    value = table.get("recall_min_interval_seconds", QueueSettings.recall_min_interval_seconds)
    wrong = isinstance(value, bool) or not isinstance(value, int)
    if wrong or not 0 <= value <= RECALL_MAX_INTERVAL_S:
        raise UserError(
            f"配置文件 {path} 中 [queue] 的 recall_min_interval_seconds 应为 0 到"
            f" {RECALL_MAX_INTERVAL_S} 之间的整数（秒；0 表示不限），现在是 {value!r}"
        )
    return QueueSettings(recall_min_interval_seconds=value)


def _read_ratings(path: Path, table: object) -> RatingsSettings:
    table = _settings_table(path, "ratings", table, RATINGS_KEYS, "followup_working_days = 5")
    value = table.get("followup_working_days", RatingsSettings.followup_working_days)
    wrong = isinstance(value, bool) or not isinstance(value, int)
    if wrong or not 1 <= value <= FOLLOWUP_MAX_DAYS:
        raise UserError(
            f"配置文件 {path} 中 [ratings] 的 followup_working_days 应为 1 到"
            f" {FOLLOWUP_MAX_DAYS} 之间的整数（工作日数），现在是 {value!r}"
        )
    return RatingsSettings(followup_working_days=value)


def _read_sync(path: Path, table: object) -> SyncSettings:
    table = _settings_table(path, "sync", table, SYNC_KEYS, "interval_seconds = 60")
    value = table.get("interval_seconds", SyncSettings.interval_seconds)
    wrong = isinstance(value, bool) or not isinstance(value, int)
    if wrong or not (value == 0 or SYNC_MIN_INTERVAL_S <= value <= SYNC_MAX_INTERVAL_S):
        raise UserError(
            f"配置文件 {path} 中 [sync] 的 interval_seconds 应为 0 或 {SYNC_MIN_INTERVAL_S}"
            f" 到 {SYNC_MAX_INTERVAL_S} 之间的整数（秒；0 表示只在按键时同步），现在是 {value!r}"
        )
    return SyncSettings(interval_seconds=value)


def _read_supervision(path: Path, table: object) -> SupervisionSettings:
    table = _settings_table(path, "supervision", table, SUPERVISION_KEYS, "reminder_days = 1")
    numbers = {}
    for key, value in table.items():
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 30:
            raise UserError(
                f"配置文件 {path} 中 [supervision] 的 {key} 应为 0 到 30 之间的整数"
                f"（工作日数），现在是 {value!r}"
            )
        numbers[key] = value
    return SupervisionSettings(**numbers)


def _read_keys(path: Path, table: object) -> dict[str, str]:
    if not isinstance(table, dict):
        raise UserError(f'配置文件 {path} 中 keys 应为一个表：[keys] 下写 "section.intake" = "f7"')
    keys: dict[str, str] = {}
    for binding_id, key in table.items():
        if not isinstance(key, str) or not KEY_SPEC.match(key.strip().lower()):
            raise UserError(
                f"配置文件 {path} 中 [keys] 的 {binding_id} 不是有效的按键：{key!r}"
                "（例如 f7、ctrl+k，多个用逗号分隔）"
            )
        keys[binding_id] = key.strip().lower()
    return keys


def _read_print(path: Path, table: object) -> PrintSettings:
    """The [print] table; relative paths in it are relative to the config file's folder."""
    if not isinstance(table, dict):
        raise UserError(f'配置文件 {path} 中 print 应为一个表：[print] 下写 format = "80mm"')
    unknown = sorted(set(table) - set(PRINT_KEYS))
    if unknown:
        raise UserError(
            f"配置文件 {path} 中 [print] 有未知的设置项：{'、'.join(unknown)}"
            f"（可用的有：{'、'.join(PRINT_KEYS)}）"
        )
    for key, value in table.items():
        if not isinstance(value, str):
            raise UserError(f'配置文件 {path} 中 [print] 的 {key} 应为文字，例如 {key} = "…"')
    printing = PrintSettings()
    command = table.get("command", "").strip()
    if command:
        try:
            words = shlex.split(command)
        except ValueError:
            words = []
        if not words:
            raise UserError(
                f"配置文件 {path} 中 [print] 的 command 不是有效的命令：{command!r}"
                '（引号要成对，例如 command = "lp -d HALL1"）'
            )
    format_ = table.get("format", printing.format).strip().lower()
    if format_ not in PRINT_FORMATS:
        raise UserError(
            f"配置文件 {path} 中 [print] 的 format 不能是 {format_!r}"
            f"（可用的有：{'、'.join(PRINT_FORMATS)}）"
        )
    folder = printing.folder
    if table.get("folder", "").strip():
        folder = _config_relative(path, table["folder"])
    font = _config_relative(path, table["font"]) if table.get("font", "").strip() else None
    return PrintSettings(command=command, folder=folder, format=format_, font=font)


def _config_relative(config: Path, value: str) -> Path:
    path = Path(value.strip()).expanduser()
    return path if path.is_absolute() else config.parent.absolute() / path


def _toml_position(message: str) -> str:
    """'Invalid value (at line 3, column 7)' → ' 第 3 行第 7 列'."""
    match = re.search(r"line (\d+), column (\d+)", message)
    return f" 第 {match[1]} 行第 {match[2]} 列" if match else ""
