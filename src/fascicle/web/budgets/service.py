"""The only writer of the web application (WEB.md, "Edits and concurrency"): every dataset, revision, change,
transition, comment and confirmed translation is written here, each in one transaction, so the audit trail has
one source.

Who may do what is `fascicle.workflow.allowed`, read with the user's memberships (`actors`). The unit an edit
concerns, for a manager's "own unit" (a first rule, kept simple):

* a path whose value sits inside a mapping with a `unit` field (posts.yaml's staffing and changes) belongs to that
  unit; a path that names a unit's id as one of its keys or items belongs to that unit;
* any other path (resources, plan, narrative…) belongs to the whole section: only an officer may edit it.

An edit whose language is one of the section's languages other than its original is a translation (`translate`,
a translator of that language); every other edit is `edit` (figures and the source narrative).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from fascicle.compute.memo import Recent
from fascicle.web.accounts.models import Membership, Unit
from fascicle.web.budgets.models import (
    Change,
    Comment,
    Dataset,
    PartText,
    Publication,
    Revision,
    RevisionPart,
    Transition,
    Translation,
)
from fascicle.workflow import EDITABLE, Action, Actor, allowed, move

User = Any
"""A Django user, logged in or anonymous (Django ships no types)."""
log = logging.getLogger(__name__)
LANGUAGES = ("zh", "en", "fr", "es", "ru", "ar")


class ServiceError(Exception):
    """A request the service refuses, with a message for the person who made it."""


class Locked(ServiceError):
    """The section is approved (or otherwise not editable): nothing may change, and the message says why."""


class ReadOnly(ServiceError):
    """The section is held for reading only (an imported document: the edit API takes the seed's shape)."""


@dataclass(frozen=True)
class EditConflict(ServiceError):
    """The value at `path` changed since the revision the editor read: its current value and who changed it."""

    part: str
    path: str
    yours: str
    current: str
    author: str
    revision: int | None

    def __str__(self) -> str:
        return (f"{self.part}: {self.path} was changed to {self.current!r} by {self.author or 'someone'} "
                f"since you read it; your value {self.yours!r} was not saved")


# --- part files of either shape ---------------------------------------------------------------------------------


def part_files(shape: str) -> dict[str, str]:
    """Part name → file name for a dataset of `shape` ("seed" or "general"), in the document's order."""
    if shape == "general":
        from fascicle.source.general import PARTS as GENERAL

        return {name: file for name, (file, _) in GENERAL.items()}
    from fascicle.source.parts import PARTS

    return dict(PARTS)


def texts_of(revision: Revision, shape: str | None = None, names: Iterable[str] | None = None) -> dict[str, str]:
    """The part texts of a revision, in the document's order (`shape`: its dataset's, read when not given;
    `names`: only these parts)."""
    digests = _digests(revision, names)
    found = _texts_by_digest(set(digests.values()))
    return {name: found[digests[name]] for name in part_files(shape or revision.dataset.shape) if name in digests}


def _digests(revision: Revision, names: Iterable[str] | None = None) -> dict[str, str]:
    """The sha256 of each of a revision's parts (only `names`, when given), from its memo key."""
    wanted = None if names is None else set(names)
    return {name: digest for name, digest in revision_key(revision)[1] if wanted is None or name in wanted}


def _texts_by_digest(digests: set[str]) -> dict[str, str]:
    """Part texts by their sha256: only those this worker has not read yet travel from the database."""
    found = {digest: text for digest in digests if (text := _TEXTS.get(digest)) is not None}
    missing = digests - set(found)
    if missing:
        for digest, text in PartText.objects.filter(sha256__in=missing).values_list("sha256", "text"):
            found[digest] = _TEXTS.put(digest, text)
    return found


def head_texts(dataset: Dataset) -> dict[str, str]:
    """The part texts of a dataset's head revision (empty before its first import)."""
    return texts_of(dataset.head, dataset.shape) if dataset.head is not None else {}


def _read_general(directory: Path) -> dict[str, str]:
    """The canonical texts of a section in the document's shape: loaded (so it is known to load), dumped again."""
    from fascicle.source.general import load_section
    from fascicle.source.write import dump_part

    section = load_section(directory).section
    return {name: dump_part(getattr(section, name)) for name in part_files("general")
            if getattr(section, name) is not None}


def read_directory(directory: Path, shape: str) -> dict[str, str]:
    """The canonical part texts of a section directory, as the CLI's writer writes them."""
    if shape == "general":
        return _read_general(directory)
    try:
        from fascicle.edit import canonical, read_texts
    except ImportError:  # the core's edit API not installed yet: the same texts, by the loader and the writer
        from fascicle.source.load import load
        from fascicle.source.write import dump_part

        budget = load(directory).budget
        return {name: dump_part(getattr(budget, name)) for name in part_files("seed")
                if getattr(budget, name) is not None}
    return dict(canonical(read_texts(directory)))


# --- who may do what ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Roles:
    """What the rules need to know of one user, read once for a page of several checks: all their memberships
    and, per dataset id, who last submitted it. Read at the start of a request; the service's writers read it
    again under their lock."""

    memberships: tuple[Membership, ...]
    submitters: dict[int, int | None]


def roles(user: User, datasets: Iterable[Dataset]) -> Roles:
    """The user's memberships and the submitters of `datasets`: two queries, however many datasets."""
    ids = [d.pk for d in datasets]
    if not user.is_authenticated:
        return Roles((), dict.fromkeys(ids))
    found = tuple(Membership.objects.filter(user=user).select_related("unit", "unit__parent"))
    submitters: dict[int, int | None] = dict.fromkeys(ids)
    for dataset_id, actor_id in (Transition.objects.filter(dataset_id__in=ids, action="submit").order_by("id")
                                 .values_list("dataset_id", "actor_id")):
        submitters[dataset_id] = actor_id
    return Roles(found, submitters)


def memberships(user: User, dataset: Dataset, known: Roles | None = None) -> list[Membership]:
    """The user's memberships in the dataset's entity or any of its units."""
    if not user.is_authenticated:
        return []
    found = known.memberships if known is not None else \
        Membership.objects.filter(user=user).select_related("unit", "unit__parent")
    return [m for m in found if m.unit.entity == dataset.entity]


def submitter(dataset: Dataset, known: Roles | None = None) -> int | None:
    """The user id of whoever last submitted the section."""
    if known is not None and dataset.pk in known.submitters:
        return known.submitters[dataset.pk]
    last = dataset.transitions.filter(action="submit").order_by("-id").first()
    return last.actor_id if last is not None else None


def actors(user: User, dataset: Dataset, unit: str | None = None, language: str | None = None,
           known: Roles | None = None) -> list[Actor]:
    """Every way the user acts on the dataset: one Actor per membership (a reader when they have none). `unit` is
    the unit concerned (None: the section as a whole, where a manager of any of its units sees their own unit and
    the summary); `language` the language concerned; `known` the user's roles read once for the page."""
    is_submitter = user.is_authenticated and submitter(dataset, known) == user.pk
    found: list[Actor] = []
    if getattr(user, "is_superuser", False):
        found.append(Actor("admin"))
    for m in memberships(user, dataset, known):
        same_unit = (m.unit.code == unit) if unit is not None else m.unit.parent_id is not None
        found.append(Actor(m.role, same_unit=same_unit,
                           own_language=bool(language) and m.language == language, is_submitter=is_submitter))
    return found or [Actor("reader")]


def can(user: User, dataset: Dataset, action: Action, unit: str | None = None, language: str | None = None,
        known: Roles | None = None) -> bool:
    """Whether any of the user's roles in the dataset allows `action` in its current state."""
    return any(allowed(a, action, dataset.state) for a in actors(user, dataset, unit, language, known))


def can_view(user: User, dataset: Dataset, known: Roles | None = None) -> bool:
    """A draft (anything not approved) is seen by those who may view drafts; an approved section by everyone."""
    action: Action = "view_published" if dataset.state == "approved" else "view_draft"
    return user.is_authenticated and can(user, dataset, action, known=known)


def can_view_revision(user: User, revision: Revision) -> bool:
    """An approved revision is published; any other needs the right to view drafts."""
    dataset = revision.dataset
    if not user.is_authenticated:
        return False
    if revision.transitions.filter(action="approve").exists():
        return True
    return can(user, dataset, "view_draft")


_TOKEN = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


def split_path(path: str) -> list[str | int]:
    """`staffing[3].grades.P-4` → ["staffing", 3, "grades", "P-4"]."""
    return [int(index) if index else key for index, key in _TOKEN.findall(path)]


def unit_of(texts: Mapping[str, str], part: str, path: str, units: Iterable[str],
            trees: dict[str, Any] | None = None) -> str | None:
    """The unit a path belongs to (the module's rule), or None for the section as a whole. `trees` keeps the
    parts already parsed, for many paths of one revision."""
    codes = set(units)
    tokens = split_path(path)
    named = [t for t in tokens if isinstance(t, str) and t in codes]
    found: str | None = named[-1] if named else None
    if trees is not None and part in trees:
        node: Any = trees[part]
    else:
        try:
            node = _parsed(texts.get(part, ""))
        except yaml.YAMLError:
            return found
        if trees is not None:
            trees[part] = node
    for token in tokens:
        if isinstance(node, dict) and isinstance(node.get("unit"), str):
            found = node["unit"]
        try:
            node = node[token]
        except (KeyError, IndexError, TypeError):
            break
    if isinstance(node, dict) and isinstance(node.get("unit"), str):
        found = node["unit"]
    return found


def _parsed(text: str) -> Any:
    """A part's text as plain values, parsed once a worker (by its sha256, as `_trees` keeps them)."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    found = _TREES.get(digest)
    return found if found is not None else _TREES.put(digest, _parse(text))


def _parse(text: str) -> Any:
    """A part's text as plain values, by PyYAML's C loader (the pure-Python one is ten times slower)."""
    return yaml.load(text, Loader=_LOADER) or {}  # noqa: S506 - a safe loader


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_TREES: Recent[Any] = Recent(128)
"""Parts parsed as plain values, by the sha256 of their text (a text never changes under its hash)."""
_TEXTS: Recent[str] = Recent(256)
"""Part texts by their sha256, as read from the database (a text never changes under its hash)."""


def _trees(revision: Revision, names: Iterable[str]) -> dict[str, Any]:
    """The named parts of a revision as plain values (an absent part: {}); only the texts not parsed before are
    read, and only those not read before from the database."""
    wanted = set(names)
    digests = _digests(revision, wanted)
    found: dict[str, Any] = {name: {} for name in wanted if name not in digests}
    missing = []
    for name, digest in digests.items():
        tree = _TREES.get(digest)
        if tree is None:
            missing.append(name)
        else:
            found[name] = tree
    texts = _texts_by_digest({digests[name] for name in missing}) if missing else {}
    for name in missing:
        try:
            tree = _parse(texts[digests[name]])
        except yaml.YAMLError:
            tree = {}
        found[name] = _TREES.put(digests[name], tree)
    return found


def editable(user: User, dataset: Dataset, places: Sequence[tuple[str, str]],
             known: Roles | None = None) -> list[bool]:
    """For each (part, path), whether `edit` would let the user change it now: the same rule, read once for the
    page (the role for the path's unit and language in the section's state; never a section held read-only).
    Ask once for all the places of a page: the parts are parsed once and the user's roles read once."""
    if dataset.read_only or dataset.head is None:
        return [False] * len(places)
    trees = _trees(dataset.head, {part for part, _ in places} | {"section"})
    units = list(Unit.objects.filter(parent__code=dataset.entity).values_list("code", flat=True))
    known = known or roles(user, [dataset])
    cache: dict[tuple[str, str | None, str | None], bool] = {}
    original = _original_of(trees["section"])
    found = []
    for part, path in places:
        action, language = required_action({}, _Place(part, path), original)
        unit = unit_of({}, part, path, units, trees)
        key = (action, unit, language)
        if key not in cache:
            cache[key] = any(allowed(a, action, dataset.state)
                             for a in actors(user, dataset, unit or "", language, known))
        found.append(cache[key])
    return found


@dataclass(frozen=True)
class _Place:
    part: str
    path: str


def _language_of(edit: Any) -> str | None:
    language = getattr(edit, "language", None)
    if language:
        return str(language)
    last = split_path(edit.path)[-1:] or [""]
    return last[0] if isinstance(last[0], str) and last[0] in LANGUAGES else None


def _original_language(texts: Mapping[str, str]) -> str:
    try:
        return _original_of(_parsed(texts.get("section", "")))
    except yaml.YAMLError:
        return "en"


def _original_of(section: Any) -> str:
    try:
        return str((section.get("masthead") or {}).get("original") or "en")
    except AttributeError:
        return "en"


def required_action(texts: Mapping[str, str], edit: Any, original: str | None = None) -> tuple[Action, str | None]:
    """The workflow action an edit needs, and its language: `translate` for a text in a language other than the
    section's original (`original`, read from the texts when not given), `edit` otherwise."""
    language = _language_of(edit)
    if language is not None and language != (original or _original_language(texts)):
        return "translate", language
    return "edit", language


# --- writing ------------------------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    """A value as a Change row holds it: a number or a truth as JSON writes it (13, 1.5, true), a date in ISO
    form, anything else as one line of YAML, never with YAML's document end marker."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return json.dumps(value)
    if isinstance(value, date):
        return value.isoformat()
    dumped = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=1_000_000).strip()
    return dumped.removesuffix("\n...").strip()


