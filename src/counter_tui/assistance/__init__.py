"""Assisted service (帮代办): who helped whom, how and for how long, on a case or on its own."""
