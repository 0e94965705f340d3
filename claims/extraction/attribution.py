"""Attribution: who made each claim, in what role, for whom, read from the wording around it.

Works on one article's sentences in order, so that a later "he said", "the ministry said", a bare
surname, or a quote with no verb of its own can be resolved to an actor named earlier.

Who is the speaker of a sentence (in order):
1. named in the sentence: "X said", "said X", "X told ...", "according to X", "X showed
   photographs ...", an apposition or a title giving the role ("Col. Ryan Dillon, spokesman for
   the coalition, said"), ranks and titles kept out of the name;
2. referred to: a pronoun ("he", "she", "it", "they") or a description ("the ministry", "the
   minister", "the spokesman") resolved to the nearest compatible actor named before: the same
   kind, the same gender where a cue gives it (Mr/Ms, spokesman/spokeswoman, an earlier he/she),
   the same head noun for a description; a pronoun reaches back at most two paragraphs, and only
   one when another actor spoke in between (a change of speaker makes "he said" ambiguous);
   "it"/"they" first look for an organisation that is the subject earlier in the same sentence
   ("the ministry published photographs that it said proved ...");
3. a quote over several sentences belongs to whoever is named anywhere in it, and a quote with
   no verb of its own right after someone's words continues them.
Nobody found: when the sentence still reports speech (a quote, "he said" with no antecedent,
"sources said", "reportedly", an unnamed "a senior official said") the speaker is `unresolved`;
with no sign of reported speech at all, the sentence is the outlet's own reporting (`outlet`).
"""

import re
from dataclasses import dataclass, field, replace

from claims.extraction.actors import _COUNTRY_OF, actor_key, fold, split_rank

PERSON, ORGANIZATION, OUTLET, UNRESOLVED = "person", "organization", "outlet", "unresolved"
NAMED, PRONOUN, NOMINAL, QUOTE, CARRIED = "named", "pronoun", "nominal", "quote", "carried"

