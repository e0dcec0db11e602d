"""Seed a realistic corpus through the core bulk path: ``python bench/corpus.py N DB``.

Articles of about 600 words in Indonesian newsroom style, with lists, 1-4 of 50
tags (some internal), 20 bylines over 5 units, every status, ten years of
dates and reaction tallies.  ``--units K`` (default 50) makes the organisation a
tree: the root, five regional offices ("Kanwil ...") under it and the other
units spread under those; every article belongs to one of them (a tenth to a
regional office itself), and each unit gets an editor (``ed-<slug>``).  Each article's opening paragraph is unique and
rendered per article; the rest is drawn from a pool of paragraphs rendered once
(markdown-it-py needs ~8 ms for a 600-word body, which alone would take 13
minutes for 100k articles on one core).
"""

from __future__ import annotations

import sys

# A script in bench/ must not let a sibling file shadow the standard library (bench/typing.py is a script).
if sys.path and sys.path[0] == __import__("os").path.dirname(__import__("os").path.abspath(__file__)):
    sys.path.pop(0)

import argparse
import itertools
import os
import random
import resource
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from beritatui.core import bulk, site, users
from beritatui.core.database import close_database, current_database, open_database
from beritatui.core.render import html_to_text, render_html

UNITS = ["Lapas Watampone", "Rutan Sinjai", "Bapas Makassar", "Kanwil Sulawesi Selatan", "LPKA Maros"]
NAMES = ["A. Yudistira", "Rina Wulandari", "Muh. Fadli", "Siti Rahmawati", "Andi Pratama", "Nurul Hidayah",
         "Budi Santoso", "Dewi Lestari", "Hasanuddin", "Indah Permata", "Yusuf Maulana", "Sri Wahyuni",
         "Ahmad Rizal", "Fitri Handayani", "Rudi Hartono", "Wahyu Saputra", "Lina Marlina", "Irfan Hakim",
         "Kartika Sari", "Agus Salim"]
TOPICS = ["Pelayanan Publik", "Pembinaan", "Kesehatan", "Pendidikan", "Kunjungan", "Reformasi Birokrasi",
          "Zona Integritas", "Humas", "Keamanan", "Ketertiban", "Kerohanian", "Olahraga", "Kemandirian",
          "Pelatihan", "Remisi", "Integrasi", "Asimilasi", "Bantuan Hukum", "Teknologi Informasi", "Media Sosial",
          "Kepegawaian", "Anggaran", "Pengawasan", "Sosialisasi", "Kerja Sama", "Inovasi", "Penghargaan",
          "Hari Bakti", "Upacara", "Rapat Koordinasi", "Layanan Kunjungan", "Wartelsuspas", "Klinik",
          "Dapur Sehat", "Pertanian", "Perikanan", "Kerajinan", "Pramuka", "Pengajian", "Ibadah", "Donor Darah",
          "Vaksinasi", "Penyuluhan", "Narkotika", "Razia", "Tes Urine", "Penerimaan CPNS", "Pensiun",
          "#embargo", "#cek-fakta"]
SUBJECTS = ["Kepala Lapas", "Jajaran petugas", "Tim kesehatan", "Warga binaan", "Kepala Seksi Pembinaan",
            "Petugas layanan", "Kepala Kantor Wilayah", "Tim humas", "Para peserta", "Pihak mitra"]
VERBS = ["melaksanakan", "meninjau", "mengikuti", "menyelenggarakan", "mendukung", "memantau", "membuka",
         "menutup", "menyampaikan", "meningkatkan"]
OBJECTS = ["kegiatan pembinaan kepribadian", "layanan kunjungan tatap muka", "pemeriksaan kesehatan berkala",
           "sosialisasi hak warga binaan", "pelatihan keterampilan kerja", "rapat evaluasi kinerja",
           "penguatan zona integritas", "pemanfaatan teknologi informasi", "program kemandirian",
           "koordinasi dengan aparat setempat"]
TAILS = ["dengan tertib dan lancar", "sesuai standar operasional prosedur", "bersama seluruh jajaran",
         "di aula utama", "sebagai wujud pelayanan prima", "dalam rangka mewujudkan birokrasi bersih",
         "yang disambut antusias", "secara transparan dan akuntabel"]


