"""Production: no debug pages, a secret key that is never the public development key, Secure
cookies unless told the site is plain HTTP on this machine (``SERVICECENTER_HTTPS=0``, the demo).

The secret key comes from ``SERVICECENTER_SECRET_KEY``, or is generated on first start and
kept in ``var/secret_key`` (readable by the owner only), so sessions survive a restart.
HTTPS itself (redirects, HSTS) is the reverse proxy's work; ``SERVICECENTER_HSTS_SECONDS``
turns on Django's HSTS header where no proxy sets it.
"""

import os
import secrets
from pathlib import Path

from servicecenter.web.settings.base import *  # noqa: F401,F403
from servicecenter.web.settings.base import VAR_DIR


def _secret_key(var_dir: Path) -> str:
    given = os.environ.get("SERVICECENTER_SECRET_KEY", "").strip()
    if given:
        return given
    path = var_dir / "secret_key"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key(VAR_DIR)
DEBUG = False
SESSION_COOKIE_SECURE = os.environ.get("SERVICECENTER_HTTPS", "1") == "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if SESSION_COOKIE_SECURE:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SERVICECENTER_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
