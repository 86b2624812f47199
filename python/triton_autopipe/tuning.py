"""Autotuning the pipeline: ``@auto_pipeline(configs=[PipelineConfig(...), ...], key=[...])``.

Per key (the values of the arguments named in ``key`` and the dtypes of the tensor arguments, as
``triton.autotune`` forms it), every pipeline config is timed with ``triton.testing.do_bench`` on the launch's
own arguments, the fastest is kept and reported, and the choice is written to disk (under Triton's cache
directory, per kernel source, configs, plugin build and GPU) so a second process reuses it without timing.
Under it, a ``@triton.autotune`` over block sizes keeps one cache per pipeline config, so each pipeline is
timed with its own best block config. ::

    @auto_pipeline(configs=[PipelineConfig(global_to_shared_stages=s) for s in (2, 3, 4)], key=["K"])
    @triton.autotune(configs=[...], key=["M", "N", "K"])
    @triton.jit
    def matmul_kernel(...): ...
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any, Callable, Optional

from triton.runtime.jit import KernelInterface

#: Timer of one config (``triton.testing.do_bench``'s signature); tests replace it.
bench: Optional[Callable[..., float]] = None


def _do_bench(fn: Callable[[], Any], warmup: int, rep: int) -> float:
    if bench is not None:
        return bench(fn, warmup=warmup, rep=rep)
    from triton.testing import do_bench

    return do_bench(fn, warmup=warmup, rep=rep)


class PipelineTuner(KernelInterface):
    """A kernel whose launches use the fastest of ``configs`` for their key (see the module)."""

    def __init__(self, fn: Any, configs: list[Any], key: list[str], base: dict[str, Any], warmup: int = 25,
                 rep: int = 100, cache_dir: Optional[Path] = None):
        from .config import PipelineConfig

        if not configs or not all(isinstance(c, PipelineConfig) for c in configs):
            raise TypeError(f"triton-autopipe: auto_pipeline(configs=...) takes a non-empty list of "
                            f"PipelineConfig, got {configs!r}")
        if any(c.warp_spec is not None for c in configs):
            raise ValueError("triton-autopipe: PipelineConfig.warp_spec: warp specialization is not available "
                             "yet in triton-autopipe (issue #19)")
        if not isinstance(key, (list, tuple)) or not all(isinstance(k, str) for k in key):
            raise TypeError(f"triton-autopipe: auto_pipeline(key=...) takes argument names, got {key!r}")
        self.fn = fn
        self.configs = list(configs)
        self.keys = list(key)
        self.base = base
        self.bench_warmup, self.bench_rep = warmup, rep  # do_bench (ms)
        self.arg_names = list(fn.arg_names)
        unknown = set(self.keys) - set(self.arg_names)
        if unknown:
            raise ValueError(f"triton-autopipe: auto_pipeline(key=...): {sorted(unknown)} are not arguments "
                             f"of the kernel ({self.arg_names})")
        self._cache_dir = cache_dir
        self.cache: dict[tuple, int] = {}  # key -> index into configs
        self.timings: dict[tuple, list[float]] = {}
        self._inner: dict[int, dict] = {}  # a triton.autotune below: its cache per pipeline config
        self._loaded = False

    # -- keys and the disk cache ------------------------------------------------------------------------------

    def key_of(self, args: tuple, kwargs: dict) -> tuple:
        named = dict(zip(self.arg_names, args))
        named.update({k: v for k, v in kwargs.items() if k in self.arg_names})
        key = [named[k] for k in self.keys if k in named]
        key += [str(v.dtype) for v in named.values() if hasattr(v, "dtype")]
        return tuple(key)

    def cache_file(self) -> Path:
        """Where the choices are kept: per kernel source, configs, plugin build and GPU."""
        from triton import knobs

        from . import plugin

        try:
            from triton.runtime import driver

            target = str(driver.active.get_current_target())
        except Exception:  # noqa: BLE001 - no GPU driver (tests): one shared entry
            target = "no-gpu"
        source = getattr(self.fn, "cache_key", None) or getattr(getattr(self.fn, "fn", None), "cache_key", "")
        ident = repr((source, [repr(c) for c in self.configs], self.keys, sorted(self.base.items()),
                      plugin.fingerprint(), target))
        digest = hashlib.sha256(ident.encode()).hexdigest()[:24]
        root = self._cache_dir or Path(knobs.cache.dir) / "triton_autopipe"
        return root / f"{getattr(self.fn, '__name__', 'kernel')}-{digest}.json"

    def _load(self) -> None:
        self._loaded = True
        path = self.cache_file()
        if path.is_file():
            stored = json.loads(path.read_text())
            for k, i in stored.items():
                if isinstance(i, int) and 0 <= i < len(self.configs):
                    self.cache[tuple(json.loads(k))] = i

    def _store(self) -> None:
        path = self.cache_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({json.dumps(list(k)): i for k, i in self.cache.items()}, indent=1))
        tmp.replace(path)

    # -- launching ---------------------------------------------------------------------------------------------

    def _overrides(self, index: int) -> dict[str, Any]:
        over = {k: v for k, v in self.configs[index].overrides().items() if v is not None}
        over.update({k: v for k, v in self.base.items() if v is not None})  # the decorator's keywords win
        return over

    def _launch(self, index: int, *args: Any, **kwargs: Any) -> Any:
        from triton.runtime.autotuner import Autotuner

        from .decorator import settings_scope

        if isinstance(self.fn, Autotuner):
            self.fn.cache = self._inner.setdefault(index, {})
        with settings_scope(**self._overrides(index)):
            return self.fn.run(*args, **kwargs)

    def run(self, *args: Any, **kwargs: Any) -> Any:
        if not self._loaded:
            self._load()
        key = self.key_of(args, kwargs)
        if kwargs.get("warmup") and key not in self.cache:
            # Nothing can be timed: compile every config, so the first real launch only times.
            return [self._launch(i, *args, **kwargs) for i in range(len(self.configs))][0]
        if key not in self.cache:
            if len(self.configs) == 1:
                self.cache[key] = 0
            else:
                kw = dict(kwargs, warmup=False)
                times = [_do_bench(functools.partial(self._launch, i, *args, **kw), self.bench_warmup,
                                   self.bench_rep) for i in range(len(self.configs))]
                self.timings[key] = times
                self.cache[key] = min(range(len(times)), key=times.__getitem__)
                print(f"triton-autopipe: {getattr(self.fn, '__name__', 'kernel')} key {key}: picked "
                      f"{self.configs[self.cache[key]]} ({', '.join(f'{t:.4f}' for t in times)} ms)",
                      file=sys.stderr)
            self._store()
        return self._launch(self.cache[key], *args, **kwargs)

    def warmup(self, *args: Any, **kwargs: Any) -> Any:
        return self.run(*args, warmup=True, **kwargs)

    def picked(self, *args: Any, **kwargs: Any) -> Optional[Any]:
        """The config chosen for these launch arguments' key, or None (not tuned yet)."""
        if not self._loaded:
            self._load()
        i = self.cache.get(self.key_of(args, kwargs))
        return None if i is None else self.configs[i]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.fn, name)
