"""Following sources against a real site on loopback (tests/watch_site.py): feeds, sitemaps,
listings and Telegram exports ingested once, politely, through ingest's own path; failures
recorded and retried; a run killed with SIGKILL completed by the next one."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from kurultai.cli import app
from kurultai.read import Limits
from kurultai.store.schema import documents, failures, watch_items, watch_sources
from kurultai.watch import sources as S
from kurultai.watch.fetch import Fetcher, FetchError, retry_after
from kurultai.watch.run import MAX_ATTEMPTS, Run
from kurultai.watch.urls import Refused, check, normalise

from .conftest import ROOT
from .watch_site import REPORTS, Site

STORED_FROM_FEED = {"/news/1.html", "/news/2.html", "/news/3.html", "/news/4.html", "/limited.html", "/cp1251.html"}


@pytest.fixture
def site():
    s = Site().start()
    yield s
    s.stop()


def run(store, extractor, *chosen, **options):
    options = {"delay": 0.0, "timeout": 1.0, **options}
    return Run(store, lambda: extractor, **options).all(list(chosen))


def docs(store) -> dict[str, dict]:
    with store.connect() as conn:
        rows = conn.execute(select(documents.c.id, documents.c.url, documents.c.page_date, documents.c.fetched_at,
                                   documents.c.watch_source_id, documents.c.text, documents.c.duplicate_of,
                                   documents.c.source)).mappings().all()
    return {_path(r["url"]): dict(r) for r in rows}


def _path(url: str | None) -> str | None:
    """A loopback URL as its path ("/news/1.html"); any other name as it is."""
    return "/" + url.split("/", 3)[-1] if url and url.startswith("http") else url


def item_paths(site: Site) -> list[str]:
    return [p for p in site.log if p not in ("/robots.txt", "/feed.xml")]


# -- the feed, through the command line ---------------------------------------------------------------------------

def test_feed_through_the_cli_stores_each_item_once_and_a_second_run_fetches_nothing_seen(store, site):
    cli = CliRunner()
    added = cli.invoke(app, ["watch", "add", f"{site.base}/feed.xml", "--allow-private", "--name", "Test news",
                             "--db", store.url])
    assert added.exit_code == 0, added.output
    first = cli.invoke(app, ["watch", "run", "--db", store.url, "--delay", "0", "--timeout", "2", "--quiet"])
    assert first.exit_code == 0, first.output
    assert "1 source run: 6 new, 0 unchanged, 1 items failed, 1 refused by robots.txt" in first.output
    stored = docs(store)
    assert set(stored) == STORED_FROM_FEED
    assert "/private/secret.html" not in site.log  # robots.txt disallows it: never requested
    assert all("kurultai" in agent for agent in site.agents)
    one = stored["/news/1.html"]
    assert one["page_date"] == "2018-10-24" and one["fetched_at"] and one["watch_source_id"] == 1
    assert one["source"] == f"{site.base}/news/1.html"  # the document is named by its URL, as ingest names files

    site.log.clear()
    second = cli.invoke(app, ["watch", "run", "--source", "1", "--db", store.url, "--delay", "0", "--quiet"])
    assert second.exit_code == 0, second.output
    assert "0 new" in second.output
    assert ("/feed.xml", 304) in site.answers  # the feed was asked for conditionally and not sent again
    assert item_paths(site) == ["/broken.html"]  # only the item that failed is tried again
    assert len(docs(store)) == 6

    listed = cli.invoke(app, ["watch", "list", "--db", store.url])
    assert "Test news" in listed.output and "6" in listed.output, listed.output
    assert "source 1 items: 7 fetched, 6 stored, 0 unchanged, 0 unreadable, 1 failed" in listed.output


def test_an_item_that_keeps_failing_is_given_up_after_a_few_runs(store, site, extractor):
    source = S.add(store, f"{site.base}/feed.xml", allow_private=True)
    for _ in range(MAX_ATTEMPTS + 1):
        run(store, extractor, S.get(store, source.id))
    assert site.fetched("/broken.html") == MAX_ATTEMPTS
    with store.connect() as conn:
        row = conn.execute(select(watch_items).where(watch_items.c.url == normalise(f"{site.base}/broken.html"))).first()
    assert row.status == "failed" and row.attempts == MAX_ATTEMPTS and "HTTP 500" in row.error


def test_429_is_waited_out_for_as_long_as_retry_after_says(store, site, extractor):
    site.feed_paths = ["/limited.html"]
    source = S.add(store, f"{site.base}/feed.xml", allow_private=True)
    started = time.monotonic()
    summary = run(store, extractor, source)
    assert summary.new == 1
    assert [a for a in site.answers if a[0] == "/limited.html"] == [("/limited.html", 429), ("/limited.html", 200)]
    assert time.monotonic() - started >= 1.0  # Retry-After: 1


def test_a_page_whose_charset_declaration_lies_is_read_in_its_real_encoding(store, site, extractor):
    site.feed_paths = ["/cp1251.html"]
    run(store, extractor, S.add(store, f"{site.base}/feed.xml", allow_private=True))
    text = docs(store)["/cp1251.html"]["text"]
    assert "Центральная Азия в условиях санкций" in text and "Ð" not in text


# -- sitemaps and listings ----------------------------------------------------------------------------------------

def test_a_sitemap_index_is_followed_to_its_pages(store, site, extractor):
    summary = run(store, extractor, S.add(store, f"{site.base}/sitemap.xml", allow_private=True))
    assert (summary.new, summary.refused) == (2, 1)
    stored = docs(store)
    assert set(stored) == {"/news/4.html", "/news/5.html"}
    assert stored["/news/5.html"]["page_date"] == "2024-03-15"  # the sitemap's lastmod
    assert S.get(store, 1).kind == "sitemap"


def test_a_listing_follows_article_links_on_its_site_and_its_next_pages_up_to_depth(store, site, extractor):
    shallow = run(store, extractor, S.add(store, f"{site.base}/news/", allow_private=True, depth=1))
    assert shallow.new == 3 and set(docs(store)) == {"/news/1.html", "/news/2.html", "/news/3.html"}
    deeper = S.add(store, f"{site.base}/news/?page=1", allow_private=True, depth=2, match=r"/news/\d+\.html$")
    site.log.clear()
    summary = run(store, extractor, deeper)
    assert summary.new == 2 and summary.unchanged == 3
    assert set(docs(store)) == {f"/news/{i}.html" for i in (1, 2, 3, 5, 6)}
    assert "/about.html" not in site.log and "/" not in site.log  # navigation is not an article
    assert site.log.count("/news/?page=2") == 1
    assert not [p for p in site.log if p.startswith("/news/") and p.endswith(".html") and p[6] in "123"]


# -- failures: recorded, never stopping the other sources ---------------------------------------------------------

def test_a_failing_source_is_recorded_and_the_others_still_run(store, site, extractor):
    missing = S.add(store, f"{site.base}/gone.xml", allow_private=True)
    malformed = S.add(store, f"{site.base}/bad-feed.xml", allow_private=True)
    slow = S.add(store, f"{site.base}/slow.html", allow_private=True, kind="feed")
    good = S.add(store, f"{site.base}/sitemap.xml", allow_private=True)
    summary = run(store, extractor, missing, malformed, slow, good, timeout=0.5)
    assert summary.sources == 4 and summary.sources_failed == 3 and summary.new == 2
    assert "bad-feed.xml: not a readable feed" in S.get(store, malformed.id).last_error
    assert "HTTP 404" in S.get(store, missing.id).last_error
    assert "timed out" in S.get(store, slow.id).last_error
    after = S.get(store, missing.id)
    assert after.failures == 1 and after.next_run_at < S.get(store, good.id).next_run_at  # tried again sooner
    assert S.get(store, good.id).last_success_at and S.get(store, good.id).documents_found == 2


def test_bodies_over_the_limit_are_refused_before_or_while_reading(site):
    with Fetcher(allow_private=True, delay=0, max_bytes=1_000_000, retries=0) as fetcher:
        with pytest.raises(FetchError, match="500,000,000 bytes, over the 1,000,000-byte limit"):
            fetcher.get(f"{site.base}/huge.html")
        with pytest.raises(FetchError, match="more than the 1,000,000-byte limit"):
            fetcher.get(f"{site.base}/big.html")
        with pytest.raises(FetchError, match="only http and https URLs are fetched"):  # each target checked again
            fetcher.get(f"{site.base}/to-file.html")
        with pytest.raises(FetchError, match="more than 5 redirects"):
            fetcher.get(f"{site.base}/loop.html")
        with pytest.raises(FetchError, match="content type 'application/rss\\+xml' is not a document"):
            fetcher.get(f"{site.base}/feed.xml")
        assert fetcher.get(f"{site.base}/moved.html").url == f"{site.base}/news/4.html"


def test_loopback_and_private_addresses_are_refused_unless_allowed(store, site, extractor):
    source = S.add(store, f"{site.base}/feed.xml")
    summary = run(store, extractor, source)
    assert summary.sources_failed == 1 and site.log == []
    assert "private or local address" in S.get(store, source.id).last_error
    for url in ("http://10.1.2.3/", "http://169.254.169.254/latest/meta-data/", "http://[::1]:8080/",
                "http://localhost/", "http://0.0.0.0/"):
        with pytest.raises(Refused):
            check(url, allow_private=False)
    with pytest.raises(Refused, match="only http and https"):
        check("file:///etc/passwd", allow_private=True)


def test_retry_after_reads_seconds_and_dates():
    assert retry_after("3") == 3.0
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert retry_after("soon") is None


def test_urls_are_known_by_their_normal_form():
    assert normalise("HTTP://Example.ORG:80/a?utm_source=x&b=2&a=1#top") == "http://example.org/a?a=1&b=2"
    assert normalise("https://example.org") == "https://example.org/"


def test_bad_source_settings_are_refused_with_the_value_named(store, tmp_path):
    with pytest.raises(S.SourceError, match="--every: '5s' is shorter than a minute"):
        S.add(store, "https://example.org/feed.xml", every="5s")
    with pytest.raises(S.SourceError, match="--match: '\\(' is not a regular expression"):
        S.add(store, "https://example.org/feed.xml", match="(")
    with pytest.raises(S.SourceError, match="not an http\\(s\\) URL, nor a folder"):
        S.add(store, str(tmp_path))
    S.add(store, "https://example.org/feed.xml")
    with pytest.raises(S.SourceError, match="already followed"):
        S.add(store, "https://example.org/feed.xml")


# -- what is new: URL, bytes, reprints ----------------------------------------------------------------------------

def test_the_same_bytes_under_another_url_are_not_extracted_again_and_a_reprint_is_linked(store, site, extractor):
    site.extra["/copy.html"] = site_article("/news/1.html")
    site.extra["/a.html"] = page_of("036-ru-rt-kisi-isrs-astana-2024.txt")
    site.extra["/reprint.html"] = page_of("037-ru-rt-kisi-isrs-astana-2024-reprint.txt")
    site.feed_paths = ["/news/1.html", "/copy.html", "/a.html", "/reprint.html"]
    summary = run(store, extractor, S.add(store, f"{site.base}/feed.xml", allow_private=True))
    assert (summary.new, summary.unchanged) == (3, 1)
    stored = docs(store)
    assert "/copy.html" not in stored
    assert stored["/reprint.html"]["duplicate_of"] == stored["/a.html"]["id"]


def site_article(path: str) -> bytes:
    from .watch_site import article
    return article(path)


def page_of(name: str) -> bytes:
    text = (REPORTS / name).read_text(encoding="utf-8")
    return ("<!doctype html><html><body><article>" + "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
            + "</article></body></html>").encode("utf-8")


def test_an_unreadable_page_is_recorded_among_ingest_failures_and_not_fetched_again(store, site, extractor):
    site.extra["/empty.html"] = b"<!doctype html><html><body> </body></html>"
    site.feed_paths = ["/empty.html"]
    source = S.add(store, f"{site.base}/feed.xml", allow_private=True)
    done = run(store, extractor, source)
    assert (done.unreadable, done.failed) == (1, 0) and done.line().endswith(", 1 unreadable")
    with store.connect() as conn:
        assert "no text" in conn.execute(select(failures.c.error)).scalar()
    site.feed_paths = ["/empty.html", "/news/2.html"]  # the feed changed (another ETag would say so)
    source = S.get(store, source.id)
    with store.begin() as conn:
        conn.execute(watch_sources.update().values(etag=None))
    run(store, extractor, S.get(store, source.id))
    assert site.fetched("/empty.html") == 1


# -- Telegram Desktop exports -------------------------------------------------------------------------------------

def test_a_telegram_export_gives_its_long_messages_files_and_links(store, site, extractor, tmp_path):
    folder = tmp_path / "ChatExport_2024-05-01"
    (folder / "files").mkdir(parents=True)
    report = (REPORTS / "045-ru-rt-csr-glaciers-dushanbe-2025.txt").read_text(encoding="utf-8")
    (folder / "files" / "report.txt").write_text((REPORTS / "024-ru-rt-iais-food-water-2022.txt")
                                                 .read_text(encoding="utf-8"), encoding="utf-8")
    export = {"name": "ЦСИ", "type": "public_channel", "id": 777, "messages": [
        {"id": 1, "type": "message", "date": "2025-02-12T10:00:00", "text": report},
        {"id": 2, "type": "message", "date": "2025-02-13T10:00:00", "text": "Коротко."},
        {"id": 3, "type": "message", "date": "2025-02-14T10:00:00",
         "text": ["Читайте: ", {"type": "link", "text": f"{site.base}/news/2.html"}]},
        {"id": 4, "type": "message", "date": "2025-02-15T10:00:00", "file": "files/report.txt", "text": ""},
        {"id": 5, "type": "message", "date": "2025-02-16T10:00:00", "file": "../../etc/passwd.txt", "text": ""},
        {"id": 6, "type": "service", "date": "2025-02-16T10:00:00", "action": "pin_message"}]}
    (folder / "result.json").write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    source = S.add(store, str(folder), allow_private=True)
    assert source.kind == "telegram"
    summary = run(store, extractor, source)
    assert summary.new == 3 and summary.sources_failed == 0
    stored = docs(store)
    message = stored["telegram:777/1"]
    assert message["page_date"] == "2025-02-12" and "ледник" in message["text"].lower()
    assert "/news/2.html" in stored and str(folder / "files" / "report.txt") in stored
    assert run(store, extractor, S.get(store, source.id)).new == 0


# -- a run killed with SIGKILL ------------------------------------------------------------------------------------

def test_a_run_killed_with_sigkill_is_completed_by_the_next_with_nothing_lost_or_twice(tmp_path, site):
    db = str(tmp_path / "killed.db")
    site.feed_paths = [f"/news/{i}.html" for i in range(1, 7)]
    held = site.hold["/news/4.html"] = threading.Event()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cli = [sys.executable, "-m", "kurultai"]
    subprocess.run(cli + ["watch", "add", f"{site.base}/feed.xml", "--allow-private", "--db", db], check=True, env=env)
    proc = subprocess.Popen(cli + ["watch", "run", "--db", db, "--delay", "0", "--quiet"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    while "/news/4.html" not in site.log:  # items 1-3 are stored; the run waits for item 4
        assert time.time() < deadline and proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    held.set()
    from kurultai.store import Store
    store = Store.open(db)
    assert store.scalar("SELECT count(*) FROM documents") == 3
    site.log.clear()
    again = subprocess.run(cli + ["watch", "run", "--source", "1", "--db", db, "--delay", "0", "--quiet"], env=env,
                           capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert "1 source run: 3 new, 3 unchanged" in again.stdout
    assert item_paths(site) == ["/news/4.html", "/news/5.html", "/news/6.html"]
    urls = [r[0] for r in store.engine.connect().execute(select(documents.c.url))]
    assert sorted(urls) == sorted(f"{site.base}/news/{i}.html" for i in range(1, 7))
    store.close()


def test_watch_run_forever_reads_due_sources_until_interrupted(tmp_path, site):
    db = str(tmp_path / "forever.db")
    site.feed_paths = ["/news/1.html"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cli = [sys.executable, "-m", "kurultai"]
    subprocess.run(cli + ["watch", "add", f"{site.base}/feed.xml", "--allow-private", "--db", db], check=True, env=env)
    proc = subprocess.Popen(cli + ["watch", "run", "--forever", "--db", db, "--delay", "0", "--quiet"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    from kurultai.store import Store
    store = Store.open(db)
    deadline = time.time() + 120
    while not store.scalar("SELECT last_success_at FROM watch_sources"):  # stored, its run over
        assert time.time() < deadline and proc.poll() is None, proc.communicate()
        time.sleep(0.2)
    store.close()
    time.sleep(1.0)
    assert proc.poll() is None  # still running: waiting for the next source to be due
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130 and "1 source run: 1 new, 0 unchanged" in out and "stopped" in err


def test_a_failed_source_makes_watch_run_exit_1_and_watch_list_say_why(store, site):
    cli = CliRunner()
    assert cli.invoke(app, ["watch", "add", f"{site.base}/feed.xml", "--name", "no flag", "--db", store.url]).exit_code == 0
    ran = cli.invoke(app, ["watch", "run", "--db", store.url, "--quiet"])
    assert ran.exit_code == 1
    assert "1 source run, 1 failed: 0 new, 0 unchanged" in ran.output
    assert "failed no flag:" in ran.output and "--allow-private" in ran.output
    listed = cli.invoke(app, ["watch", "list", "--json", "--db", store.url])
    assert "private or local address" in json.loads(listed.output)[0]["last_error"]
    assert cli.invoke(app, ["watch", "run", "--db", store.url, "--quiet"]).output.startswith("0 sources run")  # not due
    assert cli.invoke(app, ["watch", "pause", "1", "--db", store.url]).exit_code == 0
    assert cli.invoke(app, ["watch", "remove", "1", "--db", store.url]).exit_code == 0
    gone = cli.invoke(app, ["watch", "remove", "1", "--db", store.url])
    assert gone.exit_code == 1 and "no source has id 1" in gone.output
    bad = cli.invoke(app, ["watch", "add", "ftp://example.org/x", "--db", store.url])
    assert bad.exit_code == 2 and "not an http(s) URL" in bad.output
