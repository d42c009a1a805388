"""Rules of the code base that keep access decided in one place (issue 14).

- No SOP role key is written as a literal in Python or templates outside the tests: what a role
  may do is the SOP file's, read through simpatik.accounts.permissions.
- No module imports another app's private (underscore) names, and the API does not import from
  web views.
"""

import ast
import io
import re
import tokenize
from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]  # the simpatik package


def _role_keys() -> set[str]:
    keys = set()
    for path in Path(settings.SIMPATIK_SOP_DEFINITION).parent.glob("*.yaml"):
        # Other files beside the SOP (the SPBE mapping) declare no roles.
        keys |= {role["key"] for role in yaml.safe_load(path.read_text()).get("roles") or ()}
    return keys


def _is_test_code(path: Path) -> bool:
    parts = path.relative_to(ROOT).parts
    return (
        "tests" in parts
        or "tests_browser" in parts
        or "testing" in parts
        or "migrations" in parts
        or path.name == "conftest.py"
    )


# The inventory's developer field is named `pengembang` (Internal Diskominfo / OPD / pihak
# ketiga): a column of the application, not the SOP role of the same word.
NOT_A_ROLE = {("inventory", "pengembang")}


def _literal_offences(path: Path, keys: set[str]) -> list[str]:
    app = path.relative_to(ROOT).parts[0]
    found = []
    source = path.read_text()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type != tokenize.STRING:
            continue
        try:
            value = ast.literal_eval(token.string)
        except (ValueError, SyntaxError):
            continue  # f-strings and the like
        if isinstance(value, str) and value in keys and (app, value) not in NOT_A_ROLE:
            found.append(f"{path.relative_to(ROOT)}:{token.start[0]}: {value!r}")
    return found


def test_no_role_key_literal_in_python_or_templates():
    keys = _role_keys()
    assert keys, "the SOP files name no roles"
    offences = []
    for path in ROOT.rglob("*.py"):
        if not _is_test_code(path):
            offences += _literal_offences(path, keys)
    alternatives = "|".join(map(re.escape, sorted(keys)))
    quoted = re.compile(rf"""["']({alternatives})["']""")
    for path in ROOT.rglob("*.html"):
        if _is_test_code(path):
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            for match in quoted.finditer(line):
                offences.append(f"{path.relative_to(ROOT)}:{number}: {match.group(0)}")
    assert offences == [], "role keys belong to the SOP file:\n" + "\n".join(offences)


def test_the_literal_scan_catches_a_role_key(tmp_path):
    keys = _role_keys()
    key = sorted(keys)[0]
    module = ROOT / "projects" / "_probe_for_scan.py"
    module.write_text(f'ALLOWED = {{"{key}"}}\n')
    try:
        assert _literal_offences(module, keys) == [f"projects/_probe_for_scan.py:1: {key!r}"]
    finally:
        module.unlink()


def _imports(path: Path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module, [alias.name for alias in node.names]


def test_no_private_names_across_apps_and_no_api_from_views():
    offences = []
    for path in ROOT.rglob("*.py"):
        if _is_test_code(path):
            continue
        relative = path.relative_to(ROOT)
        app = relative.parts[0] if len(relative.parts) > 1 else None
        for line, module, names in _imports(path):
            parts = module.split(".")
            if parts[0] != "simpatik" or len(parts) < 2:
                continue
            other = parts[1]
            private_module = any(part.startswith("_") and part != "__init__" for part in parts)
            private_names = [name for name in names if name.startswith("_")]
            if other != app and (private_module or private_names):
                offences.append(f"{relative}:{line}: from {module} import {', '.join(names)}")
            if "api" in relative.parts and parts[-1] == "views" and "api" not in parts:
                offences.append(f"{relative}:{line}: the API imports web views ({module})")
    assert offences == [], "\n".join(offences)
