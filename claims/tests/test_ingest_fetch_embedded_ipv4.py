"""IPv6 addresses that carry an IPv4 address inside them are judged by that IPv4 address too."""

import socket

import pytest

from claims.ingest.fetch import FetchPolicy, FetchRefused, check_url, fetch

ALLOW_LOOPBACK = FetchPolicy.build(allow_hosts={"127.0.0.1"}, total_timeout=5)


@pytest.mark.parametrize(
    ("address", "words"),
    [
        ("2002:7f00:1::", "embeds 127.0.0.1, a loopback address"),  # 6to4
        ("2002:a9fe:a9fe::", "embeds 169.254.169.254, a link-local address"),
        ("2002:a00:1::1", "embeds 10.0.0.1, a private address"),
        ("2002:c0a8:101::", "embeds 192.168.1.1, a private address"),
        # Teredo: server 65.54.227.120, client 192.0.2.45 (obfuscated in the last 32 bits)
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "embeds 192.0.2.45"),
        ("2001:0:7f00:1::", "embeds 127.0.0.1, a loopback address"),
        ("64:ff9b::7f00:1", "embeds 127.0.0.1, a loopback address"),  # NAT64
        ("64:ff9b::a9fe:a9fe", "embeds 169.254.169.254, a link-local address"),
        ("64:ff9b:1::a00:1", "embeds 10.0.0.1, a private address"),  # local-use NAT64
        ("64:ff9b:1:2::808:808", "local-use NAT64"),
        ("::7f00:1", "embeds 127.0.0.1, a loopback address"),  # IPv4-compatible
        ("::a00:1", "embeds 10.0.0.1, a private address"),
        ("::ffff:7f00:1", "loopback"),  # IPv4-mapped
        ("::ffff:169.254.169.254", "link-local"),
    ],
)
def test_ipv6_forms_of_internal_ipv4_addresses_are_refused(
    site, monkeypatch: pytest.MonkeyPatch, address: str, words: str
) -> None:
    """A name resolving to the IPv6 form is refused, and the real server on loopback sees nothing."""
    site.page("/secret", "internal")
    real_getaddrinfo = socket.getaddrinfo

    def resolve(host, port, *args, **kwargs):
        if host == "embedded.example":
            return [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port, 0, 0))]
        return real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)

    with pytest.raises(FetchRefused) as by_name:
        fetch(f"http://embedded.example:{site.port}/secret")
    with pytest.raises(FetchRefused) as literal:
        fetch(f"http://[{address}]:{site.port}/secret")

    assert words in by_name.value.reason
    assert words in literal.value.reason
    assert site.requests == []


@pytest.mark.parametrize(
    "address",
    ["2002:7f00:1::", "64:ff9b::7f00:1", "::7f00:1", "2001:0:7f00:1::", "::ffff:127.0.0.1"],
)
def test_a_redirect_to_an_embedded_internal_address_is_refused(site, address: str) -> None:
    """An allowed page redirecting to such an address gets no further than the first hop."""
    start = site.redirect("/start", f"http://[{address}]:{site.port}/secret")
    site.page("/secret", "internal")

    with pytest.raises(FetchRefused, match=r"embeds 127\.0\.0\.1|loopback"):
        fetch(start, policy=ALLOW_LOOPBACK)

    assert site.requests == ["/start"]


@pytest.mark.parametrize(
    "address", ["2002:808:808::1", "2a00:1450:4001:80b::200e", "2606:4700:4700::1111"]
)
def test_public_ipv6_addresses_pass_the_check(monkeypatch: pytest.MonkeyPatch, address) -> None:
    """6to4 of a public IPv4 address and ordinary global IPv6 addresses are not refused."""
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, port, *a, **k: [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port))],
    )

    assert check_url("https://news.example/a", policy=FetchPolicy()) == (
        "news.example",
        443,
        address,
    )
