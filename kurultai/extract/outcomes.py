"""Outcomes: what the participants together agreed, committed to, recommended, or how they judged.

An outcome is a sentence with an outcome cue whose subject is collective ("участники",
"стороны", "эксперты", "participants", "the sides") or that records a signed document; one
speaker's opinion is not an outcome. A sentence opening with an anaphor ("Об этом договорились")
extends the previous sentence, which holds what was agreed.
"""
from __future__ import annotations

import re

from ..nlp.turkic import HEAD_FINAL, plural_markers
from .context import Context
from .events import headline

_PRIORITY = ("agreement", "commitment", "recommendation", "assessment")


def find_outcomes(ctx: Context, ev, persons_speaking: list[str], recalled: list[tuple[int, int]] = ()) -> list[dict]:
    """What the event agreed, committed to, recommended or assessed; `recalled` are the spans of the earlier
    events the report refers to, whose own outcomes are not this event's."""
    a = ctx.analysis
    by_sent: dict[int, set[str]] = {}
    for m in ctx.cues("outcomes"):
        s, _ = ctx.span(m)
        if s < ctx.body_start or m.values[0] == "agreement" and _reached_before(ctx, m) \
                or _at_recalled_event(ctx, m, recalled):
            continue
        by_sent.setdefault(a.sentence_at(s).start, set()).add(m.values[0])
    collective = {a.sentence_at(ctx.span(m)[0]).start for m in ctx.cues("collective") if _plural(ctx, m)}
    # an impersonal passive says what was concluded, by nobody in particular: «qayd etildi», «бағаланды»
    collective |= {a.sentence_at(ctx.span(m)[0]).start for m in ctx.cues("outcomes") if _turkic_passive(ctx, m)}
    # the passive names no one and reports what the meeting did: "принята резолюция", "определены
    # задачи", "было принято решение", "a memorandum was signed", "it was agreed"
    # (agreements and commitments only: "была отмечена важность ..." reports what speakers said)
    collective |= {a.sentence_at(ctx.span(m)[0]).start for m in ctx.cues("outcomes")
                   if m.values[0] in ("agreement", "commitment") and _passive(ctx, m)}
    # an institution that opens the sentence commits or agrees for itself: 'The EDB committed to
    # allocate ...', «ИСМИ и КИСИ договорились ...» (institutions act through the event, people speak)
    collective |= {a.sentence_at(ctx.span(m)[0]).start for m in ctx.cues("outcomes")
                   if m.values[0] in ("agreement", "commitment") and _body_subject(ctx, m)}
    # people in the plural open the sentence: 'The researchers agreed', «Члены комитета рекомендовали»
    collective |= {a.sentence_at(ctx.span(m)[0]).start for m in ctx.cues("outcomes") if _plural_people(ctx, m)}
    # the event closing with what it produced: «Форум завершился подписанием меморандума»
    collective |= {a.sentence_at(ctx.span(m)[0]).start for m in ctx.cues("concluded_with") if _event_concluded(ctx, m)}
    # the event judged by naming it: 'termed the forum a milestone', «назвали совещание своевременным»
    for m in ctx.cues("judged_as"):
        if ctx.span(m)[0] >= ctx.body_start and _names_the_event(ctx, m):
            by_sent.setdefault(a.sentence_at(ctx.span(m)[0]).start, set()).add("assessment")
            if _plural_people(ctx, m):
                collective.add(a.sentence_at(ctx.span(m)[0]).start)
    # «Они призвали ...», 'They called for ...' right after a sentence of the participants: the same subject
    sents = a.sentences
    for k in range(1, len(sents)):
        if sents[k - 1].start in collective and sents[k].first < len(a.tokens) \
                and a.tokens[sents[k].first].text.lower() in ("они", "they", "ular", "олар"):
            collective.add(sents[k].start)
    year = _event_year(ctx, ev)
    # background: "Напомним, что ...", "Previously, ..." report what happened before the event
    background = {a.sentence_at(ctx.span(m)[0]).start for m in ctx.cues("background")
                  if m.first - a.sentence_at(ctx.span(m)[0]).first <= 1}
    anaphora = {a.sentence_at(ctx.span(m)[0]).start: ctx.span(m)[0] for m in ctx.cues("anaphora")}
    future = {a.sentence_at(ctx.span(m)[0]).start for m in ctx.cues("future")}
    out = []
    sents = a.sentences
    for k, sent in enumerate(sents):
        kinds = by_sent.get(sent.start)
        if kinds and sent.start in background:
            continue
        if kinds and "agreement" in kinds and year and _earlier_year(ctx, sent, year):
            kinds = kinds - {"agreement"}  # "меморандум, подписанный в 2019 году": not this event's
        if not kinds or headline(ctx, sent):
            continue
        if (_has_named_speaker(ctx, sent) and sent.start not in collective) or _one_voice(ctx, sent) \
                or _speaker_first(ctx, sent):
            continue
        document = "agreement" in kinds and _signed_document(ctx, sent)
        if sent.start not in collective and not document:
            continue
        start = sent.start
        if sent.start in anaphora and anaphora[sent.start] - sent.start < 5 and k > 0:
            start = sents[k - 1].start
        out.extend(_clauses(ctx, sent, start, kinds))
    seen = {o["start"] for o in out}
    out.extend(o for o in _event_platform(ctx, background | future) if o["start"] not in seen)
    return out


