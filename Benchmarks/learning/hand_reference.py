"""Yardsticks for the Hand (Sources/Plants/Hand.swift), on its true dynamics, in numpy.

What a controller that knows the plant and the target scores, so that a learned policy's return
can be read: "reached" means close to what is reachable, not an absolute number.

- lqr: finite-horizon LQR on the exact (linear) per-axis dynamics in target coordinates,
  cost qT (e_hand² + e_ball²) at the final step + r a² each step, actions clipped to ±1 m/s;
  the grid of qT and r below, the best one reported.
- parked: the hand goes straight to its target at full speed and stays; the ball is left to
  hang and wander under the random force (what a policy that ignores the ball scores).

Same constants, reset distribution, semi-implicit Euler and reward as Hand.swift; numpy's random
numbers, not the plant's, so compare distributions, not episodes.
Writes the two means to Benchmarks/results/hand-reference.tsv, which Benchmarks/learning/plant
draws as dashed lines on the Hand's learning curves.
Usage: Benchmarks/.venv/bin/python Benchmarks/learning/hand_reference.py [EPISODES]   (default 1000; ~1.5 min)
"""
import os
import sys
import numpy as np

dt, k, c, m, g = 0.01, 20.0, 2.0, 1.0, 9.81     # Hand: step, spring, damping, ball mass, gravity
T, force_sd, offset = 1000, 2.0, 0.5              # steps, random force per axis, hand target x
action_penalty, terminal_weight = -0.001, -10.0

# Per axis, error state z = (hand − its target, ball − its target, ball velocity); gravity is
# balanced at the targets, so z' = A z + B a + noise exactly (h' = h + dt a; v' = v + dt(k(h' − b) − c v)/m; b' = b + dt v').
A = np.array([[1, 0, 0],
              [dt * dt * k / m, 1 - dt * dt * k / m, dt * (1 - dt * c / m)],
              [dt * k / m, -dt * k / m, 1 - dt * c / m]])
B = np.array([[dt], [dt ** 3 * k / m], [dt ** 2 * k / m]])


def lqr_gains(qT, r):
    P, gains = np.diag([qT, qT, 0.0]), [None] * T
    for t in reversed(range(T)):
        K = np.linalg.solve(r + B.T @ P @ B, B.T @ P @ A)
        gains[t] = K
        P = A.T @ P @ (A - B @ K)
    return gains


def episodes(controller, n, seed):
    rng = np.random.default_rng(seed)
    returns = []
    for _ in range(n):
        hand, ball, v = rng.uniform(-.5, .5, 2), rng.uniform(-.5, .5, 2), np.zeros(2)
        side = -1.0 if rng.uniform() < .5 else 1.0
        hand_target = np.array([side * offset, 0.0])
        ball_target = hand_target + np.array([0.0, -m * g / k])
        total = 0.0
        for t in range(T):
            a = np.clip(controller(t, hand - hand_target, ball - ball_target, v), -1, 1)
            hand = hand + dt * a
            acc = (k * (hand - ball) - c * v + force_sd * rng.standard_normal(2)) / m
            acc[1] -= g
            v = v + dt * acc
            ball = ball + dt * v
            total += action_penalty * a @ a
        total += terminal_weight * (np.linalg.norm(hand - hand_target) + np.linalg.norm(ball - ball_target))
        returns.append(total)
    return np.array(returns)


def report(name, r):
    """Prints the statistics of returns r and returns their mean."""
    print(f"{name:28s} mean {r.mean():6.2f}  median {np.median(r):6.2f}  p10 {np.quantile(r, .1):6.2f}  "
          f"p90 {np.quantile(r, .9):6.2f}  return ≥ −1: {100 * np.mean(r >= -1):3.0f} %")
    return r.mean()


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    parked = report("parked hand", episodes(lambda t, eh, eb, v: -eh / dt, n, 1))
    best = None
    for qT in (10, 30, 100, 300):
        for r in (0.001, 0.003, 0.01):
            K = lqr_gains(qT, r)
            returns = episodes(lambda t, eh, eb, v: -(K[t] @ np.stack([eh, eb, v]))[0], n // 5, 2)
            if best is None or returns.mean() > best[0]:
                best = (returns.mean(), qT, r)
    _, qT, r = best
    K = lqr_gains(qT, r)
    lqr = report(f"LQR (qT {qT}, r {r})", episodes(lambda t, eh, eb, v: -(K[t] @ np.stack([eh, eb, v]))[0], n, 3))
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "results", "hand-reference.tsv")
    with open(out, "w") as f:
        f.write(f"LQR, true dynamics ({lqr:.2f})\t{lqr:.3f}\nhand parked, ball ignored ({parked:.2f})\t{parked:.3f}\n")
