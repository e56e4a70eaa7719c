"""Which language a document is in: ru, en, uz (Latin or Cyrillic) and kk (Cyrillic or Latin).

Scripts decide most of it; Kazakh and Uzbek are told from Russian by their own letters and
function words, so a page with a little Kazakh chrome around a Russian report stays Russian.
In Latin script, Uzbek writes o‘ and g‘ with apostrophes, Kazakh its own letters with accents
(2018) or Turkish-style marks (2021). Karakalpak shares letters with both (ә, ө, ү beside ў, ҳ;
w in Latin) but is neither: it is reported as `kaa`, and not extracted, rather than misread.
"""
from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+(?:[ʻ‘’'`][^\W\d_]+)*")
_KK_LETTERS = set("әғқңөұүһі")
_KK_ONLY = set("ұі")  # Kazakh letters Karakalpak and Uzbek lack
_UZ_CYR_LETTERS = set("ўқғҳ")
_UZ_LATIN = re.compile(r"\b\w*(?:o[ʻ‘'`’]|g[ʻ‘'`’])\w*", re.I)
_KK_LATIN_2018 = set("áǵńóúýı")
_KK_LATIN_2021 = set("äğñöüūşı")
_FUNCTION_WORDS = {
    "ru": {"и", "в", "на", "с", "по", "не", "что", "для", "о", "из", "к", "а", "также", "был", "была", "это"},
    "en": {"the", "and", "of", "to", "in", "a", "for", "on", "with", "was", "is", "that", "by", "as"},
    "kk": {"және", "мен", "бен", "пен", "үшін", "бойынша", "туралы", "бұл", "деп", "болды", "жылы",
           "jáne", "jäne", "úshin", "üşin", "boıynsha", "boiynşa", "týraly", "turaly", "bul", "dep", "boldy", "jyly"},
    "uz": {"va", "bilan", "uchun", "bo", "yil", "ham", "bu", "da", "ning", "haqida", "bo'yicha", "bo‘yicha",
           "qilindi", "ва", "билан", "учун", "ҳам", "ҳақида", "бўйича"},
    "kaa": {"hám", "menen", "ushın", "haqqında", "ҳәм", "менен", "ушын", "ҳаққында"},
}


def detect_language(text: str) -> str:
    """ISO 639 code of the main language of `text`, or 'und' when there are no words."""
    sample = text[:20000]
    words = [w.lower() for w in _WORD.findall(sample)]
    if not words:
        return "und"
    counts = {lang: sum(1 for w in words if w in fw) for lang, fw in _FUNCTION_WORDS.items()}
    cyr = sum(1 for w in words if re.match(r"[а-яёәғқңөұүһіўҳ]", w))
    lat = len(words) - cyr
    if cyr >= lat:
        # Kazakh by the letters Uzbek Cyrillic lacks (its қ and ғ would make any Uzbek page Kazakh)
        kk_words = sum(1 for w in words if (_KK_LETTERS - _UZ_CYR_LETTERS) & set(w))
        kk_only = sum(1 for w in words if _KK_ONLY & set(w))
        uz_words = sum(1 for w in words if _UZ_CYR_LETTERS & set(w) and not (_KK_LETTERS - {"қ", "ғ"}) & set(w))
        uz_only = sum(1 for w in words if "ў" in w)
        shared_kk = sum(1 for w in words if set("әөүң") & set(w))  # Kazakh and Karakalpak, not Uzbek
        if counts["kaa"] > max(counts["kk"], counts["uz"]) or (
                shared_kk > 0.05 * cyr and uz_only > 0.02 * cyr and kk_only < 0.01 * cyr):
            return "kaa"
        if kk_words > 0.15 * cyr and counts["kk"] >= counts["ru"]:
            return "kk"
        if uz_words > 0.15 * cyr and counts["uz"] >= counts["ru"]:
            return "uz"
        return "ru"
    kk_marks = sum(1 for w in words if (_KK_LATIN_2018 | _KK_LATIN_2021) & set(w))
    uz_marks = len(_UZ_LATIN.findall(sample))
    if counts["kaa"] > max(counts["kk"], counts["uz"], counts["en"]):
        return "kaa"
    if counts["en"] >= 3 and counts["en"] > 2 * (counts["kk"] + counts["uz"] + counts["kaa"]):
        return "en"  # English with a Turkish or Azerbaijani name in it ('Erdoğan', 'Şahin'): its words decide
    if (kk_marks > 0.05 * lat or counts["kk"] > counts["en"]) and counts["kk"] >= counts["uz"] and kk_marks >= uz_marks:
        return "kk"
    if counts["uz"] > counts["en"] or uz_marks > 0.05 * lat:
        return "uz"
    return "en"
