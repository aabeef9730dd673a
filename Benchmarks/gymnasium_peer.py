"""gymnasium's env.step for the tasks of PlantBenchmarks, with the same protocol: a uniform random
action in the action space, env.step, a reset (seeded) when the episode terminates or truncates.
Prints TSV: name, median ns per step over 7 repeats of 2,000 steps (after 200 warm-up steps).
The env is gymnasium.make(id).unwrapped's step plus the TimeLimit's count, i.e. what a learner's
loop calls; the passive checker and order enforcer wrappers are kept, as gymnasium.make gives them."""
import time

import gymnasium as gym
import numpy as np

TASKS = {"pendulum": "Pendulum-v1", "Hopper-v5": "Hopper-v5", "HalfCheetah-v5": "HalfCheetah-v5",
         "Walker2d-v5": "Walker2d-v5", "Swimmer-v5": "Swimmer-v5", "Reacher-v5": "Reacher-v5",
         "InvertedPendulum-v5": "InvertedPendulum-v5", "InvertedDoublePendulum-v5": "InvertedDoublePendulum-v5"}


def per_step(env, rng, steps):
    low, high = env.action_space.low, env.action_space.high
    actions = rng.uniform(low, high, size=(steps,) + low.shape).astype(np.float32)
    start = time.perf_counter_ns()
    for a in actions:
        _, _, terminated, truncated, _ = env.step(a)
        if terminated or truncated:
            env.reset()
    return (time.perf_counter_ns() - start) / steps


for name, task in TASKS.items():
    env = gym.make(task)
    env.reset(seed=1)
    rng = np.random.default_rng(1)
    per_step(env, rng, 200)
    times = sorted(per_step(env, rng, 2000) for _ in range(7))
    print(f"env step {name}\t{times[3]:.0f}")
