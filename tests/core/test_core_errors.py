"""``core.errorlines.describe``: the one rule for what a person reads when an error reaches a surface.

The command line (``handle_errors``) and the terminal app (``error_message``) both ask it; the
surfaces only add their own frame ("Error: ..." and exit 1, or a notification titled Error).
"""

from __future__ import annotations

import errno

import peewee
import pytest

from beritatui.core.errorlines import describe
from beritatui.core.errors import NotFound, PermissionDenied


def test_the_cores_own_errors_say_themselves():
    assert describe(NotFound("No article 'penyuluhan-hukum'")) == "No article 'penyuluhan-hukum'"
    assert describe(PermissionDenied("Only editors may publish")) == "Only editors may publish"


def test_a_missing_file_is_the_systems_reason_and_the_path(tmp_path):
    path = tmp_path / "tidak-ada" / "laporan.md"
    with pytest.raises(OSError) as caught:
        path.read_text(encoding="utf-8")
    assert describe(caught.value) == f"No such file or directory: {path}"


def test_an_over_long_path_is_named_by_its_length_and_cut_short(tmp_path):
    path = tmp_path / ("Penyuluhan-Hukum-bagi-Warga-Binaan-" * 150)
    with pytest.raises(OSError) as caught:
        path.write_text("isi", encoding="utf-8")
    line = describe(caught.value)
    assert line.startswith(f"The path is too long ({len(str(path))} characters): ")
    assert len(line) < 300 and line.endswith("…")


def test_a_full_disk_is_said_as_such():
    assert describe(OSError(errno.ENOSPC, "No space left on device", "/srv/berita/cadangan.db")) == \
        "The disk is full: /srv/berita/cadangan.db"
    assert describe(OSError(errno.ENOSPC, "No space left on device")) == "The disk is full"


def test_a_database_error_is_described_for_the_database(tmp_path):
    path = tmp_path / "bukan-database.db"
    path.write_bytes(b"Ini bukan berkas SQLite, hanya catatan rapat humas.\n" * 200)
    db = peewee.SqliteDatabase(str(path))
    with pytest.raises(peewee.DatabaseError) as caught:
        db.execute_sql("SELECT count(*) FROM sqlite_master")
    db.close()
    assert describe(caught.value, str(path)) == f"{path} is damaged or not a beritatui database"


def test_an_error_nobody_foresaw_is_left_to_the_surface():
    assert describe(ValueError("invalid literal for int() with base 10: 'x'")) is None
    assert describe(KeyError("slug")) is None