def _store(dataset: Dataset, parent: Revision | None, author: Any, reason: str, category: str,
           texts: Mapping[str, str], changes: Iterable[tuple[str, str, Any, Any]] = ()) -> Revision:
    revision = Revision.objects.create(dataset=dataset, parent=parent, author=author, reason=reason,
                                       category=category)
    digests = {name: hashlib.sha256(text.encode("utf-8")).hexdigest() for name, text in texts.items()}
    # Three queries whatever the number of parts: which texts are stored (their hashes, not their words), the new
    # ones (a text another writer stored meanwhile is the same text: ignored), the revision's parts.
    known = set(PartText.objects.filter(sha256__in=set(digests.values())).values_list("sha256", flat=True))
    PartText.objects.bulk_create([PartText(sha256=digest, text=texts[name]) for name, digest in digests.items()
                                  if digest not in known], ignore_conflicts=True)
    RevisionPart.objects.bulk_create(RevisionPart(revision=revision, name=name, text_id=digest)
                                     for name, digest in digests.items())
    for name, digest in digests.items():  # the next edit of this worker reads them from here
        _TEXTS.put(digest, texts[name])
    Change.objects.bulk_create(Change(revision=revision, part=part, path=path, old=_text(old), new=_text(new))
                               for part, path, old, new in changes)
    dataset.head = revision
    dataset.save(update_fields=["head"])
    return revision


