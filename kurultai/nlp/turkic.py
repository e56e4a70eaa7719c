"""Uzbek and Kazakh words: tokens, one Latin skeleton for every script, and suffix-stripped keys.

natasha covers neither language, and both are agglutinative: «Institutiga», «institutining» and
«институти» are one word. A word is folded to a Latin skeleton (data/turkic.yaml: Cyrillic,
the Latin alphabets, apostrophes and accents, Cyrillic look-alike letters inside Latin words)
and its suffix chain is stripped, so cue phrases, registry names and document words written in
either script meet under one key, whatever their case and possessive endings.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from .dates import is_turkic_day_word
from .morph import Morph, fold, is_abbreviation

LANGUAGES = ("uz", "kk")
# languages whose head word ends its phrase: the event noun after its theme, the institution's head
# noun after its name, the verb after who did it
HEAD_FINAL = LANGUAGES
_APOSTROPHES = "ʻ‘’'`ʼ´"
_MARKS = "\u0300-\u036f"
# a word keeps its inner apostrophes (o‘zbek, ta’kidladi), accents and hyphenated parts
_TOKEN = re.compile(
    rf"[A-ZА-ЯЁӘҒҚҢӨҰҮҺІЎҲ]\.(?=\s?[A-ZА-ЯЁӘҒҚҢӨҰҮҺІЎҲ])"  # an initial: «С.Валиев», «A. Karimov»
    rf"|\d+(?:[.,:/]\d+)*(?:-[^\W\d_]+)?"
    rf"|(?:[^\W\d_]|[{_MARKS}])+(?:[{_APOSTROPHES}](?:[^\W\d_]|[{_MARKS}])+)*"
    rf"(?:-(?:[^\W\d_]|[{_MARKS}])+(?:[{_APOSTROPHES}](?:[^\W\d_]|[{_MARKS}])+)*)*"
    rf"|\S")
_G_APOSTROPHE = re.compile(rf"g[{_APOSTROPHES}]", re.I)


@dataclass(frozen=True, slots=True)
class Piece:
    """A token as razdel gives one: offsets into the text and the text itself."""
    start: int
    stop: int
    text: str


def tokenize(text: str) -> list[Piece]:
    return [Piece(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


@lru_cache(maxsize=1)
def _tables() -> dict:
    with open(resources.files(__package__) / "data" / "turkic.yaml", encoding="utf-8") as f:
        data = yaml.safe_load(f)
    for lang in LANGUAGES:
        spec = data[lang]
        spec["suffixes"] = sorted(set(spec["suffixes"]), key=len, reverse=True)
    return data


def skeleton(word: str, lang: str) -> str:
    """The word in the language's folded Latin skeleton, every script and alphabet alike."""
    spec = _tables()[lang]
    word = word.lower()
    if lang == "uz":
        word = _G_APOSTROPHE.sub("gh", word)  # g‘ is its own letter (ғ); o‘ folds to o
    out = []
    prev = ""
    for ch in unicodedata.normalize("NFC", word):
        if spec.get("initial_ye") and ch == "е" and (not prev or prev in "аеёиоуўэюяъь"):
            out.append("ye")
        elif ch in spec["cyrillic"]:
            out.append(spec["cyrillic"][ch])
        elif ch in spec["latin"]:
            out.append(spec["latin"][ch])
        else:
            base = unicodedata.normalize("NFD", ch)[0]  # other accents: the base letter
            out.append(spec["latin"].get(base, base) if base.isalpha() or base == "-" else "")
        prev = ch
    return "".join(out)


def stem(word: str, lang: str) -> str:
    """Strip case, possessive, plural and verbal endings; the stem's last consonant unvoiced
    (Kazakh and Uzbek voice it before a vowel: министрлік/министрлігі, yurak/yuragi)."""
    spec = _tables()[lang]
    head, _, word = word.rpartition("-")
    least = spec["min_stem"]
    for _ in range(4):
        for suffix in spec["suffixes"]:
            if word.endswith(suffix) and len(word) - len(suffix) >= least:
                word = _unvoiced(word[: -len(suffix)], lang)
                break
        else:
            break
    word = _unvoiced(word, lang)
    return f"{head}-{word}" if head else word


def _is_chain(rest: str, lang: str) -> bool:
    """Whether `rest` is nothing but endings («інің» = і + нің), read from its end."""
    suffixes = _tables()[lang]["suffixes"]
    for _ in range(5):
        if not rest:
            return True
        cut = next((x for x in suffixes if rest.endswith(x) or _unvoiced(rest, lang).endswith(x)), None)
        if cut is None:
            return False
        rest = rest[: -len(cut)] if rest.endswith(cut) else _unvoiced(rest, lang)[: -len(cut)]
    return not rest


