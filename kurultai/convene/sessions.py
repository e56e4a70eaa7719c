"""Sessions of the expert dialogue, as stored: planning, invitations, contributions, outcomes.

Plain functions over a Store; each write is one transaction and checks its input first, raising
SessionError with a message that names the field and the problem. Institutions and people are
looked up in the knowledge base (by id, name or alias) and, for institutions, in the registry, so
that the published release names them the way the extractor will find them again.

A session belongs to the user who made it (`created_by`, its `owner`): the web lets only its owner
and admins change it; a session made without a user (before sessions had owners, or from the
command line) only admins. The meeting link and the invitees' e-mail addresses are personal data:
without_personal_data() is the session as one who may only read sees it.
"""
from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, insert, select, update

from ..i18n import LANGS
from ..store import Store
from ..store.documents import now
from ..store.names import norm
from ..store.schema import aliases, contributions, entities, invitations, session_outcomes, sessions, users

FORMATS = ("online", "offline", "hybrid")
STATUSES = ("planned", "held", "published")
INVITATION_STATUSES = ("pending", "sent", "accepted", "declined")
OUTCOME_KINDS = ("commitment", "recommendation", "agreement", "assessment")
MAX_TEXT = 100_000  # characters of one contribution


class SessionError(ValueError):
    """Input a session cannot take; the message names the field and says why."""


def _check(value, allowed, field: str) -> str:
    if value not in allowed:
        raise SessionError(f"{field}: {value!r} is not one of {', '.join(allowed)}")
    return value


def _text(value: str | None, field: str, required: bool = False, limit: int = 500) -> str | None:
    value = (value or "").strip() or None
    if required and not value:
        raise SessionError(f"{field}: required")
    if value and len(value) > limit:
        raise SessionError(f"{field}: {len(value)} characters, at most {limit}")
    if value and re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", value):
        raise SessionError(f"{field}: contains control characters")
    return value


def session_types() -> tuple[str, ...]:
    """The event types a session may have: those the release's phrasing (release.yaml) can name."""
    from .phrasing import phrasing
    return tuple(phrasing()["ru"]["types"])


def parse_start(when: str, tz: str) -> datetime:
    """'2026-12-10 15:00' (or ISO with T) in the IANA zone `tz` -> an aware datetime."""
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise SessionError(f"timezone: unknown zone {tz!r} (use an IANA name such as Asia/Almaty)") from exc
    when = re.sub(r"[ T](\d):", r"T0\1:", when.strip())  # '9:00' -> '09:00'
    try:
        dt = datetime.fromisoformat(when.replace(" ", "T", 1))
    except ValueError as exc:
        raise SessionError(f"starts: {when!r} is not a date and time such as 2026-12-10 15:00") from exc
    return dt.replace(tzinfo=zone) if dt.tzinfo is None else dt.astimezone(zone)


def _link(value: str | None) -> str | None:
    value = _text(value, "link", limit=2000)
    if value and not re.match(r"https?://[^\s<>\"']+$", value):
        raise SessionError(f"link: {value[:80]!r} is not an http(s) address")
    return value


def _entity(conn, kind: str, q: str):
    """The knowledge base's entity of `kind` with id `q`, else the first known under the name or
    alias `q`; None when there is none."""
    if q.isdigit():
        row = conn.execute(select(entities).where(entities.c.id == int(q), entities.c.kind == kind)).first()
        if row is not None:
            return row
    eid = conn.execute(select(aliases.c.entity_id).join(entities, entities.c.id == aliases.c.entity_id)
                       .where(aliases.c.norm == norm(q), entities.c.kind == kind)
                       .order_by(aliases.c.entity_id).limit(1)).scalar()
    return conn.execute(select(entities).where(entities.c.id == eid)).first() if eid else None


