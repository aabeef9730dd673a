#!/usr/bin/env python3
"""The peer for Benchmarks/NetBenchmarks: the same networks and operations in PyTorch on CPU,
one thread, float32. Prints one line per benchmark: name, median time per call in ns.

Run through ./compare-with-pytorch, which installs torch into Benchmarks/.venv when missing and
runs the Swift suite in the same go, so both are measured on the same machine at the same time.
"""
import math
import os
import statistics
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # numpy's sgemm on one thread, like torch
os.environ.setdefault("OMP_NUM_THREADS", "1")
import numpy as np
import torch

torch.set_num_threads(1)
torch.manual_seed(0)


def mlp(sizes):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(torch.nn.Tanh())
    return torch.nn.Sequential(*layers)


def pendulum_replay(n, action_size=1, state_size=3):
    """A replay of `n` pendulum-like transitions for the update peers: (cos θ, sin θ, θ̇) states,
    actions in [−2, 2], next states 0.05-noise away, the pendulum's reward of θ and θ̇.
    Returns states, actions, next_states, rewards."""
    th = torch.rand(n) * 2 * math.pi - math.pi
    thdot = torch.rand(n) * 16 - 8
    states = torch.stack([torch.cos(th), torch.sin(th), thdot], 1)
    actions = torch.rand(n, action_size) * 4 - 2
    next_states = states + 0.05 * torch.randn(n, state_size)
    rewards = -(th ** 2 + 0.1 * thdot ** 2)
    return states, actions, next_states, rewards


def median_ns(fn, inner, samples):
    """Median over `samples` of the mean time of `inner` back-to-back calls."""
    for _ in range(inner * 3):
        fn()
    times = []
    for _ in range(samples):
        start = time.perf_counter_ns()
        for _ in range(inner):
            fn()
        times.append((time.perf_counter_ns() - start) / inner)
    return statistics.median(times)


def forward_only(net, batch):
    x = torch.randn(batch, net[0].in_features)

    def run():
        with torch.no_grad():
            net(x)

    return run


def forward_backward(nets, batch):
    xs = [torch.randn(batch, n[0].in_features) for n in nets]
    cotangents = [torch.randn(batch, n[-1].out_features) / batch for n in nets]

    def run():
        for net, x, c in zip(nets, xs, cotangents):
            for p in net.parameters():
                p.grad = None
            net(x).backward(c)

    return run


def numpy_sgemm(n):
    """C = A B, n × n float32 (the yardstick of the dense kernels: one thread of BLAS)."""
    a = np.random.default_rng(0).standard_normal((n, n), dtype=np.float32)
    b = np.random.default_rng(1).standard_normal((n, n), dtype=np.float32)
    c = np.empty((n, n), dtype=np.float32)
    return lambda: np.matmul(a, b, out=c)


def torch_mm(n):
    """The same product through torch.mm (PyTorch's own BLAS), one thread."""
    a, b, c = torch.randn(n, n), torch.randn(n, n), torch.empty(n, n)
    return lambda: torch.mm(a, b, out=c)


def dense(batch, backward):
    """One 256→256 linear layer, as the Swift benchmark: forward, or forward + weight gradient + input VJP."""
    layer = torch.nn.Linear(256, 256)
    x = torch.randn(batch, 256, requires_grad=backward)
    c = torch.randn(batch, 256) / batch

    def run():
        if backward:
            layer.weight.grad = layer.bias.grad = x.grad = None
            layer(x).backward(c)
        else:
            with torch.no_grad():
                layer(x)

    return run


def main():
    quick = "--quick" in sys.argv
    samples = 15 if quick else 51
    cases = [
        ("policy forward batch1 8-100-100-2", forward_only(mlp([8, 100, 100, 2]), 1), 200),
        ("policy forward+backward batch64 8-100-100-2", forward_backward([mlp([8, 100, 100, 2])], 64), 20),
        ("value forward+backward batch64 8-400-200-1", forward_backward([mlp([8, 400, 200, 1])], 64), 10),
        ("model forward+backward batch64 8x 10-20-20-1", forward_backward([mlp([10, 20, 20, 1]) for _ in range(8)], 64), 10),
        ("dense forward batch256 256x256", dense(256, False), 20),
        ("dense forward+backward batch256 256x256", dense(256, True), 10),
        ("numpy sgemm 256x256x256", numpy_sgemm(256), 20),
        ("torch mm 256x256x256", torch_mm(256), 20),
    ]
    blas = next((c.get("name", "") + " " + c.get("version", "") for c in np.show_config("dicts")["Build Dependencies"].values()
                 if isinstance(c, dict) and c.get("name", "").lower().startswith(("scipy-openblas", "openblas", "mkl"))), "?") \
        if hasattr(np, "show_config") else "?"
    print(f"# torch {torch.__version__}, threads {torch.get_num_threads()}; numpy {np.__version__} ({blas.strip()}), one BLAS thread")
    for name, fn, inner in cases:
        print(f"{name}\t{median_ns(fn, inner, samples):.0f}")


if __name__ == "__main__":
    main()
