import gzip
import socket
import time

import pytest

from claims.ingest.fetch import (
    FetchFailed,
    FetchPolicy,
    FetchRefused,
    check_url,
    fetch,
)

ALLOW_LOOPBACK = FetchPolicy.build(allow_hosts={"127.0.0.1"}, total_timeout=5)
PAGE = "<html><head><title>Quay</title></head><body><p>Tonnage rose by 4%.</p></body></html>"


@pytest.fixture
def no_connections(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a connection fails the test: refusal must come before connecting."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"a connection was attempted to {args[0]}")

    monkeypatch.setattr(socket, "create_connection", refuse)


def test_allowed_loopback_host_is_fetched(site) -> None:
    url = site.page("/quay.html", PAGE)

    result = fetch(url, policy=ALLOW_LOOPBACK)

    assert result.status == 200
    assert result.is_html
    assert result.charset == "utf-8"
    assert "Tonnage rose by 4%." in result.text
    assert site.requests == ["/quay.html"]


def test_loopback_is_refused_unless_allowed_and_the_server_sees_nothing(site) -> None:
    url = site.page("/quay.html", PAGE)

    with pytest.raises(FetchRefused) as refused:
        fetch(url)

    assert "loopback" in refused.value.reason
    assert site.requests == []


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://127.0.0.1/", "loopback"),
        ("http://10.0.0.1/admin", "private"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[::1]:8080/", "loopback"),
        ("http://[::ffff:10.1.2.3]/", "private"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://224.0.0.1/", "multicast"),
        ("http://localhost/", "loopback"),
    ],
)
def test_internal_addresses_are_refused_before_connecting(no_connections, url, words) -> None:
    with pytest.raises(FetchRefused) as refused:
        fetch(url)

    assert words in refused.value.reason


@pytest.mark.parametrize("url", ["ftp://example.org/x", "file:///etc/passwd", "gopher://a/"])
def test_only_http_and_https_are_fetched(no_connections, url) -> None:
    with pytest.raises(FetchRefused, match="only http and https"):
        fetch(url)


def test_allow_list_names_hosts_not_everything_internal(no_connections) -> None:
    policy = FetchPolicy.build(allow_hosts=[" 127.0.0.1 ", "Intranet.Local", "[::1]"])

    assert check_url("http://127.0.0.1:8000/a", policy=policy) == ("127.0.0.1", 8000, "127.0.0.1")
    assert check_url("http://[::1]/a", policy=policy) == ("::1", 80, "::1")
    with pytest.raises(FetchRefused):
        check_url("http://10.0.0.1/", policy=policy)


def test_redirect_to_loopback_is_refused_before_it_is_followed(site) -> None:
    secret = f"http://localhost:{site.port}/secret"
    url = site.redirect("/moved", secret)
    site.page("/secret", "internal only")

    with pytest.raises(FetchRefused) as refused:
        fetch(url, policy=ALLOW_LOOPBACK)

    assert "localhost resolves to" in refused.value.reason
    assert site.requests == ["/moved"]


def test_redirect_to_private_address_is_refused(site) -> None:
    url = site.redirect("/moved", "http://10.0.0.1/admin")

    with pytest.raises(FetchRefused, match="private"):
        fetch(url, policy=ALLOW_LOOPBACK)


def test_redirects_are_followed_and_recorded(site) -> None:
    site.redirect("/old", "/new", status=301)
    site.page("/new", PAGE)

    result = fetch(site.url("/old"), policy=ALLOW_LOOPBACK)

    assert result.final_url == site.url("/new")
    assert result.redirects == (site.url("/old"),)


def test_redirect_chain_is_cut_off_at_the_limit(site) -> None:
    for hop in range(10):
        site.redirect(f"/hop{hop}", f"/hop{hop + 1}")

    with pytest.raises(FetchFailed, match="more than 5 redirects"):
        fetch(site.url("/hop0"), policy=ALLOW_LOOPBACK)

    assert len(site.requests) == 6


def test_server_that_hangs_is_cut_off_by_the_total_timeout(site) -> None:
    site.page("/slow", PAGE, hang=True)
    policy = FetchPolicy.build(allow_hosts={"127.0.0.1"}, total_timeout=0.5)
    started = time.monotonic()

    with pytest.raises(FetchFailed, match="timed out"):
        fetch(site.url("/slow"), policy=policy)

    assert time.monotonic() - started < 5


@pytest.mark.parametrize("send_length", [True, False])
def test_body_over_the_size_cap_is_refused(site, send_length) -> None:
    site.page("/big", "x" * 5000, content_type="text/plain", send_length=send_length)
    policy = FetchPolicy.build(allow_hosts={"127.0.0.1"}, max_bytes=1000)

    with pytest.raises(FetchFailed, match="larger than the 1,000 byte limit"):
        fetch(site.url("/big"), policy=policy)


def test_gzip_body_is_capped_after_decompression(site) -> None:
    bomb = gzip.compress(b"a" * 200_000)
    site.page("/bomb", bomb, content_type="text/plain", headers={"Content-Encoding": "gzip"})
    policy = FetchPolicy.build(allow_hosts={"127.0.0.1"}, max_bytes=10_000)

    with pytest.raises(FetchFailed, match="byte limit"):
        fetch(site.url("/bomb"), policy=policy)


def test_gzip_body_is_decompressed(site) -> None:
    site.page("/z", gzip.compress(PAGE.encode()), headers={"Content-Encoding": "gzip"})

    assert "Tonnage" in fetch(site.url("/z"), policy=ALLOW_LOOPBACK).text


def test_wrong_content_type_is_refused(site) -> None:
    site.page("/logo.png", b"\x89PNG\r\n", content_type="image/png")

    with pytest.raises(FetchFailed, match="unsupported content type image/png"):
        fetch(site.url("/logo.png"), policy=ALLOW_LOOPBACK)


@pytest.mark.parametrize(("status", "words"), [(404, "HTTP 404"), (500, "HTTP 500")])
def test_error_statuses_fail_with_the_status(site, status, words) -> None:
    site.page("/broken", "oops", status=status)

    with pytest.raises(FetchFailed, match=words):
        fetch(site.url("/broken"), policy=ALLOW_LOOPBACK)


def test_refused_connection_fails_clearly() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    with pytest.raises(FetchFailed, match="connection failed"):
        fetch(f"http://127.0.0.1:{port}/", policy=ALLOW_LOOPBACK)


def test_charset_from_meta_when_the_header_has_none(site) -> None:
    html = '<html><head><meta charset="iso-8859-1"></head><body>Caf\xe9 cr\xe8me</body></html>'
    site.page("/latin", html.encode("latin-1"), content_type="text/html")

    result = fetch(site.url("/latin"), policy=ALLOW_LOOPBACK)

    assert result.charset == "iso-8859-1"
    assert "Café crème" in result.text


def test_unknown_declared_charset_falls_back_to_detection(site) -> None:
    text = "Der Hafen meldete für Oktober über 1.200 Container, ein Plus gegenüber dem Vorjahr."
    site.page("/de", text.encode(), content_type="text/plain; charset=x-martian")

    assert fetch(site.url("/de"), policy=ALLOW_LOOPBACK).text == text


def test_undetectable_encoding_fails_clearly(site) -> None:
    site.page("/noise", bytes(range(256)) * 10, content_type="text/plain; charset=x-martian")

    with pytest.raises(FetchFailed, match="encoding could not be detected"):
        fetch(site.url("/noise"), policy=ALLOW_LOOPBACK)


def test_tls_failure_is_a_clear_failure(site) -> None:
    site.page("/secure", PAGE)

    with pytest.raises(FetchFailed, match="TLS error"):
        fetch(f"https://127.0.0.1:{site.port}/secure", policy=ALLOW_LOOPBACK)


def test_server_that_drips_bytes_is_cut_off_at_the_total_timeout(site) -> None:
    site.page("/drip", PAGE, drip_seconds=0.2)
    policy = FetchPolicy.build(allow_hosts={"127.0.0.1"}, total_timeout=1.0)
    started = time.monotonic()

    with pytest.raises(FetchFailed, match="timed out"):
        fetch(site.url("/drip"), policy=policy)

    assert time.monotonic() - started < 2.5