def create_dataset(slug: str, title: str, entity: str, shape: str = "seed", read_only: bool = False) -> Dataset:
    """A new, empty dataset (and its entity's Unit when missing)."""
    with transaction.atomic():
        Unit.objects.get_or_create(code=entity, defaults={"name": entity})
        return Dataset.objects.create(slug=slug, title=title, entity=entity, shape=shape, read_only=read_only)


def ensure_units(dataset: Dataset, units: Iterable[tuple[str, str]]) -> None:
    """The units of a section's structure as Units under its entity (code, name), created when missing."""
    with transaction.atomic():
        entity, _ = Unit.objects.get_or_create(code=dataset.entity, defaults={"name": dataset.entity})
        for code, name in units:
            if code != dataset.entity:
                Unit.objects.get_or_create(code=code, defaults={"name": name, "parent": entity})


def import_directory(dataset: Dataset, directory: Path | str, author: Any, reason: str) -> Revision:
    """Store the section in `directory` as a new head revision of `dataset`, its texts canonical; when they equal
    the head's, nothing is stored and the head is returned."""
    texts = read_directory(Path(directory), dataset.shape)
    with transaction.atomic():
        locked = Dataset.objects.select_for_update().get(pk=dataset.pk)
        if locked.head is not None and head_texts(locked) == texts:
            return locked.head
        if locked.state not in EDITABLE:
            # An import changes figures as edits do: only while they may change (draft, returned).
            raise Locked(f"{locked.slug} is {locked.state.replace('_', ' ')}: an import waits until it is a draft "
                         "or returned")
        old = head_texts(locked)
        changes = [(name, "", "", "") for name in texts if old.get(name) != texts[name]] if old else []
        revision = _store(locked, locked.head, author, reason, "import", texts, changes)
    dataset.refresh_from_db()
    return revision


