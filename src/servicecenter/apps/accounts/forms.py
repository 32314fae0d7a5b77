"""The login form, bounded: Django's AuthenticationForm sets the user name's max_length but adds
no validator, so a 10,000-character name reached authentication and login throttling (which
stores it: PostgreSQL refused it). Here the length is checked before anything authenticates."""

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = self.fields["username"].max_length or 150
        self.fields["username"].validators.append(MaxLengthValidator(limit))
        self.fields["password"].validators.append(MaxLengthValidator(4096))
