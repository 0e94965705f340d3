"""Safe HTTP fetching (and posting, for webhooks): only public addresses, checked on every
hop, with hard limits.

The host is resolved once, every address it resolves to is checked, and the connection goes to
the address that was checked (the Host header and TLS SNI still name the host), so a DNS answer
that changes between the check and the connect cannot smuggle a request to an internal address.
"""

import contextlib
import http.client
import ipaddress
import re
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from email.message import Message
from urllib.parse import urljoin, urlsplit

import charset_normalizer

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_CONNECT_TIMEOUT = 5.0
DEFAULT_TOTAL_TIMEOUT = 20.0
DEFAULT_MAX_REDIRECTS = 5
USER_AGENT = "FactDesk/1.0 (+newsroom fact-check desk)"

ACCEPTED_CONTENT_TYPES = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "text/xml",
        "application/xml",
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "text/plain",
        "application/json",
        "application/feed+json",
    }
)
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.:-]+)["']""")


class FetchError(Exception):
    """A URL could not be fetched; `reason` says why in words a desk editor understands."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class FetchRefused(FetchError):
    """The URL was refused before any connection was made (scheme, address, limits)."""


class FetchFailed(FetchError):
    """The connection was made but the answer was unusable (status, timeout, size, type)."""


@dataclass(frozen=True)
class FetchPolicy:
    allow_hosts: frozenset[str] = frozenset()
    max_bytes: int = DEFAULT_MAX_BYTES
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    total_timeout: float = DEFAULT_TOTAL_TIMEOUT
    max_redirects: int = DEFAULT_MAX_REDIRECTS

    @classmethod
    def build(
        cls,
        *,
        allow_hosts: Collection[str] = (),
        max_bytes: int = DEFAULT_MAX_BYTES,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        total_timeout: float = DEFAULT_TOTAL_TIMEOUT,
        max_redirects: int = DEFAULT_MAX_REDIRECTS,
    ) -> "FetchPolicy":
        hosts = frozenset(_bare_host(h) for h in allow_hosts if h.strip())
        return cls(hosts, max_bytes, connect_timeout, total_timeout, max_redirects)


@dataclass(frozen=True)
class FetchResult:
    url: str
    final_url: str
    status: int
    content_type: str
    charset: str
    body: bytes
    text: str
    headers: dict[str, str] = field(default_factory=dict)
    redirects: tuple[str, ...] = ()

    @property
    def is_html(self) -> bool:
        return self.content_type in {"text/html", "application/xhtml+xml"}

    @property
    def is_feed(self) -> bool:
        return self.content_type.endswith("xml")


def fetch(url: str, *, policy: FetchPolicy = FetchPolicy()) -> FetchResult:
    """GET `url` under `policy`, following redirects hop by hop; raises a `FetchError`."""
    deadline = time.monotonic() + policy.total_timeout
    current = url
    hops: list[str] = []
    while True:
        response = _get_once(current, policy=policy, deadline=deadline)
        if response.status not in REDIRECT_STATUSES:
            break
        location = response.headers.get("location")
        if not location:
            raise FetchFailed(current, f"HTTP {response.status} redirect without a Location")
        if len(hops) >= policy.max_redirects:
            raise FetchFailed(url, f"more than {policy.max_redirects} redirects")
        hops.append(current)
        current = urljoin(current, location)
    if response.status != 200:
        raise FetchFailed(current, f"HTTP {response.status} {response.reason}".strip())
    content_type, declared = _content_type(current, response.headers, response.body)
    charset, text = _decode(current, response.body, content_type, declared)
    return FetchResult(
        url=url,
        final_url=current,
        status=response.status,
        content_type=content_type,
        charset=charset,
        body=response.body,
        text=text,
        headers=response.headers,
        redirects=tuple(hops),
    )


def check_url(url: str, *, policy: FetchPolicy) -> tuple[str, int, str]:
    """Refuse a URL we must not contact; return (host, port, checked IP) to connect to."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        raise FetchRefused(url, f"only http and https URLs are fetched, not {parts.scheme!r}")
    host = parts.hostname
    if not host:
        raise FetchRefused(url, "the URL has no host")
    if parts.username or parts.password:
        raise FetchRefused(url, "URLs with credentials in them are not fetched")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise FetchRefused(url, "the URL has an invalid port") from None
    addresses = _resolve(url, host, port)
    if host not in policy.allow_hosts:
        for address in addresses:
            reason = _blocked_reason(ipaddress.ip_address(address))
            if reason:
                raise FetchRefused(url, f"{host} resolves to {address}, {reason}")
    return host, port, addresses[0]


