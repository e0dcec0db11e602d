"""How long from ``beritatui`` to a painted article list, beside a bare Textual app, in one run.

    python bench/startup.py [--sizes 100 100000] [--runs 5] [--dir DIR] [--before OLD/src]

For each database size a corpus is built once (``bench/corpus.py``, through the
core's bulk path).  Then the bare app and ``beritatui --db CORPUS`` (the CLI
entry point, as a person starts it) are launched in turn, ``--runs`` times each,
as separate processes in a pseudo-terminal of 80x24.  The clock runs from just
before the process starts to its exit; the child exits right after the first
refresh that shows article rows (the bare app: after its DataTable of 50 rows
is painted).  CPU time and peak RSS come from ``wait4``.  ``--before`` adds the
same launch of an older source tree, for before/after figures in one run.
Prints medians and ratios.

Asserts nothing: speed goals are read, not tested.
"""

from __future__ import annotations

import argparse
import os
import pty
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


# -- the child processes ------------------------------------------------------------------------

def child_beritatui(db: str) -> None:
    """``beritatui --db DB`` as a person runs it (the CLI entry point); exits after the first refresh that shows rows.

    The list screen is patched when it is first imported (not imported here first), so the launch keeps its
    own order of imports: the first page is read while Textual is still being imported.
    """
    import importlib.abc
    import importlib.util

    def exit_after_rows(module) -> None:  # noqa: ANN001 - the list screen's module
        shown = module.ArticlesScreen._show_first

        def show_then_exit(self, *args):  # noqa: ANN001, ANN002 - whatever the method takes
            shown(self, *args)
            if self.rows:
                self.app.call_after_refresh(self.app.exit)

        module.ArticlesScreen._show_first = show_then_exit

    class PatchListScreen(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):  # noqa: ANN001, ANN201 - the finder protocol
            if name != "beritatui.tui.articles":
                return None
            sys.meta_path.remove(self)
            spec = importlib.util.find_spec(name)
            run_module = spec.loader.exec_module

            def exec_module(module) -> None:  # noqa: ANN001
                run_module(module)
                exit_after_rows(module)

            spec.loader.exec_module = exec_module
            return spec

    sys.meta_path.insert(0, PatchListScreen())
    sys.argv = ["beritatui", "--db", db]
    from beritatui.cli import main

    main()


def child_bare() -> None:
    """Header, a DataTable of 50 rows, Footer: the floor any Textual app pays."""
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Header

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield DataTable()
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("Judul", "Status", "Diperbarui")
            for n in range(50):
                table.add_row(f"Kegiatan pembinaan ke-{n}", "draf", "1 jam lalu")
            self.call_after_refresh(self.exit)

    Bare().run()


# -- measuring ----------------------------------------------------------------------------------

def _drain(fd: int) -> None:
    """Read the terminal's output so the child never blocks on a full pty."""
    while True:
        try:
            if not os.read(fd, 65536):
                return
        except OSError:
            return


def launch(args: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Run one child in an 80x24 pty; returns (wall seconds, CPU seconds, peak RSS in MiB)."""
    master, slave = pty.openpty()
    import fcntl
    import struct
    import termios

    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    reader = threading.Thread(target=_drain, args=(master,), daemon=True)
    reader.start()
    started = time.perf_counter()
    process = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True,
                               start_new_session=True)
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    os.close(slave)
    os.close(master)
    if process.returncode != 0:
        raise SystemExit(f"{args[-1]} exited with {process.returncode}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def corpus(n: int, directory: Path) -> Path:
    db = directory / f"corpus-{n}.db"
    if not db.exists():
        print(f"building a corpus of {n} articles…", file=sys.stderr)
        env = dict(os.environ, BERITATUI_CONFIG=str(directory / "config.toml"))
        subprocess.run([sys.executable, str(HERE / "corpus.py"), str(n), str(db)], check=True, env=env)
    register_os_login(db)
    return db


def register_os_login(db: Path) -> None:
    """The launches act as this process's OS login (its uid, never LOGNAME/USER): make it an admin of the corpus."""
    from beritatui.core import users
    from beritatui.core.database import close_database, open_database

    open_database(str(db), create=False)
    try:
        users.make_admin(users.current_login())
    finally:
        close_database()


def measure(launches: dict[str, tuple[list[str], dict[str, str]]], runs: int) -> dict[str, tuple[float, float, float]]:
    """Median wall and CPU time and the highest peak RSS of each child, launched in turn ``runs`` times.

    Taking turns (bare, then each database, then again) spreads any load from other jobs over every
    child alike, so the ratios stay fair even when the absolute times drift.
    """
    for args, env in launches.values():
        launch(args, env)  # warm the file cache once; not counted
    figures: dict[str, list[tuple[float, float, float]]] = {name: [] for name in launches}
    for _ in range(runs):
        for name, (args, env) in launches.items():
            figures[name].append(launch(args, env))
    return {name: (statistics.median(f[0] for f in got), statistics.median(f[1] for f in got), max(f[2] for f in got))
            for name, got in figures.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 100000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dir", type=Path, default=None, help="keep corpora here (default: a temp dir)")
    parser.add_argument("--before", type=Path, default=None,
                        help="also run the beritatui found in this src/ folder (e.g. a git archive of an older "
                             "commit), to compare before and after in one run")
    args = parser.parse_args()
    if args.dir:
        args.dir.mkdir(parents=True, exist_ok=True)
        run(args, args.dir)
        return
    with tempfile.TemporaryDirectory(prefix="beritatui-bench-") as tmp:  # a 100k corpus is 2.3 GB: never left behind
        run(args, Path(tmp))


def run(args: argparse.Namespace, directory: Path) -> None:
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="80", LINES="24",
               BERITATUI_CONFIG=str(directory / "config.toml"), BERITATUI_LANG="en")
    env.pop("NO_COLOR", None)
    # An installed beritatui has its bytecode compiled (pip does it); a shell with PYTHONDONTWRITEBYTECODE would
    # make every launch compile our modules from source but not Textual's.  The untimed first launch of each
    # child fills this cache, for the bare app and ours alike.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(directory / "pycache")
    me = [sys.executable, "-P", str(Path(__file__).resolve())]  # -P: bench/typing.py must not stand in for typing
    launches = {"bare": ([*me, "--child", "bare"], env)}
    for n in args.sizes:
        db = str(corpus(n, directory))
        launches[f"beritatui, {n} articles"] = ([*me, "--child", "beritatui", db], env)
        if args.before:
            older = dict(env, PYTHONPATH=str(args.before.resolve()))
            launches[f"before ({args.before}), {n} articles"] = ([*me, "--child", "beritatui", db], older)
    results = measure(launches, args.runs)
    bare, bare_cpu, bare_rss = results.pop("bare")
    print(f"load average {os.getloadavg()[0]:.1f}; medians of {args.runs} runs, taking turns")
    print(f"bare Textual app (Header, DataTable of 50 rows, Footer): {bare * 1000:.0f} ms "
          f"(CPU {bare_cpu * 1000:.0f} ms), peak RSS {bare_rss:.0f} MiB")
    for name, (took, cpu, rss) in results.items():
        print(f"{name}: {took * 1000:.0f} ms (CPU {cpu * 1000:.0f} ms), peak RSS {rss:.0f} MiB, "
              f"{took / bare:.2f}x the bare app's time, {rss / bare_rss:.2f}x its RSS")


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--child":
        child_bare() if sys.argv[2] == "bare" else child_beritatui(sys.argv[3])
    else:
        main()
