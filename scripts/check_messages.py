"""Fail when a user-visible string has no Swedish translation (or a fuzzy one).

Runs ``makemessages -l sv`` (which adds any new string to the catalogue, untranslated) and
then reads the catalogue. The UI is Swedish by default, so an untranslated string is a bug.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "servicecenter"
CATALOGUE = PACKAGE / "locale" / "sv" / "LC_MESSAGES" / "django.po"


def main() -> int:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "servicecenter.web.settings.test"}
    django_admin = Path(sys.executable).parent / "django-admin"
    subprocess.run([str(django_admin), "makemessages", "-l", "sv", "--ignore=demo/*", "--no-obsolete", "-v", "0"], cwd=PACKAGE, env=env, check=True)
    catalogue = polib.pofile(str(CATALOGUE))
    bad = [entry for entry in catalogue if entry.msgid and (not entry.translated() or "fuzzy" in entry.flags)]
    for entry in bad:
        where = ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:2])
        print(f"untranslated: {entry.msgid!r} ({where})")
    if bad:
        print(f"{len(bad)} strings lack a Swedish translation in {CATALOGUE.relative_to(ROOT)}")
        return 1
    subprocess.run([str(django_admin), "compilemessages", "-v", "0"], cwd=PACKAGE, env=env, check=True)
    print(f"translations: all {len(catalogue)} strings have Swedish")
    return 0


if __name__ == "__main__":
    sys.exit(main())
