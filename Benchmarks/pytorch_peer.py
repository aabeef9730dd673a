#!/usr/bin/env python3
"""The peer for Benchmarks/NetBenchmarks: the same networks and operations in PyTorch on CPU,
one thread, float32. Prints one line per benchmark: name, median time per call in ns.

Run through ./compare-with-pytorch, which installs torch into Benchmarks/.venv when missing and
runs the Swift suite in the same go, so both are measured on the same machine at the same time.
"""
import statistics
import sys
import time

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


def main():
    quick = "--quick" in sys.argv
    samples = 15 if quick else 51
    cases = [
        ("policy forward batch1 8-100-100-2", forward_only(mlp([8, 100, 100, 2]), 1), 200),
        ("policy forward+backward batch64 8-100-100-2", forward_backward([mlp([8, 100, 100, 2])], 64), 20),
        ("value forward+backward batch64 8-400-200-1", forward_backward([mlp([8, 400, 200, 1])], 64), 10),
        ("model forward+backward batch64 8x 10-20-20-1", forward_backward([mlp([10, 20, 20, 1]) for _ in range(8)], 64), 10),
    ]
    print(f"# torch {torch.__version__}, threads {torch.get_num_threads()}")
    for name, fn, inner in cases:
        print(f"{name}\t{median_ns(fn, inner, samples):.0f}")


if __name__ == "__main__":
    main()
