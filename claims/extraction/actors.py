"""Actor names: ranks split from names, and one key per actor however a text spells it.

Pure functions, no Django: the engine uses them within one article, and the story/actor code
uses `actor_key` to merge the same actor across articles ("Russia's Ministry of Defense",
"Russian Defence Ministry" and "Russian MoD" all give "russia ministry of defence").
"""

import re
import unicodedata

PERSON, ORGANIZATION = "person", "organization"

# Ranks, honorifics and titles that stand before a person's name and are not part of it.
_RANK_WORDS = (
    r"(?:Lt|Lieut|Col|Maj|Gen|Brig|Capt|Cpt|Sgt|Cpl|Pvt|Adm|Cmdr|Cdr|Dr|Mr|Mrs|Ms|Mx|Prof|Sen"
    r"|Rep|Gov|Hon|Rev|Sir|Dame|Lord|Lady)\.?"
    r"|Colonel|Major|General|Lieutenant|Captain|Sergeant|Corporal|Private|Admiral|Brigadier"
    r"|Commander|Commodore|Marshal|Field Marshal|President|Vice President|Prime Minister"
    r"|Minister|Senator|Governor|Secretary|Mayor|Ambassador|Judge|Justice|Doctor|Professor"
    r"|Mister|Madam|Chancellor|Premier|Sheikh|King|Queen|Prince|Princess|Pope|Father|Deputy"
)
_RANK_PREFIX = re.compile(r"^(?:(?:" + _RANK_WORDS + r")\s+)+")
# "Health Minister Ana Lind", "White House press secretary Josh Earnest": a title with its field.
_FIELD_TITLE = re.compile(
    r"^(?:[\w.'’-]+\s+){0,4}?(?:[Mm]inister|[Ss]ecretary|[Ss]pokes(?:man|woman|person)|[Cc]hief"
    r"|[Dd]irector|[Cc]hairman|[Cc]hairwoman|[Cc]hair|[Hh]ead|[Cc]ommander|[Pp]resident|CEO"
    r"|[Ee]nvoy|[Aa]mbassador|[Gg]overnor|[Mm]ayor|[Ll]eader|[Pp]rosecutor|[Cc]ommissioner)\s+"
    r"(?=[A-Z])"
)
_SERVICE_PREFIX = re.compile(
    r"^(?:(?:U\.S\.|US|UK|British|Russian|French|German|Israeli|Ukrainian|Turkish|Iranian"
    r"|Syrian|Iraqi|Chinese|Indian|Canadian|Australian)\s+)?"
    r"(?:(?:Army|Navy|Air Force|Marine Corps|Marines?|Coast Guard|Space Force)\s+)(?=[A-Z])"
)
_PERSON_SUFFIX = re.compile(r",?\s+(?:Jr|Sr|II|III|IV|PhD|MD)\.?$")

