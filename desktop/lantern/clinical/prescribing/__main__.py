"""``python -m lantern.clinical.prescribing [DIR]``: check the formulary files; OK or every problem."""

from __future__ import annotations

import sys
from pathlib import Path

from lantern.clinical.prescribing.loader import formulary_dir, read_formulary


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0]) if args else formulary_dir()
    if not root.is_dir():
        print(f"FAILED: {root} is not a directory")
        return 1
    f = read_formulary(root)
    for p in f.problems:
        print(p)
    if f.problems:
        print(f"FAILED: {len(f.problems)} problem(s)")
        return 1
    for note in f.notes:
        print(f"note: {note}")
    missing = sorted(set(f.agreed) - set(f.drugs))
    print(f"OK {len(f.drugs)} drugs, {len(f.classes)} allergy classes, {len(f.interactions)} interactions")
    if missing:
        print(f"agreed, not yet written ({len(missing)}; ingredients included)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
