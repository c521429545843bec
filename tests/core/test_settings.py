"""Settings: defaults < config file < environment < command-line options, and config mistakes
explained with the file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from counter_tui.errors import UserError
from counter_tui.settings import (
    RatingsSettings,
    Settings,
    SupervisionSettings,
    load_settings,
    normalise_db_option,
)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """platformdirs looks here, never at the real user's config."""
    for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        monkeypatch.setenv(variable, str(tmp_path / variable.lower()))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return tmp_path


def write_config(tmp_path: Path, text: str, name: str = "config.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_live_in_the_users_data_folder(tmp_path: Path) -> None:
    settings = load_settings(environ={})

    assert (
        settings.db_url == f"sqlite:///{tmp_path / 'xdg_data_home' / 'counter-tui' / 'counter.db'}"
    )
    assert (settings.window, settings.config_path, settings.demo) == ("1", None, False)


def test_each_layer_overrides_the_one_before(tmp_path: Path) -> None:
    default_config = tmp_path / "xdg_config_home" / "counter-tui" / "config.toml"
    default_config.parent.mkdir(parents=True)
    default_config.write_text('db = "/srv/from-config.db"\nwindow = 3\n', encoding="utf-8")

    from_config = load_settings(environ={})
    from_env = load_settings(environ={"COUNTER_TUI_DB": "/srv/from-env.db"})
    from_option = load_settings(
        db="postgresql+psycopg://hall/counter",
        environ={"COUNTER_TUI_DB": "/srv/from-env.db", "COUNTER_TUI_WINDOW": "7"},
    )

    assert (from_config.db_url, from_config.window) == ("sqlite:////srv/from-config.db", "3")
    assert from_config.config_path == default_config
    assert (from_env.db_url, from_env.window) == ("sqlite:////srv/from-env.db", "3")
    assert (from_option.db_url, from_option.window) == ("postgresql+psycopg://hall/counter", "7")


def test_an_explicit_config_file_replaces_the_default_one(tmp_path: Path) -> None:
    chosen = write_config(tmp_path, 'window = "12"\n', "window12.toml")

    by_option = load_settings(config=chosen, environ={})
    by_env = load_settings(environ={"COUNTER_TUI_CONFIG": str(chosen)})

    assert by_option.window == by_env.window == "12"
    assert by_option.config_path == chosen


def test_a_missing_explicit_config_file_is_an_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"

    with pytest.raises(UserError) as refused:
        load_settings(config=missing, environ={})

    assert refused.value.message == f"找不到配置文件：{missing}"


def test_a_syntax_error_names_the_file_and_the_line(tmp_path: Path) -> None:
    broken = write_config(tmp_path, 'window = "3"\ndb = /srv/counter.db\n')

    with pytest.raises(UserError) as refused:
        load_settings(config=broken, environ={})

    assert refused.value.message.startswith(f"配置文件语法错误：{broken} 第 2 行第 6 列")


def test_an_unknown_key_is_named_with_the_keys_that_exist(tmp_path: Path) -> None:
    typo = write_config(tmp_path, 'windw = "3"\n')

    with pytest.raises(UserError) as refused:
        load_settings(config=typo, environ={})

    assert (
        refused.value.message == f"配置文件 {typo} 中有未知的设置项：windw"
        "（可用的有：db、window、keys、print、supervision、timezone、idle_logout_minutes、sync、queue、ratings）"
    )


def test_a_config_value_of_the_wrong_kind_is_explained(tmp_path: Path) -> None:
    wrong = write_config(tmp_path, "db = [1, 2]\n")

    with pytest.raises(UserError, match="db 应为文字"):
        load_settings(config=wrong, environ={})


def test_a_plain_path_for_db_becomes_an_absolute_sqlite_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    assert normalise_db_option("hall.db") == f"sqlite:///{tmp_path / 'hall.db'}"
    assert normalise_db_option("sqlite:///:memory:") == "sqlite:///:memory:"
    assert Settings(db_url="sqlite:///:memory:").sqlite_path is None
    assert Settings(db_url=f"sqlite:///{tmp_path}/a.db?x=1").sqlite_path == tmp_path / "a.db"


def test_keys_are_remapped_by_binding_id_from_the_config_file(tmp_path: Path) -> None:
    config = write_config(tmp_path, '[keys]\n"section.reports" = "F7"\nhelp = "f1,ctrl+h"\n')

    settings = load_settings(config=config, environ={})

    assert settings.keys == {"section.reports": "f7", "help": "f1,ctrl+h"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('keys = "f7"\n', "keys 应为一个表"),
        ('[keys]\nhelp = "F 1"\n', "[keys] 的 help 不是有效的按键：'F 1'"),
        ("[keys]\nhelp = 7\n", "[keys] 的 help 不是有效的按键：7"),
    ],
)
def test_a_bad_key_table_is_explained(tmp_path: Path, text: str, expected: str) -> None:
    config = write_config(tmp_path, text)

    with pytest.raises(UserError) as caught:
        load_settings(config=config, environ={})

    assert expected in caught.value.message
    assert str(config) in caught.value.message


# --- [print] ------------------------------------------------------------------------------------


def test_printing_defaults_save_pdf_in_the_users_data_folder(tmp_path: Path) -> None:
    printing = load_settings(environ={}).printing

    assert printing.folder == tmp_path / "xdg_data_home" / "counter-tui" / "notices"
    assert (printing.command, printing.format, printing.font) == ("", "pdf", None)