def _unvoiced(word: str, lang: str) -> str:
    if word.endswith("gh"):
        return word[:-2] + "q"
    if word.endswith("g"):
        return word[:-1] + "k"
    if lang == "kk" and word.endswith("b"):
        return word[:-1] + "p"
    return word


class TurkicMorph:
    """The Morph interface for Uzbek or Kazakh documents: keys are stems of the skeleton.

    Names are not inflected to the nominative by a dictionary (there is none here): a person's or
    institution's name is taken as written, and case endings are stripped from surnames only.
    pymorphy's parses stay available for the Russian words such pages quote.
    """

    def __init__(self, lang: str, base: Morph) -> None:
        self.lang = lang
        self.base = base
        self.vocab = base.vocab
        self.lexicon: set[str] = set()
        self.key = lru_cache(maxsize=100_000)(self._key)
        self.lemma = lru_cache(maxsize=100_000)(lambda w: skeleton(w, lang))
        self.learn(_tables()["org_heads"][lang])

    def learn(self, words) -> None:
        """Words in their dictionary form (the registry's names, the cue phrases): a document's word
        that is one of them plus a chain of endings gets its key, which the greedy stripper would
        sometimes cut too short («университеті» is университет + і, not универси + те + сі)."""
        for word in words:
            sk = skeleton(word, self.lang)
            if len(sk) >= 4 and not is_abbreviation(word):
                self.lexicon.add(_unvoiced(sk, self.lang))
        self.key.cache_clear()

    def _key(self, word: str) -> str:
        head, dash, tail = word.partition("-")
        if dash and is_abbreviation(head) and tail.islower() and len(tail) <= 5:
            word = head  # «ХКҰ-ның», «QazUÝ-diń»: an abbreviation with its case ending after a hyphen
        if is_abbreviation(word):
            return word.replace("ё", "е").replace("Ё", "Е")
        sk = skeleton(word, self.lang)
        if not sk:
            return fold(word)
        # a known word plus endings is keyed as that word is: the greedy stripper alone cuts some
        # inflected forms further than their bare word («университеті» -> универси+те+сі)
        return stem(self._known_base(sk) or sk, self.lang)

    def is_known(self, word: str) -> bool:
        """A word of the lexicon as it stands, with no ending («Қазақстан», not «Форумда»)."""
        sk = skeleton(word, self.lang)
        return bool(sk) and self._known_base(sk) == _unvoiced(sk, self.lang)

    def is_inflected(self, word: str) -> bool:
        """A word of the lexicon with an ending («Іс-шараны», «Tadbirni»): a common word in some case."""
        sk = skeleton(word, self.lang)
        base = self._known_base(sk)
        return bool(base) and base != _unvoiced(sk, self.lang)

    def _known_base(self, sk: str) -> str | None:
        if not self.lexicon:
            return None
        # the longest known base that only endings follow and that is no known base with endings itself:
        # the lexicon holds names' inflected heads too («университеті» in a name), and the bare word is
        # the one to meet; a shorter word of the lexicon inside it is another word («отыр» in «отырысы»)
        bases = [n for n in range(4, len(sk) + 1)
                 if _unvoiced(sk[:n], self.lang) in self.lexicon and _is_chain(sk[n:], self.lang)]
        for n in reversed(bases):
            base = _unvoiced(sk[:n], self.lang)
            if not any(_is_chain(sk[m:n], self.lang) for m in bases if m < n):
                return base
        return None

    def tokenize(self, text: str) -> list[Piece]:
        return tokenize(text)

    def form(self, word: str) -> str:
        return self.lemma(word)

    def parses(self, word: str):
        return self.base.parses(word)

    def nominative_name(self, words: list[str], oblique: bool | None = None) -> list[str]:
        return [surname_base(w, self.lang) if i == len(words) - 1 else w for i, w in enumerate(words)]

    def nominative_phrase(self, words: list[str]) -> list[str]:
        """An institution's name with its head out of the case it stands in («... universitetida»)."""
        if not words:
            return words
        return [*words[:-1], name_nominative(words[-1], self.lang)]

    def genitive_phrase(self, words: list[str]) -> list[str]:
        return words


_POSSESSIVE_VOWELS = tuple("iıyыіиИІЫ")


def name_nominative(word: str, lang: str) -> str:
    """«Елшілігінің» -> «Елшілігі», «akademiyasida» -> «akademiyasi»: the case ending after a possessive."""
    for ending in sorted(_tables()["name_case_endings"][lang], key=len, reverse=True):
        if word.lower().endswith(ending) and len(word) > len(ending) + 3:
            rest = word[: -len(ending)]
            if rest.endswith(_POSSESSIVE_VOWELS):
                return rest
    return word


