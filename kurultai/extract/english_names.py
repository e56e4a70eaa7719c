"""Names NER does not tag: two to four capitalised words next to a role word, a title with its
body or a speech verb, in English and in Latin-script Uzbek and Kazakh.
"""
from __future__ import annotations

import re

from ..nlp.turkic import HEAD_FINAL
from .context import Context


_CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІіЎўҲҳ]")
_CAPWORD = re.compile(r"^[A-Z][a-z'’\-]+$|^[A-Z][a-z]+[A-Z][a-z]+$")


def _capword(ctx: Context):
    """A capitalised word that may be a name: ASCII Latin in English; in Uzbek and Kazakh any script
    («Беате», «Iаnzıýn» with its look-alike letters), but never a word of the lexicon (a country,
    a registry's name, a cue word, in any case form: «Qazaqstan», «Prezidenti»)."""
    if ctx.lang not in HEAD_FINAL:
        # 'Kassym-Jomart', 'Erdoğan', 'Türkiye': hyphenated given names and Latin letters with marks
        return lambda w: bool(_CAPWORD.match(w)) or _capitalised_word(w) and not _CYRILLIC.search(w)
    morph = ctx.registry.morph

    def capword(w: str) -> bool:
        return _capitalised_word(w) and not morph.is_known(w) and not morph.is_inflected(w)
    return capword


def _capitalised_word(w: str) -> bool:
    """«Беате», «Iаnzıýn», «Qasym-Jomart», «O‘ktam»: a capital, then lower-case letters, in any script."""
    parts = w.split("-")
    return len(w) > 1 and all(p[:1].isupper() or (k and p.islower()) for k, p in enumerate(parts)) \
        and all(p and all(c.isalpha() or c in "'’‘ʻ" for c in p) and not any(c.isupper() for c in p[1:])
                for p in parts)


def english_names(ctx: Context, taken):
    """Two to four capitalised words next to a role word or a speech verb."""
    toks = ctx.analysis.tokens
    capword = _capword(ctx)
    roles = {m.last for m in ctx.cues("roles")}
    role_starts = {m.first for m in ctx.cues("roles")}
    role_tokens = {i for m in ctx.cues("roles") for i in range(m.first, m.last)}
    speech = {m.first for m in ctx.cues("speech")}
    said = {m.last for m in ctx.cues("speech")} | {m.last for m in ctx.cues("attribution")}  # 'According to X'
    offices = {i for m in ctx.registry.cue_index("offices").find(ctx.keys) for i in range(m.first, m.last)}
    # words of institution names ("Management Board", "Research Center") are never a person's
    heads = {i for m in ctx.cues("org_heads") for i in range(m.first, m.last)}
    places = {i for m in ctx.places for i in range(m.first, m.last)} | heads
    i, n = 0, len(toks)
    out = []
    while i < n:
        if not capword(toks[i].text) or ctx.org_at(toks[i].start, toks[i].stop) or i in places \
                or i in role_tokens:
            i += 1
            continue
        j = i
        while j < n and j - i < 4 and capword(toks[j].text) and not ctx.org_at(toks[j].start, toks[j].stop) \
                and j not in places and toks[j].key not in _NOT_NAMES and j not in role_tokens:
            j += 1
        if j - i >= 3 and j < n and not capword(toks[j].text) and _title_of_body_before(ctx, i, capword, role_tokens,
                                                                                     offices, places):
            # "Minister of National Economy Serik Zhumangarin", "Minister of Foreign Affairs Murat
            # Nurtleu": the capitalised words end the title's body, the last two are the name
            s, e = toks[j - 2].start, toks[j - 1].stop
            if toks[j - 2].key not in _NOT_NAMES and not any(a < e and s < b for a, b in taken):
                out.append((s, e))
            i = j
            continue
        if j - i >= 2:
            after = toks[j].text if j < n else ""
            sent = ctx.analysis.sentence_at(toks[i].start)
            speaking = any(sent.first <= k < sent.last for k in speech)
            # "Madina Alimova, an analyst with ...", "Azamat Toktosunov of the NISS described ..."
            # "..., said Nikolai Podguzov"; "Tlegen Kuandykov, Communications Officer, ..."
            titled = after in (",", "–", "—", "-") and any(
                k in role_starts and all(capword(toks[x].text) for x in range(j + 1, k))
                for k in range(j + 1, min(n, j + 4)))  # "X – Head of Y", "X, Communications Officer, Y"
            # "President of Turkmenistan Serdar ...", "Kazakh Foreign Minister ...": a title with its state
            of_state = i - 1 in places and any(k in role_tokens or k in offices for k in range(max(0, i - 5), i - 1))
            # "Minister of Foreign Affairs of the Republic of Uzbekistan Bakhtiyor Saidov", "Deputy
            # Secretary of State Christopher Landau": a title with its body right before
            of_state = of_state or _title_of_body_before(ctx, i, capword, role_tokens, offices, places)
            cue = i in roles or j in speech or i in said or titled or of_state \
                or after == "," and j + 1 < n and toks[j + 1].text[:1].islower() \
                or (speaking and after in (",", "of", "(", "from")
                    and (i == sent.first or toks[i - 1].text in (",", ";", "while", "and")))
            # 'Chief of Trade Facilitation', 'Director-General of the European Affairs Bureau': words
            # after a title's 'of', or before a body's head noun, name a unit, not a person
            after_of = toks[i - 1].text == "of" or (toks[i - 1].text == "the" and i > 1 and toks[i - 2].text == "of")
            unit = (after_of and i not in said) or (j < n and j in heads)
            if cue and toks[i].key not in _NOT_NAMES and not unit:
                s, e = toks[i].start, toks[j - 1].stop
                if not any(a < e and s < b for a, b in taken):
                    out.append((s, e))
        i = max(j, i + 1)
    # bare surnames of people already found: "Yilmaz said"
    surnames = {ctx.text[s:e].split()[-1] for s, e in out}
    for k, t in enumerate(toks):
        if t.text in surnames and not any(s <= t.start < e for s, e in out) and (k in speech or k + 1 in speech):
            out.append((t.start, t.stop))
    return out


def _title_of_body_before(ctx: Context, i: int, capword, roles: set[int], offices: set[int],
                          places: set[int]) -> bool:
    """A title with its body ends right before token i: a role word, then "of" or "for" and
    capitalised words ("Minister of National Economy", "Special Envoy for Central Asia"), or an
    office whose name holds its body ("Minister of Foreign Affairs")."""
    toks = ctx.analysis.tokens
    linked = False
    for k in range(i - 1, max(-1, i - 8), -1):
        if k in offices:
            return True
        if k in roles:
            return linked
        key = toks[k].key
        if key in ("of", "for"):
            linked = True
        elif not (key in ("the", "and", "&") or capword(toks[k].text) or key in _NOT_NAMES or k in places):
            return False  # 'Minister of Science and Higher Education': 'and' joins the body's words
    return False


_NOT_NAMES = {"the", "in", "on", "at", "during", "according", "participants", "central", "asia", "asian",
              "president", "minister", "secretary", "director", "professor", "state", "states", "foreign",
              "ministry", "university", "republic", "united", "nations", "photo", "read", "more", "news",
              "events", "building", "regarding", "expanding", "continuing", "in turn", "he", "she", "they",
              "programme", "program", "project", "sea", "basin", "river", "lake", "fund", "forum", "summit",
              "conference", "initiative", "corridor", "road", "belt", "union", "council", "bank", "office",
              "board", "management", "session", "panel", "report", "keynote", "opening", "welcome"}
