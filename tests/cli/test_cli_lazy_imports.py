"""``beritatui`` starts without importing what its first screen does not use.

Startup time is measured by bench/startup.py; these tests only guard the
imports that were made lazy for it, so a new top-level import of a heavy
module (the Markdown renderer, the merge library, the demo builder…) fails
here instead of quietly slowing every launch.  The launch check also makes
sure the garbage collector, paused while the app starts, is running again
once the list is painted.  Each check runs a fresh interpreter, because the
test process itself has imported everything.
"""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import textwrap
from pathlib import Path

from beritatui.core.articles import create_article
from beritatui.core.database import close_database

# Needed by commands or other screens, never by `import beritatui.cli` nor by the article list.
NOT_AT_START = (
    "markdown_it", "nh3", "merge3", "frontmatter", "markdownify",
    "beritatui.feeds", "beritatui.feeds.export", "beritatui.feeds.importers", "beritatui.core.render",
    "beritatui.core.demo", "beritatui.core.bulk", "beritatui.core.maintenance", "beritatui.core.revisions",
    "beritatui.core.timeparse", "playhouse.db_url", "playhouse.postgres_ext", "playhouse.mysql_ext",
)
# Also left out of a plain `import beritatui.cli`: the terminal app and Babel come only when used.
NOT_ON_IMPORT = (*NOT_AT_START, "textual", "beritatui.tui", "babel", "babel.dates", "tomllib")
# Screens the article list opens on demand.
OTHER_SCREENS = ("beritatui.tui.editor", "beritatui.tui.review", "beritatui.tui.history", "beritatui.tui.tags",
                 "beritatui.tui.help", "beritatui.tui.conflict", "beritatui.tui.widgets.preview")

# What only the editor's body needs: Textual's TextArea, its document model and the grammar behind it.
EDITOR_WIDGETS = ("textual.widgets._text_area", "textual.document._document", "tree_sitter")

# Runs `beritatui --db DB` (the console script's `main`) with Textual's headless driver, leaves right after
# the first refresh that shows article rows, and writes what was imported by then (and, at exit, whether
# the garbage collector is on again).
LAUNCH = textwrap.dedent("""
    import atexit, gc, importlib.abc, importlib.util, json, sys

    report, seen = sys.argv[1], {}

    def write_report():
        seen.update(collector_on=gc.isenabled(), frozen=gc.get_freeze_count())
        with open(report, "w", encoding="utf-8") as handle:
            json.dump(seen, handle)

    atexit.register(write_report)

    def leave_after_rows(module):
        shown = module.ArticlesScreen._show_first

        def show_then_leave(self, *args):
            shown(self, *args)
            if self.rows:
                def leave():
                    seen.update(rows=len(self.rows), modules=sorted(sys.modules))
                    self.app.exit()
                self.app.call_after_refresh(leave)

        module.ArticlesScreen._show_first = show_then_leave

    class PatchListScreen(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name != "beritatui.tui.articles":
                return None
            sys.meta_path.remove(self)
            spec = importlib.util.find_spec(name)
            run = spec.loader.exec_module

            def exec_module(module):
                run(module)
                leave_after_rows(module)

            spec.loader.exec_module = exec_module
            return spec

    sys.meta_path.insert(0, PatchListScreen())
    sys.argv = ["beritatui", "--db", sys.argv[2]]
    from beritatui.cli import main

    main()
""")


def _env(tmp_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("BERITATUI_", "TEXTUAL"))}
    env.update(BERITATUI_CONFIG=str(tmp_path / "no-config.toml"), BERITATUI_LANG="en",
               XDG_DATA_HOME=str(tmp_path / "data"), HOME=str(tmp_path))
    return env