class Dice(random.Random):
    """``random.Random`` with a cheaper ``choice`` (an article takes about forty picks)."""

    def choice(self, seq):  # noqa: ANN001, ANN201 - same signature as random.Random.choice
        return seq[int(self.random() * len(seq))]


def sentence(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}."


def paragraph(rng: random.Random, sentences: int = 8) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def build_pool(rng: random.Random, size: int = 300) -> list[tuple[str, str, str]]:
    """(markdown, html, text) blocks rendered once: paragraphs, some with emphasis and links, some lists."""
    pool = []
    for i in range(size):
        if i % 6 == 0:
            md = "\n".join(f"- {sentence(rng)}" for _ in range(rng.randint(3, 5)))
        elif i % 6 == 1:
            md = f"## {rng.choice(OBJECTS).capitalize()}\n\n{paragraph(rng, 6)}"
        elif i % 6 == 2:
            md = f"{paragraph(rng, 5)} Informasi lengkap di [laman resmi](https://example.go.id/info/{i}). " \
                 f"**{sentence(rng)}**"
        else:
            md = paragraph(rng)
        block_html = render_html(md)
        pool.append((md, block_html, html_to_text(block_html)))
    return pool


def lead_markdown(day: str, sentences: str, number: int, topic: str) -> str:
    return f"**{day}** – {sentences} Kegiatan ke-{number} ini bertema *{topic}*."


def lead_html(day: str, sentences: str, number: int, topic: str) -> str:
    """What :func:`render_html` gives for :func:`lead_markdown`, without the 1 ms markdown-it pass.

    The word lists hold no Markdown or HTML metacharacters, so the rendering is this
    template; :func:`check_lead` compares the two on the first article of every run.
    """
    return f"<p><strong>{day}</strong> – {sentences} Kegiatan ke-{number} ini bertema <em>{topic}</em>.</p>"


def check_lead(item: bulk.BulkArticle) -> None:
    body_html = render_html(item.body)
    if (body_html, html_to_text(body_html)) != (item.body_html, item.body_text):
        sys.exit("corpus.py: the lead template no longer matches render_html; update lead_html")


REGIONS = ["Kanwil Sulawesi Selatan", "Kanwil Sulawesi Barat", "Kanwil Sulawesi Tengah", "Kanwil Gorontalo",
           "Kanwil Maluku"]
UNIT_KINDS = ["Lapas", "Rutan", "Bapas", "LPKA", "Rupbasan"]
TOWNS = ["Watampone", "Makassar", "Sinjai", "Maros", "Pinrang", "Bulukumba", "Palopo", "Parepare", "Majene",
         "Mamuju", "Palu", "Poso", "Luwuk", "Tolitoli", "Ambon", "Tual", "Masohi", "Gorontalo", "Limboto",
         "Takalar", "Jeneponto", "Bantaeng", "Selayar", "Enrekang", "Sidrap", "Soppeng", "Wajo", "Barru"]


def make_units(admin, count: int) -> tuple[list[int], list[int]]:  # noqa: ANN001 - a User
    """The tree: root, up to five regions, the rest as units under them; returns (regions, leaf units)."""
    from beritatui.core import unit_admin

    if count <= 1:
        return [], []
    regions = [unit_admin.add_unit(admin, name).id for name in REGIONS[:min(5, count - 1)]]
    leaves = []
    for k in range(count - 1 - len(regions)):
        name = f"{UNIT_KINDS[k % len(UNIT_KINDS)]} {TOWNS[k % len(TOWNS)]}" + (f" {k // len(TOWNS) + 1}"
                                                                              if k >= len(TOWNS) else "")
        leaves.append(unit_admin.add_unit(admin, name, parent=regions[k % len(regions)]).id)
    for unit_id in regions + leaves:
        from beritatui.core.models import Unit

        unit = Unit.get_by_id(unit_id)
        users.add_user(admin, f"ed-{unit.slug}"[:64], display_name=f"Editor {unit.name}", role="editor",
                       member_of=unit_id)
    return regions, leaves


