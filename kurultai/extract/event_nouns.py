"""What an event noun standing in a sentence is: how far its name reaches back, whether it is an
earlier event reviewed, the theme of another event or one to come, a body's name, a reception, the
object of a verb that says it was held, and whether a held verb is said of the future.
"""
from __future__ import annotations

from ..knowledge.phrases import Match
from ..nlp.turkic import HEAD_FINAL
from .context import Context


def compound_triggers(ctx: Context) -> list:
    """«выставка-ярмарка», «конференция-семинар», «семинар-тренинг»: a hyphenated pair of event nouns
    names one event, of its first part's kind («конгресс-холл», a building, is no pair of them); a
    hyphenated word ending in an event noun («бизнес-форум») is of that noun's kind."""
    ix = ctx.registry.cue_index("event_types")
    whole = {m.first for m in ctx.cues("event_types")}
    out = []
    for i, t in enumerate(ctx.analysis.tokens):
        parts = t.text.split("-")
        if i in whole or len(parts) != 2 or not all(p.isalpha() and len(p) > 3 for p in parts):
            continue
        found = [ix.find([ctx.registry.morph.key(part.lower())]) for part in parts]
        if all(found):
            out.append(Match(i, i + 1, found[0][0].values))
        elif found[1]:
            # «бизнес-форум», «онлайн-семинар», 'e-conference': a word before the event noun says
            # what kind of it, the noun says what it is
            out.append(Match(i, i + 1, found[1][0].values))
    return ctx.scoped(out)


def modifiers_before(ctx: Context, first: int, floor: int) -> int:
    """Where the event noun's own name begins: the adjectives before it that name the event
    («Душанбинской водной конференции», «Астанинского международного форума») or the capitalised
    words of an English or Turkic name ('the Tashkent International Conference', «Toshkent xalqaro
    konferensiyasi»), at most three, never the sentence's first word alone."""
    toks = ctx.analysis.tokens
    k = first
    while k > floor and first - k < 3:
        w = toks[k - 1].text
        if ctx.lang == "ru":
            p = ctx.registry.morph.parses(w.lower()) if w.isalpha() else []
            if not (p and p[0].tag.POS == "ADJF" and "Apro" not in p[0].tag.grammemes):
                break
        elif not (w[:1].isupper() and w.isalpha() and not w.isupper()) or k - 1 == floor \
                or ctx.org_at(toks[k - 1].start, toks[k - 1].stop):
            break
        k -= 1
    return k


def future_form(ctx: Context, m) -> bool:
    """«проведет», «откроется», 'will hold': a held verb in the future says what is planned; so does
    one in the infinitive («договорились провести форум», 'agreed to hold the next round')."""
    if infinitive(ctx, m):
        return True
    if ctx.lang == "ru":
        p = _first_parse(ctx, m)
        return p is not None and p.tag.POS == "VERB" and "futr" in p.tag.grammemes
    return ctx.lang == "en" and m.first > 0 and ctx.keys[m.first - 1] in ("will", "shall")


def infinitive(ctx: Context, m) -> bool:
    """The cue is an infinitive: a proposal, plan or agreement to hold something («предложил провести»,
    «договорились провести», 'agreed to hold', 'proposed to convene'), not the event reported."""
    if ctx.lang == "ru":
        p = _first_parse(ctx, m)
        return p is not None and p.tag.POS == "INFN"
    return ctx.lang == "en" and m.first > 0 and ctx.keys[m.first - 1] == "to"


def _first_parse(ctx: Context, m):
    """The dictionary's likeliest reading of the cue's first word (None for a number or a sign)."""
    word = ctx.analysis.tokens[m.first].text
    parses = ctx.registry.morph.parses(word.lower()) if word.isalpha() else []
    return parses[0] if parses else None


