"""`kurultai session ...`: plan, invite, suggest the agenda, record and publish a session of the
expert dialogue from the command line (the web pages' twins)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer

from .cli_options import DB, open_store

session = typer.Typer(help="Plan, record and publish sessions of the expert dialogue.", no_args_is_help=True)


def _fail(message: str, code: int = 1):
    typer.echo(f"kurultai: error: {message}", err=True)
    raise typer.Exit(code)


def _ctx(db):
    from .knowledge.registry import Registry
    return open_store(db), Registry.load()


def _get(store, registry, sid: int) -> dict:
    from .convene.sessions import get_session
    try:
        return get_session(store, sid, registry)
    except LookupError as exc:
        _fail(str(exc))


def _labels(registry):
    from .i18n import Labels
    return Labels.load(registry)


@session.command("create")
def create(title: str = typer.Option(..., "--title", help="The session's title (printed in «» in the release)."),
           title_other: Optional[str] = typer.Option(None, "--title-other",
                                                     help="The title in the other language of the releases "
                                                          "(English for a Russian session)."),
           starts: str = typer.Option(..., "--starts", help="Local date and time: '2026-12-10 15:00'."),
           tz: str = typer.Option("Asia/Almaty", "--tz", help="IANA time zone of --starts."),
           format: str = typer.Option("online", "--format", help="online, offline or hybrid."),
           link: Optional[str] = typer.Option(None, "--link", help="Meeting link (online and hybrid)."),
           venue: Optional[str] = typer.Option(None, "--venue", help="Venue (offline and hybrid)."),
           organizer: Optional[str] = typer.Option(None, "--organizer",
                                                   help="Organising institution: id, name or abbreviation."),
           moderator: Optional[str] = typer.Option(None, "--moderator"),
           type: str = typer.Option("round_table", "--type", help="round_table, conference, seminar, forum..."),
           lang: str = typer.Option("ru", "--lang", help="The session's language (ru or en)."),
           duration: int = typer.Option(120, "--duration", help="Minutes."),
           db: str = DB) -> None:
    """Plan a session; prints its id.

    \b
    Example:
      kurultai session create --title "Водные ресурсы региона" --starts "2026-12-10 15:00" \\
          --tz Asia/Almaty --format online --link https://meet.example.org/x --organizer ИМЭП
    """
    from .convene.sessions import SessionError, create_session
    store, registry = _ctx(db)
    try:
        sid = create_session(store, registry, title=title, starts=starts, tz=tz, format=format, link=link,
                             venue=venue, organizer=organizer, moderator=moderator, type=type, language=lang,
                             duration_min=duration, title_other=title_other)
    except SessionError as exc:
        _fail(str(exc))
    typer.echo(sid)


@session.command("list")
def list_(db: str = DB) -> None:
    """Sessions, the latest first."""
    from .convene.sessions import list_sessions
    store, _ = _ctx(db)
    for s in list_sessions(store):
        typer.echo(f"{s['id']:>4}  {s['starts_at'][:16]}  {s['status']:<9}  {s['format']:<7}  {s['title']}")


@session.command("show")
def show(sid: int = typer.Argument(..., help="Session id."), db: str = DB) -> None:
    """Everything recorded about a session, as JSON."""
    store, registry = _ctx(db)
    typer.echo(json.dumps(_get(store, registry, sid), ensure_ascii=False, indent=2))


@session.command("invite")
def invite(sid: int = typer.Argument(..., help="Session id."),
           who: Optional[List[str]] = typer.Argument(None, help="Institutions or experts: knowledge-base id, "
                                                                 "name or alias (none with --out: export only)."),
           kind: Optional[str] = typer.Option(None, "--kind", help="org or person (guessed when not given)."),
           email: Optional[str] = typer.Option(None, "--email", help="Address for the letter (one invitee)."),
           lang: Optional[str] = typer.Option(None, "--lang", help="Letter language (default: the session's)."),
           status: Optional[str] = typer.Option(None, "--status",
                                                help="Set the status of invitation(s) instead: pending, sent, "
                                                     "accepted or declined; WHO are then invitation ids."),
           out: Optional[Path] = typer.Option(None, "--out", file_okay=False,
                                              help="Write the calendar (.ics) and every letter (.md, .eml) here."),
           db: str = DB) -> None:
    """Invite institutions or experts; set invitation statuses; export the calendar and letters.

    \b
    Examples:
      kurultai session invite 3 ИСМИ "Казахстанско-немецкий университет"
      kurultai session invite 3 "Анна Ким" --kind person --email anna@example.org --lang en
      kurultai session invite 3 1 2 --status accepted
      kurultai session invite 3 --out letters/          # the calendar and the letters
    """
    from .convene import invite as inv_mod
    from .convene.sessions import SessionError, invite as do_invite, set_invitation_status
    store, registry = _ctx(db)
    _get(store, registry, sid)
    try:
        if not who and not out:
            _fail("name someone to invite, or give --out to export the calendar and letters")
        for w in who or []:
            if status:
                if not w.isdigit():
                    _fail(f"--status takes invitation ids; got {w!r}")
                set_invitation_status(store, sid, int(w), status)
                typer.echo(f"invitation {w}: {status}")
            else:
                r = do_invite(store, registry, sid, w, kind=kind, email=email, language=lang)
                typer.echo(f"invitation {r['id']}: {r['kind']} {r['name']}" + (f" ({r['country']})" if r["country"] else ""))
    except (SessionError, LookupError) as exc:
        _fail(str(exc))
    if out:
        s = _get(store, registry, sid)
        out.mkdir(parents=True, exist_ok=True)
        (out / f"session-{sid}.ics").write_text(inv_mod.ics(s), encoding="utf-8", newline="")
        for letter in inv_mod.letters(s, _labels(registry), registry=registry):
            (out / f"{letter.filename}.md").write_text(letter.markdown, encoding="utf-8")
            (out / f"{letter.filename}.eml").write_bytes(letter.eml(s))
        typer.echo(f"calendar and {len(s['invitations'])} letter(s) -> {out}")


@session.command("agenda")
def agenda(sid: int = typer.Argument(..., help="Session id."),
           date_from: str = typer.Option(..., "--from", help="Period start, YYYY-MM-DD."),
           date_to: str = typer.Option(..., "--to", help="Period end, YYYY-MM-DD."),
           country: List[str] = typer.Option([], "--country", help="Only events of these countries (repeat)."),
           accept: Optional[str] = typer.Option(None, "--accept", help="Store these items as the agenda: "
                                                                       "'all' or numbers such as 1,3,4."),
           as_json: bool = typer.Option(False, "--json", help="Print the suggestion as JSON."),
           db: str = DB) -> None:
    """Suggest agenda items for a period, each with its evidence; --accept stores chosen ones.

    \b
    Example:
      kurultai session agenda 3 --from 2026-06-01 --to 2026-11-30 --country KZ --country UZ
      kurultai session agenda 3 --from 2026-06-01 --to 2026-11-30 --accept 1,2
    """
    from .convene.agenda import suggest
    from .convene.sessions import set_agenda
    store, registry = _ctx(db)
    _get(store, registry, sid)
    try:
        result = suggest(store, registry, date_from, date_to, countries=[c.upper() for c in country] or None)
    except ValueError as exc:
        _fail(str(exc))
    items = result.to_dict()["items"]
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        if not items:
            typer.echo("no agenda items: nothing rose, emerged or went quiet in this period")
        for k, it in enumerate(items, 1):
            label = (it.get("label") or {}).get("ru") or it.get("phrase") or it.get("id")
            typer.echo(f"{k:>2}. [{it['kind']}] {label}")
            why = it.get("why") or {}
            typer.echo(f"    {why.get('ru') if isinstance(why, dict) else why}")
            for ev in it.get("evidence", [])[:5]:
                typer.echo(f"      doc {ev.get('document_id')}  {ev.get('date') or '':<10}  {ev.get('title') or ''}")
    if accept:
        chosen = items if accept == "all" else []
        if accept != "all":
            try:
                chosen = [items[int(x) - 1] for x in accept.split(",") if x.strip()]
            except (ValueError, IndexError):
                _fail(f"--accept: {accept!r} is not 'all' or item numbers between 1 and {len(items)}")
        set_agenda(store, sid, chosen)
        typer.echo(f"agenda of session {sid}: {len(chosen)} item(s)")


@session.command("record")
def record(sid: int = typer.Argument(..., help="Session id."),
           speaker: Optional[str] = typer.Option(None, "--speaker", help="Who spoke (a contribution)."),
           institution: Optional[str] = typer.Option(None, "--institution", help="The speaker's institution."),
           text: Optional[str] = typer.Option(None, "--text", help="What was said, or an outcome's text."),
           transcript: Optional[Path] = typer.Option(None, "--transcript", exists=False,
                                                     help="A transcript file (.txt, .docx, .pdf) instead of --text."),
           text_other: Optional[str] = typer.Option(None, "--text-other",
                                                    help="An outcome's text in the other language of the releases."),
           outcome: Optional[str] = typer.Option(None, "--outcome",
                                                 help="Record an outcome of this kind instead: commitment, "
                                                      "recommendation, agreement or assessment."),
           db: str = DB) -> None:
    """Record a contribution (tagged with directions, threats, frameworks and outcome sentences) or
    an outcome of the session.

    \b
    Examples:
      kurultai session record 3 --speaker "Мурад Узаков" --institution ИСМИ --text "..."
      kurultai session record 3 --speaker "Anna Kim" --transcript kim.docx
      kurultai session record 3 --outcome commitment --text "проводить такие дискуссии ежеквартально"
    """
    from .convene.sessions import SessionError, add_contribution, add_outcome
    store, registry = _ctx(db)
    _get(store, registry, sid)
    try:
        if outcome:
            oid = add_outcome(store, sid, outcome, text or "", text_other=text_other)
            typer.echo(f"outcome {oid}: {outcome}")
            return
        if transcript:
            from .read import ReadError, read
            try:
                text = read(transcript).raw
            except ReadError as exc:
                _fail(str(exc))
        if not speaker:
            _fail("--speaker is required for a contribution (or give --outcome KIND)")
        from .convene.tagging import Tagger
        from .pipeline import Extractor
        c = add_contribution(store, registry, sid, speaker=speaker, institution=institution, text=text or "",
                             tagger=Tagger(Extractor(registry)), source=transcript.name if transcript else None)
    except SessionError as exc:
        _fail(str(exc))
    tags = c["tags"]
    typer.echo(f"contribution {c['id']}: {c['speaker']}" + (f" ({c['institution']})" if c["institution"] else ""))
    for field in ("directions", "threats", "frameworks"):
        if tags.get(field):
            typer.echo(f"  {field}: " + ", ".join(f"{t['id']} «{t['text']}»" for t in tags[field]))
    for o in tags.get("outcomes", []):
        typer.echo(f"  outcome? {o['kind']}: {o['text']}")


@session.command("publish")
def publish(sid: int = typer.Argument(..., help="Session id."),
            out: Path = typer.Option(Path("."), "--out", file_okay=False, help="Folder for the release files."),
            ingest: bool = typer.Option(True, "--ingest/--no-ingest",
                                        help="Also add the release to the knowledge base as a document."),
            db: str = DB) -> None:
    """Write the press release in Russian and English (text and HTML) and mark the session published.

    \b
    Example:
      kurultai session publish 3 --out releases/
    """
    from .convene.publish import release
    from .convene.sessions import mark_published
    store, registry = _ctx(db)
    s = _get(store, registry, sid)
    if not s["contributions"] and not s["outcomes"]:
        _fail(f"session {sid} has no contributions or outcomes recorded yet; nothing to publish")
    out.mkdir(parents=True, exist_ok=True)
    labels = _labels(registry)
    for lang in ("ru", "en"):
        r = release(s, registry, labels, lang, store)
        for ext, body in (("txt", r.text), ("html", r.html)):
            p = out / f"session-{sid}-release-{lang}.{ext}"
            p.write_text(body, encoding="utf-8")
            typer.echo(str(p))
    if ingest:
        from .convene.publish import publish_session
        from .pipeline import Extractor
        _, doc_id = publish_session(store, registry, labels, sid, Extractor(registry))
        typer.echo(f"release stored as document {doc_id}")
    else:
        mark_published(store, sid, None)


def briefing(date_from: str = typer.Option(..., "--from", help="Period start: YYYY, YYYY-MM or YYYY-MM-DD."),
             date_to: str = typer.Option(..., "--to", help="Period end: YYYY, YYYY-MM or YYYY-MM-DD."),
             country: List[str] = typer.Option([], "--country", help="Only events of these countries (repeat)."),
             lang: str = typer.Option("ru", "--lang", help="ru or en."),
             out: Path = typer.Option(..., "--out", "-o", dir_okay=False,
                                      help="Where to write it: NAME.html, NAME.pdf or NAME.json."),
             since_session: Optional[int] = typer.Option(None, "--since-session",
                                                         help="Directions quiet since this session "
                                                              "(default: the latest before the period)."),
             db: str = DB) -> None:
    """The briefing for a period: events, rising and quiet directions, most active institutions,
    the countries' convergence matrix and candidate new directions, as HTML (charts inline), PDF
    or JSON.

    \b
    Examples:
      kurultai briefing --from 2025-01 --to 2025-06 -o briefing.pdf
      kurultai briefing --from 2025 --to 2025 --country KZ --country UZ --lang en -o b.html
    """
    from .report.briefing import BriefingError, briefing as make, render_html, render_pdf
    store, registry = _ctx(db)
    suffix = out.suffix.lower()
    if suffix not in (".html", ".pdf", ".json"):
        _fail(f"{out}: give a file name ending in .html, .pdf or .json")
    try:
        b = make(store, registry, date_from, date_to, [c.upper() for c in country] or None, lang,
                 since_session=since_session)
        if suffix == ".html":
            out.write_text(render_html(b, lang), encoding="utf-8")
        elif suffix == ".pdf":
            out.write_bytes(render_pdf(b, lang))
        else:
            out.write_text(json.dumps(b.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
    except (BriefingError, ValueError) as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"{out}: cannot write ({exc.strerror or exc})")
    typer.echo(f"briefing {date_from}..{date_to} -> {out}")