_VERBS = (
    r"said|says|say|saying|told|telling|tells|added|adds|adding|stressed|stresses|noted|notes"
    r"|claimed|claims|claiming|stated|states|announced|announces|insisted|insists|argued|argues"
    r"|warned|warns|explained|explains|wrote|writes|confirmed|confirms|denied|denies|denying"
    r"|acknowledged|acknowledges|asserted|asserts|alleged|alleges|reported|reports|estimates"
    r"|estimated|believes|specified|accused|accuses|accusing|contradicted|contradicts|tweeted"
    r"|posted|declared|declares|maintained|maintains|suggested|suggests|urged|urges|admitted"
    r"|admits|conceded|concedes|responded|responds|replied|replies|wondered|rejected|rejects"
    r"|rejecting|dismissed|dismisses|disputed|disputes|countered|counters|blamed|blames"
    r"|alleging|insisting|arguing|stressing|noting|confirming|confirm|deny|dismissing|disputing"
    r"|blaming|announcing|repeated|reiterated|went on to say|pointed out|points out|was quoted as saying"
)
_SPEECH_VERB = re.compile(r"\b(?:" + _VERBS + r")\b")
# Presenting evidence is a claim by whoever presents it: "the ministry showed photographs".
_EVIDENCE_VERB = re.compile(
    r"\b(?:showed|shows|published|publishes|released|releases|presented|presents|circulated"
    r"|distributed|issued|issues|provided|provides|unveiled|produced|shared)\s+"
    r"(?:[\w’'-]+\s+){0,3}?(?:photo(?:graph)?s|photo shoots|images|pictures|footage|videos?"
    r"|documents|evidence|data|figures|statistics|maps?|satellite imagery|a statement"
    r"|statements|a report|reports|records|recordings|a dossier|screenshots)\b"
)
_AUXILIARIES = (
    r"also|later|earlier|again|then|has|had|have|previously|repeatedly|did|does|do|not|would|will"
    r"|could|is|was|are|were|been|had been|has been|now|once|still|\w+ly"
)
_ACCORDING_TO = re.compile(r"\baccording to\s+", re.IGNORECASE)
# What may stand between a speaker's name and the verb: an apposition and a few adverbs.
_GAP = re.compile(
    r"^(?:(?P<apposition>\s*,\s*(?P<role>[^,\"“”]{3,140}?)\s*,)|\s*,)?"
    r"\s*(?:(?:" + _AUXILIARIES + r")\s+)*"
    r"(?:(?:on|in|at)\s+\w+\s+)?(?:(?:" + _AUXILIARIES + r")\s+)*$"
)
# "told the BBC": what follows these verbs is the audience, not the speaker.
_AUDIENCE_VERBS = frozenset({"told", "telling", "tells"})
# '"...," said Dillon': the verb comes straight after the quote it attributes.
_INVERTED_ATTRIBUTION = re.compile(r"[,”\"’]\s*$")
_TRAILING_APPOSITION = re.compile(r",\s*(?P<role>(?:a|an|the)\s[^,.;\"“”]{3,100})[.,]?\s*$")
_RELATIVE_CLAUSE = re.compile(r"(?:who|which|whose|where|when|while|speaking|according)\b", re.I)
_TITLE_ONLY = re.compile(r"(?:[Tt]he\s+)?(?:[A-Z][\w.'’-]*\s*){1,5}")
_TITLE_THEN_COMMA = re.compile(
    r"(?:^|[,;:”\"]\s+)(?:[Tt]he|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir|[Aa]n?)\s+(?P<title>[\w’'\s-]{3,60}),\s*$"
)
_PRONOUN = re.compile(r"\b(he|she|they|it|i|we)\s*$", re.IGNORECASE)
_PERSON_NOUN = (
    r"minister|spokes(?:man|woman|person)|commander|general|president|secretary|official"
    r"|ambassador|governor|mayor|chief|director|chairman|chairwoman|chair|envoy|colonel"
    r"|prosecutor|leader|head|manager|officer|source|analyst|expert|adviser|advisor|aide"
    r"|lawyer|attorney|judge|senator|deputy"
)
_ORG_NOUN = (
    r"ministry|military|government|police|army|coalition|observatory|department|agency"
    r"|office|council|committee|embassy|kremlin|pentagon|white house|prosecutors|authorities"
    r"|company|firm|union|association|authority|commission|regulator|court|operator|group"
    r"|alliance|party|federation|administration|board|service|staff|command|institute"
    r"|officials|sources|forces"
)
_ROLE_NOUN = _PERSON_NOUN + "|" + _ORG_NOUN
_ROLE_SUBJECT = re.compile(
    r"(?P<subject>(?:[\w’'.-]+\s+){0,5}?\b(?:" + _ROLE_NOUN + r")s?)\s*$", re.IGNORECASE
)
_SUBJECT_STOPS = frozenset({
    "in", "on", "at", "of", "for", "to", "about", "with", "by", "from", "asked", "that", "which",
    "who", "it", "he", "she", "they", "said", "and", "but", "when", "after", "before", "as",
    "while", "since", "because", "if", "than", "so", "the", "a", "an", "its", "their", "his",
    "her", "this", "these", "those", "our", "we", "i", "is", "was", "has", "had", "been",
})  # fmt: skip
_ARTICLES = frozenset({"the", "a", "an", "its", "their", "his", "her", "this", "our"})
_CAPITALISED_NAME = re.compile(r"(?P<name>(?:[A-Z][\w’'.-]+\s+){0,3}[A-Z][\w’'-]+)\s*$")
_PRE_TITLE = re.compile(
    r"(?P<title>(?:(?:[A-Z][\w’'.-]*|of|for|the|and|(?:[a-z][\w-]*\s+){0,2}(?:(?:"
    + _ROLE_NOUN
    + r")(?:['’]s)?|press|chief|head|deputy|foreign|defen[cs]e|spokesman|spokeswoman))\s+){1,8})$",
)
_TITLE_HINT = re.compile(
    r"\b(?:" + _ROLE_NOUN + r"|press|chief|head|director|colonel|general|major"
    r"|captain|sergeant|admiral|senator|governor|mayor|ambassador|leader|chairman|ceo)\b"
    r"|\b(?:col|maj|gen|lt|capt|sgt|adm|brig|cmdr|dr)\.",
    re.IGNORECASE,
)
_ORG_HINT = re.compile(
    r"\b(?:ministry|department|office|forces|army|coalition|council|committee|agency|police"
    r"|government|kremlin|pentagon|house|news|press|tass|reuters|times|post|observatory|group"
    r"|party|union|bank|inc|corp|company|university|institute|commission|authority|association"
    r"|staff|command)\b",
    re.IGNORECASE,
)
_AFFILIATION = re.compile(
    r"\b(?:for|of|at|with|from|in)\s+(?:the\s+)?(?P<affiliation>[A-Z][^,;]{1,80}|[\w’'.-]+"
    r"(?:\s+[\w’'.-]+){0,5}?\s+(?:" + _ORG_NOUN + r"))\s*$"
)
_MILITARY_RANK = re.compile(
    r"(?:(?:(?:Lt|Lieut|Col|Maj|Gen|Brig|Capt|Sgt|Cpl|Adm|Cmdr|Cdr)\.?|Colonel|Major|General"
    r"|Lieutenant|Captain|Sergeant|Corporal|Admiral|Brigadier|Commander|Marshal)\s+)+"
)
_SERVICE_ONLY = re.compile(
    r"(?:(?:U\.S\.|US|UK|[A-Z][a-z]+(?:an|ish|ch|ese|i))\s+)?(?:Army|Navy|Air Force|Marines?"
    r"|Marine Corps|Coast Guard)"
)
# "Russia's Defence Ministry": the owner is part of the organisation's name.
_OWNER_BEFORE = re.compile(r"(?<![\w’'])[A-Z][\w.-]+['’]s\s+$")
# "the regional environment agency": an organisation described, not named, that "the agency"
# may refer to later.
_DESCRIBED_ORG = re.compile(
    r"\b[Tt]he\s+(?P<description>(?:[a-z][\w’'-]+\s+){1,3}(?:ministry|department|agency|office"
    r"|council|committee|authority|commission|regulator|union|association|company|firm"
    r"|operator|court|board|service|administration))\b(?![’']s)"
)
# Public bodies: "the company" does not refer back to one of these.
_PUBLIC_BODY = re.compile(
    r"\b(?:ministry|department|agency|office|council|committee|authority|commission|government"
    r"|regulator|court|police|army|military|parliament|senate|assembly|embassy|prosecutor)",
    re.IGNORECASE,
)
_COMPANY_NOUNS = frozenset({"company", "firm", "operator", "group", "manufacturer", "owner"})
_POSSESSIVE_OWNER = re.compile(r"^(?:the\s+)?(?P<owner>.{2,60}?)['’]s\s+\S", re.IGNORECASE)
_TRAILING_ADVERBS = re.compile(r"(?:\s+(?:" + _AUXILIARIES + r"))+\s*$")
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:against|in|of|with|from|by|for|to|on|at|about|over|into|than|between)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_SENTENCE_OPENERS = frozenset({
    "the", "this", "that", "these", "those", "it", "its", "a", "an", "there", "here", "but",
    "and", "so", "however", "some", "many", "most"
})  # fmt: skip
# Reported speech without a speaker named: these make a sentence `unresolved`, not the outlet's.
_ANONYMOUS = re.compile(
    r"\b(?:reportedly|allegedly|it (?:was|is|has been) (?:reported|claimed|said|alleged)"
    r"|(?:sources|officials|witnesses|residents|reports|critics|observers) (?:said|say|says"
    r"|told|claimed|claim|reported|report|alleged|allege))\b",
    re.IGNORECASE,
)
_FEMALE = re.compile(
    r"\b(?:Mrs|Ms|Miss|Madam|Dame|Lady|Queen|Princess)\b\.?|(?:wo|chair)woman\b|\bwoman\b"
    r"|\bspokeswoman\b|\bactress\b",
    re.IGNORECASE,
)
_MALE = re.compile(
    r"\b(?:Mr|Sir|Lord|King|Prince)\b\.?|\b(?:spokes|chair|congress)man\b", re.IGNORECASE
)
# Only an opening adverbial ("Earlier on Tuesday, ") may stand before a sentence's subject.
_SENTENCE_SUBJECT_START = re.compile(r"\s*(?:[^,\"“”]{0,40},\s*)?(?:[Tt]he\s+)?")
_OPEN_QUOTES = "“«"
_CLOSE_QUOTES = "”»"
_SPEAKER_LABELS = {"PERSON": PERSON, "ORG": ORGANIZATION, "NORP": ORGANIZATION, "GPE": ORGANIZATION}
_MAX_CARRY_PARAGRAPHS = 1
# How far back a pronoun reaches, in paragraphs; and when another actor spoke in between.
_PRONOUN_REACH = 2
_PRONOUN_REACH_AFTER_OTHER_SPEAKER = 1
_MIN_QUOTED_WORDS = 4


