"""Vietnamese text in the encodings older tools wrote: legacy TCVN3 and VNI fonts read as
Unicode, and Windows-1258 (and other 8-bit) CSV bytes. All of antq's decoding is here.

Pure functions, no I/O.
"""

from __future__ import annotations

import re
import unicodedata

from .text import TONE_MARKS

# The tables are data here rather than a dependency. PyPI `viparse` (MIT) has them, but only as
# internal modules of a document loader: importing one runs its package __init__ (40 modules
# and certifi, ~70 ms), and its VNI table leaves out ẳ/Ẳ. Both encodings have a fixed layout.

# TCVN3 (ABC, ".VnTime" fonts): one Latin-1 character per letter; per vowel the five tones in
# the order huyền, sắc, hỏi, ngã, nặng. It has no upper-case toned letters (".VnTimeH" fonts
# draw the lower-case ones in capitals).
_TCVN3_ROWS = (
    ("µ¸¶·¹", "àáảãạ"), ("»¾¼½Æ", "ằắẳẵặ"), ("ÇÊÈÉË", "ầấẩẫậ"), ("ÌÐÎÏÑ", "èéẻẽẹ"),
    ("ÒÕÓÔÖ", "ềếểễệ"), ("×ÝØÜÞ", "ìíỉĩị"), ("ßãáâä", "òóỏõọ"), ("åèæçé", "ồốổỗộ"),
    ("êíëìî", "ờớởỡợ"), ("ïóñòô", "ùúủũụ"), ("õøö÷ù", "ừứửữự"), ("úýûüþ", "ỳýỷỹỵ"),
    ("¡¢£¤¥¦§", "ĂÂÊÔƠƯĐ"), ("¨©ª«¬\xad®", "ăâêôơưđ"),
)
_TCVN3 = {ord(k): v for keys, letters in _TCVN3_ROWS for k, v in zip(keys, letters, strict=True)}

# VNI ("VNI-Times" fonts): a base letter followed by a mark character; ơ ư đ and the toned i's
# are single characters. Marks: tones ø ù û õ ï (huyền, sắc, hỏi, ngã, nặng), â = circumflex
# and à á å ã ä = circumflex + tone, ê = breve and è é ú ü ë = breve + tone; upper case alike.
_VNI_SINGLE = dict(zip("ñÑôÔöÖòÒæÆóÓ", "đĐơƠưƯịỊỉỈĩĨ", strict=True))


def _vni_table() -> dict[str, str]:
    """Every VNI two-character sequence (base + mark) and single character, to Unicode."""
    table = dict(_VNI_SINGLE)
    groups = (  # (bases, plain mark, tone marks, combining mark added to the base)
        ("aeouyôöAEOUYÔÖ", "", "øùûõï", ""),
        ("aeoAEO", "â", "àáåãä", "\u0302"),
        ("aA", "ê", "èéúüë", "\u0306"),
    )
    for bases, plain, tone_marks, mark in groups:
        for base in bases:
            letter = _VNI_SINGLE.get(base, base) + mark
            pairs = ([(plain, "")] if plain else []) + list(zip(tone_marks, TONE_MARKS, strict=True))
            for key, tone in pairs:
                for key_case in {key, key.upper()}:
                    table[base + key_case] = unicodedata.normalize("NFC", letter + tone)
    return table


_VNI = _vni_table()
_VNI_PATTERN = re.compile("|".join(sorted(map(re.escape, _VNI), key=len, reverse=True)))

# Letters of Unicode Vietnamese that lie in Latin-1, and so also appear in Unicode text.
_VIETNAMESE_LATIN1 = frozenset("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý")
_UNICODE_ONLY = re.compile("[ăĂđĐĩĨũŨơƠưƯ\u1ea0-\u1ef9\u0300-\u036f]")
_LEGACY_CHARS = frozenset(map(chr, _TCVN3)) | frozenset("".join(_VNI))
_EVIDENCE = frozenset(ch for ch in _LEGACY_CHARS if not ch.isascii()) - _VIETNAMESE_LATIN1
_WORD = re.compile(
    "[A-Za-z" + re.escape("".join(sorted(_LEGACY_CHARS - set(map(chr, range(128)))))) + "]+"
)
_NUCLEI = (
    "a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi oo ôi ơi ua uâ uê ui "
    "uô uơ uy ưa ưi ươ ưu yê iêu oai oay oao oeo uây uôi ươi ươu uya uyê uyu yêu"
).split()
_SYLLABLE = re.compile(
    "(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?"
    f"(?:{'|'.join(sorted(_NUCLEI, key=len, reverse=True))})"
    "(?:ch|nh|ng|[cmnpt])?"
)


