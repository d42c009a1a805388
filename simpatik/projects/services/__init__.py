"""Every change to needs, projects and steps goes through these functions (web, API and CLI)."""

from simpatik.projects.services import documents, engine, needs
from simpatik.projects.services.documents import upload_document
from simpatik.projects.services.engine import (
    claim_step,
    complete_step,
    reassign_step,
    resume_project,
    start_project,
)
from simpatik.projects.services.needs import reject_need, submit_need

__all__ = [
    "documents",
    "engine",
    "needs",
    "claim_step",
    "complete_step",
    "reassign_step",
    "reject_need",
    "resume_project",
    "start_project",
    "submit_need",
    "upload_document",
]
