"""Print the Debian `Depends:` line for a PyInstaller folder.

Runs ``ldd`` on every ELF file of the folder (with the folder's own library
directories first, as the frozen app does at run time), keeps the libraries
that come from the system, and asks ``dpkg -S`` which package owns each.

    python packaging/linux/deb_depends.py build/package/dist/lantern
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

# Always needed, whatever ldd says (dlopened by Qt's xcb plugin or by fontconfig).
EXTRA = ["libxcb-cursor0", "libxkbcommon-x11-0", "libfontconfig1", "libegl1", "libgl1"]


def elf_files(root: Path) -> list[Path]:
    found = []
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as fh:
                if fh.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def system_libs(root: Path) -> set[str]:
    lib_dirs = sorted({str(p.parent) for p in root.rglob("*.so*")})
    env = dict(os.environ, LD_LIBRARY_PATH=os.pathsep.join(lib_dirs))
    libs: set[str] = set()
    for path in elf_files(root):
        out = subprocess.run(["ldd", str(path)], capture_output=True, text=True, env=env).stdout
        for match in re.finditer(r"=>\s+(/\S+)", out):
            lib = match.group(1)
            if not Path(lib).resolve().is_relative_to(root.resolve()):
                libs.add(lib)
    return libs


def owners(libs: set[str]) -> set[str]:
    packages = set()
    for lib in libs:
        candidates = {lib, os.path.realpath(lib)}
        candidates |= {c.replace("/usr/lib/", "/lib/", 1) for c in list(candidates)}
        candidates |= {c.replace("/lib/", "/usr/lib/", 1) for c in list(candidates)
                       if c.startswith("/lib/")}
        for candidate in candidates:
            res = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
            if res.returncode == 0:
                packages.add(res.stdout.split(":")[0].strip())
                break
    return packages


def main() -> int:
    root = Path(sys.argv[1])
    packages = owners(system_libs(root)) | set(EXTRA)
    glibc = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "libc6"],
                           capture_output=True, text=True).stdout.split("-")[0]
    packages.discard("libc6")
    deps = [f"libc6 (>= {glibc})" if glibc else "libc6"] + sorted(packages)
    print(", ".join(deps))
    return 0


if __name__ == "__main__":
    sys.exit(main())
