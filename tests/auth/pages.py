"""Just enough HTML reading for the auth tests: the standard library has no selector engine."""
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = field(default="")

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrs.get(name, default)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.elements.append(element)
        if tag not in VOID:
            self._open.append(element)

    def handle_endtag(self, tag):
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i].tag == tag:
                del self._open[i:]
                return

    def handle_data(self, data):
        for element in self._open:
            element.text += data


class Page:
    def __init__(self, html: str) -> None:
        parser = _Parser()
        parser.feed(html)
        self.elements = parser.elements

    def by_id(self, element_id: str) -> Element | None:
        return next((e for e in self.elements if e.get("id") == element_id), None)

    def control(self, name: str) -> Element:
        """The input, select or textarea a form submits as `name`."""
        return next(e for e in self.elements
                    if e.tag in ("input", "select", "textarea") and e.get("name") == name)

    def controls(self) -> list[Element]:
        return [e for e in self.elements if e.tag in ("input", "select", "textarea")
                and e.get("type") not in ("hidden", "submit")]

    def error_for(self, name: str) -> Element | None:
        """The error message tied to a control the way assistive technology reads it."""
        control = self.control(name)
        for ref in (control.get("aria-describedby") or "").split():
            target = self.by_id(ref)
            if target is not None and "error" in (target.get("class") or "").split():
                return target
        return None
