"""What became of a source's items, shown alike by `kurultai watch list`, its --json, the Sources
page and its JSON twin: fetched, stored, unreadable (with the latest causes, escaped) and failed,
after a real run against a site on loopback (tests/watch_site.py) serving a good page, a broken
PDF, a file whose content type (set by the server, so untrusted) holds markup, and a 500."""
from __future__ import annotations

import json
import warnings

import pytest
from typer.testing import CliRunner

from kurultai.cli import app

from .watch_site import Site

with warnings.catch_warnings():  # Starlette's notice that it will prefer httpx2 one day
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient  # noqa: E402

from kurultai.web.app import create_app  # noqa: E402

HOSTILE_TYPE = "application/x-<i>odd</i>"
EXPECTED = {"fetched": 4, "stored": 1, "unchanged": 0, "unreadable": 2, "failed": 1}


@pytest.fixture
def site():
    s = Site()
    s.typed["/report.pdf"] = (b"%PDF-1.4\n1 0 obj <<>> broken, no xref", "application/pdf")
    s.typed["/odd.bin"] = (b"\x00\x01\x02 not a document", HOSTILE_TYPE)
    s.feed_paths = ["/news/1.html", "/report.pdf", "/odd.bin", "/broken.html"]
    s.start()
    yield s
    s.stop()


def test_each_source_shows_fetched_stored_unreadable_with_causes_and_failed(store, site, extractor):
    cli = CliRunner()
    assert cli.invoke(app, ["watch", "add", f"{site.base}/feed.xml", "--allow-private", "--name", "News",
                            "--db", store.url]).exit_code == 0
    ran = cli.invoke(app, ["watch", "run", "--db", store.url, "--delay", "0", "--timeout", "2", "--quiet"])
    assert ran.exit_code == 0, ran.output
    assert "1 source run: 1 new, 0 unchanged, 1 items failed, 2 unreadable" in ran.output

    listed = cli.invoke(app, ["watch", "list", "--json", "--db", store.url])
    assert listed.exit_code == 0, listed.output
    items = json.loads(listed.output)[0]["items"]
    assert {k: items[k] for k in EXPECTED} == EXPECTED
    causes = {c["url"].rsplit("/", 1)[-1]: c["cause"] for c in items["causes"]}
    assert set(causes) == {"report.pdf", "odd.bin"} and all(c["at"] for c in items["causes"])
    assert "not a valid PDF" in causes["report.pdf"]
    assert "<i>odd</i>" in causes["odd.bin"] and not causes["odd.bin"].startswith("http")  # the URL stands beside

    table = cli.invoke(app, ["watch", "list", "--db", store.url])  # an 80-column terminal
    assert table.exit_code == 0, table.output
    lines = table.output.splitlines()
    assert "source 1 items: 4 fetched, 1 stored, 0 unchanged, 2 unreadable, 1 failed" in lines, table.output
    causes = lines[lines.index("source 1 items: 4 fetched, 1 stored, 0 unchanged, 2 unreadable, 1 failed") + 1:]
    assert len(causes) == 2 and all(line.startswith("  unreadable 20") for line in causes), causes
    assert sum(line.endswith("/report.pdf: not a valid PDF (damaged or truncated)") for line in causes) == 1
    assert "x-<i>odd</i>" in table.output  # plain text on a terminal, never Rich markup

    with TestClient(create_app(store.url, extractor=extractor)) as client:
        twin = client.get("/api/sources").json()["sources"][0]["items"]
        assert twin == items
        page = client.get("/sources").text
    assert '<span class="fetched">' in page and "<i>odd" not in page
    assert "x-&lt;i&gt;odd&lt;/i&gt;" in page
    cell = page[page.index('<td class="items">'):]
    cell = cell[:cell.index("</td>")]
    counts = {k: cell.split(f'<span class="{k}">', 1)[1].split("<b>", 1)[1].split("</b>", 1)[0]
              for k in ("fetched", "stored", "unreadable", "failed")}
    assert counts == {"fetched": "4", "stored": "1", "unreadable": "2", "failed": "1"}
    assert cell.count('<span class="cause">') == 2 and "not a valid PDF" in cell
