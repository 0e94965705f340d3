"""Figures: every number in a sentence, with its qualifier, unit and what it counts, normalised."""

import re

_WORD_NUMBERS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "dozen": 12,
}  # fmt: skip
_FRACTIONS = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5,
    "fifths": 5, "tenth": 10, "tenths": 10,
}  # fmt: skip
_SCALES = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "billion": 1e9,
    "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12,
}  # fmt: skip
_CURRENCIES = {"$": "USD", "us$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY"}
_CURRENCY_WORDS = {
    "dollars": "USD", "euros": "EUR", "pounds": "GBP", "roubles": "RUB", "rubles": "RUB",
    "yuan": "CNY",
}  # fmt: skip
# qualifier as written -> (comparator, approximate)
_QUALIFIERS = {
    "just under": ("<", True), "just below": ("<", True), "just over": (">", True),
    "just above": (">", True), "well over": (">", False), "more than": (">", False),
    "over": (">", False), "above": (">", False), "greater than": (">", False),
    "less than": ("<", False), "fewer than": ("<", False), "under": ("<", False),
    "below": ("<", False), "at least": (">=", False), "no fewer than": (">=", False),
    "no less than": (">=", False), "at most": ("<=", False), "no more than": ("<=", False),
    "up to": ("<=", False), "as many as": ("<=", False), "as much as": ("<=", False),
    "nearly": ("<", True), "almost": ("<", True), "about": ("~", True), "around": ("~", True),
    "roughly": ("~", True), "approximately": ("~", True), "some": ("~", True),
    "an estimated": ("~", True), "estimated": ("~", True), "close to": ("~", True),
    "only": ("=", False), "exactly": ("=", False),
}  # fmt: skip
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_SCALE_PATTERN = "|".join(sorted(_SCALES, key=len, reverse=True))
_NUMBER = (
    r"(?<![\w.,/:])(?P<cur>US\$|\$|£|€|¥)?\s?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
    r"|(?:" + "|".join(_WORD_NUMBERS) + r")(?![\w-]))"
    r"(?:\s?(?P<scale>" + _SCALE_PATTERN + r")\b)?"
    r"(?P<pct>\s?%|\s(?:percent|per\s?cent|percentage points?)\b)?"
)
_MENTION = re.compile(_NUMBER, re.IGNORECASE)
_RANGE_JOIN = re.compile(r"\s*(?:-|–|to|and)\s*$", re.IGNORECASE)
_RANGE_OPENER = re.compile(r"\b(?:between|from)\s+$", re.IGNORECASE)
_QUALIFIER_BEFORE = re.compile(
    r"\b(" + "|".join(sorted(_QUALIFIERS, key=len, reverse=True)) + r")\s+$", re.IGNORECASE
)
_DATE_BEFORE = re.compile(r"\b(?:" + _MONTHS + r")\.?\s+$", re.IGNORECASE)
_UNIT_AFTER = re.compile(
    r"^-?(km/h|mph|km|kilometres?|kilometers?|miles?|kg|tonnes?|tons?|metres?|meters?|mm|cm"
    r"|m|°C|°F|degrees?|hectares?|acres?|litres?|liters?|gw|mw|kw|kwh|mwh)(?![\w/])",
    re.IGNORECASE,
)
_CLOCK_TIME = re.compile(r"^(?::\d\d)?\s?(?:a\.m\.|p\.m\.|am\b|pm\b|o'clock|GMT|BST|UTC)", re.I)
_WORD_AFTER = re.compile(r"^[\s-]*([A-Za-z][A-Za-z'’-]*)")
_STOPWORDS = frozenset({
    "in", "on", "at", "of", "and", "or", "to", "for", "from", "by", "with", "as", "than", "that",
    "this", "which", "who", "were", "was", "is", "are", "be", "been", "have", "has", "had",
    "will", "would", "could", "should", "may", "might", "did", "do", "does", "not", "per", "a",
    "an", "the", "it", "its", "their", "his", "her", "our", "since", "until", "after", "before",
    "during", "last", "next", "each", "every", "while", "over", "under", "across", "into",
    "through", "against", "about", "around", "near", "among", "up", "down", "out", "off", "so",
    "but", "if", "then", "there", "here"
})  # fmt: skip
_YEAR = re.compile(r"^(?:1[89]\d\d|20\d\d)$")


def find_figures(sentence: str, offset: int = 0) -> list[dict]:
    """Figures in `sentence`, with spans shifted by `offset` into the article."""
    figures: list[dict] = []
    mentions = list(_MENTION.finditer(sentence))
    index = 0
    while index < len(mentions):
        mention = mentions[index]
        following = mentions[index + 1] if index + 1 < len(mentions) else None
        if following and _is_range(sentence, mention, following):
            figure = _range_figure(sentence, mention, following)
            index += 2
        else:
            figure = _single_figure(sentence, mention)
            index += 1
        if figure is None:
            continue
        if not figure["counted"] and figures and figure["kind"] == "count":
            figure["counted"] = figures[-1]["counted"]
        figure["start"] += offset
        figure["end"] += offset
        figures.append(figure)
    return figures