def find_org(store: Store, registry, query: str | int | None) -> dict | None:
    """An institution by entity id, stored name or alias, or registry name/abbreviation:
    {entity_id, name, short, country, registry_id}; None when nothing is known by that name."""
    if query is None or str(query).strip() == "":
        return None
    q = str(query).strip()
    with store.connect() as conn:
        row = _entity(conn, "org", q)
    if row is not None:
        inst = registry.institutions.get(row.registry_id or "") if registry else None
        return {"entity_id": row.id, "name": row.name, "short": row.short, "country": row.country,
                "registry_id": row.registry_id, "names": _inst_names(inst, row.name, row.short)}
    if registry:
        inst = registry_institution(registry, q)
        if inst:
            return {"entity_id": None, "name": inst.label("ru"), "short": inst.short("ru"), "country": inst.country,
                    "registry_id": inst.id, "names": _inst_names(inst, inst.label("ru"), inst.short("ru"))}
    return None


def registry_institution(registry, name: str):
    key = norm(name)
    for inst in registry.institutions.values():
        forms = [*inst.name.values(), *(a for v in inst.abbr.values() for a in v),
                 *(a for v in inst.aliases.values() for a in (v if isinstance(v, list) else [v]))]
        if any(norm(f) == key for f in forms):
            return inst
    return None


def _inst_names(inst, name: str, short: str | None) -> dict:
    """The names to print per language: the registry's where it knows the body."""
    if inst is None:
        return {lang: {"name": name, "short": short} for lang in LANGS}
    return {lang: {"name": inst.name.get(lang) or name, "short": inst.short(lang)} for lang in LANGS}


def find_person(store: Store, query: str | int) -> dict | None:
    q = str(query).strip()
    with store.connect() as conn:
        row = _entity(conn, "person", q)
        if row is None:
            return None
        aff = conn.execute(select(entities).where(entities.c.id == row.affiliation_id)).first() \
            if row.affiliation_id else None
    return {"entity_id": row.id, "name": row.name, "institution": aff.name if aff else None,
            "country": (aff.country if aff else None) or row.country}


# -- sessions --------------------------------------------------------------------------------------------------------

def create_session(store: Store, registry, *, title: str, starts: str, tz: str, format: str,
                   link: str | None = None, venue: str | None = None, organizer: str | int | None = None,
                   moderator: str | None = None, type: str = "round_table", language: str = "ru",
                   duration_min: int = 120, user_id: int | None = None, title_other: str | None = None) -> int:
    """A new planned session; returns its id. `title_other` is the title in the other language of
    the releases (English for a Russian session), printed in that language's release."""
    title = _text(title, "title", required=True)
    title_other = _text(title_other, "title in the other language")
    start = parse_start(starts, tz)
    _check(format, FORMATS, "format")
    _check(language, LANGS, "language")
    if type not in session_types():
        raise SessionError(f"type: {type!r} is not a kind of session a release can name; "
                           f"use one of {', '.join(session_types())}")
    if not 10 <= int(duration_min) <= 24 * 60:
        raise SessionError(f"duration: {duration_min} minutes; give 10 to 1440")
    link, venue = _link(link), _text(venue, "venue")
    kind = {"online": "an online", "offline": "an in-person", "hybrid": "a hybrid"}[format]
    if format in ("online", "hybrid") and not link:
        raise SessionError(f"link: {kind} session needs a meeting link")
    if format in ("offline", "hybrid") and not venue:
        raise SessionError(f"venue: {kind} session needs a venue")
    org = find_org(store, registry, organizer) if organizer not in (None, "") else None
    if organizer not in (None, "") and org is None:
        org = {"entity_id": None, "name": _text(str(organizer), "organizer"), "short": None, "country": None}
    with store.begin() as conn:
        return conn.execute(insert(sessions).values(
            title=title, title_other=title_other, starts_at=start.isoformat(), timezone=tz, duration_min=int(duration_min), type=type,
            format=format, link=link, venue=venue, organizer_id=org and org["entity_id"],
            organizer=org and org["name"], moderator=_text(moderator, "moderator"), language=language,
            status="planned", agenda="[]", created_by=user_id, created_at=now())).inserted_primary_key[0]


def _session_row(conn, sid: int):
    row = conn.execute(select(sessions).where(sessions.c.id == sid)).first()
    if row is None:
        raise LookupError(f"no session has id {sid}")
    return row


