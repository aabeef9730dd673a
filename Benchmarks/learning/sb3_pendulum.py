#!/usr/bin/env python3
"""The peers: stable-baselines3 SAC and TD3 with default settings on gymnasium's Pendulum-v1,
evaluated every 500 steps with their deterministic policies from the same 10 start states svg-rt
uses (`Pendulum.referenceStarts`, the same list as sb3_peer.py). Writes one CSV per run:
steps,evaluation_return,seconds  — and reports wall time per environment step.
Usage: sb3_pendulum.py ALGO SEED STEPS OUT.csv
"""
import sys
import time

import gymnasium as gym
import numpy as np
import torch
from stable_baselines3 import SAC, TD3
from stable_baselines3.common.callbacks import BaseCallback

from sb3_peer import PENDULUM_STARTS as STARTS  # svg-rt's 10 reference starts

torch.set_num_threads(1)


def evaluate(model):
    env = gym.make("Pendulum-v1")
    total = 0.0
    for th, thdot in STARTS:
        env.reset(seed=0)
        env.unwrapped.state = np.array([th, thdot])
        obs = env.unwrapped._get_obs()
        for _ in range(200):
            action, _ = model.predict(obs, deterministic=True)
            obs, reward, terminated, truncated, _ = env.step(action)
            total += reward
    return total / len(STARTS)


class Evaluate(BaseCallback):
    def __init__(self, every, rows, start):
        super().__init__()
        self.every, self.rows, self.start = every, rows, start

    def _on_step(self):
        if self.num_timesteps % self.every == 0:
            self.rows.append((self.num_timesteps, evaluate(self.model), time.time() - self.start))
            print(f"{self.num_timesteps} {self.rows[-1][1]:.1f}", file=sys.stderr, flush=True)
        return True


def main():
    algo, seed, steps, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    env = gym.make("Pendulum-v1")
    model = (SAC if algo == "sac" else TD3)("MlpPolicy", env, seed=seed, verbose=0, device="cpu")
    rows = []
    start = time.time()
    model.learn(total_timesteps=steps, callback=Evaluate(500, rows, start))
    elapsed = time.time() - start
    with open(out, "w") as f:
        f.write("steps,evaluation_return,seconds\n")
        for r in rows:
            f.write(f"{r[0]},{r[1]},{r[2]}\n")
    print(f"{algo} seed {seed}: {elapsed / steps * 1000:.2f} ms per environment step (evaluations included)", file=sys.stderr)


if __name__ == "__main__":
    main()
