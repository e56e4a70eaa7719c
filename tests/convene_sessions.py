"""Varied sessions of the expert dialogue, generated for tests: organisers and participants from
the registry's think tanks, universities and academies, speakers with names of the region, each
contribution composed from phrases of the directions, threats and frameworks the registry knows,
and outcomes of every kind. The text is composed here, not copied from any report."""
from __future__ import annotations

import random

FIRST = {"m": ["Азамат", "Бахтиёр", "Данияр", "Ерлан", "Жахонгир", "Канат", "Мурат", "Нурлан", "Рустам",
               "Санжар", "Тимур", "Улугбек", "Фаррух", "Шухрат", "Алишер", "Бекзод", "Достон"],
         "f": ["Айгерим", "Гульнара", "Дилноза", "Жанна", "Камила", "Мадина", "Нигора", "Сабина", "Асель",
               "Зарина", "Малика", "Шахноза", "Динара"]}
LAST = {"m": ["Абдуллаев", "Бекмуратов", "Жумабаев", "Исмаилов", "Касымов", "Муминов", "Назаров", "Рахимов",
              "Сатпаев", "Турсунов", "Юсупов", "Хакимов", "Шарипов", "Ахмедов", "Ташкентбаев", "Сулейменов"],
        "f": ["Абдуллаева", "Бекмуратова", "Жумабаева", "Исмаилова", "Касымова", "Муминова", "Назарова",
              "Рахимова", "Турсунова", "Юсупова", "Хакимова", "Шарипова", "Ахмедова", "Сулейменова"]}

DIRECTIONS = {
    "trade": "торгово-экономическое сотрудничество",
    "transport_logistics": "развитие транспортно-логистических коридоров",
    "energy": "энергетическое сотрудничество",
    "water": "рациональное использование водных ресурсов",
    "tourism": "развитие туризма",
    "education_science": "академические обмены и сотрудничество в сфере образования",
    "digital_innovation": "цифровизация экономики",
    "industry": "промышленная кооперация",
    "agriculture_food": "сотрудничество в сельском хозяйстве",
    "health": "взаимодействие в здравоохранении",
    "people_diplomacy": "культурно-гуманитарные связи",
}
THREATS = {"terrorism_extremism": "терроризм и экстремизм", "drug_trafficking": "наркотрафик",
           "cyber": "киберугрозы"}
FRAMEWORKS = {"sco": "ШОС", "eaeu": "ЕАЭС", "cis": "СНГ", "carec": "ЦАРЭС"}
OUTCOMES = [("commitment", "проводить подобные онлайн-дискуссии на регулярной основе",
             "hold such online discussions on a regular basis"),
            ("recommendation", "создать постоянную экспертную площадку для обмена данными о водных ресурсах",
             "set up a permanent expert platform to share water data"),
            ("agreement", "подготовить совместный аналитический доклад к следующей встрече",
             "prepare a joint analytical report for the next meeting"),
            ("assessment", "продуктивность состоявшегося диалога", "the productive dialogue"),
            ("commitment", "расширять академические обмены между аналитическими центрами региона",
             "expand academic exchanges between the region's think tanks"),
            ("recommendation", "включить вопросы цифровизации в повестку следующего заседания",
             "put digitalisation on the agenda of the next meeting")]
TITLES = [("Центральная Азия: новые возможности регионального партнерства",
           "Central Asia: new opportunities for regional partnership"),
          ("Региональная связанность и устойчивое развитие Центральной Азии",
           "Regional connectivity and sustainable development of Central Asia"),
          ("Водно-энергетический баланс региона: поиск общих решений",
           "The region's water and energy balance: looking for common solutions"),
          ("Перспективы экономической интеграции стран региона", "Prospects for the region's economic integration"),
          ("Транспортные коридоры Центральной Азии в меняющемся мире",
           "Transport corridors of Central Asia in a changing world"),
          ("Центральная Азия в 2030 году: сценарии сотрудничества", "Central Asia in 2030: scenarios of cooperation")]
TYPES = ["round_table", "conference", "seminar", "forum", "round_table"]

EN = {
    "first": ["Aigerim", "Bakhtiyor", "Dilnoza", "Yerlan", "Kamila", "Madina", "Rustam", "Sanjar", "Timur",
              "Zarina", "Nodir", "Asel"],
    "last": ["Abdullayev", "Bekmuratova", "Ismailov", "Kasymova", "Nazarov", "Rakhimova", "Tursunov", "Yusupova",
             "Khakimov", "Akhmedova", "Suleimenov"],
    "directions": {"trade": "trade and economic cooperation", "energy": "energy cooperation",
                   "water": "water resources management", "tourism": "tourism",
                   "transport_logistics": "transport corridors", "education_science": "academic exchanges",
                   "digital_innovation": "the digital economy", "health": "public health"},
    "threats": {"terrorism_extremism": "terrorism", "drug_trafficking": "drug trafficking",
                "cyber": "cyber threats"},
    "frameworks": {"sco": "the SCO", "eaeu": "the EAEU", "cis": "the CIS"},
    "outcomes": [("commitment", "hold such online discussions on a regular basis"),
                 ("recommendation", "set up a permanent expert platform on water data"),
                 ("agreement", "prepare a joint analytical report for the next meeting")],
    "titles": ["Central Asia: new opportunities for regional partnership",
               "Regional connectivity and sustainable development in Central Asia",
               "Prospects for economic integration in the region"],
}
KINDS = ("think_tank", "university", "academy")


