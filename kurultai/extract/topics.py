"""What was discussed: directions of cooperation, threats and integration frameworks (earlier
events are in references.py).

All three come from phrase lists in the registry matched over lemmas. A cue inside an
institution's name ("Институт стратегических исследований") or in a sentence that describes an
institution rather than the event does not count. A threat counts only in a sentence that
names it a threat, challenge, risk or crisis, unless the phrase is a threat by itself."""
from __future__ import annotations


from ..knowledge.phrases import Match, phrase_keys
from .context import Context
from .events import Event, background_sentences, list_item_headline

def usable(ctx: Context, m) -> bool:
    """Whether a topic cue counts where it stands: not masked, not inside an institution's name
    (a framework's excepted), not in the page's header, not in a sentence describing the organiser.
    The contribution tagger (convene/tagging.py) asks the same of a transcript's cues."""
    s, e = ctx.span(m)
    if any(k.first <= m.first < k.last for k in ctx.cues("mask")):
        return False
    if any(r.first <= m.first < r.last for r in ctx.cues("roles")):
        return False  # «ғылыми қызметкері», «ilmiy xodim», 'research fellow': a job title, not a topic
    if ctx.org_at(s, e) and not _is_framework_org(ctx, s, e):
        return False
    if s < ctx.body_start or list_item_headline(ctx, s):
        return False  # the page's header; a related-links list ('• Астанада туристік көрме ашылды')
    sent = ctx.analysis.sentence_at(s)
    if sent.start in background_sentences(ctx):
        return False  # «Напомним, что ...», «Еске салайық, ...»: what was before, not this event's topics
    return not any(sent.first <= d.first < sent.last and _describes_institution(ctx, d, sent)
                   for d in ctx.cues("description"))


def _describes_institution(ctx: Context, d, sent) -> bool:
    """'ИМЭП является ...', 'The Institute was founded in 1993 and specialises in ...': a description
    word with an institution named before it in its sentence, as its subject. An infinitive is a
    proposal, not a description ('участники рекомендовали создать рабочую группу'), and a sentence
    with no institution before the word is about something else ('проблемы интеграции не являются
    препятствием')."""
    word = ctx.analysis.tokens[d.first].text
    if ctx.lang == "ru":
        p = ctx.registry.morph.parses(word.lower())
        if p and p[0].tag.POS == "INFN":
            return False
    start = ctx.analysis.tokens[d.first].start
    orgs = ctx.org_mentions_in(sent.start, start)
    if not orgs:
        return False
    # 'X of the Academy said that cyber threats are the main risk': the word stands in a clause the
    # sentence reports, whose subject is not the institution named before it
    between = {k.lower() for k in ctx.keys[ctx.analysis.token_index(orgs[-1][1] - 1) + 1:d.first]}
    return not between & {"что", "that", "чтобы", "якобы"}


_LIST_GLUE = {",", ";", "и", "а", "также", "and", "or", "the", "или", "va", "ва", "hamda", "және", "мен", "bilan", "билан"}


def listed_countries(ctx: Context) -> set[int]:
    """First tokens of country names standing in a list of three or more countries ("эксперты из
    Китая, России, Таджикистана и Афганистана", "AQSh, Afg'oniston, Qozog'iston"): such a list says
    who took part, so a name in it is no topic of its own, unlike "ситуация в Афганистане"."""
    toks = ctx.analysis.tokens
    countries = sorted((m for m in ctx.places if any(v[0] == "country" for v in m.values)), key=lambda m: m.first)
    out: set[int] = set()
    run = []
    for m in countries:
        if run:
            between = [t.text.lower() for t in toks[run[-1].last:m.first]]
            if len(between) <= 2 and all(w in _LIST_GLUE for w in between):
                run.append(m)
                continue
        if len(run) >= 3:
            out.update(x.first for x in run)
        run = [m]
    if len(run) >= 3:
        out.update(x.first for x in run)
    return out


def _agenda_sentence(ctx: Context, ev: Event, m) -> bool:
    """A direction said once counts where the sentence puts it on the agenda: the event's own sentence,
    a sentence about cooperation ('сотрудничество в сфере энергетики') or about what was discussed."""
    a = ctx.analysis
    sent = a.sentence_at(ctx.span(m)[0])
    if sent.start <= ev.trigger[0] < sent.stop:
        return True
    if any(sent.first <= c.first < sent.last for c in ctx.cues("cooperation")):
        return True
    if any(sent.first <= c.first < sent.last for g in ("speech", "outcomes") for c in ctx.cues(g)):
        return True
    return any(sent.first <= c.first < sent.last for c in ctx.cues("agenda"))


def _is_framework_org(ctx: Context, s: int, e: int) -> bool:
    org = ctx.org_at(s, e)
    if not org or not org.registry_id:
        return False
    return bool(ctx.registry.institutions[org.registry_id].framework)


def _in_vocabulary(ctx: Context, fid: str) -> bool:
    """The registry's own additions (frameworks.yaml `extra: true`: projects such as a railway or a
    pipeline) help to recognise text but are no ids of the contract's vocabulary, so a record never
    lists them."""
    return not (ctx.registry.frameworks.get(fid) or {}).get("extra")