# Country adjectives, possessives and short forms -> the country's key.
_COUNTRIES = {
    "united states": ("u.s.", "us", "u.s", "usa", "u.s.a.", "america", "american", "united states"),
    "united kingdom": ("uk", "u.k.", "britain", "british", "great britain", "united kingdom"),
    "russia": ("russian", "russian federation", "russia"),
    "ukraine": ("ukrainian", "ukraine"),
    "france": ("french", "france"),
    "germany": ("german", "germany"),
    "china": ("chinese", "china", "prc"),
    "japan": ("japanese", "japan"),
    "india": ("indian", "india"),
    "pakistan": ("pakistani", "pakistan"),
    "iran": ("iranian", "iran"),
    "iraq": ("iraqi", "iraq"),
    "syria": ("syrian", "syria"),
    "turkey": ("turkish", "turkey", "turkiye"),
    "israel": ("israeli", "israel"),
    "egypt": ("egyptian", "egypt"),
    "saudi arabia": ("saudi", "saudi arabia"),
    "jordan": ("jordanian", "jordan"),
    "lebanon": ("lebanese", "lebanon"),
    "afghanistan": ("afghan", "afghanistan"),
    "canada": ("canadian", "canada"),
    "mexico": ("mexican", "mexico"),
    "brazil": ("brazilian", "brazil"),
    "argentina": ("argentine", "argentinian", "argentina"),
    "australia": ("australian", "australia"),
    "italy": ("italian", "italy"),
    "spain": ("spanish", "spain"),
    "poland": ("polish", "poland"),
    "netherlands": ("dutch", "netherlands", "holland"),
    "belgium": ("belgian", "belgium"),
    "sweden": ("swedish", "sweden"),
    "norway": ("norwegian", "norway"),
    "finland": ("finnish", "finland"),
    "denmark": ("danish", "denmark"),
    "greece": ("greek", "greece"),
    "hungary": ("hungarian", "hungary"),
    "romania": ("romanian", "romania"),
    "serbia": ("serbian", "serbia"),
    "belarus": ("belarusian", "belarus"),
    "georgia": ("georgian",),
    "armenia": ("armenian", "armenia"),
    "azerbaijan": ("azerbaijani", "azeri", "azerbaijan"),
    "kazakhstan": ("kazakh", "kazakhstan"),
    "south korea": ("south korean", "south korea", "republic of korea"),
    "north korea": ("north korean", "north korea", "dprk"),
    "vietnam": ("vietnamese", "vietnam"),
    "indonesia": ("indonesian", "indonesia"),
    "philippines": ("philippine", "filipino", "philippines"),
    "nigeria": ("nigerian", "nigeria"),
    "ethiopia": ("ethiopian", "ethiopia"),
    "kenya": ("kenyan", "kenya"),
    "south africa": ("south african", "south africa"),
    "sudan": ("sudanese", "sudan"),
    "libya": ("libyan", "libya"),
    "yemen": ("yemeni", "yemen"),
    "qatar": ("qatari", "qatar"),
    "venezuela": ("venezuelan", "venezuela"),
    "colombia": ("colombian", "colombia"),
    "ireland": ("irish", "ireland"),
    "switzerland": ("swiss", "switzerland"),
    "austria": ("austrian", "austria"),
    "portugal": ("portuguese", "portugal"),
}
_COUNTRY_OF = {alias: key for key, aliases in _COUNTRIES.items() for alias in aliases}
# Countries whose name, written alone, is the country (not "Georgia", also a US state).
_NAMED_COUNTRIES = tuple(key for key, aliases in _COUNTRIES.items() if key in aliases)
_COUNTRY_ALIASES = sorted(_COUNTRY_OF, key=len, reverse=True)
_COUNTRY_AT_START = re.compile(
    r"^(?:the\s+)?("
    + "|".join(re.escape(a) for a in _COUNTRY_ALIASES)
    + r")(?:'s|’s|s')?(?:\s+|-(?=[a-z]))"
)
_COUNTRY_OF_SUFFIX = re.compile(
    r"\s+of\s+(?:the\s+)?(" + "|".join(re.escape(a) for a in _COUNTRY_ALIASES) + r")$"
)
# Capitals and seats of government that news copy uses for their country ("Moscow said",
# "the Kremlin denied", "the White House rejected"): the organisation key -> the country's key.
_SEATS = {
    "washington": "united states", "white house": "united states", "pentagon": "united states",
    "state department": "united states", "moscow": "russia", "kremlin": "russia",
    "london": "united kingdom", "downing street": "united kingdom", "whitehall": "united kingdom",
    "kyiv": "ukraine", "kiev": "ukraine", "paris": "france", "elysee": "france",
    "berlin": "germany", "beijing": "china", "tokyo": "japan", "new delhi": "india",
    "islamabad": "pakistan", "tehran": "iran", "baghdad": "iraq", "damascus": "syria",
    "ankara": "turkey", "cairo": "egypt", "riyadh": "saudi arabia", "amman": "jordan",
    "beirut": "lebanon", "kabul": "afghanistan", "ottawa": "canada", "mexico city": "mexico",
    "brasilia": "brazil", "buenos aires": "argentina", "canberra": "australia", "rome": "italy",
    "madrid": "spain", "warsaw": "poland", "the hague": "netherlands", "brussels": "belgium",
    "stockholm": "sweden", "oslo": "norway", "helsinki": "finland", "copenhagen": "denmark",
    "athens": "greece", "budapest": "hungary", "bucharest": "romania", "belgrade": "serbia",
    "minsk": "belarus", "tbilisi": "georgia", "yerevan": "armenia", "baku": "azerbaijan",
    "astana": "kazakhstan", "seoul": "south korea", "pyongyang": "north korea", "hanoi": "vietnam",
    "jakarta": "indonesia", "manila": "philippines", "abuja": "nigeria", "addis ababa": "ethiopia",
    "nairobi": "kenya", "pretoria": "south africa", "khartoum": "sudan", "tripoli": "libya",
    "sanaa": "yemen", "doha": "qatar", "caracas": "venezuela", "bogota": "colombia",
    "dublin": "ireland", "bern": "switzerland", "vienna": "austria", "lisbon": "portugal",
}  # fmt: skip
# Spelling variants and abbreviations inside organisation names.
_ORG_WORDS = (
    (re.compile(r"\bdefen[cs]e\b"), "defence"),
    (re.compile(r"\bmod\b"), "ministry of defence"),
    (re.compile(r"\bmfa\b"), "ministry of foreign affairs"),
    (re.compile(r"\bforeign ministry\b"), "ministry of foreign affairs"),
    (re.compile(r"\bministry of foreign affairs\b"), "ministry of foreign affairs"),
    (re.compile(r"\bdept\b"), "department"),
    (re.compile(r"\bgov(?:t|ernment)\b"), "government"),
    (re.compile(r"\borgani[sz]ation\b"), "organisation"),
    (re.compile(r"\bprogra(?:m|mme)\b"), "programme"),
    (re.compile(r"\bcent(?:er|re)\b"), "centre"),
    (re.compile(r"\blabou?r\b"), "labour"),
)
# "Defence Ministry" -> "ministry of defence"; "Health Department" -> "department of health".
_HEAD_AFTER = re.compile(
    r"^(?P<field>(?:[a-z]+\s+){0,3}?[a-z]+)\s+(?P<head>ministry|department|office|agency|committee)$"
)
_NOT_A_FIELD = frozenset({"the", "a", "an", "its", "their", "his", "her", "this", "that"})


