"""Generated reports for benchmarks and tests, with the record each should yield.

Each document is a Russian or English report of one round table, conference, forum or seminar,
organised by one or two think tanks or universities of the registry, on one or two directions of
cooperation named with the phrases of cues.yaml. Sentence order, date formats, headers and
filler vary; the same seed gives the same corpus. `ground_truth.jsonl` holds, per document:
file, lang, type, date, organizers (registry ids), countries and directions.

    kurultai bench corpus --docs 300 --out /tmp/corpus --seed 7
"""
from __future__ import annotations

import json
import random
from dataclasses import asdict, dataclass
from pathlib import Path

from ..knowledge.registry import Registry

ORGANISER_KINDS = ("think_tank", "university", "academy")
TYPES = {  # type -> ru noun, its gender (for the verb), en noun
    "round_table": ("круглый стол", "m", "round table"),
    "conference": ("международная конференция", "f", "international conference"),
    "forum": ("экспертный форум", "m", "expert forum"),
    "seminar": ("семинар", "m", "seminar"),
}
CITIES = {  # country -> (ru nominative, ru prepositional, en)
    "KZ": [("Астана", "Астане", "Astana"), ("Алматы", "Алматы", "Almaty")],
    "UZ": [("Ташкент", "Ташкенте", "Tashkent"), ("Самарканд", "Самарканде", "Samarkand")],
    "KG": [("Бишкек", "Бишкеке", "Bishkek")],
    "TJ": [("Душанбе", "Душанбе", "Dushanbe")],
    "TM": [("Ашхабад", "Ашхабаде", "Ashgabat")],
}
MONTHS_RU = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
             "ноября", "декабря"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]
PEOPLE = {  # first name, surname (ru / en), gender
    "ru": [("Айгерим", "Садыкова", "f"), ("Тимур", "Ахмедов", "m"), ("Нодира", "Юсупова", "f"),
           ("Бахтияр", "Рахимов", "m"), ("Гульнара", "Асанова", "f"), ("Фаррух", "Назаров", "m"),
           ("Дильноза", "Каримова", "f"), ("Ерлан", "Нуржанов", "m"), ("Мадина", "Исмаилова", "f"),
           ("Руслан", "Токтогулов", "m")],
    "en": [("Aigerim", "Sadykova", "f"), ("Timur", "Akhmedov", "m"), ("Nodira", "Yusupova", "f"),
           ("Bakhtiyar", "Rakhimov", "m"), ("Gulnara", "Asanova", "f"), ("Farrukh", "Nazarov", "m"),
           ("Dilnoza", "Karimova", "f"), ("Yerlan", "Nurzhanov", "m"), ("Madina", "Ismailova", "f"),
           ("Ruslan", "Toktogulov", "m")],
}
TITLES = {
    "ru": ["Центральная Азия в меняющемся мире", "Региональное сотрудничество: новые горизонты",
           "Центральная Азия – {year}: вызовы и возможности", "Повестка регионального диалога",
           "Экспертный взгляд на будущее региона"],
    "en": ["Central Asia in a Changing World", "Regional Cooperation: New Horizons",
           "Central Asia {year}: Challenges and Opportunities", "The Agenda of Regional Dialogue",
           "An Expert View of the Region's Future"],
}
HEADERS = {
    "ru": ["Главная   Новости   Мероприятия   Контакты\n", "НОВОСТИ ИНСТИТУТА\n", "Пресс-релиз\n", ""],
    "en": ["Home   News   Events   Contacts\n", "INSTITUTE NEWS\n", "Press release\n", ""],
}
FILLER = {
    "ru": ["Участники отметили значение регулярного экспертного диалога между странами региона.",
           "Эксперты обменялись мнениями о перспективах взаимодействия на ближайшие годы.",
           "По мнению участников, практические шаги должны опираться на согласованные подходы.",
           "Дискуссия прошла в открытом и конструктивном формате.",
           "Отдельное внимание было уделено подготовке молодых исследователей.",
           "Материалы обсуждения будут опубликованы в сборнике статей.",
           "Ряд выступлений был посвящен опыту соседних государств.",
           "Модератор предложил продолжить обсуждение в онлайн-формате.",
           "Собравшиеся сошлись во мнении, что статистика региона нуждается в сопоставимости.",
           "Прозвучали предложения о совместных полевых исследованиях.",
           "В кулуарах обсуждались планы будущих публикаций."],
    "en": ["Participants noted the value of a regular expert dialogue among the countries of the region.",
           "The experts exchanged views on the prospects of cooperation in the coming years.",
           "In the participants' view, practical steps should rest on agreed approaches.",
           "The discussion was open and constructive.",
           "Particular attention was paid to training young researchers.",
           "The proceedings will be published as a collection of papers.",
           "Several speakers drew on the experience of neighbouring states.",
           "The moderator suggested continuing the conversation online.",
           "Those present agreed that the region's statistics need to be comparable.",
           "Proposals for joint field research were put forward.",
           "Plans for future publications were discussed on the sidelines."],
}
CLAIMS = {
    "ru": ["вопрос «{topic}» требует совместных решений и регулярного обмена данными.",
           "по теме «{topic}» страны региона уже накопили заметный опыт взаимодействия.",
           "направление «{topic}» остается одним из приоритетов на среднесрочную перспективу.",
           "в сфере «{topic}» необходимы общие стандарты и прозрачные правила.",
           "без доверия между экспертными сообществами прогресс в области «{topic}» невозможен.",
           "тема «{topic}» заслуживает отдельной рабочей группы с участием всех пяти государств."],
    "en": ["{topic} calls for joint solutions and a regular exchange of data.",
           "the countries of the region already share notable experience in {topic}.",
           "{topic} remains a priority for the medium term.",
           "{topic} needs common standards and transparent rules.",
           "progress in {topic} is impossible without trust between expert communities.",
           "{topic} deserves a working group with all five states on board."],
}
FOOTERS = {"ru": ["", "\nПресс-служба института", "\nПодписывайтесь на наш Telegram-канал."],
           "en": ["", "\nPress office", "\nFollow us on Telegram."]}


