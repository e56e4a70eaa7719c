"""Who may see a session's personal data and who may change the session, on the web.

The meeting link and the invitees' e-mail addresses are shown to editors and admins only: anyone
else who may read (anonymous on loopback, a viewer) gets the session without them, in its page,
its JSON, its calendar and its letters alike, since all of them start from as_seen_by(). A session
belongs to the editor who planned it: a write to it goes through `Owner`, which lets its owner and
admins through and answers 403 to any other editor (a session without an owner: admins only).
"""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from .. import auth
from ..convene import sessions as S
from .site import Id
from .auth import require


def sees_personal_data(user: dict | None) -> bool:
    return bool(user) and auth.at_least(user["role"], "editor")


def as_seen_by(s: dict, user: dict | None) -> dict:
    """The session as `user` may see it, with `may_change`: whether this user may change it."""
    shown = s if sees_personal_data(user) else S.without_personal_data(s)
    return {**shown, "may_change": S.may_change(s.get("created_by"), user)}


def refusal(sid: int, owner: str | None) -> str:
    if owner is None:
        return (f"session {sid} has no owner (it was planned before sessions had owners, or from the command "
                "line): only an admin may change it")
    return f"session {sid} belongs to {owner}: only its owner or an admin may change it"


def session_owner(request: Request, user: Annotated[dict, Depends(require("editor"))], sid: Id) -> dict:
    """The signed-in user, when it may change session `sid`; 404 without the session, 403 for
    an editor whose session it is not."""
    try:
        owner_id, owner = S.owner_of(request.app.state.site.store, sid)
    except LookupError as exc:
        raise HTTPException(404, str(exc).strip("'\"")) from None
    if not S.may_change(owner_id, user):
        raise HTTPException(403, refusal(sid, owner))
    return user


Owner = Annotated[dict, Depends(session_owner)]