def export(revision: Revision, directory: Path | str) -> Path:
    """Write the revision's part files into `directory` (created; existing part files replaced), byte for byte:
    the folder the CLI reads (`fascicle validate DIR`)."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    files = part_files(revision.dataset.shape)
    for name, text in texts_of(revision).items():
        with open(folder / files[name], "w", encoding="utf-8", newline="") as out:
            out.write(text)
    return folder


def _since(head: Revision, base: Revision) -> list[int]:
    """The ids of the revisions after `base` up to `head` (base excluded), following parents from the head: the
    section's revisions between the two read in one query (this runs under the section's lock)."""
    parents = dict(Revision.objects.filter(dataset_id=head.dataset_id, pk__gte=base.pk, pk__lte=head.pk)
                   .values_list("pk", "parent_id"))
    chain: list[int] = []
    node: int | None = head.pk
    while node is not None and node != base.pk and node in parents:
        chain.append(node)
        node = parents[node]
    if node != base.pk:
        raise ServiceError(f"revision {base.pk} is not an ancestor of the head of {head.dataset.slug}")
    return chain


def overlaps(a: str, b: str) -> bool:
    """Whether two field paths concern the same value: the same path, or one inside the other."""
    return a == b or a.startswith((b + ".", b + "[")) or b.startswith((a + ".", a + "["))


def _conflicts(edits: Sequence[Any], since: list[int], head: Mapping[str, str]) -> EditConflict | None:
    if not since:
        return None
    from fascicle.edit import EditError, value_at

    changed = Change.objects.filter(revision_id__in=since).select_related("revision__author").order_by("-revision_id")
    for edit in edits:
        for change in changed:
            if change.part == edit.part and (change.path == "" or overlaps(change.path, edit.path)):
                # The value now at the edited path, however it got there: set there, or by an import or an
                # edit of an enclosing path (whose Change rows hold no value of this path).
                try:
                    current = change.new if change.path == edit.path else _text(value_at(head, edit.part, edit.path))
                except EditError:
                    current = f"({change.path or edit.part} changed)"
                return EditConflict(edit.part, edit.path, _text(edit.new), current,
                                    change.revision.author.get_username(), change.revision_id)
    return None


def last_change(dataset: Dataset, part: str, path: str) -> Change | None:
    """The latest Change row of a path in the dataset."""
    return (Change.objects.filter(revision__dataset=dataset, part=part, path=path)
            .select_related("revision__author").order_by("-revision_id").first())


def edit(dataset: Dataset, user: Any, edits: Sequence[Any], reason: str, category: str,
         base_revision: Revision | None) -> tuple[Revision, list[Any]]:
    """Apply `edits` (fascicle.edit.Edit) read at `base_revision` to the head of `dataset`, as one new revision
    with a Change row per changed value; return it and the findings of all checks on the new head.

    PermissionDenied when a role does not allow an edit; Locked when the section is not editable; EditConflict
    when a path changed since `base_revision` (path-level compare-and-set: edits of other paths apply on the
    head); ReadOnly for a section held for reading; fascicle.edit.EditError for an edit the core refuses.

    The edits are applied and checked (most of the time an edit takes) before the section's row is locked,
    against the head as read then; under the lock, when the head is still that one, the result is stored as it
    is; else (another edit landed meanwhile) the lock is let go and the edits applied again to the new head
    outside it, twice at most, a third time under the lock. Either way the rules, the conflicts and the result are
    those of the head the revision is stored on."""
    for attempt in range(3):
        try:
            return _edit_once(dataset, user, edits, reason, category, base_revision, final=attempt == 2)
        except _HeadMoved:
            continue
    raise AssertionError("unreachable: the last attempt applies under the lock")


class _HeadMoved(Exception):
    """Another edit landed between applying an edit and locking the section: apply it again outside the lock."""


def _edit_once(dataset: Dataset, user: Any, edits: Sequence[Any], reason: str, category: str,
               base_revision: Revision | None, final: bool) -> tuple[Revision, list[Any]]:
    """One attempt of `edit`; _HeadMoved when the head moved since the edits were applied (unless `final`)."""
    from fascicle.edit import Conflict, EditError, apply

    if not reason.strip():
        raise ServiceError("every change needs a reason")
    if not edits:
        raise ServiceError("nothing to change")
    read = Dataset.objects.filter(pk=dataset.pk).values_list("head_id", "shape", "read_only").first()
    early: tuple[int, dict[str, str], Any, EditError | None] | None = None
    if read is not None and read[0] is not None and not read[2]:
        head_id, shape = read[0], read[1]
        early_texts = texts_of(Revision(pk=head_id), shape)
        try:
            early = (head_id, early_texts, apply(early_texts, edits), None)
        except EditError as error:  # raised under the lock, after the rules and conflicts, as before
            early = (head_id, early_texts, None, error)
    with transaction.atomic():
        locked = Dataset.objects.select_for_update().get(pk=dataset.pk)
        if locked.read_only:
            raise ReadOnly(f"{locked.slug} is held for reading only")
        if locked.head is None:
            raise ServiceError(f"{locked.slug} has no revision yet")
        same = early is not None and early[0] == locked.head_id
        if early is not None and not same and not final:
            raise _HeadMoved
        texts = early[1] if same and early is not None else head_texts(locked)
        units = list(Unit.objects.filter(parent__code=locked.entity).values_list("code", flat=True))
        known = roles(user, [locked])  # read under the lock, once for every edit
        for one in edits:
            action, language = required_action(texts, one)
            unit = unit_of(texts, one.part, one.path, units)
            if any(allowed(a, action, locked.state)
                   for a in actors(user, locked, unit or "", language, known)):  # "": no unit's own
                continue
            if locked.state == "approved":
                raise Locked(lock_reason(locked))
            if action == "edit" and locked.state not in ("draft", "returned"):
                raise Locked(f"{locked.slug} is {locked.state.replace('_', ' ')}: only a draft or a returned "
                             "section may change")
            raise PermissionDenied(f"you may not {action} {one.part}: {one.path}")
        base = base_revision or locked.head
        conflict = _conflicts(edits, _since(locked.head, base), texts)
        if conflict is not None:
            raise conflict
        try:
            if same and early is not None:
                if early[3] is not None:
                    raise early[3]
                applied = early[2]
            else:
                applied = apply(texts, edits)
        except Conflict as error:
            bad = next((e for e in edits if e.path in str(error)), edits[0])
            last = last_change(locked, bad.part, bad.path)
            raise EditConflict(bad.part, bad.path, _text(bad.new), _text(getattr(error, "current", None)),
                               last.revision.author.get_username() if last else "",
                               last.revision_id if last else None) from error
        changes = list(applied.changes)
        revision = _store(locked, locked.head, user, reason, category, applied.texts, changes)
        _record_translations(locked, user, edits, applied.texts)
    if locked.shape == "seed":
        _remember(revision, applied)
    dataset.refresh_from_db()
    return revision, list(applied.findings)


def _source_of(texts: Mapping[str, str], part: str, path: str, original: str) -> str | None:
    """The source text (in the section's original language) of the text at `path` (a field path without its
    language), or None when it has none."""
    from fascicle.edit import EditError, value_at

    try:
        found = value_at(texts, part, f"{path}.{original}")
    except EditError:
        return None
    return found if isinstance(found, str) and found.strip() else None


def _record(dataset: Dataset, user: Any, part: str, path: str, language: str, source: str) -> Translation:

    from fascicle.translation import source_hash

    row, _ = Translation.objects.update_or_create(
        dataset=dataset, part=part, path=path, language=language,
        defaults={"source_sha256": source_hash(source), "confirmed_by": user, "confirmed_at": timezone.now()})
    return row


def _record_translations(dataset: Dataset, user: Any, edits: Sequence[Any], texts: Mapping[str, str]) -> None:
    """A translator's saved text is made from the source they saw: record that source's hash (in the edit's
    transaction; only `translate` edits, which only a translator of the language may make)."""
    original = _original_language(texts)
    for one in edits:
        action, language = required_action(texts, one, original)
        if action != "translate" or language is None or not one.path.endswith(f".{language}") or not one.new:
            continue
        path = one.path.removesuffix(f".{language}")
        source = _source_of(texts, one.part, path, original)
        if source is not None:
            _record(dataset, user, one.part, path, language, source)


def recorded_hashes(dataset: Dataset) -> dict[tuple[str, str, str], str]:
    """(part, field path, language) → the source hash each confirmed translation of the section was made from
    (fascicle.translation.entries' `recorded`)."""
    return {(part, path, language): digest for part, path, language, digest in
            dataset.translations.values_list("part", "path", "language", "source_sha256")}


def languages(revision: Revision) -> list[str]:
    """The languages a seed-shaped revision's section is published in (its section part's `languages`, read
    without loading the whole section; the model's default when it names none)."""
    from fascicle.model.section import Section

    tree = _trees(revision, {"section"})["section"]
    named = tree.get("languages") if isinstance(tree, dict) else None
    if isinstance(named, list) and all(isinstance(lang, str) for lang in named):
        return [str(lang) for lang in named]
    return list(Section.model_fields["languages"].default)


def original_language(dataset: Dataset) -> str:
    """The section's original language (its masthead's `original`; English when it names none): the head's
    section part alone, parsed once per text."""
    return _original_of(_trees(dataset.head, {"section"})["section"]) if dataset.head is not None else "en"


def may_read_translation(user: User, dataset: Dataset, language: str, known: Roles | None = None) -> bool:
    """Whether the user may read the section's translation page for `language` (the section visible to them):
    whoever may view its drafts, but among translators only those of that language."""
    return can_view(user, dataset, known) and any(
        allowed(a, "view_draft", dataset.state) and (a.role != "translator" or a.own_language)
        for a in actors(user, dataset, language=language, known=known))


def confirm_translation(dataset: Dataset, user: Any, part: str, path: str, language: str) -> Translation:
    """Confirm that the text at part:path in `language` (a field path without its language) translates the
    section's current source text: its hash is recorded. Only a translator of that language, while the section
    is not locked (fascicle.workflow: `translate`); PermissionDenied otherwise; ServiceError when there is no
    source or no translation to confirm."""
    with transaction.atomic():
        locked = Dataset.objects.select_for_update().get(pk=dataset.pk)
        if not can(user, locked, "translate", language=language):
            raise PermissionDenied(f"you may not confirm a translation into {language} of this section while it "
                                   f"is {locked.state.replace('_', ' ')}")
        if locked.head is None:
            raise ServiceError(f"{locked.slug} has no revision yet")
        texts = head_texts(locked)
        original = _original_language(texts)
        if language == original:
            raise ServiceError(f"{language} is the section's original language")
        source = _source_of(texts, part, path, original)
        if source is None:
            raise ServiceError(f"{part}: {path} has no text in {original} to translate")
        if _source_of(texts, part, path, language) is None:
            raise ServiceError(f"{part}: {path} has no text in {language} to confirm")
        return _record(locked, user, part, path, language, source)


def acknowledge(dataset: Dataset, user: Any, code: str, file: str, field: str, reason: str,
                base_revision: Revision | None = None) -> tuple[Revision, list[Any]]:
    """Accept a finding for publication (the core's acknowledgements part): one acknowledgement appended through
    `edit` (a path one past the end of the list, old None; the whole list when the section has none yet), with
    who and today's date; its reason is the revision's reason. The same rules as any other edit of the section."""
    from fascicle.edit import Edit, value_at

    if not reason.strip():
        raise ServiceError("an acknowledgement needs a reason")
    item = {"code": code, "location": {"file": file, "field": field}, "reason": reason.strip(),
            "who": user.get_full_name() or user.get_username(), "date": date.today().isoformat()}
    texts = head_texts(dataset)
    present = value_at(texts, "acknowledgements", "acknowledgements") if "acknowledgements" in texts else None
    if isinstance(present, list):
        change = Edit("acknowledgements", f"acknowledgements[{len(present)}]", None, item)
    else:
        change = Edit("acknowledgements", "acknowledgements", None, [item])
    return edit(dataset, user, [change], f"acknowledged {code} at {file} {field}: {reason.strip()}", "correction",
                base_revision)


def lock_reason(dataset: Dataset) -> str:
    """Why an approved section may not change: who approved it and when (the screens say so)."""
    last = dataset.transitions.filter(action="approve").select_related("actor").order_by("-id").first()
    if last is None:
        return f"{dataset.slug} is approved and locked"
    return (f"{dataset.slug} was approved by {last.actor.get_username()} on {last.when:%Y-%m-%d %H:%M} UTC and is "
            "locked; a reviewer may reopen it")


def transition(dataset: Dataset, user: Any, action: Action, text: str = "") -> Transition:
    """Move the section (fascicle.workflow.move): a row in the audit trail; a return's comment is also a comment
    on the section; an approval locks it and, once committed, writes the approved YAML as a git commit."""
    with transaction.atomic():
        locked = Dataset.objects.select_for_update().get(pk=dataset.pk)
        if locked.head is None:
            raise ServiceError(f"{locked.slug} has no revision yet")
        # Not allowed is a refusal (403); allowed but without the comment or reason it needs is a bad request.
        permitted = [actor for actor in actors(user, locked) if allowed(actor, action, locked.state)]
        if not permitted:
            raise PermissionDenied(f"you may not {action.replace('_', ' ')} this section while it is "
                                   f"{locked.state.replace('_', ' ')}")
        to_state = move(permitted[0], action, locked.state, text)
        row = Transition.objects.create(dataset=locked, revision=locked.head, action=action,
                                        from_state=locked.state, to_state=to_state, actor=user, text=text)
        if action == "return":
            Comment.objects.create(dataset=locked, revision=locked.head, anchor="", author=user, text=text)
        locked.state = to_state
        locked.save(update_fields=["state"])
        if action == "approve":
            head = locked.head
            transaction.on_commit(lambda: _commit_quietly(head, user))
    dataset.refresh_from_db()
    return row


def comment(dataset: Dataset, user: Any, text: str, anchor: str = "", revision: Revision | None = None,
            parent: int | None = None) -> Comment:
    """A comment anchored to `anchor` (a paragraph's part:path, a table row, a figure, or empty for the section)
    at `revision` (the head); a reply to comment `parent` of the same section joins its thread and its anchor."""
    if not text.strip():
        raise ServiceError("a comment needs text")
    if len(text) > 10000 or len(anchor) > 500:
        raise ServiceError("a comment is at most 10000 characters and its anchor 500")
    with transaction.atomic():
        locked = Dataset.objects.select_for_update().get(pk=dataset.pk)
        if not can(user, locked, "comment"):
            raise PermissionDenied("you may not comment on this section")
        at = revision or locked.head
        if at is None:
            raise ServiceError(f"{locked.slug} has no revision yet")
        root = None
        if parent is not None:
            root = Comment.objects.filter(dataset=locked, pk=parent).first()
            if root is None:
                raise ServiceError(f"no comment {parent} on this section to reply to")
            root = root.parent or root  # a thread is one level deep: a reply to a reply joins the thread
            anchor = root.anchor
            if root.resolved:
                Comment.objects.filter(pk=root.pk).update(resolved=False, resolved_by=None, resolved_at=None)
        return Comment.objects.create(dataset=locked, revision=at, anchor=anchor, author=user, text=text,
                                      parent=root)


def resolve(comment_row: Comment, user: Any) -> None:
    """Mark a comment's thread resolved, saying who and when (whoever may comment on the section); a reply
    reopens it."""
    with transaction.atomic():
        if not can(user, comment_row.dataset, "comment"):
            raise PermissionDenied("you may not resolve comments on this section")
        root = comment_row.parent or comment_row
        Comment.objects.filter(pk=root.pk).update(resolved=True, resolved_by=user, resolved_at=timezone.now())


# --- git: a view of approvals -------------------------------------------------------------------------------------


def git_root() -> Path:
    return Path(settings.FASCICLE_HOME) / "git"


def commit_approved(revision: Revision, approver: Any) -> str:
    """Commit the approved revision's YAML into FASCICLE_HOME/git/<slug>/ (author = approver, message = the
    reasons since the last approval); return the commit id. Git is a view: a failure is logged, never undone."""
    root = git_root()
    root.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_COMMITTER_NAME": "Fascicle", "GIT_COMMITTER_EMAIL": "fascicle@localhost"}

    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(root), *args], env=env, check=True,  # noqa: S603, S607
                              capture_output=True, text=True)
        return done.stdout.strip()

    if not (root / ".git").exists():
        git("init", "-q", "-b", "main")
    slug = revision.dataset.slug
    folder = root / slug
    if folder.exists():
        shutil.rmtree(folder)
    export(revision, folder)
    names = [slug, *(str(Path(slug) / name) for name in sorted(os.listdir(folder)))]
    reasons = _reasons(revision)
    name = approver.get_full_name() or approver.get_username()
    email = approver.email or f"{approver.get_username()}@localhost"
    message = f"{slug}: approved revision {revision.pk}\n\n" + "\n".join(f"- {r}" for r in reasons)
    git("add", "--all", "--", *names)
    # A reopened section approved again unchanged still gets its commit: the approval is the event.
    git("commit", "-q", "--allow-empty", "--author", f"{name} <{email}>", "-m", message)
    return git("rev-parse", "HEAD")