def test_the_print_table_is_read(tmp_path: Path) -> None:
    path = write_config(
        tmp_path,
        '[print]\ncommand = "lp -d HALL1"\nfolder = "/srv/notices"\nformat = "58MM"\n'
        'font = "fonts/simsun.ttc"\n',
    )

    printing = load_settings(config=path, environ={}).printing

    assert printing.command == "lp -d HALL1"
    assert printing.folder == Path("/srv/notices")
    assert printing.format == "58mm"
    assert printing.font == tmp_path / "fonts" / "simsun.ttc"  # beside the config file


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('print = "lp"\n', "print 应为一个表"),
        ('[print]\nprinter = "lp"\n', "[print] 有未知的设置项：printer"),
        ('[print]\nformat = "a4"\n', "[print] 的 format 不能是 'a4'"),
        ('[print]\ncommand = "lp -d \'HALL1"\n', "[print] 的 command 不是有效的命令"),
        ("[print]\nfolder = 3\n", "[print] 的 folder 应为文字"),
    ],
)
def test_print_mistakes_name_the_key(tmp_path: Path, text: str, expected: str) -> None:
    path = write_config(tmp_path, text)

    with pytest.raises(UserError) as error:
        load_settings(config=path, environ={})

    assert expected in error.value.message and str(path) in error.value.message


def test_supervision_defaults_and_table(tmp_path: Path) -> None:
    assert load_settings(config=write_config(tmp_path, ""), environ={}).supervision == (
        SupervisionSettings(reminder_days=1, yellow_grace_days=3)
    )
    path = write_config(tmp_path, "[supervision]\nreminder_days = 2\nyellow_grace_days = 0\n")

    supervision = load_settings(config=path, environ={}).supervision

    assert (supervision.reminder_days, supervision.yellow_grace_days) == (2, 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("supervision = 3\n", "supervision 应为一个表"),
        ("[supervision]\nred_days = 3\n", "[supervision] 有未知的设置项：red_days"),
        ('[supervision]\nreminder_days = "1"\n', "reminder_days 应为 0 到 30 之间的整数"),
        ("[supervision]\nyellow_grace_days = 31\n", "现在是 31"),
        ("[supervision]\nreminder_days = true\n", "现在是 True"),
    ],
)
def test_supervision_mistakes_name_the_key(tmp_path: Path, text: str, expected: str) -> None:
    path = write_config(tmp_path, text)

    with pytest.raises(UserError) as error:
        load_settings(config=path, environ={})

    assert expected in error.value.message and str(path) in error.value.message


def test_idle_sign_out_defaults_to_fifteen_minutes_and_is_configurable(tmp_path: Path) -> None:
    assert load_settings(config=write_config(tmp_path, ""), environ={}).idle_logout_minutes == 15
    path = write_config(tmp_path, "idle_logout_minutes = 0\n")
    assert load_settings(config=path, environ={}).idle_logout_minutes == 0


@pytest.mark.parametrize("value", ["-1", "1441", '"soon"', "true"])
def test_a_bad_idle_sign_out_value_is_explained(tmp_path: Path, value: str) -> None:
    path = write_config(tmp_path, f"idle_logout_minutes = {value}\n")

    with pytest.raises(UserError) as refused:
        load_settings(config=path, environ={})

    assert "idle_logout_minutes 应为 0 到 1440 之间的整数" in refused.value.message


def test_background_sync_defaults_to_every_minute_and_is_configurable(tmp_path: Path) -> None:
    assert load_settings(config=write_config(tmp_path, ""), environ={}).sync.interval_seconds == 60
    on_demand = write_config(tmp_path, "[sync]\ninterval_seconds = 0\n")
    assert load_settings(config=on_demand, environ={}).sync.interval_seconds == 0
    slow = write_config(tmp_path, "[sync]\ninterval_seconds = 300\n")
    assert load_settings(config=slow, environ={}).sync.interval_seconds == 300


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sync = 60\n", "sync 应为一个表"),
        ("[sync]\nevery = 60\n", "[sync] 有未知的设置项：every"),
        ("[sync]\ninterval_seconds = 5\n", "interval_seconds 应为 0 或 10 到 86400 之间的整数"),
        ("[sync]\ninterval_seconds = -1\n", "现在是 -1"),
        ('[sync]\ninterval_seconds = "60"\n', "现在是 '60'"),
        ("[sync]\ninterval_seconds = true\n", "现在是 True"),
    ],
)
def test_sync_mistakes_name_the_key(tmp_path: Path, text: str, expected: str) -> None:
    path = write_config(tmp_path, text)

    with pytest.raises(UserError) as error:
        load_settings(config=path, environ={})

    assert expected in error.value.message and str(path) in error.value.message


def test_the_ratings_followup_deadline_is_read_and_checked(tmp_path: Path) -> None:
    assert load_settings(config=write_config(tmp_path, ""), environ={}).ratings == (
        RatingsSettings(followup_working_days=5)
    )
    seven = write_config(tmp_path, "[ratings]\nfollowup_working_days = 7\n")
    assert load_settings(config=seven, environ={}).ratings.followup_working_days == 7
    zero = write_config(tmp_path, "[ratings]\nfollowup_working_days = 0\n")
    with pytest.raises(UserError, match="followup_working_days 应为 1 到 60 之间的整数"):
        load_settings(config=zero, environ={})
