"""Turning a file's bytes into text: byte-order marks, UTF-16 without one, binary data, and
the Cyrillic single-byte code pages that detectors confuse.

Order of evidence, strongest first: a byte-order mark; the byte pattern of UTF-16 (or else
of binary data, judged by the share of control bytes, so that one stray NUL does not reject a
report); strict UTF-8 with non-ASCII bytes (which 8-bit text practically never passes, so it
overrules a declaration that says otherwise); an encoding the container declares (HTML's meta
charset), if the bytes decode under it; strict UTF-8, then UTF-8 with a few damaged bytes;
charset-normalizer's detection, checked by `russian_score`.
"""
from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass

import charset_normalizer

from .error import ReadError

_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
"""C0 controls that text files do not hold (tab, newlines, vertical tab and form feed are fine)."""

_MAX_CONTROL_SHARE = 0.02
_MIN_VALID_PER_INVALID = 20
"""Valid non-ASCII characters per invalid sequence for text to count as damaged UTF-8."""

_CYRILLIC_CODE_PAGES = ("cp1251", "koi8-r", "mac-cyrillic", "cp866")
"""Single-byte code pages in which Russian text circulates; any byte string decodes under most
of them, so only the decoded text can tell them apart."""

_SAMPLE = 1 << 16
"""Bytes examined for statistics and for scoring candidate decodings."""


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    """Python's canonical codec name: "utf-8", "utf-16-le", "cp1251", "koi8-r", ..."""
    warnings: tuple[str, ...] = ()
    """What the reader should know about the decoding: a declaration the bytes contradict, NUL
    bytes replaced."""


def decode(data: bytes, source: str, declared: str | None = None) -> Decoded:
    """Decode a text document's bytes, or raise ReadError naming `source`.

    `declared` is an encoding the container states (HTML meta charset); it is used when the
    bytes decode under it without error and do not show another: bytes with non-ASCII characters
    that are valid UTF-8 are UTF-8 whatever a page declares (a single-byte code page decodes any
    bytes, so it cannot refuse the lie; text in one practically never passes as UTF-8), with a
    warning. A byte-order mark is removed from the text; a few NUL bytes (a damaged file) become
    U+FFFD, one character each, so that offsets hold.
    """
    decoded = _decode(data, source, declared)
    nuls = decoded.text.count("\x00")
    if nuls:
        warning = f"{nuls} NUL byte{'s' if nuls > 1 else ''} (damaged text?) read as U+FFFD"
        decoded = Decoded(decoded.text.replace("\x00", "\ufffd"), decoded.encoding, (*decoded.warnings, warning))
    return decoded


def _decode(data: bytes, source: str, declared: str | None) -> Decoded:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom):].decode(encoding), encoding)
            except UnicodeDecodeError as error:
                raise ReadError(source, f"invalid {encoding} after its byte-order mark ({error.reason} at byte {error.start + len(bom)})") from None
    if _control_share(data) > _MAX_CONTROL_SHARE:
        utf16 = _utf16_without_bom(data)
        if utf16:
            return utf16
        raise ReadError(source, "binary data, not a text document")
    utf8 = _strict(data, "utf-8")
    if declared and _canonical(declared) != "utf-8":
        shown = None if data.isascii() else utf8 or _damaged_utf8(data)
        if shown:
            return Decoded(shown.text, "utf-8", (f"declares the charset {declared}, but its bytes are UTF-8: "
                                                 "read as UTF-8",))
        stated = _strict(data, declared)
        if stated:
            return stated
    decoded = utf8 or _damaged_utf8(data) or _detect(data, source)
    if declared and _canonical(declared) != decoded.encoding:
        why = "an unknown charset" if _canonical(declared) is None else "a charset its bytes are not in"
        return Decoded(decoded.text, decoded.encoding, (f"declares {why} ({declared}): read as {decoded.encoding}",))
    return decoded


def _canonical(encoding: str) -> str | None:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return None


def _strict(data: bytes, encoding: str) -> Decoded | None:
    try:
        name = codecs.lookup(encoding).name
        return Decoded(data.decode(name), name)
    except (LookupError, UnicodeDecodeError):
        return None


def _damaged_utf8(data: bytes) -> Decoded | None:
    """UTF-8 with a few invalid bytes (a file cut mid-character, a flipped byte), each read as
    U+FFFD. Detection would fail on it or pick a code page and garble every other letter.
    Text in an 8-bit code page forms almost no valid multi-byte sequences, so it never passes."""
    text = data.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd")
    valid = len(text) - len(text.encode("ascii", "ignore")) - invalid
    if invalid * _MIN_VALID_PER_INVALID <= valid:
        return Decoded(text, "utf-8")
    return None


def _control_share(data: bytes) -> float:
    if not data:
        return 0.0
    return (len(data) - len(data.translate(None, _CONTROL_BYTES))) / len(data)


def _utf16_without_bom(data: bytes) -> Decoded | None:
    """UTF-16 shows in its byte pattern: one byte of each pair (the high byte) takes very few
    values (0x00 for ASCII, 0x04 for Cyrillic) while the other varies. Cyrillic text without
    spaces has no zero bytes at all, so the test looks at diversity, not at zeros alone."""
    sample = data[: _SAMPLE & ~1]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    for high, low, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if _top_share(high, 3) >= 0.9 and _top_share(low, 3) < 0.6:
            decoded = _strict(data[: len(data) & ~1], encoding)
            if decoded and _plausible_text(decoded.text[:_SAMPLE]):
                return decoded
    return None


