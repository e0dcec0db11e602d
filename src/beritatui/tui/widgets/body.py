"""The Markdown body's text area, kept quick on a 20 000-word report.

Two costs of Textual's TextArea grow with the whole document, on every key:

* every painted line asks the wrapped document for its height, which sums the
  wrap offsets of all lines (about 0.7 ms per line at 20 000 words, ~30 ms for
  a screenful); the wrapped document already keeps one entry per visual line,
  so its length is that height;
* Markdown highlighting re-parses and re-queries the document with
  tree-sitter (~17 ms at 20 000 words), so long articles are edited as plain
  text; highlighting returns when the text gets short again.
"""

from __future__ import annotations

from textual.document._wrapped_document import WrappedDocument
from textual.widgets import TextArea

HIGHLIGHT_LIMIT = 30_000  # characters (about 4 500 words)


class _CountedWrappedDocument(WrappedDocument):
    """Same wrapping; the height is the number of visual lines it already tracks."""

    @property
    def height(self) -> int:
        return len(self._offset_to_line_info)


class BodyArea(TextArea):
    """A TextArea whose per-key cost does not grow with the article's length."""

    @property
    def wrapped_document(self) -> WrappedDocument:
        return self._body_wrapped

    @wrapped_document.setter
    def wrapped_document(self, document: WrappedDocument) -> None:
        if type(document) is WrappedDocument:
            document.__class__ = _CountedWrappedDocument
        self._body_wrapped = document

    def fit_highlighting(self, length: int) -> None:
        """Markdown highlighting for a text of ``length`` characters up to ``HIGHLIGHT_LIMIT``, plain beyond."""
        wanted = "markdown" if length <= HIGHLIGHT_LIMIT else None
        if self.language != wanted:
            self.language = wanted