def find_topics(ctx: Context, ev: Event, evidence: list, refs: list[dict] = (), roles: dict | None = None) -> dict:
    a = ctx.analysis
    directions, threats, frameworks = [], [], []

    def add(lst, value, field, span):
        if value not in lst:
            lst.append(value)
            evidence.append({"field": field, "value": value, "start": span[0], "end": span[1]})

    listed = listed_countries(ctx)
    marker_sents = {a.sentence_at(ctx.span(m)[0]).start for m in ctx.cues("threat_markers")}
    for m in ctx.cues("threats"):
        s, e = ctx.span(m)
        if not usable(ctx, m) or m.first in listed:
            continue
        phrase = " ".join(k for k in ctx.keys[m.first:m.last] if k)
        if phrase in ctx.registry.intrinsic_threat_keys or a.sentence_at(s).start in marker_sents:
            add(threats, m.values[0], "threats", (s, e))
    dir_hits: dict[str, list] = {}
    found = ctx.cues("directions") + _compound_parts(ctx, "directions")
    # 'water security', «водная безопасность», «сув хавфсизлиги»: security qualified by another
    # direction right before it is that direction's matter
    qualified = {m.last for m in found if m.values[0] != "security"}
    genre = _genre_words(ctx)
    for m in found:
        if m.values[0] == "security" and m.first in qualified:
            continue
        if m.first in genre:
            continue  # «ғылыми семинар», 'academic conference': a kind of event, not its matter
        if usable(ctx, m) and m.first not in listed:
            dir_hits.setdefault(m.values[0], []).append(m)
    for value, hits in dir_hits.items():
        # in Uzbek and Kazakh a direction said once counts (the agenda test, tried there, lowered the blind set)
        if len(hits) > 1 or ctx.lang not in ("ru", "en") or _agenda_sentence(ctx, ev, hits[0]):
            add(directions, value, "directions", ctx.span(hits[0]))
    # a threat discussed is a matter of the direction it endangers (cues.yaml threat_directions)
    matter = ctx.registry.cues.get("threat_directions") or {}
    for value in threats:
        span = next((x["start"], x["end"]) for x in evidence if x["field"] == "threats" and x["value"] == value)
        if value in matter:
            add(directions, matter[value], "directions", span)
    fw_hits: dict[str, list] = {}
    for m in ctx.scoped(ctx.frameworks):
        s, e = ctx.span(m)
        if s < ctx.body_start:
            continue
        for fid in m.values:
            if _in_vocabulary(ctx, fid):
                fw_hits.setdefault(fid, []).append(m)
    for fid, hits in fw_hits.items():
        if len(hits) > 1 or ctx.lang not in ("ru", "en") or _agenda_sentence(ctx, ev, hits[0]):
            add(frameworks, fid, "frameworks", ctx.span(hits[0]))
    regional = _regional_sides(ctx, roles)
    if regional:  # the regional bodies of two states met: interregional cooperation
        add(directions, "interregional", "directions", regional)
    # a known meeting (the event itself, or one it discusses) brings its framework
    for sid in [ev.series] + [r.get("series") for r in refs]:
        series = ctx.registry.series.get(sid or "")
        if series and series.framework and series.framework not in frameworks and _in_vocabulary(ctx, series.framework):
            frameworks.append(series.framework)
    return {"directions": directions, "threats": threats, "frameworks": frameworks}


def _regional_sides(ctx: Context, roles: dict | None) -> tuple[int, int] | None:
    """'Samarqand viloyati hokimligi' and 'Sug‘d viloyati savdo-sanoat palatasi', «акимат Мангистауской
    области» and 'the Balkan velayat administration': two of the event's institutions are bodies of a
    region (cue group `regional_bodies` in a word of their names) and the event has two states or more;
    the first one's mention, as evidence."""
    if not roles or len(roles.get("countries") or ()) < 2:
        return None
    ix, morph = ctx.registry.cue_index("regional_bodies"), ctx.registry.morph
    found = [o for o in (ctx.org(i) for i in roles["organizers"] + roles["participants"])
             if o and o.mentions and ix.find(phrase_keys(o.name, morph.key, morph.tokenize))]
    return found[0].mentions[0] if len(found) >= 2 else None


def _genre_words(ctx: Context) -> set[int]:
    """Words right before an event's noun that say what kind of event it is, scholarly or practical
    (cue group `event_genre`: «научная конференция», «ғылыми семинар», 'academic conference'), are
    no topic of it."""
    triggers = {m.first for m in ctx.cues("event_types") + ctx.cues("event_generic")}
    return {m.first for m in ctx.cues("event_genre") if m.last in triggers or m.last + 1 in triggers}


def _compound_parts(ctx: Context, group: str) -> list[Match]:
    """A Russian compound adjective speaks of each of its parts: «транзитно-транспортного потенциала»
    is transit and transport, «финансово-экономических связей» finance and the economy. Each part
    ending in -о is read as the adjective it shortens («транзитно» as «транзитный»), and a part that
    is a cue by itself counts where the whole word is no cue of the group."""
    if ctx.lang != "ru":
        return []
    ix = ctx.registry.cue_index(group)
    whole = {m.first for m in ctx.cues(group)}
    morph = ctx.registry.morph
    out = []
    for i, t in enumerate(ctx.analysis.tokens):
        parts = t.text.lower().split("-")
        if i in whole or len(parts) != 2 or not all(p.isalpha() and len(p) > 3 for p in parts) \
                or not parts[0].endswith("о"):
            continue
        heads = [parts[0][:-1] + end for end in ("ый", "ий", "ой")]
        first = next((h for h in heads if any(p.tag.POS == "ADJF" for p in morph.parses(h))), None)
        for key in ([morph.key(first)] if first else []) + [morph.key(parts[1])]:
            out.extend(Match(i, i + 1, m.values) for m in ix.find([key]))
    return out
