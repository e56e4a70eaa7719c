"""A page's form validated by the model its JSON twin takes (web/session_bodies.py, admin.NewUser,
...): the same limits and types, and the same message for the same bad value, whichever way it
was sent. A form's blank optional field counts as left out, so the model's default applies, as it
does for a JSON body that leaves the field out."""
from __future__ import annotations

import typing
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from .site import validation_message

Model = TypeVar("Model", bound=BaseModel)


class FormInvalid(ValueError):
    """A form field the model refuses; the message is the one the JSON twin's 422 gives."""


async def _fields(request: Request) -> FormData:
    return await request.form()


Fields = Annotated[FormData, Depends(_fields)]


def validated(model: type[Model], form: FormData) -> Model:
    """The form's fields as `model`, or FormInvalid with the message of the JSON twin's 422."""
    values: dict = {}
    for name, field in model.model_fields.items():
        if _is_list(field.annotation):
            values[name] = [v for v in form.getlist(name) if isinstance(v, str)]
            continue
        value = form.get(name)
        if not isinstance(value, str) or (value == "" and not field.is_required()):
            continue
        values[name] = value
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        errors = [{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]
        raise FormInvalid(validation_message(errors)) from None


def status_of(exc: Exception) -> int:
    """422 for a value the model refuses, as the JSON twin answers; 400 for what the store refuses."""
    return 422 if isinstance(exc, FormInvalid) else 400


def typed(form: FormData, names: tuple[str, ...]) -> dict[str, str]:
    """What was typed into the form's text fields, to show it again beside the error."""
    return {k: v if isinstance(v := form.get(k), str) else "" for k in names}


def _is_list(annotation) -> bool:
    if typing.get_origin(annotation) is list:
        return True
    return any(typing.get_origin(a) is list for a in typing.get_args(annotation))
