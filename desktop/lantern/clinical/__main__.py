"""Check the clinical data: ``python -m lantern.clinical`` validates the knowledge base
(resources/knowledge) and the language vocabularies that read notes against it, prints
every problem and exits 1 if there is one. It stands above both: the knowledge base does
not import the language layer."""

from __future__ import annotations

import sys

from lantern.clinical.knowledge import agreed_condition_names, read_knowledge
from lantern.clinical.language.vocabulary import validate_vocabulary


def main() -> int:
    kb = read_knowledge()
    problems = list(kb.problems) + validate_vocabulary()
    for p in problems:
        print(p)
    if problems:
        print(f"FAILED: {len(problems)} problem(s)")
        return 1
    missing = sorted(set(agreed_condition_names()) - set(kb.conditions))
    print(f"OK {len(kb.conditions)} conditions, {len(kb.findings)} findings, "
          f"{len(kb.rules)} triage rules, kb_version {kb.version}; language vocabularies valid")
    if missing:
        print(f"not written yet ({len(missing)}): {', '.join(missing)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
