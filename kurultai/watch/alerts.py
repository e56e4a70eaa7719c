"""Alerts: saved searches whose new matches are delivered as an Atom feed and by e-mail.

An alert is a query and filters of the ordinary search (kurultai/store/search.py). Running it
looks at the documents stored since its last run (ids above its mark): those the search matches
are its new matches, kept in `alert_matches`. A search ranks the newest RESULT_CAP matches, so a
run after more than that many new matching documents reports the newest of them. A new alert
starts from the store as it is (existing documents are not "new") unless `include_existing`.

Its feed lives at /alerts/ID.atom?token=TOKEN: the token is private to whoever made the alert
(anyone with the URL can read that feed, and nothing else).
"""
from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, fields

from sqlalchemy import delete, func, insert, select, update

from ..store.db import Store
from ..store.search import RESULT_CAP, Filters, SearchError, find
from ..store.schema import alert_matches, alerts, documents
from .sources import now, stamp

FILTER_NAMES = tuple(f.name for f in fields(Filters))


class AlertError(ValueError):
    """An alert that cannot be made or found; the message says which and why."""


class NoAlert(AlertError, LookupError):
    """No alert has that id."""


@dataclass(frozen=True, slots=True)
class Alert:
    id: int
    query: str
    filters: dict
    email: str | None
    user_id: int | None
    token: str
    last_document_id: int
    last_run_at: str | None
    created_at: str

    @property
    def search(self) -> Filters:
        return Filters(**self.filters)

    def describe(self) -> str:
        parts = [f"«{self.query}»"] if self.query else []
        parts += [f"{k}={v}" for k, v in self.filters.items()]
        return " ".join(parts) or "every document"


def _row(row) -> Alert:
    return Alert(**{**row, "filters": json.loads(row["filters"] or "{}")})


def add(store: Store, query: str = "", filters: Filters | None = None, email: str | None = None,
        user_id: int | None = None, include_existing: bool = False, registry=None) -> Alert:
    """Save a search. It is run once here, so that a query or filter search refuses (an unknown
    institution, a query without words) is refused now with search's own message."""
    filters = filters or Filters()
    kept = {k: v for k, v in vars(filters).items() if v not in (None, "", (), [], {})}
    if not query.strip() and not kept:
        raise AlertError("an alert needs a query or a filter (it would match every document)")
    if email is not None and ("@" not in email or any(c.isspace() for c in email) or len(email) > 254):
        raise AlertError(f"--email: {email!r} is not an e-mail address")
    try:
        find(store, query, filters, limit=1, snippets=False, registry=registry)
    except SearchError as exc:
        raise AlertError(str(exc)) from None
    with store.begin() as conn:
        mark = 0 if include_existing else conn.execute(select(func.max(documents.c.id))).scalar() or 0
        new_id = conn.execute(insert(alerts).values(
            query=query.strip(), filters=json.dumps(kept, ensure_ascii=False), email=email, user_id=user_id,
            token=secrets.token_urlsafe(24), last_document_id=mark, created_at=stamp(now()))).inserted_primary_key[0]
    return get(store, new_id)


def get(store: Store, alert_id: int) -> Alert:
    with store.connect() as conn:
        row = conn.execute(select(alerts).where(alerts.c.id == alert_id)).mappings().first()
    if row is None:
        raise NoAlert(f"no alert has id {alert_id} (see `kurultai alert list`)")
    return _row(row)


def all_alerts(store: Store, user_id: int | None = None) -> list[Alert]:
    q = select(alerts).order_by(alerts.c.id)
    if user_id is not None:
        q = q.where(alerts.c.user_id == user_id)
    with store.connect() as conn:
        return [_row(r) for r in conn.execute(q).mappings()]


def remove(store: Store, alert_id: int) -> Alert:
    alert = get(store, alert_id)
    with store.begin() as conn:
        conn.execute(delete(alert_matches).where(alert_matches.c.alert_id == alert_id))
        conn.execute(delete(alerts).where(alerts.c.id == alert_id))
    return alert


def run(store: Store, alert: Alert, registry=None) -> list[int]:
    """The ids of the documents stored since the alert last ran that match it (kept as its matches)."""
    with store.connect() as conn:
        top = conn.execute(select(func.max(documents.c.id))).scalar() or 0
    found: list[int] = []
    if top > alert.last_document_id:
        _, _, ranked = find(store, alert.query, alert.search, limit=RESULT_CAP, snippets=False, registry=registry)
        found = sorted(i for i in ranked if alert.last_document_id < i <= top)
    at = stamp(now())
    with store.begin() as conn:
        known = set(conn.execute(select(alert_matches.c.document_id).where(alert_matches.c.alert_id == alert.id))
                    .scalars())
        rows = [{"alert_id": alert.id, "document_id": i, "found_at": at} for i in found if i not in known]
        if rows:
            conn.execute(insert(alert_matches), rows)
        conn.execute(update(alerts).where(alerts.c.id == alert.id).values(last_document_id=max(top, alert.last_document_id),
                                                                          last_run_at=at))
    return found


def matches(store: Store, alert_id: int, limit: int = 100, unsent: bool = False) -> list[dict]:
    """The alert's matches, newest first: the document's id, title, source, URL, dates."""
    q = (select(documents.c.id, documents.c.title, documents.c.source, documents.c.url, documents.c.published,
                documents.c.page_date, alert_matches.c.found_at)
         .join(alert_matches, alert_matches.c.document_id == documents.c.id)
         .where(alert_matches.c.alert_id == alert_id)
         .order_by(alert_matches.c.found_at.desc(), documents.c.id.desc()).limit(limit))
    if unsent:
        q = q.where(alert_matches.c.sent.is_(False))
    with store.connect() as conn:
        return [dict(r) for r in conn.execute(q).mappings()]


def mark_sent(store: Store, alert_id: int, document_ids: list[int]) -> None:
    if not document_ids:
        return
    with store.begin() as conn:
        conn.execute(update(alert_matches).where(alert_matches.c.alert_id == alert_id,
                                                 alert_matches.c.document_id.in_(document_ids)).values(sent=True))


def run_all(store: Store, mail=None, base_url: str = "http://127.0.0.1:8000", registry=None) -> list[str]:
    """Run every alert; with `mail` (a mail.Settings), e-mail each one's unsent matches to its
    address. One line per alert that found something or failed."""
    from . import mail as M
    lines = []
    for alert in all_alerts(store):
        try:
            found = run(store, alert, registry)
        except SearchError as exc:
            lines.append(f"alert {alert.id} ({alert.describe()}): failed: {exc}")
            continue
        if found:
            lines.append(f"alert {alert.id} ({alert.describe()}): {len(found)} new")
        if mail is not None and alert.email:
            pending = matches(store, alert.id, limit=200, unsent=True)
            if pending:
                try:
                    M.send_digest(mail, alert, pending, base_url)
                except M.MailError as exc:
                    lines.append(f"alert {alert.id}: the digest was not sent ({exc}); it will be tried again")
                    continue
                mark_sent(store, alert.id, [m["id"] for m in pending])
                lines.append(f"alert {alert.id}: digest of {len(pending)} sent to {alert.email}")
    return lines
