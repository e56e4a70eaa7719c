"""What the expert dialogue's pages (web/convene.py, web/convene_work.py) and the briefing share: the
query parameters they take, the default period of a session's agenda, and the Desk, which looks a
session up for the request's user, builds its links, tags contributions and renders a refused form
again with what was wrong.
"""
from __future__ import annotations

import json
import threading
from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import func, select

from ..convene import sessions as S
from ..convene.publish import publish_session, release
from ..convene.sessions import SessionError
from ..store.analytics import QueryError
from ..store.schema import events
from .auth import current_user, require
from .owners import as_seen_by
from .session_bodies import MAX_AGENDA_ITEMS
from .site import Site
from .tagged import TAG_FIELDS, contribution_view

Editor = Annotated[dict, Depends(require("editor"))]
TRANSCRIPTS = (".txt", ".docx", ".pdf")
TIMEZONES = ("Asia/Almaty", "Asia/Tashkent", "Asia/Bishkek", "Asia/Dushanbe", "Asia/Ashgabat", "Asia/Samarkand",
             "Asia/Aqtobe", "Europe/Moscow", "UTC")
ReleaseLang = Annotated[str | None, Query(pattern=r"^(ru|en)$", description="ru or en; the session's own by default.")]
Countries = Annotated[list[str] | None, Query(max_length=20, description="ISO codes, repeated or comma-separated: "
                                                                        "KZ,UZ.")]
Period = Annotated[str | None, Query(max_length=10, description="YYYY[-MM[-DD]].")]


# -- helpers ----------------------------------------------------------------------------------------------------------

def found(fn, *args, **kwargs):
    """Call `fn`; a LookupError (no such session, invitation or contribution) becomes a 404."""
    try:
        return fn(*args, **kwargs)
    except LookupError as exc:
        raise HTTPException(404, str(exc).strip("'\"")) from None


def countries_param(values: list[str] | None, registry=None) -> list[str] | None:
    """Country codes given repeated or comma-separated; with `registry`, each must be one it knows."""
    out = [c.strip().upper() for v in values or () for c in v.split(",") if c.strip()]
    for code in out:
        if registry is not None and code not in registry.countries:
            raise QueryError(f"countries: {code!r} is not a country code the registry knows (e.g. KZ, UZ, KG, TJ, TM)")
    return out or None


def twelve_months(month: str) -> tuple[str, str]:
    """The twelve months up to `month` (YYYY-MM), as YYYY-MM."""
    index = int(month[:4]) * 12 + int(month[5:7]) - 1 - 11
    return f"{index // 12:04d}-{index % 12 + 1:02d}", month


def default_period(s: dict, store=None) -> tuple[str, str]:
    """The twelve months up to the session's month, when events fall in them; else the twelve
    months up to the latest dated event before the session (or, with none before it, the latest),
    so that the page opens on a period with something to suggest."""
    start = S.local_start(s)
    lo, hi = twelve_months(f"{start.year:04d}-{start.month:02d}")
    if store is None:
        return lo, hi
    dated = events.c.date.like("1%") | events.c.date.like("2%")
    with store.connect() as conn:
        if conn.execute(select(events.c.id).where(dated, events.c.date >= lo, events.c.date < hi + "-99")
                        .limit(1)).first():
            return lo, hi
        latest = conn.execute(select(func.max(events.c.date)).where(dated, events.c.date < hi + "-99")).scalar() \
            or conn.execute(select(func.max(events.c.date)).where(dated)).scalar()
    if not latest:
        return lo, hi
    return twelve_months(latest[:7] if len(latest) >= 7 else latest[:4] + "-12")


# -- the desk ---------------------------------------------------------------------------------------------------------

