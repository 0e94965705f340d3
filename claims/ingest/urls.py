"""Canonical URLs: one spelling per page, so the same article is recognised however it is linked."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "ocid",
        "cmpid",
        "ref_src",
        "ref_url",
        "smid",
        "spm",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")
DEFAULT_PORTS = {"http": 80, "https": 443}


def canonicalize_url(url: str) -> str:
    """Lower-case scheme and host, no default port, fragment or tracking parameters, sorted query.

    A URL that cannot be parsed as http(s) is returned stripped but otherwise unchanged.
    """
    url = url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return url
    try:
        port = parts.port
    except ValueError:
        return url
    host = parts.hostname.rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = urlencode(sorted(_kept_params(parts.query)))
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def trusted_canonical(canonical: str, *, page_url: str) -> str:
    """The page's rel=canonical when it can be believed, else "".

    A canonical on another site (a syndicated copy naming the original) would make this
    appearance a duplicate of the original rather than a copy in the same story; one naming
    the site's home page from an article is a CMS mistake that would merge every article.
    """
    if not canonical or not page_url:
        return canonical
    target, page = urlsplit(canonical), urlsplit(page_url)
    if _site(target.hostname) != _site(page.hostname):
        return ""
    if target.path in ("", "/") and page.path not in ("", "/"):
        return ""
    return canonical


def _site(host: str | None) -> str:
    host = (host or "").lower().rstrip(".")
    return host.removeprefix("www.")


def _kept_params(query: str) -> list[tuple[str, str]]:
    return [
        (key, value)
        for key, value in parse_qsl(query, keep_blank_values=True)
        if key.lower() not in TRACKING_PARAMS and not key.lower().startswith(TRACKING_PREFIXES)
    ]
