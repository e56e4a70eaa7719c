"""Normalised names: the one form under which aliases, keys and queries are compared (norm), one
Latin skeleton for every script (fold), a person's name read into its parts (person_name), and
what an institution's name says in any language (org_concepts)."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

_QUOTES = re.compile(r"[«»\"“”„'`’]")
_INITIAL = re.compile(r"\b(\w)\.\s*(?=\w)")


def norm(s: str | None) -> str:
    """'ИМЭП' -> 'имэп'; '«Яшил  Водий»' -> 'яшил водий'; 'А.Насиров' -> 'а. насиров'."""
    s = unicodedata.normalize("NFKC", s or "").lower().replace("ё", "е")
    s = _QUOTES.sub("", s)
    s = _INITIAL.sub(r"\1. ", s)
    return re.sub(r"\s+", " ", s).strip(" .,;:-–—()")


def surname_and_initial(name: str) -> tuple[str, str]:
    """('каримов', 'б') for 'Бахтиёр Каримов', 'Б. Каримов' and 'Б.Каримов'."""
    parts = norm(name).replace(".", ". ").split()
    words = [p for p in parts if not p.endswith(".")]
    if not words:
        return "", ""
    return words[-1], parts[0][0] if parts else ""


_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya",
    # Kazakh, Uzbek, Tajik letters
    "ә": "a", "ғ": "gh", "қ": "q", "ң": "ng", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i", "ў": "o",
    "ҳ": "h", "ӣ": "i", "ӯ": "u", "ҷ": "j",
}


def translit(s: str) -> str:
    """Cyrillic to Latin, so that 'Бахтиёр Каримов' meets 'Bakhtiyor Karimov' (compared fuzzily,
    since English spellings of Central Asian names vary: -ev/-yev, kh/h)."""
    return "".join(_TRANSLIT.get(c, c) for c in norm(s))


# One coarse Latin skeleton for every script a name of the region is written in: Russian, Uzbek
# and Kazakh Cyrillic, Uzbek Latin (x, q, o‘, g‘), the Kazakh Latin alphabets of 2017-2021
# (apostrophes, acute accents, Turkish-style letters) and English transliterations (kh, zh, yu).
# Letters one script tells apart and another does not are one letter here (х/ҳ/x/kh/h, ж/j/zh,
# қ/q/k, ғ/g‘/gh/ğ/g, и/й/ы/і/ı/y, the vowels ә/ө/ұ/ү/ў with their base vowels): equality of the
# folds says two spellings may be one name; it is not a readable transliteration.
_FOLD_LETTERS = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "j", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "h", "ц": "s", "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya",
    "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i", "ў": "o",
    "ҳ": "h", "ӣ": "i", "ӯ": "u", "ҷ": "j",
    # Latin letters of the Kazakh (2018: á ǵ ń ó ú ý ı; 2021: ä ğ ñ ö ü ū ş ç ı) and Uzbek alphabets
    "x": "h", "q": "k", "w": "v", "ş": "sh", "ç": "ch", "ı": "i", "ý": "u",
    "ʻ": "", "‘": "", "’": "", "'": "", "`": "", "ʼ": "", "´": "",
}
_FOLD_TABLE = str.maketrans(_FOLD_LETTERS)
_FOLD_PAIRS = re.compile(r"kh|zh|dj|ts|gh|y")
_FOLD_PAIR = {"kh": "h", "zh": "j", "dj": "j", "ts": "s", "gh": "g", "y": "i"}
_MARKS = re.compile(r"[\u0300-\u036f]")
# the glide Latin spellings write before e and Cyrillic does not (Ерлан/Yerlan, Токаев/Tokayev)
_GLIDE = re.compile(r"\by(?=e)|(?<=[aeiou])y(?=e)")
_DOUBLE = re.compile(r"([a-z])\1+")  # Kassym/Қасым, Nurmukhammed/Нурмухамед


def fold(s: str | None) -> str:
    """'Фаррух Турсунов', 'Farrux Tursunov' and 'Farrukh Tursunov' -> 'farruh tursunov';
    'Тоқаев', 'Токаев', 'Toqaev' and 'Tokayev' differ by a letter at most ('tokaev', 'tokaiev')."""
    s = unicodedata.normalize("NFKC", s or "").lower().replace("ё", "yo")
    s = norm(s.replace("чж", "ж").replace("цз", "дж")).translate(_FOLD_TABLE)  # Palladius: Чжан Zhang, Цзинь Jin
    s = _MARKS.sub("", unicodedata.normalize("NFD", s))  # á ó ú ń ǵ ä ö ü ū ğ: their base letters
    s = _GLIDE.sub("", s)
    return _DOUBLE.sub(r"\1", _FOLD_PAIRS.sub(lambda m: _FOLD_PAIR[m.group()], s))


# -- people's names -----------------------------------------------------------------------------
# Titles, honorifics and degrees that stand before a name in ru/en/uz/kk reports: not part of it.
_TITLES = frozenset("""
    д-р др доктор проф профессор академик акад доцент г-н г-жа господин госпожа гражданин
    dr doctor prof professor academician acad mr mrs ms miss sir madam excellency his her
    doktor akademik dotsent janob xonim hurmatli жаноб хоним ҳурматли мырза ханым құрметті
    """.split())
_DEGREE = re.compile(r"(?<!\w)(?:[дк]\.\s?[а-я]{1,4}\.\s?н\.?|ph\.?\s?d\.?|h\.\s?e\.)(?!\w)", re.I)
# Skeleton endings (fold) of the region's surnames: Russian, Central Asian and Chinese aside, a
# word ending so is the surname whatever the order of the words.
_SURNAME = re.compile(r"(?:ov|ev|in|sk|enko|ian|dze|shvili|zoda|zade|iev|uli|kizi)$")
# a Russian oblique case or the feminine form after the surname's suffix: one key for
# Турсунов, Турсунова, Турсунову, Турсуновым, Турсуновой; Вишневский, Вишневская, Вишневского
_RU_SURNAME_FORM = re.compile(r"(ov|ev|in)(?:a|u|im|e|oiu|oi|ih)$|(sk)(?:i|aia|ogo|omu|im|om|oiu|oi|uiu)$")
# Uzbek and Kazakh case endings after a surname (Турсуновга, Tursunovning, Тоқаевтың, Жұмабековамен)
_TURKIC_CASE = re.compile(r"((?:ov|ev|in)a?)(?:ning|nin|ni|ga|ge|ka|ke|da|de|ta|te|dan|den|tan|ten|"
                          r"nan|nen|din|tin|di|ti|men|ben|pen)$")
# a patronymic in any case (Петрович, Петровича, Петровной; Маратұлы, Baxtiyorovna): its root
_PATRONYMIC = re.compile(r"^(.{3,}?)(?:ovich|evich|ich|ovn|evn|ichn|inichn)(?:a|u|e|em|om|i|oi|oiu)?$"
                         r"|^(.{3,}?)(?:uli|kizi)$")
_PATRONYMIC_WORDS = frozenset({"ogli", "ugli", "kizi", "uli"})  # «Akmal o‘g‘li», «Нұрлан ұлы»
_GIVEN_ENDING = re.compile(r"(?:oiu|iu|ia|ei|oi|om|em|u|a|e|o)$")  # Алексея, Фарруху, Ольгой: a given name's case
_CYRILLIC = re.compile(r"[а-яёәғқңөұүһіўҳӣӯҷ]", re.I)


@dataclass(frozen=True, slots=True)
class PersonName:
    """A person's name read for comparison: folded skeletons without titles, case endings or
    the feminine ending, the given name (or its initial) told from the surname by the words'
    endings, whichever order they are written in."""
    surname: str
    given: str  # a folded given name, its initial ('a.', 'ch.'), or ""
    patronymic: str  # the father's name without its suffix, its initial, or ""
    cyrillic: bool
    ordered: bool  # the surname was told by its ending; otherwise the last word is taken for it
    inflected: bool  # a case ending was taken off the surname
    extra: int = 0  # words that are none of these («Приаралья Ерболат Кенжегулов»: a word of the text before)

    def swapped(self) -> "PersonName | None":
        """The other reading of a two-word name whose order nothing tells (Чжан Хайбо, Haibo Zhang)."""
        if self.ordered or not self.given or is_initial(self.given):
            return None
        return PersonName(self.given, self.surname, self.patronymic, self.cyrillic, False, self.inflected, self.extra)


def strip_titles(name: str) -> str:
    """'профессор Бахтиёр Каримов', 'Dr. Dilnoza Yusupova', 'д.э.н. Нурлан Сейтказиев': the name alone."""
    words = _DEGREE.sub(" ", unicodedata.normalize("NFKC", name or "")).split()
    while words and (words[0].lower().strip(".,") in _TITLES or not any(c.isalpha() for c in words[0])):
        words.pop(0)
    return " ".join(words)


def surname_key(word: str) -> tuple[str, bool]:
    """A folded surname without its Russian, Uzbek or Kazakh case ending and its feminine -a:
    ('tursunov', True) for 'tursunovga' and 'tursunovu', ('tursunov', False) for 'tursunova';
    True when the word was in an oblique case."""
    bare = _TURKIC_CASE.sub(r"\1", word)
    m = _RU_SURNAME_FORM.search(bare)
    if not m:
        return bare, bare != word
    stem = m.group(1) or m.group(2)
    ending = bare[m.start() + len(stem):]
    return bare[: m.start()] + stem, bare != word or ending not in ("a", "i", "aia")


def given_stem(word: str) -> str:
    """A given name without a Russian case ending: Фаррух, Фарруху, Фаррухом meet."""
    return _GIVEN_ENDING.sub("", word) if len(word) > 2 else word


def _surname_like(key: str) -> bool:
    return len(key) > 4 and bool(_SURNAME.search(key))


_INITIAL_WORD = re.compile(r"^(?:[^\W\d_]|sh|zh|ch|kh|ts|ya|yu|ye|yo)\.$")


def is_initial(word: str) -> bool:
    """'a.', 'ch.' (Ч.), 'sh.' (Ш., Sh.): how PersonName writes an initial."""
    return word.endswith(".")


def initials_agree(a: str, b: str) -> bool:
    """An initial and a name (or two initials) that may be one: 'ch.' and 'cholpon', 'e.' and 'erbolat'."""
    x, y = a.rstrip("."), b.rstrip(".")
    return bool(x and y) and (y.startswith(x) if is_initial(a) else x.startswith(y))


@lru_cache(maxsize=100_000)
def person_name(name: str) -> PersonName:
    """How a person is compared (resolve.Resolver.person); see PersonName. Kept per name: the
    bulk writer reads every known person's name, and meets the same names again and again."""
    cyrillic = bool(_CYRILLIC.search(name or ""))
    initials, words = [], []
    for token in strip_titles(name).lower().replace(".", ". ").split():
        if _INITIAL_WORD.match(token):
            initials.append(fold(token[:-1]) + ".")
        elif token.strip(".-"):
            words.append(fold(token))
    patronymic = ""
    for i, w in enumerate(words):
        if w in _PATRONYMIC_WORDS and i:  # «Farrux Akmal o‘g‘li»: the word before it is the father's
            patronymic = words[i - 1]
            words = words[: i - 1] + words[i + 1:]
            break
    if not patronymic and len(words) > 2:
        for i, w in enumerate(words):
            root = _PATRONYMIC.match(w)
            if root and any(_surname_like(surname_key(o)[0]) for j, o in enumerate(words) if j != i):
                patronymic = root.group(1) or root.group(2)
                words = words[:i] + words[i + 1:]
                break
    if not words:
        return PersonName("", "", "", cyrillic, False, False)
    keys = [surname_key(w) for w in words]
    told = [i for i, (k, _) in enumerate(keys) if _surname_like(k)]
    at = told[-1] if told else len(words) - 1
    if told == [0] and len(words) == 2 and not initials:
        at = 0  # «Tursunov Farrukh», «Турсунов Фаррух»
    surname, inflected = keys[at] if told else (words[at], False)
    given = words[at - 1] if at else (words[1] if len(words) > 1 else "")
    if not given and initials:
        given, initials = initials[0], initials[1:]
    if not patronymic and initials and is_initial(given):
        patronymic = initials[0]
    return PersonName(surname, given, patronymic, cyrillic, bool(told), inflected, max(0, len(words) - 2))


