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

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..convene import sessions as S
from ..convene.invite import ics, letters
from ..convene.sessions import SessionError
from ..read import ReadError
from . import briefing, convene_work
from .downloads import attachment, download
from .forms import Fields, FormInvalid, status_of, typed, validated
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

    def create(body: NewSession, user: dict) -> int:
        return S.create_session(store, registry, title=body.title, starts=body.starts, tz=body.timezone,
                                format=body.format, link=body.link, venue=body.venue, organizer=body.organizer,
                                moderator=body.moderator, type=body.type, language=body.language,
                                duration_min=body.duration_min, user_id=user.get("id"), title_other=body.title_other)

    @app.post("/api/sessions", summary="Plan a session (editor)", tags=["sessions"], status_code=201)
    def create_api(request: Request, user: Editor, body: NewSession) -> dict:
        """A new planned session; answers the session as GET /api/session/{id} does."""
        return desk.session_data(create(body, user), request)

    @app.post("/sessions", include_in_schema=False, response_class=HTMLResponse)
    def create_page(request: Request, user: Editor, fields: Fields):
        form = typed(fields, tuple(NewSession.model_fields))
        try:
            sid = create(validated(NewSession, fields), user)
        except (FormInvalid, SessionError) as exc:
            data = desk.sessions_data()
            return site.render(request, "sessions.html", status=status_of(exc), data=data,
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
    def invite_page(request: Request, user: Owner, sid: Id, fields: Fields):
        try:
            invite_api(request, user, sid, validated(NewInvitation, fields))
        except (FormInvalid, SessionError) as exc:
            return desk.refused(request, sid, exc, typed(fields, ("who", "kind", "email", "language")), status_of(exc))
        return RedirectResponse(f"/session/{sid}#invitations", status_code=303)

    @app.post("/api/session/{sid}/invitation/{iid}", summary="Set an invitation's status (editor)", tags=["sessions"])
    def invitation_api(request: Request, user: Owner, sid: Id, iid: Id, body: InvitationStatus) -> dict:
        found(S.set_invitation_status, store, sid, iid, body.status)
        return next(i for i in desk.session(sid)["invitations"] if i["id"] == iid)

    @app.post("/session/{sid}/invitation/{iid}", include_in_schema=False, response_class=HTMLResponse)
    def invitation_page(request: Request, user: Owner, sid: Id, iid: Id, fields: Fields):
        try:
            invitation_api(request, user, sid, iid, validated(InvitationStatus, fields))
        except (FormInvalid, SessionError) as exc:
            return desk.refused(request, sid, exc, status=status_of(exc))
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