def get_session(store: Store, sid: int, registry=None) -> dict:
    """The session with its invitations, agenda, contributions and outcomes."""
    with store.connect() as conn:
        row = _session_row(conn, sid)
        invs = conn.execute(select(invitations).where(invitations.c.session_id == sid)
                            .order_by(invitations.c.id)).mappings().all()
        contribs = conn.execute(select(contributions).where(contributions.c.session_id == sid)
                                .order_by(contributions.c.id)).mappings().all()
        outs = conn.execute(select(session_outcomes).where(session_outcomes.c.session_id == sid)
                            .order_by(session_outcomes.c.id)).mappings().all()
        org_row = conn.execute(select(entities).where(entities.c.id == row.organizer_id)).first() \
            if row.organizer_id else None
        owner = conn.execute(select(users.c.name).where(users.c.id == row.created_by)).scalar() \
            if row.created_by is not None else None
    s = dict(row._mapping)
    s["owner"] = owner
    s["status"] = current_status(s["status"], s["starts_at"], len(contribs))
    s["agenda"] = json.loads(s["agenda"] or "[]")
    s["organizer_country"] = org_row.country if org_row else None
    s["organizer_registry_id"] = org_row.registry_id if org_row else None
    if registry is not None and s["organizer"] and not org_row:
        inst = registry_institution(registry, s["organizer"])
        if inst:
            s["organizer_country"], s["organizer_registry_id"] = inst.country, inst.id
    s["invitations"] = [dict(i) for i in invs]
    s["contributions"] = [{**dict(c), "tags": json.loads(c["tags"] or "{}")} for c in contribs]
    s["outcomes"] = [dict(o) for o in outs]
    return s


def without_personal_data(s: dict) -> dict:
    """The session without what only editors may see: the meeting link, the invitees' e-mail
    addresses and who owns it (`personal_data_hidden` says so)."""
    return {**s, "link": None, "created_by": None, "owner": None, "personal_data_hidden": True,
            "invitations": [{**i, "email": None} for i in s.get("invitations") or ()]}


def owner_of(store: Store, sid: int) -> tuple[int | None, str | None]:
    """(user id, user name) of the session's owner; (None, None) when it has none. LookupError
    when there is no such session."""
    with store.connect() as conn:
        row = conn.execute(select(sessions.c.created_by, users.c.name)
                           .select_from(sessions.outerjoin(users, users.c.id == sessions.c.created_by))
                           .where(sessions.c.id == sid)).first()
    if row is None:
        raise LookupError(f"no session has id {sid}")
    return row.created_by, row.name


def may_change(owner_id: int | None, user: dict | None) -> bool:
    """Whether `user` may change a session owned by `owner_id`: its owner (an editor or more), or an admin."""
    if not user or user.get("disabled"):
        return False
    if user.get("role") == "admin":
        return True
    return user.get("role") == "editor" and owner_id is not None and owner_id == user.get("id")


def list_sessions(store: Store) -> list[dict]:
    with store.connect() as conn:
        n_contrib = (select(func.count()).where(contributions.c.session_id == sessions.c.id)
                     .scalar_subquery().label("contributions"))
        rows = conn.execute(select(sessions.c.id, sessions.c.title, sessions.c.starts_at, sessions.c.timezone,
                                   sessions.c.format, sessions.c.status, sessions.c.organizer, n_contrib)
                            .order_by(sessions.c.starts_at.desc())).mappings().all()
    return [dict(r) for r in rows]


def has_begun(starts_at: str, now: datetime | None = None) -> bool:
    """Whether a session starting at `starts_at` (ISO with its offset) has begun by `now`."""
    return datetime.fromisoformat(starts_at) <= (now or datetime.now(timezone.utc))


def current_status(stored: str, starts_at: str, contributions: int, now: datetime | None = None) -> str:
    """The status a session has now: 'held' once it has begun and something was said at it, even
    when what was said was recorded ahead of the date; never 'held' before the date."""
    if stored == "published":
        return stored
    begun = has_begun(starts_at, now)
    if begun and (stored == "held" or contributions):
        return "held"
    return "planned"