def _commit_quietly(revision: Revision, approver: Any) -> None:
    # The approval is committed in the database already: a git failure is logged, not shown as a failed approval.
    try:
        commit_approved(revision, approver)
    except (OSError, subprocess.CalledProcessError) as error:
        log.error("approval of %s not committed to git: %s", revision, getattr(error, "stderr", "") or error)


def _reasons(revision: Revision) -> list[str]:
    """The reasons of the revisions since the last approved one, oldest first."""
    approved = set(Transition.objects.filter(dataset=revision.dataset, action="approve")
                   .exclude(revision=revision).values_list("revision_id", flat=True))
    found: list[str] = []
    node: Revision | None = revision
    while node is not None and node.pk not in approved:
        found.append(f"{node.reason} ({node.author.get_username()}, {node.category})")
        node = node.parent
    return list(reversed(found))


# --- reading: the core on a revision ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    """What the dashboard shows of a revision: its findings and key totals."""

    errors: int
    warnings: int
    blocking: int
    totals: list[tuple[str, str]]
    findings: list[Any]
    key_totals: tuple[KeyTotal, ...] = ()
    figures: Any = None
    """The core's figures of the revision (fascicle.compute.figures): (ref, period) → value."""


@dataclass(frozen=True)
class KeyTotal:
    """One key total of a revision, as compute.figures gives it: what it is (regular, extrabudgetary, posts),
    its reference and period, its value."""

    kind: str
    ref: str
    period: str
    value: Decimal


