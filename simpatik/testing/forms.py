"""What a browser would submit from a rendered form, for tests that post a page back as it was
shown."""

import re
from html.parser import HTMLParser

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class BrowserForm(HTMLParser):
    """The values of a page's form fields as a browser submits them, and the text of each
    field's error slot (`slots`, by the slot's id).

    As a browser does: an unticked checkbox or radio sends nothing, a ticked one without a value
    sends "on"; a date field whose value is not ISO (yyyy-mm-dd) shows empty and sends ""; a
    file field sends nothing here."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str] = {}
        self.slots: dict[str, str] = {}
        self._textarea = self._select = self._slot = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        kind = attrs.get("type")
        if tag == "input" and attrs.get("name") and kind != "file":
            value = attrs.get("value") or ""
            if kind in ("checkbox", "radio"):
                if "checked" not in attrs:
                    return
                value = attrs.get("value") or "on"
            if kind == "date" and not _ISO_DATE.fullmatch(value):
                value = ""
            self.values[attrs["name"]] = value
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.values[self._textarea] = ""
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select] = attrs["value"]
        elif tag == "span" and "field-error" in (attrs.get("class") or ""):
            self._slot = attrs["id"]
            self.slots[self._slot] = ""

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "span":
            self._slot = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data
        if self._slot:
            self.slots[self._slot] += data


def browser_form(response) -> BrowserForm:
    form = BrowserForm()
    form.feed(response.content.decode())
    return form
