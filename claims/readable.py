"""What a claim's stored data says, in words a reader uses: "at least 12 people", "the week of
13 November 2026", "Lena Okafor, harbour master". No offsets, no internal field names."""

from datetime import date

COMPARATOR_WORDS = {
    ">": "more than",
    ">=": "at least",
    "<": "fewer than",
    "<=": "at most",
    "=": "",
}
APPROXIMATE_WORDS = {">": "just over", "<": "just under", "~": "about", "=": "about"}
CURRENCY_SYMBOLS = {"USD": "$", "GBP": "£", "EUR": "€", "JPY": "¥"}
SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def number_text(value: float | int) -> str:
    """12400 -> "12,400"; 1500000000 -> "1.5 billion"; 0.25 -> "0.25"."""
    for size, word in SCALES:
        if abs(value) >= size:
            scaled = value / size
            shown = f"{scaled:,.2f}".rstrip("0").rstrip(".")
            return f"{shown} {word}"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _amount(value: float | int, figure: dict) -> str:
    kind, unit = figure.get("kind"), figure.get("unit") or ""
    if kind == "percent":
        return f"{number_text(value)}%"
    if kind == "money":
        symbol = CURRENCY_SYMBOLS.get(unit)
        return f"{symbol}{number_text(value)}" if symbol else f"{number_text(value)} {unit}".strip()
    if kind == "fraction":
        return f"{value:.0%}" if value < 1 else number_text(value)
    if kind == "year":
        return str(int(value))
    if kind == "measure" and unit:
        return f"{number_text(value)} {unit}"
    return number_text(value)


def figure_text(figure: object) -> str:
    """One figure as a reader would say it: "at least 12 people", "just under 300 airstrikes",
    "between 40 and 60 homes", "8%", "$1.5 billion"."""
    if not isinstance(figure, dict):
        return str(figure)
    counted = figure.get("counted") or ""
    comparator = figure.get("comparator") or "="
    if comparator == "range" and figure.get("low") is not None and figure.get("high") is not None:
        phrase = f"between {_amount(figure['low'], figure)} and {_amount(figure['high'], figure)}"
    elif figure.get("value") is not None:
        if figure.get("approximate"):
            words = APPROXIMATE_WORDS.get(comparator, "about")
        else:
            words = COMPARATOR_WORDS.get(comparator, "")
        phrase = f"{words} {_amount(figure['value'], figure)}".strip()
    else:
        phrase = figure.get("text") or ""
    return f"{phrase} {counted}".strip()


def date_text(resolved: object) -> str:
    """One resolved date: "17 November 2026", "the week of 13 November 2026", "November 2026"."""
    if not isinstance(resolved, dict):
        return str(resolved)
    value, granularity = resolved.get("resolved") or "", resolved.get("granularity") or ""
    written = resolved.get("text") or ""
    try:
        if granularity in ("day", "week"):
            day = date.fromisoformat(value)
            shown = f"{day.day} {day:%B %Y}"
            shown = f"the week of {shown}" if granularity == "week" else shown
        elif granularity == "month":
            shown = date.fromisoformat(f"{value}-01").strftime("%B %Y")
        elif granularity == "year":
            shown = value
        else:
            return written
    except ValueError:
        return written
    if written and written.lower() not in shown.lower():
        return f"{shown} (“{written}”)"
    return shown


def speaker_text(*, speaker: str, role: str, kind: str, outlet: str) -> str:
    """Who made the claim: "Lena Okafor, harbour master"; when nobody is named, the outlet
    itself: "Valmont Wire (the outlet; no one named)"; when the text quotes someone it does not
    identify, says so rather than crediting the outlet."""
    if kind == "unresolved":
        mention = f' ("{speaker}")' if speaker else ""
        return f"Not resolved: the text does not say who{mention}"
    if kind == "outlet" or not speaker:
        return f"{speaker or outlet or 'The outlet'} (the outlet; no one named)"
    return f"{speaker}, {role}" if role else speaker


def claim_speaker_text(claim) -> str:
    return speaker_text(
        speaker=claim.speaker,
        role=claim.speaker_role,
        kind=claim.speaker_kind,
        outlet=claim.document.outlet,
    )


def entity_texts(entities: object) -> list[str]:
    """Names found in the claim, each once, in order."""
    seen: list[str] = []
    for entity in entities if isinstance(entities, list) else []:
        name = entity.get("text") if isinstance(entity, dict) else str(entity)
        if name and name not in seen:
            seen.append(name)
    return seen
