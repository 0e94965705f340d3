"""Actors: who makes claims. Resolving a claim's speaker to an actor across documents, and the
editors' rename, merge and split, each kept in the actor's history."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from claims.extraction.actors import actor_key, country_of, same_actor
from claims.models import Actor, ActorAlias, Claim
from factdesk.errors import ValidationFailed
from factdesk.roles import require_editor

PERSON, ORGANIZATION = Actor.Kind.PERSON, Actor.Kind.ORGANIZATION


class ActorChangeRefused(ValidationFailed):
    """An editor's change to actors that cannot be made; the message says why."""


@dataclass(frozen=True)
class Speaker:
    """A claim's speaker as the engine read it."""

    name: str
    kind: str  # "person" or "organization"
    role: str = ""
    affiliation: str = ""


def alias_key(name: str, kind: str) -> str:
    """The form under which names of one actor compare equal: "Russia's Ministry of Defense"
    and "Russian MoD" give one key; ranks and titles are left out of a person's."""
    return actor_key(name, kind)[:300]


# What an article calls an organisation once it has named it: "the ministry", "the company".
_HEAD_NOUNS = frozenset(
    [
        "ministry",
        "department",
        "coalition",
        "government",
        "army",
        "police",
        "union",
        "agency",
        "office",
        "company",
        "council",
        "committee",
        "authority",
        "commission",
        "military",
        "navy",
        "hospital",
        "court",
        "embassy",
        "party",
    ]
)
# Names of companies that do not say "company": "Corlan Chemicals", "Harrow & Vance Ltd".
_COMPANY_WORDS = frozenset(
    [
        "chemicals",
        "inc",
        "ltd",
        "corp",
        "corporation",
        "group",
        "holdings",
        "industries",
        "plc",
        "llc",
        "co",
        "gmbh",
        "sa",
        "ag",
        "energy",
        "airlines",
        "bank",
        "motors",
        "pharmaceuticals",
    ]
)
# A role that names its organisation's head noun: "Industry Minister", "ministry spokeswoman".
_ROLE_HEADS = {"minister": "ministry", "ministry": "ministry"}


def head_nouns(actor: Actor) -> set[str]:
    """The generic nouns an article may call an organisation by."""
    words = set(actor_key(actor.name, actor.kind).split())
    heads = words & _HEAD_NOUNS
    if words & _COMPANY_WORDS:
        heads.add("company")
    return heads


def story_sides(actors: Iterable[Actor]) -> dict[int, Actor]:
    """The side each actor speaks for within one story: a person's organisation, or the actor
    itself. Within the story, organisations named two ways ("the Defence Ministry" and
    "Russia's Ministry of Defence") are one side under the more specific name; a generic one
    ("the company") or a person with a role but no organisation ("ministry spokeswoman")
    goes with the story's one organisation of that kind, when there is exactly one. A person
    named without an organisation goes with the story's namesake who has one ("Lavrov" with
    "Sergey Lavrov", of Russia). In a story between countries, a country, its organs and its
    capital are one side ("Russia", "the Russian Defence Ministry", "Moscow")."""
    actors = list({actor.pk: actor for actor in actors}.values())
    affiliation_of = _affiliations_by_namesake(actors)
    units = {actor.pk: affiliation_of.get(actor.pk, actor) for actor in actors}
    distinct = {unit.pk: unit for unit in units.values()}
    keys = {pk: actor_key(unit.name, unit.kind) for pk, unit in distinct.items()}
    chosen: dict[int, Actor] = {}
    ordered = sorted(distinct.values(), key=lambda unit: (-len(keys[unit.pk]), unit.pk))
    for unit in ordered:
        chosen[unit.pk] = next(
            (
                chosen[other.pk]
                for other in ordered
                if other.pk in chosen
                and other.kind == unit.kind
                and same_actor(keys[unit.pk], keys[other.pk])
            ),
            unit,
        )
    by_head: dict[str, set[int]] = {}
    for unit in {u.pk: u for u in chosen.values()}.values():
        if unit.kind == ORGANIZATION and len(keys[unit.pk].split()) > 1:
            for head in head_nouns(unit):
                by_head.setdefault(head, set()).add(unit.pk)
    named = {pk: unit for pk, unit in distinct.items()}

    def resolved(unit: Actor, actor: Actor) -> Actor:
        side = chosen[unit.pk]
        if side.kind == ORGANIZATION and keys[side.pk] in _HEAD_NOUNS:
            heads = {keys[side.pk]}  # "the company" itself
        elif side.kind == PERSON and unit.pk == actor.pk:
            heads = {_ROLE_HEADS.get(w, w) for w in actor_key(actor.role, "").split()} & (
                _HEAD_NOUNS
            )
        else:
            return side
        owners = {pk for head in heads for pk in by_head.get(head, ())}
        return chosen[named[owners.pop()].pk] if len(owners) == 1 else side

    sides = {actor.pk: resolved(units[actor.pk], actor) for actor in actors}
    return _settled_by_country(sides)


