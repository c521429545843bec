"""Which CJK font the PDF notices embed.

A PDF that names a font without embedding it shows boxes on a machine without that font, so the
notices always embed one. The default comes from PyPI (`paperang-p2-fonts-cjk`, WenQuanYi Micro
Hei), so a fresh machine set up with pip alone can print; a configured path (`[print] font`) wins,
and the usual system fonts are the last resort.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from counter_tui.errors import UserError

#: What fpdf2 can embed.
FONT_SUFFIXES = (".ttf", ".ttc", ".otf", ".otc")

PACKAGED = ("paperang_p2_fonts_cjk", "fonts/wqy-microhei.ttc")

#: Common places of a Chinese font, Debian/Ubuntu, Fedora, Arch, then Windows.
SYSTEM_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simsun.ttc",
)


def find_font(configured: Path | None = None) -> Path:
    """The font file to embed: the configured one, else the packaged one, else a system one."""
    if configured is not None:
        path = configured.expanduser()
        if path.suffix.lower() not in FONT_SUFFIXES:
            raise UserError(
                f"打印字体 {path} 不是 TTF/TTC/OTF 字体文件，请在配置文件 [print] font 中改正"
            )
        if not path.is_file():
            raise UserError(f"找不到打印字体：{path}（配置文件 [print] font）")
        return path
    packaged = packaged_font()
    if packaged is not None:
        return packaged
    for candidate in SYSTEM_FONTS:
        if Path(candidate).is_file():
            return Path(candidate)
    raise UserError(
        "找不到中文字体，无法生成 PDF 文书：请安装 paperang-p2-fonts-cjk"
        "（pip install paperang-p2-fonts-cjk），或在配置文件 [print] 下用 font 指定字体文件，"
        "或把 format 设为 80mm / 58mm 打印纯文字"
    )


def packaged_font() -> Path | None:
    package, name = PACKAGED
    try:
        resource = resources.files(package).joinpath(name)
    except ModuleNotFoundError:
        return None
    # Only a real file can be embedded by path; a zipped install falls through to the system.
    return resource if isinstance(resource, Path) and resource.is_file() else None