def _imported_by(code: str, tmp_path: Path) -> set[str]:
    result = subprocess.run([sys.executable, "-c", code], env=_env(tmp_path), capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return set(result.stdout.split())


def test_importing_the_cli_leaves_heavy_modules_alone(tmp_path):
    modules = _imported_by("import sys, beritatui.cli; print('\\n'.join(sys.modules))", tmp_path)
    assert "beritatui.cli" in modules and "click" in modules
    assert sorted(modules.intersection(NOT_ON_IMPORT)) == []


def test_every_command_still_imports_what_it_needs(tmp_path):
    """The commands that lost their top-level imports still load them: the core modules behind them import."""
    code = ("import importlib, sys\n"
            "import beritatui.cli\n"
            "for name in ('demo', 'bulk', 'maintenance', 'revisions', 'timeparse'):\n"
            "    importlib.import_module('beritatui.core.' + name)\n"
            "print('\\n'.join(sys.modules))")
    modules = _imported_by(code, tmp_path)
    assert {"beritatui.core.demo", "beritatui.core.bulk", "beritatui.core.revisions"} <= modules


def test_launch_to_the_article_list_skips_the_renderer_and_other_screens(tmp_path, newsroom, sample_draft,
                                                                         register_os_login):
    register_os_login("admin")  # the app process acts as this OS login
    for n in range(3):
        create_article(newsroom.writer, sample_draft(title=f"Kunjungan Kerja ke Lapas Bone {n}"))
    close_database()
    script = tmp_path / "launch.py"
    script.write_text(LAUNCH, encoding="utf-8")
    report = tmp_path / "report.json"
    env = {**_env(tmp_path), "TEXTUAL_DRIVER": "textual.drivers.headless_driver:HeadlessDriver"}
    # The app opens only on a terminal (without one, `beritatui` refuses): stdin and stdout are a pty.
    master, slave = pty.openpty()
    try:
        result = subprocess.run([sys.executable, str(script), str(report), str(newsroom.path)], env=env,
                                stdin=slave, stdout=slave, stderr=subprocess.PIPE, text=True, timeout=120,
                                check=False)
    finally:
        os.close(slave)
        os.close(master)
    assert result.returncode == 0, result.stderr
    shown = json.loads(report.read_text(encoding="utf-8"))
    assert shown["rows"] == 3
    modules = set(shown["modules"])
    assert {"textual", "beritatui.tui.app", "beritatui.tui.articles"} <= modules  # the list really was shown
    assert sorted(modules.intersection((*NOT_AT_START, *OTHER_SCREENS))) == []
    # The garbage collector, paused while the app starts (tui.collector), runs again once the list is painted.
    assert shown["collector_on"] is True
    assert shown["frozen"] > 0


def test_quitting_the_list_imports_no_screen_it_never_opened(tmp_path, newsroom, sample_draft, register_os_login):
    """The way out asks every open editor to keep its text; with none ever opened it imports no editor to
    find none (the editor brought the renderer, Pygments and the merge library along: about a tenth of a
    launch-and-quit). Nor does the list, from launch to quit, import the editor's TextArea."""
    register_os_login("writer")
    create_article(newsroom.writer, sample_draft(title="Penyuluhan Hukum bagi Warga Binaan"))
    close_database()
    script = tmp_path / "launch_and_quit.py"
    last = textwrap.dedent("""
        import atexit, json, os, sys

        # Registered first, so it runs last: what the process had imported when it ended.
        atexit.register(lambda: open(os.environ["EXIT_REPORT"], "w").write(json.dumps(sorted(sys.modules))))
    """)
    script.write_text(last + LAUNCH, encoding="utf-8")
    exit_report = tmp_path / "exit.json"
    env = {**_env(tmp_path), "TEXTUAL_DRIVER": "textual.drivers.headless_driver:HeadlessDriver",
           "EXIT_REPORT": str(exit_report)}
    master, slave = pty.openpty()
    try:
        result = subprocess.run([sys.executable, str(script), str(tmp_path / "report.json"), str(newsroom.path)],
                                env=env, stdin=slave, stdout=slave, stderr=subprocess.PIPE, text=True, timeout=120,
                                check=False)
    finally:
        os.close(slave)
        os.close(master)
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))["rows"] == 1  # the list was shown
    modules = set(json.loads(exit_report.read_text(encoding="utf-8")))
    assert "beritatui.tui.articles" in modules
    assert sorted(modules.intersection((*NOT_AT_START, *OTHER_SCREENS, *EDITOR_WIDGETS))) == []
