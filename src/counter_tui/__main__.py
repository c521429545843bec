"""`python -m counter_tui` runs the same CLI as the `counter-tui` script."""

from counter_tui.launch import main

if __name__ == "__main__":
    main()
