#!/usr/bin/env python3
"""The peer of the `svg1-er update batch64 pendulum` benchmark: the same SVG(1)-ER update in
PyTorch (CPU, one thread, float32), written the way a PyTorch user would: autograd for every
gradient. Sizes as svg-rt's pendulum defaults: policy 3→100→100→1 with a squashed mean and
learned log σ, model 3 × (4→20→20→1) with learned log σ̂, value 3→200→100→1 with a target
network; batch 64; Adam everywhere; gradient-norm clipping at 10.
Prints: median µs per update.
"""
import math
import statistics
import time

import torch

from pytorch_peer import mlp, pendulum_replay  # the same tanh MLP as the network benchmarks

torch.set_num_threads(1)
torch.manual_seed(0)
S, A, B, GAMMA, WMAX, CLIP = 3, 1, 64, 0.99, 5.0, 10.0


policy = mlp([S, 100, 100, A])
log_std = torch.nn.Parameter(torch.zeros(A))
models = torch.nn.ModuleList([mlp([S + A, 20, 20, 1]) for _ in range(S)])
model_log_std = torch.nn.Parameter(torch.full((S,), math.log(0.1)))
value = mlp([S, 200, 100, 1])
target = mlp([S, 200, 100, 1])
target.load_state_dict(value.state_dict())
policy_opt = torch.optim.Adam(list(policy.parameters()) + [log_std], lr=1e-3)
model_opt = torch.optim.Adam(list(models.parameters()) + [model_log_std], lr=1e-3)
value_opt = torch.optim.Adam(value.parameters(), lr=1e-3)
SCALE = 100.0

# A replay of 1,000 pendulum-like transitions.
N = 1000
states, actions, next_states, rewards = pendulum_replay(N, A, S)
log_probs = torch.full((N,), -1.0)


def sample():
    i = torch.randint(0, N, (B,))
    return states[i], actions[i], rewards[i], next_states[i], log_probs[i]


def mean_action(s):
    return 2.0 * torch.tanh(policy(s))


def log_density(a, mu):
    eta = (a - mu) / log_std.exp()
    return (-0.5 * eta ** 2 - log_std - 0.9189385).sum(1)


def predict(s, a):
    x = torch.cat([s, a.clamp(-2, 2)], 1)
    return torch.cat([m(x) for m in models], 1)


def update():
    # 1. Model step.
    s, a, r, s2, lp = sample()
    mu = predict(s, a)
    z = (s2 - s - mu) / model_log_std.exp()
    loss = (0.5 * z ** 2 + model_log_std).mean()
    model_opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(list(models.parameters()), CLIP)
    model_opt.step()
    # 2. Value step (importance-weighted, soft target).
    s, a, r, s2, lp = sample()
    with torch.no_grad():
        w = torch.exp(log_density(a, mean_action(s)) - lp).clamp(max=WMAX)
        y = r + GAMMA * SCALE * target(s2).squeeze(1)
    err = (SCALE * value(s).squeeze(1) - y) / SCALE
    loss = (0.5 * w * err ** 2).mean()
    value_opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(value.parameters(), CLIP)
    value_opt.step()
    with torch.no_grad():
        for p, q in zip(target.parameters(), value.parameters()):
            p.mul_(0.99).add_(0.01 * q)
    # 3. Policy step: w [r_a + γ V_s'(s') f_a] π_θ with η, ξ inferred.
    s, a, r, s2, lp = sample()
    s2 = s2.clone().requires_grad_(True)
    v_s2 = torch.autograd.grad(SCALE * value(s2).sum(), s2)[0]
    mu = mean_action(s)
    with torch.no_grad():
        eta = (a - mu) / log_std.exp()
        w = torch.exp(log_density(a, mu)).clamp(max=WMAX) / torch.exp(lp)
        w = w.clamp(max=WMAX)
    a_theta = mu + log_std.exp() * eta                         # equals a at the current θ
    a_in = a_theta.detach().requires_grad_(True)
    f = predict(s, a_in)
    vfa = torch.autograd.grad((f * v_s2).sum(), a_in)[0]
    inside = ((a > -2) & (a < 2)).float()
    r_a = -0.002 * a * inside
    g_a = w.unsqueeze(1) * (r_a + GAMMA * vfa * inside)
    objective = (g_a.detach() * a_theta).sum() / B
    policy_opt.zero_grad()
    (-objective).backward()
    torch.nn.utils.clip_grad_norm_(list(policy.parameters()), CLIP)
    policy_opt.step()


def main():
    for _ in range(50):
        update()
    times = []
    for _ in range(31):
        start = time.perf_counter_ns()
        for _ in range(10):
            update()
        times.append((time.perf_counter_ns() - start) / 10)
    print(f"svg1-er update batch64 pendulum\t{statistics.median(times):.0f}")


if __name__ == "__main__":
    main()