_LOADED: Recent[Any] = Recent(32)
_SUMMARIES: Recent[Summary] = Recent(32)
"""A revision is immutable: what it loads to and its summary are memoised by its id and its parts' sha256 (the
RevisionPart rows hold them, so a memo hit reads no text; the hashes guard against ids reused by a test
database)."""


def revision_key(revision: Revision, parts: Iterable[tuple[str, str]] | None = None) -> tuple[Any, ...]:
    """The memo key of a revision: its id and its parts' (name, sha256), read once an instance (a revision's parts
    never change)."""
    if parts is None:
        known: tuple[Any, ...] | None = getattr(revision, "_memo_key", None)
        if known is not None:
            return known
        parts = revision.parts.values_list("name", "text_id")
    key = (revision.pk, tuple(sorted(parts)))
    revision._memo_key = key
    return key


def loaded(revision: Revision, key: tuple[Any, ...] | None = None) -> Any:
    """The core's loaded section of a revision (Loaded, or LoadedSection for an imported document)."""
    key = key or revision_key(revision)
    found = _LOADED.get(key)
    if found is None:
        shape = revision.dataset.shape
        found = _LOADED.put(key, _load(shape, texts_of(revision, shape)))
    return found


def _load(shape: str, texts: Mapping[str, str]) -> Any:
    if shape != "general":
        from fascicle.source.load import load_texts

        return load_texts(texts)
    with tempfile.TemporaryDirectory(prefix="fascicle-rev-") as folder:
        files = part_files(shape)
        for name, text in texts.items():
            with open(Path(folder) / files[name], "w", encoding="utf-8", newline="") as out:
                out.write(text)
        from fascicle.source.general import load_section

        return load_section(folder)