def articles(n: int, seed: int = 7, regions: list[int] | None = None, leaves: list[int] | None = None):
    """Deterministic corpus of ``n`` bulk articles (in ``leaves``, a tenth in ``regions``, when given)."""
    rng = Dice(seed)
    pool = build_pool(rng)
    start = datetime(2016, 11, 1, tzinfo=UTC)
    span = (datetime(2026, 11, 1, tzinfo=UTC) - start).total_seconds()
    statuses = ["published"] * 70 + ["draft"] * 10 + ["review"] * 5 + ["scheduled"] * 2 + ["archived"] * 8 + \
        ["trash"] * 5
    for i in range(n):
        created = start + timedelta(seconds=int(span * i / max(n, 1)) + rng.randint(0, 3600))
        topic = rng.choice(TOPICS[:48])
        title = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} ({topic} {i + 1})"
        lead = (f"{created:%d/%m/%Y}", paragraph(rng, 3), i + 1, topic)
        blocks = rng.sample(pool, 6)
        body = "\n\n".join([lead_markdown(*lead)] + [md for md, _html, _text in blocks])
        first_html = lead_html(*lead)
        body_html = "\n".join([first_html] + [block_html for _md, block_html, _text in blocks])
        body_text = "\n".join([html_to_text(first_html)] + [text for _md, _html, text in blocks])
        status = rng.choice(statuses)
        tags = [topic] + rng.sample(TOPICS, rng.randint(0, 3))
        writers = rng.sample(range(20), rng.choice((1, 1, 1, 2)))
        yield bulk.BulkArticle(
            uuid=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            title=title, body=body, body_html=body_html, body_text=body_text,
            summary=sentence(rng), status=status, created_at=created,
            published_at=created + timedelta(hours=2) if status in ("published", "archived") else None,
            modified_at=created + timedelta(hours=3),
            scheduled_at=datetime(2030, 1, 1, tzinfo=UTC) + timedelta(hours=i) if status == "scheduled" else None,
            tags=tags, bylines=[(NAMES[w], UNITS[w % 5]) for w in writers],
            reactions={name: rng.choice((0, 0, 0, 1, 2, 5, 13)) for name in ("like", "love", "wow", "sad")},
            image_url=f"https://example.go.id/img/{i}.jpg" if i % 3 == 0 else "",
            image_alt="Dokumentasi kegiatan" if i % 3 == 0 else "",
            unit_id=(rng.choice(regions) if regions and i % 10 == 0 else rng.choice(leaves)) if leaves else None,
        )


def seed(n: int, db_path: Path, login: str = "korpus", unit_count: int = 50) -> float:
    """Build the corpus into a new database; returns seconds taken."""
    if db_path.exists():
        sys.exit(f"{db_path} exists; give a new path")
    open_database(str(db_path))
    admin = users.make_admin(login, "Korpus", "Humas")
    site.set_setting(admin, "base_url", "https://example.go.id")
    site.set_setting(admin, "timezone", "Asia/Makassar")
    regions, leaves = make_units(admin, unit_count)
    started = time.perf_counter()
    corpus = articles(n, regions=regions, leaves=leaves)
    first = next(corpus, None)
    if first is not None:
        check_lead(first)
        corpus = itertools.chain([first], corpus)
    db = current_database()
    # A new file that nobody else has open: keep the rollback journal in memory and skip fsyncs while
    # seeding (a crash leaves a half-built corpus, which is thrown away anyway); WAL comes back at the end.
    db.execute_sql("PRAGMA journal_mode = MEMORY")
    db.execute_sql("PRAGMA synchronous = OFF")
    done = bulk.insert_articles(admin, corpus, batch_size=5000,
                                progress=lambda k: print(f"  {k}/{n}", file=sys.stderr, end="\r"))
    db.execute_sql("PRAGMA journal_mode = WAL")
    seconds = time.perf_counter() - started
    close_database()
    print(file=sys.stderr)
    assert done == n
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int)
    parser.add_argument("db", type=Path)
    parser.add_argument("--units", type=int, default=50, help="units in the organisation (1: none below the root)")
    args = parser.parse_args()
    os.environ.setdefault("BERITATUI_CONFIG", str(args.db.with_suffix(".toml")))
    seconds = seed(args.n, args.db, unit_count=args.units)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size = args.db.stat().st_size / 1024 / 1024
    print(f"corpus: {args.n} articles in {args.units} units in {seconds:.1f} s ({args.n / seconds:.0f}/s), "
          f"database {size:.0f} MiB, peak RSS {peak:.0f} MiB")


if __name__ == "__main__":
    main()
