"""Source-code repository providers, chosen by SIMPATIK_REPO_PROVIDER.

create() either makes the whole repository with its team or raises and leaves nothing behind.
"""

from dataclasses import dataclass

from django.conf import settings


class ProvisioningError(Exception):
    """A provider refused or could not be reached; the message is for people."""


@dataclass
class Created:
    clone_url: str
    web_url: str = ""


@dataclass
class Commit:
    sha: str
    author: str
    message: str
    when: object


NAMES = ("local", "gitea", "gitlab")  # SIMPATIK_REPO_PROVIDER (checked at start-up)


def get_provider(name: str | None = None):
    from simpatik.provisioning.repos import gitea, gitlab, local

    name = name or settings.SIMPATIK_REPO_PROVIDER
    providers = {
        "local": local.LocalProvider,
        "gitea": gitea.GiteaProvider,
        "gitlab": gitlab.GitLabProvider,
    }
    if name not in providers:
        raise ProvisioningError(f"Penyedia repositori '{name}' tidak dikenal.")
    return providers[name]()
