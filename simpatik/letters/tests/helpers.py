import io
import re

from pypdf import PdfReader

from simpatik.letters.models import Letter
from simpatik.testing.walker import complete_current

# What must never reach an official document: keys, reprs, empty values.
RAW = re.compile(r"None|\{|\}|\[|\]|\b[a-z]+_[a-z_]+\b")
FILE_NAME = re.compile(r"\S+\.(pdf|png)\b")


def raw_tokens(text: str) -> list[str]:
    """Keys and reprs in a document's text (file names, which may hold keys, left aside)."""
    return RAW.findall(FILE_NAME.sub(" ", text))


def complete_with_letters(project, users, **kwargs) -> list[Letter]:
    """Complete the open step (as the walker does) and return the letters that completion made."""
    run = complete_current(project, users, **kwargs)
    return list(Letter.objects.filter(step_run=run).order_by("id"))


def pdf_bytes(letter) -> bytes:
    with letter.open() as handle:
        return handle.read()


def text_of(letter_or_bytes) -> str:
    data = letter_or_bytes if isinstance(letter_or_bytes, bytes) else pdf_bytes(letter_or_bytes)
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())
