"""The users' admin page and its JSON twin: list the users, add one, change a role, disable or
enable a login (admin only; signing in and the role checks are web/auth.py)."""
from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field

from .. import auth
from ..auth import ROLES, AuthError, UnknownUser, UserExists
from .auth import Routes, UserName, require, site_of
from .forms import Fields, FormInvalid, status_of, typed, validated

router = Routes()


def install(app) -> None:
    """Add the users' page and its JSON twin to `app` (after auth.install: they need its login)."""
    router.add_to(app)


def _status(exc: AuthError) -> int:
    return 404 if isinstance(exc, UnknownUser) else 409 if isinstance(exc, UserExists) else 400


DONE = ("added", "role", "disabled", "enabled")


def _users_page(request: Request, status: int = 200, error: str | None = None, form: dict | None = None):
    site = site_of(request)
    done = request.query_params.get("done")
    return site.render(request, "admin_users.html", status=status, data=_users_data(request), error=error,
                       form=form or {}, done=done if done in DONE else None,
                       done_name=request.query_params.get("name", "")[:auth.MAX_NAME])


def _users_data(request: Request) -> dict:
    return {"users": auth.list_users(site_of(request).store), "roles": list(ROLES)}


def _done(action: str, name: str) -> RedirectResponse:
    return RedirectResponse(f"/admin/users?done={action}&name={quote(name)}", status_code=303)


Admin = Annotated[dict, Depends(require("admin"))]


@router.get("/admin/users", include_in_schema=False)
def users_page(request: Request, admin: Admin):
    return _users_page(request)


@router.get("/api/admin/users", summary="The users and their roles (admin)", tags=["users"])
def users_api(request: Request, admin: Admin) -> dict:
    return _users_data(request)


class NewUser(BaseModel):
    name: str = Field(max_length=200)
    password: str = Field(max_length=auth.MAX_PASSWORD)
    role: str = Field(description="admin, editor or viewer.")


class RoleChange(BaseModel):
    role: str = Field(description="admin, editor or viewer.")


def _api(fn, *args) -> dict:
    try:
        return fn(*args)
    except AuthError as exc:
        raise HTTPException(_status(exc), str(exc)) from None


@router.post("/api/admin/users", summary="Add a user (admin)", tags=["users"], status_code=201)
def add_user_api(request: Request, admin: Admin, new: NewUser) -> dict:
    return _api(auth.create_user, site_of(request).store, new.name, new.password, new.role)


@router.post("/api/admin/users/{name}/role", summary="Change a user's role (admin)", tags=["users"])
def role_api(request: Request, admin: Admin, name: UserName, change: RoleChange) -> dict:
    return _api(auth.set_role, site_of(request).store, name, change.role)


@router.post("/api/admin/users/{name}/disable", summary="Disable a user; its logins end (admin)", tags=["users"])
def disable_api(request: Request, admin: Admin, name: UserName) -> dict:
    return _api(auth.set_disabled, site_of(request).store, name, True)


@router.post("/api/admin/users/{name}/enable", summary="Enable a disabled user (admin)", tags=["users"])
def enable_api(request: Request, admin: Admin, name: UserName) -> dict:
    return _api(auth.set_disabled, site_of(request).store, name, False)


@router.post("/admin/users", include_in_schema=False)
def add_user_page(request: Request, admin: Admin, fields: Fields):
    try:
        new = validated(NewUser, fields)
        user = auth.create_user(site_of(request).store, new.name, new.password, new.role)
    except FormInvalid as exc:
        return _users_page(request, status_of(exc), str(exc), typed(fields, ("name", "role")))
    except AuthError as exc:
        return _users_page(request, _status(exc), str(exc), typed(fields, ("name", "role")))
    return _done("added", user["name"])


@router.post("/admin/users/{name}/role", include_in_schema=False)
def role_page(request: Request, admin: Admin, name: UserName, fields: Fields):
    try:
        user = auth.set_role(site_of(request).store, name, validated(RoleChange, fields).role)
    except FormInvalid as exc:
        return _users_page(request, status_of(exc), str(exc))
    except AuthError as exc:
        return _users_page(request, _status(exc), str(exc))
    return _done("role", user["name"])


@router.post("/admin/users/{name}/disable", include_in_schema=False)
def disable_page(request: Request, admin: Admin, name: UserName):
    try:
        user = auth.set_disabled(site_of(request).store, name, True)
    except AuthError as exc:
        return _users_page(request, _status(exc), str(exc))
    return _done("disabled", user["name"])


@router.post("/admin/users/{name}/enable", include_in_schema=False)
def enable_page(request: Request, admin: Admin, name: UserName):
    try:
        user = auth.set_disabled(site_of(request).store, name, False)
    except AuthError as exc:
        return _users_page(request, _status(exc), str(exc))
    return _done("enabled", user["name"])
