"""The newsroom's rules, reachable without any user interface.

Nothing in this package imports Textual or ``beritatui.tui`` (an import-linter
contract checks it in CI): the CLI and the TUI both call these functions, so
every rule lives here once.
"""
