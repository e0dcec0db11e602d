"""Listings of the export's folders see every name, whoever else is listing the same open directory.

The export's two worker processes inherit the exporter's descriptor of ``articles/`` and each list
it as they start; descriptors inherited or duplicated share one directory offset, so a listing made
while another is under way used to see only what the other had not read yet (usually nothing).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from beritatui.feeds import files

# Another process's listing of the inherited descriptor, under way (as a worker's while it starts).
HOLDER = """
import os, sys
entries = os.scandir(int(sys.argv[1]))
next(entries)
print("listing", flush=True)
sys.stdin.readline()
entries.close()
"""
LISTER = """
import json, sys
from beritatui.feeds import files
print(json.dumps(sorted(files.names_in(int(sys.argv[1])))))
"""


def _articles(tmp_path, names):
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in names:
        (folder / name).write_text("{}", encoding="utf-8")
    return folder


def test_a_worker_listing_articles_while_the_other_one_does_sees_every_file(tmp_path):
    """Regression: the second worker saw none of the article files, so it staged and renamed every one of
    its share again (same bytes, new mtimes, each counted as written) on an export that changed nothing."""
    names = {f"penyuluhan-hukum-bagi-warga-binaan-{n}.json" for n in range(40)}
    fd = os.open(_articles(tmp_path, names), os.O_RDONLY | os.O_DIRECTORY)
    try:
        holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(fd)], pass_fds=(fd,), stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True)
        try:
            assert holder.stdout.readline() == "listing\n"
            lister = subprocess.run([sys.executable, "-c", LISTER, str(fd)], pass_fds=(fd,), capture_output=True,
                                    text=True, timeout=60)
        finally:
            holder.communicate("\n", timeout=30)
    finally:
        os.close(fd)
    assert lister.returncode == 0, lister.stderr
    assert set(json.loads(lister.stdout)) == names


def test_a_sweep_while_a_worker_lists_the_folder_removes_every_leftover(tmp_path):
    """The exporter sweeps a killed run's temporary files while its workers, already started, list ``articles/``."""
    leftovers = {f".kegiatan-pramuka-{n}.json.{n:08x}.tmp" for n in range(12)}
    folder = _articles(tmp_path, leftovers | {"kegiatan-pramuka-1.json"})
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        with os.scandir(fd) as under_way:
            next(under_way)
            assert files.sweep_temporary(fd) == len(leftovers)
    finally:
        os.close(fd)
    assert {p.name for p in folder.iterdir()} == {"kegiatan-pramuka-1.json"}
