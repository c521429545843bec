"""PDFs are made in a child process: the same papers, errors that say what to do, and printing
that leaves the printing process's memory where it was (issue 12: +66 MB for the first PDF,
more for every later one)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from counter_tui.errors import UserError
from counter_tui.notices import compose
from counter_tui.notices.content import Notice, to_json
from counter_tui.notices.pdfjob import render_pdfs
from counter_tui.notices.printing import deliver_all
from counter_tui.settings import PrintSettings

from .factory import DEFERRED_PLACE, RECEIVED_ID, case, facts, person_intake
from .test_pdf import flat

#: What printing three PDFs may add to the process's RSS. In-process rendering added 66 MB for
#: the first (fpdf2 and the parsed font, freed but kept by the allocator) and more after it.
MAX_GROWTH_MB = 12


@pytest.fixture
def notices() -> list[Notice]:
    intake = person_intake(居民身份证=RECEIVED_ID, 场所证明=DEFERRED_PLACE)
    accepted = case(intake)
    return [
        compose.receipt(facts(accepted)),
        compose.deferral(facts(accepted)),
    ]


def test_the_child_makes_every_notice_of_an_outcome(notices: list[Notice]) -> None:
    receipt, deferral = render_pdfs(notices)

    assert receipt.startswith(b"%PDF-") and deferral.startswith(b"%PDF-")
    assert "受理通知书" in flat(receipt) and "容缺受理承诺书" in flat(deferral)
    assert b"/FontFile2" in receipt  # the font is embedded, as in-process


def test_a_missing_font_is_named_by_the_child(notices: list[Notice], tmp_path: Path) -> None:
    with pytest.raises(UserError, match="找不到打印字体") as missing:
        render_pdfs(notices, tmp_path / "nowhere.ttf")

    assert str(tmp_path / "nowhere.ttf") in missing.value.message


def test_a_failing_child_is_one_line_that_quotes_no_notice(
    notices: list[Notice], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"not a font")

    with pytest.raises(UserError, match="生成 PDF 文书失败") as failed:
        render_pdfs(notices, broken)

    message = failed.value.message
    assert "\n" not in message and "Traceback" not in message
    assert "80mm" in message  # what to do instead
    assert notices[0].number not in message


def test_deliver_all_saves_one_pdf_per_notice(notices: list[Notice], tmp_path: Path) -> None:
    done = deliver_all(notices, PrintSettings(folder=tmp_path))

    assert [d.path.name for d in done] == [f"{n.number}.pdf" for n in notices]
    assert all(d.path.read_bytes().startswith(b"%PDF-") for d in done)


#: Prints the growth of its own RSS (MB) over three PDF notices printed from worker threads,
#: as the app does; the modules of printing are imported before the first measurement.
PRINT_THREE = """
import gc, json, sys, threading
from pathlib import Path
from counter_tui.notices.content import from_json
from counter_tui.notices.printing import deliver_all
from counter_tui.settings import PrintSettings

def rss_mb():
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024

notice = from_json(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")))
printing = PrintSettings(folder=Path(sys.argv[2]))
gc.collect()
before = rss_mb()
for _ in range(3):
    worker = threading.Thread(target=deliver_all, args=([notice], printing))
    worker.start()
    worker.join()
gc.collect()
print(json.dumps({"growth_mb": rss_mb() - before, "modules": "fpdf" in sys.modules}))
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads RSS from /proc")
def test_printing_pdfs_leaves_the_memory_where_it_was(
    notices: list[Notice], tmp_path: Path
) -> None:
    source = tmp_path / "notice.json"
    source.write_text(json.dumps(to_json(notices[0]), ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", PRINT_THREE, str(source), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert len(list((tmp_path / "out").rglob("*.pdf"))) == 3
    assert figures["growth_mb"] < MAX_GROWTH_MB, figures
    assert not figures["modules"]  # fpdf2 was never loaded by the printing process