@dataclass(frozen=True, slots=True)
class Truth:
    file: str
    lang: str
    type: str
    date: str
    organizers: list
    countries: list
    directions: list


def generate(n: int, out: Path, seed: int = 7, registry: Registry | None = None) -> list[Truth]:
    """Write `n` reports and ground_truth.jsonl into `out`; returns the ground truth."""
    registry = registry or Registry.load()
    rng = random.Random(seed)
    hosts = sorted((i for i in registry.institutions.values()
                    if i.kind in ORGANISER_KINDS and i.country in CITIES and i.name.get("ru") and i.name.get("en")),
                   key=lambda i: i.id)
    directions = registry.cues["directions"]
    out.mkdir(parents=True, exist_ok=True)
    truths = []
    for k in range(n):
        lang = "ru" if rng.random() < 0.6 else "en"
        type_ = rng.choice(sorted(TYPES))
        orgs = rng.sample(hosts, rng.choice((1, 1, 2)))
        date = f"{rng.randint(2018, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        dirs = rng.sample(sorted(directions), rng.choice((1, 2)))
        phrases = [rng.choice(directions[d][lang]) for d in dirs]
        text = (_ru if lang == "ru" else _en)(rng, type_, orgs, date, phrases)
        name = f"gen-{k:05d}-{lang}.txt"
        (out / name).write_text(text, encoding="utf-8")
        countries = sorted({o.country for o in orgs})
        truths.append(Truth(name, lang, type_, date, [o.id for o in orgs], countries, sorted(dirs)))
    with open(out / "ground_truth.jsonl", "w", encoding="utf-8") as f:
        for t in truths:
            f.write(json.dumps(asdict(t), ensure_ascii=False) + "\n")
    return truths


