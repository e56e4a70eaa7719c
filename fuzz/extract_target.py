"""Fuzz target: the extractor over arbitrary text.

    python fuzz/extract_target.py -runs=2000

The text mixes arbitrary characters with words and marks the rules react to (names of
institutions and people, dates, cue verbs, quotes, line breaks). Extraction never raises, and
every span of the record (mentions, evidence, outcomes) lies inside the text and reproduces the
characters it quotes.
"""
from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["kurultai"]):
    from kurultai.pipeline import Extractor
    from kurultai.read import Text

WORDS = ["круглый", "стол", "состоялся", "18", "августа", "2024", "года", "в", "Астане", "ИМЭП", "КИСИ", "ИСМИ",
         "«", "»", "(", ")", "-", "—", ",", ".", "\n", "\n\n", "\r\n", "  ", "\u00a0", "при", "Президенте",
         "Республики", "Казахстан", "Узбекистан", "эксперт", "Мурад", "Узаков", "Б.Каримов", "отметил", "угрозы",
         "изменение", "климата", "участники", "договорились", "подписали", "меморандум", "вчера", "накануне",
         "on", "Thursday", "the", "Institute", "for", "Strategic", "Studies", "hosted", "webinar", "said", "K.",
         "Saidov", "т.г.", "C5+1", "ШОС", "ЕАЭС", "Средний", "коридор", "😀", "שלום", "\t", "транспортно-",
         "логистический", "Организаторами", "выступили", "на", "тему", "форум", "саммит", "визит", "онлайн",
         "Ташкенте", "Душанбе", "Бишкек", "13.05.2023", "2023-05-13", "мая", "май", "\u00ad", "\u200b", ":", ";"]

EXTRACTOR = None


def text_of(data: bytes) -> str:
    provider = atheris.FuzzedDataProvider(data)
    parts = []
    while provider.remaining_bytes():
        if provider.ConsumeIntInRange(0, 3):
            parts.append(WORDS[provider.ConsumeIntInRange(0, len(WORDS) - 1)])
        else:
            parts.append(provider.ConsumeUnicode(provider.ConsumeIntInRange(1, 8)))
        parts.append(" " if provider.ConsumeBool() else "")
    return "".join(parts)


def spans(record: dict) -> list[dict]:
    out = [m for o in record["organizations"] for m in o["mentions"]]
    out += [m for p in record["persons"] for m in p["mentions"]]
    for event in record["events"]:
        out += event["evidence"] + event["outcomes"]
    return out


def test_one_input(data: bytes) -> None:
    raw = text_of(data)
    record = EXTRACTOR.extract(Text(raw, "fuzz.txt", {}))
    for span in spans(record):
        start, end = span["start"], span["end"]
        if not 0 <= start <= end <= len(raw):
            raise AssertionError(f"span {start}-{end} outside a text of {len(raw)}: {raw!r}")
        if "text" in span and raw[start:end] != span["text"]:
            raise AssertionError(f"span {start}-{end} quotes {span['text']!r}, the text has {raw[start:end]!r}")


def main(argv: list[str]) -> None:
    global EXTRACTOR
    EXTRACTOR = Extractor()
    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
