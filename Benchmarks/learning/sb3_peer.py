#!/usr/bin/env python3
"""The matrix's peer: stable-baselines3 SAC (or TD3) with its default settings on gymnasium's
version of an svg-rt plant, evaluated like `svgrt train` evaluates (the deterministic policy;
the pendulum from svg-rt's 10 reference starts, a MuJoCo task over EPISODES seeded resets,
seeds 10000, 10001, … — gymnasium's reset stream, so the same distribution of starts as svg-rt's,
not the same draws). Writes OUT/curve.csv with the columns the aggregate reads
(steps, evaluation_return, seconds) and OUT/report.md (versions, budget, ms per env step).
One torch thread, CPU.
Usage: sb3_peer.py ALGO PLANT SEED STEPS OUT [--evaluation-interval N] [--evaluation-episodes K] [--net-arch W,W]
(--net-arch: the hidden widths of actor and critics instead of SB3's default 256,256, to compare at
svg-rt's sizes.)
"""
import argparse
import os
import platform
import sys
import time

import gymnasium as gym
import numpy as np
import stable_baselines3
import torch
from stable_baselines3 import SAC, TD3
from stable_baselines3.common.callbacks import BaseCallback

torch.set_num_threads(1)

# svg-rt's pendulum reference starts (Sources/Plants/Pendulum.swift): (θ, θ̇).
PENDULUM_STARTS = [
    (0.10486889069367766, -0.1526016949671385), (1.3496685618959168, 0.2589404662431949),
    (0.8493980570323441, -0.4999700630882409), (1.1822558696189605, 0.4762485490273567),
    (2.1325297356164903, -0.3959668929659874), (-1.8140893034962666, -0.3433234680280224),
    (-2.264583582503015, 0.43258431824447574), (2.0313711561475216, -0.8960048450995441),
    (0.4799918678992796, -0.09630509412390209), (0.1403646502014828, 0.12236874520167551),
]
GYM_IDS = {"pendulum": "Pendulum-v1"}


def evaluate(model, gym_id, episodes):
    env = gym.make(gym_id)
    returns = []
    if gym_id == "Pendulum-v1":
        starts = [(None, s) for s in PENDULUM_STARTS]
    else:
        starts = [(10_000 + k, None) for k in range(episodes)]
    for seed, state in starts:
        obs, _ = env.reset(seed=0 if seed is None else seed)
        if state is not None:
            env.unwrapped.state = np.array(state)
            obs = env.unwrapped._get_obs()
        total, done = 0.0, False
        while not done:
            action, _ = model.predict(obs, deterministic=True)
            obs, reward, terminated, truncated, _ = env.step(action)
            total += reward
            done = terminated or truncated
        returns.append(total)
    return float(np.mean(returns))


def write_curve(out, rows):
    """OUT/curve.csv, replaced atomically: after every evaluation, so a run stopped early keeps them."""
    tmp = os.path.join(out, "curve.csv.tmp")
    with open(tmp, "w") as f:
        f.write("steps,evaluation_return,seconds\n")
        for r in rows:
            f.write(f"{r[0]},{r[1]},{r[2]}\n")
    os.replace(tmp, os.path.join(out, "curve.csv"))


class Evaluate(BaseCallback):
    def __init__(self, every, episodes, gym_id, rows, start, out):
        super().__init__()
        self.every, self.episodes, self.gym_id, self.rows, self.start, self.out = every, episodes, gym_id, rows, start, out

    def _on_step(self):
        if self.num_timesteps % self.every == 0:
            value = evaluate(self.model, self.gym_id, self.episodes)
            self.rows.append((self.num_timesteps, value, time.time() - self.start))
            write_curve(self.out, self.rows)
            print(f"{self.num_timesteps} {value:.1f} ({self.rows[-1][2]:.0f} s)", file=sys.stderr, flush=True)
        return True


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("algo", choices=["sac", "td3"])
    p.add_argument("plant")
    p.add_argument("seed", type=int)
    p.add_argument("steps", type=int)
    p.add_argument("out")
    p.add_argument("--evaluation-interval", type=int, default=None)
    p.add_argument("--evaluation-episodes", type=int, default=5)
    p.add_argument("--net-arch", default=None, help="hidden widths, e.g. 64,64 (default: SB3's 256,256)")
    a = p.parse_args()
    try:
        net_arch = [int(w) for w in a.net_arch.split(",")] if a.net_arch else None
    except ValueError:
        sys.exit(f"sb3_peer: --net-arch wants widths separated by commas, e.g. 64,64 (got {a.net_arch!r})")
    if net_arch is not None and (not net_arch or min(net_arch) < 1):
        sys.exit(f"sb3_peer: --net-arch wants positive widths (got {a.net_arch!r})")
    gym_id = GYM_IDS.get(a.plant, a.plant)
    try:
        env = gym.make(gym_id)
    except Exception as error:  # an unknown id or a missing MuJoCo binding: one line
        sys.exit(f"sb3_peer: cannot make {gym_id}: {error}")
    every = a.evaluation_interval or max(a.steps // 20, 1)
    if every <= 0 or a.steps <= 0:
        sys.exit("sb3_peer: steps and --evaluation-interval must be positive")
    os.makedirs(a.out, exist_ok=True)
    kwargs = {"policy_kwargs": {"net_arch": net_arch}} if net_arch else {}
    model = (SAC if a.algo == "sac" else TD3)("MlpPolicy", env, seed=a.seed, verbose=0, device="cpu", **kwargs)
    rows, start = [], time.time()
    model.learn(total_timesteps=a.steps, callback=Evaluate(every, a.evaluation_episodes, gym_id, rows, start, a.out))
    elapsed = time.time() - start
    with open(os.path.join(a.out, "report.md"), "w") as f:
        f.write(f"# stable-baselines3 {a.algo.upper()} on {gym_id}, seed {a.seed}\n\n"
                f"Defaults of stable-baselines3 {stable_baselines3.__version__}"
                f"{f' but hidden widths {net_arch}' if net_arch else ''} (torch {torch.__version__}, one thread, "
                f"gymnasium {gym.__version__}, {platform.machine()}); {a.steps:,} steps; evaluation every {every:,} steps.\n\n"
                f"Final evaluation {rows[-1][1]:.1f}; {elapsed:.0f} s, {elapsed / a.steps * 1000:.2f} ms per env step "
                f"(evaluations included).\n")
    print(f"done: {a.algo} {gym_id} seed {a.seed}: {rows[-1][1]:.1f} at {a.steps}, "
          f"{elapsed / a.steps * 1000:.2f} ms per env step", file=sys.stderr)


if __name__ == "__main__":
    main()
