"""The review queue of possible duplicates, for editors: /review and its JSON twin /api/review.

Each pair of institutions or people that may be one (store/review.py) is shown with the evidence
of both sides (names, documents, the words around a mention, events, country, affiliation), and
an editor merges it, splits names off one side, or says the two are not the same (remembered:
the pair never comes back). Every decision is logged (/review/log, /api/review/log) and undone
from its entry (store/review_actions.py). Reading the queue and acting on it need an editor's
login; every form carries the login's CSRF token (web/auth.require), as the JSON writes carry
the X-CSRF-Token header.

The candidates are computed once per state of the store (its write generation) and kept for the
pages that follow, so paging through the queue costs one computation, and any write anywhere
makes the next request compute them again.
"""
from __future__ import annotations

import threading
import time
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from ..store import review as R, review_actions as A
from ..store.db import generation
from ..store.views import NotFound
from .forms import Fields, FormInvalid, status_of, validated
from .site import Id, Page, Site, answer_errors, twin
from .auth import require

Editor = Annotated[dict, Depends(require("editor"))]
Kind = Annotated[str | None, Query(pattern=r"^(org|person)?$", description="org or person; both when left out.")]
MinScore = Annotated[int, Query(ge=0, le=100, description="The lowest score listed, 0-100.")]
DONE = ("merge", "split", "not_same", "undo")
LOG_PAGE = 50
Kept = Annotated[str, Form(max_length=8)]  # the queue's kind, lowest score and page, to come back to
KEPT = 8  # candidate lists kept (per kind and lowest score)
STALE_S = 60  # seconds a list computed before another writer's commit is still shown


class MergeBody(BaseModel):
    keep: int = Field(ge=1, le=2_147_483_647, description="The entity that stays.")
    other: int = Field(ge=1, le=2_147_483_647, description="The entity merged into it (deleted; undo restores it).")


class PairBody(BaseModel):
    a: int = Field(ge=1, le=2_147_483_647)
    b: int = Field(ge=1, le=2_147_483_647)


class SplitBody(BaseModel):
    entity: int = Field(ge=1, le=2_147_483_647, description="The entity some names are split off.")
    names: list[str] = Field(min_length=1, max_length=100, description="The names (as the entity's aliases) whose "
                                                                         "mentions move to a new entity.")


def editor(user: dict) -> A.Editor:
    return A.Editor(user["name"], user.get("id"))


def install(app: FastAPI, site: Site) -> None:
    """Register the queue, the log, their JSON twins and the editors' forms on `app`."""
    store, labels = site.store, site.labels
    kept: dict[tuple, tuple] = {}  # (kind, lowest score) -> (generation, when, decisions, candidates)
    decided = [0]  # decisions taken by this process: each makes the kept candidates old at once
    lock = threading.Lock()
    answer_errors(app, site, {A.UndoConflict: 409, A.ReviewError: 400})

    def found(kind: str | None, min_score: int) -> list:
        """The candidates of the store's current state; while others write (an ingest), those of
        the last STALE_S seconds, since R.queue leaves out pairs decided since."""
        with store.connect() as conn:
            now = generation(conn)
        with lock:
            hit = kept.get((kind, min_score))
        if hit and hit[2] == decided[0] and (hit[0] == now or time.monotonic() - hit[1] < STALE_S):
            return hit[3]
        result = R.candidates(store, kind, min_score)
        with lock:
            kept[(kind, min_score)] = (now, time.monotonic(), decided[0], result)
            while len(kept) > KEPT:
                kept.pop(min(kept, key=lambda k: kept[k][1]))
        return result

    def decide(fn, *args):
        try:
            return fn(*args)
        finally:
            decided[0] += 1

    def queue_view(data: dict, lang: str, request: Request) -> dict:
        done, entry = request.query_params.get("done"), request.query_params.get("entry", "")
        shown = None
        if done in DONE and entry.isdigit() and len(entry) < 10:
            try:
                shown = A.get(store, int(entry))
            except NotFound:
                shown = None
        return {"reasons": {(p["a"]["id"], p["b"]["id"]): [_reason(labels, r, lang) for r in p["reasons"]]
                            for p in data["pairs"]},
                "done": done if shown else None, "done_entry": shown, "error": None}

    @twin(app, site, "/review", "review.html", "Possible duplicate institutions and people, with their evidence "
          "(editor)", view=queue_view, tags=["review"])
    def review_queue(request: Request, user: Editor, kind: Kind = None, min_score: MinScore = R.MIN_SCORE,
                     page: Page = 1) -> dict:
        """Pairs that may be one entity, best first: `score` (0-100), `reasons` (codes: same_name,
        similar_names, name_contained, initial_agrees, same_short, same_country, different_countries,
        same_affiliation, different_affiliations, ...), both sides' evidence in `a` and `b`, and
        `keep`, the side a merge would keep by default. `log`: the latest decisions."""
        kind = kind or None
        data = R.queue(store, kind, min_score, page, found=found(kind, min_score))
        return {**data, "log": A.log(store, 10)}

    @twin(app, site, "/review/log", "review_log.html", "The editors' decisions on the review queue, newest first "
          "(editor)", tags=["review"])
    def review_log(request: Request, user: Editor, page: Page = 1) -> dict:
        """Each decision: action (merge, split, not_same), the entities, who, when, and whether and
        by whom it was undone."""
        return {"page": page, "per_page": LOG_PAGE, "log": A.log(store, LOG_PAGE, (page - 1) * LOG_PAGE)}

    _api(app, store, decide)
    _forms(app, site, review_queue, queue_view, decide)


