"""URLs as kurultai compares and trusts them: normalised so that one page has one key, and
checked against the addresses a server must not be turned into a probe of.

An item is known by its normalised URL: scheme and host lower-cased, the default port, the
fragment and tracking parameters (utm_*, fbclid...) dropped, the query sorted. Two links to one
article written differently are fetched once.
"""
from __future__ import annotations

import ipaddress
import socket
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING = ("utm_", "fbclid", "gclid", "yclid", "mc_cid", "mc_eid", "_openstat")
DEFAULT_PORTS = {"http": 80, "https": 443}


class Refused(Exception):
    """A URL kurultai will not fetch: its scheme, or an address on a private network or this machine."""


def normalise(url: str) -> str:
    """The key of `url`; two spellings of one page give the same key."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = parts.netloc.rsplit("@", 1)[-1].lower()
    default = DEFAULT_PORTS.get(scheme)
    if default and host.endswith(f":{default}"):
        host = host[:-len(f":{default}")]
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if not k.lower().startswith(TRACKING))
    path = parts.path or "/"
    return urlunsplit((scheme, host, path, urlencode(query), ""))


def same_site(url: str, other: str) -> bool:
    """Whether two URLs are on one host (a "www." prefix aside)."""
    a, b = (urlsplit(u).hostname or "" for u in (url, other))
    return a.lower().removeprefix("www.") == b.lower().removeprefix("www.")


def check(url: str, allow_private: bool) -> None:
    """Refuse a URL that is not http(s), or whose host resolves to any loopback, private,
    link-local, multicast or reserved address (unless `allow_private`). Every address the host
    resolves to is checked: one public address beside a private one does not let it through."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise Refused(f"{url}: only http and https URLs are fetched (got {parts.scheme or 'no scheme'!r})")
    host = parts.hostname
    if not host:
        raise Refused(f"{url}: no host in the URL")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(host, parts.port or DEFAULT_PORTS[parts.scheme], proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise OSError(f"cannot resolve {host} ({exc.strerror or exc})") from None
    for *_, sockaddr in infos:
        address = ipaddress.ip_address(sockaddr[0].split("%")[0])
        if not address.is_global or address.is_multicast:
            raise Refused(f"{url}: {host} resolves to {address}, a private or local address; add the source "
                          "with --allow-private to fetch from such addresses")
