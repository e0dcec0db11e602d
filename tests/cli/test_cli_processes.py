"""Two real ``beritatui edit`` processes save the same article from the same version: one wins, one is told.

Each editor script appends its own sentence, then waits at a barrier until both
processes have read the article, so both start from the same version every time.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from beritatui.core.models import Article

BARRIER_EDITOR = """
import sys, time
from pathlib import Path
folder, who, target = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
with open(target, "a", encoding="utf-8") as handle:
    handle.write("\\nTambahan dari " + who + ".")
(folder / ("ready-" + who)).touch()
deadline = time.monotonic() + 60
while len(list(folder.glob("ready-*"))) < 2 and time.monotonic() < deadline:
    time.sleep(0.01)
"""


def _start(db: Path, slug: str, who: str, barrier: Path, script: Path, tmp_path: Path) -> subprocess.Popen:
    """``beritatui edit`` as this process's OS login (both editors do); ``who`` only tells their sentences apart."""
    env = {
        **os.environ,
        "VISUAL": f"{sys.executable} {script} {barrier} {who}",
        "BERITATUI_CONFIG": str(tmp_path / "config.toml"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "BERITATUI_LANG": "en",
    }
    return subprocess.Popen([sys.executable, "-m", "beritatui", "--db", str(db), "edit", slug], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_processes_one_saves_one_gets_a_clean_conflict(newsroom, wati_draft, tmp_path, register_os_login):
    register_os_login("editor")  # the login both processes run as: an editor may edit wati's draft
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    script = tmp_path / "barrier_editor.py"
    script.write_text(BARRIER_EDITOR, encoding="utf-8")
    procs = {login: _start(newsroom.path, wati_draft.slug, login, barrier, script, tmp_path) for login in ("ani", "eko")}
    outcomes = {login: (*proc.communicate(timeout=120), proc.returncode) for login, proc in procs.items()}
    codes = sorted(code for _out, _err, code in outcomes.values())
    assert codes == [0, 1], outcomes
    winner = next(login for login, (_o, _e, code) in outcomes.items() if code == 0)
    loser = next(login for login, (_o, _e, code) in outcomes.items() if code == 1)
    _out, err, _code = outcomes[loser]
    assert "Traceback" not in err
    assert "Conflict, not saved" in err and "version 2, yours was 1" in err
    kept = Path(err.split("Your text is kept in ", 1)[1].split(";", 1)[0])
    assert kept.read_text(encoding="utf-8").rstrip().endswith(f"Tambahan dari {loser}.")
    article = Article.get_by_id(wati_draft.id)
    assert article.version == 2
    assert article.body.endswith(f"Tambahan dari {winner}.")
    assert f"Tambahan dari {loser}" not in article.body