@dataclass(frozen=True)
class Attribution:
    speaker: str = ""
    role: str = ""
    kind: str = OUTLET
    affiliation: str = ""
    # the words of this sentence that point at the speaker ("he", "the ministry", "Dillon")
    mention: str = ""
    # how the speaker was found: named, pronoun, nominal, quote, carried ("" for outlet)
    resolution: str = ""

    @property
    def key(self) -> str:
        return actor_key(self.speaker, self.kind) if self.kind in (PERSON, ORGANIZATION) else ""


@dataclass(frozen=True)
class SentenceForAttribution:
    text: str
    paragraph: int
    # spaCy entities of this sentence, spans relative to the sentence
    entities: list[dict] = field(default_factory=list)


@dataclass
class _Actors:
    """The actors named so far in the article, for resolving later references to them."""

    by_surname: dict[str, Attribution] = field(default_factory=dict)
    # every actor mentioned, newest last: (paragraph, attribution)
    mentioned: list[tuple[int, Attribution]] = field(default_factory=list)
    # every actor that spoke, newest last: (paragraph, attribution)
    spoke: list[tuple[int, Attribution]] = field(default_factory=list)
    gender: dict[str, str] = field(default_factory=dict)
    paragraph: int = 0

    def notice(self, sentence: SentenceForAttribution) -> None:
        """Everyone named in a sentence may be referred to later ("the ministry", a surname)."""
        self.paragraph = sentence.paragraph
        for entity in sentence.entities:
            start, label = _widened(sentence.text, entity)
            if label == "PERSON" and len(sentence.text[start : entity["end"]].split()) > 1:
                person = _attribution_for(sentence.text, start, entity["end"], label, "")
                known = self.by_surname.get(_surname(person.speaker))
                if not (known and known.role):
                    self.by_surname[_surname(person.speaker)] = person
                self._note_gender(person, sentence.text[: entity["end"]])
                self.mentioned.append((sentence.paragraph, person))
            elif label == "ORG" and not _is_bare_noun(entity["text"]):
                org = _attribution_for(sentence.text, entity["start"], entity["end"], label, "")
                self.mentioned.append((sentence.paragraph, org))
        for description in _DESCRIBED_ORG.finditer(sentence.text):
            words = description.group("description")
            if not any(w[:1].isupper() for w in words.split()):
                org = Attribution(words, "", ORGANIZATION, "", description.group(0), NAMED)
                self.mentioned.append((sentence.paragraph, org))

    def _note_gender(self, person: Attribution, text_before_end: str) -> None:
        window = text_before_end[-len(person.speaker) - 40 :] + " " + person.role
        if _FEMALE.search(window):
            self.gender.setdefault(person.speaker, "f")
        elif _MALE.search(window):
            self.gender.setdefault(person.speaker, "m")

    def remember(self, attribution: Attribution, text: str) -> Attribution:
        known = self.by_surname.get(_surname(attribution.speaker))
        if attribution.kind in (PERSON, ORGANIZATION) and known and attribution.speaker:
            if known.speaker.endswith(attribution.speaker) and known.speaker != attribution.speaker:
                # A bare surname repeats a person named earlier, whatever NER made of it now.
                attribution = replace(
                    attribution,
                    speaker=known.speaker,
                    role=attribution.role or known.role,
                    affiliation=attribution.affiliation or known.affiliation,
                    kind=PERSON,
                )
            elif known.speaker == attribution.speaker:
                attribution = replace(
                    attribution,
                    role=attribution.role or known.role,
                    affiliation=attribution.affiliation or known.affiliation,
                )
        owner = re.sub(r"^(?:the|its|their)\s+", "", fold(attribution.affiliation))
        if attribution.kind == PERSON and re.fullmatch(_ORG_NOUN, owner):
            known_owner = self.with_head(owner, ORGANIZATION)
            if known_owner:
                attribution = replace(attribution, affiliation=known_owner.speaker)
        if attribution.kind == PERSON:
            self.by_surname[_surname(attribution.speaker)] = attribution
            self._note_gender(attribution, text)
        if attribution.kind in (PERSON, ORGANIZATION):
            self.spoke.append((self.paragraph, attribution))
            self.mentioned.append((self.paragraph, attribution))
        return attribution

    def learn_gender(self, speaker: str, pronoun: str) -> None:
        if pronoun in ("he", "she"):
            self.gender.setdefault(speaker, "m" if pronoun == "he" else "f")

    def with_head(self, head: str, kind: str) -> Attribution | None:
        """The nearest actor of `kind` whose name or role has the head noun; for "the company",
        the nearest organisation that is not a public body."""
        for _, known in reversed(self.mentioned):
            words = fold(f"{known.speaker} {known.role}")
            if known.kind == kind and re.search(rf"\b{re.escape(head)}", words):
                return known
        if kind == ORGANIZATION and head in _COMPANY_NOUNS:
            for _, known in reversed(self.mentioned):
                if (
                    known.kind == ORGANIZATION
                    and not _PUBLIC_BODY.search(known.speaker)
                    and fold(known.speaker) not in _COUNTRY_OF
                ):
                    return known
        return None

    def pronoun_antecedent(self, pronoun: str) -> Attribution | None:
        kind = PERSON if pronoun in ("he", "she") else ORGANIZATION
        wanted = {"he": "m", "she": "f"}.get(pronoun)
        if pronoun in ("i", "we") or not self.spoke:
            return None
        last = self.spoke[-1][1]
        for paragraph, known in reversed(self.spoke):
            distance = self.paragraph - paragraph
            if distance > _PRONOUN_REACH:
                return None
            compatible = known.kind == kind and (
                wanted is None or self.gender.get(known.speaker, wanted) == wanted
            )
            if not compatible:
                continue
            if known.speaker == last.speaker:
                return known
            # Another actor spoke after this one: only a near antecedent stays unambiguous,
            # and only when the one in between cannot be meant (another kind, another gender).
            if distance > _PRONOUN_REACH_AFTER_OTHER_SPEAKER:
                return None
            return known
        return None