def surname_base(word: str, lang: str) -> str:
    """«Vahobovning», «Тоқаевтың», «Usmonzodaga»: a surname without its case ending (the endings
    and the surname patterns are the ones `is_surname` reads; «Karimova», «Ивановна» stay)."""
    endings, _ = _name_data()
    low = word.lower()
    if low.endswith(endings):
        return word
    bare = _CASE_ENDING.sub("", word)
    return bare if len(bare) >= 4 and bare.lower().endswith(endings) else word


# -- names of people and institutions --------------------------------------------------------

_INITIAL = re.compile(r"^[A-ZА-ЯЁӘҒҚҢӨҰҮҺІЎҲ]\.$|^(?:[A-ZА-ЯЁӘҒҚҢӨҰҮҺІЎҲ]\.){1,2}[A-ZА-ЯЁӘҒҚҢӨҰҮҺІЎҲ]?$")
_CASE_ENDING = re.compile(
    r"(?:ning|ni|ga|da|dan|нинг|ни|га|да|дан|ның|нің|тың|тің|дың|дің|ға|ге|қа|ке|на|не|ны|ні|ды|ді|ты|ті|"
    r"та|те|нан|нен|ден|тан|тен|мен|бен|пен|dyń|dıń|tyń|tiń|nyń|niń|ǵa|qa|ke|men|ben|pen|nyn|nin|dyn|din|tyn|tin)$")


@lru_cache(maxsize=1)
def _name_data() -> tuple:
    data = _tables()
    endings = tuple(sorted(data["surname_endings"], key=len, reverse=True))
    patronymics = {skeleton(w, "uz") for w in data["patronymic_words"]} | {skeleton(w, "kk") for w in data["patronymic_words"]}
    return endings, patronymics


def _org_words(lang: str, key) -> tuple[set, set]:
    data = _tables()
    heads = {key(w) for w in data["org_heads"][lang]}
    links = {skeleton(w, lang) for w in data["org_links"][lang]}
    return heads, links


_OPEN_QUOTES = ("«", "“", "„")
_CLOSE_QUOTES = ("»", "”", "“", '"')


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and any(c.isalpha() for c in word) and not word.isupper()


def is_surname(word: str) -> bool:
    """A capitalised word ending as the region's surnames and patronymics do, case ending aside."""
    if not _capitalised(word) or len(word) < 4:
        return False
    endings, _ = _name_data()
    base = word.lower()
    bare = _CASE_ENDING.sub("", base)
    return any(b.endswith(e) and len(b) - len(e) >= 2 for b in {base, bare} for e in endings)


def person_spans(tokens: list, lang: str) -> list[tuple[int, int]]:
    """Token ranges of people's names: capitalised words of which one ends as a surname does, or
    initials before such a word, or a given name before a patronymic word («Akmal o‘g‘li»)."""
    _, patronymics = _name_data()
    out = []
    i, n = 0, len(tokens)
    while i < n:
        j = i
        while j < n and j - i < 4 and (_capitalised(tokens[j].text) or _INITIAL.match(tokens[j].text)
                                       or (j > i and skeleton(tokens[j].text, lang) in patronymics)):
            j += 1
        words = [t.text for t in tokens[i:j]]
        named = [k for k, w in enumerate(words) if is_surname(w)]
        initials = [k for k, w in enumerate(words) if _INITIAL.match(w)]
        patr = any(skeleton(w, lang) in patronymics for w in words[1:])
        if (named and j - i >= 2) or (named and initials) or (patr and j - i >= 2):
            # the name ends at its last surname or patronymic («Тоқаев Ауғанстандағы ...» is Тоқаев)
            # and begins with one given name or the initials before it («Prezident Shavkat Mirziyoyev»)
            ends = named + [k for k, w in enumerate(words) if k and skeleton(w, lang) in patronymics]
            last = i + max(ends) + 1
            first = i + named[0] if named else max(i, i + max(ends) - 2)  # «Nodir Akmal o‘g‘li»
            while first > i and _INITIAL.match(tokens[first - 1].text):
                first -= 1
            if named and first > i and first == i + named[0] and not _INITIAL.match(tokens[first - 1].text):
                first -= 1
            if last - first >= 2 or initials:
                out.append((first, last))
            i = j
        else:
            i = max(j, i + 1)
    return out


def plural_markers(lang: str) -> tuple[str, ...]:
    """Skeleton endings of the plural («-лар», «-лер», ...), as the tables give them."""
    return tuple(_tables()["plural_markers"][lang])


def eponym_links(lang: str) -> set[str]:
    """Skeletons of the words after which a person's name is part of an institution's («номидаги»)."""
    return {skeleton(w, lang) for w in _tables().get("eponym_links", {}).get(lang, ())}


