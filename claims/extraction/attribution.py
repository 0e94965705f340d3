"""Attribution: who made each claim, in what role, read from the wording around it.

Works on one article's sentences in order, so that a later "he said", "the ministry said", a bare
surname, or a quote with no verb of its own can be resolved to a speaker named earlier.
"""

import re
from dataclasses import dataclass, field

PERSON, ORGANIZATION, OUTLET = "person", "organization", "outlet"

_SPEECH_VERB = re.compile(
    r"\b(?:said|says|say|told|telling|tells|added|adds|stressed|noted|claimed|claims|stated|states"
    r"|announced|insisted|argued|warned|explained|wrote|writes|confirmed|denied|acknowledged"
    r"|asserted|alleged|alleges|reported|reports|estimates|estimated|believes|specified|accused"
    r"|accuses|contradicted|tweeted|posted|declared|maintained|suggested|urged|admitted|conceded"
    r"|responded|replied|wondered|went on to say|pointed out)\b"
)
_ADVERBS = r"also|later|earlier|again|then|has|had|have|previously|repeatedly|\w+ly"
_ACCORDING_TO = re.compile(r"\baccording to\s+", re.IGNORECASE)
# What may stand between a speaker's name and the verb: an apposition and a few adverbs.
_GAP = re.compile(
    r"^(?:(?P<apposition>\s*,\s*(?P<role>[^,\"“”]{3,140}?)\s*,)|\s*,)?"
    r"\s*(?:(?:" + _ADVERBS + r")\s+)*"
    r"(?:on\s+\w+\s+)?$"
)
# "told the BBC": what follows these verbs is the audience, not the speaker.
_AUDIENCE_VERBS = frozenset({"told", "telling", "tells"})
# '"...," said Dillon': the verb comes straight after the quote it attributes.
_INVERTED_ATTRIBUTION = re.compile(r"[,”\"’]\s*$")
_TRAILING_APPOSITION = re.compile(r",\s*(?P<role>(?:a|an|the)\s[^,.;\"“”]{3,100})[.,]?\s*$")
_RELATIVE_CLAUSE = re.compile(r"(?:who|which|whose|where|when|while|speaking|according)\b", re.I)
_TITLE_ONLY = re.compile(r"(?:[Tt]he\s+)?(?:[A-Z][\w.'’-]*\s*){1,5}")
_TITLE_THEN_COMMA = re.compile(
    r"(?:^|[,;:]\s+)(?:[Tt]he|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir|[Aa]n?)\s+(?P<title>[\w’'\s-]{3,60}),\s*$"
)
_PRONOUN = re.compile(r"\b(he|she|they|it|i|we)\s*$", re.IGNORECASE)
_ROLE_NOUN = (
    r"ministry|minister|officials?|spokes(?:man|woman|person)|military|government|police|army"
    r"|coalition|observatory|department|agency|commander|general|president|secretary|sources?"
    r"|office|council|committee|embassy|kremlin|pentagon|white house|prosecutors?|authorities"
)
_ROLE_SUBJECT = re.compile(
    r"(?:\b[Tt]he\s+)?(?P<subject>(?:[A-Z][\w’'.-]*\s+){0,4}(?:" + _ROLE_NOUN + r"))\s*$",
    re.IGNORECASE,
)
_CAPITALISED_NAME = re.compile(r"(?P<name>(?:[A-Z][\w’'.-]+\s+){0,3}[A-Z][\w’'-]+)\s*$")
_RANKS = re.compile(
    r"^(?:(?:U\.S\.|US|British|Russian|French)\s+)?(?:(?:Army|Navy|Air Force|Marine)\s+)?"
    r"(?:(?:Lt|Lieut|Col|Maj|Gen|Capt|Sgt|Adm|Brig|Cmdr|Dr|Mr|Mrs|Ms|Prof|Sen|Rep|Gov)\.?"
    r"|Colonel|Major|General|Lieutenant|Captain|Sergeant|Admiral|Brigadier|Commander|President"
    r"|Minister|Senator|Governor|Secretary)\s+",
)
_PRE_TITLE = re.compile(
    r"(?P<title>(?:(?:[A-Z][\w’'.-]*|of|for|the|and|" + _ROLE_NOUN + r"|press|chief|head|deputy"
    r"|foreign|defen[cs]e|spokesman|spokeswoman)\s+){1,8})$",
)
_TITLE_HINT = re.compile(
    r"\b(?:" + _ROLE_NOUN + r"|press|chief|head|director|colonel|col\.|maj\.|gen\.|general|major"
    r"|captain|sergeant|admiral|senator|governor|mayor|ambassador|leader|chairman|ceo)\b",
    re.IGNORECASE,
)
_ORG_HINT = re.compile(
    r"\b(?:ministry|department|office|forces|army|coalition|council|committee|agency|police"
    r"|government|kremlin|pentagon|house|news|press|tass|reuters|times|post|observatory|group"
    r"|party|union|bank|inc|corp|company|university|institute|commission)\b",
    re.IGNORECASE,
)
_TRAILING_ADVERBS = re.compile(r"(?:\s+(?:" + _ADVERBS + r"))+\s*$")
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:against|in|of|with|from|by|for|to|on|at|about|over|into|than|between)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_SENTENCE_OPENERS = frozenset({
    "the", "this", "that", "these", "those", "it", "its", "a", "an", "there", "here", "but",
    "and", "so", "however", "some", "many", "most"
})  # fmt: skip
_OPEN_QUOTES = "“«"
_CLOSE_QUOTES = "”»"
_SPEAKER_LABELS = {"PERSON": PERSON, "ORG": ORGANIZATION, "NORP": ORGANIZATION, "GPE": ORGANIZATION}
_MAX_CARRY_PARAGRAPHS = 1


