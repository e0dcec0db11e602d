"""``python -m beritatui``: the same as the ``beritatui`` command."""

from beritatui.cli import main

if __name__ == "__main__":
    main()
