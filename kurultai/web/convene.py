"""The expert dialogue's pages: plan a session, invite, accept a suggested agenda, record and tag
what was said, mark outcomes, publish the release (the briefing of a period is web/briefing.py;
how a contribution's tags are shown, web/tagged.py; the files offered, web/downloads.py).

Each page has its JSON twin under /api (app.twin); each form has a JSON twin too. Every write
needs an editor's login and its CSRF token (web/auth.require); a write to a session, its owner's or
an admin's (web/owners.Owner). Reading stays open, without the personal data (meeting links,
e-mail addresses) that only editors see (web/owners.as_seen_by). The pages work
without JavaScript: static/convene.js only fills the invitation name suggestions and lights up a
tag's evidence in a contribution, which a plain link to the evidence's anchor also shows.

Errors: a SessionError (input a session cannot take) is a 400 with its message, on the page the
form came from where there is one; a session, invitation or contribution that does not exist is a
404.
"""
from __future__ import annotations

import json
import threading
from pathlib import PurePath
from typing import Annotated

from fastapi import Depends, FastAPI, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from ..convene import sessions as S
from ..convene.invite import ics, letters
from ..convene.publish import publish_session, release
from ..convene.sessions import SessionError
from ..read import ReadError, read_bytes
from ..store.analytics import QueryError
from ..store.schema import events
from .site import MAX_FILE_BYTES, Id, Site, answer_errors, twin
from .auth import current_user, require
from .downloads import attachment, download
from .owners import Owner, as_seen_by
from .session_bodies import (MAX_AGENDA_ITEMS, AgendaItems, InvitationStatus, NewContribution, NewInvitation,
                             NewOutcome, NewSession, TagCorrection)
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

def _found(fn, *args, **kwargs):
    """Call `fn`; a LookupError (no such session, invitation or contribution) becomes a 404."""
    try:
        return fn(*args, **kwargs)
    except LookupError as exc:
        raise HTTPException(404, str(exc).strip("'\"")) from None


def _countries(values: list[str] | None, registry=None) -> list[str] | None:
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


# -- the routes -----------------------------------------------------------------------------------------------------

