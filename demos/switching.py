"""demos/switching-py: the notes' greenlet demonstration. Two loops of
--steps steps (10,000,000 by default, as in the notes), one after the other,
then as two greenlets that switch to each other after every step. Both
compute the same two checksums, which are compared. Prints one JSON record.

What to look for: switching without I/O only slows the work down (the notes:
1.74 s one after the other, 7.79 s switching after every step).
"""
import argparse
import json
import sys
import time

from greenlet import greenlet

MASK = (1 << 64) - 1


def step(state):
    return (state * 6364136223846793005 + 1442695040888963407) & MASK


def loop(state, steps):
    for _ in range(steps):
        state = step(state)
    return state


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10_000_000)
    options = parser.parse_args()
    if options.steps < 1:
        parser.error(f"--steps: '{options.steps}' is not a whole number >= 1")
    steps = options.steps

    started = time.perf_counter()
    first, second = loop(1, steps), loop(2, steps)
    sequential_s = time.perf_counter() - started

    states = {}

    def switching(name, seed, other):
        state = seed
        for _ in range(steps):
            state = step(state)
            other().switch()
        states[name] = state

    one = greenlet(lambda: switching("one", 1, lambda: two))
    two = greenlet(lambda: switching("two", 2, lambda: one))
    started = time.perf_counter()
    one.switch()          # one and two hand over to each other; the last switch comes back here
    while not (one.dead and two.dead):
        (one if not one.dead else two).switch()
    switching_s = time.perf_counter() - started

    verified = states.get("one") == first and states.get("two") == second
    print(json.dumps({
        "demo": "switching", "language": "python-greenlet", "steps": steps,
        "sequential_s": round(sequential_s, 6), "switching_s": round(switching_s, 6),
        "slowdown": round(switching_s / sequential_s, 2),
        "switch_ns": round((switching_s - sequential_s) / (2 * steps) * 1e9, 1),
        "verified": verified}))
    return 0 if verified else 1


if __name__ == "__main__":
    sys.exit(main())
