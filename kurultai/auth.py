"""Users, roles and logins: who may write to the store.

    create_user(store, "aigul", "a long passphrase", "editor")
    user = authenticate(store, "aigul", "a long passphrase")   # the user's dict, or None
    login = start_login(store, user)       # login.token goes in the cookie, login.csrf in forms
    found = find_login(store, login.token) # (user, csrf) while the login lasts

Passwords are hashed with argon2id (argon2-cffi's RFC 9106 profile; the hash carries its own
parameters and salt, and a hash made with older parameters is renewed at the next sign-in). A
login token is 32 random bytes that only the user's cookie holds: the store keeps its SHA-256, so
a copy of the `logins` table signs nobody in. Each login has its own CSRF token, which every write
through the web must send back. Roles are ordered viewer < editor < admin; the role and the
disabled flag are read on every request, so a change takes effect at once.
"""
from __future__ import annotations

import functools
import hashlib
import hmac
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from .store.schema import logins, users

ROLES = ("viewer", "editor", "admin")  # in order: each may do what the ones before it may
LOGIN_HOURS = 12
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
MAX_NAME = 64
NAME_RE = re.compile(r"[^\W_][\w.@-]*")


class AuthError(ValueError):
    """A user name, password or role that cannot be used, or a user that does not exist; the
    message names it and says why."""


class UnknownUser(AuthError):
    """No user has that name (or id)."""


class UserExists(AuthError):
    """A user of that name exists already."""


@dataclass(frozen=True, slots=True)
class Login:
    token: str  # for the cookie only; the store has its SHA-256
    csrf: str
    expires_at: datetime
    user: dict


def _hasher() -> PasswordHasher:
    return PasswordHasher()  # argon2id, t=3, m=64 MiB, p=4


@functools.cache
def _dummy_hash() -> str:
    """A hash to verify against when the name is unknown, so that a wrong name costs what a
    wrong password costs and the time of an answer does not tell which names exist."""
    return _hasher().hash(secrets.token_urlsafe(16))


def now_utc() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# -- checks ---------------------------------------------------------------------------------------------------------

def name_key(name: str | None) -> str:
    """A user name as it is compared: NFKC-normalised and case-folded, so that 'Aigul', 'AIGUL'
    and its full-width spelling 'ＡＩＧＵＬ' are one name (at sign-in, in the sign-in throttle,
    and when a user is added); it is not checked (see check_name)."""
    folded = unicodedata.normalize("NFKC", name or "").casefold()
    return unicodedata.normalize("NFKC", folded).strip()


def check_name(name: str) -> str:
    """The name as stored: its name_key (so 'Aigul', 'aigul' and 'ａｉｇｕｌ' are one user)."""
    clean = name_key(name)
    if not clean:
        raise AuthError("user name: it is empty")
    if len(clean) > MAX_NAME:
        raise AuthError(f"user name {clean[:20]!r}…: {len(clean)} characters, at most {MAX_NAME}")
    if not NAME_RE.fullmatch(clean):
        raise AuthError(f"user name {clean!r}: use letters, digits and . _ - @ only, starting with a letter "
                        "or a digit (no spaces)")
    return clean


def check_password(password: str, name: str | None = None) -> str:
    if password is None or len(password) < MIN_PASSWORD:
        n = len(password or "")
        raise AuthError(f"password: {n} character{'s' if n != 1 else ''} long; use at least {MIN_PASSWORD}")
    if len(password) > MAX_PASSWORD:
        raise AuthError(f"password: {len(password)} characters long; at most {MAX_PASSWORD}")
    if not password.strip():
        raise AuthError("password: it is only spaces")
    if name and password.strip().lower() == name.lower():
        raise AuthError("password: it is the user name")
    return password


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AuthError(f"role {role!r}: not one of {', '.join(ROLES)}")
    return role


def at_least(role: str | None, needed: str) -> bool:
    """Whether `role` may do what `needed` may (viewer < editor < admin)."""
    return role in ROLES and ROLES.index(role) >= ROLES.index(check_role(needed))


