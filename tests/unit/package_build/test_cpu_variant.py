"""Which llama.cpp build is loaded on which CPU (lantern.llm.cpu_variant)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lantern.llm import cpu_variant as cv

# /proc/cpuinfo of a 2011 laptop (Sandy Bridge: AVX but no AVX2/FMA), two cores.
SANDY_BRIDGE = """\
processor\t: 0
model name\t: Intel(R) Core(TM) i5-2520M CPU @ 2.50GHz
flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht syscall nx rdtscp lm constant_tsc pni pclmulqdq ssse3 cx16 sse4_1 sse4_2 popcnt aes xsave avx
processor\t: 1
model name\t: Intel(R) Core(TM) i5-2520M CPU @ 2.50GHz
flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht syscall nx rdtscp lm constant_tsc pni pclmulqdq ssse3 cx16 sse4_1 sse4_2 popcnt aes xsave avx
"""
# A Core 2 Duo: not even SSE4.2.
CORE2 = "processor : 0\nflags : fpu sse sse2 ssse3 sse4_1 lm\n"
HASWELL = ("processor\t: 0\nflags\t\t: fpu sse sse2 ssse3 sse4_1 sse4_2 popcnt avx f16c fma "
           "bmi1 bmi2 avx2 movbe\n")


def fake_tree(tmp_path: Path, variants=("baseline", "avx", "avx2")) -> Path:
    root = tmp_path / "llama_cpp_variants"
    for name in variants:
        (root / name).mkdir(parents=True)
        (root / name / "libllama.so").write_bytes(b"\x7fELF")
    return root


def test_parse_cpuinfo_keeps_only_flags_present_on_every_core():
    hybrid = HASWELL + "processor\t: 1\nflags\t\t: fpu sse sse2 avx\n"
    assert "avx2" not in cv.parse_cpuinfo_flags(hybrid)
    assert {"avx", "sse4_2"} <= cv.parse_cpuinfo_flags(SANDY_BRIDGE)
    assert cv.parse_cpuinfo_flags("no flags here") == frozenset()


TWO_BUILDS = ("baseline", "avx2")


@pytest.mark.parametrize(("cpuinfo", "expected"), [
    (SANDY_BRIDGE, "baseline"), (CORE2, "baseline"), (HASWELL, "avx2")])
def test_no_avx2_means_baseline_when_two_builds_ship(cpuinfo, expected):
    variant, reason = cv.choose_variant(cv.parse_cpuinfo_flags(cpuinfo), available=TWO_BUILDS)
    assert variant == expected
    if expected == "baseline":
        assert "lacks" in reason and "avx2" in reason


@pytest.mark.parametrize(("cpuinfo", "expected"), [
    (SANDY_BRIDGE, "avx"), (CORE2, "baseline"), (HASWELL, "avx2")])
def test_choice_with_all_three_builds(cpuinfo, expected):
    assert cv.choose_variant(cv.parse_cpuinfo_flags(cpuinfo))[0] == expected


def test_avx2_without_fma_is_not_enough():
    flags = cv.parse_cpuinfo_flags(HASWELL) - {"fma"}
    assert cv.choose_variant(flags, available=TWO_BUILDS)[0] == "baseline"
    assert cv.choose_variant(flags)[0] == "avx"


def test_unknown_features_fall_back_to_baseline():
    assert cv.choose_variant(None)[0] == "baseline"


def test_forcing_wins_and_bad_values_are_ignored():
    haswell = cv.parse_cpuinfo_flags(HASWELL)
    assert cv.choose_variant(haswell, forced="baseline") == (
        "baseline", "forced by LANTERN_CPU_VARIANT=baseline")
    assert cv.choose_variant(cv.parse_cpuinfo_flags(CORE2), forced="AVX2 ")[0] == "avx2"
    assert cv.choose_variant(haswell, forced="avx512")[0] == "avx2"


def test_only_present_builds_are_chosen():
    haswell = cv.parse_cpuinfo_flags(HASWELL)
    assert cv.choose_variant(haswell, available=["baseline"])[0] == "baseline"
    assert cv.choose_variant(None, available=["avx2"])[0] == "avx2"
    with pytest.raises(ValueError):
        cv.choose_variant(haswell, available=[])


def test_configure_no_avx2_points_llama_cpp_at_baseline(tmp_path):
    root = fake_tree(tmp_path, variants=TWO_BUILDS)
    env = {cv.ENV_ROOT: str(root)}
    chosen = cv.configure(env, flags_reader=lambda: cv.parse_cpuinfo_flags(SANDY_BRIDGE))
    assert chosen is not None and chosen.variant == "baseline"
    assert env[cv.LIB_ENV] == str(root / "baseline")
    assert env[cv.MTMD_ENV] == str(root / "baseline")
    assert env[cv.ENV_SELECTED] == "baseline"


def test_configure_avx2_cpu_and_forced_baseline(tmp_path):
    root = fake_tree(tmp_path)
    env = {cv.ENV_ROOT: str(root)}
    haswell = lambda: cv.parse_cpuinfo_flags(HASWELL)  # noqa: E731
    assert cv.configure(env, flags_reader=haswell).variant == "avx2"
    env = {cv.ENV_ROOT: str(root), cv.ENV_FORCE: "baseline"}
    assert cv.configure(env, flags_reader=haswell).variant == "baseline"
    assert env[cv.LIB_ENV].endswith("baseline")


def test_configure_skips_a_variant_whose_libraries_are_missing(tmp_path):
    root = fake_tree(tmp_path, variants=("baseline",))
    (root / "avx2").mkdir()   # empty folders: a broken install
    (root / "avx").mkdir()
    env = {cv.ENV_ROOT: str(root)}
    assert cv.configure(env, flags_reader=lambda: cv.parse_cpuinfo_flags(HASWELL)).variant == "baseline"


def test_configure_respects_user_path_and_parent_choice(tmp_path):
    env = {cv.LIB_ENV: "/opt/my-llama", cv.ENV_ROOT: str(fake_tree(tmp_path))}
    chosen = cv.configure(env, flags_reader=lambda: None)
    assert chosen.variant == "external" and env[cv.LIB_ENV] == "/opt/my-llama"
    child = {cv.LIB_ENV: "/x/baseline", cv.ENV_SELECTED: "baseline"}
    assert cv.configure(child, flags_reader=lambda: None).variant == "baseline"


def test_configure_is_a_no_op_in_a_source_checkout(tmp_path, monkeypatch):
    monkeypatch.delattr("sys._MEIPASS", raising=False)
    env: dict[str, str] = {}
    assert cv.configure(env, flags_reader=lambda: None) is None
    assert env == {}
    env = {cv.ENV_ROOT: str(tmp_path / "missing")}
    assert cv.configure(env, flags_reader=lambda: None) is None


def test_frozen_app_looks_inside_its_bundle(tmp_path, monkeypatch):
    fake_tree(tmp_path)
    monkeypatch.setattr("sys._MEIPASS", str(tmp_path), raising=False)
    env: dict[str, str] = {}
    chosen = cv.configure(env, flags_reader=lambda: cv.parse_cpuinfo_flags(CORE2))
    assert chosen.lib_dir == tmp_path / "llama_cpp_variants" / "baseline"


def test_macos_sysctl_parsing():
    text = ("machdep.cpu.features: FPU VME SSE SSE2 SSE3 SSSE3 SSE4.1 SSE4.2 AVX1.0 F16C FMA\n"
            "machdep.cpu.leaf7_features: SMEP BMI1 AVX2 BMI2 ERMS\n")
    flags = cv.parse_macos_sysctl(text)
    assert cv.choose_variant(flags)[0] == "avx2"
    old = cv.parse_macos_sysctl("machdep.cpu.features: SSE4.2 AVX1.0\nmachdep.cpu.leaf7_features:\n")
    assert cv.choose_variant(old)[0] == "avx"
    assert cv.choose_variant(old, available=TWO_BUILDS)[0] == "baseline"


def test_configure_sandy_bridge_gets_the_avx_build(tmp_path):
    root = fake_tree(tmp_path)
    env = {cv.ENV_ROOT: str(root)}
    chosen = cv.configure(env, flags_reader=lambda: cv.parse_cpuinfo_flags(SANDY_BRIDGE))
    assert chosen.variant == "avx" and env[cv.LIB_ENV] == str(root / "avx")
    assert "avx2" in chosen.reason