def reviewed(ctx: Context, m) -> bool:
    """'итоги форума', 'посвященный итогам встречи', 'the outcomes of the Samarkand International
    Forum', 'a follow-up to the meeting', 'building on the decisions of the Gabala Summit': what an
    earlier event left (cue group `reviewed`) stands right before the noun and its modifiers, so
    the noun is an earlier event the report reviews."""
    sent = ctx.analysis.sentence_at(ctx.span(m)[0])
    first = modifiers_before(ctx, m.first, sent.first)
    if first > sent.first and ctx.keys[first - 1] in ("the", "a", "an"):
        first -= 1
    if ctx.lang in HEAD_FINAL:
        # «forumi yakunlari», «форумның қорытындылары»: the results follow the noun; in the locative
        # («yakunida», «қорытындысында»: at its end) they are the event's own close
        toks = ctx.analysis.tokens
        # («сапары барысында қол жеткізілген уағдаластықтарды», «tashrifi davomida erishilgan kelishuvlar»:
        # what it left may follow 'during' and a participle)
        after = m.last
        while after < min(sent.last, m.last + 4) and (toks[after].text.lower() in _DURING
                                                        or toks[after].text.lower().endswith(_TURKIC_PARTICIPLE)):
            after += 1
        return any(after <= c.first <= after + 1 and c.last <= sent.last
                   and not toks[c.last - 1].text.lower().endswith(("da", "de", "ta", "te", "да", "де", "та", "те"))
                   for c in ctx.cues("reviewed"))
    first = _over_participle(ctx, first, sent.first)
    return any(first - 3 <= c.last <= first and c.first >= sent.first for c in ctx.cues("reviewed"))


# prepositions that join a participle to the event it was reached at («достигнутых в ходе визита»,
# 'reached during the visit', 'adopted at the summit')
_AT_EVENT = {"в", "во", "на", "ходе", "время", "рамках", "по", "итогам", "during", "at", "in", "the", "a", "an", "course",
             "of", "on", "following"}


def _over_participle(ctx: Context, first: int, floor: int) -> int:
    """«договоренностей, достигнутых в ходе визита», 'the agreements reached during the visit': what
    the earlier event left stands before a participle and its preposition; the noun's phrase then
    starts at the participle, so the left-over word is right before it."""
    toks = ctx.analysis.tokens
    k = first - 1
    while k > floor and first - k <= 4 and toks[k].text.lower() in _AT_EVENT:
        k -= 1
    if k <= floor or k == first - 1:
        return first
    w = toks[k].text.lower()
    if ctx.lang == "ru":
        p = ctx.registry.morph.parses(w)[:1]
        # (the dictionary tags many participles as adjectives: «достигнутый»)
        ok = bool(p) and (p[0].tag.POS == "PRTF" or p[0].tag.POS == "ADJF" and p[0].normal_form.endswith(
            ("нный", "тый", "вший", "щий", "мый")))
    else:
        ok = w.endswith("ed") or w in ("made", "held", "reached")
    if not ok:
        return first
    return k - 1 if k - 1 > floor and toks[k - 1].text == "," else k


# 'during' («барысында», «davomida»), and «қол», the noun of the Kazakh verb «қол жеткізу» (to reach)
# that stands before its participle («қол жеткізілген»)
_DURING = {"барысында", "кезінде", "кезде", "davomida", "chog‘ida", "paytida", "vaqtida", "давомида", "чоғида", "қол"}
_TURKIC_PARTICIPLE = ("ган", "ген", "қан", "кен", "gan", "kan")


_THEME_STOPS = {".", ",", ";", ":", "!", "?", "(", ")", "«", "»", '"', "“", "”"}


def theme_of_other(ctx: Context, m) -> bool:
    """An event noun that is what another event was about, or that lies ahead, is not the reported
    event: 'встреча, посвящённая значению предстоящего форума', 'a meeting dedicated to the upcoming
    summit', 'в преддверии анонсированного форума'. A dedication word or a future attributive stands
    a few words before the noun with no punctuation between."""
    toks = ctx.analysis.tokens
    if ctx.lang in HEAD_FINAL:
        # «forumga bag‘ishlangan seminar», «форум алдында кездесу өтті», «sammit arafasida»: the
        # dedication or 'ahead' word follows the noun it is about; the noun after it is the event
        # held («студенттер алдында дәріс оқыды», a lecture before students, is this one); a future
        # word before the noun is its attribute there too («бўлажак саммит»)
        if any(c.first in (m.last, m.last + 1) for g in ("dedicated", "ahead") for c in ctx.cues(g)):
            return True
        timed = {i for g in ("calendar", "next_day") for c in ctx.cues(g) for i in range(c.first, c.last)}
        return any(m.first - 2 <= f.last <= m.first and f.first not in timed for f in ctx.cues("future"))
    future = {f.last for f in ctx.cues("future")}
    dedicated = {c.last - 1 for c in ctx.cues("dedicated")}
    # "на следующий день состоялся форум", "the next day the forum opened": a time, not the noun's attribute
    blocked = {i for g in ("calendar", "held") for c in ctx.cues(g) for i in range(c.first, c.last)}
    for k in range(m.first - 1, max(-1, m.first - 6), -1):
        if toks[k].text in _THEME_STOPS or k in blocked:
            return False
        if k in dedicated:
            return True
        if (k + 1 in future or ahead(ctx, k + 1)) and m.first - k <= 3:
            return True
    return False