def _affiliations_by_namesake(actors: list[Actor]) -> dict[int, Actor]:
    """Each person's organisation: their own, or that of the one person of the story whose
    name theirs shortens ("Lavrov" of "Sergey Lavrov")."""
    found = {actor.pk: actor.affiliation for actor in actors if actor.affiliation_id}
    people = [actor for actor in actors if actor.kind == PERSON]
    keys = {actor.pk: actor_key(actor.name, PERSON) for actor in people}
    for actor in people:
        if actor.pk in found:
            continue
        namesakes = {
            other.affiliation.pk: other.affiliation
            for other in people
            if other.pk != actor.pk
            and other.affiliation_id
            and same_actor(keys[actor.pk], keys[other.pk])
        }
        if len(namesakes) == 1:
            found[actor.pk] = next(iter(namesakes.values()))
    return found


def _settled_by_country(sides: dict[int, Actor]) -> dict[int, Actor]:
    """In a story whose sides speak for two countries or more, every side that speaks for one
    country becomes one: the country's own actor when the story has it, else the side with the
    shortest name. Within one country's story (a ministry against a parliament) sides stay."""
    distinct = {side.pk: side for side in sides.values()}
    keys = {pk: actor_key(side.name, side.kind) for pk, side in distinct.items()}
    by_country: dict[str, list[Actor]] = {}
    for pk, side in distinct.items():
        country = country_of(keys[pk]) if side.kind == ORGANIZATION else ""
        if country:
            by_country.setdefault(country, []).append(side)
    if len(by_country) < 2:
        return sides
    chosen = {}
    for name, members in by_country.items():
        lead = min(members, key=lambda side: (keys[side.pk] != name, len(keys[side.pk]), side.pk))
        chosen.update({side.pk: lead for side in members})
    return {pk: chosen.get(side.pk, side) for pk, side in sides.items()}


def actors_resolve(*, speakers: Sequence[Speaker | None]) -> list[Actor | None]:
    """The actor of each speaker, found by its normalised name among every actor's aliases and
    created when new; a merged actor resolves to the one it was merged into."""
    wanted = {
        (alias_key(speaker.name, speaker.kind), speaker.kind)
        for speaker in speakers
        if speaker is not None and alias_key(speaker.name, speaker.kind)
    }
    affiliations = {
        (alias_key(speaker.affiliation, ORGANIZATION), ORGANIZATION)
        for speaker in speakers
        if speaker is not None
        and speaker.kind == PERSON
        and alias_key(speaker.affiliation, ORGANIZATION)
    }
    known = _actors_by_key(wanted | affiliations)
    resolved: list[Actor | None] = []
    for speaker in speakers:
        key = alias_key(speaker.name, speaker.kind) if speaker is not None else ""
        if not key:
            resolved.append(None)
            continue
        actor = known.get((key, speaker.kind))
        if actor is None:
            actor = known[(key, speaker.kind)] = _actor_create(
                name=speaker.name, kind=speaker.kind, key=key
            )
        _actor_complete(actor=actor, speaker=speaker, known=known)
        resolved.append(actor)
    return resolved


def _actors_by_key(keys: set[tuple[str, str]]) -> dict[tuple[str, str], Actor]:
    if not keys:
        return {}
    aliases = ActorAlias.objects.filter(key__in={key for key, _ in keys}).select_related(
        "actor__merged_into"
    )
    found = {}
    for alias in aliases:
        if (alias.key, alias.kind) in keys:
            found[(alias.key, alias.kind)] = _final(alias.actor)
    return found


def _final(actor: Actor) -> Actor:
    seen = set()
    while actor.merged_into_id is not None and actor.pk not in seen:
        seen.add(actor.pk)
        actor = actor.merged_into
    return actor


def _actor_create(*, name: str, kind: str, key: str) -> Actor:
    """A new actor with its name as first alias; a concurrent writer's actor wins the race."""
    try:
        with transaction.atomic():
            actor = Actor(name=name.strip()[:300], kind=kind)
            actor._change_reason = "found in an article"
            actor.save()
            ActorAlias.objects.create(actor=actor, name=name.strip()[:300], key=key, kind=kind)
            return actor
    except IntegrityError:
        return _final(ActorAlias.objects.select_related("actor").get(key=key, kind=kind).actor)