# participles of agreements reached before («договоренностей, достигнутых в ходе визита», 'the agreements
# reached during', «erishilgan kelishuvlar», «қол жеткізілген уағдаластықтар») and the word for carrying
# them out after them in Uzbek and Kazakh («kelishuvlar ijrosi», «уағдаластықтардың орындалуы»)
_REACHED = {"достигнутый", "достигнуть", "reached", "achieved", "erishilgan", "эришилган", "жеткізілген"}
_CARRIED_OUT = {"ijrosi", "ижроси", "орындалуы", "орындалу"}


def _reached_before(ctx: Context, m) -> bool:
    """An agreement the event carries out, reached before it, is no outcome of its own."""
    toks = ctx.analysis.tokens
    if ctx.lang in HEAD_FINAL:
        before = toks[m.first - 1].text.lower() if m.first > 0 else ""
        after = toks[m.last].text.lower() if m.last < len(toks) else ""
        return before in _REACHED or after in _CARRIED_OUT
    k = m.last + 1 if m.last < len(toks) and toks[m.last].text == "," else m.last
    if k >= len(toks):
        return False
    w = toks[k].text.lower()
    p = ctx.registry.morph.parses(w)[:1] if ctx.lang == "ru" else ()
    return w in _REACHED or bool(p) and p[0].normal_form in _REACHED


_RELATIVE_AT = re.compile(r"\b(?:where|at which|during which|in which|где|на котором|на которой|в ходе которо(?:го|й))\b", re.I)
_AT_BEFORE = re.compile(r"\b(?:на|в ходе|во время)\s+(?:[\w-]+\s+){0,3}$", re.I)


def _at_recalled_event(ctx: Context, m, recalled) -> bool:
    """'... builds on the ministerial meeting held in Astana in March, where the ministers endorsed ...',
    «напомнил, что на XXI Форуме ..., состоявшемся осенью прошлого года, стороны договорились ...»: what an
    earlier event the report recalls agreed, told in that event's relative clause or after «на <event>»
    with no verb of this event between."""
    s, _ = ctx.span(m)
    sent = ctx.analysis.sentence_at(s)
    for rs, re_ in recalled:
        if not (sent.start <= rs and re_ <= s):
            continue
        between = ctx.text[re_:s]
        if ";" in between:
            continue  # another clause of the sentence: '..., where the ministers called for ...; the participants recommended'
        if _RELATIVE_AT.search(between):
            return True
        if ctx.lang == "ru" and _AT_BEFORE.search(ctx.text[sent.start:rs]) and not any(
                _is_verb(ctx, t.text) for t in ctx.analysis.tokens[ctx.analysis.token_index(re_):m.first]):
            return True
    return False


def _is_verb(ctx: Context, word: str) -> bool:
    p = ctx.registry.morph.parses(word.lower())[:1] if word.isalpha() else []
    return bool(p) and p[0].tag.POS == "VERB"