def same_token(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison of two tokens; a missing one never matches."""
    return bool(expected) and bool(given) and hmac.compare_digest(expected.encode(), given.encode())


# -- users ----------------------------------------------------------------------------------------------------------

_COLUMNS = (users.c.id, users.c.name, users.c.role, users.c.disabled, users.c.created_at)


def _user(row) -> dict:
    return {"id": row.id, "name": row.name, "role": row.role, "disabled": bool(row.disabled),
            "created_at": row.created_at}


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def create_user(store, name: str, password: str, role: str) -> dict:
    name = check_name(name)
    check_password(password, name)
    check_role(role)
    hashed = hash_password(password)
    try:
        with store.begin() as conn:
            uid = conn.execute(insert(users).values(name=name, password_hash=hashed, role=role, disabled=False,
                                                    created_at=_stamp(now_utc()))).inserted_primary_key[0]
    except IntegrityError:
        raise UserExists(f"user {name!r}: already exists") from None
    return get_user(store, uid)


def get_user(store, key: int | str) -> dict:
    """A user by id or by name; AuthError if there is none."""
    where = users.c.id == key if isinstance(key, int) else users.c.name == check_name(key)
    with store.connect() as conn:
        row = conn.execute(select(*_COLUMNS).where(where)).first()
    if row is None:
        raise UnknownUser(f"user {key!r}: no such user")
    return _user(row)


def list_users(store) -> list[dict]:
    with store.connect() as conn:
        return [_user(r) for r in conn.execute(select(*_COLUMNS).order_by(users.c.name))]


def count_users(store) -> int:
    with store.connect() as conn:
        return conn.execute(select(func.count()).select_from(users)).scalar_one()


def _keep_an_admin(conn, user_id: int, name: str) -> None:
    """Refuse to leave the store without an active admin: nobody could manage users then."""
    others = conn.execute(select(func.count()).select_from(users).where(
        users.c.role == "admin", users.c.disabled.is_(False), users.c.id != user_id)).scalar_one()
    if not others:
        raise AuthError(f"user {name!r}: the only active admin; make another user admin first")


def set_password(store, name: str, password: str) -> dict:
    """A new password; the user's logins end (signed out everywhere)."""
    user = get_user(store, name)
    check_password(password, user["name"])
    hashed = hash_password(password)
    with store.begin() as conn:
        conn.execute(update(users).where(users.c.id == user["id"]).values(password_hash=hashed))
        conn.execute(delete(logins).where(logins.c.user_id == user["id"]))
    return user


def set_role(store, name: str, role: str) -> dict:
    user = get_user(store, name)
    check_role(role)
    with store.begin() as conn:
        if user["role"] == "admin" and role != "admin" and not user["disabled"]:
            _keep_an_admin(conn, user["id"], user["name"])
        conn.execute(update(users).where(users.c.id == user["id"]).values(role=role))
    return get_user(store, user["id"])


def set_disabled(store, name: str, disabled: bool = True) -> dict:
    """Disable (or enable again) a user; a disabled user's logins end and it cannot sign in."""
    user = get_user(store, name)
    with store.begin() as conn:
        if disabled and user["role"] == "admin":
            _keep_an_admin(conn, user["id"], user["name"])
        conn.execute(update(users).where(users.c.id == user["id"]).values(disabled=disabled))
        if disabled:
            conn.execute(delete(logins).where(logins.c.user_id == user["id"]))
    return get_user(store, user["id"])


def disable(store, name: str) -> dict:
    return set_disabled(store, name, True)


def authenticate(store, name: str, password: str) -> dict | None:
    """The user when the name and password are right and the user is not disabled, else None.
    One argon2 verification is done whatever the outcome (an unknown name is checked against a
    dummy hash), so the answer's time does not tell whether a name exists."""
    try:
        key = check_name(name)
    except AuthError:
        key = None
    row = None
    if key is not None:
        with store.connect() as conn:
            row = conn.execute(select(*_COLUMNS, users.c.password_hash).where(users.c.name == key)).first()
    hasher = _hasher()
    password = (password or "")[:MAX_PASSWORD]
    try:
        hasher.verify(row.password_hash if row is not None else _dummy_hash(), password)
        ok = row is not None
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or row.disabled:
        return None
    if hasher.check_needs_rehash(row.password_hash):
        with store.begin() as conn:
            conn.execute(update(users).where(users.c.id == row.id).values(password_hash=hasher.hash(password)))
    return _user(row)


# -- logins ---------------------------------------------------------------------------------------------------------

def start_login(store, user: dict, hours: float = LOGIN_HOURS, now: datetime | None = None) -> Login:
    """A new login for `user`, lasting `hours`; expired logins of everyone are cleared on the way."""
    now = now or now_utc()
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires = now + timedelta(hours=hours)
    with store.begin() as conn:
        conn.execute(delete(logins).where(logins.c.expires_at <= _stamp(now)))
        conn.execute(insert(logins).values(token_hash=token_hash(token), user_id=user["id"], csrf=csrf,
                                           created_at=_stamp(now), expires_at=_stamp(expires)))
    return Login(token, csrf, expires, user)


def find_login(store, token: str | None, now: datetime | None = None) -> tuple[dict, str] | None:
    """(user, csrf) of the login whose cookie holds `token`, while it lasts and its user is enabled."""
    if not token or len(token) > 200:
        return None
    with store.connect() as conn:
        row = conn.execute(select(*_COLUMNS, logins.c.csrf, logins.c.expires_at)
                           .join(users, users.c.id == logins.c.user_id)
                           .where(logins.c.token_hash == token_hash(token))).first()
    if row is None or row.disabled:
        return None
    if datetime.fromisoformat(row.expires_at) <= (now or now_utc()):
        return None
    return _user(row), row.csrf


def end_login(store, token: str | None) -> bool:
    """Sign out: the login is deleted, its cookie opens nothing any more. True if there was one."""
    if not token:
        return False
    with store.begin() as conn:
        return conn.execute(delete(logins).where(logins.c.token_hash == token_hash(token))).rowcount > 0