def attribute_sentences(sentences: list[SentenceForAttribution], outlet: str) -> list[Attribution]:
    actors = _Actors()
    explicit: list[Attribution | None] = []
    for sentence in sentences:
        actors.notice(sentence)
        found = _explicit_attribution(sentence, actors)
        if found and found.kind in (PERSON, ORGANIZATION):
            found = actors.remember(found, sentence.text)
        explicit.append(found)
    attributions = _spread_over_quotes(sentences, explicit)
    attributions = _spread_over_quotes(sentences, _carry_over(sentences, attributions))
    outlet_attribution = Attribution(outlet, "", OUTLET)
    result = []
    for sentence, attribution in zip(sentences, attributions, strict=True):
        if attribution is None:
            attribution = (
                Attribution("", "", UNRESOLVED, mention=_anonymous_mention(sentence.text))
                if _reports_speech(sentence.text)
                else outlet_attribution
            )
        result.append(_as_person_if_known(attribution, actors))
    return result


def _reports_speech(text: str) -> bool:
    """Someone is quoted or reported, though the sentence does not say who."""
    if _ANONYMOUS.search(text):
        return True
    if _SPEECH_VERB.search(text) and _PRONOUN.search(text[: _SPEECH_VERB.search(text).start()]):
        return True
    return any(len(q.split()) >= _MIN_QUOTED_WORDS for q in _quoted_parts(text)) or (
        text[:1] in "\"“«‘'" and len(text.split()) >= _MIN_QUOTED_WORDS
    )