def install(app: FastAPI, site: Site) -> None:
    """Add the sessions' pages, forms, downloads and the briefing to `app`."""
    store, registry, labels = site.store, site.registry, site.labels
    tagging = {"tagger": None, "lock": threading.Lock()}

    def tagger():
        with tagging["lock"]:
            if tagging["tagger"] is None:
                from ..convene.tagging import Tagger
                tagging["tagger"] = Tagger(site.get_extractor())
        return tagging["tagger"]

    def known() -> dict[str, set[str]]:
        return {"directions": site.known["direction"], "threats": site.known["threat"],
                "frameworks": site.known["framework"]}

    answer_errors(app, site, {SessionError: 400, ReadError: 400})

    def session(sid: int) -> dict:
        """The whole session, for the writes (which Owner has let through) and their checks."""
        return _found(S.get_session, store, sid, registry)

    def shown(sid: int, request: Request) -> dict:
        """The session as the request's user may see it (web/owners.as_seen_by)."""
        return as_seen_by(session(sid), current_user(request))

    def links(s: dict) -> dict:
        base = f"/session/{s['id']}"
        return {"page": base, "calendar": f"{base}/calendar.ics", "agenda": f"{base}/agenda",
                "release": {lang: f"{base}/release?lang={lang}" for lang in S.LANGS},
                "release_txt": {lang: f"{base}/release.txt?lang={lang}" for lang in S.LANGS},
                "release_html": {lang: f"{base}/release.html?lang={lang}" for lang in S.LANGS},
                "letters": {str(i["id"]): {"md": f"{base}/letters/{i['id']}.md", "eml": f"{base}/letters/{i['id']}.eml"}
                            for i in s["invitations"]}}

    def brief(s: dict) -> dict:
        return {k: s[k] for k in ("id", "title", "starts_at", "timezone", "format", "status", "language")}

    # ---- the list, and a new session

    def sessions_view(data: dict, lang: str, request: Request) -> dict:
        return {"types": list(S.session_types()), "formats": S.FORMATS, "timezones": TIMEZONES,
                "form": {}, "error": None}

    @twin(app, site, "/sessions", "sessions.html", "Sessions of the expert dialogue, latest first",
          view=sessions_view, tags=["sessions"])
    def sessions_list(request: Request) -> dict:
        """Each session with its date (ISO, with its UTC offset, and its IANA zone), format, status,
        organiser and how many contributions it has recorded."""
        return {"sessions": S.list_sessions(store), "formats": list(S.FORMATS), "statuses": list(S.STATUSES)}

    def create(user: dict, body: NewSession) -> int:
        return S.create_session(store, registry, title=body.title, starts=body.starts, tz=body.timezone,
                                format=body.format, link=body.link, venue=body.venue, organizer=body.organizer,
                                moderator=body.moderator, type=body.type, language=body.language,
                                duration_min=body.duration_min, user_id=user.get("id"), title_other=body.title_other)

    @app.post("/api/sessions", summary="Plan a session (editor)", tags=["sessions"], status_code=201)
    def create_api(request: Request, user: Editor, body: NewSession) -> dict:
        """A new planned session; answers the session as GET /api/session/{id} does."""
        s = shown(create(user, body), request)
        return {**s, "links": links(s)}

    @app.post("/sessions", include_in_schema=False, response_class=HTMLResponse)
    def create_page(request: Request, user: Editor,
                    title: Annotated[str, Form(max_length=500)] = "",
                    title_other: Annotated[str, Form(max_length=500)] = "",
                    starts: Annotated[str, Form(max_length=40)] = "",
                    timezone: Annotated[str, Form(max_length=64)] = "Asia/Almaty",
                    format: Annotated[str, Form(max_length=16)] = "online",
                    link: Annotated[str, Form(max_length=2000)] = "",
                    venue: Annotated[str, Form(max_length=500)] = "",
                    organizer: Annotated[str, Form(max_length=500)] = "",
                    moderator: Annotated[str, Form(max_length=500)] = "",
                    type: Annotated[str, Form(max_length=32)] = "round_table",
                    language: Annotated[str, Form(max_length=2)] = "ru",
                    duration_min: Annotated[str, Form(max_length=6)] = "120"):
        form = {"title": title, "title_other": title_other, "starts": starts, "timezone": timezone, "format": format, "link": link,
                "venue": venue, "organizer": organizer, "moderator": moderator, "type": type,
                "language": language, "duration_min": duration_min}
        try:
            if not duration_min.strip().isdigit():
                raise SessionError(f"duration: {duration_min!r} is not a number of minutes")
            sid = S.create_session(store, registry, title=title, starts=starts, tz=timezone, format=format,
                                   link=link, venue=venue, organizer=organizer, moderator=moderator, type=type,
                                   language=language, duration_min=int(duration_min), user_id=user.get("id"),
                                   title_other=title_other)
        except SessionError as exc:
            data = sessions_list(request)
            return site.render(request, "sessions.html", status=400, data=data,
                               **{**sessions_view(data, site.lang(request), request), "form": form, "error": str(exc)})
        return RedirectResponse(f"/session/{sid}", status_code=303)

    # ---- one session

    def session_view(data: dict, lang: str, request: Request) -> dict:
        contribs = [contribution_view(c, labels, registry, lang) for c in data["contributions"]]
        choices = {f: sorted(((i, labels.label(f, i, lang)) for i in known()[f]), key=lambda x: x[1].lower())
                   for f in TAG_FIELDS}
        return {"contribs": contribs, "choices": choices, "invitation_statuses": S.INVITATION_STATUSES,
                "outcome_kinds": S.OUTCOME_KINDS, "start": S.local_start(data),
                "error": None, "form": {}}

    @twin(app, site, "/session/{sid}", "session.html", "A session: invitations, agenda, contributions, outcomes",
          view=session_view, tags=["sessions"])
    def session_page(request: Request, sid: Id) -> dict:
        """The session with its invitations (each with its status), agenda, contributions (each
        with its tags: directions, threats, frameworks and outcome suggestions, each with `start`,
        `end` offsets into the contribution's text) and outcomes; `links` to its downloads."""
        s = shown(sid, request)
        return {**s, "links": links(s)}

    def refused(request: Request, sid: int, exc: Exception, form: dict | None = None) -> HTMLResponse:
        """The session page again, with what was wrong (400), and what was typed kept."""
        data = session_page(request, sid)
        return site.render(request, "session.html", status=400, data=data,
                           **{**session_view(data, site.lang(request), request), "error": str(exc), "form": form or {}})

    # ---- invitations

    @app.post("/api/session/{sid}/invite", summary="Invite an institution or an expert (editor)", tags=["sessions"],
              status_code=201)
    def invite_api(request: Request, user: Owner, sid: Id, body: NewInvitation) -> dict:
        """`who` is looked up in the knowledge base (id, name or alias; for institutions the registry
        too); a name it does not know is invited as typed."""
        return _found(S.invite, store, registry, sid, body.who, kind=body.kind, email=body.email,
                      language=body.language)

    @app.post("/session/{sid}/invite", include_in_schema=False, response_class=HTMLResponse)
    def invite_page(request: Request, user: Owner, sid: Id, who: Annotated[str, Form(max_length=500)] = "",
                    kind: Annotated[str, Form(max_length=8)] = "",
                    email: Annotated[str, Form(max_length=254)] = "",
                    language: Annotated[str, Form(max_length=2)] = ""):
        try:
            if kind not in ("", "org", "person"):
                raise SessionError(f"kind: {kind!r} is not one of org, person")
            if not who.strip():
                raise SessionError("invitee: required (a name, an abbreviation or a knowledge-base id)")
            _found(S.invite, store, registry, sid, who, kind=kind or None, email=email, language=language or None)
        except SessionError as exc:
            return refused(request, sid, exc, {"who": who, "kind": kind, "email": email, "language": language})
        return RedirectResponse(f"/session/{sid}#invitations", status_code=303)

    @app.post("/api/session/{sid}/invitation/{iid}", summary="Set an invitation's status (editor)", tags=["sessions"])
    def invitation_api(request: Request, user: Owner, sid: Id, iid: Id, body: InvitationStatus) -> dict:
        _found(S.set_invitation_status, store, sid, iid, body.status)
        return next(i for i in session(sid)["invitations"] if i["id"] == iid)

    @app.post("/session/{sid}/invitation/{iid}", include_in_schema=False, response_class=HTMLResponse)
    def invitation_page(request: Request, user: Owner, sid: Id, iid: Id,
                        status: Annotated[str, Form(max_length=16)] = ""):
        try:
            _found(S.set_invitation_status, store, sid, iid, status)
        except SessionError as exc:
            return refused(request, sid, exc)
        return RedirectResponse(f"/session/{sid}#invitation-{iid}", status_code=303)

    @download(app, "/session/{sid}/calendar.ics", "The session as a calendar event (RFC 5545)")
    def calendar(request: Request, sid: Id) -> Response:
        return Response(ics(shown(sid, request)), media_type="text/calendar; charset=utf-8",
                        headers={"Content-Disposition": attachment(f"session-{sid}.ics")})

    def letter(request: Request, sid: int, iid: int):
        s = shown(sid, request)
        found = letters(s, labels, only=iid, registry=registry)
        if not found:
            raise HTTPException(404, f"session {sid} has no invitation {iid}")
        return s, found[0]

    @download(app, "/session/{sid}/letters/{iid}.md", "An invitation letter, Markdown")
    def letter_md(request: Request, sid: Id, iid: Id) -> Response:
        _, item = letter(request, sid, iid)
        return Response(item.markdown, media_type="text/markdown; charset=utf-8",
                        headers={"Content-Disposition": attachment(item.filename + ".md",
                                                                       f"session-{sid}-letter-{iid}-{item.lang}.md")})

    @download(app, "/session/{sid}/letters/{iid}.eml", "An invitation letter as an e-mail with the calendar "
                                                       "attached (not sent)")
    def letter_eml(request: Request, sid: Id, iid: Id) -> Response:
        s, item = letter(request, sid, iid)
        return Response(item.eml(s), media_type="message/rfc822",
                        headers={"Content-Disposition": attachment(item.filename + ".eml",
                                                                       f"session-{sid}-letter-{iid}-{item.lang}.eml")})

    # ---- the agenda: suggested, accepted

    def suggestion(s: dict, date_from: str | None, date_to: str | None, countries: list[str] | None) -> dict:
        from ..convene.agenda import suggest
        lo, hi = default_period(s, store)
        date_from, date_to = (date_from or "").strip() or lo, (date_to or "").strip() or hi
        agenda = suggest(store, registry, date_from, date_to, countries=_countries(countries, registry), labels=labels)
        current = {(i.get("kind"), i.get("id"), i.get("phrase")) for i in s["agenda"]}
        items = []
        for item in agenda.to_dict()["items"]:
            accepted = {"kind": item["kind"], "id": item["id"], "phrase": item["phrase"], "label": item["label"],
                        "why": item["why"]}
            items.append({**item, "on_agenda": (item["kind"], item["id"], item["phrase"]) in current,
                          "accept": json.dumps(accepted, ensure_ascii=False)})
        return {"session": brief(s), "agenda": s["agenda"], "may_change": s["may_change"],
                "suggestion": {**agenda.to_dict(), "items": items}}

    def agenda_view(data: dict, lang: str, request: Request) -> dict:
        chosen = set(_countries(request.query_params.getlist("countries")) or ())
        return {"country_choices": [(c, labels.label("countries", c, lang), c in chosen) for c in site.central_asia],
                "current": [{**i, "accept": json.dumps(i, ensure_ascii=False)} for i in data["agenda"]]}

    @twin(app, site, "/session/{sid}/agenda", "session_agenda.html", "The agenda suggested for a session, "
          "with its evidence", view=agenda_view, tags=["sessions"])
    def agenda_page(request: Request, sid: Id, date_from: Annotated[Period, Query(alias="from")] = None,
                    date_to: Annotated[Period, Query(alias="to")] = None, countries: Countries = None) -> dict:
        """What changed in the period (by default the twelve months up to the session's month):
        rising directions, directions several countries newly share, directions gone quiet since the
        last session, frameworks debated more, new directions; each with the events behind it.
        `agenda` is what the session has accepted so far."""
        return suggestion(shown(sid, request), date_from, date_to, countries)

    def parse_items(values: list[str], custom: str) -> list[dict]:
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

    @app.post("/api/session/{sid}/agenda", summary="Set the session's agenda (editor)", tags=["sessions"])
    def agenda_api(request: Request, user: Owner, sid: Id, body: AgendaItems) -> dict:
        """The items replace the agenda, in order."""
        _found(S.set_agenda, store, sid, body.items)
        return {"agenda": session(sid)["agenda"]}

    @app.post("/session/{sid}/agenda", include_in_schema=False, response_class=HTMLResponse)
    def agenda_accept(request: Request, user: Owner, sid: Id,
                      item: Annotated[list[str], Form(max_length=MAX_AGENDA_ITEMS)] = [],  # noqa: B006
                      custom: Annotated[str, Form(max_length=5000)] = ""):
        try:
            _found(S.set_agenda, store, sid, parse_items(item, custom))
        except SessionError as exc:
            return refused(request, sid, exc)
        return RedirectResponse(f"/session/{sid}#agenda", status_code=303)

    # ---- contributions, their tags, outcomes

    def record(sid: int, speaker: str, institution: str | None, text: str, source: str | None = None) -> dict:
        with site.ingest_lock:  # natasha's models, shared with uploads, one text at a time
            return _found(S.add_contribution, store, registry, sid, speaker=speaker, institution=institution,
                          text=text, tagger=tagger(), source=source)

    @app.post("/api/session/{sid}/contributions", summary="Record a contribution, tagged (editor)", tags=["sessions"],
              status_code=201)
    def contribution_api(request: Request, user: Owner, sid: Id, body: NewContribution) -> dict:
        """The text is tagged with the directions, threats and frameworks it raises and the sentences
        that read like outcomes, each with its evidence (offsets into `text`)."""
        session(sid)
        return record(sid, body.speaker, body.institution, body.text)

    @app.post("/session/{sid}/contributions", include_in_schema=False, response_class=HTMLResponse)
    async def contribution_page(request: Request, user: Owner, sid: Id):
        form = await request.form(max_files=1, max_fields=20)
        fields = {k: form.get(k) if isinstance(form.get(k), str) else "" for k in ("speaker", "institution", "text")}
        upload = form.get("transcript")
        try:
            text, source = fields["text"], None
            if isinstance(upload, UploadFile) and upload.filename:
                source = PurePath(upload.filename.replace("\\", "/")).name
                if PurePath(source).suffix.lower() not in TRANSCRIPTS:
                    raise SessionError(f"transcript: {source!r} is not a .txt, .docx or .pdf file")
                data = await upload.read(MAX_FILE_BYTES + 1)
                if len(data) > MAX_FILE_BYTES:
                    raise SessionError(f"transcript: {source!r} exceeds the {MAX_FILE_BYTES / 1e6:.0f} MB limit")
                if text.strip():
                    raise SessionError("text: give the text or a transcript file, not both")
                text = (await run_in_threadpool(read_bytes, data, source)).raw
            await run_in_threadpool(session, sid)
            await run_in_threadpool(record, sid, fields["speaker"], fields["institution"], text, source)
        except (SessionError, ReadError) as exc:
            return await run_in_threadpool(refused, request, sid, exc, fields)
        return RedirectResponse(f"/session/{sid}#contributions", status_code=303)

    def correct(sid: int, cid: int, **lists) -> dict:
        return _found(S.correct_tags, store, sid, cid, known=known(), **lists)

    @app.post("/api/session/{sid}/contribution/{cid}/tags", summary="Correct a contribution's tags (editor)",
              tags=["sessions"])
    def tags_api(request: Request, user: Owner, sid: Id, cid: Id, body: TagCorrection) -> dict:
        """Each list given replaces the tagger's (a field left out stays as it is); ids of the
        vocabulary only."""
        return correct(sid, cid, directions=body.directions, threats=body.threats, frameworks=body.frameworks)

    @app.post("/session/{sid}/contribution/{cid}/tags", include_in_schema=False, response_class=HTMLResponse)
    def tags_page(request: Request, user: Owner, sid: Id, cid: Id,
                  directions: Annotated[list[str], Form(max_length=100)] = [],  # noqa: B006
                  threats: Annotated[list[str], Form(max_length=100)] = [],  # noqa: B006
                  frameworks: Annotated[list[str], Form(max_length=100)] = []):  # noqa: B006
        try:
            correct(sid, cid, directions=directions, threats=threats, frameworks=frameworks)
        except SessionError as exc:
            return refused(request, sid, exc)
        return RedirectResponse(f"/session/{sid}#contribution-{cid}", status_code=303)

    def outcome(sid: int, kind: str, text: str, contribution_id: int | None, text_other: str | None = None) -> int:
        s = session(sid)
        if contribution_id is not None and contribution_id not in {c["id"] for c in s["contributions"]}:
            raise SessionError(f"contribution: session {sid} has no contribution {contribution_id}")
        return S.add_outcome(store, sid, kind, text, contribution_id, text_other)

    @app.post("/api/session/{sid}/outcomes", summary="Mark an outcome of the session (editor)", tags=["sessions"],
              status_code=201)
    def outcome_api(request: Request, user: Owner, sid: Id, body: NewOutcome) -> dict:
        """`text` completes the sentence 'The participants …' (agreed to …, recommended to …)."""
        oid = outcome(sid, body.kind, body.text, body.contribution_id, body.text_other)
        return next(o for o in session(sid)["outcomes"] if o["id"] == oid)

    @app.post("/session/{sid}/outcomes", include_in_schema=False, response_class=HTMLResponse)
    def outcome_page(request: Request, user: Owner, sid: Id, kind: Annotated[str, Form(max_length=16)] = "",
                     text: Annotated[str, Form(max_length=1000)] = "",
                     text_other: Annotated[str, Form(max_length=1000)] = "",
                     contribution_id: Annotated[str, Form(max_length=12)] = ""):
        try:
            if contribution_id.strip() and not contribution_id.strip().isdigit():
                raise SessionError(f"contribution: {contribution_id!r} is not an id")
            outcome(sid, kind, text, int(contribution_id) if contribution_id.strip() else None, text_other)
        except SessionError as exc:
            return refused(request, sid, exc, {"outcome_kind": kind, "outcome_text": text,
                                               "outcome_text_other": text_other})
        return RedirectResponse(f"/session/{sid}#outcomes", status_code=303)

    # ---- publishing: the release

    def publish(sid: int) -> dict:
        """As `kurultai session publish` does (publish.publish_session)."""
        session(sid)  # a session that does not exist is a 404, not a LookupError deep inside
        return publish_session(store, registry, labels, sid, site.get_extractor(), site.ingest_lock)[0]

    @app.post("/api/session/{sid}/publish", summary="Publish the session (editor)", tags=["sessions"])
    def publish_api(request: Request, user: Owner, sid: Id) -> dict:
        """Stores the release (in the session's language) as a document of the knowledge base and
        marks the session published; the release is then at /session/{id}/release. A session with
        nothing recorded cannot be published."""
        publish(sid)
        s = session(sid)
        return {**brief(s), "document_id": s["document_id"], "release": links(s)["release"]}

    @app.post("/session/{sid}/publish", include_in_schema=False, response_class=HTMLResponse)
    def publish_page(request: Request, user: Owner, sid: Id):
        try:
            s = publish(sid)
        except SessionError as exc:
            return refused(request, sid, exc)
        return RedirectResponse(f"/session/{sid}/release?lang={s['language']}", status_code=303)

    def written(sid: int, lang: str | None):
        s = session(sid)
        lang = lang or s["language"]
        return s, lang, release(s, registry, labels, lang, store)

    @twin(app, site, "/session/{sid}/release", "session_release.html", "The session's press release",
          tags=["sessions"])
    def release_page(request: Request, sid: Id, lang: ReleaseLang = None) -> dict:
        """The release in `lang`: its title, paragraphs and whole text; `status` says whether the
        session is published yet (before, the release is a draft)."""
        s, lang, r = written(sid, lang)
        return {"session": brief(s), "lang": lang, "title": r.title, "paragraphs": list(r.paragraphs),
                "text": r.text, "links": {k: v for k, v in links(s).items() if k.startswith("release")}}

    @download(app, "/session/{sid}/release.txt", "The press release as plain text")
    def release_txt(sid: Id, lang: ReleaseLang = None) -> Response:
        _, lang, r = written(sid, lang)
        return Response(r.text, media_type="text/plain; charset=utf-8",
                        headers={"Content-Disposition": attachment(f"session-{sid}-release-{lang}.txt")})

    @download(app, "/session/{sid}/release.html", "The press release as an HTML document")
    def release_html(sid: Id, lang: ReleaseLang = None) -> Response:
        _, lang, r = written(sid, lang)
        return Response(r.html, media_type="text/html; charset=utf-8",
                        headers={"Content-Disposition": attachment(f"session-{sid}-release-{lang}.html")})

    from .briefing import install as briefing_pages
    briefing_pages(app, site)