class Desk:
    """The sessions' shared work over one Site: what the routes of every form and page call."""

    def __init__(self, site: Site):
        self.site = site
        self.store, self.registry, self.labels = site.store, site.registry, site.labels
        self._tagger = None
        self._tagger_lock = threading.Lock()

    def tagger(self):
        """The contributions' tagger, made on first use (it loads the extractor)."""
        with self._tagger_lock:
            if self._tagger is None:
                from ..convene.tagging import Tagger
                self._tagger = Tagger(self.site.get_extractor())
        return self._tagger

    def known(self) -> dict[str, set[str]]:
        known = self.site.known
        return {"directions": known["direction"], "threats": known["threat"], "frameworks": known["framework"]}

    def session(self, sid: int) -> dict:
        """The whole session, for the writes (which Owner has let through) and their checks."""
        return found(S.get_session, self.store, sid, self.registry)

    def shown(self, sid: int, request: Request) -> dict:
        """The session as the request's user may see it (web/owners.as_seen_by)."""
        return as_seen_by(self.session(sid), current_user(request))

    @staticmethod
    def links(s: dict) -> dict:
        base = f"/session/{s['id']}"
        return {"page": base, "calendar": f"{base}/calendar.ics", "agenda": f"{base}/agenda",
                "release": {lang: f"{base}/release?lang={lang}" for lang in S.LANGS},
                "release_txt": {lang: f"{base}/release.txt?lang={lang}" for lang in S.LANGS},
                "release_html": {lang: f"{base}/release.html?lang={lang}" for lang in S.LANGS},
                "letters": {str(i["id"]): {"md": f"{base}/letters/{i['id']}.md", "eml": f"{base}/letters/{i['id']}.eml"}
                            for i in s["invitations"]}}

    @staticmethod
    def brief(s: dict) -> dict:
        return {k: s[k] for k in ("id", "title", "starts_at", "timezone", "format", "status", "language")}

    # ---- the pages' data and views

    def sessions_data(self) -> dict:
        return {"sessions": S.list_sessions(self.store), "formats": list(S.FORMATS), "statuses": list(S.STATUSES)}

    @staticmethod
    def sessions_view(data: dict, lang: str, request: Request) -> dict:
        return {"types": list(S.session_types()), "formats": S.FORMATS, "timezones": TIMEZONES,
                "form": {}, "error": None}

    def session_data(self, sid: int, request: Request) -> dict:
        s = self.shown(sid, request)
        return {**s, "links": self.links(s)}

    def session_view(self, data: dict, lang: str, request: Request) -> dict:
        labels = self.labels
        contribs = [contribution_view(c, labels, self.registry, lang) for c in data["contributions"]]
        choices = {f: sorted(((i, labels.label(f, i, lang)) for i in self.known()[f]), key=lambda x: x[1].lower())
                   for f in TAG_FIELDS}
        return {"contribs": contribs, "choices": choices, "invitation_statuses": S.INVITATION_STATUSES,
                "outcome_kinds": S.OUTCOME_KINDS, "start": S.local_start(data),
                "error": None, "form": {}}

    def refused(self, request: Request, sid: int, exc: Exception, form: dict | None = None,
                status: int = 400) -> HTMLResponse:
        """The session page again, with what was wrong (400; 422 for a value the form's model
        refuses, as its JSON twin answers), and what was typed kept."""
        data = self.session_data(sid, request)
        return self.site.render(request, "session.html", status=status, data=data,
                                **{**self.session_view(data, self.site.lang(request), request), "error": str(exc),
                                   "form": form or {}})

    # ---- the agenda

    def suggestion(self, s: dict, date_from: str | None, date_to: str | None, countries: list[str] | None) -> dict:
        from ..convene.agenda import suggest
        store, registry = self.store, self.registry
        lo, hi = default_period(s, store)
        date_from, date_to = (date_from or "").strip() or lo, (date_to or "").strip() or hi
        agenda = suggest(store, registry, date_from, date_to, countries=countries_param(countries, registry),
                         labels=self.labels)
        current = {(i.get("kind"), i.get("id"), i.get("phrase")) for i in s["agenda"]}
        items = []
        for item in agenda.to_dict()["items"]:
            accepted = {"kind": item["kind"], "id": item["id"], "phrase": item["phrase"], "label": item["label"],
                        "why": item["why"]}
            items.append({**item, "on_agenda": (item["kind"], item["id"], item["phrase"]) in current,
                          "accept": json.dumps(accepted, ensure_ascii=False)})
        return {"session": self.brief(s), "agenda": s["agenda"], "may_change": s["may_change"],
                "suggestion": {**agenda.to_dict(), "items": items}}

    def agenda_view(self, data: dict, lang: str, request: Request) -> dict:
        chosen = set(countries_param(request.query_params.getlist("countries")) or ())
        return {"country_choices": [(c, self.labels.label("countries", c, lang), c in chosen)
                                    for c in self.site.central_asia],
                "current": [{**i, "accept": json.dumps(i, ensure_ascii=False)} for i in data["agenda"]]}

    # ---- contributions, tags, outcomes, the release

    def record(self, sid: int, speaker: str, institution: str | None, text: str, source: str | None = None) -> dict:
        with self.site.ingest_lock:  # natasha's models, shared with uploads, one text at a time
            return found(S.add_contribution, self.store, self.registry, sid, speaker=speaker,
                         institution=institution, text=text, tagger=self.tagger(), source=source)

    def correct(self, sid: int, cid: int, **lists) -> dict:
        return found(S.correct_tags, self.store, sid, cid, known=self.known(), **lists)

    def outcome(self, sid: int, kind: str, text: str, contribution_id: int | None, text_other: str | None = None) -> int:
        s = self.session(sid)
        if contribution_id is not None and contribution_id not in {c["id"] for c in s["contributions"]}:
            raise SessionError(f"contribution: session {sid} has no contribution {contribution_id}")
        return S.add_outcome(self.store, sid, kind, text, contribution_id, text_other)

    def publish(self, sid: int) -> dict:
        """As `kurultai session publish` does (publish.publish_session)."""
        self.session(sid)  # a session that does not exist is a 404, not a LookupError deep inside
        return publish_session(self.store, self.registry, self.labels, sid, self.site.get_extractor(),
                               self.site.ingest_lock)[0]

    def written(self, sid: int, lang: str | None):
        s = self.session(sid)
        lang = lang or s["language"]
        return s, lang, release(s, self.registry, self.labels, lang, self.store)


def agenda_items(values: list[str], custom: str) -> list[dict]:
    """The agenda form's items: the suggestion's items it ticked (JSON each), then its custom lines."""
    items = []
    for k, value in enumerate(values):
        try:
            item = json.loads(value)
        except ValueError:
            item = None
        if not isinstance(item, dict):
            raise SessionError(f"agenda item {k + 1}: not an item of the suggestion ({value[:60]!r})")
        items.append(item)
    for line in custom.splitlines():
        if line.strip():
            items.append({"kind": "custom", "label": line.strip()})
    if len(items) > MAX_AGENDA_ITEMS:
        raise SessionError(f"agenda: {len(items)} items, at most {MAX_AGENDA_ITEMS}")
    return items
