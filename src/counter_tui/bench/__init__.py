"""Performance measurements run from the CLI (`counter-tui bench …`), never imported by the app."""
