"""How long from ``beritatui`` to a painted article list, beside a bare Textual app, in one run.

    python bench/startup.py [--sizes 100 20000] [--runs 5] [--dir DIR]

For each database size a corpus is built once (``bench/corpus.py``, through the
core's bulk path), then each app is launched ``--runs`` times as a separate
process in a pseudo-terminal of 80x24.  The clock runs from just before the
process starts to its exit, and the child exits right after the first refresh
that shows article rows (the bare app: after its DataTable of 50 rows is
painted).  Peak RSS comes from ``wait4``.  Prints medians and the ratio; it
asserts nothing, because speed goals are read, not tested.
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
LOGIN = "korpus"


# -- the child processes ------------------------------------------------------------------------

def child_beritatui(db: str) -> None:
    """The real app on ``db``; exits after the first refresh that shows rows."""
    from beritatui.core.config import load_config
    from beritatui.core.session import open_session
    from beritatui.tui.app import BeritaApp
    from beritatui.tui.articles import ArticlesScreen

    shown = ArticlesScreen._show_first

    def show_then_exit(self, generation, page, counts):  # noqa: ANN001 - same signature as the method
        shown(self, generation, page, counts)
        if self.rows:
            self.app.call_after_refresh(self.app.exit)

    ArticlesScreen._show_first = show_then_exit  # type: ignore[method-assign]
    session = open_session(db, load_config(), login=LOGIN)
    BeritaApp(session, settings=session.settings).run()


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


def launch(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run one child in an 80x24 pty; returns (seconds, peak RSS in MiB)."""
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
    return seconds, usage.ru_maxrss / 1024


def corpus(n: int, directory: Path) -> Path:
    db = directory / f"corpus-{n}.db"
    if not db.exists():
        print(f"building a corpus of {n} articles…", file=sys.stderr)
        env = dict(os.environ, BERITATUI_CONFIG=str(directory / "config.toml"))
        subprocess.run([sys.executable, str(HERE / "corpus.py"), str(n), str(db)], check=True, env=env)
    return db


def measure(args: list[str], env: dict[str, str], runs: int) -> tuple[float, float]:
    launch(args, env)  # warm the file cache once; not counted
    times, peaks = zip(*(launch(args, env) for _ in range(runs)), strict=True)
    return statistics.median(times), max(peaks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 20000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dir", type=Path, default=None, help="keep corpora here (default: a temp dir)")
    args = parser.parse_args()
    directory = args.dir or Path(tempfile.mkdtemp(prefix="beritatui-bench-"))
    directory.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="80", LINES="24", USER=LOGIN, LOGNAME=LOGIN,
               BERITATUI_CONFIG=str(directory / "config.toml"), BERITATUI_LANG="en")
    env.pop("NO_COLOR", None)
    me = [sys.executable, str(Path(__file__).resolve())]
    bare, bare_rss = measure([*me, "--child", "bare"], env, args.runs)
    print(f"bare Textual app (Header, DataTable of 50 rows, Footer): {bare * 1000:.0f} ms, "
          f"peak RSS {bare_rss:.0f} MiB")
    for n in args.sizes:
        db = corpus(n, directory)
        took, rss = measure([*me, "--child", "beritatui", str(db)], env, args.runs)
        print(f"beritatui, {n} articles: {took * 1000:.0f} ms, peak RSS {rss:.0f} MiB, "
              f"{took / bare:.2f}x the bare app (median of {args.runs})")


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--child":
        child_bare() if sys.argv[2] == "bare" else child_beritatui(sys.argv[3])
    else:
        main()