def pool(registry) -> list:
    return [i for i in registry.institutions.values()
            if i.kind in KINDS and i.country in ("KZ", "UZ", "KG", "TJ", "TM") and i.name.get("ru")]


def contribution(rng: random.Random, dirs: list[str], threat: str | None, framework: str | None) -> str:
    parts = [f"По мнению выступающего, приоритетами остаются {DIRECTIONS[dirs[0]]}"
             + (f" и {DIRECTIONS[dirs[1]]}" if len(dirs) > 1 else "") + "."]
    if threat:
        parts.append(f"Серьезной угрозой для региона остается {THREATS[threat]}.")
    if framework:
        parts.append(f"Важно учитывать опыт взаимодействия в рамках {FRAMEWORKS[framework]}.")
    return " ".join(parts)


def contribution_en(rng: random.Random, dirs: list[str], threat: str | None, framework: str | None) -> str:
    d = EN["directions"]
    parts = [f"In the speaker's view, the priorities remain {d[dirs[0]]}" + (f" and {d[dirs[1]]}" if len(dirs) > 1
                                                                           else "") + "."]
    if threat:
        parts.append(f"{EN['threats'][threat].capitalize()} remains a serious threat to the region.")
    if framework:
        parts.append(f"The experience of cooperation within {EN['frameworks'][framework]} matters.")
    return " ".join(parts)


def make_session(store, registry, tagger, rng: random.Random, n: int, lang: str = "ru") -> int:
    from kurultai.convene import sessions as S
    if lang == "en":
        return _make_en(S, store, registry, tagger, rng, n)
    insts = pool(registry)
    rng.shuffle(insts)
    organizer, others = insts[0], insts[1:1 + rng.randint(2, 4)]
    fmt = rng.choice(["online", "offline", "hybrid"])
    title, title_en = rng.choice(TITLES)
    sid = S.create_session(store, registry, title=title, title_other=title_en, starts=f"2025-{rng.randint(1, 12):02d}-"
                           f"{rng.randint(1, 28):02d} {rng.randint(9, 17)}:00", tz="Asia/Almaty", format=fmt,
                           link="https://meet.example.org/s" + str(n) if fmt != "offline" else None,
                           venue="Алматы" if fmt != "online" else None, organizer=organizer.name["ru"],
                           type=rng.choice(TYPES))
    for inst in others[: rng.randint(0, len(others))]:
        inv = S.invite(store, registry, sid, inst.name["ru"], kind="org")
        S.set_invitation_status(store, sid, inv["id"], "accepted")
    used = set()
    for k in range(rng.randint(2, 4)):
        g = rng.choice("mf")
        name = f"{rng.choice(FIRST[g])} {rng.choice(LAST[g])}"
        if name in used:
            continue
        used.add(name)
        inst = rng.choice(others + [organizer])
        dirs = rng.sample(sorted(DIRECTIONS), rng.randint(1, 2))
        text = contribution(rng, dirs, rng.choice([None, None, *THREATS]), rng.choice([None, *FRAMEWORKS]))
        S.add_contribution(store, registry, sid, speaker=name, institution=inst.name["ru"], text=text, tagger=tagger)
    for kind, text, text_en in rng.sample(OUTCOMES, rng.randint(1, 3)):
        S.add_outcome(store, sid, kind, text, text_other=text_en)
    return sid


def _make_en(S, store, registry, tagger, rng: random.Random, n: int) -> int:
    insts = [i for i in pool(registry) if i.name.get("en")]
    rng.shuffle(insts)
    organizer, others = insts[0], insts[1:1 + rng.randint(2, 3)]
    fmt = rng.choice(["online", "offline", "hybrid"])
    sid = S.create_session(store, registry, title=rng.choice(EN["titles"]), starts=f"2025-{rng.randint(1, 12):02d}-"
                           f"{rng.randint(1, 28):02d} 10:00", tz="Asia/Tashkent", format=fmt,
                           link=f"https://meet.example.org/e{n}" if fmt != "offline" else None,
                           venue="Tashkent" if fmt != "online" else None, organizer=organizer.name["en"],
                           type=rng.choice(TYPES), language="en")
    for inst in others[: rng.randint(0, len(others))]:
        inv = S.invite(store, registry, sid, inst.name["en"], kind="org")
        S.set_invitation_status(store, sid, inv["id"], "accepted")
    used = set()
    for _ in range(rng.randint(2, 3)):
        name = f"{rng.choice(EN['first'])} {rng.choice(EN['last'])}"
        if name in used:
            continue
        used.add(name)
        inst = rng.choice(others + [organizer])
        dirs = rng.sample(sorted(EN["directions"]), rng.randint(1, 2))
        text = contribution_en(rng, dirs, rng.choice([None, *EN["threats"]]), rng.choice([None, *EN["frameworks"]]))
        S.add_contribution(store, registry, sid, speaker=name, institution=inst.name["en"], text=text, tagger=tagger)
    for kind, text in rng.sample(EN["outcomes"], rng.randint(1, 2)):
        S.add_outcome(store, sid, kind, text)
    return sid