def _quoted_parts(text: str) -> list[str]:
    return re.findall(r"[\"“«]([^\"”»]{3,})[\"”»]", text)


def _anonymous_mention(text: str) -> str:
    anonymous = _ANONYMOUS.search(text)
    if anonymous:
        return anonymous.group(0).split()[0]
    verb = _SPEECH_VERB.search(text)
    pronoun = _PRONOUN.search(text[: verb.start()]) if verb else None
    return pronoun.group(1) if pronoun else ""


def _as_person_if_known(attribution: Attribution, actors: _Actors) -> Attribution:
    """NER may take a surname for an organisation before the article names the person in full."""
    known = actors.by_surname.get(_surname(attribution.speaker))
    if attribution.kind == ORGANIZATION and known and known.speaker.endswith(attribution.speaker):
        return replace(known, mention=attribution.mention, resolution=attribution.resolution)
    return attribution


def _explicit_attribution(sentence: SentenceForAttribution, actors: _Actors) -> Attribution | None:
    verbs = sorted(
        [(m.start(), m.end(), m.group()) for m in _SPEECH_VERB.finditer(sentence.text)]
        + [(m.start(), m.end(), "") for m in _EVIDENCE_VERB.finditer(sentence.text)]
    )
    for start, end, verb in verbs:
        if _inside_quote(sentence.text, start):
            continue
        found = _speaker_before(sentence, start, actors)
        inverted = _INVERTED_ATTRIBUTION.search(sentence.text[:start])
        if not found and inverted and verb and verb not in _AUDIENCE_VERBS:
            found = _speaker_after(sentence, end, actors)
        if found:
            return found
    according = _ACCORDING_TO.search(sentence.text)
    if according:
        return _speaker_after(sentence, according.end(), actors, allow_gap=True)
    return None


