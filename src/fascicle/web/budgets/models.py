"""A section's working copy as the core's own canonical YAML: revisions of content-addressed part texts, the
changes each made, the workflow's transitions and the comments. Written only by `service.py`.

No Django model copies the budget's own models (WEB.md, "Storage"): a revision is a mapping part name → text.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from fascicle.workflow import ACTIONS, STATES

CATEGORIES = ("technical", "new_mandate", "other", "translation", "correction", "import")


class Dataset(models.Model):
    """One section of one budget: its slug, its shape (the seed's, or an imported document's), its workflow
    state and its head revision."""

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=300)
    entity = models.CharField(max_length=40, help_text="the code of the entity's Unit (ITC)")
    shape = models.CharField(max_length=10, choices=[("seed", "seed"), ("general", "imported document")],
                             default="seed")
    read_only = models.BooleanField(default=False, help_text="held for reading: the edit API takes the seed shape")
    state = models.CharField(max_length=20, choices=[(s, s) for s in STATES], default="draft")
    head = models.ForeignKey("Revision", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return self.slug


class PartText(models.Model):
    """The text of one part file, stored once however many revisions hold it."""

    sha256 = models.CharField(max_length=64, primary_key=True)
    text = models.TextField()


class Revision(models.Model):
    """An immutable state of a section: its parts' texts, who made it, when, why and from which revision."""

    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="revisions")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="revisions")
    created = models.DateTimeField(auto_now_add=True)
    reason = models.TextField()
    category = models.CharField(max_length=20, choices=[(c, c) for c in CATEGORIES])

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.dataset.slug}@{self.pk}"


class RevisionPart(models.Model):
    """One part of a revision: its name (section, resources…) and its text."""

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="parts")
    name = models.CharField(max_length=40)
    text = models.ForeignKey(PartText, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["revision", "name"], name="one_text_per_part")]


class Change(models.Model):
    """A value a revision changed: part, path (as errors print it), the old and the new value as text."""

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="changes")
    part = models.CharField(max_length=40)
    path = models.TextField()
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["part", "revision"])]


class Transition(models.Model):
    """A workflow move: who moved which section from which state to which, at which revision, and why."""

    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="transitions")
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="transitions")
    action = models.CharField(max_length=20, choices=[(a, a) for a in ACTIONS])
    from_state = models.CharField(max_length=20)
    to_state = models.CharField(max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(blank=True)
    when = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class Comment(models.Model):
    """A comment on a section at a revision, anchored to a paragraph, table row or figure (part:path, or a block
    of the document), resolvable; a reply names the comment that opened its thread."""

    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="comments")
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="comments")
    anchor = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created = models.DateTimeField(auto_now_add=True)
    resolved = models.BooleanField(default=False)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies")
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]


class Translation(models.Model):
    """A confirmed translation: the hash of the source text (the section's original language) that the text at
    part:path in `language` was made from or confirmed against (fascicle.translation). One row per text and
    language, updated in place when it is confirmed again or saved by a translator."""

    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="translations")
    part = models.CharField(max_length=40)
    path = models.TextField(help_text="the field path without the language, as fascicle.translation prints it")
    language = models.CharField(max_length=2)
    source_sha256 = models.CharField(max_length=64)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dataset", "part", "path", "language"],
                                               name="one_translation_per_text")]


class Publication(models.Model):
    """A revision made public: who published which approved revision of a section, and when. Anyone, logged in
    or not, downloads a published revision (the public page `published/`). Once per revision."""

    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="publications")
    revision = models.OneToOneField(Revision, on_delete=models.PROTECT, related_name="publication")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    when = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.dataset.slug}@{self.revision_id} published"
