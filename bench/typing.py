"""Per-key handling time while typing into a 20 000-word article with the preview open and autosave on.

    python bench/typing.py [--keys 2000] [--words 20000] [--interval 0.02] [--pause 0.6] [--autosave-every 2]

The real app (BeritaApp, its CSS, the editor screen, the garbage collector
paused and resumed as ``beritatui`` does) runs headless under Textual's Pilot
at 160x48, so the body and the preview sit side by side.  The article is created once through the core; the editor opens it, the preview is
switched on, and Pilot types ``--keys`` characters of Indonesian-style prose
near the end of the body: a key every ``--interval`` seconds and, after each
sentence, a pause of ``--pause`` seconds, so the status line, the preview (its
debounce is 0.3 s) and the bounded autosave (the slot is written at least every
``--autosave-every`` seconds while the text changes: 2, as in the editor) all do
their work between and during the keystrokes, as they would for a person.

For each key two figures are kept, both ending when the editor screen has
handled the body's ``TextArea.Changed`` for that key:

* latency: from the moment the key event was created (what a person feels,
  including any wait behind other work on the UI thread);
* handling: from the moment the text area started handling the key.

Prints p50/p95/max of each, how many previews were rendered, how many slot
writes the autosave made, and what gathering each autosave's payload (the whole
body, on the UI thread, before the worker writes it) cost: p50/max per gather.
Asserts nothing: speed goals are read, not tested.
"""

from __future__ import annotations

import os
import sys

if __name__ == "typing":
    # Another script in bench/ asked for the standard library's ``typing`` and Python found this file first
    # (a script's folder leads sys.path).  Hand over the real module, which the import statement then returns.
    import importlib.machinery
    import importlib.util
    import sysconfig

    _spec = importlib.machinery.PathFinder.find_spec("typing", [sysconfig.get_path("stdlib")])
    sys.modules["typing"] = _real = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(_real)
else:
    # Run as a script: keep this folder off the import path, so nothing imports this file as ``typing``.
    _here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _here]

# Everything else is imported inside the functions: imported as ``typing``, this file must stay cheap.

SENTENCE_WORDS = (
    "petugas", "warga", "binaan", "layanan", "kunjungan", "pembinaan", "kegiatan", "pelatihan", "kemandirian",
    "keterampilan", "kerja", "sama", "instansi", "daerah", "kantor", "wilayah", "rutin", "pekan", "ini", "dengan",
    "bersama", "untuk", "dalam", "rangka", "meningkatkan", "mutu", "pelayanan", "publik", "yang", "lebih", "baik",
    "serta", "transparan", "kepada", "masyarakat", "sekitar", "lapas", "rutan", "keluarga", "dan", "mitra",
)
UNITS = ("Lapas Watampone", "Rutan Sinjai", "Lapas Parepare", "Kanwil Sulsel", "Bapas Bone")


