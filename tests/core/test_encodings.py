"""Legacy TCVN3 and VNI text: its conversion to Unicode and its detection (encodings.py)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from antq_cli import encodings
from antq_cli.encodings import detect_legacy, to_unicode

# News reports on the movement (the texts the indicators come from): real Vietnamese prose.
SEEDS = sorted((Path(__file__).resolve().parents[1] / "data" / "seeds").glob("*.txt"))

TCVN3_SAMPLES = [
    ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
    ("§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"),
    ("CéNG HOµ X· HéI CHñ NGHÜA VIÖT NAM", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("X· T©n §øc", "Xã Tân Đức"),
    ("Tæng sè hé", "Tổng số hộ"),
    ("Sè vô trém c¾p", "Số vụ trộm cắp"),
    ("Sè buæi häp d©n", "Số buổi họp dân"),
    ("Tæ hßa gi¶i", "Tổ hòa giải"),
    ("Ng­êi lËp biÓu", "Người lập biểu"),
    ("Tr­ëng C«ng an x·", "Trưởng Công an xã"),
    ("§¹t", "Đạt"),
    ("ph­¬ng", "phương"),
    ("c¬ quan", "cơ quan"),
    ("Quý I/2024", "Quý I/2024"),
]

VNI_SAMPLES = [
    ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
    ("Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc"),
    ("COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("Xaõ Taân Ñöùc", "Xã Tân Đức"),
    ("Toång soá hoä", "Tổng số hộ"),
    ("Tröôûng Coâng an xaõ", "Trưởng Công an xã"),
    ("Ngöôøi laäp bieåu", "Người lập biểu"),
    ("Ñaø Naüng, saün coù", "Đà Nẵng, sẵn có"),
    ("baèng phaúng, ñaëc bieät", "bằng phẳng, đặc biệt"),
    ("Quyù I naêm 2024", "Quý I năm 2024"),
    ("ÑAÏT", "ĐẠT"),
    ("Thò traán", "Thị trấn"),
    ("Khoâng ñaït", "Không đạt"),
]


@pytest.mark.parametrize(("legacy", "unicode"), TCVN3_SAMPLES)
def test_tcvn3_to_unicode(legacy, unicode):
    assert to_unicode(legacy, "tcvn3") == unicode


@pytest.mark.parametrize(("legacy", "unicode"), VNI_SAMPLES)
def test_vni_to_unicode(legacy, unicode):
    assert to_unicode(legacy, "vni") == unicode


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_ascii_and_output_form(encoding):
    assert to_unicode("STT 1 Total (A) - 2024", encoding) == "STT 1 Total (A) - 2024"
    converted = to_unicode(TCVN3_SAMPLES[0][0] if encoding == "tcvn3" else VNI_SAMPLES[0][0],
                           encoding)
    assert converted == unicodedata.normalize("NFC", converted)


def test_unknown_encoding():
    with pytest.raises(ValueError):
        to_unicode("abc", "viscii")


def test_tcvn3_table_is_complete():
    # 12 vowels with five tones each, 7 capitals and 7 small base letters.
    assert len(encodings._TCVN3) == 12 * 5 + 14
    assert len(set(encodings._TCVN3.values())) == len(encodings._TCVN3)


def test_vni_covers_every_vietnamese_letter():
    letters = {
        unicodedata.normalize("NFC", base + tone)
        for base in "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
        for tone in ("", *encodings.TONE_MARKS)
    } | {"đ", "Đ"}
    produced = set(encodings._VNI.values()) | set("aeiouyAEIOUYìíÌÍ")
    assert letters <= produced


def _encoder(table: dict[str, str]):
    """Unicode -> legacy text, the inverse of a conversion table (for building test input)."""
    inverse: dict[str, str] = {}
    for legacy, letter in table.items():
        # Prefer the sequence a keyboard produces: the mark in the case of its base letter.
        if len(legacy) == 1 or legacy[0].isupper() == legacy[1].isupper():
            inverse.setdefault(letter, legacy)

    def encode(text: str) -> str:
        out = []
        for ch in unicodedata.normalize("NFC", text):
            # TCVN3 has no toned capitals: a typist gets the small letter.
            out.append(inverse.get(ch) or (inverse.get(ch.lower(), ch) if not ch.isascii() else ch))
        return "".join(out)

    return encode


to_tcvn3 = _encoder({chr(code): letter for code, letter in encodings._TCVN3.items()})
to_vni = _encoder(encodings._VNI)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda path: path.name)
def test_detection_on_real_vietnamese(seed):
    text = seed.read_text(encoding="utf-8")
    assert detect_legacy(text) is None
    assert detect_legacy(unicodedata.normalize("NFD", text)) is None
    assert detect_legacy(to_tcvn3(text)) == "tcvn3"
    assert detect_legacy(to_vni(text)) == "vni"
    assert to_unicode(to_vni(text), "vni") == unicodedata.normalize("NFC", text)
    expected = unicodedata.normalize("NFC", to_unicode(to_tcvn3(text), "tcvn3"))
    assert expected.lower() == unicodedata.normalize("NFC", text).lower()


@pytest.mark.parametrize("seed", SEEDS, ids=lambda path: path.name)
def test_detection_sentence_by_sentence(seed):
    sentences = [s for s in seed.read_text(encoding="utf-8").split(". ") if len(s) > 60]
    for sentence in sentences:
        assert detect_legacy(sentence) is None
        assert detect_legacy(to_tcvn3(sentence)) == "tcvn3", sentence
        assert detect_legacy(to_vni(sentence)) == "vni", sentence


@pytest.mark.parametrize(("legacy", "unicode"), TCVN3_SAMPLES[:3])
def test_detect_tcvn3_title_lines(legacy, unicode):
    assert detect_legacy(legacy) == "tcvn3"
    assert detect_legacy(unicode) is None


@pytest.mark.parametrize(("legacy", "unicode"), VNI_SAMPLES[:3])
def test_detect_vni_title_lines(legacy, unicode):
    assert detect_legacy(legacy) == "vni"
    assert detect_legacy(unicode) is None


@pytest.mark.parametrize(
    "text",
    [
        "",
        "STT Tên thôn Số hộ",
        "The quick brown fox jumps over the lazy dog. Total: 1,234 (© 2024 Acme®) 5µm · item",
        "Müller und Söhne GmbH, Straße 12, Köln. Größe: 5 µm. Ærø, Øresund, ÆØÅ æøå, señor niño",
        "Le cœur a ses raisons que la raison ne connaît point. Où est la bibliothèque? À bientôt!",
        "Façade naïve déjà vu, crème brûlée à la carte, über Zürich",
        "Cá»™ng hÃ²a xÃ£ há»™i chá»§ nghÄ©a Viá»‡t Nam",  # UTF-8 read as cp1252: not legacy
        "Tổng số hộ tham dự họp",
        "Xã Tân Đức, huyện Hàm Tân",
        "Tæng sè",  # too short to tell TCVN3 from VNI: not guessed
    ],
)
def test_detection_does_not_fire(text):
    assert detect_legacy(text) is None


VIETNAMESE_LETTERS = "".join(
    sorted(
        {
            unicodedata.normalize("NFC", base + tone)
            for base in "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
            for tone in ("", *encodings.TONE_MARKS)
        }
        | set("đĐbcdghklmnpqrstvxBCDGHKLMNPQRSTVX ,.-()0123456789")
    )
)


@given(st.text(alphabet=VIETNAMESE_LETTERS, max_size=80))
def test_unicode_vietnamese_is_never_legacy(text):
    assert detect_legacy(text) is None
    assert detect_legacy(unicodedata.normalize("NFD", text)) is None
