"""Properties of the readers and the clean-up over generated input (hypothesis): a reader either
returns a sound Text or refuses with one ReadError line naming the file; text in a Unicode
encoding comes back exactly; Russian in a Cyrillic code page comes back exactly; markup never
leaks script or style text; every cleaned span maps back to a raw span with the same visible
characters. (The exact character map of clean() is in test_clean.py; fuzz/ runs the same
properties under atheris.)"""
from __future__ import annotations

import os
import re
import tempfile

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kurultai.ingest import discover
from kurultai.read import ReadError, Text, clean, read_bytes
from kurultai.read.printable import printable
from kurultai.read.clean import _DROPPED
from kurultai.read.dispatch import SUFFIXES

from .tally import count

pytestmark = pytest.mark.tally

SUFFIX_LIST = sorted(set(SUFFIXES))
LIMITS = dict(max_bytes=1 << 20, max_pages=20, max_unpacked=4 << 20, max_markup=1 << 20, max_chars=100_000)
MAGIC = [b"", b"%PDF-1.7\n", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xef\xbb\xbf", b"\xff\xfe",
         b"\xfe\xff", b"<!DOCTYPE html><html><body>", b"<?xml version='1.0'?>", b"\x00", b"{\\rtf1\\ansi\\ansicpg1251 "]
RUSSIAN = ("участники круглого стола обсудили водные ресурсы энергетику торговлю транспорт региона эксперты "
           "института отметили рост сотрудничества в этом году").split()
NAMES = "Казахстана Узбекистана Таджикистана Ташкенте Душанбе Бишкеке ИМЭП КИСИ Центральной Азии".split()
def fast(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(data: bytes, suffix: str) -> Text | None:
    source = f"fuzz{suffix}"
    try:
        text = read_bytes(data, source, **LIMITS)
    except ReadError as error:
        assert str(error).startswith(f"{source}: ") and "\n" not in str(error), str(error)
        assert error.cause
        return None
    assert isinstance(text, Text) and text.source == source
    assert text.raw.strip() and len(text.raw) <= LIMITS["max_chars"]
    assert text.meta["bytes"] == len(data) and text.meta["format"] in ("txt", "pdf", "html", "docx", "rtf")
    return text


@fast(300)
@given(st.sampled_from(MAGIC), st.binary(max_size=2048), st.sampled_from(SUFFIX_LIST))
def test_any_bytes_give_a_text_or_one_line_naming_the_file(magic, data, suffix):
    check(magic + data, suffix)
    count("bad inputs", "generated files read (random bytes behind each format's magic)")


TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\r\t"), min_size=1, max_size=300)


@fast(200)
@given(TEXT, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]))
def test_unicode_text_comes_back_exactly(text, encoding):
    assume(re.search(r"[^\s\u00ad\u200b-\u200d\u2060\ufeff]", text) and not text.startswith("\ufeff"))
    read = check(text.encode(encoding), ".txt")
    assert read is not None and read.raw == text


SENTENCE = st.tuples(st.lists(st.sampled_from(RUSSIAN), min_size=4, max_size=12), st.sampled_from(NAMES)).map(
    lambda s: " ".join(s[0][:2] + [s[1]] + s[0][2:]).capitalize().replace(s[1].lower(), s[1], 1) + ".")


@fast(100)
@given(st.lists(SENTENCE, min_size=2, max_size=6), st.sampled_from(["cp1251", "koi8-r", "utf-8"]))
def test_russian_in_a_cyrillic_code_page_comes_back_exactly(sentences, encoding):
    """Sentences as reports have them: capitalised, with names. (A text of small letters with one
    capital can read as well in cp1251 as in mac-cyrillic, which differ in the capitals.)"""
    text = " ".join(sentences)
    read = check(text.encode(encoding), ".txt")
    assert read is not None and read.raw == text and read.meta["encoding"] == encoding


MARK = st.text("abcdefghijklmnopqrstuvwxyz", min_size=6, max_size=12).map(lambda s: f"Q{s}Z")


@fast(60)
@given(MARK, st.lists(st.sampled_from(RUSSIAN), min_size=5, max_size=40), st.sampled_from([".html", ".htm", ""]))
def test_markup_never_leaks_script_or_style_text(mark, words, suffix):
    body = " ".join(words)
    page = (f"<!DOCTYPE html><html><head><script>var {mark} = 1;</script><style>.{mark} {{}}</style></head><body>"
            f"<p onclick=\"{mark}()\">{body}.</p><script>{mark}()</script><noscript>{mark}</noscript>"
            f"<iframe srcdoc=\"{mark}\"></iframe><svg><script>{mark}</script></svg></body></html>")
    read = check(page.encode(), suffix)
    assert read is not None and mark not in read.raw and words[0] in read.raw
    count("attacks", "generated pages hiding text in scripts, styles, frames and handlers")


_GONE = re.compile(f"[\\s{_DROPPED}]")
LAYOUT = st.lists(st.sampled_from(["Слово", "word.", "транспортно-", "логистический", " ", "  ", "\n", "\n\n", "\r\n",
                                   "\f", "\u2029", "\t", "\u00a0", "\u00ad", "\u200b", "\ufeff", "\x01", "\udc80", "- ", "1) ",
                                   "•", ":", "«", "»"]) | st.text(max_size=5), max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(LAYOUT, st.data())
def test_every_cleaned_span_maps_to_a_raw_span_with_its_characters(raw, data):
    cleaned = clean(raw)
    n = len(cleaned.text)
    start = data.draw(st.integers(0, n))
    end = data.draw(st.integers(start, n))
    s, e = cleaned.to_raw(start, end)
    assert 0 <= s <= e <= len(raw)
    assert _GONE.sub("", raw[s:e]) == _GONE.sub("", cleaned.text[start:end])
    assert _GONE.sub("", raw) == _GONE.sub("", cleaned.text)  # only whitespace and invisible marks go


_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


@fast(300)
@given(st.text(st.characters(), max_size=80) | st.binary(max_size=80))
def test_printable_gives_one_safe_line_and_is_stable(name):
    shown = printable(name)
    assert not _UNSAFE.search(shown)
    shown.encode("utf-8")
    assert printable(shown) == shown
    count("bad inputs", "generated names with controls, escapes and undecodable bytes, shown")


FILE_NAME = st.binary(min_size=1, max_size=60).filter(lambda b: b"/" not in b and b"\x00" not in b)


@fast(60)
@given(st.lists(FILE_NAME, min_size=1, max_size=6, unique=True))
def test_any_file_names_are_found_once_and_named_printably(names):
    """Whatever bytes name the files of a folder (old code pages, controls, escapes), discovery
    finds each once, loads it, and names it as `printable` shows its path."""
    with tempfile.TemporaryDirectory() as folder:
        expected = {}
        for n, name in enumerate(names):
            path = os.path.join(os.fsencode(folder), name + b".txt")
            with open(path, "wb") as file:
                file.write(b"report %d" % n)
            expected[printable(path)] = b"report %d" % n
        found = {source.name: source.load() for source in discover([folder])}
    assert found == expected
    count("bad inputs", "generated file names of any bytes, found and named", len(names))
