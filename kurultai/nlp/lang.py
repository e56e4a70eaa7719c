"""Which language a document is in: ru and en are extracted; kk and uz are recognised and reported.

Scripts decide most of it; Kazakh and Uzbek are told from Russian by their own letters and
function words, so a page with a little Kazakh chrome around a Russian report stays Russian.
"""
from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+")
_KK_LETTERS = set("әғқңөұүһі")
_UZ_CYR_LETTERS = set("ўқғҳ")
_UZ_LATIN = re.compile(r"\b\w*(?:o[ʻ‘'`]|g[ʻ‘'`])\w*", re.I)
_FUNCTION_WORDS = {
    "ru": {"и", "в", "на", "с", "по", "не", "что", "для", "о", "из", "к", "а", "также", "был", "была", "это"},
    "en": {"the", "and", "of", "to", "in", "a", "for", "on", "with", "was", "is", "that", "by", "as"},
    "kk": {"және", "мен", "бен", "пен", "үшін", "бойынша", "туралы", "бұл", "деп", "болды", "жылы"},
    "uz": {"va", "bilan", "uchun", "bo", "yil", "ham", "bu", "da", "ning", "haqida", "bo'yicha", "qilindi", "ва", "билан", "учун", "ҳам"},
}


def detect_language(text: str) -> str:
    """ISO 639-1 code of the main language of `text`, or 'und' when there are no words."""
    words = [w.lower() for w in _WORD.findall(text[:20000])]
    if not words:
        return "und"
    counts = {lang: sum(1 for w in words if w in fw) for lang, fw in _FUNCTION_WORDS.items()}
    cyr = sum(1 for w in words if re.match(r"[а-яёәғқңөұүһіўҳ]", w))
    lat = len(words) - cyr
    if cyr >= lat:
        kk_words = sum(1 for w in words if _KK_LETTERS & set(w))
        uz_words = sum(1 for w in words if _UZ_CYR_LETTERS & set(w) and not (_KK_LETTERS - {"қ", "ғ"}) & set(w))
        if kk_words > 0.15 * cyr and counts["kk"] >= counts["ru"]:
            return "kk"
        if uz_words > 0.15 * cyr and counts["uz"] >= counts["ru"]:
            return "uz"
        return "ru"
    uz_marks = len(_UZ_LATIN.findall(text[:20000]))
    if counts["uz"] > counts["en"] or uz_marks > 0.05 * lat:
        return "uz"
    return "en"