@dataclass
class _RawResponse:
    status: int
    reason: str
    headers: dict[str, str]
    body: bytes


def post(url: str, *, body: bytes, headers: dict[str, str], policy: FetchPolicy) -> int:
    """POST `body` to `url` under the rules of `fetch` (the address is checked and pinned, the
    timeouts hold); a redirect is not followed. Returns the status; raises a `FetchError`."""
    deadline = time.monotonic() + policy.total_timeout
    with _connected(url, policy=policy, deadline=deadline) as connection:
        connection.request(
            "POST", _request_target(url), body=body, headers={"User-Agent": USER_AGENT, **headers}
        )
        _arm(connection.sock, url, deadline)
        return connection.getresponse().status


def _get_once(url: str, *, policy: FetchPolicy, deadline: float) -> _RawResponse:
    with _connected(url, policy=policy, deadline=deadline) as connection:
        connection.request(
            "GET",
            _request_target(url),
            headers={
                "User-Agent": USER_AGENT,
                "Accept": ", ".join(sorted(ACCEPTED_CONTENT_TYPES)) + ", */*;q=0.1",
                "Accept-Encoding": "gzip",
            },
        )
        _arm(connection.sock, url, deadline)
        response = connection.getresponse()
        headers = {k.lower(): v for k, v in response.getheaders()}
        if response.status != 200:
            return _RawResponse(response.status, response.reason, headers, b"")
        body = _read_body(response, connection.sock, url, headers, policy, deadline)
        if time.monotonic() >= deadline:
            raise FetchFailed(url, "timed out")
        return _RawResponse(response.status, response.reason, headers, body)


@contextlib.contextmanager
def _connected(url: str, *, policy: FetchPolicy, deadline: float) -> Iterator["_PinnedConnection"]:
    """A connection to the checked address of `url`, cut off at `deadline`; a failure on the
    way becomes a `FetchFailed` that says what went wrong."""
    host, port, address = check_url(url, policy=policy)
    connect_timeout = min(policy.connect_timeout, max(deadline - time.monotonic(), 0.001))
    connection = _PinnedConnection(
        host, port, address=address, tls=urlsplit(url).scheme == "https", timeout=connect_timeout
    )
    # Socket timeouts bound each read; the watchdog bounds them all, so that a server dripping
    # a byte at a time cannot stretch the exchange past its deadline.
    watchdog = threading.Timer(max(deadline - time.monotonic(), 0), _cut_off, args=(connection,))
    watchdog.daemon = True
    watchdog.start()
    try:
        connection.connect()
        _arm(connection.sock, url, deadline)
        yield connection
    except ssl.SSLError as exc:
        raise FetchFailed(url, f"TLS error: {exc.reason or exc}") from None
    except (OSError, http.client.HTTPException) as exc:
        if isinstance(exc, TimeoutError) or time.monotonic() >= deadline:
            raise FetchFailed(url, "timed out") from None
        raise FetchFailed(url, f"connection failed: {exc}") from None
    finally:
        watchdog.cancel()
        connection.close()


def _request_target(url: str) -> str:
    parts = urlsplit(url)
    path = parts.path or "/"
    return f"{path}?{parts.query}" if parts.query else path


class _PinnedConnection(http.client.HTTPConnection):
    """An HTTP(S) connection to a checked IP address that still speaks to `host`."""

    def __init__(self, host: str, port: int, *, address: str, tls: bool, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address
        self._tls = tls

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        if self._tls:
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=self.host)
        self.sock = sock


def _cut_off(connection: http.client.HTTPConnection) -> None:
    if connection.sock is not None:
        with contextlib.suppress(OSError):
            connection.sock.shutdown(socket.SHUT_RDWR)


def _arm(sock: socket.socket | None, url: str, deadline: float) -> None:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchFailed(url, "timed out")
    if sock is not None:
        sock.settimeout(remaining)