def _date(rng: random.Random, date: str, lang: str) -> str:
    y, m, d = (int(x) for x in date.split("-"))
    if lang == "ru":
        return rng.choice((f"{d} {MONTHS_RU[m - 1]} {y} года", f"{d:02d}.{m:02d}.{y}"))
    return rng.choice((f"{d} {MONTHS_EN[m - 1]} {y}", f"{MONTHS_EN[m - 1]} {d}, {y}"))


def _speakers(rng: random.Random, lang: str, orgs, phrases: list[str]) -> list[str]:
    out = []
    for org, (first, last, gender) in zip(orgs * 2, rng.sample(PEOPLE[lang], rng.randint(2, 3))):
        short = org.short(lang) or org.label(lang)
        topic = rng.choice(phrases)
        if lang == "ru":
            verb = rng.choice(("отметил", "подчеркнул", "заявил")) + ("а" if gender == "f" else "")
            role = rng.choice(("Директор", "Главный научный сотрудник", "Эксперт", "Заместитель директора"))
            out.append(f"{role} {short} {first} {last} {verb}, что " + rng.choice(CLAIMS["ru"]).format(topic=topic))
        else:
            verb = rng.choice(("noted", "stressed", "said"))
            role = rng.choice(("Director", "Senior Fellow", "Expert", "Deputy Director"))
            out.append(f"{first} {last}, {role} of {short}, {verb} that " + rng.choice(CLAIMS["en"]).format(topic=topic))
    return out


def _ru(rng, type_, orgs, date, phrases) -> str:
    noun, gender, _ = TYPES[type_]
    city = rng.choice(CITIES[orgs[0].country])
    title = rng.choice(TITLES["ru"]).format(year=date[:4])
    held = "состоялась" if gender == "f" else "состоялся"
    names = " и ".join(o.label("ru") for o in orgs)
    lead = f"{_date(rng, date, 'ru')} в {city[1]} {held} {noun} «{title}»."
    who = rng.choice((f"Организаторы мероприятия — {names}." if len(orgs) > 1 else f"Организатор мероприятия — {names}.",
                      f"Мероприятие организовано при поддержке: {names}."))
    topics = f"Темы дискуссии: {', '.join(phrases)}."
    body = [lead, who, topics] if rng.random() < 0.5 else [lead, topics, who]
    paras = [" ".join(body)] + _speakers(rng, "ru", orgs, phrases) + rng.sample(FILLER["ru"], rng.randint(2, 4))
    header = rng.choice(HEADERS["ru"]) + f"{noun.capitalize()} «{title}»\n\n"
    return header + "\n\n".join(paras) + rng.choice(FOOTERS["ru"]) + "\n"


def _en(rng, type_, orgs, date, phrases) -> str:
    _, _, noun = TYPES[type_]
    city = rng.choice(CITIES[orgs[0].country])
    title = rng.choice(TITLES["en"]).format(year=date[:4])
    names = orgs[0].label("en")
    lead = rng.choice((f"On {_date(rng, date, 'en')}, the {names} hosted an {noun} “{title}” in {city[2]}."
                       if noun[0] in "aeiou" else
                       f"On {_date(rng, date, 'en')}, the {names} hosted a {noun} “{title}” in {city[2]}.",
                       f"A {noun} “{title}” was held in {city[2]} on {_date(rng, date, 'en')}, organised by the {names}."
                       .replace("A international", "An international").replace("A expert", "An expert")))
    topics = f"The discussion focused on {', '.join(phrases)}."
    co = [f"The event was co-organised by the {o.label('en')}." for o in orgs[1:]]
    paras = [" ".join([lead, *co, topics] if rng.random() < 0.5 else [lead, topics, *co])] + _speakers(rng, "en", orgs, phrases) + rng.sample(FILLER["en"], rng.randint(2, 4))
    header = rng.choice(HEADERS["en"]) + f"{title}\n\n"
    return header + "\n\n".join(paras) + rng.choice(FOOTERS["en"]) + "\n"
