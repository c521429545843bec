"""The rating pad (`counter-tui rating-pad --window N`): a Textual app of its own for the
applicant at one window, without login, apart from the clerk's app and from the hall display.
It borrows the hall display's big digits (ui/hall/bigtext.py, pure) and the worker failure line
of `ui/workers.py`, and imports none of the clerk's screens."""
