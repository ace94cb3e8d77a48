"""Guards against work that grows out of proportion (a regex that backtracks, a parse that
recurses), measured in this thread's CPU time rather than on the clock: CI runs on shared
2-core machines, where another process keeping the cores busy stretches wall time several
times over but leaves the CPU time this thread spends about as it is. Each budget is far
below what the unbounded code took, and several times what it takes now."""

import time
from contextlib import contextmanager


@contextmanager
def cpu_budget(seconds: float):
    started = time.thread_time()
    yield
    spent = time.thread_time() - started
    assert spent < seconds, f"{spent:.2f} s of CPU time, over the {seconds} s budget"
