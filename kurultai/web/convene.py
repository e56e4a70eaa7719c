"""The expert dialogue's pages: plan a session, invite, accept a suggested agenda, record and tag
what was said, mark outcomes, publish the release (the briefing of a period is web/briefing.py;
how a contribution's tags are shown, web/tagged.py; the files offered, web/downloads.py).
This module holds the list of sessions, a session and its invitations; web/convene_work.py the
agenda, contributions, outcomes and the release; web/session_desk.py what they share.

Each page has its JSON twin under /api (site.twin); each form has a JSON twin too. Every write
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

from typing import Annotated

from fastapi import FastAPI, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..convene import sessions as S
from ..convene.invite import ics, letters
from ..convene.sessions import SessionError
from ..read import ReadError
from . import briefing, convene_work
from .downloads import attachment, download
from .owners import Owner
from .session_bodies import InvitationStatus, NewInvitation, NewSession
from .session_desk import Desk, Editor, found
from .site import Id, Site, answer_errors, twin


def install(app: FastAPI, site: Site) -> None:
    """Add the sessions' pages, forms, downloads and the briefing to `app`."""
    answer_errors(app, site, {SessionError: 400, ReadError: 400})
    desk = Desk(site)
    _sessions(app, desk)
    _invitations(app, desk)
    _letters(app, desk)
    convene_work.install(app, desk)
    briefing.install(app, site)


def _sessions(app: FastAPI, desk: Desk) -> None:
    """The list of sessions, a new one, and one session's page."""
    site, store, registry = desk.site, desk.store, desk.registry

    @twin(app, site, "/sessions", "sessions.html", "Sessions of the expert dialogue, latest first",
          view=desk.sessions_view, tags=["sessions"])
    def sessions_list(request: Request) -> dict:
        """Each session with its date (ISO, with its UTC offset, and its IANA zone), format, status,
        organiser and how many contributions it has recorded."""
        return desk.sessions_data()

    @app.post("/api/sessions", summary="Plan a session (editor)", tags=["sessions"], status_code=201)
    def create_api(request: Request, user: Editor, body: NewSession) -> dict:
        """A new planned session; answers the session as GET /api/session/{id} does."""
        sid = S.create_session(store, registry, title=body.title, starts=body.starts, tz=body.timezone,
                               format=body.format, link=body.link, venue=body.venue, organizer=body.organizer,
                               moderator=body.moderator, type=body.type, language=body.language,
                               duration_min=body.duration_min, user_id=user.get("id"), title_other=body.title_other)
        return desk.session_data(sid, request)

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
            data = desk.sessions_data()
            return site.render(request, "sessions.html", status=400, data=data,
                               **{**desk.sessions_view(data, site.lang(request), request), "form": form, "error": str(exc)})
        return RedirectResponse(f"/session/{sid}", status_code=303)

    @twin(app, site, "/session/{sid}", "session.html", "A session: invitations, agenda, contributions, outcomes",
          view=desk.session_view, tags=["sessions"])
    def session_page(request: Request, sid: Id) -> dict:
        """The session with its invitations (each with its status), agenda, contributions (each
        with its tags: directions, threats, frameworks and outcome suggestions, each with `start`,
        `end` offsets into the contribution's text) and outcomes; `links` to its downloads."""
        return desk.session_data(sid, request)


def _invitations(app: FastAPI, desk: Desk) -> None:
    """Invite an institution or an expert; set an invitation's status."""
    store, registry = desk.store, desk.registry

    @app.post("/api/session/{sid}/invite", summary="Invite an institution or an expert (editor)", tags=["sessions"],
              status_code=201)
    def invite_api(request: Request, user: Owner, sid: Id, body: NewInvitation) -> dict:
        """`who` is looked up in the knowledge base (id, name or alias; for institutions the registry
        too); a name it does not know is invited as typed."""
        return found(S.invite, store, registry, sid, body.who, kind=body.kind, email=body.email,
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
            found(S.invite, store, registry, sid, who, kind=kind or None, email=email, language=language or None)
        except SessionError as exc:
            return desk.refused(request, sid, exc, {"who": who, "kind": kind, "email": email, "language": language})
        return RedirectResponse(f"/session/{sid}#invitations", status_code=303)

    @app.post("/api/session/{sid}/invitation/{iid}", summary="Set an invitation's status (editor)", tags=["sessions"])
    def invitation_api(request: Request, user: Owner, sid: Id, iid: Id, body: InvitationStatus) -> dict:
        found(S.set_invitation_status, store, sid, iid, body.status)
        return next(i for i in desk.session(sid)["invitations"] if i["id"] == iid)

    @app.post("/session/{sid}/invitation/{iid}", include_in_schema=False, response_class=HTMLResponse)
    def invitation_page(request: Request, user: Owner, sid: Id, iid: Id,
                        status: Annotated[str, Form(max_length=16)] = ""):
        try:
            found(S.set_invitation_status, store, sid, iid, status)
        except SessionError as exc:
            return desk.refused(request, sid, exc)
        return RedirectResponse(f"/session/{sid}#invitation-{iid}", status_code=303)


def _letters(app: FastAPI, desk: Desk) -> None:
    """The session's calendar file and its invitation letters."""
    @download(app, "/session/{sid}/calendar.ics", "The session as a calendar event (RFC 5545)")
    def calendar(request: Request, sid: Id) -> Response:
        return Response(ics(desk.shown(sid, request)), media_type="text/calendar; charset=utf-8",
                        headers={"Content-Disposition": attachment(f"session-{sid}.ics")})

    def letter(request: Request, sid: int, iid: int):
        s = desk.shown(sid, request)
        found_ = letters(s, desk.labels, only=iid, registry=desk.registry)
        if not found_:
            raise HTTPException(404, f"session {sid} has no invitation {iid}")
        return s, found_[0]

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
