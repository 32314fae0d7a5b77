"""A background job as the person who started it sees it: what it does, how far it got, and
where its result is. The queue itself is django-tasks' (``django_tasks_db``); this row is ours,
so a job keeps its meaning whatever backend runs it."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    ACTIVE = (State.QUEUED, State.RUNNING)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=60)
    # Two clicks, two tabs or two servers asking for the same work get the same job: at most one
    # active job per key (a partial unique index, on SQLite and PostgreSQL alike).
    key = models.CharField(_("key"), max_length=200)
    label = models.CharField(_("what it does"), max_length=300)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs")
    provider = models.ForeignKey("registry.Provider", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=10, default="sv")
    params = models.JSONField(default=dict)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    worker = models.CharField(max_length=200, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # the last progress written when the job ended (while it runs, progress lives in a file)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    text = models.CharField(max_length=300, blank=True)
    # the outcome: a page to go to, a file to fetch, messages to show, or the reason it failed
    result_url = models.CharField(max_length=500, blank=True)
    result_file = models.CharField(max_length=500, blank=True)
    result_name = models.CharField(max_length=200, blank=True)
    result_type = models.CharField(max_length=120, blank=True)
    result = models.JSONField(default=dict, blank=True)
    messages = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    back_url = models.CharField(max_length=500, blank=True)
    seen = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        constraints = [models.UniqueConstraint(fields=["key"], condition=Q(state__in=["queued", "running"]), name="jobs_one_active_per_key")]
        indexes = [models.Index(fields=["user", "seen", "state"], name="jobs_user_seen")]

    def __str__(self) -> str:
        return self.label

    @property
    def active(self) -> bool:
        return self.state in self.ACTIVE

    @property
    def finished(self) -> bool:
        return not self.active
