"""Periods at the edges, generated, on every endpoint and command that takes one: the endpoints are
read from the OpenAPI spec (every GET with a `from` or `to`, and the page twin of each), the
commands from the command line's own tree (every one with --from or --to). The values are made
from the calendar: days one past a month's end in leap and common years, months 0 and 13, years
just outside and inside the range the store keeps, other digits, other separators, controls and
very long strings, and a start after its end. An impossible value is a 400 naming it (422 where
the parameter's length is bounded; a command: one line and a non-zero status); a possible one is
answered; nothing is a 500 or a traceback."""
from __future__ import annotations

import calendar
import html
import json
import random
import warnings

import pytest
import typer
from typer.testing import CliRunner

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from kurultai.cli import app as cli_app
from kurultai.ingest.run import ingest
from kurultai.store.period import FIRST_YEAR, LAST_YEAR
from kurultai.web.app import create_app

from .conftest import FIXTURES, fresh_store, sign_in
from .tally import count

pytestmark = pytest.mark.tally
RNG = random.Random(20)


def impossible() -> list[str]:
    """Values no calendar has, or not in a form a period takes, each made here, not listed."""
    years = [2023, 2024, 1900, 2000, FIRST_YEAR, LAST_YEAR]  # common, leap, century common, century leap, the ends
    out = []
    for year in years:
        month = RNG.randint(1, 12)
        out.append(f"{year}-02-{calendar.monthrange(year, 2)[1] + 1:02d}")  # one past February's end
        out.append(f"{year}-{month:02d}-{calendar.monthrange(year, month)[1] + 1:02d}")
        out.append(f"{year}-{month:02d}-00")
    out += [f"{RNG.randint(FIRST_YEAR, LAST_YEAR)}-{m:02d}" for m in (0, 13, RNG.randint(14, 99))]
    out += [f"{y:04d}" for y in (0, FIRST_YEAR - 1, LAST_YEAR + 1, 9999)] + ["9999-12-31", "0000-01-01"]
    year = RNG.randint(FIRST_YEAR, LAST_YEAR)
    full_width = "".join(chr(0xFF10 + int(d)) for d in str(year))  # digits a calendar reads, not ASCII ones
    arabic_indic = "".join(chr(0x0660 + int(d)) for d in str(year))
    out += [full_width, arabic_indic, f"{year}/01/05", f"{year}.01.05", f"{year}-1-5", f"{year}-01-05T00:00",
            f"-{year}", f"+{year}", f"{year}\x00", f"{year}\n-01", f"{year} -01", str(year)[:3], f"{year}0",
            "9" * 5000, "<script>alert(1)</script>", "' OR '1'='1", "NaN", "today"]
    return out


def possible() -> list[str]:
    """Values the calendar has, at its edges: a leap day, months' last days, the first and last
    years kept, in the three forms."""
    leap = RNG.choice([y for y in range(FIRST_YEAR, LAST_YEAR) if calendar.isleap(y)])
    month = RNG.randint(1, 12)
    year = RNG.randint(FIRST_YEAR, LAST_YEAR)
    return [f"{leap}-02-29", f"{year}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}", f"{FIRST_YEAR}",
            f"{LAST_YEAR}-12-31", f"{FIRST_YEAR}-01-01", f"{year}-{month:02d}", " 2024-03 "]


IMPOSSIBLE, POSSIBLE = impossible(), possible()
REVERSED = [("2024-05", "2024-04-30"), ("2024", "2023-12-31"), (f"{LAST_YEAR}", f"{FIRST_YEAR}")]


@pytest.fixture(scope="module")
def served(extractor, tmp_path_factory):
    """A store with a report and a session (for its agenda), its application and a client."""
    folder = tmp_path_factory.mktemp("periods")
    store = fresh_store("sqlite", folder)
    ingest(store, [FIXTURES / "docs" / "ru-rt-kisi-isrs-transport-2024.txt"], extractor)
    # English pages: the messages asserted are the ones the API gives (Russian pages translate them)
    with TestClient(create_app(store.url, extractor=extractor), headers={"Accept-Language": "en"}) as client:
        editor = sign_in(client, store, "editor")
        made = client.post("/api/sessions", headers=editor, json={
            "title": "Вода", "starts": "2024-06-10 15:00", "format": "offline", "venue": "Алматы", "organizer": "КИСИ"})
        assert made.status_code == 201, made.text
        yield store, client, made.json()["id"]
    store.close()


def endpoints(client, sid: int) -> list[str]:
    """Every GET path whose parameters include `from` or `to`, and the page of each that has one."""
    paths = []
    for path, ops in client.get("/api/openapi.json").json()["paths"].items():
        names = {p["name"] for p in ops.get("get", {}).get("parameters", ()) if p["in"] == "query"}
        if names & {"from", "to"}:
            paths.append(path.replace("{sid}", str(sid)))
    pages = {getattr(r, "path", "") for r in client.app.routes}
    paths += [p.removeprefix("/api") for p in paths if p.removeprefix("/api") in pages]
    return paths