def _is_syllable(word: str) -> bool:
    """True when a lower-case word could be one Vietnamese syllable (one tone at most)."""
    decomposed = unicodedata.normalize("NFD", word)
    tones = sum(ch in TONE_MARKS for ch in decomposed)
    bare = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in TONE_MARKS))
    return tones <= 1 and _SYLLABLE.fullmatch(bare) is not None


def _fit(text: str, encoding: str) -> tuple[int, int]:
    """(words that become Vietnamese syllables, words that do not) when read in `encoding`.

    Only words with an ASCII letter and a character Unicode Vietnamese never uses count.
    """
    good = bad = 0
    for word in _WORD.findall(text):
        if any(ch in _EVIDENCE for ch in word) and any(ch.isascii() for ch in word):
            if _is_syllable(to_unicode(word, encoding).lower()):
                good += 1
            else:
                bad += 1
    return good, bad


def unicode_vietnamese(text: str) -> bool:
    """True when `text` has a letter or mark only Unicode Vietnamese uses: `detect_legacy` of
    any text holding it is None."""
    return _UNICODE_ONLY.search(text) is not None


def detect_legacy(text: str) -> str | None:
    """The legacy encoding ("tcvn3" or "vni") a text was typed in and read as Unicode, or None.

    Decided by content: at least two words must turn into Vietnamese syllables, far more than
    turn into nonsense, and clearly more in one encoding than in the other. Unicode Vietnamese
    and English never fire; a few words are rarely enough, so pass a sheet's text joined.
    """
    if not text or text.isascii() or _UNICODE_ONLY.search(text):
        return None
    scores = {encoding: _fit(text, encoding) for encoding in ("tcvn3", "vni")}
    margin = {encoding: good - bad for encoding, (good, bad) in scores.items()}
    best = max(margin, key=margin.__getitem__)
    good, bad = scores[best]
    other = margin["vni" if best == "tcvn3" else "tcvn3"]
    if good >= 2 and good >= 3 * bad and margin[best] > other:
        return best
    return None


def to_unicode(text: str, encoding: str) -> str:
    """Convert text typed in a TCVN3 or VNI font (and read as Latin-1) to Unicode NFC.

    TCVN3 has no capital toned letters, so a text whose ASCII letters are all capitals (a
    ".VnTimeH" heading, "CéNG HOµ") comes back in capitals: "CỘNG HOÀ".
    """
    if encoding == "tcvn3":
        converted = text.translate(_TCVN3)
        letters = [ch for ch in text if ch.isascii() and ch.isalpha()]
        if len(letters) >= 2 and all(ch.isupper() for ch in letters) and converted != text:
            converted = converted.upper()
    elif encoding == "vni":
        converted = _VNI_PATTERN.sub(lambda match: _VNI[match[0]], text)
    else:
        raise ValueError(f"unknown legacy encoding {encoding!r}")
    return unicodedata.normalize("NFC", converted)


# ---------------------------------------------------------------------------------------------
# 8-bit text files (CSV)
# ---------------------------------------------------------------------------------------------

_VOWELS = frozenset("aăâeêioôơuưyAĂÂEÊIOÔƠUƯY")


def decode_text(data: bytes) -> str | None:
    """Text in UTF-8 (BOM or not), UTF-16 with BOM, Windows-1258 or, last, Windows-1252; NFC."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return unicodedata.normalize("NFC", data.decode("utf-16"))
        except UnicodeDecodeError:
            return None
    if b"\x00" in data[:4096]:
        return None
    try:
        return unicodedata.normalize("NFC", data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1258")
        if _looks_like_cp1258(text):
            return unicodedata.normalize("NFC", text)
    except UnicodeDecodeError:
        pass
    # Not Vietnamese Windows text: TCVN3 bytes read as Windows-1252 keep the form that the
    # legacy-font detector downstream expects ("Céng hoµ").
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _looks_like_cp1258(text: str) -> bool:
    """Windows-1258 puts its tone marks after vowels; other 8-bit text read as it does not."""
    marks = after_vowel = 0
    previous = ""
    for char in text:
        if char in TONE_MARKS:
            marks += 1
            after_vowel += previous in _VOWELS
        previous = char
    return marks > 0 and after_vowel >= 0.9 * marks
