"""Cheap consistency checks of packaging/ (the real build is `make package`)."""

from __future__ import annotations

import ast
import configparser
import importlib.util
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from lantern.llm import cpu_variant

PACKAGING = Path(__file__).resolve().parents[3] / "packaging"


def load_entry():
    spec = importlib.util.spec_from_file_location("lantern_entry", PACKAGING / "lantern_entry.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("argv", "program", "role"), [
    ([], "/opt/lantern/lantern", "gui"),
    (["gui", "--lang", "zh_CN"], "lantern", "gui"),
    (["--data-dir", "/x"], "/usr/bin/lantern-gui", "gui"),
    (["--self-test"], "lantern", "cli"),
    (["diagnose", "--json"], "lantern", "cli"),
    (["--version"], "lantern", "cli"),
    (["--lantern-llm-host"], "lantern-gui.exe", "host"),
])
def test_frozen_entry_roles(argv, program, role):
    assert load_entry()._role(argv, program) == role


def test_entry_host_flag_matches_the_client():
    from lantern.llm import client

    source = Path(client.__file__).read_text(encoding="utf-8")
    assert f'"{load_entry().HOST_FLAG}"' in source


def test_every_variant_built_is_one_cpu_variant_knows():
    script = (PACKAGING / "build_llama_variants.sh").read_text(encoding="utf-8")
    built = set(re.findall(r"^\s+(\w+)\)\n\s+VARGS=", script, flags=re.M))
    assert built == set(cpu_variant.VARIANT_NAMES)
    linux = (PACKAGING / "build_linux.sh").read_text(encoding="utf-8")
    default = re.search(r'LLAMA_VARIANTS:-([a-z0-9 ]+)\}', linux).group(1).split()
    assert set(default) == set(cpu_variant.VARIANT_NAMES)


def test_spec_uses_the_folder_cpu_variant_looks_in():
    spec = (PACKAGING / "lantern.spec").read_text(encoding="utf-8")
    ast.parse(spec)
    assert f'FROZEN_VARIANTS = "{cpu_variant.FROZEN_SUBDIR}"' in spec


def test_desktop_entry():
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(PACKAGING / "linux" / "lantern.desktop", encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application" and entry["Icon"] == "lantern"
    assert entry["Exec"].split()[:2] == ["lantern", "gui"]
    assert entry["Terminal"] == "false"
    assert (PACKAGING / "linux" / "lantern-256.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(("shell", "script"), [
    ("bash", "build_llama_variants.sh"), ("bash", "build_linux.sh"),
    ("bash", "check_no_avx2.sh"), ("bash", "selftest_frozen.sh"),
    ("sh", "linux/install.sh"), ("bash", "macos/build_macos.sh"),
])
def test_scripts_parse(shell, script):
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} not available")
    subprocess.run([shell, "-n", str(PACKAGING / script)], check=True)
