"""The benchmark entry point and the device script (CPU only).

``python -m benchmarks --help`` and every subcommand's ``--help`` exit 0 and
keep the subcommand's own options; no or an unknown subcommand exits 2 with
argparse's message; ``benchmarks/device.sh --help`` lists exactly the profiles
the script defines, and an unknown profile exits 2 before any set-up.
"""
from __future__ import annotations

import doctest
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEVICE_SH = ROOT / "benchmarks" / "device.sh"

from benchmarks import __main__ as cli  # noqa: E402  (conftest puts ROOT on sys.path)

# Options each subcommand had before the single entry point (kept).
OPTIONS = {
    "gemm": ["--quick", "--rounds", "--autopipe-variant", "--kernels", "--sizes", "--dtypes", "--unaligned"],
    "attention": ["--quick", "--rounds", "--kernels", "--configs", "--head-dims", "--tune"],
    "all": ["--quick", "--out", "--rep-ms", "--no-autopipe"],
    "compile-time": ["--targets", "--repeat", "--out", "--no-autopipe", "--autopipe-variant"],
    "sweep": ["--autopipe", "--kernels", "--full-only", "--rounds", "--rep-ms", "--out"],
    "racecheck": ["--schedule", "--expand", "--buffers", "--s2r", "--barriers"],
    "plot": ["json"],
    "barriers": ["--out", "--only", "--targets", "--link-counters"],
}


def _main(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        cli.main(argv)
    out, err = capsys.readouterr()
    return int(exc.value.code or 0), out, err


def test_every_command_is_tested() -> None:
    assert set(OPTIONS) == set(cli.COMMANDS)


def test_top_level_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _main(["--help"], capsys)
    assert code == 0
    for name in cli.COMMANDS:
        assert re.search(rf"^\s+{re.escape(name)}\b", out, re.M), f"{name} missing from --help:\n{out}"


@pytest.mark.parametrize("command", sorted(OPTIONS))
def test_subcommand_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _main([command, "--help"], capsys)
    assert code == 0
    assert out.startswith(f"usage: python -m benchmarks {command}")
    for option in OPTIONS[command]:
        assert option in out, f"{command} --help lost {option}:\n{out}"


@pytest.mark.parametrize("argv, message", [
    ([], "the following arguments are required: COMMAND"),
    (["gemmm"], "invalid choice: 'gemmm'"),
    (["gemm", "--no-such-option"], "unrecognized arguments: --no-such-option"),
    (["sweep", "conv"], "invalid choice: 'conv'"),
])
def test_usage_errors_exit_2(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _main(argv, capsys)
    assert code == 2
    assert message in err and err.startswith("usage: python -m benchmarks")


def test_module_entry_point() -> None:
    """The real ``python -m benchmarks`` (not only main()): help 0, unknown command 2."""
    ok = subprocess.run([sys.executable, "-m", "benchmarks", "--help"], cwd=ROOT, capture_output=True, text=True)
    assert ok.returncode == 0 and "compile-time" in ok.stdout, ok.stderr
    bad = subprocess.run([sys.executable, "-m", "benchmarks", "nope"], cwd=ROOT, capture_output=True, text=True)
    assert bad.returncode == 2 and "invalid choice: 'nope'" in bad.stderr


def test_cli_docstring_examples() -> None:
    result = doctest.testmod(cli)
    assert result.attempted > 0 and result.failed == 0, result


def _device(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(DEVICE_SH), *args], cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_device_script_help_lists_its_profiles() -> None:
    res = _device("--help")
    assert res.returncode == 0, res.stderr
    listed = set(re.findall(r"^  ([a-z0-9]+)\s{2,}", res.stdout, re.M))
    defined = set(re.findall(r"^profile_([a-z0-9]+)\(\)", DEVICE_SH.read_text(), re.M))
    assert listed == defined, f"--help lists {sorted(listed)}, the script defines {sorted(defined)}"
    # the profiles the eight device_*.sh scripts used to be
    assert {"env", "tests", "quick", "full", "bar", "schedules", "s2r", "racecheck", "final"} <= defined


@pytest.mark.parametrize("args, message", [((), "usage:"), (("tests", "nope"), "unknown profile 'nope'")])
def test_device_script_usage_errors(args: tuple[str, ...], message: str, tmp_path: Path) -> None:
    res = subprocess.run(["bash", str(DEVICE_SH), *args], cwd=ROOT, capture_output=True, text=True, timeout=60,
                         env={"PATH": "/usr/bin:/bin", "OUT": str(tmp_path / "out")})
    assert res.returncode == 2 and message in res.stderr
    assert not (tmp_path / "out").exists(), "a usage error must stop before the set-up"


def test_no_other_device_scripts() -> None:
    assert sorted(p.name for p in (ROOT / "benchmarks").glob("device*.sh")) == ["device.sh"]
