"""The command line: the only entry point (`counter-tui …`, `python -m counter_tui`).

`root` holds the Typer app and `main`; `context` the object every command gets in `ctx.obj`;
one module per command group. Commands parse arguments, call the application layer
(`counter_tui.desk`) and print; heavy imports (SQLModel, Textual) happen inside the commands
that need them, so `--help` stays instant (STYLE.md, "Start fast"). docs/architecture.md,
"Adding a CLI command", shows the recipe.
"""
