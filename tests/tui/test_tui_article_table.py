"""The article table's cells without a screen: every column cut to its width, whatever the text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from beritatui.core import workflow
from beritatui.core.listing import ArticleRow
from beritatui.tui.widgets.article_table import (
    COLUMNS,
    SCHEDULED_COLUMNS,
    TITLE_MIN,
    WIDE_ONLY,
    article_cells,
    fitted,
    title_width,
)

NOW = datetime(2026, 11, 29, 2, 42, tzinfo=UTC)


def _row(**changes) -> ArticleRow:
    fields = dict(id=7, uuid="u-7", title="Penyuluhan Hukum bagi Warga Binaan", slug="penyuluhan-hukum",
                  status="review", version=3, updated_at=NOW - timedelta(hours=3), published_at=None,
                  scheduled_at=None, created_at=NOW - timedelta(days=2), created_by=1,
                  bylines=[("Humas Lapas Watampone", "Lapas Watampone")], tags=["Penyuluhan", "Hukum"], reactions=0,
                  unit_id=3)
    fields.update(changes)
    return ArticleRow(**fields)


UNITS = {3: "Lapas Watampone", 1: "Kanwil Sulawesi Selatan"}


def test_a_row_reads_as_the_list_shows_it():
    cells = article_cells(_row(), NOW, 30, unit_names=UNITS)
    title, status, unit, byline, tag, updated, reactions = (str(cell) for cell in cells)
    assert title == " Penyuluhan Hukum bagi Warga…"  # 28 cells: the column less its two blanks
    assert status == workflow.status_label("review")[:9]
    assert unit == "Lapas Wata…"  # the article's unit by name, not its byline's text
    assert byline == "Humas Lap…" and tag == "Penyuluh…"  # the first tag is the primary one
    assert updated == "3 hr. ago" and reactions == ""
    cells = article_cells(_row(reactions=12, status="published", unit_id=1), NOW, 30, unit_names=UNITS)
    assert str(cells[6]) == "12" and cells[6].justify == "right"
    assert str(cells[1].style) == "green"
    assert str(cells[2]) == "Kanwil Sul…"


def test_a_unit_not_known_to_the_table_is_an_empty_cell():
    assert str(article_cells(_row(unit_id=99), NOW, 30, unit_names=UNITS)[2]) == ""
    assert str(article_cells(_row(unit_id=None), NOW, 30, unit_names=UNITS)[2]) == ""


def test_the_title_gets_what_the_other_columns_leave():
    narrow = sum(width for key, _label, width in COLUMNS if key not in WIDE_ONLY)
    wide = sum(width for _key, _label, width in COLUMNS)
    assert title_width(80) == 80 - narrow - 2  # the reactions need a wider screen
    assert title_width(120) == 120 - wide - 2
    assert title_width(40) == title_width(80)  # never narrower than at 80 columns
    assert title_width(80) >= TITLE_MIN and title_width(80, SCHEDULED_COLUMNS) >= TITLE_MIN


def test_the_reactions_come_back_where_there_is_room_for_them():
    assert "reactions" not in [key for key, _label, _width in fitted(COLUMNS, 80)]
    assert [key for key, _label, _width in fitted(COLUMNS, WIDE_ONLY["reactions"])] == [k for k, _l, _w in COLUMNS]
    assert title_width(WIDE_ONLY["reactions"]) >= title_width(80) - 6


@given(title=st.text(max_size=120), byline=st.text(max_size=40), tag=st.text(max_size=40),
       width=st.integers(min_value=TITLE_MIN, max_value=200))
def test_no_cell_is_wider_than_its_column(title, byline, tag, width):
    cells = article_cells(_row(title=title, bylines=[(byline, "")], tags=[tag]), NOW, width, unit_names={3: byline})
    assert len(str(cells[0])) <= width - 1
    for (_key, _label, column), cell in zip(COLUMNS, cells[1:], strict=True):
        assert len(str(cell)) <= column - 1
