"""Our J against JAX-jit's on the same programs, in one run (a benchmark, not a test).

Each `bench-suite` family is exported by `jacobian --export jax` (the page's own JAX
program for it), so JAX differentiates exactly the function we do: the scalar-form
families stay written out in scalars, the tensor forms are tensors. For each family this
prints f and the best exact J of ours (`jacobian bench`, medians of interleaved rounds)
beside JAX's `jit(f)`, `jit(jacfwd(f))` and `jit(jacrev(f))` (medians of timed batches,
after compiling), and the ratio of the two best J.

Run by scripts/bench.sh with the tests' JAX venv; alone:
    cargo build --release --bin jacobian && $JP_PYTHON scripts/bench-jax.py [name-regex]
"""

import contextlib
import io
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JACOBIAN = os.path.join(ROOT, "target", "release", "jacobian")
EXACT = ["forward", "reverse", "batched_forward", "batched_reverse", "sparse"]


def ours(path, at):
    out = subprocess.run([JACOBIAN, "bench", "--rounds", "15", "--at", at, path], capture_output=True, text=True, check=True)
    r = json.loads(out.stdout)
    times = {s: r["J"][s]["ns"] for s in EXACT if isinstance(r["J"].get(s), dict)}
    best = min(times, key=times.get)
    return r["f_ns"] / 1e3, best, times[best] / 1e3


def median_us(fn, x, budget_s=0.3):
    fn(x).block_until_ready()  # compile
    t0 = time.perf_counter()
    fn(x).block_until_ready()
    once = max(time.perf_counter() - t0, 1e-7)
    per_batch = max(1, int(0.01 / once))
    samples = []
    deadline = time.perf_counter() + budget_s
    while len(samples) < 5 or (time.perf_counter() < deadline and len(samples) < 200):
        t0 = time.perf_counter()
        for _ in range(per_batch):
            y = fn(x)
        y.block_until_ready()
        samples.append((time.perf_counter() - t0) / per_batch * 1e6)
    return statistics.median(samples)


def one(fam):
    """One family's row; run in a child process, whose memory is capped: XLA compiling a
    scalar-form program of thousands of operations can take more than the machine has."""
    import jax

    jax.config.update("jax_enable_x64", True)
    at = ",".join(repr(float(v)) for v in fam["at"])
    with tempfile.NamedTemporaryFile("w", suffix=".jp", delete=False) as fh:
        fh.write(fam["source"])
        path = fh.name
    try:
        code = subprocess.run([JACOBIAN, "--at", at, "--export", "jax", path], capture_output=True, text=True, check=True).stdout
        f_us, strategy, j_us = ours(path, at)
    finally:
        os.unlink(path)
    ns = {}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(code, fam["name"], "exec"), ns)
    f, x = ns["f"], ns["x"]
    jf = median_us(jax.jit(f), x)
    fwd = median_us(jax.jit(jax.jacfwd(f)), x)
    rev = median_us(jax.jit(jax.jacrev(f)), x)
    n, m = len(fam["at"]), len(ns["J"])
    print(f"{fam['name']:<24} {n:>4} {m:>4} | {f_us:>8.2f} {j_us:>9.2f} {strategy:<16} | {jf:>8.2f} {fwd:>9.2f} {rev:>9.2f} | {j_us / min(fwd, rev):>17.2f}")


def main():
    if sys.argv[1:2] == ["--one"]:
        import resource

        cap = 6 << 30
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        one(json.loads(sys.stdin.read()))
        return
    import jax

    pattern = re.compile(sys.argv[1] if len(sys.argv) > 1 else "")
    families = json.loads(subprocess.run([JACOBIAN, "bench-suite", "--families"], capture_output=True, text=True, check=True).stdout)
    print(f"JAX {jax.__version__} on {jax.devices()[0].platform}, float64; times in µs (medians)")
    print(f"{'family':<24} {'n':>4} {'m':>4} | {'our f':>8} {'our J':>9} {'(strategy)':<16} | {'jax f':>8} {'jacfwd':>9} {'jacrev':>9} | {'ours / jax best J':>17}")
    sys.stdout.flush()
    for fam in families:
        if not pattern.search(fam["name"]):
            continue
        try:
            r = subprocess.run([sys.executable, __file__, "--one"], input=json.dumps(fam), capture_output=True, text=True, timeout=600)
            failed = r.returncode != 0 and (r.stderr.strip().splitlines() or ["killed"])[-1]
        except subprocess.TimeoutExpired:
            r, failed = None, "over 10 min"
        if failed:
            print(f"{fam['name']:<24} JAX failed: {failed[:100]}")
        else:
            print(r.stdout, end="")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
