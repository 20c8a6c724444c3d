"""The fit report: what page fitting did to a variant, written to out/<variant>.fit.json.

Kept apart from fit.py (and free of the content model) so that a no-op build can replay it cheaply.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from cvpress.errors import counted


@dataclass
class Report:
    variant: str
    budget: int
    pages: int = 0
    compiles: int = 0
    fitted: bool = False
    style: dict = field(default_factory=dict)
    dropped: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if not self.fitted:
            return "fits as designed"
        parts = [f"spacing {self.style['spacing']:g}, margin {self.style['margin']}, {self.style['font_size']}pt"]
        whole = [d for d in self.dropped if ".highlights[" not in d["path"]]  # work[i].positions[j], sections.x.entries[k]
        roles = sum(1 for d in whole if ".positions[" in d["path"])
        counts = [counted(n, noun) for n, noun in ((len(self.dropped) - len(whole), "highlight"), (roles, "role"),
                                                    (len(whole) - roles, "entry")) if n]
        if counts:  # a dropped role or entry is one here, whatever number of highlights went with it
            parts.append("dropped " + " and ".join(counts))
        return "fitted: " + "; ".join(parts) + f" ({self.compiles} compiles)"

    def text(self) -> str:
        return json.dumps(self.__dict__, indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def read(cls, path: Path) -> Report:
        return cls(**json.loads(path.read_text(encoding="utf-8")))
