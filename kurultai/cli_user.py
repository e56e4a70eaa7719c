"""`kurultai user ...`: the users who may write through the web interface (a thin shell over auth.py).

The first admin can only come from here: the web interface lets admins add users, and there is
none until someone with access to the store creates one.
"""
from __future__ import annotations

import json
import sys
from enum import Enum

import typer

from .cli_options import DB, open_store

users = typer.Typer(help="Users who may write through the web interface: admin, editor, viewer.",
                    no_args_is_help=True)


class Role(str, Enum):
    admin = "admin"
    editor = "editor"
    viewer = "viewer"


def _fail(exc: Exception) -> None:
    typer.echo(f"kurultai: error: {exc}", err=True)
    raise typer.Exit(1)


def _password(from_stdin: bool, name: str) -> str:
    """The password from one line of standard input (for scripts), or typed twice unseen."""
    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            typer.echo("kurultai: error: --password-stdin: standard input is empty", err=True)
            raise typer.Exit(2)
        return line.rstrip("\r\n")
    return typer.prompt(f"Password for {name}", hide_input=True, confirmation_prompt=True)


@users.command("add")
def add(name: str = typer.Argument(..., help="Letters, digits and . _ - @; case does not matter."),
        role: Role = typer.Option(..., "--role", help="admin: manages users; editor: uploads and edits; "
                                                     "viewer: reads (where reading needs a login)."),
        password_stdin: bool = typer.Option(False, "--password-stdin",
                                            help="Read the password from the first line of standard input."),
        db: str = DB) -> None:
    """Create a user (the first admin comes from here).

    \b
    Examples:
      kurultai user add aigul --role admin                    # asks for the password twice
      printf '%s\\n' "$PASS" | kurultai user add bot --role editor --password-stdin
    """
    from .auth import AuthError, check_name, check_password, create_user

    store = open_store(db)
    try:
        check_name(name)
        password = _password(password_stdin, name)
        check_password(password, name)
        user = create_user(store, name, password, role.value)
    except AuthError as exc:
        _fail(exc)
    typer.echo(f"user {user['name']} ({user['role']}) created in {store.url}")


@users.command("list")
def list_(as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
          db: str = DB) -> None:
    """List the users with their roles."""
    from .auth import list_users

    found = list_users(open_store(db))
    if as_json:
        sys.stdout.write(json.dumps(found, ensure_ascii=False, indent=2) + "\n")
        return
    if not found:
        typer.echo("no users yet: kurultai user add NAME --role admin")
        return
    width = max(len(u["name"]) for u in found)
    for u in found:
        typer.echo(f"{u['name']:<{width}}  {u['role']:<6}  {'disabled' if u['disabled'] else 'active  '}  {u['created_at']}")


@users.command("passwd")
def passwd(name: str = typer.Argument(..., help="The user."),
           password_stdin: bool = typer.Option(False, "--password-stdin",
                                               help="Read the password from the first line of standard input."),
           db: str = DB) -> None:
    """Set a user's password; the user is signed out everywhere."""
    from .auth import AuthError, get_user, set_password

    store = open_store(db)
    try:
        user = get_user(store, name)
        set_password(store, user["name"], _password(password_stdin, user["name"]))
    except AuthError as exc:
        _fail(exc)
    typer.echo(f"password of {user['name']} changed; its logins ended")


@users.command("role")
def role(name: str = typer.Argument(..., help="The user."),
         new: Role = typer.Argument(..., metavar="ROLE", help="admin, editor or viewer."),
         db: str = DB) -> None:
    """Change a user's role (it takes effect on the user's next request)."""
    from .auth import AuthError, set_role

    try:
        user = set_role(open_store(db), name, new.value)
    except AuthError as exc:
        _fail(exc)
    typer.echo(f"user {user['name']} is now {user['role']}")


@users.command("disable")
def disable(name: str = typer.Argument(..., help="The user."),
            db: str = DB) -> None:
    """Disable a user: its logins end and it cannot sign in (`enable` undoes it)."""
    from .auth import AuthError, set_disabled

    try:
        user = set_disabled(open_store(db), name, True)
    except AuthError as exc:
        _fail(exc)
    typer.echo(f"user {user['name']} disabled; its logins ended")


@users.command("enable")
def enable(name: str = typer.Argument(..., help="The user."),
           db: str = DB) -> None:
    """Enable a disabled user again."""
    from .auth import AuthError, set_disabled

    try:
        user = set_disabled(open_store(db), name, False)
    except AuthError as exc:
        _fail(exc)
    typer.echo(f"user {user['name']} enabled")
