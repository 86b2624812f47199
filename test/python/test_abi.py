"""ABI layout check (the package python/triton_autopipe/abi_check/).

(a) the real check passes for our build's probe object;
(b) a probe with a wrongly laid out mlir::IRMapping is reported as MISMATCH
    (non-zero exit, type and members named);
(c) compare() on hand-made records.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

try:
    from triton_autopipe import abi_check
except ImportError as e:  # the only allowed skip
    pytest.skip(f"triton_autopipe is not installed ({e})", allow_module_level=True)

from triton_autopipe.abi_check import Member, Problem, TypeRecord, compare

# abi_check/__init__.py -> the directory holding triton_autopipe/
PKG_PARENT = str(Path(abi_check.__file__).resolve().parents[2])


def _run_cli(*args, cache_dir):
    env = dict(os.environ)
    env["PYTHONPATH"] = PKG_PARENT + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, "-m", "triton_autopipe.abi_check", "--cache-dir", str(cache_dir), *args],
        capture_output=True, text=True, env=env, timeout=900)


# ---------------------------------------------------------------------------
# (a) the real check


def test_real_probe_matches_libtriton():
    probe = abi_check.default_probe_path()
    types = abi_check.default_types_path()
    assert probe.is_file(), (
        f"ABI probe {probe} is missing: the package is installed without its "
        f"_abi/abi_probe.o (build/install with CMake)")
    assert types.is_file(), f"type list {types} is missing"
    names = abi_check.read_types(types)
    # the minimum list must be covered
    for must in ("DenseMap", "SmallVector", "IRMapping", "OpBuilder", "OperationPass",
                 "PatternRewriter", "RewritePatternSet", "ModuleAllocation",
                 "CoarseSchedule", "ModuleMembarAnalysis", "NamedAttrList"):
        assert any(must in n for n in names), f"{must} missing from {types}"
    res = abi_check.check(abi_check.default_libtriton_path(), probe, types,
                          abi_check.default_cache_dir())
    table = abi_check.format_table(res)
    assert res.ok, table + "\n" + "\n".join(map(str, res.problems))
    assert set(res.ref) == set(names) and set(res.ours) == set(names)
    # sanity: the records carry real layouts (sizes FOUNDATION.md measured)
    assert res.ref["mlir::IRMapping"].size == 96
    assert res.ref["mlir::OperationPass<mlir::ModuleOp>"].size == 352
    assert res.ref["mlir::ModuleAllocation"].size == 168
    assert {m.name for m in res.ref["mlir::IRMapping"].members} >= {
        "valueMap", "blockMap", "operationMap"}
    # vtable slots were compared for polymorphic types
    assert res.ref["mlir::OperationPass<mlir::ModuleOp>"].vtable.get("canScheduleOn")


# ---------------------------------------------------------------------------
# (b) a mismatched type is caught

FAKE_IRMAPPING = r"""
namespace mlir {
class Value { void *impl; };
class IRMapping {
public:
  char valueMap[7];          // libtriton: DenseMap<Value, Value> at offset 0, 32 bytes
  int blockMap;              // libtriton: at offset 32, 32 bytes
  void *extra;               // not in libtriton
};
} // namespace mlir
mlir::IRMapping abi_fake_irmapping;
"""


@pytest.fixture(scope="module")
def fake_probe(tmp_path_factory):
    cxx = shutil.which("g++") or shutil.which("c++")
    assert cxx, "a C++ compiler is needed to build the mismatch probe"
    d = tmp_path_factory.mktemp("abi_fake")
    src = d / "fake.cpp"
    src.write_text(FAKE_IRMAPPING)
    obj = d / "fake.o"
    subprocess.run([cxx, "-std=c++20", "-g", "-gdwarf-4", "-fno-eliminate-unused-debug-types",
                    "-c", str(src), "-o", str(obj)], check=True)
    types = d / "types.txt"
    types.write_text("# one good type is enough\nmlir::IRMapping\n")
    return obj, types


def test_mismatched_type_fails_cli(fake_probe, tmp_path):
    obj, types = fake_probe
    r = _run_cli("--probe", str(obj), "--types", str(types), cache_dir=tmp_path / "cache")
    out = r.stdout + r.stderr
    assert r.returncode == 1, out
    assert "MISMATCH" in out
    assert "mlir::IRMapping" in out
    assert "size libtriton 96 vs ours 24" in out
    assert "'blockMap': offset: libtriton offset 32" in out
    assert "'operationMap': member missing in ours" in out
    assert "'extra': member only in ours" in out
    assert "Fix: build against LLVM/MLIR headers" in out


def test_missing_input_exits_2(tmp_path):
    r = _run_cli("--probe", str(tmp_path / "no-such-probe.o"), cache_dir=tmp_path / "cache")
    assert r.returncode == 2
    assert "abi_check: probe not found:" in r.stderr and "no-such-probe.o" in r.stderr


def test_mismatched_type_fails_api(fake_probe, tmp_path):
    obj, types = fake_probe
    res = abi_check.check(abi_check.default_libtriton_path(), obj, types, tmp_path / "c")
    assert not res.ok
    kinds = {(p.kind, p.member) for p in res.problems}
    assert ("size", "") in kinds
    assert ("member-size", "valueMap") in kinds            # 32 bytes vs 7
    assert ("member-offset", "blockMap") in kinds          # 32 vs 8
    assert ("member-missing", "operationMap") in kinds
    assert ("member-extra", "extra") in kinds


def test_missing_type_fails(fake_probe, tmp_path):
    obj, _ = fake_probe
    types = tmp_path / "types.txt"
    types.write_text("mlir::IRMapping\nmlir::NoSuchTypeForAbiTest\n")
    res = abi_check.check(abi_check.default_libtriton_path(), obj, types, tmp_path / "c")
    missing = [p for p in res.problems if p.type == "mlir::NoSuchTypeForAbiTest"]
    assert [p.kind for p in missing] == ["missing-ref"]


# ---------------------------------------------------------------------------
# (c) compare() on hand-made records


def _rec(size=16, members=None, vtable=None, name="ns::T"):
    if members is None:
        members = [Member("a", 0, 64, "long"), Member("b", 64, 32, "int")]
    return TypeRecord(name=name, dwarf_name=name, size=size, members=members,
                      vtable=vtable or {})


def test_compare_equal():
    assert compare(_rec(), _rec()) == []


def test_compare_size_differs():
    ps = compare(_rec(size=16), _rec(size=24))
    assert [(p.kind, p.ref, p.ours) for p in ps] == [("size", "16", "24")]
    assert "size libtriton 16 vs ours 24" in str(ps[0])


def test_compare_member_offset_differs():
    ours = _rec(members=[Member("a", 0, 64, "long"), Member("b", 96, 32, "int")])
    ps = compare(_rec(), ours)
    assert [(p.kind, p.member) for p in ps] == [("member-offset", "b")]
    assert "offset 8" in ps[0].ref and "offset 12" in ps[0].ours


def test_compare_member_size_differs():
    ours = _rec(members=[Member("a", 0, 64, "long"), Member("b", 64, 16, "short")])
    ps = compare(_rec(), ours)
    assert [(p.kind, p.member) for p in ps] == [("member-size", "b")]


def test_compare_member_missing_and_extra():
    ours = _rec(members=[Member("a", 0, 64, "long"), Member("c", 64, 32, "int")])
    ps = compare(_rec(), ours)
    assert sorted((p.kind, p.member) for p in ps) == [("member-extra", "c"),
                                                     ("member-missing", "b")]


def test_compare_unknown_member_size_is_not_a_difference():
    ours = _rec(members=[Member("a", 0, None, "Decl"), Member("b", 64, 32, "int")])
    assert compare(_rec(), ours) == []


def test_compare_bitfield():
    ref = _rec(members=[Member("f", 3, 2, "unsigned", bitfield=True)])
    ours = _rec(members=[Member("f", 4, 2, "unsigned", bitfield=True)])
    ps = compare(ref, ours)
    assert [(p.kind, p.member) for p in ps] == [("member-offset", "f")]
    assert "bit 3" in ps[0].ref and "bit 4" in ps[0].ours


def test_compare_vtable_slot_differs():
    ref = _rec(vtable={"getName": [2], "clonePass": [11]})
    ours = _rec(vtable={"getName": [2], "clonePass": [12]})
    ps = compare(ref, ours)
    assert [(p.kind, p.member, p.ref, p.ours) for p in ps] == [("vtable", "clonePass", "11", "12")]


def test_compare_missing_sides():
    assert [p.kind for p in compare(None, _rec(), "ns::T")] == ["missing-ref"]
    assert [p.kind for p in compare(_rec(), None, "ns::T")] == ["missing-ours"]
    assert isinstance(compare(None, None, "x")[0], Problem)


def test_record_json_roundtrip():
    r = _rec(vtable={"f": [3]})
    assert TypeRecord.from_json(r.to_json()) == r


# ---------------------------------------------------------------------------
# name matching between clang's and g++'s DWARF spellings


@pytest.mark.parametrize("ref,ours,ok", [
    ("llvm::SmallVector<mlir::Value, 4U>", "llvm::SmallVector<mlir::Value, 4>", True),
    ("llvm::SmallVector<long, 6U>", "llvm::SmallVector<long int, 6>", True),
    ("llvm::DenseMap<mlir::Value, mlir::Value>",
     "llvm::DenseMap<mlir::Value, mlir::Value, llvm::DenseMapInfo<mlir::Value, void>, "
     "llvm::detail::DenseMapPair<mlir::Value, mlir::Value> >", True),
    ("mlir::PassWrapper<(anonymous namespace)::X, mlir::OperationPass<mlir::ModuleOp> >",
     "mlir::PassWrapper<{anonymous}::X, mlir::OperationPass<mlir::ModuleOp>>", True),
    ("llvm::SmallVector<mlir::Value, 4U>", "llvm::SmallVector<mlir::Value, 6>", False),
    ("mlir::IRMapping", "llvm::IRMapping", False),
    ("llvm::DenseMap<mlir::Value, mlir::Value>", "llvm::DenseMap<mlir::Value, mlir::Type>", False),
])
def test_name_match(ref, ours, ok):
    t = abi_check.Target(ref)
    o = [abi_check.normalize_name(p) for p in abi_check.split_qualified(ours)]
    assert (abi_check.name_match(t.parts, o) is not None) == ok


def test_cache_key_depends_on_everything():
    k = abi_check.cache_key("buildid:ab", ["a", "b"])
    assert k != abi_check.cache_key("buildid:ac", ["a", "b"])
    assert k != abi_check.cache_key("buildid:ab", ["a"])
    assert abi_check.file_identity(abi_check.default_libtriton_path()).startswith("buildid:")