def _event_platform(ctx: Context, skip: set[int]) -> list[dict]:
    """'the annual conference is a platform for scholars to exchange views', «форум стал площадкой
    для диалога», «іс-шара ... маңызды алаң болды»: an event noun, as the subject, said with a copula
    to be a venue of dialogue is the text's assessment of the event itself. The event noun stands in
    the nominative (Russian) or bare (Uzbek, Kazakh), before the platform noun in the same sentence;
    a sentence about earlier or planned events, or a headline, says nothing of this one."""
    a = ctx.analysis
    events = [m for g in ("event_types", "event_generic") for m in ctx.cues(g)]
    copulas = ctx.cues("copula")
    out = []
    for p in ctx.cues("platform"):
        s, _ = ctx.span(p)
        sent = a.sentence_at(s)
        if s < ctx.body_start or sent.start in skip or headline(ctx, sent) or \
                any(o["start"] == sent.start for o in out):
            continue
        reach = 20 if ctx.lang in HEAD_FINAL else 12  # a verb-final clause puts its adjuncts between
        subjects = [m for m in events if sent.first <= m.first and m.last <= p.first and p.first - m.last <= reach
                    and _subject_form(ctx, m)]
        if not subjects or not any(subjects[-1].last <= c.first <= p.last + 2 and not _future_verb(ctx, c)
                                   for c in copulas):
            continue
        if _RELATIVE & set(ctx.keys[subjects[-1].last:p.first]):
            continue  # "платформы встречи, которая стала площадкой": the relative's antecedent is the subject
        out.append({"kind": "assessment", "start": sent.start, "end": sent.stop, "text": ctx.text[sent.start:sent.stop]})
    return out


_RELATIVE = {"который", "which", "who"}


def _future_verb(ctx: Context, m) -> bool:
    """«станет площадкой»: a perfective verb's present form speaks of the future."""
    if ctx.lang != "ru":
        return False
    parses = ctx.registry.morph.parses(ctx.analysis.tokens[m.first].text.lower())
    return bool(parses) and "futr" in parses[0].tag.grammemes


def _subject_form(ctx: Context, m) -> bool:
    """The event noun can be a subject: nominative in Russian, bare in Uzbek and Kazakh."""
    word = ctx.analysis.tokens[m.last - 1].text
    if ctx.lang == "ru":
        return any("nomn" in p.tag.grammemes for p in ctx.registry.morph.parses(word.lower()))
    if ctx.lang in HEAD_FINAL:
        return not ctx.registry.morph.is_inflected(word)
    return True


def _clauses(ctx: Context, sent, start: int, kinds: set[str]) -> list[dict]:
    """'участники высоко оценили ... и рекомендовали ...': one outcome per verb of a different kind,
    each from its verb to the next (the first from the sentence start)."""
    verbs = []
    cues = ctx.cues("outcomes")
    advice = {c.first for c in cues if c.values[0] == "recommendation"}
    for m in cues:
        s, _ = ctx.span(m)
        words = [t.text.lower() for t in ctx.analysis.tokens[m.first:m.last]]
        if sent.start <= s < sent.stop and any(w.isalpha() and _finite_past(ctx, w) for w in words):
            kind = m.values[0]
            # the object follows the verb, or precedes it in Uzbek and Kazakh («ұсыныстар қабылдады»)
            near = range(m.first - 2, m.first) if ctx.lang in HEAD_FINAL else range(m.last, m.last + 3)
            if kind == "agreement" and any(k in advice for k in near):
                kind = "recommendation"  # 'adopted recommendations', «приняли рекомендации»: advice agreed on
            verbs.append((s, kind))
    kinds_seen = []
    for s, kind in sorted(verbs):
        if not kinds_seen or kinds_seen[-1][1] != kind:
            kinds_seen.append((s, kind))
    if len({k for _, k in kinds_seen}) < 2:
        # one finite verb says what the sentence is ("рекомендовали ... согласовать ..." recommends)
        kind = kinds_seen[0][1] if kinds_seen else next(k for k in _PRIORITY if k in kinds)
        if kind == "recommendation" and "assessment" in kinds and not _recommends(ctx, sent):
            kind = "assessment"
        return [{"kind": kind, "start": start, "end": sent.stop, "text": ctx.text[start:sent.stop]}]
    out = []
    begins = [start] + [_clause_start(ctx, s, kinds_seen[n][0]) for n, (s, _) in enumerate(kinds_seen[1:])]
    for n, (s, kind) in enumerate(kinds_seen):
        begin = begins[n]
        end = begins[n + 1] if n + 1 < len(kinds_seen) else sent.stop
        text = _TRAILING_JOIN.sub("", ctx.text[begin:end])
        out.append({"kind": kind, "start": begin, "end": begin + len(text), "text": text})
    return out


_GLUE = {"and", "и", "va", "және", "мен", "пен", "бен", "the", ","}


