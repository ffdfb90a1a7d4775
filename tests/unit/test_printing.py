"""The printable invite sheet, through its public functions.

QR codes are checked with a real decoder (zxing-cpp), not against segno's own output.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pypdf
import pytest
import zxingcpp
from PIL import Image, ImageDraw
from pypdf.generic import DictionaryObject

import oudersbot.printing
from oudersbot.printing import (
    InviteCard,
    SheetLabels,
    render_invite_html,
    render_invite_pdf,
    typeface,
    write_invite_sheet,
)

NL = "Scan deze code met de camera van je telefoon om berichten van school te krijgen."
LABELS = SheetLabels(title="Uitnodiging oudersbot — klas 3A", school_name="Basisschool De Linde")


def make_card(
    n: int,
    guardian: str,
    children: tuple[str, ...],
    lang: str,
    instruction: str,
    *,
    rtl: bool = False,
) -> InviteCard:
    return InviteCard(
        link=f"https://t.me/oudersbot_bot?start=Tk{n:02d}x-Q2b_7RfLm9ZcWv4HsYd1JpNgE8aKu",
        guardian_name=guardian,
        children=children,
        class_name="3A",
        language_tag=lang,
        rtl=rtl,
        instruction=instruction,
        instruction_nl=NL,
        expires_label="Geldig tot 23 december 2026",
    )


ARABIC = make_card(
    1,
    "فاطمة العمراني",
    ("Amira", "Youssef"),
    "ar",
    "امسح هذا الرمز بكاميرا هاتفك لتصلك رسائل المدرسة.",
    rtl=True,
)
UKRAINIAN = make_card(
    2,
    "Олена Коваленко",
    ("Софія",),
    "uk",
    "Скануйте цей код камерою телефону, щоб отримувати повідомлення від школи.",
)
TURKISH = make_card(
    3,
    "Ayşe Yılmaz",
    ("Elif",),
    "tr",
    "Okuldan mesaj almak için bu kodu telefonunuzun kamerasıyla tarayın.",
)
POLISH = make_card(
    4,
    "Małgorzata Wiśniewska",
    ("Zofia", "Jakub"),
    "pl",
    "Zeskanuj ten kod aparatem telefonu, aby otrzymywać wiadomości ze szkoły.",
)
DUTCH = make_card(5, "Jan Peeters", ("Lotte",), "nl-BE", NL)
MIXED = (ARABIC, UKRAINIAN, TURKISH, POLISH, DUTCH)


# --- helpers -------------------------------------------------------------------------------------


def decode_all(image: Image.Image) -> set[str]:
    return {result.text for result in zxingcpp.read_barcodes(image.convert("L"))}


def rasterize_segno_svg(svg: str, px: int = 8) -> Image.Image:
    """Draw the single path of a segno SVG (M/m moves and h runs of unit-height lines)."""
    view = re.search(r'viewBox="0 0 (\d+) (\d+)"', svg)
    path = re.search(r'<path[^>]* d="([^"]+)"', svg)
    assert view and path, svg[:200]
    width, height = int(view.group(1)), int(view.group(2))
    image = Image.new("L", (width * px, height * px), 255)
    draw = ImageDraw.Draw(image)
    x = y = 0.0
    for op, args in re.findall(r"([MmHhVvZz])([^MmHhVvZz]*)", path.group(1)):
        nums = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", args)]
        if op == "M":
            x, y = nums
        elif op == "m":
            x, y = x + nums[0], y + nums[1]
        elif op == "h":
            (run,) = nums
            top = (y - 0.5) * px
            left, right = sorted((x * px, (x + run) * px))
            draw.rectangle((left, top, right - 1, top + px - 1), fill=0)
            x += run
        else:
            raise AssertionError(f"unexpected SVG path command {op!r}")
    return image


def svgs_in(html: str) -> list[str]:
    return re.findall(r"<svg\b.*?</svg>", html, flags=re.DOTALL)


def pdf_text(path_or_bytes: Path | bytes) -> str:
    source = path_or_bytes if isinstance(path_or_bytes, Path) else io.BytesIO(path_or_bytes)
    reader = pypdf.PdfReader(source)
    return "\n".join(page.extract_text() for page in reader.pages)


def font_names(reader: pypdf.PdfReader) -> set[str]:
    names: set[str] = set()
    for page in reader.pages:
        resources = page["/Resources"].get_object()
        assert isinstance(resources, DictionaryObject)
        fonts = resources["/Font"].get_object()
        assert isinstance(fonts, DictionaryObject)
        for ref in fonts.values():
            font = ref.get_object()
            assert isinstance(font, DictionaryObject)
            names.add(str(font["/BaseFont"]))
    return names


def squash(text: str) -> str:
    return " ".join(text.split())


# --- HTML ----------------------------------------------------------------------------------------


def test_html_shows_every_card_with_escaped_values() -> None:
    evil = make_card(
        9, "<script>alert('x')</script> & Co", ("<b>Noor</b>",), "fr", "Scannez <ce> code."
    )
    html = render_invite_html([*MIXED, evil], LABELS)

    for card in MIXED:
        assert card.guardian_name in html
        for child in card.children:
            assert child in html
        assert card.instruction in html
    assert NL in html
    assert "Geldig tot 23 december 2026" in html
    assert "t.me/oudersbot_bot?start=Tk01x-Q2b_7RfLm9ZcWv4HsYd1JpNgE8aKu" in html

    assert "<script" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co" in html
    assert "&lt;b&gt;Noor&lt;/b&gt;" in html
    assert "<b>" not in html
    assert "Scannez &lt;ce&gt; code." in html


def test_html_marks_only_right_to_left_instructions_rtl() -> None:
    html = render_invite_html(MIXED, LABELS)

    assert html.count('dir="rtl"') == 2  # the Arabic card and its instruction
    assert html.count('<article class="card" lang="ar" dir="rtl">') == 1
    rtl_tags = re.findall(r"<p [^>]*dir=\"rtl\"[^>]*>([^<]*)<", html)
    assert rtl_tags == [ARABIC.instruction]
    assert re.search(r'<p class="instruction rtl" lang="ar" dir="rtl">', html)
    assert re.search(r'<p class="instruction" lang="uk" dir="ltr">', html)


def test_html_prints_dutch_line_once_for_a_dutch_guardian() -> None:
    html = render_invite_html([DUTCH], LABELS)
    assert html.count(NL) == 1


def test_html_is_deterministic_and_paginated_for_a4() -> None:
    cards = [*MIXED, *MIXED]  # 10 cards -> 3 pages of 4
    first = render_invite_html(cards, LABELS)
    assert first == render_invite_html(cards, LABELS)
    assert first.count('<section class="page">') == 3
    assert first.count('<article class="card" ') == 10
    assert "@page" in first and "A4" in first


def test_html_qr_codes_decode_to_their_links() -> None:
    html = render_invite_html(MIXED, LABELS)
    svgs = svgs_in(html)
    assert len(svgs) == len(MIXED)
    decoded = [decode_all(rasterize_segno_svg(svg)) for svg in svgs]
    assert decoded == [{card.link} for card in MIXED]


# --- PDF -----------------------------------------------------------------------------------------


def test_pdf_has_pages_text_and_embedded_font(tmp_path: Path) -> None:
    sheet = write_invite_sheet(MIXED, LABELS, tmp_path / "out", "klas-3A")

    assert sheet.pdf_path == tmp_path / "out" / "klas-3A.pdf"
    assert sheet.pdf_path.read_bytes().startswith(b"%PDF")
    assert sheet.pages == 2
    reader = pypdf.PdfReader(sheet.pdf_path)
    assert len(reader.pages) == 2
    text = squash(pdf_text(sheet.pdf_path))
    assert NL in text
    assert "Jan Peeters" in text
    assert "Ayşe Yılmaz" in text
    assert "Geldig tot 23 december 2026" in text
    fonts = font_names(reader)
    # DejaVu Sans, and Noto Naskh Arabic for the Arabic card only.
    families = {name.split("+")[-1].removesuffix("Bold").removesuffix("Book") for name in fonts}
    assert families == {"DejaVuSans", "NotoNaskhArabic"}, fonts
    assert sheet.warnings == ()


def test_pdf_qr_images_decode_to_their_links() -> None:
    cards = [*MIXED, *MIXED[:2]]
    pdf = render_invite_pdf(cards, LABELS)
    reader = pypdf.PdfReader(io.BytesIO(pdf.data))

    decoded: list[set[str]] = []
    for page in reader.pages:
        for image in page.images:
            assert image.image is not None
            decoded.append(decode_all(image.image))
    assert sorted(next(iter(d)) for d in decoded if d) == sorted(c.link for c in cards)
    assert all(len(d) == 1 for d in decoded)


def test_pdf_page_count_follows_four_cards_per_page() -> None:
    for n, pages in ((1, 1), (4, 1), (5, 2), (9, 3)):
        cards = [make_card(i, f"Ouder {i}", (f"Kind {i}",), "nl", NL) for i in range(n)]
        pdf = render_invite_pdf(cards, LABELS)
        assert pdf.pages == pages
        assert len(pypdf.PdfReader(io.BytesIO(pdf.data)).pages) == pages


def test_mixed_scripts_render_without_warnings() -> None:
    pdf = render_invite_pdf(MIXED, LABELS)
    assert pdf.warnings == ()
    text = squash(pdf_text(pdf.data))
    assert "Małgorzata Wiśniewska" in text
    assert "Олена Коваленко" in text


def test_script_missing_from_font_still_prints_and_warns(tmp_path: Path) -> None:
    # No supported language needs Han characters, so no shipped font has them.
    chinese = make_card(7, "王芳", ("Mei",), "zh", "用手机摄像头扫描此二维码。")
    sheet = write_invite_sheet([TURKISH, chinese], LABELS, tmp_path, "mixed")

    assert sheet.pdf_path.read_bytes().startswith(b"%PDF")
    fields = {(w.card_index, w.field) for w in sheet.warnings}
    assert fields == {(1, "guardian_name"), (1, "instruction")}
    assert all(w.language_tag == "zh" and w.missing for w in sheet.warnings)
    assert "U+738B" in str(sheet.warnings[0])
    text = squash(pdf_text(sheet.pdf_path))
    assert text.count(NL) == 2  # the Dutch line stands in for the Chinese one
    assert "Mei" in text
    # The HTML relies on the reader's fonts, so it keeps the guardian's words.
    assert chinese.instruction in sheet.html_path.read_text(encoding="utf-8")


def test_long_texts_stay_on_one_page_per_four_cards() -> None:
    long_card = make_card(
        8,
        "Maria-Magdalena Van den Broeck-Vandenbussche",
        ("Anna-Sophie", "Jean-Baptiste", "Maximiliaan", "Wilhelmina"),
        "ro",
        "Scanați acest cod cu camera telefonului pentru a primi mesaje de la școală. " * 3,
    )
    pdf = render_invite_pdf([long_card] * 4, LABELS)
    assert pdf.pages == 1
    assert pdf.warnings == ()


def test_fonts_and_their_license_ship_inside_the_package() -> None:
    package_dir = Path(oudersbot.printing.__file__).resolve().parent
    for font in (typeface.REGULAR, typeface.BOLD):
        assert font.is_file()
        assert font.is_relative_to(package_dir / "fonts")
    license_text = (package_dir / "fonts" / "LICENSE").read_text(encoding="utf-8")
    assert "Bitstream Vera Fonts Copyright" in license_text


# --- input errors --------------------------------------------------------------------------------


def test_no_cards_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least one InviteCard"):
        write_invite_sheet([], LABELS, tmp_path, "empty")
    with pytest.raises(ValueError, match="at least one InviteCard"):
        render_invite_html([], LABELS)
    with pytest.raises(ValueError, match="at least one InviteCard"):
        render_invite_pdf([], LABELS)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("basename", ["", "../x", "a/b", "..", "a\\b"])
def test_basename_must_be_a_plain_name(tmp_path: Path, basename: str) -> None:
    with pytest.raises(ValueError, match="basename"):
        write_invite_sheet([DUTCH], LABELS, tmp_path, basename)


def test_writes_both_files_into_a_new_folder(tmp_path: Path) -> None:
    out = tmp_path / "sheets" / "3A"
    sheet = write_invite_sheet([ARABIC], LABELS, out, "klas-3A")
    assert sheet.html_path == out / "klas-3A.html"
    html = sheet.html_path.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert html == render_invite_html([ARABIC], LABELS)
    assert sheet.pages == 1


def test_an_earlier_sheet_is_never_overwritten(tmp_path: Path) -> None:
    first = write_invite_sheet([ARABIC], LABELS, tmp_path, "klas-3A")
    kept = first.pdf_path.read_bytes()
    second = write_invite_sheet([DUTCH], LABELS, tmp_path, "klas-3A")
    (tmp_path / "klas-3A-3.pdf").write_bytes(b"someone else's file")
    third = write_invite_sheet([TURKISH], LABELS, tmp_path, "klas-3A")
    assert (second.html_path.name, second.pdf_path.name) == ("klas-3A-2.html", "klas-3A-2.pdf")
    assert (third.html_path.name, third.pdf_path.name) == ("klas-3A-4.html", "klas-3A-4.pdf")
    assert first.pdf_path.read_bytes() == kept
    assert (tmp_path / "klas-3A-3.pdf").read_bytes() == b"someone else's file"
    assert not (tmp_path / "klas-3A-3.html").exists()
    assert "Jan Peeters" in pdf_text(second.pdf_path)
