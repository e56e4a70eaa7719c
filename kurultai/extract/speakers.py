"""Who spoke at the event: people named in a sentence with a speech verb or listed under
"выступили:", and the person a pronoun opening a speech sentence stands for.
"""
from __future__ import annotations

from ..nlp.dates import as_date, resolve
from ..nlp.turkic import HEAD_FINAL
from .context import Context
from .events import Event


def find_speakers(ctx: Context, ev: Event, evidence: list) -> list[str]:
    a = ctx.analysis
    out: list[str] = []
    speech = [m for m in ctx.cues("speech") if not _served_as(ctx, m)]
    speech_sents: dict = {}
    for m in speech:
        speech_sents.setdefault(a.sentence_at(ctx.span(m)[0]).start, m)  # the first: what follows may be said
    for p in ctx.persons:
        for s, e in p.mentions:
            if not ctx.in_scope(s):
                continue  # '...; later that day, the Hakim noted ...': another event's clause of the sentence
            sent = a.sentence_at(s)
            m = speech_sents.get(sent.start)
            if m and _dated_before(ctx, ev, sent, m):
                m = None  # 'the text of the President's speech at the conference held on 15-16 July'
            by_list = _in_speaker_list(ctx, s)
            if (m or by_list) and p.id not in out:
                out.append(p.id)
                evidence.append({"field": "speakers", "value": p.name, "start": s, "end": e})
                break
    # 'According to X of Y, ...', «По словам ... X, ...», «X-тың айтуынша»: the person the words are given to
    for m in ctx.cues("attribution"):
        s, e = ctx.span(m)
        if s < ctx.body_start or _dated_before(ctx, ev, a.sentence_at(s)):
            continue
        window = (ctx.span(m)[0] - 40, s) if ctx.lang in HEAD_FINAL else (e, e + 120)
        people = ctx.person_mentions_in(*window)
        if people:
            ps, pe, p = people[-1] if ctx.lang in HEAD_FINAL else people[0]
            if ctx.lang not in HEAD_FINAL and _verb_between(ctx, e, ps):
                continue  # 'According to a statement issued by ..., among the attendees was X'
            if p.id not in out:
                out.append(p.id)
                evidence.append({"field": "speakers", "value": p.name, "start": ps, "end": pe})
    # "... обратился директор НИСИ Талант Абдыкеримов. Он подчеркнул, что ...": the pronoun's person
    sents = a.sentences
    for k in range(1, len(sents)):
        sent = sents[k]
        if not _pronoun_subject(a, sent) or sent.start not in speech_sents:
            continue
        if not ctx.in_scope(sent.start):
            continue
        prev = ctx.person_mentions_in(sents[k - 1].start, sents[k - 1].stop)
        if prev:
            ps, pe, p = prev[-1]
            if p.id not in out:
                out.append(p.id)
                evidence.append({"field": "speakers", "value": p.name, "start": ps, "end": pe})
    return out


_SPEAKING_ROLES = {"спикер", "докладчик", "лектор", "оратор", "содокладчик"}
_GOVERNS_ABLT = {"перед", "передо", "с", "со", "за", "над", "под", "между", "вместе"}  # «перед студентами выступил»


def _served_as(ctx: Context, m) -> bool:
    """«Модератором выступила ...», «выступил организатором»: «выступить» with a noun in the
    instrumental beside it is acting as that, not speaking (unless the role is to speak: «спикером»)."""
    if ctx.lang != "ru" or m.last - m.first != 1 or ctx.keys[m.first] != "выступить":
        return False
    toks = ctx.analysis.tokens
    for k in (m.first - 1, m.last):
        if 0 <= k < len(toks) and toks[k].text.isalpha() and not (k > 0 and toks[k - 1].text.lower() in _GOVERNS_ABLT):
            parses = ctx.registry.morph.parses(toks[k].text.lower())[:2]
            if parses and all(p.tag.POS == "NOUN" and "ablt" in p.tag.grammemes for p in parses) \
                    and parses[0].normal_form not in _SPEAKING_ROLES:
                return True
    return False


def _dated_before(ctx: Context, ev: Event, sent, cue=None) -> bool:
    """The sentence dates what it tells before the event's own day: a speech so dated was made at
    another, earlier event. A date in what the speaker is reported to have said («отметил, что работа
    началась после конференции ... в мае 2025 года», 'noted that ... in May 2025') dates its content."""
    own = ev.date["value"] if ev.date else None
    if not own:
        return False
    stop = sent.stop
    if cue is not None:
        toks = ctx.analysis.tokens
        said = next((toks[k].start for k in range(cue.last, sent.last) if ctx.keys[k] in _THAT), None)
        stop = said if said is not None else stop
    for d in ctx.dates:
        if sent.start <= d.start < stop and d.kind in ("date", "month") \
                and not (ev.date_span and d.start == ev.date_span[0]):
            if own.startswith("--"):
                v = d.text_value if not d.year else None  # no year known: days of the year compare
            else:
                v = resolve(d, as_date(own if len(own) == 10 else None))
            if v and v.startswith("--") == own.startswith("--") and v < own[:len(v)]:
                return True
    return False


_THAT = {"что", "that", "чтобы"}  # what follows reports the speaker's words


def _in_speaker_list(ctx: Context, pos: int) -> bool:
    """A list item under a line ending 'выступили:' / 'speakers included:'."""
    text = ctx.text
    line_start = text.rfind("\n", 0, pos) + 1
    if not text[line_start:pos].lstrip().startswith(("-", "•", "–", "—", "*")) and line_start != 0:
        pass
    prev_end = line_start - 1
    while prev_end > 0:
        prev_start = text.rfind("\n", 0, prev_end) + 1
        line = text[prev_start:prev_end].strip()
        if line.endswith(":"):
            low = line.lower()
            return any(w in low for w in ("выступ", "доклад", "speaker", "spoke", "приветств", "presentations"))
        if not line.lstrip().startswith(("-", "•", "–", "—", "*")):
            return False
        prev_end = prev_start - 1
    return False


_PRONOUNS = ("он", "она", "he", "she")


def _pronoun_subject(a, sent) -> bool:
    """'Он подчеркнул ...', «Открывая работу комитета, он обратил внимание ...»: a personal pronoun
    opens the sentence, or its clause after an opening participle phrase closed by a comma."""
    toks = a.tokens
    if sent.first >= len(toks):
        return False
    if toks[sent.first].text.lower() in _PRONOUNS:
        return True
    comma = next((k for k in range(sent.first, min(sent.last, sent.first + 8)) if toks[k].text == ","), None)
    return comma is not None and comma + 1 < sent.last and toks[comma + 1].text.lower() in _PRONOUNS


def _verb_between(ctx: Context, start: int, stop: int) -> bool:
    a = ctx.analysis
    for t in a.tokens[a.token_index(start):a.token_index(stop)]:
        w = t.text.lower()
        if not w.isalpha():
            continue
        if ctx.lang == "ru":
            p = ctx.registry.morph.parses(w)
            if p and p[0].tag.POS in ("VERB", "PRTF", "PRTS", "GRND"):
                return True
        elif w in ("was", "were", "is", "are", "has", "have", "said") or w.endswith("ed"):
            return True
    return False