def _speaker_before(
    sentence: SentenceForAttribution, verb_start: int, actors: _Actors
) -> Attribution | None:
    text = sentence.text
    before = _TRAILING_ADVERBS.sub("", text[:verb_start])
    pronoun = _PRONOUN.search(before)
    if pronoun:
        return _resolve_pronoun(pronoun.group(1).lower(), sentence, pronoun.start(), actors)
    for entity in sorted(sentence.entities, key=lambda e: -e["end"]):
        if entity["end"] > verb_start or entity["label"] not in _SPEAKER_LABELS:
            continue
        gap = _GAP.match(text[entity["end"] : verb_start])
        if not gap or _PREPOSITION_BEFORE.search(text[: entity["start"]]):
            continue
        role = gap.group("role") or ""
        if _RELATIVE_CLAUSE.match(role):
            role = ""
        if _is_bare_noun(entity["text"]):
            return _resolve_role_subject(_ROLE_SUBJECT.search(entity["text"]), actors)
        start, label = _widened(text, entity)
        return _attribution_for(text, start, entity["end"], label, role)
    role_subject = _ROLE_SUBJECT.search(before)
    if role_subject and not _PREPOSITION_BEFORE.search(before[: role_subject.start()]):
        return _resolve_role_subject(role_subject, actors)
    name = _CAPITALISED_NAME.search(before)
    if name and _plausible_name(text, name.start(), name.group("name")):
        return _attribution_for(text, name.start(), name.end(), "", "")
    return None


def _is_bare_noun(name: str) -> bool:
    """ "the Ministry", "Coalition": a description NER took for a name."""
    return bool(re.fullmatch(r"(?:the\s+)?(?:" + _ROLE_NOUN + r")s?", fold(name)))


def _plausible_name(text: str, start: int, name: str) -> bool:
    if _inside_quote(text, start) or _PREPOSITION_BEFORE.search(text[:start]):
        return False
    return start > 0 or name.split()[0].lower() not in _SENTENCE_OPENERS


def _speaker_after(
    sentence: SentenceForAttribution, position: int, actors: _Actors, allow_gap: bool = False
) -> Attribution | None:
    text = sentence.text
    rest = text[position:]
    for entity in sorted(sentence.entities, key=lambda e: e["start"]):
        if entity["start"] < position or entity["label"] not in _SPEAKER_LABELS:
            continue
        gap = text[position : entity["start"]].strip()
        title_only = _TITLE_ONLY.fullmatch(gap)
        if gap.lower() in ("", "the") or title_only or (allow_gap and len(gap) < 20):
            if _is_bare_noun(entity["text"]):
                return _resolve_role_subject(_ROLE_SUBJECT.search(entity["text"]), actors)
            role = _TRAILING_APPOSITION.match(text, entity["end"])
            apposition = role.group("role") if role else ""
            start, label = _widened(text, entity)
            return _attribution_for(text, start, entity["end"], label, apposition)
        break
    role_subject = re.match(
        r"\s*(?P<subject>(?:the\s+|an?\s+)?(?:" + _ROLE_NOUN + r")s?)\b", rest, re.IGNORECASE
    )
    if role_subject:
        return _resolve_role_subject(role_subject, actors)
    return None


# "Col. Ana Ferreira" where NER found only "Ferreira": a capitalised first name after a rank.
_RANK_WORD = (
    r"(?:(?:Lt|Lieut|Col|Maj|Gen|Brig|Capt|Sgt|Cpl|Adm|Cmdr|Cdr|Dr|Mr|Mrs|Ms|Prof)\.?"
    r"|Colonel|Major|General|Captain|Sergeant|Admiral|Commander)\s+"
)
_FIRST_NAME_AFTER_RANK = re.compile(_RANK_WORD + r"(?P<first>[A-Z][a-z’'-]+\s+)$")
_RANK_JUST_BEFORE = re.compile(r"\b" + _RANK_WORD + r"$")


def _widened(text: str, entity: dict) -> tuple[int, str]:
    """The entity's start and label, taking in a first name NER left out after a rank."""
    single = " " not in entity["text"].strip()
    widen = _FIRST_NAME_AFTER_RANK.search(text[: entity["start"]]) if single else None
    if widen:
        return widen.start("first"), "PERSON"
    if _RANK_JUST_BEFORE.search(text[: entity["start"]]):
        return entity["start"], "PERSON"
    return entity["start"], entity["label"]