@dataclass(frozen=True)
class Attribution:
    speaker: str = ""
    role: str = ""
    kind: str = OUTLET


@dataclass(frozen=True)
class SentenceForAttribution:
    text: str
    paragraph: int
    # spaCy entities of this sentence, spans relative to the sentence
    entities: list[dict] = field(default_factory=list)


@dataclass
class _Speakers:
    """The speakers named so far in the article, for resolving later references to them."""

    by_surname: dict[str, Attribution] = field(default_factory=dict)
    last_person: Attribution | None = None
    last_organization: Attribution | None = None

    def notice_people(self, sentence: "SentenceForAttribution") -> None:
        """Anyone named with a title ("Health Minister Ana Lind") may be quoted later by surname."""
        for entity in sentence.entities:
            if entity["label"] == "PERSON" and len(entity["text"].split()) > 1:
                person = _attribution_for(
                    sentence.text, entity["start"], entity["end"], "PERSON", ""
                )
                known = self.by_surname.get(_surname(person.speaker))
                if not (known and known.role):
                    self.by_surname[_surname(person.speaker)] = person

    def with_role(self, head: str) -> Attribution | None:
        """The most recently named person whose role contains `head` ("the minister")."""
        for person in reversed(self.by_surname.values()):
            if head in person.role.lower():
                return person
        return None

    def remember(self, attribution: Attribution) -> Attribution:
        known = self.by_surname.get(_surname(attribution.speaker))
        if known and known.speaker.endswith(attribution.speaker):
            # A bare surname repeats a person named earlier, whatever NER made of it this time.
            attribution = Attribution(known.speaker, attribution.role or known.role, PERSON)
        if attribution.kind == PERSON:
            self.by_surname[_surname(attribution.speaker)] = attribution
            self.last_person = attribution
        elif attribution.kind == ORGANIZATION:
            self.last_organization = attribution
        return attribution


def attribute_sentences(sentences: list[SentenceForAttribution], outlet: str) -> list[Attribution]:
    speakers = _Speakers()
    explicit = []
    for sentence in sentences:
        speakers.notice_people(sentence)
        explicit.append(_remembered(_explicit_attribution(sentence, speakers), speakers))
    attributions = _spread_over_quotes(sentences, explicit)
    attributions = _spread_over_quotes(sentences, _carry_over(sentences, attributions))
    outlet_attribution = Attribution(outlet, "", OUTLET)
    return [_as_person_if_known(a, speakers) if a else outlet_attribution for a in attributions]


