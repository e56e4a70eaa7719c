"""Generated reports for the agenda and briefing tests, with changes planted between two periods.

Reports come in twins: report i of the first period and report i of the second share their
organiser, participants, topics and wording and differ only in their date and in what a corpus
plants. A corpus without plants is one in which nothing changed. Plants (all of this file's own
composition):
- a direction raised at many more events in the second period (with institutions of more countries);
- a direction frequent in the first period and gone in the second (and on a session's agenda);
- a framework discussed at several second-period events only;
- a phrase no vocabulary knows, near words of cooperation, in several second-period reports of
  different organisers (the new direction), and another in reports of one organiser only.
"""
from __future__ import annotations

import copy
import random
from dataclasses import dataclass, field, replace
from pathlib import Path

RU_MONTHS = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
             "ноября", "декабря"]
EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]
CITIES = {"KZ": ("Алматы", "Almaty"), "UZ": ("Ташкенте", "Tashkent"), "KG": ("Бишкеке", "Bishkek"),
          "TJ": ("Душанбе", "Dushanbe"), "TM": ("Ашхабаде", "Ashgabat")}
TYPES = [("круглый стол", "круглого стола", "состоялся"), ("экспертный семинар", "семинара", "состоялся"),
         ("научная конференция", "конференции", "состоялась")]
TYPES_EN = ["round table", "expert seminar", "conference"]
TITLES = ["Региональная повестка: взгляд экспертов", "Центральная Азия после пандемии", "Соседство и доверие",
          "Экономика региона в новых условиях", "Пять стран — общие задачи", "Открытый регион",
          "Диалог аналитических сообществ", "Горизонты добрососедства"]
TITLES_EN = ["Regional Agenda: An Expert View", "Central Asia after the Pandemic", "Neighbourhood and Trust",
             "Five Countries, Shared Tasks"]
TOPIC_LEADS = ["Участники обсудили такие темы, как {t}.", "В центре дискуссии оказались такие вопросы, как {t}.",
               "Повестка встречи включала такие темы, как {t}."]
TOPIC_LEADS_EN = ["The participants discussed {t}.", "The discussion focused on {t}."]
# Sentences near words of cooperation that every period has alike (they must never look new).
STEADY = ["Стороны договорились укреплять сотрудничество в подготовке совместных докладов.",
          "Эксперты предложили развивать взаимодействие через обмен стажировками.",
          "Участники высказались за партнёрство в проведении полевых экспедиций.",
          "Отмечена польза сотрудничества в сфере открытых данных.",
          "Приоритетом взаимодействия названа сопоставимость национальной статистики."]
STEADY_EN = ["The sides agreed to deepen cooperation on joint reports.",
             "Experts proposed a partnership on open data."]
CLOSING = ["Материалы встречи войдут в ежегодный аналитический сборник.", "Модератор подвёл итоги встречи.",
           "Дискуссия прошла в конструктивном ключе.", "Следующую встречу планируется провести осенью."]
SPEAKERS = [("Айдана", "Серикова", "f"), ("Отабек", "Рашидов", "m"), ("Зарина", "Шарипова", "f"),
            ("Нурлан", "Абдыкалыков", "m"), ("Мехри", "Давлатова", "f"), ("Бекзод", "Юлдашев", "m")]
SPEAKERS_EN = [("Aidana", "Serikova"), ("Otabek", "Rashidov"), ("Zarina", "Sharipova")]

# The new direction, worded differently in each report (never the same sentence twice in a row).
NEW_PHRASE = ["Участники предложили развивать сотрудничество в сфере зелёного водорода.",
              "Отдельное внимание уделено партнёрству в производстве зелёного водорода.",
              "Эксперты назвали зелёный водород перспективным направлением взаимодействия.",
              "Обсуждались совместные проекты по зелёному водороду и их финансирование.",
              "Прозвучал призыв наладить кооперацию в области зелёного водорода.",
              "Зелёный водород предложено сделать приоритетом регионального сотрудничества."]