def _attribution_for(text: str, start: int, end: int, label: str, apposition: str) -> Attribution:
    owner = _OWNER_BEFORE.search(text[:start]) if label in ("ORG", "") else None
    if owner and not text[start:end].lower().startswith("the "):
        start = owner.start()
    name = text[start:end].strip()
    mention = name
    if name.lower().startswith("the "):
        name = name[4:]
    name = re.sub(r"['’]s$", "", name)
    rank, name = split_rank(name)
    kind = _SPEAKER_LABELS.get(label) or (ORGANIZATION if _ORG_HINT.search(name) else PERSON)
    if label == "PERSON" and not rank and _ORG_HINT.fullmatch(name.split()[-1] if name else ""):
        kind = ORGANIZATION
    if kind == ORGANIZATION and rank:
        name, rank = f"{rank} {name}", ""
    title = _title_before(text[:start]) if kind == PERSON else ""
    title, title_rank = _split_trailing_rank(title)
    rank = " ".join(part for part in (title_rank, rank) if part)
    apposition = apposition.strip()
    role = ", ".join(part for part in (title, rank, apposition) if part)
    affiliation = _affiliation(title, rank, apposition) if kind == PERSON else ""
    return Attribution(name, role, kind, affiliation, mention, NAMED)


def _affiliation(title: str, rank: str, apposition: str) -> str:
    """Whom a person speaks for, as the text says it: "spokesman for the U.S.-led coalition",
    "a general of the Russian General Staff", "Operation Inherent Resolve spokesman"."""
    generic_owner = re.match(r"^(?:the\s+)?(" + _ORG_NOUN + r")\s+\w", title)
    if generic_owner:
        return generic_owner.group(1)  # "ministry spokeswoman": resolved to the ministry later
    for part in (apposition, title):
        if not part:
            continue
        found = _AFFILIATION.search(part)
        if found:
            return found.group("affiliation").strip()
        owner = _POSSESSIVE_OWNER.match(part)
        if owner:
            return owner.group("owner").strip()
    for part in (title, rank):
        words = re.match(r"^((?:[A-Z][\w.&’'-]*\s+)+)(?=[a-z]|[A-Z][\w’'.-]*$)", part)
        if not words:
            continue
        prefix = words.group(1).strip()
        prefix = re.sub(
            r"\s*(?:Army|Navy|Air Force|Foreign|Defen[cs]e|Health|Finance|Interior|Prime)$",
            "",
            prefix,
        )
        if not prefix:
            continue
        country = _COUNTRY_OF.get(fold(prefix))
        if country:
            return country.title() if country != "united states" else "United States"
        if len(prefix.split()) > 1 or _ORG_HINT.search(prefix):
            return prefix
    return ""


def _title_before(before: str) -> str:
    """ "Health Minister Ana Lind", "The opposition health spokesman, Ana Lind": the title."""
    match = _PRE_TITLE.search(before) or _TITLE_THEN_COMMA.search(before)
    if not match or not _TITLE_HINT.search(match.group("title")):
        return ""
    title = re.sub(r"^(?:the|of|for|and)\s+", "", match.group("title").strip(), flags=re.I)
    return title.strip()


def _split_trailing_rank(title: str) -> tuple[str, str]:
    """ "Operation Inherent Resolve spokesman Col." -> ("Operation Inherent Resolve spokesman",
    "Col."): the rank stands apart from the title in the role."""
    words = title.split()
    cut = len(words)
    while cut > 0 and _MILITARY_RANK.fullmatch(" ".join(words[cut - 1 :]) + " "):
        cut -= 1
    if cut == 0:
        return "", title
    if cut == len(words) or _SERVICE_ONLY.fullmatch(" ".join(words[:cut])):
        return title, ""
    return " ".join(words[:cut]), " ".join(words[cut:])


def _resolve_pronoun(
    pronoun: str, sentence: SentenceForAttribution, position: int, actors: _Actors
) -> Attribution | None:
    if pronoun in ("it", "they"):
        subject = _subject_earlier_in_sentence(sentence, position, actors)
        if subject:
            return replace(subject, mention=pronoun, resolution=PRONOUN)
    known = actors.pronoun_antecedent(pronoun)
    if known is None:
        return None
    actors.learn_gender(known.speaker, pronoun)
    return replace(known, mention=pronoun, resolution=PRONOUN)


