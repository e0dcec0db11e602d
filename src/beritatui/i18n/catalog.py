"""Maintaining the translation catalogs: extract messages, update the .po files, compile the .mo files.

Run ``python -m beritatui.i18n.catalog`` after adding or changing user-visible text; a test fails when a
message has no Indonesian translation or a compiled catalog is out of date.
"""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from beritatui.i18n import DOMAIN, LOCALES_DIR

PACKAGE_DIR = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
TRANSLATED_LOCALES = ("id",)
FIXED_DATE = datetime(2026, 11, 29, tzinfo=UTC)  # keeps the catalog header stable between runs


def extract() -> Catalog:
    """Every message the package's source marks for translation."""
    catalog = Catalog(project="beritatui", domain=DOMAIN, creation_date=FIXED_DATE, revision_date=FIXED_DATE,
                      copyright_holder="beritatui developers", msgid_bugs_address="", fuzzy=False)
    method_map = [("**.py", "python")]
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PACKAGE_DIR), method_map=method_map, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
    ):
        catalog.add(message, None, [(f"beritatui/{filename}", lineno)], auto_comments=comments, context=context)
    return catalog


def po_path(locale: str) -> Path:
    return LOCALES_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(locale: str) -> Path:
    return po_path(locale).with_suffix(".mo")


def read_catalog(locale: str) -> Catalog:
    path = po_path(locale)
    if not path.exists():
        return Catalog(locale=locale, domain=DOMAIN)
    with path.open("rb") as handle:
        return read_po(handle, locale=locale, domain=DOMAIN)


def compiled(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def update() -> dict[str, int]:
    """Merge fresh messages into each .po (keeping translations), write it and its .mo; returns untranslated counts."""
    template = extract()
    missing = {}
    for locale in TRANSLATED_LOCALES:
        catalog = read_catalog(locale)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        catalog.fuzzy = False
        catalog.project, catalog.version = "beritatui", "1"
        catalog.language_team = "Bahasa Indonesia"
        catalog.last_translator = "beritatui developers"
        catalog.revision_date = FIXED_DATE
        po_path(locale).parent.mkdir(parents=True, exist_ok=True)
        with po_path(locale).open("wb") as handle:
            write_po(handle, catalog, width=100, sort_output=True, no_location=True, include_previous=False)
        mo_path(locale).write_bytes(compiled(catalog))
        missing[locale] = sum(1 for m in catalog if m.id and not _translated(m))
    return missing


def _translated(message) -> bool:  # noqa: ANN001 - a babel Message
    if isinstance(message.string, tuple | list):
        return all(message.string)
    return bool(message.string) and not message.fuzzy


def untranslated(locale: str) -> list[str]:
    """Messages in the source with no translation in ``locale``'s catalog."""
    catalog = read_catalog(locale)
    missing = []
    for message in extract():
        if not message.id:
            continue
        found = catalog.get(message.id)
        if found is None or not _translated(found):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def main() -> int:
    missing = update()
    for locale, count in missing.items():
        print(f"{locale}: {count} untranslated")
    return 1 if any(missing.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
