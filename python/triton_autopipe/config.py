"""Typed pipeline configs for ``@auto_pipeline``: ``PipelineConfig`` and ``WarpSpecConfig`` (the interface of
Triton PR #327 and Triton #5622's warp-specialization knobs).

Both are frozen dataclasses: they compare, hash and print by value, and a config's settings join Triton's
compile cache key (the same config hits the cache, another one recompiles). Every field is checked where the
config is written, with the field, the value and what is allowed in the message.

>>> from triton_autopipe import PipelineConfig
>>> cfg = PipelineConfig(global_to_shared_stages=4, shared_to_register_stages=2, schedule="auto")
>>> cfg
PipelineConfig(global_to_shared_stages=4, shared_to_register_stages=2, enable_async_copy=True, schedule='auto', \
warp_spec=None, async_dots=None, explain=None)
>>> cfg.overrides()["global_to_shared_stages"], cfg.overrides()["s2r"]
(4, 'autopipe')
>>> PipelineConfig(global_to_shared_stages=0)
Traceback (most recent call last):
...
ValueError: triton-autopipe: PipelineConfig.global_to_shared_stages must be an int in 1..32 or None (the \
schedule's distance), got 0
"""
from __future__ import annotations

import dataclasses
from typing import Any, Optional

from .pipelines import ASYNC_DOTS, MAX_SLOTS, SCHEDULES

#: The most consumer warp groups a warp-specialized loop may have (Hopper: two consumers and a producer
#: fill a 4-warpgroup CTA with the producer's registers given back).
MAX_CONSUMER_GROUPS = 2


def _check(owner: str, name: str, value: Any, ok: bool, allowed: str) -> None:
    if not ok:
        raise ValueError(f"triton-autopipe: {owner}.{name} must be {allowed}, got {value!r}")


def _is_int(value: Any) -> bool:
    return type(value) is int  # bool is not an int here


@dataclasses.dataclass(frozen=True)
class WarpSpecConfig:
    """Warp specialization of a pipelined loop (Hopper): producer warps load, consumer warp groups compute.

    - ``num_consumer_groups`` (int, 1..2, default 1): consumer warp groups; 2 lets them take turns on the
      tensor cores (ping-pong).
    - ``num_buffers`` (int, 1..32, default 3): shared-memory slots of each producer/consumer channel of a
      warp-specialized loop (``PipelineConfig.global_to_shared_stages`` is for the loops that are not).

    >>> WarpSpecConfig(num_consumer_groups=2, num_buffers=3)
    WarpSpecConfig(num_consumer_groups=2, num_buffers=3)
    """

    num_consumer_groups: int = 1
    num_buffers: int = 3

    def __post_init__(self) -> None:
        _check("WarpSpecConfig", "num_consumer_groups", self.num_consumer_groups,
               _is_int(self.num_consumer_groups) and 1 <= self.num_consumer_groups <= MAX_CONSUMER_GROUPS,
               f"an int in 1..{MAX_CONSUMER_GROUPS}")
        _check("WarpSpecConfig", "num_buffers", self.num_buffers,
               _is_int(self.num_buffers) and 1 <= self.num_buffers <= MAX_SLOTS, f"an int in 1..{MAX_SLOTS}")


@dataclasses.dataclass(frozen=True)
class PipelineConfig:
    """How one kernel's loops are pipelined (``@auto_pipeline(PipelineConfig(...))``).

    - ``global_to_shared_stages`` (int 1..32 or None, default None): circular-buffer slots per pipelined
      load; None takes the schedule's distance. More slots than shared memory holds are reduced, with a
      remark.
    - ``shared_to_register_stages`` (1, 2 or None, default None): our shared->register buffering of
      register MMA operands (mma.sync, MFMA): 2 = double buffering, 1 = off; None leaves Triton's
      (``s2r="triton"``).
    - ``enable_async_copy`` (bool, default True): loads become asynchronous copies (cp.async, TMA,
      direct-to-LDS) where the target can; False stages every load through registers.
    - ``schedule`` (str, default "auto"): one of ``auto``, ``default``, ``attention-a``, ``attention-b``,
      ``triton``.
    - ``warp_spec`` (WarpSpecConfig or None, default None): warp specialization. Validated, but not
      available yet: a config with it is rejected by ``auto_pipeline`` (issue #19 brings it).
    - ``async_dots`` (str or None): sm90 wgmma waits, as for :func:`triton_autopipe.enable`; None: the
      global setting.
    - ``explain`` (bool or None): print each loop's schedule; None: the global setting.

    >>> PipelineConfig(global_to_shared_stages=4, enable_async_copy=False).overrides()["buffers"]
    'registers'
    >>> PipelineConfig(schedule="fast")
    Traceback (most recent call last):
    ...
    ValueError: triton-autopipe: PipelineConfig.schedule must be one of ('auto', 'default', 'attention-a', 'attention-b', 'triton'), got 'fast'
    """

    global_to_shared_stages: Optional[int] = None
    shared_to_register_stages: Optional[int] = None
    enable_async_copy: bool = True
    schedule: str = "auto"
    warp_spec: Optional[WarpSpecConfig] = None
    async_dots: Optional[str] = None
    explain: Optional[bool] = None

    def __post_init__(self) -> None:
        own = "PipelineConfig"
        g = self.global_to_shared_stages
        _check(own, "global_to_shared_stages", g, g is None or (_is_int(g) and 1 <= g <= MAX_SLOTS),
               f"an int in 1..{MAX_SLOTS} or None (the schedule's distance)")
        s = self.shared_to_register_stages
        _check(own, "shared_to_register_stages", s, s is None or (_is_int(s) and s in (1, 2)),
               "1 (off), 2 (double buffering) or None (Triton's)")
        _check(own, "enable_async_copy", self.enable_async_copy, type(self.enable_async_copy) is bool,
               "a bool")
        _check(own, "schedule", self.schedule, isinstance(self.schedule, str) and self.schedule in SCHEDULES,
               f"one of {SCHEDULES}")
        _check(own, "warp_spec", self.warp_spec, self.warp_spec is None or isinstance(self.warp_spec,
                                                                                     WarpSpecConfig),
               "a WarpSpecConfig or None")
        _check(own, "async_dots", self.async_dots, self.async_dots is None or (
            isinstance(self.async_dots, str) and self.async_dots in ASYNC_DOTS), f"one of {ASYNC_DOTS} or None")
        _check(own, "explain", self.explain, self.explain is None or type(self.explain) is bool,
               "a bool or None")

    def overrides(self) -> dict[str, Any]:
        """The :class:`~triton_autopipe.pipelines.Settings` fields this config sets (None: the global one)."""
        return {
            "schedule": self.schedule,
            "buffers": None if self.enable_async_copy else "registers",
            "global_to_shared_stages": self.global_to_shared_stages,
            "shared_to_register_stages": self.shared_to_register_stages,
            "s2r": "autopipe" if self.shared_to_register_stages is not None else None,
            "async_dots": self.async_dots,
            "explain": self.explain,
        }