def fold(text: str) -> str:
    """Lower case, accents removed, curly apostrophes straightened, spaces collapsed."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").replace("‘", "'").replace("–", "-").replace("—", "-")
    return re.sub(r"\s+", " ", text).strip().lower()


def split_rank(name: str) -> tuple[str, str]:
    """("Maj. Gen.", "Igor Konashenkov") from "Maj. Gen. Igor Konashenkov"; service words
    ("U.S. Army Col. Ryan Dillon") stay with the rank. A name that is only a rank is kept."""
    name = name.strip()
    service = _SERVICE_PREFIX.match(name)
    rest = name[service.end() :] if service else name
    rank = _RANK_PREFIX.match(rest)
    if not rank and not service:
        titled = _FIELD_TITLE.match(rest)
        after = rest[titled.end() :] if titled else ""
        if titled and len(after.split()) >= 2:
            rank2 = _RANK_PREFIX.match(after)
            cut = titled.end() + (rank2.end() if rank2 else 0)
            return rest[:cut].strip(), rest[cut:].strip()
    if not rank or not rest[rank.end() :].strip() or not rest[rank.end() :][:1].isupper():
        if service and rest[:1].isupper():
            return name[: service.end()].strip(), rest.strip()
        return "", name
    prefix = (name[: service.end()] if service else "") + rank.group(0)
    return prefix.strip(), rest[rank.end() :].strip()


def actor_key(name: str, kind: str = "") -> str:
    """One key per actor, the same whichever way an article writes it; "" for no name.

    People: lower case, ranks, honorifics and suffixes stripped ("Col. Ryan Dillon" -> "ryan
    dillon"). Organisations: country adjectives and possessives become the country and go
    first, "Defense"/"Defence" and "MoD" agree, "X Ministry" becomes "ministry of X".
    """
    if not name or not name.strip():
        return ""
    if kind == PERSON or (not kind and _looks_like_person(name)):
        return _person_key(name)
    return _organization_key(name)


def country_of(key: str) -> str:
    """The country an organisation's key speaks for, or "": the country itself ("russia"), one
    of its organs or groups named after it ("russia ministry of defence", "russia officials",
    "united states led coalition"), or its capital or seat of government ("moscow", "the
    kremlin")."""
    key = key.removeprefix("the ")
    if key in _COUNTRIES:
        return key
    if key in _SEATS:
        return _SEATS[key]
    return next((country for country in _NAMED_COUNTRIES if key.startswith(country + " ")), "")


def same_actor(key_a: str, key_b: str) -> bool:
    """Whether two keys may name one actor: equal, or the shorter is the longer without its
    leading qualifier of one or two words ("ministry of defence" and "russia ministry of
    defence", "coalition" and "united states led coalition", "dillon" and "ryan dillon"). Use the
    second case only within one story, where the qualifier is understood."""
    if not key_a or not key_b:
        return False
    if key_a == key_b:
        return True
    short, long = sorted((key_a, key_b), key=len)
    if not long.endswith(" " + short):
        return False
    return len(long[: -len(short)].split()) <= 3


def _person_key(name: str) -> str:
    _, bare = split_rank(name)
    bare = _PERSON_SUFFIX.sub("", bare)
    bare = fold(bare).replace(".", "").replace("'s", "")
    return re.sub(r"[^\w\s'-]", "", bare).strip()


def _organization_key(name: str) -> str:
    text = fold(name)
    text = re.sub(r"^the\s+", "", text)
    text = re.sub(r"[\"“”()]", "", text)
    country = ""
    match = _COUNTRY_AT_START.match(text + " ")
    if match and text[match.end() :].strip():
        country, text = _COUNTRY_OF[match.group(1)], text[match.end() :].strip()
    suffix = _COUNTRY_OF_SUFFIX.search(text)
    if suffix and not country:
        country, text = _COUNTRY_OF[suffix.group(1)], text[: suffix.start()]
    elif not country and text in _COUNTRY_OF:
        return _COUNTRY_OF[text]
    for pattern, replacement in _ORG_WORDS:
        text = pattern.sub(replacement, text)
    text = text.replace("-", " ").replace(".", "").replace("'s", "").replace("'", "")
    text = re.sub(r"[^\w\s&]", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    head = _HEAD_AFTER.match(text)
    if head and head.group("field").split()[0] not in _NOT_A_FIELD and " of " not in text:
        text = f"{head.group('head')} of {head.group('field')}"
    text = re.sub(r"\bministry of ministry of\b", "ministry of", text)
    return f"{country} {text}".strip() if country else text


_ORG_WORD = re.compile(
    r"\b(?:ministry|department|office|forces|army|coalition|council|committee|agency|police"
    r"|government|union|association|company|group|party|inc|corp|ltd|plc|bank|university"
    r"|institute|commission|authority|board|court|federation|league|network|news|times|post"
    r"|press|service|staff|command|observatory|alliance|front|movement|parliament|senate"
    r"|congress|assembly|kremlin|pentagon|white house)\b",
    re.IGNORECASE,
)


def _looks_like_person(name: str) -> bool:
    return not _ORG_WORD.search(name) and fold(name) not in _COUNTRY_OF