def ahead(ctx: Context, first: int) -> bool:
    """An 'ahead' cue ends right before token `first`: «в преддверии», «подготовка к», 'ahead of'."""
    return any(c.last == first for c in ctx.cues("ahead"))


def named_body_after_event(ctx: Context, m, event_starts: dict) -> bool:
    """'пленарное заседание Форума ОБСЕ', 'сессия Совещания по взаимодействию', 'a meeting of the
    Forum for Security Co-operation': an event noun written with a capital right after another event
    noun (in the genitive, or after 'of the') is the name of the body whose meeting is reported."""
    toks = ctx.analysis.tokens
    if not toks[m.first].text[:1].isupper():
        return False
    sent = ctx.analysis.sentence_at(toks[m.first].start)
    if m.first == sent.first:
        return False
    j = m.first - 1
    if ctx.keys[j] == "the" and j > 0 and ctx.keys[j - 1] == "of":
        j -= 2
    return any(t.last == j + 1 and t.first != m.first for t in event_starts.values())


def receptions(ctx: Context) -> list:
    """«Президент принял посла Республики Корея», 'The President received Minister ...', «... vazirini
    qabul qildi»: a reception verb whose object is a person, an office or a delegation (in Uzbek and
    Kazakh before it) reports a meeting; «принял участие», «принял решение» take no such object."""
    toks = ctx.analysis.tokens
    people = {i for p in ctx.persons for s, e in p.mentions
              for i in range(ctx.analysis.token_index(s), ctx.analysis.token_index(e - 1) + 1)}
    offices = {i for g in ("offices", "office_heads", "roles", "reception_objects") for c in ctx.cues(g)
               for i in range(c.first, c.last)}
    out = []
    for m in ctx.cues("reception"):
        if ctx.lang in HEAD_FINAL:
            near = range(max(0, m.first - 4), m.first)
        else:  # right after the verb, an article aside: «принял посла», 'received a delegation'
            k = m.last + (m.last < len(toks) and ctx.keys[m.last] in ("a", "the"))
            near = range(k, k + 1)
        if any(i in people or i in offices for i in near):
            out.append(m)
    return out


def object_of_held(ctx: Context, m, sent) -> bool:
    """'delivered a guest lecture', «прочитал открытую лекцию»: a verb of cue group `held_object`
    stands at most three words before the event noun, nothing but words between them."""
    toks = ctx.analysis.tokens
    for c in ctx.cues("held_object"):
        if sent.first <= c.first and 0 <= m.first - c.last <= 3 \
                and all(t.text.isalpha() for t in toks[c.last:m.first]) and not future_form(ctx, c):
            return True
    return False


def dialogue_noun_in_name(ctx: Context, m) -> bool:
    """'платформы Консультативной встречи' or 'C5+1 format' names a framework, not this event."""
    return any(f.first <= m.first < f.last for f in ctx.frameworks)


def with_counterpart(ctx: Context, m) -> bool:
    """The event noun or verb takes the one met: «встретился с делегацией», 'talks with the Minister',
    «принял посла»."""
    toks = ctx.analysis.tokens
    nxt = toks[m.last].text.lower() if m.last < len(toks) else ""
    return nxt in ("с", "со", "with") or any(r.first == m.first for r in ctx.cues("reception"))