def set_status(store: Store, sid: int, status: str) -> None:
    _check(status, STATUSES, "status")
    with store.begin() as conn:
        row = _session_row(conn, sid)
        if status == "held" and not has_begun(row.starts_at):
            raise SessionError(f"status: session {sid} starts {row.starts_at[:16].replace('T', ' ')}; "
                               "it cannot be held before its date")
        conn.execute(update(sessions).where(sessions.c.id == sid).values(status=status))


def set_agenda(store: Store, sid: int, items: list[dict]) -> None:
    """Replace the agenda with `items` (suggested ones accepted, or typed by the editor): each a dict
    with at least a `label` ({ru, en} or a string); `kind`, `id`, `phrase`, `why` are kept."""
    clean = []
    for k, it in enumerate(items):
        label = it.get("label")
        if isinstance(label, str):
            label = {"ru": label, "en": label}
        if not isinstance(label, dict) or not any((label.get(x) or "").strip() for x in LANGS):
            raise SessionError(f"agenda item {k + 1}: needs a label")
        clean.append({"kind": it.get("kind") or "custom", "id": it.get("id"), "phrase": it.get("phrase"),
                      "label": {x: _text(label.get(x) or label.get("ru") or label.get("en"), "agenda label")
                                for x in LANGS},
                      "why": it.get("why")})
    with store.begin() as conn:
        _session_row(conn, sid)
        conn.execute(update(sessions).where(sessions.c.id == sid).values(agenda=json.dumps(clean, ensure_ascii=False)))


# -- invitations -----------------------------------------------------------------------------------------------------

def invite(store: Store, registry, sid: int, who: str | int, kind: str | None = None, email: str | None = None,
           language: str | None = None) -> dict:
    """Invite an institution or an expert (by knowledge-base id, name or alias; an unknown name is
    invited as typed). `kind` org|person; guessed from what the knowledge base knows otherwise."""
    if not str(who).strip():
        raise SessionError("invitee: required (a name, an abbreviation or a knowledge-base id)")
    email = _text(email, "email", limit=254)
    if email and not re.fullmatch(r"[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+", email):
        raise SessionError(f"email: {email!r} is not an e-mail address")
    found = None
    if kind in (None, "person"):
        p = find_person(store, who)
        if p:
            found = {"kind": "person", **p}
    if found is None and kind in (None, "org"):
        o = find_org(store, registry, who)
        if o:
            found = {"kind": "org", "entity_id": o["entity_id"], "name": o["name"], "institution": None,
                     "country": o["country"]}
    if found is None:
        if str(who).strip().isdigit():
            raise SessionError(f"invitee: no institution or person has id {who}")
        found = {"kind": kind or "org", "entity_id": None, "name": _text(str(who), "invitee", required=True),
                 "institution": None, "country": None}
    with store.begin() as conn:
        s = _session_row(conn, sid)
        lang = language or s.language
        _check(lang, LANGS, "language")
        exists = conn.execute(select(invitations.c.id).where(invitations.c.session_id == sid,
                                                             invitations.c.kind == found["kind"],
                                                             invitations.c.name == found["name"])).scalar()
        if exists:
            raise SessionError(f"invitee: {found['name']} is already invited to session {sid}")
        iid = conn.execute(insert(invitations).values(
            session_id=sid, kind=found["kind"], entity_id=found["entity_id"], name=found["name"],
            institution=found.get("institution"), country=found.get("country"), email=email, language=lang,
            status="pending", created_at=now())).inserted_primary_key[0]
    return {"id": iid, **found, "email": email, "language": lang, "status": "pending"}


def set_invitation_status(store: Store, sid: int, iid: int, status: str) -> None:
    _check(status, INVITATION_STATUSES, "status")
    with store.begin() as conn:
        n = conn.execute(update(invitations).where(invitations.c.id == iid, invitations.c.session_id == sid)
                         .values(status=status)).rowcount
    if not n:
        raise LookupError(f"session {sid} has no invitation {iid}")


# -- recording ---------------------------------------------------------------------------------------------------------

