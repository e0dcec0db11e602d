"""The sample newsroom's content: its site, its people and its articles with their timelines (data only).

:mod:`beritatui.core.demo` builds a newsroom from it through the core's own services.  Everything
here is fixed text and fixed offsets from ``now`` (no randomness), so tests and screenshots that
freeze the clock see the same data.  Each step of a timeline is ``(hours after creation, action,
login, argument…)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SITE = {
    "title": "Berita Pemasyarakatan Sulawesi Selatan",
    "description": "Kabar kegiatan unit pelaksana teknis pemasyarakatan di Sulawesi Selatan (data contoh).",
    "base_url": "https://sulsel.contoh.go.id",
    "timezone": "Asia/Makassar",
    "language": "id",
}

# The organisation: the regional office is the root unit (its editors are the regional team that
# reviews what the units publish), with three units under it.
ROOT_UNIT = "Kanwil Sulawesi Selatan"
UNITS = ["Lapas Watampone", "Rutan Makassar", "Bapas Bone"]
# Each unit's own site settings; everything else (time zone, language, …) is inherited from the region.
UNIT_SITES = {
    # Lapas Watampone's news is approved by its own editor, then by the regional office (two steps).
    "Lapas Watampone": {"title": "Berita Lapas Watampone", "base_url": "https://lapaswatampone.contoh.go.id",
                        "review_steps": "unit,parent"},
    "Rutan Makassar": {"title": "Berita Rutan Makassar", "base_url": "https://rutanmakassar.contoh.go.id"},
    "Bapas Bone": {"title": "Berita Bapas Bone", "base_url": "https://bapasbone.contoh.go.id"},
}

# login -> (display name, unit, role in that unit)
PEOPLE = {
    "nurul.hidayah": ("Nurul Hidayah", ROOT_UNIT, "editor"),
    "hasan.basri": ("Hasan Basri", "Lapas Watampone", "editor"),
    "andi.pratama": ("Andi Pratama", "Lapas Watampone", "writer"),
    "sitti.aminah": ("Sitti Aminah", "Rutan Makassar", "editor"),
    "dewi.anggraini": ("Dewi Anggraini", "Rutan Makassar", "writer"),
    "rahmat.syahputra": ("Rahmat Syahputra", "Bapas Bone", "writer"),
}
EDITOR, WRITER, WRITER2, ADMIN = "nurul.hidayah", "andi.pratama", "dewi.anggraini", "admin"
LAPAS_EDITOR, RUTAN_EDITOR, BAPAS_WRITER = "hasan.basri", "sitti.aminah", "rahmat.syahputra"


@dataclass
class DemoArticle:
    """One sample article: who writes it, when (days before ``now``), and what happens to it afterwards."""

    key: str
    author: str
    days_ago: float
    title: str
    summary: str
    body: str
    tags: list[str]
    bylines: list[tuple[str, str]]
    steps: list[tuple[Any, ...]] = field(default_factory=list)
    reactions: dict[str, int] = field(default_factory=dict)


ARTICLES: list[DemoArticle] = [
    DemoArticle(
        key="kunjungan-daring", author=WRITER, days_ago=20,
        title="Lapas Watampone Buka Layanan Kunjungan Daring untuk Keluarga Warga Binaan",
        summary="Keluarga yang tinggal jauh kini dapat bertatap muka dengan warga binaan melalui panggilan video "
                "terjadwal.",
        body=(
            "Lapas Watampone mulai membuka layanan kunjungan daring bagi keluarga warga binaan yang berdomisili "
            "jauh dari Kabupaten Bone. Layanan ini melengkapi kunjungan tatap muka yang tetap berjalan seperti "
            "biasa.\n\n"
            "Kepala Lapas menyampaikan bahwa banyak keluarga harus menempuh perjalanan lebih dari enam jam untuk "
            "berkunjung. Dengan panggilan video, silaturahmi tetap terjaga tanpa biaya perjalanan.\n\n"
            "Cara mendaftar kunjungan daring:\n\n"
            "- isi formulir pendaftaran di loket layanan atau melalui nomor WhatsApp resmi;\n"
            "- pilih jadwal yang tersedia, paling lambat sehari sebelumnya;\n"
            "- siapkan kartu identitas keluarga saat panggilan dimulai.\n\n"
            "Setiap sesi berlangsung lima belas menit dan diawasi petugas layanan kunjungan."
        ),
        tags=["Pelayanan Publik", "Inovasi", "Humas"],
        bylines=[("Andi Pratama", "Lapas Watampone")],
        steps=[
            (3, "save", WRITER, {"summary": "Keluarga yang tinggal jauh kini dapat bertatap muka dengan warga "
                                            "binaan melalui panggilan video terjadwal setiap hari kerja."}),
            (5, "submit", WRITER),
            (7, "approve", LAPAS_EDITOR, "Isi sudah sesuai; silakan wilayah menerbitkan."),
            (8, "note", EDITOR, "Mohon sebutkan jam layanan di paragraf pertama."),
            (9, "publish", EDITOR),
            (30, "save", EDITOR, {"body_append": "\n\nLayanan dibuka Senin sampai Jumat pukul 09.00–15.00 WITA."}),
            (31, "resolve", EDITOR),
            (32, "publish-correction", ADMIN, "Jam layanan ditambahkan."),  # the unit reviews corrections
        ],
        reactions={"like": 48, "love": 17, "wow": 3},
    ),
    DemoArticle(
        key="cek-kesehatan", author=WRITER2, days_ago=16,
        title="Rutan Makassar Gelar Pemeriksaan Kesehatan Gratis bagi Tahanan",
        summary="Sebanyak 212 tahanan menjalani pemeriksaan tekanan darah, gula darah dan paru-paru.",
        body=(
            "Klinik Rutan Makassar bekerja sama dengan puskesmas setempat menggelar pemeriksaan kesehatan "
            "gratis selama dua hari. Kegiatan ini menjadi bagian dari program deteksi dini penyakit menular.\n\n"
            "Pemeriksaan yang dilakukan meliputi:\n\n"
            "- tekanan darah dan gula darah;\n"
            "- skrining tuberkulosis dengan foto toraks;\n"
            "- konsultasi gizi bagi tahanan lanjut usia.\n\n"
            "Tahanan yang memerlukan perawatan lanjutan dirujuk ke rumah sakit mitra dengan pengawalan petugas."
        ),
        tags=["Kesehatan", "Humas"],
        bylines=[("Dewi Anggraini", "Rutan Makassar"), ("dr. Yusran Halim", "Rutan Makassar")],
        steps=[(2, "submit", WRITER2), (6, "publish", EDITOR)],
        reactions={"like": 35, "love": 9, "sad": 1},
    ),
    DemoArticle(
        key="evaluasi-kinerja", author=EDITOR, days_ago=12,
        title="Kanwil Sulawesi Selatan Evaluasi Kinerja Satuan Kerja Triwulan III",
        summary="Rapat evaluasi membahas capaian anggaran, layanan publik dan pembinaan di seluruh satuan kerja.",
        body=(
            "Kantor Wilayah Sulawesi Selatan menggelar rapat evaluasi kinerja triwulan III yang diikuti kepala "
            "satuan kerja pemasyarakatan se-Sulawesi Selatan.\n\n"
            "Tiga hal menjadi sorotan dalam rapat:\n\n"
            "- realisasi anggaran yang perlu dipercepat menjelang akhir tahun;\n"
            "- konsistensi standar pelayanan di setiap pintu layanan;\n"
            "- pelaporan kegiatan pembinaan secara tepat waktu.\n\n"
            "Kepala Kantor Wilayah meminta setiap satuan kerja menyusun rencana aksi dan melaporkan "
            "perkembangannya setiap bulan."
        ),
        tags=["Humas", "Pelayanan Publik"],
        bylines=[("Nurul Hidayah", "Kanwil Sulawesi Selatan")],
        steps=[(1, "submit", EDITOR), (2, "publish", ADMIN)],  # four eyes: not the writer
        reactions={"like": 21, "wow": 2},
    ),
    DemoArticle(
        key="usaha-klien", author=BAPAS_WRITER, days_ago=9,
        title="Bapas Bone Dampingi Klien Pemasyarakatan Membuka Usaha Kecil",
        summary="Lima klien pemasyarakatan menerima pendampingan usaha dan bantuan peralatan kerja.",
        body=(
            "Balai Pemasyarakatan Bone mendampingi lima klien pemasyarakatan yang memulai usaha kecil setelah "
            "menjalani pembebasan bersyarat.\n\n"
            "Pendampingan dilakukan bertahap:\n\n"
            "- pelatihan pencatatan keuangan sederhana;\n"
            "- bantuan peralatan, antara lain gerobak dan mesin jahit;\n"
            "- kunjungan rutin pembimbing kemasyarakatan setiap dua pekan.\n\n"
            "Usaha yang dirintis beragam, mulai dari warung kopi hingga jasa servis sepeda motor. Bapas Bone "
            "berharap para klien dapat mandiri dan diterima kembali oleh lingkungannya."
        ),
        tags=["Pembinaan", "Inovasi"],
        bylines=[("Rahmat Syahputra", "Bapas Bone")],
        steps=[(4, "submit", BAPAS_WRITER), (20, "publish", EDITOR),
               (26, "save", BAPAS_WRITER, {"body_append": "\n\nUsul ralat: jumlah peserta menjadi "
                                                "empat puluh orang."})],
        reactions={"like": 62, "love": 25, "funny": 1},
    ),
    DemoArticle(
        key="pelatihan-barista", author=WRITER, days_ago=4,
        title="Warga Binaan Lapas Watampone Ikuti Pelatihan Barista",
        summary="Dua puluh warga binaan belajar menyeduh kopi lokal Bone bersama instruktur bersertifikat.",
        body=(
            "Sebanyak dua puluh warga binaan Lapas Watampone mengikuti pelatihan barista selama lima hari. "
            "Pelatihan ini memanfaatkan kopi dari petani di lereng pegunungan Bone.\n\n"
            "Materi pelatihan mencakup:\n\n"
            "- mengenal jenis biji kopi dan cara penyangraiannya;\n"
            "- teknik seduh manual dan penggunaan mesin espresso;\n"
            "- pelayanan pelanggan dan kebersihan dapur.\n\n"
            "Peserta yang lulus akan bertugas di kedai kopi milik lapas yang melayani pengunjung."
        ),
        tags=["Pembinaan"],
        bylines=[("Andi Pratama", "Lapas Watampone")],
        steps=[(2, "submit", WRITER), (20, "approve", LAPAS_EDITOR), (26, "schedule", EDITOR, 2)],
    ),
    DemoArticle(
        key="antrean-kunjungan", author=WRITER2, days_ago=3,
        title="Rutan Makassar Terapkan Nomor Antrean Kunjungan Secara Daring",
        summary="Pengunjung dapat mengambil nomor antrean dari rumah sehingga tidak perlu menunggu lama di "
                "depan rutan.",
        body=(
            "Mulai bulan depan, Rutan Makassar menerapkan pengambilan nomor antrean kunjungan secara daring. "
            "Langkah ini diambil untuk mengurangi penumpukan pengunjung di pagi hari.\n\n"
            "Yang perlu diketahui pengunjung:\n\n"
            "- nomor antrean dapat diambil sejak pukul 06.00 WITA pada hari kunjungan;\n"
            "- satu nomor berlaku untuk paling banyak tiga orang pengunjung;\n"
            "- pengunjung tanpa nomor tetap dilayani setelah antrean daring selesai.\n\n"
            "Petugas layanan siap membantu pengunjung yang belum terbiasa menggunakan telepon pintar."
        ),
        tags=["Pelayanan Publik", "Inovasi"],
        bylines=[("Dewi Anggraini", "Rutan Makassar")],
        steps=[(3, "submit", WRITER2), (5, "save", EDITOR, {"title": "Rutan Makassar Terapkan Nomor Antrean "
                                                                       "Kunjungan Daring"}),
               (6, "schedule", EDITOR, 5, 12)]  # embargoed until day 5, off the site on day 12,
    ),
    DemoArticle(
        key="penyuluhan-narkoba", author=WRITER2, days_ago=2,
        title="Penyuluhan Bahaya Narkoba bagi Tahanan Baru di Rutan Makassar",
        summary="Tahanan baru mendapat penyuluhan tentang dampak narkoba dan layanan rehabilitasi.",
        body=(
            "Rutan Makassar menggelar penyuluhan bahaya narkoba bagi tahanan yang baru masuk bulan ini. "
            "Penyuluhan disampaikan oleh konselor adiksi bersama petugas klinik.\n\n"
            "Pokok bahasan penyuluhan:\n\n"
            "- dampak narkoba terhadap kesehatan fisik dan mental;\n"
            "- hak tahanan atas layanan rehabilitasi;\n"
            "- cara melaporkan peredaran gelap di dalam rutan.\n\n"
            "Tahanan juga diajak berbagi pengalaman dalam kelompok kecil yang dipandu konselor."
        ),
        tags=["Kesehatan", "Pembinaan", "#internal-review"],
        bylines=[("Dewi Anggraini", "Rutan Makassar")],
        steps=[
            (1, "save", WRITER2, {"body_append": "\n\nKegiatan serupa akan digelar setiap bulan."}),
            (2, "submit", WRITER2),
            (5, "note", EDITOR, "Nama konselor perlu dikonfirmasi sebelum terbit."),
            (6, "note", WRITER2, "Sudah saya tanyakan ke bagian klinik, menunggu jawaban."),
        ],
    ),
    DemoArticle(
        key="keterbukaan-informasi", author=EDITOR, days_ago=1.5,
        title="Kanwil Sulsel Perkuat Layanan Keterbukaan Informasi Publik",
        summary="Petugas PPID di satuan kerja mendapat pembekalan tentang tata cara menjawab permohonan "
                "informasi.",
        body=(
            "Kantor Wilayah Sulawesi Selatan memberikan pembekalan kepada petugas Pejabat Pengelola Informasi "
            "dan Dokumentasi (PPID) dari seluruh satuan kerja.\n\n"
            "Pembekalan menekankan tiga prinsip:\n\n"
            "- setiap permohonan informasi dijawab paling lambat sepuluh hari kerja;\n"
            "- informasi yang dikecualikan harus disertai alasan tertulis;\n"
            "- daftar informasi publik diperbarui setiap triwulan.\n\n"
            "Peserta juga berlatih menyusun jawaban atas contoh permohonan yang sering masuk."
        ),
        tags=["Humas", "#internal-review"],
        bylines=[("Nurul Hidayah", "Kanwil Sulawesi Selatan")],
        steps=[(2, "submit", EDITOR), (4, "note", ADMIN, "Tambahkan tautan ke daftar informasi publik.")],
    ),
    DemoArticle(
        key="lomba-kebersihan", author=WRITER, days_ago=6,
        title="Lomba Kebersihan Blok Hunian Sambut Hari Bakti Pemasyarakatan",
        summary="Setiap blok hunian Lapas Watampone berlomba menjadi yang paling bersih dan hijau.",
        body=(
            "Menyambut Hari Bakti Pemasyarakatan, Lapas Watampone menggelar lomba kebersihan antarblok hunian. "
            "Penilaian dilakukan tanpa pemberitahuan selama dua pekan.\n\n"
            "Kriteria penilaian:\n\n"
            "- kebersihan kamar dan kamar mandi;\n"
            "- kerapian barang milik warga binaan;\n"
            "- tanaman dan penghijauan di sekitar blok.\n\n"
            "Blok pemenang akan mendapat hadiah peralatan olahraga."
        ),
        tags=["Pembinaan"],
        bylines=[("Andi Pratama", "Lapas Watampone")],
        steps=[
            (2, "submit", WRITER),
            (20, "request-changes", EDITOR, "Tambahkan foto dan nama juri penilai, lalu ajukan lagi."),
            (30, "save", WRITER, {"body_append": "\n\nJuri penilai terdiri atas petugas pembinaan dan perwakilan "
                                                 "puskesmas."}),
        ],
    ),
    DemoArticle(
        key="rapat-humas", author=ADMIN, days_ago=0.5,
        title="Catatan Rapat Koordinasi Humas Se-Sulawesi Selatan",
        summary="Draf ringkasan rapat koordinasi kehumasan untuk dibagikan ke satuan kerja.",
        body=(
            "Rapat koordinasi humas membahas rencana publikasi kegiatan akhir tahun.\n\n"
            "Kesepakatan sementara:\n\n"
            "- setiap satuan kerja mengirim minimal dua berita per pekan;\n"
            "- foto kegiatan wajib disertai keterangan dan nama fotografer;\n"
            "- berita disetujui editor wilayah sebelum terbit."
        ),
        tags=["Humas"],
        bylines=[],
    ),
    DemoArticle(
        key="jadwal-lebaran", author=EDITOR, days_ago=30,
        title="Jadwal Layanan Kunjungan Selama Libur Lebaran",
        summary="Layanan kunjungan tetap dibuka pada hari kedua hingga kelima Lebaran dengan jam terbatas.",
        body=(
            "Satuan kerja pemasyarakatan di Sulawesi Selatan tetap membuka layanan kunjungan selama libur "
            "Lebaran dengan pengaturan khusus.\n\n"
            "Pengaturan selama libur:\n\n"
            "- kunjungan dibuka hari kedua sampai kelima Lebaran;\n"
            "- jam kunjungan pukul 09.00–14.00 waktu setempat;\n"
            "- makanan kiriman diperiksa di pos pemeriksaan.\n\n"
            "Jadwal ini berlaku untuk seluruh lapas, rutan dan LPKA di wilayah Sulawesi Selatan."
        ),
        tags=["Pelayanan Publik"],
        bylines=[("Nurul Hidayah", "Kanwil Sulawesi Selatan")],
        steps=[(1, "submit", EDITOR), (2, "publish", ADMIN), (20 * 24, "unpublish", EDITOR)],
        reactions={"like": 90, "love": 4, "angry": 2},
    ),
    DemoArticle(
        key="pramuka-saka", author=WRITER, days_ago=1,
        title="Petugas Lapas Watampone Latih Pramuka Saka Pengayoman",
        summary="Dua puluh pelajar SMA di Watampone belajar tali-temali dan baris-berbaris bersama petugas lapas.",
        body=(
            "Petugas Lapas Watampone menjadi pelatih bagi anggota Pramuka Saka Pengayoman dari tiga sekolah "
            "menengah atas di Kabupaten Bone. Latihan digelar setiap Sabtu sore di halaman kantor.\n\n"
            "Materi yang diberikan:\n\n"
            "- tali-temali dan pertolongan pertama;\n"
            "- baris-berbaris;\n"
            "- pengenalan tugas pemasyarakatan.\n\n"
            "Kegiatan ini diharapkan menumbuhkan disiplin dan kepedulian para pelajar."
        ),
        tags=["Pramuka", "Humas"],
        bylines=[("Andi Pratama", "Lapas Watampone")],
        # in review at the chain's second step: the unit's editor approved, the regional office decides
        steps=[(1, "submit", WRITER), (3, "approve", LAPAS_EDITOR, "Foto menyusul dari panitia.")],
    ),
    DemoArticle(
        key="senam-duplikat", author=WRITER2, days_ago=5,
        title="Senam Pagi Bersama Warga Binaan (duplikat)",
        summary="Salinan yang tidak sengaja dibuat dua kali.",
        body=(
            "Senam pagi bersama digelar setiap Jumat di lapangan utama.\n\n"
            "- dipandu instruktur dari dinas kesehatan;\n"
            "- diikuti petugas dan warga binaan."
        ),
        tags=["Kesehatan"],
        bylines=[("Dewi Anggraini", "Rutan Makassar")],
        steps=[(1, "trash", WRITER2)],
    ),
]
