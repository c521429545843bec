"""Calls spoken aloud through espeak-ng's Mandarin voice, for halls with a loudspeaker on the
display PC. Optional: without espeak-ng the display says why there is no voice and carries on.

What is spoken: espeak-ng's Mandarin dictionary (cmn_dict, as Debian ships it) lacks common
characters of the call, 请, 号 and 口 among them, and reads them out as English; its
`cmn-latn-pinyin` voice reads tone-numbered pinyin correctly. So where that voice is installed
the call is said as pinyin made by pypinyin ("qing3 A ling2 yi1 er4 hao4 dao4 san1 hao4 chuang1
kou3"), the ticket's digits one by one as halls call them; only without it is the Chinese text
given to the `cmn` voice.

Speaking never blocks the caller: each announcement is a child process, and while one speaks the
next wait in a short queue (the oldest dropped when it is full: a call that is ten calls old is
no use to anyone).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

EXECUTABLE = "espeak-ng"
VOICE = "cmn"
#: Reads tone-numbered pinyin (and letters by their names): preferred, see above.
PINYIN_VOICE = "cmn-latn-pinyin"
DIGITS = dict(zip("0123456789", "零一二三四五六七八九", strict=True))
#: A ticket number (letters, then digits) or a bare number (a window).
TICKET_OR_NUMBER = re.compile(r"([A-Za-z]*)(\d+)")
#: Announcements waiting while one speaks; more and the oldest is dropped.
QUEUE_LENGTH = 3
#: How long asking espeak-ng for its voices may take at start-up (s).
PROBE_TIMEOUT_S = 5

MISSING = f"语音播报未开启：未安装 {EXECUTABLE}（可 apt install {EXECUTABLE}）"
NO_MANDARIN = (
    f"语音播报未开启：{EXECUTABLE} 没有普通话语音 {VOICE}（可 apt install espeak-ng-data）"
)


def announcement(number: str, window: str) -> str:
    """What is said for a call: 请 A012 号到 3 号窗口."""
    return f"请 {number} 号到 {window} 号窗口"


def spoken(text: str) -> str:
    """The announcement as tone-numbered pinyin for PINYIN_VOICE. A ticket's digits are said
    one by one (A012: A 零一二), a window's number as a number (12: 十二); letters are kept
    (the voice says their names)."""
    from pypinyin import Style, lazy_pinyin

    words = TICKET_OR_NUMBER.sub(_read_digits, text)
    syllables = lazy_pinyin(words, style=Style.TONE3, neutral_tone_with_five=True)
    return " ".join(part for syllable in syllables for part in syllable.split())


def _read_digits(match: re.Match[str]) -> str:
    letters, digits = match.group(1), match.group(2)
    if letters or len(digits) > 2:
        return letters + " " + "".join(DIGITS[d] for d in digits) + " "
    return " " + _numeral(int(digits)) + " "


def _numeral(n: int) -> str:
    """0–99 as said: 三, 十, 十二, 二十, 二十三."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return DIGITS[str(ones)]
    head = "十" if tens == 1 else DIGITS[str(tens)] + "十"
    return head + (DIGITS[str(ones)] if ones else "")


@dataclass(frozen=True)
class Unavailable:
    """No voice on this machine; `note` says why and what to install, in Chinese."""

    note: str


class Announcer:
    """Speaks one announcement at a time; `pump()` starts the next when the last has finished."""

    def __init__(
        self,
        executable: str,
        *,
        voice: str = VOICE,
        pinyin: bool = False,
        queue_length: int = QUEUE_LENGTH,
        spawn: Callable[[Sequence[str]], subprocess.Popen[bytes]] | None = None,
    ) -> None:
        self.executable = executable
        self.voice = voice
        #: Say the pinyin of the text (PINYIN_VOICE), not its characters.
        self.pinyin = pinyin
        self._spawn = spawn or _spawn
        self._waiting: deque[str] = deque(maxlen=queue_length)
        self._speaking: subprocess.Popen[bytes] | None = None

    def say(self, text: str) -> None:
        """Speak `text` now, or after what is being spoken."""
        self._waiting.append(text)
        self.pump()

    def pump(self) -> None:
        """Start the next announcement if nothing is speaking; cheap, call it often."""
        if self._speaking is not None and self._speaking.poll() is None:
            return
        self._speaking = None
        if self._waiting:
            text = self._waiting.popleft()
            words = spoken(text) if self.pinyin else text
            self._speaking = self._spawn([self.executable, "-v", self.voice, words])

    @property
    def busy(self) -> bool:
        return bool(self._waiting) or (self._speaking is not None and self._speaking.poll() is None)

    def close(self) -> None:
        """Stop speaking and forget what waits (the display is closing)."""
        self._waiting.clear()
        if self._speaking is not None and self._speaking.poll() is None:
            self._speaking.terminate()
        self._speaking = None


def _spawn(argv: Sequence[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        list(argv),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def find_announcer() -> Announcer | Unavailable:
    """An Announcer when espeak-ng and its Mandarin voice are installed, else why not.

    Runs espeak-ng once to list its voices, so call it before the display starts, not on its
    event loop."""
    executable = shutil.which(EXECUTABLE)
    if executable is None:
        return Unavailable(MISSING)
    try:
        listed = subprocess.run(
            [executable, f"--voices={VOICE}"],
            capture_output=True,
            text=True,
            timeout=PROBE_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return Unavailable(f"语音播报未开启：无法运行 {EXECUTABLE}（{exc}）")
    if has_voice(listed.stdout, PINYIN_VOICE):
        return Announcer(executable, voice=PINYIN_VOICE, pinyin=True)
    if not has_voice(listed.stdout, VOICE):
        return Unavailable(NO_MANDARIN)
    return Announcer(executable)


def has_voice(listing: str, voice: str) -> bool:
    """Whether `espeak-ng --voices=…` output lists `voice` (its second column, or a file name
    such as sit/cmn in the fifth)."""
    for line in listing.splitlines()[1:]:  # the first line is the column heading
        columns = line.split()
        if len(columns) >= 2 and columns[1] == voice:
            return True
        if len(columns) >= 5 and columns[4].rsplit("/", 1)[-1] == voice:
            return True
    return False
