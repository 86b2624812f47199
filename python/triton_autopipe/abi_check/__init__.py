"""ABI layout check: our build's view of shared LLVM/MLIR/Triton types vs libtriton.so.

The plugin is compiled against substitute LLVM/MLIR headers (Debian's 23.1.x), while
libtriton.so carries LLVM/MLIR built from llvm-project ``b010a18d``. Linking with
``--no-undefined`` catches API drift; this check catches silent *layout* drift: for every
type named in ``abi/types.txt`` it reads, from libtriton.so's DWARF (clang) and from our
probe object ``abi_probe.o`` (g++), the byte size, every data member and base class with
its offset and size, and the vtable slot of every virtual method, and reports every
difference. The build runs it (a mismatch fails the build); users re-check an installed
copy with ``python -m triton_autopipe.abi_check``.

Modules: :mod:`.model` (type names, layout records, comparison), :mod:`.dwarf` (the DWARF
reader), :mod:`.index` (finding the types fast, the cache), :mod:`.cli` (the check and its
command line). Nothing here is imported by the runtime package.

Example::

    from triton_autopipe import abi_check
    res = abi_check.check(abi_check.default_libtriton_path(), abi_check.default_probe_path(),
                          abi_check.default_types_path(), abi_check.default_cache_dir())
    print(abi_check.format_table(res)); assert res.ok
"""

from .cli import (
    Result,
    check,
    default_cache_dir,
    default_libtriton_path,
    default_probe_path,
    default_types_path,
    format_table,
    main,
    read_types,
)
from .index import (
    CHECKER_VERSION,
    cache_key,
    file_identity,
    gnu_build_id,
    index_cached,
    index_types,
)
from .model import (
    Member,
    Problem,
    Target,
    TypeRecord,
    compare,
    name_match,
    normalize_name,
    split_qualified,
)

__all__ = [
    "CHECKER_VERSION", "Member", "Problem", "Result", "Target", "TypeRecord", "cache_key", "check", "compare",
    "default_cache_dir", "default_libtriton_path", "default_probe_path", "default_types_path", "file_identity",
    "format_table", "gnu_build_id", "index_cached", "index_types", "main", "name_match", "normalize_name",
    "read_types", "split_qualified",
]