def _subject_start(ctx: Context, sent, before: int) -> int:
    """Where the sentence's subject opens: its first word, or the word after an opening adverbial
    phrase closed by a comma ('At the close of the session, the Working Group adopted ...',
    «По итогам встречи, ...»), a phrase with no verb of its own."""
    toks = ctx.analysis.tokens
    for k in range(sent.first, min(before, sent.first + 10)):
        if toks[k].text == ",":
            head = [t.text.lower() for t in toks[sent.first:k]]
            if head and not any(w.isalpha() and _finite_past(ctx, w) for w in head):
                return k + 1
            break
    return sent.first


_CLAUSE_JOIN = {",", ";", "and", "while", "и", "а", "но", "va", "hamda", "ал", "және"}


def _clause_start(ctx: Context, verb: int, previous: int) -> int:
    """A later clause opens after the comma or conjunction before its verb, so that its own subject
    stays with it ('..., and FPCCI committed to ...', «..., а хокимият обязался ...»)."""
    a = ctx.analysis
    toks = a.tokens
    k = a.token_index(verb)
    for j in range(k - 1, max(k - 6, a.token_index(previous)), -1):
        if toks[j].text.lower() in _CLAUSE_JOIN:
            while j + 1 < k and toks[j + 1].text.lower() in _CLAUSE_JOIN:
                j += 1
            return toks[j + 1].start
    return verb


def _body_subject(ctx: Context, m) -> bool:
    """Institutions or states (two or more joined by 'and') open the sentence as its subject, right
    before the cue: 'The EDB committed', «хокимият обязался», 'Japan pledged', 'Kazakhstan and
    Uzbekistan committed', «Облыс әкімдігі ... міндеттенді» (the verb ends the clause there)."""
    a = ctx.analysis
    sent = a.sentence_at(ctx.span(m)[0])
    toks = a.tokens
    cue = ctx.span(m)[0]
    if ctx.person_mentions_in(sent.start, cue):
        return False
    parties = [(s, e) for s, e, org in ctx.org_mentions_in(sent.start, cue) if org.kind != "media"]
    parties += [ctx.span(p) for p in ctx.places if p.values[0][0] == "country" and sent.start <= ctx.span(p)[0] < cue]
    # «Хокимият обязался», «Елшілік ... уәде берді», «Viloyat hokimligi ...»: the body named again
    # by its head noun alone, at most two words before it
    k = _subject_start(ctx, sent, m.first)
    final = ctx.lang in HEAD_FINAL
    # the body named again by its head noun alone («Хокимият обязался», «Елшілік ... уәде берді»,
    # 'The Embassy and UWED agreed'), beside names
    heads = [h for h in ctx.cues("org_heads") if k <= h.first and h.last <= m.first and _subject_form(ctx, h)
             and not ctx.org_at(*ctx.span(h))]
    opening = [h for h in heads if h.first <= k + 2][:1]
    glued = [h for h in heads if h.first > k and toks[h.first - 1].text.lower() in _GLUE - {"the"}
             or h.first > k + 1 and toks[h.first - 1].text.lower() == "the" and toks[h.first - 2].text.lower() in _GLUE]
    parties += [ctx.span(h) for h in opening + glued]
    parties = sorted(p for p in parties if not any(q != p and q[0] <= p[0] and p[1] <= q[1] for q in parties))
    # 'The EDB ...', «ИСМИ ...»: nothing but an article before the first party
    if not parties or a.token_index(parties[0][0]) - k > (2 if final else 1):
        return False
    # the subject is the parties joined by 'and' or commas from the first one on
    chain = parties[:1]
    for p in parties[1:]:
        gap = toks[a.token_index(chain[-1][1] - 1) + 1:a.token_index(p[0])]
        if not all(t.text.lower() in _GLUE for t in gap):
            break
        chain.append(p)
    last = a.token_index(chain[-1][1] - 1) + 1
    between = [] if final else [t.text.lower() for t in toks[last:m.first]]
    return len(between) <= 1


_DETERMINERS = {"the", "all", "both", "two", "three", "these", "those", "many", "most", "барча", "ҳамма", "барлық"}


