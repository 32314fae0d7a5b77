"""#13: views write through services; no app imports another app's private names."""

import re
from pathlib import Path

import servicecenter

ROOT = Path(servicecenter.__file__).parent
WRITES = re.compile(r"\.objects\.(create|update_or_create|get_or_create|bulk_create|bulk_update)\(|\.save\(|\.delete\(\)|\.objects\.filter\([^)]*\)\.(update|delete)\(")


def test_views_and_the_api_write_only_through_services():
    offenders = []
    for path in sorted(ROOT.glob("apps/*/views.py")) + sorted(ROOT.glob("apps/*/api.py")) + [ROOT / "web" / "views.py"]:
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if WRITES.search(line) and "last_used_at" not in line:
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


def test_no_app_imports_another_apps_private_names():
    pattern = re.compile(r"from servicecenter\.apps\.(\w+)[\w.]* import \(?([^)\n]*)")
    offenders = []
    for path in sorted(ROOT.glob("apps/*/**/*.py")):
        app = path.relative_to(ROOT / "apps").parts[0]
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            match = pattern.search(line)
            if match and match.group(1) != app and any(name.strip().startswith("_") for name in match.group(2).split(",")):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


def test_pages_and_the_api_check_permissions_in_one_way():
    """#13: ``Scope.require`` is the one permission check; no view or router checks a role on its
    own (``if not scope.can(...): raise``) or answers 403 itself."""
    own_check = re.compile(r"if not [\w.()]*\.can\(|HttpError\(403")
    offenders = []
    for path in sorted(ROOT.glob("apps/*/views.py")) + sorted(ROOT.glob("apps/*/api.py")) + sorted((ROOT / "web").glob("*.py")):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if own_check.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []
