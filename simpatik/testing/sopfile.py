"""What the seed SOP file says, read from the file itself: the oracle of permission tests.

Tests compare the code's decisions against this, never against simpatik.accounts.permissions
(that would test the code against itself); a revised file moves the expectations with it.
"""

import yaml
from django.conf import settings

DATA = yaml.safe_load(settings.SIMPATIK_SOP_DEFINITION.read_text())
ROLES = [role["key"] for role in DATA["roles"]]
GRANTED = {role["key"]: frozenset(role.get("kewenangan") or ()) for role in DATA["roles"]}
FIRST_STEP_ROLE = DATA["steps"][0]["role"]
# A second SOP for tests only, with a role scoped to the requesting OPD (`lingkup: opd`).
SECOND_SOP = settings.REPO_DIR / "simpatik" / "sop" / "tests" / "data" / "sop-uji-opd.yaml"


def holders(capability: str) -> frozenset[str]:
    """The role keys the file grants `capability`."""
    return frozenset(role for role, granted in GRANTED.items() if capability in granted)


# The draft "Pengembangan Aplikasi oleh OPD" (issue 12 §2), shipped in sop/ and loaded by make demo.
OPD_SOP = settings.REPO_DIR / "sop" / "pengembangan-aplikasi-oleh-opd.yaml"