def _plural_people(ctx: Context, m) -> bool:
    """The subject opening the sentence is people in the plural, whoever they are: a plural animate
    noun in Russian («Члены комитета», «Организаторы», «Исследователи»), a plural common noun in
    English ('The researchers', 'The two chambers'), a bare plural in Uzbek and Kazakh
    («Қонақтар», «Mehmonlar»). Nothing but its complement stands between it and the cue; an open
    test where a list of collective nouns would always miss one."""
    a = ctx.analysis
    toks = a.tokens
    sent = a.sentence_at(ctx.span(m)[0])
    k = _subject_start(ctx, sent, m.first)
    while k < m.first and (toks[k].text.lower() in _DETERMINERS or toks[k].text.isdigit()):
        k += 1
    if k >= m.first or ctx.person_mentions_in(sent.start, ctx.span(m)[0]):
        return False
    word = toks[k].text
    if not word.isalpha():
        return False
    gap = [t.text for t in toks[k + 1:m.first]]
    if ctx.lang == "ru":
        parses = ctx.registry.morph.parses(word.lower())
        noun = next((p for p in parses if p.tag.POS == "NOUN"), None)
        if not noun or not {"plur", "nomn", "anim"} <= noun.tag.grammemes or not parses[0].tag.POS == "NOUN":
            return False
        return len(gap) <= 5 and not any(w.isalpha() and _finite_past(ctx, w.lower()) for w in gap)
    if ctx.lang in HEAD_FINAL:
        return k == sent.first and ctx.registry.morph.form(word).endswith(plural_markers(ctx.lang))
    common = word.islower() or (k == sent.first and word[1:].islower() and not ctx.org_at(toks[k].start, toks[k].stop)
                                and not any(p.first == k for p in ctx.places))
    return (common and word.endswith("s") and not word.endswith("ss") and len(gap) <= 1
            and not word.endswith(("ous", "is", "us")))


def _names_the_event(ctx: Context, m) -> bool:
    """The naming verb's object is the event's own noun: after it in Russian and English ('termed the
    forum', «назвали совещание»), before it in Uzbek and Kazakh («көрмені ... деп атады»)."""
    a = ctx.analysis
    sent = a.sentence_at(ctx.span(m)[0])
    nouns = [e.first for e in ctx.cues("event_types") + ctx.cues("event_generic")]
    if ctx.lang in HEAD_FINAL:
        return any(sent.first <= i < m.first for i in nouns)
    return any(m.last <= i <= m.last + 2 for i in nouns)


def _event_concluded(ctx: Context, m) -> bool:
    """The verb of closing has the event's own noun as its subject, opening the sentence ('The
    workshop concluded with ...', «Мероприятие завершилось ...», «Форум ... yakunlandi»)."""
    sent = ctx.analysis.sentence_at(ctx.span(m)[0])
    nouns = [e for e in ctx.cues("event_types") + ctx.cues("event_generic") if sent.first <= e.first < m.first]
    return bool(nouns) and nouns[0].first - sent.first <= 2 and (ctx.lang in HEAD_FINAL or m.first - nouns[0].last <= 3)


def _plural(ctx: Context, m) -> bool:
    """"эксперты отметили" is the participants together; "эксперт ИСМИ отметил" is one of them."""
    if m.last - m.first > 1 or ctx.lang in HEAD_FINAL:
        return True
    word = ctx.analysis.tokens[m.first].text
    if ctx.lang == "en":  # 'The expert said ...' is one of them; 'experts', 'the audience', 'they' are many
        return word.lower().endswith("s") or word.lower() in ("audience", "they")
    parses = ctx.registry.morph.parses(word)
    nouns = [p for p in parses if p.tag.POS == "NOUN"]
    return not nouns or any({"plur", "nomn"} <= p.tag.grammemes for p in nouns) or "plur" in nouns[0].tag.grammemes


_PASSIVE_AUX = {"был", "была", "было", "были", "будет", "будут", "was", "were", "been", "is", "are", "be"}


def _passive(ctx: Context, m) -> bool:
    """The outcome cue is a passive: a short participle ("подписан", "приняты", "решено") or
    an English participle after a form of "be" ("was signed", "were adopted")."""
    toks = ctx.analysis.tokens
    if ctx.lang == "ru":
        for t in toks[m.first:m.last]:
            p = ctx.registry.morph.parses(t.text.lower()) if t.text.isalpha() else []
            if p and p[0].tag.POS == "PRTS":
                return True
        return False
    before = {toks[k].text.lower() for k in range(max(0, m.first - 2), m.first)}
    return bool(before & _PASSIVE_AUX) and toks[m.first].text.lower().endswith("ed")


def _event_year(ctx: Context, ev) -> int | None:
    value = (getattr(ev, "date", None) or {}).get("value") or ctx.published or ""
    return int(value[:4]) if value[:4].isdigit() else None