def detail(response) -> str:
    kind = response.headers.get("content-type", "")
    return response.json()["detail"] if kind.startswith("application/json") else html.unescape(response.text)


def test_every_endpoint_that_takes_a_period_refuses_impossible_ones_by_name(served):
    store, client, sid = served
    paths = endpoints(client, sid)
    assert {"/api/search", "/api/briefing", "/api/timeline", f"/api/session/{sid}/agenda", "/briefing",
            "/timeline", "/dashboards/activity"} <= set(paths), paths
    tried, share = 0, -(-len(IMPOSSIBLE) * 3 // len(paths))  # every value on three paths (one check serves all)
    for i, path in enumerate(paths):
        for value in (IMPOSSIBLE * 2)[i * share % len(IMPOSSIBLE):][:share]:
            end = RNG.choice(["from", "to"])
            r = client.get(path, params={end: value})
            assert r.status_code in (400, 422), (path, end, value[:40], r.status_code, r.text[:300])  # 422: too long
            shown = value.strip()[:40]
            named = repr(shown)[1:-1][:30] in detail(r) or shown[:30] in detail(r)
            nul = "\x00" in value and "the request contains a NUL character" in detail(r)  # refused before any route
            assert named or nul, (path, value[:40], detail(r)[:300])
            tried += 1
        for start, stop in [REVERSED[i % len(REVERSED)]]:
            r = client.get(path, params={"from": start, "to": stop})
            assert r.status_code == 400 and f"from {start} is after to {stop}" in detail(r), (path, start, stop, r.text[:300])
            tried += 1
    count("bad inputs", "impossible periods sent to the endpoints that take one", tried)


BEFORE_THE_FIRST_YEAR = f"which would begin before the year {FIRST_YEAR}"
"""Why an agenda or a briefing refuses a period that begins in FIRST_YEAR: the period before
it, which they compare with, is not one the store keeps."""


def answered(r, path: str, value: str) -> bool:
    compared = ("/agenda" in path or "briefing" in path) and (value.startswith(str(FIRST_YEAR)) or value == "widest")
    if compared and r.status_code == 400:
        return BEFORE_THE_FIRST_YEAR in detail(r)
    return r.status_code == 200


def test_every_endpoint_answers_the_possible_edges(served):
    store, client, sid = served
    for i, path in enumerate(endpoints(client, sid)):
        for value in (POSSIBLE * 2)[i * 3 % len(POSSIBLE):][:3]:  # each value on several paths
            r = client.get(path, params={"from": value, "to": value})
            assert answered(r, path, value), (path, value, r.status_code, r.text[:300])
        r = client.get(path, params={"from": f"{FIRST_YEAR}", "to": f"{LAST_YEAR}-12-31"})  # the widest period
        assert answered(r, path, "widest"), (path, r.status_code, r.text[:300])


def period_commands(group, prefix: tuple = ()) -> dict:
    """Every command of the command line with a --from or --to option, by its words."""
    found = {}
    for name, command in group.commands.items():
        if hasattr(command, "commands"):  # a group (typer's own class)
            found |= period_commands(command, prefix + (name,))
        elif any(set(p.opts) & {"--from", "--to"} for p in command.params):
            found[" ".join(prefix + (name,))] = command
    return found


def test_every_command_that_takes_a_period_refuses_impossible_ones_in_one_line(served, tmp_path):
    store, client, sid = served
    out = tmp_path / "briefing.json"
    rest = {"search": [], "briefing": ["-o", str(out)], "session agenda": [str(sid)]}
    assert set(period_commands(typer.main.get_command(cli_app))) == set(rest)  # a new one must be added here
    runner, tried = CliRunner(), 0
    for words, extra in rest.items():  # each run loads the registry: a seeded sample
        for i, value in enumerate(RNG.sample(IMPOSSIBLE, 3) + [None]):
            start, stop = (value, "2024") if i % 2 else ("2024", value)
            if value is None:
                start, stop = RNG.choice(REVERSED)
            result = runner.invoke(cli_app, [*words.split(), *extra, f"--from={start}", f"--to={stop}", "--db", store.url])
            errors = [line for line in result.stderr.splitlines() if line.startswith("kurultai: error: ")]
            assert result.exit_code in (1, 2) and isinstance(result.exception, SystemExit), (words, start, stop,
                                                                                              result.output[-500:])
            assert len(errors) == 1 and "Traceback" not in result.output, (words, result.stderr[-500:])
            bad = (value if value is not None else f"from {start} is after to {stop}").strip()[:30]
            assert bad in errors[0] or repr(bad)[1:-1] in errors[0], (words, bad, errors[0][:300])
            tried += 1
        assert not out.exists()
    count("bad inputs", "impossible periods given to the commands that take one", tried)
    for words, extra in rest.items():
        leap = POSSIBLE[0]
        result = runner.invoke(cli_app, [*words.split(), *extra, "--from", leap, "--to", leap, "--db", store.url])
        assert result.exit_code == 0, (words, result.output[-500:])
    assert json.loads(out.read_text(encoding="utf-8"))