def _read_body(
    response: http.client.HTTPResponse,
    sock: socket.socket | None,
    url: str,
    headers: dict[str, str],
    policy: FetchPolicy,
    deadline: float,
) -> bytes:
    too_big = f"larger than the {policy.max_bytes:,} byte limit"
    length = headers.get("content-length", "")
    if length.isdigit() and int(length) > policy.max_bytes:
        raise FetchFailed(url, too_big)
    gzipped = headers.get("content-encoding", "").lower() == "gzip"
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS) if gzipped else None
    chunks: list[bytes] = []
    size = 0
    while True:
        _arm(sock, url, deadline)
        chunk = response.read1(_CHUNK)
        if not chunk:
            break
        if inflater is not None:
            try:
                chunk = inflater.decompress(chunk, policy.max_bytes + 1 - size)
            except zlib.error:
                raise FetchFailed(url, "the gzip body is corrupt") from None
        size += len(chunk)
        if size > policy.max_bytes:
            raise FetchFailed(url, too_big)
        chunks.append(chunk)
    return b"".join(chunks)


def _content_type(url: str, headers: dict[str, str], body: bytes) -> tuple[str, str]:
    raw = headers.get("content-type", "")
    if not raw:
        return _sniff_type(body), ""
    message = Message()
    message["content-type"] = raw
    content_type = message.get_content_type()
    if content_type not in ACCEPTED_CONTENT_TYPES:
        raise FetchFailed(url, f"unsupported content type {content_type}")
    return content_type, message.get_param("charset") or ""


def _sniff_type(body: bytes) -> str:
    head = body[:512].lstrip().lower()
    if head.startswith((b"<?xml", b"<rss", b"<feed")):
        return "application/xml"
    if head.startswith(b"<"):
        return "text/html"
    if head.startswith((b"{", b"[")):
        return "application/json"
    return "text/plain"


def _decode(url: str, body: bytes, content_type: str, declared: str) -> tuple[str, str]:
    candidates = [declared, *_charset_in_markup(body, content_type), "utf-8"]
    for charset in filter(None, candidates):
        try:
            return charset.lower(), body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    best = charset_normalizer.from_bytes(body[:DEFAULT_MAX_BYTES]).best()
    if best is None:
        raise FetchFailed(url, "the text encoding could not be detected")
    return best.encoding, str(best)


def _charset_in_markup(body: bytes, content_type: str) -> list[str]:
    head = body[:4096]
    found = []
    if content_type.endswith("xml"):
        match = _XML_ENCODING.match(head)
        if match:
            found.append(match.group(1).decode("ascii"))
    match = _META_CHARSET.search(head)
    if match:
        found.append(match.group(1).decode("ascii"))
    return found


def _resolve(url: str, host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchFailed(url, f"cannot resolve {host}: {exc}") from None
    addresses = list(dict.fromkeys(str(info[4][0]).split("%")[0] for info in infos))
    if not addresses:
        raise FetchFailed(url, f"{host} has no address")
    return addresses


_NAT64_WELL_KNOWN = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL_USE = ipaddress.IPv6Network("64:ff9b:1::/48")
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")
_TEREDO = ipaddress.IPv6Network("2001::/32")
_ADDRESS_CHECKS = (
    ("is_loopback", "a loopback address"),
    ("is_link_local", "a link-local address"),
    ("is_multicast", "a multicast address"),
    ("is_unspecified", "an unspecified address"),
    ("is_private", "a private address"),
    ("is_reserved", "a reserved address"),
)


def _blocked_reason(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            address = address.ipv4_mapped
        else:
            for embedded in _embedded_ipv4(address):
                reason = _own_reason(embedded)
                if reason:
                    return f"an IPv6 address that embeds {embedded}, {reason}, which is not fetched"
            if address in _NAT64_LOCAL_USE:
                return "a local-use NAT64 address, which is not fetched"
    reason = _own_reason(address)
    return f"{reason}, which is not fetched" if reason else ""


def _own_reason(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    for attribute, reason in _ADDRESS_CHECKS:
        if getattr(address, attribute):
            return reason
    if not address.is_global:
        return "not a public address"
    return ""


def _embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries: 6to4, Teredo (server and client), NAT64
    (RFC 6052, the /96 forms) and the deprecated IPv4-compatible ::a.b.c.d."""
    found: list[ipaddress.IPv4Address] = []
    if address.sixtofour is not None:
        found.append(address.sixtofour)
    if address in _TEREDO and address.teredo is not None:
        found.extend(address.teredo)
    low32 = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address in _NAT64_WELL_KNOWN or address in _NAT64_LOCAL_USE:
        found.append(low32)
    if address in _IPV4_COMPATIBLE and int(address) > 1:
        found.append(low32)
    return found


def _bare_host(host: str) -> str:
    return host.strip().lower().strip("[]")