def _as_person_if_known(attribution: Attribution, speakers: _Speakers) -> Attribution:
    """NER may take a surname for an organisation before the article names the person in full."""
    known = speakers.by_surname.get(_surname(attribution.speaker))
    if attribution.kind == ORGANIZATION and known and known.speaker.endswith(attribution.speaker):
        return known
    return attribution


def _remembered(attribution: Attribution | None, speakers: _Speakers) -> Attribution | None:
    return speakers.remember(attribution) if attribution else None


def _explicit_attribution(
    sentence: SentenceForAttribution, speakers: _Speakers
) -> Attribution | None:
    for verb in _SPEECH_VERB.finditer(sentence.text):
        if _inside_quote(sentence.text, verb.start()):
            continue
        found = _speaker_before(sentence, verb.start(), speakers)
        inverted = _INVERTED_ATTRIBUTION.search(sentence.text[: verb.start()])
        if not found and inverted and verb.group() not in _AUDIENCE_VERBS:
            found = _speaker_after(sentence, verb.end(), speakers)
        if found:
            return found
    according = _ACCORDING_TO.search(sentence.text)
    if according:
        return _speaker_after(sentence, according.end(), speakers, allow_gap=True)
    return None


def _speaker_before(
    sentence: SentenceForAttribution, verb_start: int, speakers: _Speakers
) -> Attribution | None:
    text = sentence.text
    for entity in sorted(sentence.entities, key=lambda e: -e["end"]):
        if entity["end"] > verb_start or entity["label"] not in _SPEAKER_LABELS:
            continue
        gap = _GAP.match(text[entity["end"] : verb_start])
        if not gap or _PREPOSITION_BEFORE.search(text[: entity["start"]]):
            continue
        role = gap.group("role") or ""
        if _RELATIVE_CLAUSE.match(role):
            role = ""
        return _attribution_for(text, entity["start"], entity["end"], entity["label"], role)
    before = _TRAILING_ADVERBS.sub("", text[:verb_start])
    pronoun = _PRONOUN.search(before)
    if pronoun:
        return _resolve_pronoun(pronoun.group(1).lower(), speakers)
    role_subject = _ROLE_SUBJECT.search(before)
    if role_subject:
        return _resolve_role_subject(role_subject.group("subject"), speakers)
    name = _CAPITALISED_NAME.search(before)
    if name and _plausible_name(text, name.start(), name.group("name")):
        return _attribution_for(text, name.start(), name.end(), "", "")
    return None


def _plausible_name(text: str, start: int, name: str) -> bool:
    if _inside_quote(text, start) or _PREPOSITION_BEFORE.search(text[:start]):
        return False
    return start > 0 or name.split()[0].lower() not in _SENTENCE_OPENERS


def _speaker_after(
    sentence: SentenceForAttribution, position: int, speakers: _Speakers, allow_gap: bool = False
) -> Attribution | None:
    text = sentence.text
    rest = text[position:]
    for entity in sorted(sentence.entities, key=lambda e: e["start"]):
        if entity["start"] < position or entity["label"] not in _SPEAKER_LABELS:
            continue
        gap = text[position : entity["start"]].strip()
        title_only = _TITLE_ONLY.fullmatch(gap)
        if gap.lower() in ("", "the") or title_only or (allow_gap and len(gap) < 20):
            role = _TRAILING_APPOSITION.match(text, entity["end"])
            apposition = role.group("role") if role else ""
            return _attribution_for(
                text, entity["start"], entity["end"], entity["label"], apposition
            )
        break
    role_subject = re.match(r"\s*(?:the\s+)?(" + _ROLE_NOUN + r")\b", rest, re.IGNORECASE)
    if role_subject:
        return _resolve_role_subject(role_subject.group(1), speakers)
    return None


