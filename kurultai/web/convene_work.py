"""A session's work, page and JSON twin alike: its agenda (suggested, then accepted), the
contributions recorded and tagged, their tags corrected, the outcomes marked, and the release
published (web/convene.py installs these beside the sessions' own pages; web/session_desk.py
holds what they share).
"""
from __future__ import annotations

from pathlib import PurePath
from typing import Annotated

from fastapi import FastAPI, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from ..convene import sessions as S
from ..convene.sessions import SessionError
from ..read import ReadError, read_bytes
from .downloads import attachment, download
from .forms import Fields, FormInvalid, status_of, typed, validated
from .owners import Owner
from .session_bodies import MAX_AGENDA_ITEMS, AgendaItems, NewContribution, NewOutcome, TagCorrection
from .session_desk import TRANSCRIPTS, Countries, Desk, Period, ReleaseLang, agenda_items, found
from .site import MAX_FILE_BYTES, Id, twin


def install(app: FastAPI, desk: Desk) -> None:
    """Add the agenda, contributions, tags, outcomes and release routes of a session to `app`."""
    _agenda(app, desk)
    _contributions(app, desk)
    _outcomes(app, desk)
    _release(app, desk)


def _agenda(app: FastAPI, desk: Desk) -> None:
    store = desk.store

    @twin(app, desk.site, "/session/{sid}/agenda", "session_agenda.html", "The agenda suggested for a session, "
          "with its evidence", view=desk.agenda_view, tags=["sessions"])
    def agenda_page(request: Request, sid: Id, date_from: Annotated[Period, Query(alias="from")] = None,
                    date_to: Annotated[Period, Query(alias="to")] = None, countries: Countries = None) -> dict:
        """What changed in the period (by default the twelve months up to the session's month):
        rising directions, directions several countries newly share, directions gone quiet since the
        last session, frameworks debated more, new directions; each with the events behind it.
        `agenda` is what the session has accepted so far."""
        return desk.suggestion(desk.shown(sid, request), date_from, date_to, countries)

    @app.post("/api/session/{sid}/agenda", summary="Set the session's agenda (editor)", tags=["sessions"])
    def agenda_api(request: Request, user: Owner, sid: Id, body: AgendaItems) -> dict:
        """The items replace the agenda, in order."""
        found(S.set_agenda, store, sid, body.items)
        return {"agenda": desk.session(sid)["agenda"]}

    @app.post("/session/{sid}/agenda", include_in_schema=False, response_class=HTMLResponse)
    def agenda_accept(request: Request, user: Owner, sid: Id,
                      item: Annotated[list[str], Form(max_length=MAX_AGENDA_ITEMS)] = [],  # noqa: B006
                      custom: Annotated[str, Form(max_length=5000)] = ""):
        try:
            found(S.set_agenda, store, sid, agenda_items(item, custom))
        except SessionError as exc:
            return desk.refused(request, sid, exc)
        return RedirectResponse(f"/session/{sid}#agenda", status_code=303)


async def _transcript(upload, text: str) -> tuple[str, str | None]:
    """The contribution's text: as typed, or read from the transcript file sent instead."""
    if not (isinstance(upload, UploadFile) and upload.filename):
        return text, None
    source = PurePath(upload.filename.replace("\\", "/")).name
    if PurePath(source).suffix.lower() not in TRANSCRIPTS:
        raise SessionError(f"transcript: {source!r} is not a .txt, .docx or .pdf file")
    data = await upload.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise SessionError(f"transcript: {source!r} exceeds the {MAX_FILE_BYTES / 1e6:.0f} MB limit")
    if text.strip():
        raise SessionError("text: give the text or a transcript file, not both")
    return (await run_in_threadpool(read_bytes, data, source)).raw, source