def _top_share(data: bytes, k: int) -> float:
    counts = sorted((data.count(bytes([b])) for b in set(data)), reverse=True)
    return sum(counts[:k]) / len(data)


def _plausible_text(text: str) -> bool:
    controls = sum(1 for ch in text if unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") and ch not in "\t\n\r\f\v")
    return controls <= _MAX_CONTROL_SHARE * len(text)


def _detect(data: bytes, source: str) -> Decoded:
    """charset-normalizer's best guess, checked against the Cyrillic code pages it confuses.

    On short Russian texts charset-normalizer often picks koi8-r or mac-cyrillic for cp1251
    (and back): the alphabets overlap, so every choice decodes. The wrong ones betray themselves
    in the text (letters scrambled into rare pairs, capitals inside words, symbols inside
    words), which `russian_score` measures; the detector's choice stands unless a code page
    reads clearly better.
    """
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        tried = ", ".join(("utf-8", "utf-16", *_CYRILLIC_CODE_PAGES))
        raise ReadError(source, f"cannot decode text (tried {tried} and charset-normalizer's guesses)")
    detected = codecs.lookup(best.encoding).name
    sample = data[:_SAMPLE]
    chosen, chosen_score = detected, russian_score(sample.decode(detected, errors="ignore"))
    for encoding in _CYRILLIC_CODE_PAGES:
        if encoding == detected:
            continue
        try:
            score = russian_score(sample.decode(encoding))
        except UnicodeDecodeError:
            continue
        # a tie goes to the commoner code page (the tuple's order): a cp1251 text with an
        # abbreviation («КИСИ») reads as well in mac-cyrillic, where it becomes « »—»»
        if score > chosen_score or (score == chosen_score and chosen in _CYRILLIC_CODE_PAGES
                                    and _CYRILLIC_CODE_PAGES.index(encoding) < _CYRILLIC_CODE_PAGES.index(chosen)):
            chosen, chosen_score = encoding, score
    if chosen == detected:
        return Decoded(str(best), detected)
    try:
        return Decoded(data.decode(chosen), chosen)
    except UnicodeDecodeError:  # the sample decoded, a later byte does not
        return Decoded(str(best), detected)


_COMMON_BIGRAMS = frozenset(
    "ст но то на ен ов ни ра во ко ро ре не по пр ал ор ли ан ер ва ет ел ос ть ка ла та од ол "
    "ат ит ог ом ны ти ес ие ск ий ль ин ве де за ак ри ма ми ле ся ой ых ем ль ую ая го ва".split()
)
"""The most frequent letter pairs of Russian prose (about a third of all pairs in running
text); a wrong code page maps letters onto other letters, and these pairs become rare."""

_FOREIGN_CYRILLIC = frozenset("ђѓѕјљњћќџЂЃЅЈЉЊЋЌЏ")
"""Serbian and Macedonian letters: in a Russian or English report they are decoding debris."""


def russian_score(text: str) -> int:
    """How much `text` reads like Russian written in a sane encoding: points for, minus points
    against. Compare decodings of the same bytes only (the score grows with length).

    Common bigrams count for it; oddities that real words never show count three times
    against it: a capital after a small letter inside a word, a Latin letter touching a
    Cyrillic one, a symbol or control character touching a letter, a closing quote, ellipsis
    or bullet right before a letter (where a wrong code page puts a capital letter), a
    Serbian letter. A letter outside the Russian alphabet (Kazakh, Uzbek, Tajik) and a sentence
    that starts with a small letter count once: they happen, but a wrong code page makes them
    (mac-cyrillic capitals are cp1251 quotes and dashes, and back).
    Text without Cyrillic scores 0, so non-Russian text leaves the detector's choice alone.
    """
    hits = odd = 0
    prev = " "
    prev_cyr = prev_latin = prev_letter = prev_lower = prev_symbol = prev_stray = False
    sentence_start = True
    for ch in text:
        is_letter = ch.isalpha()
        if is_letter or ch.isdigit():
            if sentence_start and ch.islower():
                odd += 1
            sentence_start = False
        elif ch in ".!?\u2026":
            sentence_start = True
        cyr = "\u0400" <= ch <= "\u04ff"
        latin = is_letter and (ch.isascii() or "\u00c0" <= ch <= "\u024f")
        symbol = not is_letter and not ch.isspace() and unicodedata.category(ch)[0] in "SC"
        if cyr:
            if ch in _FOREIGN_CYRILLIC:
                odd += 3
            elif ch > "\u045f":
                odd += 1
            if prev_cyr and (prev + ch).lower() in _COMMON_BIGRAMS:
                hits += 1
        if is_letter and prev_letter:
            if prev_lower and ch.isupper():
                odd += 3
            if (cyr and prev_latin) or (latin and prev_cyr):
                odd += 3
        if (symbol and prev_letter) or (is_letter and (prev_symbol or prev_stray)):
            odd += 3
        prev, prev_cyr, prev_latin, prev_letter = ch, cyr, latin, is_letter
        prev_lower, prev_symbol = ch.islower(), symbol
        prev_stray = not ch.isascii() and unicodedata.category(ch) in ("Po", "Pf", "Pe")
    return hits - odd
