"""The spoken call: its words, finding espeak-ng (really missing here; present as a fake on PATH),
and one announcement at a time without piling up."""

from __future__ import annotations

import os
import stat
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from counter_tui.queue import voice
from counter_tui.queue.voice import Announcer, Unavailable, announcement, find_announcer, has_voice

LISTING = """Pty Language       Age/Gender VoiceName          File                 Other Languages
 5  cmn             --/M      Chinese_(Mandarin) sit/cmn              (zh-cmn 5)(zh 5)
"""


def test_the_words_of_a_call() -> None:
    assert announcement("A012", "3") == "请 A012 号到 3 号窗口"
    assert announcement("K001", "12") == "请 K001 号到 12 号窗口"


def test_the_mandarin_voice_is_found_in_the_listing() -> None:
    assert has_voice(LISTING, "cmn")
    assert not has_voice(LISTING.splitlines()[0], "cmn")  # the heading alone
    assert not has_voice(LISTING, "yue")
    assert has_voice("Pty Language Age/Gender VoiceName File\n 5 zh --/M Mandarin sit/cmn\n", "cmn")


def test_without_espeak_ng_the_note_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing there, as on a fresh hall PC
    found = find_announcer()
    assert found == Unavailable("语音播报未开启：未安装 espeak-ng（可 apt install espeak-ng）")


def fake_espeak(folder: Path, *, listing: str = LISTING) -> Path:
    """An espeak-ng that lists `listing` as its voices and records every other argv it gets."""
    folder.mkdir(exist_ok=True)
    (folder / "voices.txt").write_text(listing, encoding="utf-8")
    script = folder / "espeak-ng"
    script.write_text(
        "#!/bin/sh\n"
        'here="$(dirname "$0")"\n'
        'case "$1" in --voices=*) cat "$here/voices.txt"; exit 0;; esac\n'
        'printf "%s\\n" "$@" > "$here/said.tmp" && mv "$here/said.tmp" "$here/said.txt"\n',
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def test_with_espeak_ng_a_call_is_spoken_in_mandarin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = fake_espeak(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{script.parent}{os.pathsep}{os.environ['PATH']}")
    announcer = find_announcer()
    assert isinstance(announcer, Announcer)
    announcer.say(announcement("A012", "3"))
    said = script.parent / "said.txt"
    deadline = time.monotonic() + 5
    while not said.exists() and time.monotonic() < deadline:
        time.sleep(0.01)  # a child process, not the event loop: a bounded wait is all there is
    assert said.read_text(encoding="utf-8").splitlines() == ["-v", "cmn", "请 A012 号到 3 号窗口"]
    announcer.close()


def test_espeak_ng_without_the_mandarin_voice_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = fake_espeak(tmp_path / "bin", listing=LISTING.splitlines()[0] + "\n")
    monkeypatch.setenv("PATH", f"{script.parent}{os.pathsep}{os.environ['PATH']}")
    assert find_announcer() == Unavailable(voice.NO_MANDARIN)
    assert "普通话语音 cmn" in voice.NO_MANDARIN


class Speaking:
    """A child process that speaks until `done`."""

    def __init__(self) -> None:
        self.done = False
        self.terminated = False

    def poll(self) -> int | None:
        return 0 if self.done else None

    def terminate(self) -> None:
        self.terminated = self.done = True


def test_one_announcement_at_a_time_and_the_oldest_dropped() -> None:
    started: list[tuple[str, Speaking]] = []

    def spawn(argv: Sequence[str]) -> subprocess.Popen[bytes]:
        process = Speaking()
        started.append((argv[-1], process))
        return process  # type: ignore[return-value]

    announcer = Announcer("espeak-ng", queue_length=2, spawn=spawn)
    for number in ("A001", "A002", "A003", "A004"):
        announcer.say(number)
    assert [text for text, _ in started] == ["A001"]  # the others wait; A002 was dropped
    announcer.pump()
    assert len(started) == 1 and announcer.busy
    started[-1][1].done = True
    announcer.pump()
    assert [text for text, _ in started] == ["A001", "A003"]
    started[-1][1].done = True
    announcer.pump()
    started[-1][1].done = True
    announcer.pump()
    assert [text for text, _ in started] == ["A001", "A003", "A004"]
    assert not announcer.busy


def test_closing_stops_what_is_spoken_and_forgets_the_rest() -> None:
    started: list[Speaking] = []

    def spawn(argv: Sequence[str]) -> subprocess.Popen[bytes]:
        started.append(Speaking())
        return started[-1]  # type: ignore[return-value]

    announcer = Announcer("espeak-ng", spawn=spawn)
    announcer.say("A001")
    announcer.say("A002")
    announcer.close()
    assert started[0].terminated and not announcer.busy
    announcer.pump()
    assert len(started) == 1


def test_the_call_is_said_in_pinyin_the_ticket_digit_by_digit_the_window_as_a_number() -> None:
    assert voice.spoken(announcement("A012", "3")) == (
        "qing3 A ling2 yi1 er4 hao4 dao4 san1 hao4 chuang1 kou3"
    )
    assert voice.spoken(announcement("V105", "12")) == (
        "qing3 V yi1 ling2 wu3 hao4 dao4 shi2 er4 hao4 chuang1 kou3"
    )
    assert voice.spoken(announcement("B1000", "20")).startswith("qing3 B yi1 ling2 ling2 ling2")
    assert "er4 shi2 hao4" in voice.spoken(announcement("B001", "20"))


def test_with_the_pinyin_voice_the_call_is_spoken_as_pinyin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pinyin = (
        " 5  cmn-latn-pinyin --/M      Chinese_(Mandarin,_latin_as_Pinyin) sit/cmn-Latn-pinyin\n"
    )
    script = fake_espeak(tmp_path / "bin", listing=LISTING + pinyin)
    monkeypatch.setenv("PATH", f"{script.parent}{os.pathsep}{os.environ['PATH']}")
    announcer = find_announcer()
    assert isinstance(announcer, Announcer) and announcer.voice == "cmn-latn-pinyin"
    announcer.say(announcement("A012", "3"))
    said = script.parent / "said.txt"
    deadline = time.monotonic() + 5
    while not said.exists() and time.monotonic() < deadline:
        time.sleep(0.01)  # a child process, not the event loop: a bounded wait is all there is
    words = "qing3 A ling2 yi1 er4 hao4 dao4 san1 hao4 chuang1 kou3"
    assert said.read_text(encoding="utf-8").splitlines() == ["-v", "cmn-latn-pinyin", words]
    announcer.close()
