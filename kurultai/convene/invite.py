"""A session's calendar event (.ics, RFC 5545) and its invitation letters (Markdown and .eml).

Nothing is sent: the letters are files an organiser mails from their own client. The calendar
gives start and end in UTC, which every client shows in its own zone; the letters give the local
time with the session's zone, since that is what the organiser announced.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from .grammar import gender_of
from .phrasing import phrasing
from .publish import gendered, in_lang, person_name, venue_in
from .sessions import local_start, utc_span

PRODID = "-//kurultai//expert dialogue//EN"


def _ics_text(value: str) -> str:
    """TEXT escaping of RFC 5545 §3.3.11."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _fold(line: str) -> str:
    """Lines of at most 75 octets, continued with CRLF and a space, never splitting a character."""
    out, cur = [], b""
    for ch in line:
        b = ch.encode("utf-8")
        if len(cur) + len(b) > (75 if not out else 74):
            out.append(cur)
            cur = b""
        cur += b
    out.append(cur)
    return "\r\n ".join(x.decode("utf-8") for x in out)


def header_text(value: str) -> str:
    """A value fit for one header line: control characters and line or paragraph separators (a
    title typed with a newline, U+2028 pasted from a document) become spaces, runs of spaces one;
    the email library then encodes and folds what is left."""
    spaced = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in value)
    return " ".join(spaced.split())


def _stamp(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _param(value: str) -> str:
    """A parameter value (CN=...): quoted, without the characters a quoted value cannot hold."""
    return '"' + re.sub(r'["\r\n\x00-\x1f]', "", value) + '"'


def ics(s: dict, host: str = "kurultai.local") -> str:
    """The session as one VEVENT of a VCALENDAR, attendees with their invitation status."""
    start, end = utc_span(s)
    status = {"pending": "NEEDS-ACTION", "sent": "NEEDS-ACTION", "accepted": "ACCEPTED", "declined": "DECLINED"}
    agenda = [it["label"].get(s["language"]) or it["label"].get("ru") for it in s.get("agenda") or []]
    description = "\n".join([s["title"]] + [f"{k + 1}. {a}" for k, a in enumerate(agenda)]
                            + ([s["link"]] if s.get("link") else []))
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             "BEGIN:VEVENT", f"UID:session-{s['id']}@{host}", f"DTSTAMP:{_stamp(datetime.now(timezone.utc))}",
             f"DTSTART:{_stamp(start)}", f"DTEND:{_stamp(end)}", f"SUMMARY:{_ics_text(s['title'])}",
             f"DESCRIPTION:{_ics_text(description)}"]
    location = s.get("venue") or s.get("link")
    if location:
        lines.append(f"LOCATION:{_ics_text(location)}")
    if s.get("link"):
        lines.append(f"URL:{s['link']}")
    if s.get("organizer"):
        lines.append(f"ORGANIZER;CN={_param(s['organizer'])}:urn:kurultai:organizer")
    for inv in s.get("invitations") or []:
        address = f"mailto:{inv['email']}" if inv.get("email") else f"urn:kurultai:invitation:{inv['id']}"
        cutype = "INDIVIDUAL" if inv["kind"] == "person" else "GROUP"
        lines.append(f"ATTENDEE;CN={_param(inv['name'])};CUTYPE={cutype};ROLE=REQ-PARTICIPANT;"
                     f"PARTSTAT={status.get(inv['status'], 'NEEDS-ACTION')}:{address}")
    lines += ["STATUS:CONFIRMED", "END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(_fold(x) for x in lines) + "\r\n"


@dataclass(frozen=True)
class Letter:
    invitation_id: int
    lang: str
    to: str | None
    subject: str
    markdown: str
    filename: str  # without extension; safe on every file system

    def eml(self, s: dict, sender: str = "kurultai@localhost") -> bytes:
        """An RFC 5322 message with the letter as text and the calendar attached; not sent."""
        msg = EmailMessage()
        msg["From"] = sender
        if self.to:
            msg["To"] = header_text(self.to)
        msg["Subject"] = header_text(self.subject)
        msg["Date"] = format_datetime(datetime.now(timezone.utc))
        msg["Message-ID"] = make_msgid(domain="kurultai.local")
        msg.set_content(self.markdown)
        msg.add_attachment(ics(s).encode("utf-8"), maintype="text", subtype="calendar",
                           filename=f"session-{s['id']}.ics", params={"method": "PUBLISH"})
        return bytes(msg)


def _safe(name: str) -> str:
    name = re.sub(r"[^\w.-]+", "-", name, flags=re.UNICODE).strip("-.")
    return name[:80] or "invitation"


def letters(s: dict, labels, only: int | None = None, registry=None) -> list[Letter]:
    """One letter per invitation (or only invitation `only`), in the invitation's language; the
    organiser named as the registry names it in that language, where it knows the body."""
    out = []
    inst = registry.institutions.get(s.get("organizer_registry_id") or "") if registry else None
    for inv in s.get("invitations") or []:
        if only is not None and inv["id"] != only:
            continue
        lang = inv.get("language") or s["language"]
        L = phrasing()["letters"][lang]
        start = local_start(s)
        months = phrasing()[lang]["months"]
        date = f"{start.day} {months[start.month - 1]} {start.year}" + (" г." if lang == "ru" else "")
        organizer = (inst.label(lang) if inst else s.get("organizer")) or (
            "Организаторы" if lang == "ru" else "The organisers")
        if inv["kind"] == "person":
            gender = gender_of(registry.morph, inv["name"]) if registry is not None else "x"
            greeting = gendered(L["greeting_person"], gender).format(name=person_name(inv["name"], lang))
        else:
            greeting = L["greeting_org"].format(name=inv["name"])
        title = in_lang(s, "title", lang)
        parts = [greeting, "", L["body"].format(organizer=organizer, title=title,
                                                type=labels.label("event_types", s["type"], lang), date=date,
                                                time=start.strftime("%H:%M"), tz=s["timezone"],
                                                format=L["formats"][s["format"]]).rstrip()]
        if s.get("link"):
            parts.append(L["link"].format(link=s["link"]))
        if s.get("venue"):
            parts.append(L["venue"].format(venue=venue_in(s, registry, lang)))
        if s.get("moderator"):
            parts.append(L["moderator"].format(moderator=person_name(s["moderator"], lang)))
        agenda = [it["label"].get(lang) or it["label"].get("ru") for it in s.get("agenda") or []]
        if agenda:
            parts += ["", L["agenda"], *[f"{k + 1}. {a}" for k, a in enumerate(agenda)]]
        parts += ["", L["reply"], "", L["closing"].format(organizer=organizer)]
        subject = L["subject"].format(title=title, date=date)
        out.append(Letter(inv["id"], lang, inv.get("email"), subject, "\n".join(parts) + "\n",
                          _safe(f"session-{s['id']}-{inv['id']}-{lang}-{inv['name']}")))
    return out