def _contributions(app: FastAPI, desk: Desk) -> None:
    @app.post("/api/session/{sid}/contributions", summary="Record a contribution, tagged (editor)", tags=["sessions"],
              status_code=201)
    def contribution_api(request: Request, user: Owner, sid: Id, body: NewContribution) -> dict:
        """The text is tagged with the directions, threats and frameworks it raises and the sentences
        that read like outcomes, each with its evidence (offsets into `text`)."""
        desk.session(sid)
        return desk.record(sid, body.speaker, body.institution, body.text)

    @app.post("/session/{sid}/contributions", include_in_schema=False, response_class=HTMLResponse)
    async def contribution_page(request: Request, user: Owner, sid: Id):
        form = await request.form(max_files=1, max_fields=20)
        fields = {k: form.get(k) if isinstance(form.get(k), str) else "" for k in ("speaker", "institution", "text")}
        try:
            text, source = await _transcript(form.get("transcript"), fields["text"])
            await run_in_threadpool(desk.session, sid)
            await run_in_threadpool(desk.record, sid, fields["speaker"], fields["institution"], text, source)
        except (SessionError, ReadError) as exc:
            return await run_in_threadpool(desk.refused, request, sid, exc, fields)
        return RedirectResponse(f"/session/{sid}#contributions", status_code=303)

    @app.post("/api/session/{sid}/contribution/{cid}/tags", summary="Correct a contribution's tags (editor)",
              tags=["sessions"])
    def tags_api(request: Request, user: Owner, sid: Id, cid: Id, body: TagCorrection) -> dict:
        """Each list given replaces the tagger's (a field left out stays as it is); ids of the
        vocabulary only."""
        return desk.correct(sid, cid, directions=body.directions, threats=body.threats, frameworks=body.frameworks)

    @app.post("/session/{sid}/contribution/{cid}/tags", include_in_schema=False, response_class=HTMLResponse)
    def tags_page(request: Request, user: Owner, sid: Id, cid: Id, fields: Fields):
        try:
            tags_api(request, user, sid, cid, validated(TagCorrection, fields))
        except (FormInvalid, SessionError) as exc:
            return desk.refused(request, sid, exc, status=status_of(exc))
        return RedirectResponse(f"/session/{sid}#contribution-{cid}", status_code=303)


def _outcomes(app: FastAPI, desk: Desk) -> None:
    @app.post("/api/session/{sid}/outcomes", summary="Mark an outcome of the session (editor)", tags=["sessions"],
              status_code=201)
    def outcome_api(request: Request, user: Owner, sid: Id, body: NewOutcome) -> dict:
        """`text` completes the sentence 'The participants …' (agreed to …, recommended to …)."""
        oid = desk.outcome(sid, body.kind, body.text, body.contribution_id, body.text_other)
        return next(o for o in desk.session(sid)["outcomes"] if o["id"] == oid)

    @app.post("/session/{sid}/outcomes", include_in_schema=False, response_class=HTMLResponse)
    def outcome_page(request: Request, user: Owner, sid: Id, fields: Fields):
        try:
            body = validated(NewOutcome, fields)
            desk.outcome(sid, body.kind, body.text, body.contribution_id, body.text_other)
        except (FormInvalid, SessionError) as exc:
            kept = typed(fields, ("kind", "text", "text_other"))
            return desk.refused(request, sid, exc, {f"outcome_{k}": v for k, v in kept.items()}, status_of(exc))
        return RedirectResponse(f"/session/{sid}#outcomes", status_code=303)


def _release(app: FastAPI, desk: Desk) -> None:
    @app.post("/api/session/{sid}/publish", summary="Publish the session (editor)", tags=["sessions"])
    def publish_api(request: Request, user: Owner, sid: Id) -> dict:
        """Stores the release (in the session's language) as a document of the knowledge base and
        marks the session published; the release is then at /session/{id}/release. A session with
        nothing recorded cannot be published."""
        desk.publish(sid)
        s = desk.session(sid)
        return {**desk.brief(s), "document_id": s["document_id"], "release": desk.links(s)["release"]}

    @app.post("/session/{sid}/publish", include_in_schema=False, response_class=HTMLResponse)
    def publish_page(request: Request, user: Owner, sid: Id):
        try:
            s = desk.publish(sid)
        except SessionError as exc:
            return desk.refused(request, sid, exc)
        return RedirectResponse(f"/session/{sid}/release?lang={s['language']}", status_code=303)

    @twin(app, desk.site, "/session/{sid}/release", "session_release.html", "The session's press release",
          tags=["sessions"])
    def release_page(request: Request, sid: Id, lang: ReleaseLang = None) -> dict:
        """The release in `lang`: its title, paragraphs and whole text; `status` says whether the
        session is published yet (before, the release is a draft)."""
        s, lang, r = desk.written(sid, lang)
        return {"session": desk.brief(s), "lang": lang, "title": r.title, "paragraphs": list(r.paragraphs),
                "text": r.text, "links": {k: v for k, v in desk.links(s).items() if k.startswith("release")}}

    @download(app, "/session/{sid}/release.txt", "The press release as plain text")
    def release_txt(sid: Id, lang: ReleaseLang = None) -> Response:
        _, lang, r = desk.written(sid, lang)
        return Response(r.text, media_type="text/plain; charset=utf-8",
                        headers={"Content-Disposition": attachment(f"session-{sid}-release-{lang}.txt")})

    @download(app, "/session/{sid}/release.html", "The press release as an HTML document")
    def release_html(sid: Id, lang: ReleaseLang = None) -> Response:
        _, lang, r = desk.written(sid, lang)
        return Response(r.html, media_type="text/html; charset=utf-8",
                        headers={"Content-Disposition": attachment(f"session-{sid}-release-{lang}.html")})