def add_contribution(store: Store, registry, sid: int, *, speaker: str, text: str, institution: str | None = None,
                     tagger=None, source: str | None = None) -> dict:
    """Record what a speaker said; `tagger` (tagging.Tagger) tags it with directions, threats,
    frameworks and outcome suggestions, each with its evidence span in `text`."""
    speaker = _text(speaker, "speaker", required=True, limit=200)
    text = _text(text, "text", required=True, limit=MAX_TEXT)
    org = find_org(store, registry, institution) if institution else None
    inst_name = (org or {}).get("name") or _text(institution, "institution")
    tags = tagger.tag(text) if tagger else {}
    with store.begin() as conn:
        _session_row(conn, sid)
        cid = conn.execute(insert(contributions).values(
            session_id=sid, speaker=speaker, institution=inst_name, institution_id=(org or {}).get("entity_id"),
            country=(org or {}).get("country"), text=text, source=_text(source, "source"),
            tags=json.dumps(tags, ensure_ascii=False), corrected=False, created_at=now())).inserted_primary_key[0]
        # something was said at a session that has begun: it has been held (a contribution recorded
        # ahead of the date, a speech sent in advance, leaves it planned; current_status() derives it later)
        start = conn.execute(select(sessions.c.starts_at).where(sessions.c.id == sid)).scalar()
        if has_begun(start):
            conn.execute(update(sessions).where(sessions.c.id == sid, sessions.c.status == "planned")
                         .values(status="held"))
    return {"id": cid, "speaker": speaker, "institution": inst_name, "country": (org or {}).get("country"),
            "tags": tags}


def correct_tags(store: Store, sid: int, cid: int, *, directions: list[str] | None = None,
                 threats: list[str] | None = None, frameworks: list[str] | None = None, known: dict | None = None) -> dict:
    """An editor's correction: the listed ids replace the tagger's (evidence kept where it had one)."""
    with store.begin() as conn:
        row = conn.execute(select(contributions).where(contributions.c.id == cid,
                                                       contributions.c.session_id == sid)).first()
        if row is None:
            raise LookupError(f"session {sid} has no contribution {cid}")
        tags = json.loads(row.tags or "{}")
        for field, ids in (("directions", directions), ("threats", threats), ("frameworks", frameworks)):
            if ids is None:
                continue
            if known and field in known:
                bad = [i for i in ids if i not in known[field]]
                if bad:
                    raise SessionError(f"{field}: unknown id {bad[0]!r}")
            had = {t["id"]: t for t in tags.get(field, [])}
            tags[field] = [had.get(i) or {"id": i} for i in dict.fromkeys(ids)]
        conn.execute(update(contributions).where(contributions.c.id == cid)
                     .values(tags=json.dumps(tags, ensure_ascii=False), corrected=True))
    return tags


def add_outcome(store: Store, sid: int, kind: str, text: str, contribution_id: int | None = None,
                text_other: str | None = None) -> int:
    """Mark an outcome of the session. The text completes the sentence 'The participants ...':
    e.g. kind=commitment, text='hold such discussions every quarter'; `text_other` says it in the
    other language of the releases."""
    _check(kind, OUTCOME_KINDS, "kind")
    text = _text(text, "outcome", required=True, limit=1000)
    text_other = _text(text_other, "outcome in the other language", limit=1000)
    with store.begin() as conn:
        _session_row(conn, sid)
        return conn.execute(insert(session_outcomes).values(
            session_id=sid, contribution_id=contribution_id, kind=kind, text=text.rstrip(". "),
            text_other=text_other.rstrip(". ") if text_other else None,
            created_at=now())).inserted_primary_key[0]


def mark_published(store: Store, sid: int, document_id: int | None) -> None:
    with store.begin() as conn:
        conn.execute(update(sessions).where(sessions.c.id == sid).values(
            status="published", published_at=now(), document_id=document_id))


def local_start(s: dict) -> datetime:
    return datetime.fromisoformat(s["starts_at"]).astimezone(ZoneInfo(s["timezone"]))


def utc_span(s: dict) -> tuple[datetime, datetime]:
    start = datetime.fromisoformat(s["starts_at"]).astimezone(timezone.utc)
    return start, start + timedelta(minutes=s["duration_min"])
