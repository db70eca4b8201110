#!/usr/bin/env python3
"""POT 0.8.2 / NumPy (float64) side of `pnpm bench` for @ot/semidual, on the same machine.

Reads the Sinkhorn clouds written by semidual-bench.ts (so both solve the same problem) and prints
one JSON object: medians in ms.
  - c-transform: ot.dist (squared Euclidean / mean |y|^2, [256, J]) + ot.stochastic.c_transform_entropic
    (POT's stabilized row loop), 256 points vs J uniform [0, 1]^784 targets;
  - Sinkhorn: ot.sinkhorn2(method='sinkhorn_log') with the same reg, tol and maxIter.
Run by semidual-bench.ts as /usr/bin/python3 bench/pot_bench.py <clouds.json> <reps>.
"""
import json
import sys
import time

import numpy as np
import ot

clouds = json.load(open(sys.argv[1]))
reps = int(sys.argv[2])


def median_ms(fn, reps):
    times = []
    out = None
    for _ in range(reps):
        t = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t) * 1000)
    return float(np.median(times)), out


res = {"pot": ot.__version__, "ctransform": {}}
rng = np.random.RandomState(0)
X = rng.rand(256, 784)
for J in clouds["J"]:
    Y = rng.rand(J, 784)
    psi = rng.randn(J) * 0.1
    nu = np.full(J, 1.0 / J)

    def run():
        M = ot.dist(X, Y) / float(np.mean(np.sum(Y ** 2, axis=1)))  # the paper's normalized cost
        return ot.stochastic.c_transform_entropic(nu, M, 0.01, psi)

    ms, _ = median_ms(run, reps)
    res["ctransform"][str(J)] = ms

Xs = np.array(clouds["x"], dtype=np.float64)
Ys = np.array(clouds["y"], dtype=np.float64)
M = ot.dist(Xs, Ys)
a = np.full(len(Xs), 1.0 / len(Xs))
b = np.full(len(Ys), 1.0 / len(Ys))
log = {}


def sk():
    global log
    v, lg = ot.sinkhorn2(a, b, M, clouds["reg"], method="sinkhorn_log", numItermax=clouds["maxIter"],
                         stopThr=clouds["tol"], log=True)
    log = lg
    return float(v)


ms, cost = median_ms(sk, 1)
res["sinkhorn"] = {"ms": ms, "transportCost": cost, "iterations": int(log.get("niter", -1))}
print(json.dumps(res))