ONE_ORGANISER_PHRASE = ["Организаторы предложили расширить сотрудничество в области креативной экономики.",
                        "Креативная экономика названа новым направлением взаимодействия."]
FRAMEWORK = ["Отдельно обсуждались перспективы взаимодействия в рамках ШОС.",
             "Участники рассмотрели итоги председательства в Шанхайской организации сотрудничества."]


@dataclass
class Doc:
    name: str
    date: str
    lang: str
    organiser: str
    participants: list
    directions: list  # direction ids named in the topics sentence
    extra: list = field(default_factory=list)  # planted sentences
    title: str | None = None  # the event's name, instead of one of TITLES


def hosts(registry) -> dict[str, list]:
    """Think tanks and universities of the five countries, by country, in a stable order."""
    by: dict[str, list] = {}
    for inst in sorted(registry.institutions.values(), key=lambda i: i.id):
        if inst.kind in ("think_tank", "university", "academy") and inst.country in CITIES and inst.name.get("ru") \
                and inst.name.get("en"):
            by.setdefault(inst.country, []).append(inst)
    return by


BASE_TOPICS = ["trade", "transport_logistics", "education_science", "energy", "tourism", "digital_innovation",
               "agriculture_food", "security"]


def plan(registry, year: int, twins: int, seed: int, planted: bool, english: int = 2) -> list[Doc]:
    """Twin reports for the first and second half of `year`; with `planted`, the changes above."""
    rng = random.Random(seed)
    by = hosts(registry)
    countries = sorted(by)
    docs = []
    for i in range(twins):
        home = countries[i % len(countries)]
        org = by[home][(i // len(countries)) % len(by[home])]
        # participants from one to three other countries, the same for both twins
        others = [c for c in countries if c != home]
        rng.shuffle(others)
        k = 1 + i % 3
        participants = [by[c][rng.randrange(len(by[c]))].id for c in others[:k]]
        topics = [BASE_TOPICS[i % len(BASE_TOPICS)], BASE_TOPICS[(i * 3 + 1) % len(BASE_TOPICS)]]
        topics = list(dict.fromkeys(topics))
        lang = "en" if i >= twins - english else "ru"
        for half in (1, 2):
            month = (i % 6) + 1 + (6 if half == 2 else 0)
            date = f"{year}-{month:02d}-{3 + (i * 5) % 24:02d}"
            docs.append(Doc(f"{year}-h{half}-{i:02d}-{lang}.txt", date, lang, org.id, participants, list(topics)))
    if planted:
        first = [d for d in docs if "-h1-" in d.name]
        second = [d for d in docs if "-h2-" in d.name]
        ru_second = [d for d in second if d.lang == "ru"]
        # water: one first-period event, most second-period ones, with the widest participation
        first[0].directions.append("water")
        for d in second[:len(second) - 3]:
            d.directions.append("water")
        # borders: frequent in the first period (and on the session's agenda), gone in the second
        for d in first[1:9]:
            d.directions.append("borders")
        # the SCO: discussed at second-period events only
        for j, d in enumerate(ru_second[2:9]):
            d.extra.append(FRAMEWORK[j % len(FRAMEWORK)])
        # the new direction: six second-period reports of six different organisers
        chosen, seen = [], set()
        for d in ru_second:
            if d.organiser not in seen:
                chosen.append(d)
                seen.add(d.organiser)
        for j, d in enumerate(chosen[:6]):
            d.extra.append(NEW_PHRASE[j])
        # a phrase of one organiser only: recurring, but no new direction
        lone = ru_second[-1].organiser
        for j, d in enumerate([d for d in ru_second if d.organiser == lone][:1]):
            d.extra.append(ONE_ORGANISER_PHRASE[j])
        for j in range(3):  # the same organiser's three more reports
            extra = Doc(f"{year}-h2-lone-{j}.txt", f"{year}-{9 + j:02d}-2{j}", "ru", lone, [],
                        ["tourism"], [ONE_ORGANISER_PHRASE[(j + 1) % 2]])
            twin = Doc(f"{year}-h1-lone-{j}.txt", f"{year}-{3 + j:02d}-2{j}", "ru", lone, [], ["tourism"])
            docs += [extra, twin]
    return docs


def compose(doc: Doc, registry, seed: int) -> str:
    """The report's text. Twins (same seed) get the same wording."""
    rng = random.Random(seed)
    org = registry.institutions[doc.organiser]
    parts = [registry.institutions[p] for p in doc.participants]
    cues = registry.cues["directions"]
    topics = [cues[d][doc.lang][rng.randrange(min(3, len(cues[d][doc.lang])))] for d in doc.directions]
    y, m, d = (int(x) for x in doc.date.split("-"))
    if doc.lang == "en":
        noun = rng.choice(TYPES_EN)
        title = doc.title or rng.choice(TITLES_EN)
        first, last = rng.choice(SPEAKERS_EN)
        paras = [title,
                 f"On {d} {EN_MONTHS[m - 1]} {y}, the {org.name['en']} hosted a {noun} “{title}” in {CITIES[org.country][1]}.",
                 (f"Representatives of the {', the '.join(p.name['en'] for p in parts)} took part." if parts else ""),
                 rng.choice(TOPIC_LEADS_EN).format(t=" and ".join(topics)),
                 *doc.extra,
                 rng.choice(STEADY_EN),
                 f"{first} {last} noted that the region needs shared solutions."]
        return "\n\n".join(p for p in paras if p) + "\n"
    noun, gen, held = rng.choice(TYPES)
    title = doc.title or rng.choice(TITLES)
    first, last, g = rng.choice(SPEAKERS)
    verb = rng.choice(["отметил", "подчеркнул"]) + ("а" if g == "f" else "")
    date = rng.choice([f"{d} {RU_MONTHS[m - 1]} {y} года", f"{d:02d}.{m:02d}.{y}"])
    lead = rng.choice([f"{date} в {CITIES[org.country][0]} {held} {noun} «{title}». Организатор — {org.name['ru']}.",
                       f"{date} {held} {noun} «{title}». Организатор мероприятия — {org.name['ru']}."])
    paras = [f"{noun.capitalize()} «{title}»", lead,
             (f"В работе {gen} приняли участие представители следующих организаций: "
              f"{', '.join(p.name['ru'] for p in parts)}." if parts else ""),
             rng.choice(TOPIC_LEADS).format(t=" и ".join(topics)),
             *doc.extra,
             rng.choice(STEADY),
             f"Эксперт {first} {last} {verb}, что региону нужны общие решения.",
             rng.choice(CLOSING)]
    return "\n\n".join(p for p in paras if p) + "\n"


def write(docs: list[Doc], registry, folder: Path, seed: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for doc in docs:
        twin_seed = seed * 1000 + int(doc.name.split("-")[2]) if doc.name.split("-")[2].isdigit() else seed
        (folder / doc.name).write_text(compose(doc, registry, twin_seed), encoding="utf-8")


class Memo:
    """The session's extractor, remembering what it extracted: the same reports go into SQLite and
    PostgreSQL, and natasha need not read them twice."""

    _cache: dict = {}

    def __init__(self, extractor) -> None:
        self.extractor = extractor
        self.registry = extractor.registry

    def extract_with_keys(self, text):
        key = text.raw
        if key not in self._cache:
            self._cache[key] = self.extractor.extract_with_keys(text)
        record, keys = self._cache[key]
        return copy.deepcopy(record), list(keys)

    def extraction(self, text, sha256=None):
        """pipeline.Extractor.extraction, remembered (the ingest stage's call)."""
        key = ("extraction", text.raw, sha256)
        if key not in self._cache:
            self._cache[key] = self.extractor.extraction(text, sha256)
        done = self._cache[key]
        return replace(done, record=copy.deepcopy(done.record))
