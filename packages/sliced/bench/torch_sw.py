#!/usr/bin/env python3
"""SW_2 forward + backward w.r.t. X in PyTorch CPU, for the same shapes as sw-bench.ts.

Usage: OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 torch_sw.py n d L reps
Prints one JSON line: {"median_ms": ..., "times_ms": [...]}.
Directions are given (fixed), as in the tfjs benchmark; the 1D cost is the mean over samples.
"""
import json
import statistics
import sys
import time

import torch

torch.set_num_threads(2)
n, d, L, reps = (int(v) for v in sys.argv[1:5])
g = torch.Generator().manual_seed(0)
X = torch.randn(n, d, generator=g)
Y = torch.randn(n, d, generator=g) + 1.0
P = torch.randn(d, L, generator=g)
P = P / P.norm(dim=0, keepdim=True)


def step():
    x = X.clone().requires_grad_(True)
    xp = torch.sort(x @ P, dim=0).values
    yp = torch.sort(Y @ P, dim=0).values
    sw = torch.sqrt(torch.mean((xp - yp) ** 2))
    sw.backward()
    return float(sw), x.grad


step()  # warm-up
times = []
for _ in range(reps):
    t0 = time.perf_counter()
    step()
    times.append((time.perf_counter() - t0) * 1000)
print(json.dumps({"median_ms": statistics.median(times), "times_ms": times, "threads": torch.get_num_threads(), "torch": torch.__version__}))