def is_statistic(figures: list[dict]) -> bool:
    return any(f["kind"] != "year" for f in figures)


def _is_range(sentence: str, first: re.Match, second: re.Match) -> bool:
    between = sentence[first.end() : second.start()]
    if not _RANGE_JOIN.fullmatch(between) and not _RANGE_JOIN.search(between):
        return False
    if between.strip() in {"-", "–"}:
        return True
    return bool(_RANGE_OPENER.search(sentence[: first.start()]))


def _single_figure(sentence: str, mention: re.Match) -> dict | None:
    if _DATE_BEFORE.search(sentence[: mention.start()]) or _CLOCK_TIME.match(
        sentence[mention.end() :]
    ):
        return None
    value = _value(mention)
    if value is None:
        return None
    start, end = mention.start(), mention.end()
    comparator, approximate, qualifier = "=", False, ""
    qualifier_match = _QUALIFIER_BEFORE.search(sentence[:start])
    if qualifier_match:
        qualifier = qualifier_match.group(1).lower()
        comparator, approximate = _QUALIFIERS[qualifier]
        start = qualifier_match.start(1)
    kind, unit = _kind_and_unit(mention, sentence[end:])
    if kind == "count" and _YEAR.match(mention.group("num")) and not qualifier:
        kind = "year"
    counted = _counted(sentence[end:], kind)
    denominator = _FRACTIONS.get(counted.split(" ")[0].lower()) if counted else None
    if kind == "count" and denominator:
        kind, value, counted = "fraction", round(value / denominator, 4), ""
        end += _WORD_AFTER.match(sentence[end:]).end()
    return {
        "text": sentence[start:end],
        "start": start,
        "end": end,
        "kind": kind,
        "value": value,
        "low": value if comparator in (">", ">=") else None,
        "high": value if comparator in ("<", "<=") else None,
        "comparator": comparator,
        "approximate": approximate,
        "qualifier": qualifier,
        "unit": unit,
        "counted": counted,
    }


def _range_figure(sentence: str, first: re.Match, second: re.Match) -> dict | None:
    low, high = _value(first, scale_from=second), _value(second)
    if low is None or high is None:
        return None
    opener = _RANGE_OPENER.search(sentence[: first.start()])
    start = opener.start() if opener else first.start()
    kind, unit = _kind_and_unit(second, sentence[second.end() :])
    if kind == "count" and first.group("cur"):
        kind, unit = "money", _CURRENCIES.get(first.group("cur").lower(), "")
    return {
        "text": sentence[start : second.end()],
        "start": start,
        "end": second.end(),
        "kind": "range" if kind == "count" else kind,
        "value": None,
        "low": min(low, high),
        "high": max(low, high),
        "comparator": "range",
        "approximate": False,
        "qualifier": "",
        "unit": unit,
        "counted": _counted(sentence[second.end() :], kind),
    }


def _value(mention: re.Match, scale_from: re.Match | None = None) -> float | None:
    raw = mention.group("num").lower()
    number = float(_WORD_NUMBERS[raw]) if raw in _WORD_NUMBERS else float(raw.replace(",", ""))
    scale = mention.group("scale") or (scale_from.group("scale") if scale_from else None)
    if scale:
        number *= _SCALES[scale.lower()]
    return int(number) if number.is_integer() else number


def _kind_and_unit(mention: re.Match, after: str) -> tuple[str, str]:
    if mention.group("pct"):
        return "percent", "%"
    currency = mention.group("cur")
    if currency:
        return "money", _CURRENCIES.get(currency.lower(), currency)
    word = _WORD_AFTER.match(after)
    if word and word.group(1).lower() in _CURRENCY_WORDS:
        return "money", _CURRENCY_WORDS[word.group(1).lower()]
    unit = _UNIT_AFTER.match(after.lstrip(" "))
    if unit:
        return "measure", unit.group(1).lower()
    return "count", ""


def _counted(after: str, kind: str) -> str:
    """The noun phrase a number counts: "300 airstrikes on" -> "airstrikes"."""
    rest = after
    if kind in ("percent", "money", "measure"):
        rest = (
            re.sub(r"^-?\s*\w+\s+of\s+|^\s+of\s+", " ", rest, count=1)
            if kind == "percent"
            else rest
        )
        if kind == "measure":
            rest = _UNIT_AFTER.sub("", rest.lstrip(" "), count=1)
    first = _WORD_AFTER.match(rest)
    if not first or first.group(1).lower() in _STOPWORDS or first.group(1).endswith("ed"):
        return ""
    second = _WORD_AFTER.match(rest[first.end() :])
    if second and _noun_continues(first.group(1), second.group(1)):
        return f"{first.group(1)} {second.group(1)}"
    return first.group(1)


def _noun_continues(first: str, second: str) -> bool:
    """ "repair crews", "American women": a modifier, then the noun it modifies."""
    if second.lower() in _STOPWORDS or (first.endswith("s") and not first.endswith("ss")):
        return False
    return first[:1].isupper() or (second.endswith("s") and not second.endswith("ss"))