def _attribution_for(text: str, start: int, end: int, label: str, apposition: str) -> Attribution:
    name = text[start:end].strip()
    if name.lower().startswith("the "):
        name = name[4:]
    rank = _RANKS.match(name)
    name_role = ""
    if rank:
        name_role, name = rank.group(0).strip(), name[rank.end() :]
    kind = _SPEAKER_LABELS.get(label) or (ORGANIZATION if _ORG_HINT.search(name) else PERSON)
    title = _title_before(text[:start]) if kind == PERSON else ""
    role = ", ".join(part for part in (title or name_role, apposition.strip()) if part)
    if title and name_role:
        role = f"{title} {name_role}" + (f", {apposition.strip()}" if apposition else "")
    return Attribution(name, role, kind)


def _title_before(before: str) -> str:
    """ "Health Minister Ana Lind", "The opposition health spokesman, Ana Lind": the title."""
    match = _PRE_TITLE.search(before) or _TITLE_THEN_COMMA.search(before)
    if not match or not _TITLE_HINT.search(match.group("title")):
        return ""
    title = re.sub(r"^(?:the|of|for|and)\s+", "", match.group("title").strip(), flags=re.I)
    return title.strip()


def _resolve_pronoun(pronoun: str, speakers: _Speakers) -> Attribution | None:
    if pronoun in ("he", "she"):
        return speakers.last_person
    if pronoun == "it":
        return speakers.last_organization
    return speakers.last_person or speakers.last_organization


def _resolve_role_subject(subject: str, speakers: _Speakers) -> Attribution:
    subject = subject.strip()
    head = subject.split()[-1].lower()
    for known in (speakers.last_organization, speakers.last_person, speakers.with_role(head)):
        if known and head in (known.speaker + " " + known.role).lower():
            return known
    kind = (
        PERSON
        if re.search(r"spokes|minister|secretary|president|general|commander", head)
        else ORGANIZATION
    )
    return Attribution(subject, "", kind)


def _spread_over_quotes(
    sentences: list[SentenceForAttribution], explicit: list[Attribution | None]
) -> list[Attribution | None]:
    """A quote running over several sentences belongs to whoever is named anywhere in it."""
    spread = list(explicit)
    for group in _quote_groups(sentences):
        found = next((explicit[i] for i in group if explicit[i]), None)
        for index in group:
            spread[index] = spread[index] or found
    return spread


def _quote_groups(sentences: list[SentenceForAttribution]) -> list[list[int]]:
    groups: list[list[int]] = []
    open_quote = False
    for index, sentence in enumerate(sentences):
        continues = (
            open_quote and index > 0 and sentences[index - 1].paragraph == sentence.paragraph
        )
        if continues:
            groups[-1].append(index)
        else:
            groups.append([index])
        open_quote = _ends_inside_quote(sentence.text, starts_inside=continues)
    return [group for group in groups if len(group) > 1]


def _carry_over(
    sentences: list[SentenceForAttribution], attributions: list[Attribution | None]
) -> list[Attribution | None]:
    """A quote with no verb of its own continues the words of the last speaker named nearby."""
    carried = list(attributions)
    for index in range(1, len(sentences)):
        previous, sentence = sentences[index - 1], sentences[index]
        near = sentence.paragraph - previous.paragraph <= _MAX_CARRY_PARAGRAPHS
        if carried[index] is None and _starts_with_quote(sentence.text) and near:
            carried[index] = carried[index - 1]
    return carried


def _starts_with_quote(text: str) -> bool:
    return text[:1] in ('"', "“", "«", "'", "‘")


def _inside_quote(text: str, position: int) -> bool:
    return _ends_inside_quote(text[:position], starts_inside=False)


def _ends_inside_quote(text: str, starts_inside: bool) -> bool:
    inside = starts_inside
    for index, char in enumerate(text):
        if char in _OPEN_QUOTES:
            inside = True
        elif char in _CLOSE_QUOTES:
            inside = False
        elif char == '"':
            # A straight quote after a space (or at the start) opens; after a word it closes.
            inside = index == 0 or text[index - 1].isspace() or text[index - 1] in "([—-"
    return inside


def _surname(name: str) -> str:
    return name.split()[-1].lower() if name.split() else ""
