"""Login rate limiting (django-axes) for the places people type a password: the admin login form."""

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LoginRateLimitBackend(AxesStandaloneBackend):
    """Axes' lockout check for web logins; a call without a request (a shell, a management command)
    has no login form to brute-force, so it is passed on to the next backend instead of refused."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