def _earlier_year(ctx: Context, sent, year: int) -> bool:
    """The sentence dates what it reports to a year before the event's."""
    return any(int(y) < year for y in re.findall(r"\b((?:19|20)\d\d)\b", ctx.text[sent.start:sent.stop]))


def _speaker_first(ctx: Context, sent) -> bool:
    """'Председатель X Фирдавс Рахимов призвал участников ...': a named person before the first
    outcome verb is its subject; the participants are only addressed."""
    people = ctx.person_mentions_in(sent.start, sent.stop)
    cues = [ctx.span(m)[0] for m in ctx.cues("outcomes") if sent.start <= ctx.span(m)[0] < sent.stop]
    if not (people and cues and people[0][0] < min(cues)):
        return False
    # '..., Deputy Minister A. Normatov noted ..., and at the end of the meeting the parties agreed ...':
    # a collective subject after the person's clause is the outcome's subject («учрашув якунида»)
    nearest = max(s for s, _, _ in people if s < min(cues))
    return not any(nearest < ctx.span(m)[0] < min(cues) and _opens_clause(ctx, m, sent) for m in ctx.cues("collective"))


def _opens_clause(ctx: Context, m, sent) -> bool:
    """The collective cue opens a clause of its own, right after a comma or a semicolon: not the
    person's object ('briefed participants'), nor what the person said ('recalled that the parties
    had pledged'), nor a Russian oblique form («, приветствуя гостей,»)."""
    toks = ctx.analysis.tokens
    after_comma = any(toks[k].text in (",", ";") for k in range(max(sent.first, m.first - 2), m.first))
    return after_comma and (ctx.lang != "ru" or m.last - m.first > 1 or _subject_form(ctx, m))


def _has_named_speaker(ctx: Context, sent) -> bool:
    return bool(ctx.person_mentions_in(sent.start, sent.stop))


_TRAILING_JOIN = re.compile(r"(?:[\s,;]+(?:и|а также|а|and|as well as|while))*[\s,;]*$")


def _finite_past(ctx: Context, word: str) -> bool:
    """Clause boundaries are finite past verbs: 'оценили ... и рекомендовали', 'agreed ... and recommended'."""
    if ctx.lang in HEAD_FINAL:
        return ctx.registry.morph.form(word).endswith(_TURKIC_PAST)
    if ctx.lang != "ru":
        return word.endswith("ed")
    p = ctx.registry.morph.parses(word)
    return bool(p) and p[0].tag.POS == "VERB" and "past" in p[0].tag.grammemes


def _turkic_passive(ctx: Context, m) -> bool:
    if ctx.lang not in HEAD_FINAL:
        return False
    last = ctx.registry.morph.form(ctx.analysis.tokens[m.last - 1].text)
    return last.endswith(_TURKIC_PASSIVE)


# Uzbek and Kazakh passive past, in the skeleton: -ildi/-indi/-ldi, -ylды/-ілді/-нды/-нді
_TURKIC_PASSIVE = ("ildi", "indi", "landi", "yldy", "ndy", "ndi", "ldy")
# Uzbek and Kazakh past tense, in the skeleton (nlp/turkic.py): -di/-dilar, -dy/-di/-ty/-ti
_TURKIC_PAST = ("di", "dilar", "dy", "ty", "ti", "dyq", "dik", "tyq", "tik", "ldi", "ldy")
_SINGULAR = {"он", "она", "he", "she", "his", "her", "u", "ol", "у", "ол"}


def _one_voice(ctx: Context, sent) -> bool:
    """'..., he argued, adding that they should ...' reports one person, not the participants."""
    words = {t.text.lower() for t in ctx.analysis.tokens[sent.first:sent.last]}
    speech = any(sent.first <= m.first < sent.last for m in ctx.cues("speech"))
    return speech and bool(words & _SINGULAR)


def _signed_document(ctx: Context, sent) -> bool:
    if any(sent.first <= m.first < sent.last for m in ctx.cues("signed_documents")):
        return True
    words = {k for k in ctx.keys[sent.first:sent.last]}
    return bool(words & {"меморандум", "соглашение", "коммюнике", "декларация", "memorandum", "agreement",
                         "communique", "declaration", "подписать", "signed", "план", "договор", "protocol", "протокол",
                         "резолюция", "resolution"})


def _recommends(ctx: Context, sent) -> bool:
    words = {k for k in ctx.keys[sent.first:sent.last]}
    return bool(words & {"рекомендовать", "предложить", "призвать", "необходимо", "следует", "требовать",
                         "recommended", "should", "urged", "called", "proposed"})