def summary(revision: Revision, key: tuple[Any, ...] | None = None) -> Summary:
    """The findings of every check on a revision and its key totals: from this worker's memo, else from the
    summaries on disk that any worker wrote, else computed (and written there)."""
    key = key or revision_key(revision)
    found = _SUMMARIES.get(key)
    if found is None:
        shape = revision.dataset.shape
        found = shared_get("summaries", shape, key[1], _is_summary)
        if found is None:
            found = shared_put("summaries", shape, key[1], _summarise(shape, loaded(revision, key)))
        _SUMMARIES.put(key, found)
    return found


def summaries(revisions: Sequence[Revision]) -> list[Summary]:
    """The summaries of several revisions (the dashboard's), their memo keys read in one query."""
    parts: dict[int, list[tuple[str, str]]] = {r.pk: [] for r in revisions}
    for revision_id, name, digest in RevisionPart.objects.filter(revision_id__in=list(parts)).values_list(
            "revision_id", "name", "text_id"):
        parts[revision_id].append((name, digest))
    return [summary(r, revision_key(r, parts[r.pk])) for r in revisions]


def _remember(revision: Revision, applied: Any) -> None:
    """Memoise what an edit computed (fascicle.edit.Applied: the loaded budget and every check's findings) as the
    new revision's, so the page after the edit checks nothing again."""
    key = revision_key(revision, [(name, hashlib.sha256(text.encode("utf-8")).hexdigest())
                                   for name, text in applied.texts.items()])
    _LOADED.put(key, applied.loaded)
    _SUMMARIES.put(key, shared_put("summaries", "seed", key[1],
                                   _summarise("seed", applied.loaded, applied.findings)))


# What the code makes of a revision, shared by the web's worker processes on disk: after an edit in one worker the
# others read the new head's summary (findings, figures) and its document's page instead of making them again.
# Each is what the code makes of the parts' texts, so it is named by the program's code (source.cache.code, as the
# CLI's cache of whole folders), its kind, the shape, the parts' sha256 and what else it depends on (a language),
# never by a revision id; it is written whole or not at all (source.cache.put), and read only from a private
# folder of this user's under FASCICLE_HOME, by this user's files (source.cache.get); an entry that cannot be
# read, or is not what its name says, is made again.
_SHARED_VERSION = b"fascicle-shared-1"
_SHARED_KEPT = 2000
"""Entries of each kind kept (a summary of ITC is about 25 kB, a page about 120 kB): the oldest beyond these are
deleted now and then."""


def _shared_folder(kind: str) -> Path | None:
    """The folder of one kind of shared entries ("summaries", "bodies"), or None when sharing is off or the folder
    is not private."""
    from fascicle.source import cache

    if os.environ.get("FASCICLE_CACHE", "1") == "0":
        return None
    return cache.private_folder(Path(settings.FASCICLE_HOME) / kind)


def _shared_name(kind: str, shape: str, parts: Iterable[tuple[str, str]], extra: str = "") -> str:
    from fascicle.source import cache

    digest = hashlib.sha256(_SHARED_VERSION)
    digest.update(cache.code())
    digest.update(f"{kind}\0{shape}\0{extra}\0".encode())
    for name, sha in sorted(parts):
        digest.update(f"{name}\0{sha}\0".encode())
    return f"{kind}-{digest.hexdigest()}"


def shared_get(kind: str, shape: str, parts: Iterable[tuple[str, str]], accept: Callable[[Any], bool],
               extra: str = "") -> Any:
    """The entry on disk of a revision of these parts, when `accept` takes it; else None."""
    from fascicle.source import cache

    where = _shared_folder(kind)
    if where is None:
        return None
    name = _shared_name(kind, shape, parts, extra)
    try:
        found = cache.get(where, name)
    except Exception:  # a damaged entry is made again, whatever unpickling it raised
        log.warning("unreadable %s: made again", name, exc_info=True)
        return None
    if isinstance(found, tuple) and len(found) == 2 and found[0] == name and accept(found[1]):
        return found[1]
    return None


def shared_put(kind: str, shape: str, parts: Iterable[tuple[str, str]], value: Any, extra: str = "") -> Any:
    """Write an entry to disk for the other workers (a failure only loses the sharing); return it."""
    from fascicle.source import cache

    where = _shared_folder(kind)
    if where is None:
        return value
    name = _shared_name(kind, shape, parts, extra)
    try:
        cache.put(where, name, (name, value), _SHARED_KEPT)  # the oldest beyond the limit deleted now and then
    except Exception:  # an entry that cannot be pickled or written is only not shared
        log.warning("%s not written", name, exc_info=True)
    return value


def _is_summary(found: Any) -> bool:
    return isinstance(found, Summary) and isinstance(found.findings, list)


def _summarise(shape: str, section: Any, findings: list[Any] | None = None) -> Summary:
    totals: list[tuple[str, str]] = []
    keys: list[KeyTotal] = []
    figs: Any = None
    if shape == "general":
        from fascicle.checks.general import run_general

        findings = run_general(section.section)
    else:
        from fascicle.checks.registry import run_checks
        from fascicle.compute.figures import figures

        budget = section.budget
        figs = figures(budget)
        if findings is None:
            findings = run_checks(budget, figs)
        year = budget.section.year
        for ref, label, kind in (("regular.total", "Regular budget", "regular"),
                                 ("extrabudgetary.total", "Extrabudgetary", "extrabudgetary"),
                                 ("posts.all.total", "Posts", "posts")):
            for stage in ("proposed", "estimate"):
                value = figs.get((ref, f"{year} {stage}"))
                if value is not None:
                    totals.append((f"{label}, {year} {stage}", format(value, ",f")))
                    keys.append(KeyTotal(kind, ref, f"{year} {stage}", value))
                    break
    errors = sum(1 for f in findings if f.severity == "error")
    return Summary(errors, len(findings) - errors, sum(1 for f in findings if f.blocking), totals, findings,
                   tuple(keys), figs)


