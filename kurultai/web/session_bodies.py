"""The JSON bodies that the sessions' write endpoints take (web/convene.py), with their limits and
the descriptions the OpenAPI spec shows."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from ..convene import sessions as S

MAX_AGENDA_ITEMS = 50


class NewSession(BaseModel):
    title: str = Field(max_length=500)
    title_other: str | None = Field(None, max_length=500,
                                    description="The title in the other language of the releases (ru <-> en).")
    starts: str = Field(max_length=40, description="Local date and time: 2026-12-10 15:00.")
    timezone: str = Field("Asia/Almaty", max_length=64, description="IANA zone of `starts`.")
    format: str = Field(max_length=16, description="online, offline or hybrid.")
    link: str | None = Field(None, max_length=2000, description="Meeting link (online and hybrid).")
    venue: str | None = Field(None, max_length=500, description="Where it is held (offline and hybrid).")
    organizer: str | None = Field(None, max_length=500, description="Institution: knowledge-base id, name or alias.")
    moderator: str | None = Field(None, max_length=500)
    type: str = Field("round_table", max_length=32, description="Event type id.")
    language: str = Field("ru", max_length=2, description="ru or en: of the letters and the release.")
    duration_min: int = Field(120, ge=10, le=1440)


class NewInvitation(BaseModel):
    who: str = Field(max_length=500, description="Knowledge-base id, name or alias of an institution or expert.")
    kind: Literal["org", "person"] | None = None
    email: str | None = Field(None, max_length=254)
    language: str | None = Field(None, max_length=2, description="ru or en; the session's by default.")


class InvitationStatus(BaseModel):
    status: str = Field(max_length=16, description="pending, sent, accepted or declined.")


class AgendaItems(BaseModel):
    items: list[dict] = Field(max_length=MAX_AGENDA_ITEMS, description="Items as the suggestion lists them "
                                                                       "(kind, id, phrase, label, why), or "
                                                                       "{label} for an item of one's own.")


class NewContribution(BaseModel):
    speaker: str = Field(max_length=200)
    institution: str | None = Field(None, max_length=500)
    text: str = Field(max_length=S.MAX_TEXT)


class TagCorrection(BaseModel):
    directions: list[str] | None = Field(None, max_length=100)
    threats: list[str] | None = Field(None, max_length=100)
    frameworks: list[str] | None = Field(None, max_length=100)


class NewOutcome(BaseModel):
    kind: str = Field(max_length=16, description="commitment, recommendation, agreement or assessment.")
    text: str = Field(max_length=1000)
    text_other: str | None = Field(None, max_length=1000, description="The same in the other language of the releases.")
    contribution_id: int | None = Field(None, ge=1, le=2_147_483_647)
