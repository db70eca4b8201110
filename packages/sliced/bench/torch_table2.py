#!/usr/bin/env python3
"""Table 2 of Nguyen & Ho (NeurIPS 2022) at the small generator scale of sw-bench.ts, in PyTorch CPU:
the same MLP generator (latent 32 -> 256 -> 64, ReLU), batch 128, one Adam generator step on
  - SW with L = 1 and L = 10000 random directions,
  - LA-SW: one Adam ascent step of the linear amortized slicer f(X, Y) = normalize(w0 + X^T w1 + Y^T w2)
    on detached mini-batches, then the generator step along the updated (detached) direction
    (Algorithm 3),
  - Max-SW with T2 = 100 projected-gradient ascent steps on the sphere (lr 1e-2), then the generator step.
Steps run in blocks (`block` timed steps of one kind after one untimed step), the blocks
round-robin over `rounds` rounds, as in sw-bench.ts: load changes hit all kinds alike, and a
large step (SW with 10000 directions) does not disturb the timing of the small step after it.

Usage: OMP_WAIT_POLICY=PASSIVE [TORCH_THREADS=2] /usr/bin/python3 torch_table2.py [rounds=5] [block=10]
Prints one JSON line: {"median_ms": {...}, "min_ms": {...}}.
"""
import json
import os
import statistics
import sys
import time

import torch

torch.set_num_threads(int(os.environ.get("TORCH_THREADS", "2")))
rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
block = int(sys.argv[2]) if len(sys.argv) > 2 else 10
torch.manual_seed(0)
m, dz, d = 128, 32, 64
G = torch.nn.Sequential(torch.nn.Linear(dz, 256, bias=False), torch.nn.ReLU(), torch.nn.Linear(256, d, bias=False))
data = torch.randn(m, d) + 0.5
opt = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.0, 0.9))


def sw_along(x, y, theta):
    """SW_2 along the columns of theta [d, L]: sqrt of the mean over samples and directions."""
    xp = torch.sort(x @ theta, dim=0).values
    yp = torch.sort(y @ theta, dim=0).values
    return torch.sqrt(torch.mean((xp - yp) ** 2))


def unit_directions(L):
    t = torch.randn(d, L)
    return t / t.norm(dim=0, keepdim=True)


bound = 1 / (2 * m) ** 0.5
w0 = torch.empty(d, 1).uniform_(-bound, bound).requires_grad_(True)
w1 = torch.empty(m, 1).uniform_(-bound, bound).requires_grad_(True)
w2 = torch.empty(m, 1).uniform_(-bound, bound).requires_grad_(True)
slicer_opt = torch.optim.Adam([w0, w1, w2], lr=1e-3, betas=(0.0, 0.9))


def la_direction(x, y):
    v = w0 + x.T @ w1 + y.T @ w2
    return v / v.norm()


def sw_step(L):
    def f():
        opt.zero_grad()
        loss = sw_along(G(torch.randn(m, dz)), data, unit_directions(L))
        loss.backward()
        opt.step()
    return f


def la_step():
    fake = G(torch.randn(m, dz))
    xd, yd = fake.detach(), data
    slicer_opt.zero_grad()
    (-sw_along(xd, yd, la_direction(xd, yd))).backward()
    slicer_opt.step()
    with torch.no_grad():
        theta = la_direction(xd, yd)
    opt.zero_grad()
    sw_along(fake, data, theta).backward()
    opt.step()


def max_step(T2):
    def f():
        fake = G(torch.randn(m, dz))
        xd = fake.detach()
        theta = unit_directions(1).requires_grad_(True)
        for _ in range(T2):
            (g,) = torch.autograd.grad(sw_along(xd, data, theta), theta)
            with torch.no_grad():
                theta += 1e-2 * g
                theta /= theta.norm()
        opt.zero_grad()
        sw_along(fake, data, theta.detach()).backward()
        opt.step()
    return f


fns = {"sw1": sw_step(1), "sw10k": sw_step(10000), "la": la_step, "max100": max_step(100)}
for f in fns.values():
    for _ in range(3):
        f()
times = {k: [] for k in fns}
for _ in range(rounds):
    for k, f in fns.items():
        f()  # re-warm after the previous kind's buffers
        for _ in range(block):
            t0 = time.perf_counter()
            f()
            times[k].append((time.perf_counter() - t0) * 1000)
print(json.dumps({
    "median_ms": {k: statistics.median(v) for k, v in times.items()},
    "min_ms": {k: min(v) for k, v in times.items()},
    "threads": torch.get_num_threads(),
    "torch": torch.__version__,
}))
