"""The article list's filters by tag (``t``) and by unit (``U``): ask, then read the list again.

Mixed into :class:`~beritatui.tui.articles.ArticlesScreen`, which keeps the query (``query_state``) and
the units' scope (``scope``, a :class:`~beritatui.tui.unit_scope.UnitScope`, whose unit ids the worker
that loads the first page reads); this part asks which tag or which units, says in the header which
units are shown, and starts the reload.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from textual import work

from beritatui.core.tags import tag_names
from beritatui.i18n import _
from beritatui.tui.work import core_work

if TYPE_CHECKING:
    from beritatui.tui.unit_scope import UnitScope


class ListFilters:
    """The filters' part of the list screen (it uses the screen's ``query_state``, ``scope`` and ``reload()``)."""

    scope: UnitScope

    def action_tag_filter(self) -> None:
        self._fetch_tag_names()

    @work(thread=True, group="tag-names")
    def _fetch_tag_names(self) -> None:
        with core_work(self.app):
            names = tag_names(limit=500)
            self.app.call_from_thread(self._ask_tag, names)

    def _ask_tag(self, names: list[str]) -> None:
        from textual.suggester import SuggestFromList

        from beritatui.tui.widgets.confirm import TextPromptModal

        prompt = TextPromptModal(_("Show articles with the tag (empty shows all):"),
                                 value=self.query_state.tag or "", required=False,
                                 suggester=SuggestFromList(names, case_sensitive=False))
        self.app.push_screen(prompt, self._set_tag)  # type: ignore[attr-defined]

    def _set_tag(self, tag: str | None) -> None:
        if tag is not None:
            self.filter_by_tag(tag)

    def filter_by_tag(self, tag: str) -> None:
        """Show only articles with ``tag`` (empty: all tags again)."""
        self.query_state = replace(self.query_state, tag=tag or None)
        self.reload()

    def action_unit_filter(self) -> None:
        from beritatui.tui.widgets.unit_filter import UnitFilterModal

        self.app.push_screen(UnitFilterModal(self.scope), self._set_scope)  # type: ignore[attr-defined]

    def _set_scope(self, scope: UnitScope | None) -> None:
        if scope is not None:
            self.filter_by_units(scope)

    def filter_by_units(self, scope: UnitScope) -> None:
        """Show the articles of ``scope`` (its unit ids are read in the list's worker)."""
        self.scope = scope
        self._render_scope()
        self.reload()  # type: ignore[attr-defined]

    def _render_scope(self) -> None:
        """The header says who is working and which units' articles the list shows."""
        actor = self.app.session.actor  # type: ignore[attr-defined]
        self.sub_title = _("{name} \u00b7 articles of {units}").format(  # type: ignore[attr-defined]
            name=actor.display_name or actor.login, units=self.scope.label)
