"""Ctrl+E in the editor: the body in the person's own text editor, as ``beritatui edit`` does it.

The command is the one ``beritatui edit`` runs (:func:`beritatui.core.config.editor_command`: the
config's ``editor``, else ``$VISUAL``, ``$EDITOR``, ``vi``); the app hands the terminal over while it
runs.  :class:`ExternalEditing` is mixed into :class:`~beritatui.tui.editor.EditorScreen`.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path

from textual import work
from textual.app import SuspendNotSupported
from textual.widgets import TextArea

from beritatui.core.config import editor_command
from beritatui.i18n import _


class ExternalEditing:
    """The external editor for the editor screen (it uses the screen's ``edited()``)."""

    def action_external_editor(self) -> None:
        self.edit_outside(self.query_one("#body", TextArea).text)

    @work(thread=True, exclusive=True, group="editor-external")
    def edit_outside(self, body: str) -> None:
        """Write the body to a temporary file, let $EDITOR change it, read it back (files off the UI thread)."""
        handle, name = tempfile.mkstemp(prefix="beritatui-", suffix=".md")
        path = Path(name)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(body)
            code = self.app.call_from_thread(self.run_external, path)
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.app.call_from_thread(self.app.show_error, exc)
            return
        finally:
            path.unlink(missing_ok=True)
        if code == 0 and text != body:
            self.app.call_from_thread(self.set_body, text)

    def run_external(self, path: Path) -> int:
        command = [*shlex.split(editor_command(self.app.session.config.editor)), str(path)]
        try:
            with self.app.suspend():
                return subprocess.call(command)
        except SuspendNotSupported:
            self.notify(_("This terminal cannot hand over to an external editor"), severity="warning")
            return 1
        except OSError as exc:
            self.notify(_("Cannot run {command}: {reason}").format(command=command[0], reason=exc.strerror or exc),
                        severity="error")
            return 1

    def set_body(self, text: str) -> None:
        self.query_one("#body", TextArea).load_text(text)
        self.edited()
