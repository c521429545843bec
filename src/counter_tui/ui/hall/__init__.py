"""The hall display (`counter-tui display`): a Textual app of its own, without login, apart from
the clerk's app. It shares with the clerk's app only what it must (the stylesheets folder and the
worker failure line of `ui/workers.py`) and imports none of its screens."""
