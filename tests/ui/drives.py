"""The window's real workflows as a trainee performs them: key presses in the running app, one
drive per step of the work (sign in, call a ticket, find the applicant, mark the materials,
accept, hand off, claim, …). The training scenarios' pilot tests
(tests/ui/test_training_scenarios.py) put drives together the way a scenario asks; each drive
reads the screen only where a person would look (which row the cursor is on, which field is
empty) and leaves the app settled, so that the test can assert on the journal right after.

Keys and screen names come from the screens themselves; the key-level helpers (Keys, log_in,
settle) are tests/ui/helpers.py's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from tests.ui.helpers import Keys, log_in, settle_until

if TYPE_CHECKING:
    from counter_tui.ui.app import CounterApp
    from counter_tui.ui.screens.intake.checklist import Checklist

#: Section → the key that opens it (ui/sections.py).
SECTION_KEYS = {"intake": "f2", "queue": "f3", "worklist": "f4", "catalog": "f5", "reports": "f6"}

#: A material's mark → its key on the checklist (ui/screens/intake/checklist.py).
MARK_KEYS = {"received": "r", "deferred": "d", "missing": "m", "committed": "c", "exempt": "e"}

#: Delivery ways in the order the 出件方式 dialog lists them (case_form.DELIVERY_WAYS).
DELIVERY_KEYS = {"pickup": "1", "mail": "2", "electronic": "3"}


class DriveError(AssertionError):
    """The app did not get where the drive expected: said with what is on screen instead."""


def _app(keys: Keys) -> CounterApp:
    return keys.pilot.app  # type: ignore[return-value]


def _screen_name(app: CounterApp) -> str:
    return type(app.screen).__name__


def _expect(app: CounterApp, screen: str, doing: str) -> None:
    if _screen_name(app) != screen:
        raise DriveError(f"{doing}: expected {screen}, the app shows {_screen_name(app)}")


# --- sessions and sections -----------------------------------------------------------------


async def sign_in(keys: Keys, username: str, password: str) -> None:
    """Sign `username` in; whoever is signed in signs out first (F9). A ticket still held at
    the window is kept there (the sign-out question's 保留)."""
    app = _app(keys)
    if app.signed_in is not None:
        await close_dialogs(keys)
        await keys("f9")
        if _screen_name(app) == "ChooseScreen":
            await keys("4")  # 保留在本窗口
    await log_in(keys.pilot, username, password)
    if app.signed_in is None or app.signed_in.actor.username != username:
        raise DriveError(f"sign-in of {username} failed")


async def close_dialogs(keys: Keys) -> None:
    """Esc until the section's own screen is in front (a case detail, a dialog over it)."""
    app = _app(keys)
    for _ in range(5):
        if len(app.screen_stack) <= 1:
            return
        await keys("escape")
    raise DriveError(f"Esc does not close {_screen_name(app)}")


async def go(keys: Keys, section: str) -> None:
    """Open a section by its F-key (nothing pressed if it is on screen already)."""
    app = _app(keys)
    await close_dialogs(keys)
    if app.current_mode != section:
        await keys(SECTION_KEYS[section])
    if app.current_mode != section:
        raise DriveError(f"{section} did not open (on {app.current_mode})")


async def palette(keys: Keys, command: str) -> None:
    """Run a command palette (Ctrl+P) command by typing its title and Enter."""
    from textual.command import CommandList, CommandPalette

    app = _app(keys)
    await keys.pilot.press("ctrl+p", *command)

    def found() -> bool:
        screen = app.screen
        if not isinstance(screen, CommandPalette):
            return False
        hits = screen.query_one(CommandList)
        if not hits.option_count or hits.highlighted is None:
            return False
        # The hits of the whole text, not those of its first letters still on screen.
        return command in str(hits.get_option_at_index(hits.highlighted).prompt)

    # The palette searches in a task of its own: settled until its hits are listed.
    await settle_until(keys.pilot, found)
    if not found():
        raise DriveError(f"the palette found no command for {command!r}")
    await keys("enter")


# --- the queue (F3) ------------------------------------------------------------------------


def held_ticket(app: CounterApp) -> str:
    """The number of the ticket held at this window ("" when none)."""
    ticket = app.holding.ticket
    return ticket.number if ticket is not None else ""


async def call_next(keys: Keys) -> str:
    """F3 n: the next ticket (a priority one first); the number called."""
    await go(keys, "queue")
    await keys("n")
    number = held_ticket(_app(keys))
    if not number:
        raise DriveError("n called no ticket")
    return number


async def start_serving(keys: Keys) -> None:
    """s: the applicant called is at the window; the intake opens with the ticket held."""
    await go(keys, "queue")
    await keys("s")
    if _app(keys).current_mode != "intake":
        raise DriveError("s did not open the intake")


async def recall(keys: Keys) -> None:
    """r: call the held ticket again (the app's clock must be past the minimum interval)."""
    await go(keys, "queue")
    await keys("r")


async def no_show(keys: Keys) -> str:
    """x y: the ticket called did not come (过号); its number."""
    await go(keys, "queue")
    number = held_ticket(_app(keys))
    await keys("x", "y")
    return number


async def check_in(keys: Keys, code: str) -> None:
    """a: an appointment checks in by its code or the applicant's ID number."""
    await go(keys, "queue")
    await keys("a")
    _expect(_app(keys), "AskScreen", "check-in")
    await keys(*code, "enter")


async def finish_ticket(keys: Keys) -> None:
    """f, Enter: the ticket is done, with the outcome the app proposes from its linked cases
    (受理 after an acceptance, 咨询 without a case)."""
    app = _app(keys)
    await go(keys, "queue")
    await keys("f")
    _expect(app, "ChooseScreen", "finishing the ticket")
    await keys("enter")


# --- the intake (F2) -----------------------------------------------------------------------


async def choose_item(keys: Keys, search: str, code: str | None = None) -> None:
    """Type `search` in the item field and choose the hit whose code is `code` (the first hit
    when None) with ↓ and Enter: an item or a bundle (一件事)."""
    from counter_tui.ui.screens.intake.screen import IntakeScreen

    app = _app(keys)
    await go(keys, "intake")
    screen = app.screen
    assert isinstance(screen, IntakeScreen)
    await keys(*search)
    await settle_until(keys.pilot, lambda: screen.item.hits.option_count > 0)
    if code is not None:
        codes = [
            screen.item.hits.get_option_at_index(i).id for i in range(screen.item.hits.option_count)
        ]
        if code not in codes:
            raise DriveError(f"searching {search!r} does not offer {code} (offers {codes})")
        for _ in range(codes.index(code)):
            await keys("down")
    await keys("enter")
    await settle_until(keys.pilot, lambda: screen.prepared is not None)
    if code is not None and screen.intake.entry_code != code:
        raise DriveError(f"chose {screen.intake.entry_code}, not {code}")


async def identify(keys: Keys, id_number: str, name: str, phone: str, address: str = "") -> None:
    """The applicant's ID number, name, phone (and address); ends on the checklist. A complete
    valid ID or mobile number moves on by itself; a returning applicant's details fill in and
    are typed over."""
    from counter_tui.ui.screens.intake.form import input_id

    app = _app(keys)
    await keys(*id_number)
    focused = app.focused
    if focused is not None and focused.id == input_id("applicant.name"):
        value = getattr(focused, "value", "")
        # Filled in for a returning applicant: selected, so typing replaces it.
        if value != name:
            await keys(*name)
    await keys("enter")
    focused = app.focused
    if focused is not None and focused.id == input_id("applicant.phone"):
        await keys(*phone)
    focused = app.focused
    if focused is not None and focused.id == input_id("applicant.address"):
        await keys(*address, "enter")
    if app.focused is None or app.focused.id != "intake-checklist":
        raise DriveError(f"identifying the applicant ended on {app.focused!r}")


def _checklist(app: CounterApp) -> Checklist:
    from counter_tui.ui.screens.intake.screen import IntakeScreen

    screen = app.screen
    if not isinstance(screen, IntakeScreen):
        raise DriveError(f"no checklist on {_screen_name(app)}")
    return screen.table


async def to_row(keys: Keys, row_key: str) -> None:
    """Put the checklist's cursor on a row (`m:<material kind>` or `s:<item>|<situation>`)
    with ↑ and ↓, as the clerk moves down the list."""
    from textual.widgets.data_table import RowKey

    table = _checklist(_app(keys))
    if RowKey(row_key) not in table.rows:
        raise DriveError(f"the checklist has no row {row_key}")
    target = table.get_row_index(row_key)
    while table.cursor_row != target:
        await keys("down" if table.cursor_row < target else "up")


async def mark(keys: Keys, marks: Mapping[str, str]) -> None:
    """Mark materials by kind: received, deferred (容缺), missing, committed (承诺), exempt."""
    for kind, status in marks.items():
        await to_row(keys, f"m:{kind}")
        await keys(MARK_KEYS[status])


async def all_received(keys: Keys) -> None:
    """a: every material not yet checked is received (those marked 缺 stay so)."""
    app = _app(keys)
    if app.focused is not _checklist(app):
        raise DriveError(f"a is the checklist's key; the cursor is in {app.focused!r}")
    await keys("a")


async def answer(keys: Keys, item_code: str, situation: str, choice: str) -> None:
    """Space on a 办理情形 row until it reads `choice` (the options go round)."""
    from counter_tui.ui.screens.intake.screen import IntakeScreen

    await to_row(keys, f"s:{item_code}|{situation}")
    screen = _app(keys).screen
    assert isinstance(screen, IntakeScreen)
    for _ in range(10):
        if screen.intake.answers.get(f"{item_code}|{situation}") == choice:
            return
        await keys("space")
    raise DriveError(f"{situation} of {item_code} never read {choice!r}")


async def answer_all(keys: Keys) -> None:
    """Every 办理情形 still unanswered gets its first option (Space on each)."""
    from counter_tui.ui.screens.intake.screen import IntakeScreen

    screen = _app(keys).screen
    assert isinstance(screen, IntakeScreen)
    table = _checklist(_app(keys))
    for row_key in [key.value for key in table.rows if key.value and key.value.startswith("s:")]:
        if row_key[2:] not in screen.intake.answers:
            await to_row(keys, row_key)
            await keys("space")


async def deadline(keys: Keys, kind: str, day: str) -> None:
    """t on a 容缺 material: its deadline (YYYY-MM-DD) typed over the one proposed."""
    from datetime import date

    from counter_tui.ui.screens.intake.screen import IntakeScreen

    app = _app(keys)
    await to_row(keys, f"m:{kind}")
    await keys("t")
    _expect(app, "AskScreen", "the deferral's deadline")
    await keys("ctrl+u", *day, "enter")
    screen = app.screen
    assert isinstance(screen, IntakeScreen)
    mark = screen.intake.marks.get(kind)
    if mark is None or mark.until != date.fromisoformat(day):
        raise DriveError(f"{kind}'s deadline is {mark!r}, not {day}: {intake_status(app)!r}")


async def _conclude(keys: Keys, *presses: str) -> str:
    """Press an outcome's keys; the notice preview shows the case: its number, then Esc."""
    from counter_tui.ui.screens.notice import NoticePreview

    app = _app(keys)
    await keys(*presses)
    await settle_until(keys.pilot, lambda: isinstance(app.screen, NoticePreview))
    screen = app.screen
    if not isinstance(screen, NoticePreview):
        raise DriveError(f"no notice after {presses}: {intake_status(app)!r}")
    number = screen.case.number
    await keys("escape")
    return number


def intake_status(app: CounterApp) -> str:
    """What the intake's status line says."""
    from counter_tui.ui.screens.intake.screen import IntakeScreen

    screen = app.screen if isinstance(app.screen, IntakeScreen) else app.get_screen("intake")
    assert isinstance(screen, IntakeScreen)
    return str(screen.status.render())


async def accept(keys: Keys) -> str:
    """F8: accepted (受理); the case number from the receipt's preview."""
    return await _conclude(keys, "f8")


async def notify(keys: Keys) -> str:
    """F7: the one-time notice (一次性告知) of what is missing; the case number."""
    return await _conclude(keys, "f7")


async def refuse(keys: Keys, reasons: str, agency: str) -> str:
    """F10: not accepted (不予受理), with the reasons and the competent agency; the number."""
    return await _conclude(keys, "f10", *reasons, "enter", "ctrl+u", *agency, "enter")


async def find_case(keys: Keys, number: str) -> None:
    """Ctrl+O and the case number: a notified case comes back into the intake form, any
    other opens in the case detail."""
    await go(keys, "intake")
    await keys("ctrl+o", *number, "enter")


async def resume(keys: Keys, number: str) -> None:
    """The applicant is back with the missing papers: the notified case into the form."""
    from counter_tui.ui.screens.intake.screen import IntakeScreen

    app = _app(keys)
    await find_case(keys, number)
    screen = app.screen
    if not isinstance(screen, IntakeScreen) or screen.case_number != number:
        raise DriveError(f"{number} was not resumed (on {_screen_name(app)})")
    await settle_until(keys.pilot, lambda: screen.prepared is not None)


async def open_case(keys: Keys, number: str) -> None:
    """The case detail of `number`, found with Ctrl+O."""
    app = _app(keys)
    await find_case(keys, number)
    _expect(app, "CaseDetailScreen", f"opening {number}")


# --- the case detail and the worklist (F4) -------------------------------------------------


async def case_key(keys: Keys, key: str) -> None:
    """One of the case detail's action keys (h 移交, c 认领, r 补正已交, f 办结, …)."""
    _expect(_app(keys), "CaseDetailScreen", f"the case key {key}")
    await keys(key)


async def hand_off(keys: Keys, number: str) -> None:
    """The window hands an accepted case to the back office (h in its detail)."""
    await open_case(keys, number)
    await case_key(keys, "h")
    await keys("escape")


async def open_in_worklist(keys: Keys, number: str) -> None:
    """F4, the case's row chosen with ↓/↑, Enter: the case detail."""
    from textual.widgets import DataTable

    app = _app(keys)
    await go(keys, "worklist")
    table = app.screen.query_one("#worklist-table", DataTable)
    screen = app.screen
    row = next((i for i, item in enumerate(screen.items) if item.number == number), None)  # type: ignore[attr-defined]
    if row is None:
        raise DriveError(f"{number} is not on the worklist")
    while table.cursor_row != row:
        await keys("down" if table.cursor_row < row else "up")
    await keys("enter")
    _expect(app, "CaseDetailScreen", f"opening {number} from the worklist")


async def claim(keys: Keys, number: str) -> None:
    """The approver claims a handed-off case from the back office's worklist; stays in its
    detail."""
    await open_in_worklist(keys, number)
    await case_key(keys, "c")


async def request_correction(keys: Keys, reason: str, rows: int = 1) -> None:
    """b in the detail of a claimed case: the first `rows` materials to correct, each with
    `reason`, then F8; the correction notice is closed. Stays in the case detail."""
    app = _app(keys)
    await case_key(keys, "b")
    _expect(app, "CorrectionScreen", "the correction")
    for row in range(rows):
        if row:
            await keys("down")
        await keys("enter", *reason, "enter")
    await keys("f8")
    _expect(app, "NoticePreview", "the correction notice")
    await keys("escape")


async def corrected_papers(keys: Keys, number: str) -> None:
    """The window takes the corrected papers (r in the case detail)."""
    await open_case(keys, number)
    await case_key(keys, "r")
    await keys("escape")


async def approve(keys: Keys, decision_number: str = "准字〔2026〕第0001号") -> None:
    """a in the detail: 准予, confirming the decision number the form offers, or typing
    `decision_number` when it offers none (a department's first decision); then f 办结.
    Stays in the case detail."""
    from textual.widgets import Input

    app = _app(keys)
    await case_key(keys, "a")
    _expect(app, "CaseFormScreen", "the approval")
    if not app.screen.query_one("#form-decision_number", Input).value:
        await keys(*decision_number)
    await keys("enter")
    _expect(app, "CaseDetailScreen", "after the approval")
    await case_key(keys, "f")


async def deliver_by_mail(keys: Keys, number: str, tracking: str, address: str = "") -> None:
    """o 2 in the detail: the result goes by mail; the fields the case cannot fill are typed
    (the address if the applicant gave none, the tracking number), then F8."""
    from textual.widgets import Input

    app = _app(keys)
    await open_case(keys, number)
    await case_key(keys, "o")
    _expect(app, "ChooseScreen", "the way of delivery")
    await keys(DELIVERY_KEYS["mail"])
    _expect(app, "CaseFormScreen", "the mail form")
    for field, text in (("address", address), ("tracking", tracking)):
        widget = app.screen.query_one(f"#form-{field}", Input)
        if not widget.value:
            await to_field(keys, f"form-{field}")
            await keys(*text)
    await keys("f8")
    _expect(app, "CaseDetailScreen", "after the delivery")
    await keys("escape")


async def to_field(keys: Keys, field_id: str) -> None:
    """↓/↑ through a form's fields to the one with id `field_id`."""
    from textual.widgets import Input

    app = _app(keys)
    ids = [widget.id for widget in app.screen.query(Input)]
    if field_id not in ids:
        raise DriveError(f"no field {field_id} among {ids}")
    for _ in range(len(ids)):
        focused = app.focused.id if app.focused is not None else None
        if focused == field_id:
            return
        at = ids.index(focused) if focused in ids else -1
        await keys("down" if at < ids.index(field_id) else "up")
    raise DriveError(f"could not reach the field {field_id}")


# --- ratings ------------------------------------------------------------------------------


async def follow_up_rating(keys: Keys, case_number: str, notes: tuple[str, ...]) -> None:
    """A supervisor takes a bad rating's follow-up (差评整改) through its steps: the palette's
    好差评：差评整改, the rating of `case_number` chosen, Enter and a note per step."""
    from counter_tui.ui.screens.followups import FollowupsScreen

    app = _app(keys)
    await palette(keys, "差评整改")
    screen = app.screen
    if not isinstance(screen, FollowupsScreen):
        raise DriveError(f"差评整改 did not open (on {_screen_name(app)})")
    await settle_until(keys.pilot, lambda: bool(screen.items))
    subjects = [item.case_number for item in screen.items]
    if case_number not in subjects:
        raise DriveError(f"no follow-up of {case_number} among {subjects}")
    while screen.listing.highlighted != subjects.index(case_number):
        await keys("down")
    for note in notes:
        await keys("enter", *note, "enter")
    await keys("escape")


# --- training -------------------------------------------------------------------------------


async def poll(keys: Keys) -> None:
    """What the training keeper's timer does every half second: read the trainee's new steps
    from the journal (and show what they earned). The tests call it instead of waiting."""
    app = _app(keys)
    await settle_until(keys.pilot, lambda: not app.workers)
    app.training.poll_now()
    await settle_until(keys.pilot, lambda: not app.workers)


async def hint(keys: Keys) -> str:
    """Ctrl+R (the task panel), then the next hint (Ctrl+R or h again); back with Esc. The
    hints shown, as the panel shows them."""
    app = _app(keys)
    await keys("ctrl+r")
    _expect(app, "TrainingTaskScreen", "the task panel")
    await keys("h")
    shown = str(app.screen.query_one("#task-hints").render())
    await keys("escape")
    return shown