def _actor_complete(*, actor: Actor, speaker: Speaker, known: dict) -> None:
    """A person's role and side, filled in when the actor had none yet."""
    if actor.kind != PERSON:
        return
    changed = []
    if speaker.role and not actor.role:
        actor.role = speaker.role[:300]
        changed.append("role")
    affiliation_key = alias_key(speaker.affiliation, ORGANIZATION)
    if affiliation_key and actor.affiliation_id is None:
        organisation = known.get((affiliation_key, ORGANIZATION))
        if organisation is None:
            organisation = known[(affiliation_key, ORGANIZATION)] = _actor_create(
                name=speaker.affiliation, kind=ORGANIZATION, key=affiliation_key
            )
        actor.affiliation = organisation
        changed.append("affiliation")
    if changed:
        actor._change_reason = "role or side read from an article"
        actor.save(update_fields=changed)


def actor_rename(*, actor: Actor, name: str, by: AbstractBaseUser) -> Actor:
    """The canonical name changes; the old and new names both stay aliases."""
    require_editor(by, "rename an actor")
    name = name.strip()
    if not name:
        raise ActorChangeRefused("An actor needs a name.")
    with transaction.atomic():
        actor = Actor.objects.select_for_update().get(pk=actor.pk)
        _alias_add(actor=actor, name=name)
        old = actor.name
        actor.name = name[:300]
        _save_with_history(actor, by, f"renamed from {old!r}")
    return actor


def actor_merge(*, actor: Actor, into: Actor, by: AbstractBaseUser) -> Actor:
    """Two actors are one: `actor`'s claims, aliases and members move to `into`."""
    require_editor(by, "merge actors")
    if actor.pk == into.pk:
        raise ActorChangeRefused(f"{actor.name!r} cannot be merged into itself.")
    if actor.kind != into.kind:
        raise ActorChangeRefused(
            f"{actor.name!r} is a {actor.get_kind_display().lower()} and {into.name!r} is a "
            f"{into.get_kind_display().lower()}: only actors of the same kind can be merged."
        )
    with transaction.atomic():
        locked = {
            a.pk: a for a in Actor.objects.select_for_update().filter(pk__in=[actor.pk, into.pk])
        }
        actor, into = locked[actor.pk], locked[into.pk]
        if actor.merged_into_id is not None or into.merged_into_id is not None:
            merged = actor if actor.merged_into_id is not None else into
            raise ActorChangeRefused(f"{merged.name!r} was already merged into another actor.")
        Claim.objects.filter(actor=actor).update(actor=into)
        ActorAlias.objects.filter(actor=actor).update(actor=into)
        Actor.objects.filter(affiliation=actor).update(affiliation=into)
        if into.kind == PERSON and not into.role and actor.role:
            into.role = actor.role
            _save_with_history(into, by, f"merged {actor.name!r} into it")
        actor.merged_into = into
        _save_with_history(actor, by, f"merged into {into.name!r} (#{into.pk})")
    return into


def actor_split(
    *, actor: Actor, aliases: Iterable[ActorAlias], name: str, by: AbstractBaseUser
) -> Actor:
    """Some of an actor's names belong to someone else: a new actor of the same kind takes
    those aliases and the claims whose speaker goes by them."""
    require_editor(by, "split an actor")
    name = name.strip()
    moving = [alias for alias in aliases if alias.actor_id == actor.pk]
    if not name:
        raise ActorChangeRefused("The new actor needs a name.")
    if not moving:
        raise ActorChangeRefused(f"Choose at least one alias of {actor.name!r} to split off.")
    if len(moving) == actor.aliases.count():
        raise ActorChangeRefused(f"{actor.name!r} must keep at least one of its aliases.")
    with transaction.atomic():
        actor = Actor.objects.select_for_update().get(pk=actor.pk)
        new = Actor(name=name[:300], kind=actor.kind, role=actor.role)
        _save_with_history(new, by, f"split from {actor.name!r} (#{actor.pk})")
        keys = {alias.key for alias in moving}
        ActorAlias.objects.filter(pk__in=[alias.pk for alias in moving]).update(actor=new)
        moved = [
            claim.pk
            for claim in Claim.objects.filter(actor=actor).only("id", "speaker")
            if alias_key(claim.speaker, actor.kind) in keys
        ]
        Claim.objects.filter(pk__in=moved).update(actor=new)
        _save_with_history(actor, by, f"split off {name!r} (#{new.pk}) with {len(moved)} claims")
    return new


def _alias_add(*, actor: Actor, name: str) -> None:
    key = alias_key(name, actor.kind)
    if not key:
        return
    owner = ActorAlias.objects.filter(key=key, kind=actor.kind).exclude(actor=actor).first()
    if owner is not None:
        raise ActorChangeRefused(
            f"{name!r} is already a name of {owner.actor.name!r} (#{owner.actor_id}); "
            "merge the two actors instead."
        )
    ActorAlias.objects.get_or_create(
        key=key, kind=actor.kind, defaults={"actor": actor, "name": name[:300]}
    )


def _save_with_history(actor: Actor, by: AbstractBaseUser | None, reason: str) -> None:
    actor._history_user = by
    actor._change_reason = reason
    actor.save()
