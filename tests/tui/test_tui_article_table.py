"""The article table's cells without a screen: every column cut to its width, whatever the text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from beritatui.core import workflow
from beritatui.core.listing import ArticleRow
from beritatui.tui.widgets.article_table import COLUMNS, TITLE_MIN, article_cells, title_width

NOW = datetime(2026, 11, 29, 2, 42, tzinfo=UTC)


def _row(**changes) -> ArticleRow:
    fields = dict(id=7, uuid="u-7", title="Penyuluhan Hukum bagi Warga Binaan", slug="penyuluhan-hukum",
                  status="review", version=3, updated_at=NOW - timedelta(hours=3), published_at=None,
                  scheduled_at=None, created_at=NOW - timedelta(days=2), created_by=1,
                  bylines=[("Humas Lapas Watampone", "Lapas Watampone")], tags=["Penyuluhan", "Hukum"], reactions=0)
    fields.update(changes)
    return ArticleRow(**fields)


def test_a_row_reads_as_the_list_shows_it():
    title, status, byline, tag, updated, reactions = (str(cell) for cell in article_cells(_row(), NOW, 30))
    assert title == " Penyuluhan Hukum bagi Warga…"  # 28 cells: the column less its two blanks
    assert status == workflow.status_label("review")[:9]
    assert byline == "Humas Lapa…" and tag == "Penyuluh…"  # the first tag is the primary one
    assert updated == "3 hr. ago" and reactions == ""
    cells = article_cells(_row(reactions=12, status="published"), NOW, 30)
    assert str(cells[5]) == "12" and cells[5].justify == "right"
    assert str(cells[1].style) == "green"


def test_the_title_gets_what_the_other_columns_leave():
    fixed = sum(width for _key, _label, width in COLUMNS)
    assert title_width(80) == 80 - fixed - 2
    assert title_width(120) == 120 - fixed - 2
    assert title_width(40) == title_width(80)  # never narrower than at 80 columns
    assert title_width(80) >= TITLE_MIN


@given(title=st.text(max_size=120), byline=st.text(max_size=40), tag=st.text(max_size=40),
       width=st.integers(min_value=TITLE_MIN, max_value=200))
def test_no_cell_is_wider_than_its_column(title, byline, tag, width):
    cells = article_cells(_row(title=title, bylines=[(byline, "")], tags=[tag]), NOW, width)
    assert len(str(cells[0])) <= width - 1
    for (_key, _label, column), cell in zip(COLUMNS, cells[1:], strict=True):
        assert len(str(cell)) <= column - 1