# -- institutions' names across languages --------------------------------------------------------
_ORG_WORD = re.compile(r"[^\W\d_]+(?:[ʻ‘’'`ʼ][^\W\d_]+)*")
_LATIN_C = re.compile(r"c(?=[eiy])")
_PLACE_TAIL = re.compile(r"\s(?:in|at|в|во)\s+[^\W\d_]+$")  # "... Studies in Dushanbe": where, not which


def _org_fold(word: str) -> str:
    """A word's skeleton for comparing institutions across languages: English c as s or k
    (Caspian, Каспийский; Center, Central)."""
    w = fold(word).replace("ch", "\0")
    return _LATIN_C.sub("s", w).replace("ck", "k").replace("c", "k").replace("\0", "ch")


@lru_cache(maxsize=1)
def _org_words() -> tuple:
    text = (resources.files(__package__) / "data" / "institution_words.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    prefixes = sorted(((_org_fold(w.rstrip(".")), w.endswith("."), c) for c, ws in data["concepts"].items()
                       for w in ws), key=lambda pc: -len(pc[0]))
    return prefixes, {_org_fold(w) for w in data["ignore"]}, frozenset(data["generic"])


@lru_cache(maxsize=100_000)
def _org_token(word: str) -> str | None:
    f = _org_fold(word)
    prefixes, ignore, _ = _org_words()
    if f in ignore:
        return None
    for prefix, whole, concept in prefixes:
        if f == prefix or (not whole and f.startswith(prefix)):
            return "=" + concept
    return f[:5] if len(f) > 2 else None


def org_concepts(name: str | None) -> frozenset | None:
    """What an institution's name says, whatever its language: the concepts of its common words
    (data/institution_words.yaml) and the first letters of its other words, folded. «Центр
    исследований Каспийского региона», "Center for Caspian Region Studies" and «Каспий өңірін
    зерттеу орталығы» give one set. None for a name too general to tell a body by (Research Center)."""
    words = _ORG_WORD.findall(_PLACE_TAIL.sub("", (name or "").lower()))
    tokens = {t for t in map(_org_token, words) if t}
    generic = {"=" + c for c in _org_words()[2]}
    if len(tokens) < 2 or tokens <= generic:
        return None
    return frozenset(tokens)
