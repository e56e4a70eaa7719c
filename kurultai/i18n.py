"""The interface in Russian and English: its strings, the labels of the contract's ids, and dates.

Strings and labels live in `i18n.yaml` (the event types' in `vocabulary.yaml`); frameworks and countries are labelled from the registry,
which already names them in both languages.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

import yaml

from .vocabulary import vocabularies

LANGS = ("ru", "en")
DEFAULT_LANG = "ru"
# libyaml's parser when PyYAML has it: i18n.yaml is read by every application and command that
# speaks (about 0.5 s with the pure-Python parser, 0.05 s with libyaml; the same data)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
VOCABULARIES = ("event_types", "formats", "directions", "threats", "outcome_kinds", "roles", "languages")


@dataclass(frozen=True)
class Labels:
    """Everything the interface says, in each language; loaded once per application."""

    ui: dict
    vocab: dict  # vocabulary -> id -> {lang: label}
    months: dict
    errors: tuple = ()  # (pattern, {lang: template}) of the error catalogue, in order
    terms: dict = None  # id or field name -> {lang: word}, for the values an error message quotes

    @classmethod
    def load(cls, registry=None) -> "Labels":
        data = yaml.load((resources.files(__package__) / "i18n.yaml").read_text(encoding="utf-8"), Loader=_LOADER)
        vocab = {name: dict(data.get(name) or vocabularies().get(name) or {}) for name in VOCABULARIES}
        vocab["frameworks"] = {}
        vocab["countries"] = {}
        if registry is not None:
            for fid, entry in registry.frameworks.items():
                vocab["frameworks"][fid] = dict(entry.get("label") or {})
            for code, country in registry.countries.items():
                vocab["countries"][code] = dict(country.name)
        terms = {k: v for table in vocab.values() for k, v in table.items() if isinstance(v, dict)}
        terms.update(data.get("error_terms") or {})
        errors = tuple((_pattern(e["en"]), e) for e in data.get("errors") or ())
        return cls(data["ui"], vocab, data["months"], errors, terms)

    def error(self, message: str, lang: str) -> str:
        """An error message (English, as the API and the CLI give it) in `lang`, from the `errors`
        catalogue: the values it quotes stay as they are, ids and field names among them are named
        in `lang`. A message prefixed by a file or field name ('report.pdf: empty file') is
        translated after its prefix. A message the catalogue lacks is given as it is."""
        if lang == "en" or not message:
            return message
        if message.count(" parameter '") > 1 and "; " in message:  # several refused values, each said alike
            return "; ".join(self.error(part, lang) for part in message.split("; "))
        head, sep, rest = message.partition(": ")
        if sep and head in self.terms and (translated := self.error(rest, lang)) != rest:
            return f"{self._term(head, lang)}: {translated}"
        for pattern, entry in self.errors:
            m = pattern.fullmatch(message)
            if m and entry.get(lang):
                return entry[lang].format(**{k: self._term(v, lang) for k, v in m.groupdict().items()})
        if sep and (translated := self.error(rest, lang)) != rest:
            return f"{head}: {translated}"
        return message

    def _term(self, value: str, lang: str) -> str:
        """A value quoted by an error: each comma-separated id or field name it holds, in `lang`."""
        def one(v):
            entry = self.terms.get(v.strip())
            return (entry.get(lang) or v) if entry else v
        return ", ".join(one(v) for v in value.split(", "))

    def t(self, key: str, lang: str, **values) -> str:
        entry = self.ui.get(key)
        text = (entry.get(lang) or entry.get("en")) if entry else key
        return text.format(**values) if values else text

    def label(self, vocabulary: str, value, lang: str) -> str:
        entry = self.vocab.get(vocabulary, {}).get(value)
        if not entry:
            return str(value)
        return entry.get(lang) or entry.get("en") or entry.get("ru") or str(value)

    def table(self, vocabulary: str, lang: str) -> dict[str, str]:
        return {k: self.label(vocabulary, k, lang) for k in self.vocab.get(vocabulary, {})}

    def date(self, value: str | None, lang: str) -> str:
        """'2018-11-20' -> '20 ноября 2018 г.' / '20 November 2018'; '--11-20', '2018-11', '2018' too."""
        if not value:
            return self.t("no_date", lang)
        m = re.fullmatch(r"(\d{4})(?:-(\d\d))?(?:-(\d\d))?|--(\d\d)-(\d\d)", value)
        if not m:
            return value
        year, month, day = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (None, m.group(4), m.group(5))
        if month and not 1 <= int(month) <= 12:
            return value
        if month is None:
            return f"{year} г." if lang == "ru" and year else (year or value)
        mi = int(month) - 1
        if day:
            if lang == "ru":
                out = f"{int(day)} {self.months['ru_genitive'][mi]}"
                return f"{out} {year} г." if year else f"{out} ({self.t('year_unknown', lang)})"
            out = f"{int(day)} {self.months['en'][mi]}"
            return f"{out} {year}" if year else f"{out} ({self.t('year_unknown', lang)})"
        name = self.months["ru" if lang == "ru" else "en"][mi]
        return f"{name} {year} г." if lang == "ru" else f"{name} {year}"

    def month(self, yyyy_mm: str, lang: str, short: bool = True) -> str:
        """'2024-03' -> 'мар 2024' / 'Mar 2024'."""
        year, month = yyyy_mm[:4], int(yyyy_mm[5:7])
        names = self.months[("ru" if lang == "ru" else "en") + ("_short" if short else "")]
        return f"{names[month - 1]} {year}"


def _pattern(template: str) -> re.Pattern:
    """'{field}: {n} characters' -> a regex whose named groups take the values."""
    parts = re.split(r"\{(\w+)\}", template)
    return re.compile("".join(re.escape(p) if k % 2 == 0 else f"(?P<{p}>.+?)" for k, p in enumerate(parts)), re.S)


def choose_lang(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    """The language asked for in the URL, else the one chosen before, else the browser's."""
    for value in (query, cookie):
        if value in LANGS:
            return value
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGS:
            return code
    return DEFAULT_LANG