def _subject_earlier_in_sentence(
    sentence: SentenceForAttribution, position: int, actors: _Actors
) -> Attribution | None:
    """ "The ministry published photographs that it said proved ...": the organisation that is
    the subject of the sentence, named before the pronoun and not after a preposition."""
    text = sentence.text
    for entity in sorted(sentence.entities, key=lambda e: e["start"]):
        if entity["end"] > position:
            break
        if entity["label"] != "ORG" or not _SENTENCE_SUBJECT_START.fullmatch(
            text[: entity["start"]]
        ):
            continue
        if re.match(r"['’]s\b", text[entity["end"] :]):
            continue
        return _attribution_for(text, entity["start"], entity["end"], "ORG", "")
    opening = re.match(
        r"^(?:[^,]{0,40},\s*)?(?:[Tt]he|[Ii]ts)\s+(?P<subject>(?:" + _ORG_NOUN + r"))\b(?![’']s)",
        text[:position],
        re.IGNORECASE,
    )
    if opening:
        return actors.with_head(fold(opening.group("subject")), ORGANIZATION)
    return None


def _trimmed_subject(words: list[str]) -> tuple[str, list[str]]:
    """The noun phrase at the end of `words` and its article: "asked about it the ministry" ->
    ("the", ["ministry"])."""
    article, start = "", 0
    for index, word in enumerate(words[:-1]):
        if fold(word) in _SUBJECT_STOPS:
            start = index + 1
            article = word if fold(word) in _ARTICLES else ""
    return article, words[start:]


def _is_name(words: list[str]) -> bool:
    """ "Danish Health Ministry", "Russian officials", "Russia's defence ministry": a proper
    noun among the words before the head."""
    if len(words) < 2:
        return False
    if all(w[:1].isupper() or w in ("of", "for", "and", "&") for w in words[:-1]):
        return True
    first = re.sub(r"['’]s$", "", words[0])
    return (words[0] != first and first[:1].isupper()) or fold(first) in _COUNTRY_OF


def _resolve_role_subject(match: re.Match, actors: _Actors) -> Attribution | None:
    """ "the ministry", "the minister", "the spokesman", "police", "a senior official"."""
    article, words = _trimmed_subject(match.group("subject").split())
    subject = " ".join(words)
    head = fold(words[-1])
    plural = head.endswith("s") and not head.endswith("ss") and head not in ("police", "forces")
    head = head[:-1] if plural else head
    # "officials", "sources", "prosecutors": a group speaking for a body, not one person
    kind = PERSON if re.fullmatch(_PERSON_NOUN, head) and not plural else ORGANIZATION
    mention = f"{article} {subject}".strip()
    if _is_name(words):
        # "the Danish Health Ministry", "Russian officials": named here.
        return _remember_named(subject, kind, actors, mention)
    if fold(article) in ("a", "an") or head in ("source", "official"):
        # "a senior official said": the text describes the speaker but does not name them.
        return Attribution("", subject, UNRESOLVED, "", mention, "")
    known = actors.with_head(head, kind)
    if known is None and kind == ORGANIZATION:
        known = actors.with_head(head, PERSON) if head in ("office",) else None
    if known is not None:
        return replace(known, mention=mention, resolution=NOMINAL)
    if kind == ORGANIZATION and (
        head in ("police", "prosecutor", "authoritie", "military", "army") or len(words) > 1
    ):
        # a standing institution of the place reported on ("police"), or one described well
        # enough to be known ("the regional prosecutor's office"): named by its description
        return Attribution(subject, "", ORGANIZATION, "", mention, NAMED)
    return Attribution("", subject, UNRESOLVED, "", mention, "")


def _remember_named(subject: str, kind: str, actors: _Actors, mention: str) -> Attribution:
    known = actors.with_head(fold(subject.split()[-1]), kind)
    if known is not None and fold(subject) in fold(known.speaker):
        return replace(known, mention=mention, resolution=NOMINAL)
    rank, name = split_rank(subject)
    return Attribution(name, rank, kind, "", mention, NAMED)


def _spread_over_quotes(
    sentences: list[SentenceForAttribution], explicit: list[Attribution | None]
) -> list[Attribution | None]:
    """A quote running over several sentences belongs to whoever is named anywhere in it."""
    spread = list(explicit)
    for group in _quote_groups(sentences):
        found = next((explicit[i] for i in group if explicit[i] and _speaks(explicit[i])), None)
        for index in group:
            if found and not (spread[index] and _speaks(spread[index])):
                spread[index] = replace(found, mention="", resolution=QUOTE)
    return spread


def _speaks(attribution: Attribution) -> bool:
    return attribution.kind in (PERSON, ORGANIZATION)


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
        before = carried[index - 1]
        own_verb = any(
            not _inside_quote(sentence.text, verb.start())
            for verb in _SPEECH_VERB.finditer(sentence.text)
        )
        if (
            carried[index] is None
            and _starts_with_quote(sentence.text)
            and near
            and before
            and not own_verb
        ):
            carried[index] = replace(before, mention="", resolution=CARRIED)
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
