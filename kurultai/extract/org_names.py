"""An institution's name: in the nominative as the text writes it, a body named by its head noun
in the singular, and a registry institution's label in the document's language and script.
"""
from __future__ import annotations

import re

from ..nlp.turkic import HEAD_FINAL
from .context import Context
from .org_spans import QUOTES_OPEN


def morph_key_phrase(ctx: Context, name: str) -> str:
    return " ".join(ctx.registry.morph.key(w) for w in name.split())


def body_name(ctx: Context, first: int, last: int) -> str:
    """The nominative name of a body named by a common noun: its head noun in the singular
    ("посольств Италии" is one "Посольство Италии"), what follows as written."""
    words = canonical(ctx, first, last).split()
    for k, i in enumerate(range(first, last)):
        text = ctx.analysis.tokens[i].text
        if text.isalpha():
            p = ctx.registry.morph.parses(text.lower())[:1]
            if p and p[0].tag.POS == "NOUN":
                # the first noun is the head; what follows it («энергетики» in «Министерство
                # энергетики») depends on it and stays as written
                if k < len(words) and "plur" in p[0].tag.grammemes:
                    form = p[0].normal_form
                    words[k] = form[:1].upper() + form[1:] if text[:1].isupper() else form
                break
    name = " ".join(words)
    return name[:1].upper() + name[1:]


def institution_label(ctx: Context, inst) -> str:
    """A registry institution's name in the document's language and, for Uzbek and Kazakh, in the
    document's own script (Cyrillic or Latin), else its Russian name."""
    if ctx.lang not in HEAD_FINAL:
        return inst.label(ctx.lang)
    cyrillic = _cyrillic_text(ctx)
    forms = [inst.name.get(ctx.lang)] + list(inst.aliases.get(ctx.lang) or [])
    for form in forms:
        if form and bool(re.search(r"[а-яёәғқңөұүһіўҳ]", form, re.I)) == cyrillic:
            return form
    return inst.label("ru")


def _cyrillic_text(ctx: Context) -> bool:
    cache = ctx.__dict__.setdefault("_script", {})
    if "cyr" not in cache:
        sample = ctx.text[:5000]
        cache["cyr"] = len(re.findall(r"[а-яёәғқңөұүһіўҳ]", sample, re.I)) > len(re.findall(r"[a-z]", sample, re.I))
    return cache["cyr"]


def canonical(ctx: Context, first: int, last: int) -> str:
    toks = ctx.analysis.tokens
    text = ctx.text[toks[first].start:toks[last - 1].stop]
    if ctx.lang in HEAD_FINAL:
        words = text.split()
        return " ".join(ctx.registry.morph.nominative_phrase(words)) if words[-1][-1:].isalpha() else " ".join(words)
    if ctx.lang != "ru":
        return " ".join(text.split()).removeprefix("the ").strip()
    words = [t.text for t in toks[first:last]]
    quote = next((i for i, w in enumerate(words) if w in QUOTES_OPEN), len(words))
    normal = ctx.registry.morph.nominative_phrase(words[:quote]) + words[quote:]  # a quoted name stays as written
    out, prev = [], None
    for t, w in zip(toks[first:last], normal):
        if prev is not None and t.start > prev.stop and not (t.text in "»)\"”.," or prev.text in "«(\"„"):
            out.append(" ")
        elif prev is not None and t.start > prev.stop and prev.text == ".":
            out.append(" ")
        out.append(w)
        prev = t
    return "".join(out)