def org_spans(tokens: list, lang: str, taken: set[int], sentence_first: set[int],
              lowercase_keys: set[str], key, known=None, inflected=None) -> list[tuple[int, int]]:
    """Token ranges of institution names that end in a head noun: from the head back to the
    first capitalised word of the name, over lower-case words and linking words («huzuridagi»,
    «жанындағы»), never over a person or punctuation. A capitalised word that opens a sentence
    and is written in lower case elsewhere in the text is a common word, not part of a name."""
    heads, links = _org_words(lang, key)
    conjunctions = {skeleton(w, lang) for w in ("va", "hamda", "және", "мен", "бен", "пен")}
    under = links - conjunctions
    spec = _tables()
    oblique = tuple(spec["oblique_endings"][lang])
    plural = tuple(spec["plural_markers"][lang])
    genitive, located = tuple(spec["genitive_endings"][lang]), tuple(spec["located_endings"][lang])
    # words written with a capital inside sentences are proper names: «O‘zbekistonning» opening a
    # sentence is the country's genitive, not a common word
    proper = {key(t.text) for i, t in enumerate(tokens) if i not in sentence_first and _capitalised(t.text)}
    out = []
    for h, t in enumerate(tokens):
        head_key = key(t.text)
        if head_key not in heads or h in taken:
            continue
        rest = skeleton(t.text, lang)[len(head_key) - 1:]
        if rest.startswith(plural) or rest[1:].startswith(plural):
            continue  # «университеттері»: universities, a kind of body
        if h + 1 < len(tokens) and _capitalised(tokens[h + 1].text) and h + 1 not in sentence_first \
                and (len(t.text) <= len(head_key) + 1 or skeleton(t.text, lang).endswith(genitive)
                     or skeleton(tokens[h + 1].text, lang).endswith(located)):
            continue  # «Орталық Азия»: the bare head word is an adjective of a proper name here, and
            # «қўмитасининг Ўзбекистондаги филиали» goes on (not «vazirligida Qozog‘iston ...», nor a
            # name's end before the next line)
        start, k, lower_run = None, h - 1, 0
        while k >= 0 and h - k <= 10 and k not in taken:
            w = tokens[k].text
            if w in _CLOSE_QUOTES:
                # a quoted proper name inside the name: «Білім керуені» мекемесі, «Kazinform» агенттігі
                opening = next((q for q in range(k - 1, max(-1, k - 12), -1) if tokens[q].text in _OPEN_QUOTES
                                or (w == '"' and tokens[q].text == '"')), None)
                if opening is None or any(q in taken for q in range(opening, k)):
                    break
                start, lower_run, k = opening, 0, opening - 1
                continue
            if w == "," and 0 < k and tokens[k + 1].text.islower() and any(c.isalpha() for c in tokens[k - 1].text) \
                    and any(skeleton(x.text, lang) in conjunctions for x in tokens[k + 1:h]):
                k -= 1  # a ministry's list of sectors: «Oliy ta’lim, fan va innovatsiyalar vazirligi»,
                continue  # «Экология, геология және табиғи ресурстар министрлігі»
            if not any(c.isalpha() for c in w) and not _INITIAL.match(w):
                break
            if any(c.isdigit() for c in w) or is_turkic_day_word(w):
                break  # «12-mart kuni», «2024-yil», «Kecha ...»: a date or a number stands outside a name
            sk = skeleton(w, lang)
            if len(sk) >= 5 and sk.endswith(oblique) and not (known and known(w)) \
                    and not sk.endswith(located):
                break  # «Forumda ...», «... бошчилигида»: outside the name (not «Қазақстан»: no ending)
            if sk in conjunctions and _capitalised(tokens[k + 1].text):
                break  # «Азия және Еуропалық Одақ»: two names, not one
            if w.isupper() and len(w) > 1 and lower_run:
                break  # an abbreviation opens a name only right before its capitals («ҚР Сыртқы ...»,
                # «BMT Taraqqiyot dasturi»), not across other words («СМТИ экспертлари Институт»)
            if key(w) in heads and skeleton(tokens[k + 1].text, lang) not in under \
                    and not _capitalised(tokens[k + 1].text):
                break  # another institution's name ends here, unless this one is «under» it
            if _capitalised(w) or w.isupper() or _INITIAL.match(w):
                if k in sentence_first and (key(w) in lowercase_keys or (inflected and inflected(w)
                                                                          and key(w) not in proper)):
                    break  # a common word opening the sentence: «Konferensiya ...», «Іс-шараны ...»
                start, lower_run = k, 0
            elif skeleton(w, lang) in links or w.islower():
                lower_run += sk not in conjunctions
                if lower_run > 3:
                    break
            k -= 1
        if start is not None:
            out.append((start, h + 1))
    return out
