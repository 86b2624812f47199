"""``benchmarks/fla_chunk.py``'s per-mode autotune caches (CPU: the GPU part cannot run here, so the bookkeeping it
relies on is checked on stand-in tuners; session 13's device call lost every fla case to a KeyError in it)."""
from __future__ import annotations

from types import SimpleNamespace

from benchmarks.fla_chunk import ModeCaches


def _modes(n: int = 2) -> ModeCaches:
    modes = ModeCaches()
    modes.tuners = [SimpleNamespace(cache={}) for _ in range(n)]
    return modes


def test_each_mode_has_its_own_cache():
    modes = _modes()
    modes.activate("triton")
    modes.tuners[0].cache["key"] = "triton's config"
    modes.activate("ours")
    assert modes.tuners[0].cache == {}
    modes.tuners[0].cache["key"] = "our config"
    modes.activate("triton")
    assert modes.tuners[0].cache == {"key": "triton's config"}
    assert modes.tuners[1].cache == {}


def test_a_mode_seen_first_starts_empty():
    modes = _modes()
    modes.activate("buffers=triton")  # never created beforehand: no KeyError
    assert all(t.cache == {} for t in modes.tuners)


def test_shared_mode_sees_the_tuned_configs():
    modes = _modes()
    modes.activate("ours")
    modes.tuners[1].cache["key"] = "our config"
    modes.share("ours-scope", "ours")
    modes.activate("triton")
    modes.activate("ours-scope")
    assert modes.tuners[1].cache == {"key": "our config"}
    modes.tuners[1].cache["other"] = "tuned under the scope"
    modes.activate("ours")
    assert modes.tuners[1].cache["other"] == "tuned under the scope"