def download(revision: Revision, lang: str, kind: str) -> Path:
    """The published file of a revision in one language and format, built once into
    FASCICLE_HOME/cache/<revision id>/<lang>-<kind>/ (a draft mark unless the revision was approved)."""
    from fascicle.render.publish import FORMATS, publish

    if kind not in FORMATS or lang not in LANGUAGES:
        raise ServiceError(f"no {kind} in {lang}")
    out = Path(settings.FASCICLE_HOME) / "cache" / str(revision.pk) / f"{lang}-{kind}"
    target = out / lang / f"fascicle.{kind}"
    if target.exists():
        return target
    if revision.dataset.shape != "seed":
        raise ServiceError("an imported document is published with `fascicle build` (DOCX) for now")
    section = loaded(revision)
    approved = revision.transitions.filter(action="approve").exists()
    draft = not approved or summary(revision).blocking > 0
    out.mkdir(parents=True, exist_ok=True)
    publish(section.budget, [lang], [kind], out, draft)
    return target


@dataclass(frozen=True)
class Comparison:
    """Two revisions of a section side by side: the figures that differ (compute.diff) and, part by part, the
    lines of the part texts that differ (a unified diff of the canonical YAML)."""

    old: Revision
    new: Revision
    figures: list[Any]
    texts: list[tuple[str, list[str]]]


def compare(old: Revision, new: Revision) -> Comparison:
    """The differences between two revisions of one dataset, figures and texts."""
    import difflib

    if old.dataset_id != new.dataset_id:
        raise ServiceError("the two revisions belong to different sections")
    before, after = texts_of(old), texts_of(new)
    texts: list[tuple[str, list[str]]] = []
    for name in part_files(old.dataset.shape):
        a, b = before.get(name, ""), after.get(name, "")
        if a != b:
            lines = list(difflib.unified_diff(a.splitlines(), b.splitlines(), f"r{old.pk}/{name}",
                                              f"r{new.pk}/{name}", n=1, lineterm=""))
            texts.append((name, lines[2:]))
    found: list[Any] = []
    if old.dataset.shape == "seed":
        from fascicle.compute.diff import figure_changes

        found = figure_changes(summary(old).figures or {}, summary(new).figures or {})
    return Comparison(old, new, found, texts)


# --- publishing: an approved revision made public -----------------------------------------------------------------


def publish(dataset: Dataset, user: Any) -> Publication:
    """Make the section's approved head public (fascicle.workflow: `publish`, an officer or a reviewer, approved
    only): PermissionDenied otherwise (a section not approved is refused, as every refusal). Publishing the same
    revision again returns its publication unchanged."""
    with transaction.atomic():
        locked = Dataset.objects.select_for_update().get(pk=dataset.pk)
        if locked.head is None:
            raise ServiceError(f"{locked.slug} has no revision yet")
        if not can(user, locked, "publish"):
            if locked.state != "approved":
                raise PermissionDenied(f"only an approved section is published; {locked.slug} is "
                                       f"{locked.state.replace('_', ' ')}")
            raise PermissionDenied("you may not publish this section")
        found = Publication.objects.filter(revision=locked.head).first()
        if found is not None:
            return found
        return Publication.objects.create(dataset=locked, revision=locked.head, actor=user)


def is_published(revision: Revision) -> bool:
    """Whether the revision was published: anyone may download it."""
    return Publication.objects.filter(revision=revision).exists()


# --- units and memberships: the administrator's -------------------------------------------------------------------


def may_manage(user: User, known: Roles | None = None) -> bool:
    """Whether the user may manage units and memberships (fascicle.workflow: `manage`, the admin role: a superuser,
    or an admin membership in any unit); `known`: their roles as the page read them."""
    if not user.is_authenticated:
        return False
    found = [Actor("admin")] if getattr(user, "is_superuser", False) else []
    held = [m.role for m in known.memberships] if known is not None else \
        Membership.objects.filter(user=user).values_list("role", flat=True)
    found += [Actor(role) for role in held]
    return any(allowed(a, "manage", "draft") for a in found)  # not a section's: any state


def add_membership(actor: User, member: Any, unit: Unit, role: str, language: str = "") -> Membership:
    """Give `member` `role` in `unit` (a translator's in `language`), recorded in the history as `actor`'s:
    PermissionDenied unless `actor` may manage; ServiceError for a role or language that does not fit, or a
    membership that exists already."""
    from fascicle.workflow import ROLES

    if not may_manage(actor):
        raise PermissionDenied("only an administrator manages memberships")
    if role not in ROLES:
        raise ServiceError(f"no role {role!r}: one of {', '.join(ROLES)}")
    if role == "translator" and language not in LANGUAGES:
        raise ServiceError(f"a translator needs a language: one of {', '.join(LANGUAGES)}")
    if role != "translator" and language:
        raise ServiceError("only a translator's membership names a language")
    with transaction.atomic():
        if Membership.objects.filter(user=member, unit=unit, role=role, language=language).exists():
            raise ServiceError(f"{member.get_username()} is already {role} in {unit.code}"
                               f"{' (' + language + ')' if language else ''}")
        row = Membership(user=member, unit=unit, role=role, language=language)
        row._history_user = actor
        row.save()
    return row


def remove_membership(actor: User, membership: Membership) -> None:
    """End a membership, recorded in the history as `actor`'s; PermissionDenied unless `actor` may manage."""
    if not may_manage(actor):
        raise PermissionDenied("only an administrator manages memberships")
    with transaction.atomic():
        membership._history_user = actor
        membership.delete()