def _api(app: FastAPI, store, decide) -> None:
    @app.post("/api/review/merge", summary="Merge two entities of the queue (editor)", tags=["review"])
    def merge_api(request: Request, user: Editor, body: MergeBody) -> dict:
        """Answers the log entry; POST /api/review/undo/{entry} restores both entities."""
        return decide(A.merge, store, body.keep, body.other, editor(user))

    @app.post("/api/review/not-same", summary="Say two entities are not the same (editor)", tags=["review"])
    def not_same_api(request: Request, user: Editor, body: PairBody) -> dict:
        """The pair is remembered and never proposed again (until the entry is undone)."""
        return decide(A.not_same, store, body.a, body.b, editor(user))

    @app.post("/api/review/split", summary="Split names off an entity into a new one (editor)", tags=["review"])
    def split_api(request: Request, user: Editor, body: SplitBody) -> dict:
        return decide(A.split, store, body.entity, body.names, editor(user))

    @app.post("/api/review/undo/{entry}", summary="Undo a logged decision (editor)", tags=["review"])
    def undo_api(request: Request, user: Editor, entry: Id) -> dict:
        """409 when a later decision on the same entities must be undone first."""
        return decide(A.undo, store, entry, editor(user))


def _forms(app: FastAPI, site: Site, review_queue, queue_view, decide) -> None:
    """The page's forms: each answers with a redirect back to the queue, where the decision is
    shown with its undo button; a refusal shows the queue again with the reason."""
    store = site.store

    def back(kind: str, min_score: str, page: str, done: str, entry: int) -> RedirectResponse:
        params = [("kind", kind if kind in R.KINDS else ""), ("min_score", min_score if min_score.isdigit() else ""),
                  ("page", page if page.isdigit() and page != "1" else ""), ("done", done), ("entry", str(entry))]
        return RedirectResponse("/review?" + urlencode([(k, v) for k, v in params if v]) + "#done", status_code=303)

    def act(request: Request, decision, kind="", min_score="", page="", done=""):
        try:
            entry = decision()
        except (FormInvalid, A.ReviewError, NotFound) as exc:
            status = 409 if isinstance(exc, A.UndoConflict) else 404 if isinstance(exc, NotFound) else status_of(exc)
            data = review_queue(request, user=None, kind=kind if kind in R.KINDS else None,
                                min_score=int(min_score) if min_score.isdigit() and int(min_score) <= 100 else R.MIN_SCORE,
                                page=int(page) if page.isdigit() and 0 < int(page) < 100_000 else 1)
            extra = {**queue_view(data, site.lang(request), request), "error": str(exc).strip("'\"")}
            return site.render(request, "review.html", status=status, data=data, **extra)
        return back(kind, min_score, page, done, entry["id"])

    # each form is read by the model of its JSON twin (web/forms.py), so a bad value is refused alike
    @app.post("/review/merge", include_in_schema=False, response_class=HTMLResponse)
    def merge_page(request: Request, user: Editor, fields: Fields, kind: Kept = "", min_score: Kept = "",
                   page: Kept = ""):
        def merge():
            body = validated(MergeBody, fields)
            return decide(A.merge, store, body.keep, body.other, editor(user))
        return act(request, merge, kind=kind, min_score=min_score, page=page, done="merge")

    @app.post("/review/not-same", include_in_schema=False, response_class=HTMLResponse)
    def not_same_page(request: Request, user: Editor, fields: Fields, kind: Kept = "", min_score: Kept = "",
                      page: Kept = ""):
        def not_same():
            body = validated(PairBody, fields)
            return decide(A.not_same, store, body.a, body.b, editor(user))
        return act(request, not_same, kind=kind, min_score=min_score, page=page, done="not_same")

    @app.post("/review/split", include_in_schema=False, response_class=HTMLResponse)
    def split_page(request: Request, user: Editor, fields: Fields, kind: Kept = "", min_score: Kept = "",
                   page: Kept = ""):
        def split():
            body = validated(SplitBody, fields)
            return decide(A.split, store, body.entity, body.names, editor(user))
        return act(request, split, kind=kind, min_score=min_score, page=page, done="split")

    @app.post("/review/undo/{entry}", include_in_schema=False, response_class=HTMLResponse)
    def undo_page(request: Request, user: Editor, entry: Id, kind: Kept = "", min_score: Kept = "", page: Kept = ""):
        return act(request, lambda: decide(A.undo, store, entry, editor(user)), kind=kind, min_score=min_score,
                   page=page, done="undo")


def _reason(labels, reason: dict, lang: str) -> str:
    """A reason in words: country codes by their names."""
    value = reason.get("value")
    if reason["code"] in ("same_country", "different_countries") and value:
        value = ", ".join(labels.label("countries", c, lang) for c in value.split(", "))
    return labels.t("review_reason_" + reason["code"], lang, value=value or "")
