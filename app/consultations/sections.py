"""A draft's numbered sections, from the Markdown staff write: the text before the first
level-2 heading is the introduction, and each line starting with `## ` begins the next section,
numbered from 1, its heading the section's title. Headings inside fenced code do not count."""
from dataclasses import dataclass, field


@dataclass
class Section:
    number: int
    title: str
    body: str


@dataclass
class Draft:
    introduction: str
    sections: list[Section] = field(default_factory=list)

    def section(self, number: int | None) -> Section | None:
        return next((s for s in self.sections if s.number == number), None)


def split(markdown: str) -> Draft:
    introduction: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    fenced = False
    for line in (markdown or "").splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        if not fenced and line.startswith("## "):
            sections.append((line[3:].strip().rstrip("#").strip(), []))
        elif sections:
            sections[-1][1].append(line)
        else:
            introduction.append(line)
    return Draft("\n".join(introduction).strip(),
                 [Section(number, title, "\n".join(lines).strip())
                  for number, (title, lines) in enumerate(sections, start=1)])


def count(markdown: str) -> int:
    return len(split(markdown).sections)
