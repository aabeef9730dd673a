#!/usr/bin/env python3
"""The peer of the `sac-svg(2) update batch256 pendulum` benchmarks: the same SAC-SVG(2) update
in PyTorch (CPU, one thread, float32), written the way a PyTorch user would: autograd for every
gradient, the critics' and the model's parameters frozen during the actor step (so autograd
only computes what the actor needs, as svg-rt does). Sizes: policy 3→W→W→2 (squashed sample,
state-dependent log σ), twin critics 4→W→W→1 with soft targets, model 3 × (4→64→64→1) with a
learned log σ̂ fitted on 64 two-step sequences, batch 256, Adam everywhere, gradient-norm
clipping at 5, temperature tuned to −dim A. W is the first argument: 256 (the default; SB3's SAC
sizes) or 64 (svg-rt's pendulum default), named as the Swift benchmark of the same sizes.
Prints: name and median ns per update.
"""
import math
import sys
import torch

from pytorch_peer import median_ns, mlp, pendulum_replay  # the same tanh MLP and timing as the network benchmarks

torch.set_num_threads(1)
torch.manual_seed(0)
S, A, B, MB, H, GAMMA, TAU, CLIP, SCALE = 3, 1, 256, 64, 2, 0.99, 0.005, 5.0, 10.0
HIGH = 2.0
W = int(sys.argv[1]) if len(sys.argv) > 1 else 256
NAME = "sac-svg(2) update batch256 pendulum" + ("" if W == 256 else f" {W}-{W}")

policy = mlp([S, W, W, 2 * A])
critics = torch.nn.ModuleList([mlp([S + A, W, W, 1]) for _ in range(2)])
targets = torch.nn.ModuleList([mlp([S + A, W, W, 1]) for _ in range(2)])
targets.load_state_dict(critics.state_dict())
models = torch.nn.ModuleList([mlp([S + A, 64, 64, 1]) for _ in range(S)])
model_log_std = torch.nn.Parameter(torch.full((S,), math.log(0.1)))
log_alpha = torch.zeros(1, requires_grad=True)
policy_opt = torch.optim.Adam(policy.parameters(), lr=3e-4)
critic_opt = torch.optim.Adam(critics.parameters(), lr=3e-4)
model_opt = torch.optim.Adam(list(models.parameters()) + [model_log_std], lr=1e-3)
alpha_opt = torch.optim.Adam([log_alpha], lr=3e-3)

# A replay of 1,000 pendulum-like transitions in 5 episodes of 200 steps.
N = 1000
states, actions, next_states, rewards = pendulum_replay(N, A, S)
dones = torch.zeros(N)


def sample(n):
    i = torch.randint(0, N, (n,))
    return states[i], actions[i], rewards[i], next_states[i], dones[i]


def act(s):
    """a = HIGH tanh(u), u = μ + σ η; returns a and log π(a|s)."""
    out = policy(s)
    mu, log_std = out[:, :A], out[:, A:].clamp(-5, 2)
    u = mu + log_std.exp() * torch.randn_like(mu)
    t = torch.tanh(u)
    log_p = (-0.5 * ((u - mu) / log_std.exp()) ** 2 - log_std - 0.9189385).sum(1)
    log_p = log_p - torch.log(HIGH * (1 - t ** 2) + 1e-6).sum(1)
    return HIGH * t, log_p


def q_min(nets, s, a):
    x = torch.cat([s, a], 1)
    return torch.min(SCALE * nets[0](x), SCALE * nets[1](x)).squeeze(1)


def predict(s, a):
    x = torch.cat([s, a.clamp(-HIGH, HIGH)], 1)
    return torch.cat([m(x) for m in models], 1)


def reward(s, a):
    angle = torch.atan2(s[:, 1], s[:, 0])
    return -(angle ** 2 + 0.1 * s[:, 2] ** 2 + 0.001 * (a ** 2).sum(1))


def update():
    # 1. Model: two unrolled steps on 64 sequences, each input the detached prediction.
    i = torch.randint(0, N - H, (MB,))
    x = states[i]
    for k in range(H):
        mu = predict(x, actions[i + k])
        z = (next_states[i + k] - x - mu) / model_log_std.exp()
        loss = (0.5 * z ** 2 + model_log_std).mean()
        model_opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(list(models.parameters()) + [model_log_std], CLIP)
        model_opt.step()
        x = (x + mu).detach()
    # 2. Twin critics towards the SAC target, soft targets.
    s, a, r, s2, d = sample(B)
    alpha = log_alpha.exp().detach()
    with torch.no_grad():
        a2, lp2 = act(s2)
        y = r + GAMMA * (1 - d) * (q_min(targets, s2, a2) - alpha * lp2)
    x = torch.cat([s, a], 1)
    loss = sum((0.5 * ((SCALE * q(x).squeeze(1) - y) / SCALE) ** 2).mean() for q in critics)
    critic_opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(critics.parameters(), CLIP)
    critic_opt.step()
    with torch.no_grad():
        for p, q in zip(targets.parameters(), critics.parameters()):
            p.mul_(1 - TAU).add_(TAU * q)
    # 3. Actor through the two-step expansion (model mean, known reward, min Q at s_H).
    for p in list(critics.parameters()) + list(models.parameters()):
        p.requires_grad_(False)
    s, _, _, _, _ = sample(B)
    total, weight = 0.0, 1.0
    for t in range(H + 1):
        a, lp = act(s)
        if t == 0:
            lp0 = lp
        if t < H:
            total = total + weight * (reward(s, a) - alpha * lp)
            s = s + predict(s, a)
        else:
            total = total + weight * (q_min(critics, s, a) - alpha * lp)
        weight *= GAMMA
    loss = -(total / (H + 1)).mean()
    policy_opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(policy.parameters(), CLIP)
    policy_opt.step()
    for p in list(critics.parameters()) + list(models.parameters()):
        p.requires_grad_(True)
    # 4. Temperature towards the target entropy −dim A.
    alpha_loss = -(log_alpha.exp() * (lp0.detach() - A)).mean()
    alpha_opt.zero_grad()
    alpha_loss.backward()
    alpha_opt.step()


def main():
    for _ in range(20):
        update()
    print(f"{NAME}\t{median_ns(update, 5, 21):.0f}")


if __name__ == "__main__":
    main()
