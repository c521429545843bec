"""Makes src/counter_tui/workdays/lunar.py, the table of the lunar holidays' dates, from the
`holidays` package (a test dependency): `python -m tests.workdays.lunar_table > …/lunar.py`.
test_estimate checks that the shipped table still equals what the package says."""

from __future__ import annotations

from datetime import date

FIRST_YEAR = 2025  # the 2024 rules (除夕 a holiday) apply from 2025
LAST_YEAR = 2099  # workdays.rules.MAX_YEAR

#: The package's English names of the four lunar holidays, in the table's column order.
COLUMNS = (
    "Chinese New Year's Eve",
    "Tomb-Sweeping Day",
    "Dragon Boat Festival",
    "Mid-Autumn Festival",
)


def lunar_dates(year: int) -> tuple[date, date, date, date]:
    import holidays

    found = holidays.China(years=year, language="en_US")
    days = {}
    for day in sorted(found):
        for name in found.get_list(day):
            if name in COLUMNS:
                days.setdefault(name, day)
    first, second, third, fourth = (days[name] for name in COLUMNS)
    return first, second, third, fourth


def table_rows() -> list[str]:
    return [
        f"{year} " + " ".join(f"{d:%m%d}" for d in lunar_dates(year))
        for year in range(FIRST_YEAR, LAST_YEAR + 1)
    ]


def module_text() -> str:
    import holidays

    rows = "\n".join(table_rows())
    head = (
        '"""The dates of the lunar statutory holidays, 2025-2099, one year a line as MMDD:\n'
        "除夕 (the Spring Festival's eve), 清明节, 端午节, 中秋节. Made by\n"
        f"tests/workdays/lunar_table.py from the `holidays` package ({holidays.__version__}), and\n"
        "checked against it by test_estimate. Shipped as a table so that estimating a provisional\n"
        "year costs neither that package's import (~0.15-0.35 s, 426 modules) nor its memory\n"
        '(~20 MB).\n"""\n'
    )
    return f'{head}\nTABLE = """\n{rows}\n"""\n'


if __name__ == "__main__":
    print(module_text(), end="")