def sentence(rng, words: int) -> str:  # noqa: ANN001 - a random.Random
    text = " ".join(rng.choice(SENTENCE_WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def article_body(total_words: int, seed: int = 6) -> str:
    """About ``total_words`` words of Markdown: sections, paragraphs, lists and emphasis, like a long report."""
    import random

    rng = random.Random(seed)
    parts: list[str] = []
    words = 0
    section = 0
    while words < total_words:
        if words // 1200 >= section:
            section += 1
            parts.append(f"## Bagian {section}: {rng.choice(UNITS)}")
        if rng.random() < 0.15:
            items = [f"- **{rng.choice(UNITS)}**: {sentence(rng, 8)}" for _ in range(4)]
            parts.append("\n".join(items))
            words += 40
        else:
            paragraph = " ".join(sentence(rng, rng.randint(12, 20)) for _ in range(6))
            parts.append(paragraph.replace(" pelayanan ", " *pelayanan* ", 1))
            words += len(paragraph.split())
    return "\n\n".join(parts) + "\n"


def typed_text(keys: int, seed: int = 7) -> list[str]:
    """``keys`` characters of prose, as a list of sentences (each ends with '. ')."""
    import random

    rng = random.Random(seed)
    sentences: list[str] = []
    count = 0
    while count < keys:
        text = sentence(rng, rng.randint(8, 14)) + " "
        text = text[: keys - count]
        sentences.append(text)
        count += len(text)
    return sentences


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def prepare(directory, words: int) -> tuple[str, int]:  # noqa: ANN001 - a Path
    """A fresh database holding one long article by the bench's admin; returns (database, article id)."""
    from beritatui.core.articles import ArticleDraft, create_article
    from beritatui.core.config import load_config
    from beritatui.core.session import open_session

    db = str(directory / "typing.db")
    session = open_session(db, load_config(), login="redaksi", bootstrap=True)
    draft = ArticleDraft(title="Laporan tahunan pembinaan warga binaan", summary="Rangkuman kegiatan setahun.",
                         body=article_body(words), tags=["laporan", "pembinaan"],
                         bylines=[("Redaksi", "Humas Kanwil")])
    article = create_article(session.actor, draft)
    return db, article.id


async def type_into_editor(db: str, article_id: int, args) -> dict[str, object]:  # noqa: ANN001 - parsed arguments
    import asyncio

    from textual._time import get_time
    from textual.widgets import TextArea

    import beritatui.tui.editor as editormod
    from beritatui.core import autosave
    from beritatui.core.config import load_config
    from beritatui.core.session import open_session
    from beritatui.tui.app import BeritaApp
    from beritatui.tui.widgets.preview import Preview

    editormod.AUTOSAVE_EVERY_SECONDS = args.autosave_every
    from beritatui.tui import collector

    session = open_session(db, load_config(), login="redaksi")
    paused = collector.pause()  # as ``beritatui`` starts the app (tui.launch): the collector's real schedule
    app = BeritaApp(session, settings=session.settings, resume_collector=paused)

    started: list[float] = []  # when the text area began handling each key
    created: list[float] = []  # when each key event was made
    latency: list[float] = []
    handling: list[float] = []
    counts = {"previews": 0, "autosaves": 0}
    gathers: list[float] = []  # seconds the UI thread spent gathering each autosave's payload

    original_on_key = TextArea._on_key
    original_changed = editormod.EditorScreen.on_text_area_changed
    original_render = Preview._render_pending
    original_store = autosave.store
    original_due = editormod.EditorScreen.autosave_due
    original_worker = editormod.EditorScreen.store_autosave

    async def timed_on_key(self, event):  # noqa: ANN001, ANN202 - Textual's handler
        if event.is_printable or event.key == "enter":
            created.append(event.time)
            started.append(get_time())
        return await original_on_key(self, event)

    def timed_changed(self, event):  # noqa: ANN001, ANN202
        original_changed(self, event)
        if created and len(latency) < len(created):
            now = get_time()
            latency.append(now - created[len(latency)])
            handling.append(now - started[len(handling)])

    def counted_render(self):  # noqa: ANN001, ANN202
        if self._pending is not None and self._pending != self._shown:
            counts["previews"] += 1
        return original_render(self)

    def counted_store(*a, **kw):  # noqa: ANN002, ANN003, ANN202
        counts["autosaves"] += 1
        return original_store(*a, **kw)

    def timed_due(self):  # noqa: ANN001, ANN202
        # The UI thread's share of one autosave: the dirty check and the payload (the worker only starts).
        original_worker_call = self.store_autosave
        started = get_time()

        def start_worker(*a, **kw):  # noqa: ANN002, ANN003, ANN202
            gathers.append(get_time() - started)
            return original_worker_call(*a, **kw)

        self.store_autosave = start_worker
        try:
            return original_due(self)
        finally:
            del self.store_autosave

    TextArea._on_key = timed_on_key  # type: ignore[method-assign]
    editormod.EditorScreen.on_text_area_changed = timed_changed  # type: ignore[method-assign]
    Preview._render_pending = counted_render  # type: ignore[method-assign]
    autosave.store = counted_store
    editormod.EditorScreen.autosave_due = timed_due  # type: ignore[method-assign]
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.pause(0.5)
            screen = editormod.EditorScreen(article_id)
            app.push_screen(screen)
            while not screen.loaded:
                await pilot.pause(0.05)
            screen.action_toggle_preview()
            body = screen.query_one("#body", TextArea)
            body.focus()
            body.move_cursor((body.document.line_count - 1, 0))
            await pilot.pause(1.0)  # the first full preview
            for text in typed_text(args.keys):
                for char in text:
                    await pilot.press(char)
                    await asyncio.sleep(args.interval)
                await asyncio.sleep(args.pause)
            await pilot.pause(args.autosave_every + 0.5)
            words = len(body.text.split())
    finally:
        TextArea._on_key = original_on_key  # type: ignore[method-assign]
        editormod.EditorScreen.on_text_area_changed = original_changed  # type: ignore[method-assign]
        Preview._render_pending = original_render  # type: ignore[method-assign]
        autosave.store = original_store
        editormod.EditorScreen.autosave_due = original_due  # type: ignore[method-assign]
    del original_worker
    return {"latency": latency, "handling": handling, "words": words, "gathers": gathers, **counts}


def main() -> None:
    import argparse
    import asyncio
    import statistics
    import tempfile
    from pathlib import Path

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keys", type=int, default=2000)
    parser.add_argument("--words", type=int, default=20000)
    parser.add_argument("--interval", type=float, default=0.02, help="seconds between keys within a sentence")
    parser.add_argument("--pause", type=float, default=0.6, help="seconds of pause after each sentence")
    parser.add_argument("--autosave-every", type=float, default=2.0,
                        help="while the text changes, write the autosave slot at least this often (seconds)")
    args = parser.parse_args()
    directory = Path(tempfile.mkdtemp(prefix="beritatui-typing-"))
    os.environ["BERITATUI_CONFIG"] = str(directory / "config.toml")
    os.environ.setdefault("BERITATUI_LANG", "en")
    db, article_id = prepare(directory, args.words)
    result = asyncio.run(type_into_editor(db, article_id, args))
    for name in ("latency", "handling"):
        values = [v * 1000 for v in result[name]]  # type: ignore[union-attr]
        print(f"per-key {name}: p50 {statistics.median(values):.1f} ms, p95 {percentile(values, 0.95):.1f} ms, "
              f"max {max(values):.1f} ms over {len(values)} keys")
    print(f"article: {result['words']} words; previews rendered: {result['previews']}; "
          f"autosave slot writes: {result['autosaves']}")
    gathers = [v * 1000 for v in result["gathers"]]  # type: ignore[union-attr]
    if gathers:
        print(f"autosave payload gathered on the UI thread: p50 {statistics.median(gathers):.2f} ms, "
              f"max {max(gathers):.2f} ms over {len(gathers)} autosaves")


if __name__ == "__main__":
    sys.exit(main())
