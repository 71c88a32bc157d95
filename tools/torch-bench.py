#!/usr/bin/env python3
"""PyTorch on the configurations of nn bench, for the report's nn / PyTorch column.

Each gradient is what EngineBenchmark measures: a network of sigmoid units with bias (torch.nn.Linear), the
half squared error summed over the batch, forward and backward (the summed gradient of every weight and
bias), on uniform random inputs and targets. Each GEMM is C = A.B in float32 on one thread. Every figure is
the median of timed repeats after a warm-up, with torch.set_num_threads(n) (and OpenBLAS's own thread
count) set to the configuration's threads.

OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, which can pin OpenBLAS to older kernels, are removed from the
environment before torch loads it; the JSON records what was removed and the kernel OpenBLAS chose.

    torch-bench.py --out pytorch.json --gradient 784-256-128-10:256:1 --gradient 784-256-128-10:60000:2 \
        --gemm 1024-1024-1024 [--quick]

A gradient is NETWORK:BATCH:THREADS, a GEMM is M-N-K (A is M x K, B is K x N). Without torch the JSON says
so ({"available": false, ...}) and the exit code is 0; Debian's python3-torch installs it for
/usr/bin/python3, which this script switches to when the python3 running it has no torch.
"""
import argparse
import json
import os
import platform
import statistics
import sys
import time

UNSET = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
INSTALL = "apt-get install python3-torch"


def write(path, result):
    text = json.dumps(result, indent=2) + "\n"
    if path == "-":
        sys.stdout.write(text)
        return
    part = path + ".part"
    with open(part, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(part, path)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", default="-", help="the JSON file (default: standard output)")
    p.add_argument("--gradient", action="append", default=[], metavar="NETWORK:BATCH:THREADS")
    p.add_argument("--gemm", action="append", default=[], metavar="M-N-K")
    p.add_argument("--quick", action="store_true", help="a smoke run: 1 warm-up, 3 short repeats")
    p.add_argument("--repeats", type=int, default=None, help="timed repeats (default 5, 3 with --quick)")
    p.add_argument("--seconds", type=float, default=None,
                   help="least time of one repeat (default 1.0, 0.05 with --quick)")
    args = p.parse_args()
    try:
        args.gradient = [gradient_config(g) for g in args.gradient]
        args.gemm = [gemm_config(g) for g in args.gemm]
    except ValueError as e:
        p.error(str(e))
    args.repeats = args.repeats or (3 if args.quick else 5)
    args.seconds = args.seconds or (0.05 if args.quick else 1.0)
    return args


def gradient_config(text):
    parts = text.split(":")
    try:
        network, batch, threads = parts[0], int(parts[1]), int(parts[2])
        units = [int(u) for u in network.split("-")]
    except (IndexError, ValueError):
        raise ValueError(f"--gradient '{text}' is not NETWORK:BATCH:THREADS, say 784-256-128-10:256:1") from None
    if len(parts) != 3 or len(units) < 2 or min(units) < 1 or batch < 1 or threads < 1:
        raise ValueError(f"--gradient '{text}' is not NETWORK:BATCH:THREADS with positive sizes")
    return network, units, batch, threads


def gemm_config(text):
    try:
        m, n, k = (int(v) for v in text.split("-"))
    except ValueError:
        raise ValueError(f"--gemm '{text}' is not M-N-K, say 1024-1024-1024") from None
    if min(m, n, k) < 1:
        raise ValueError(f"--gemm '{text}' needs positive sizes")
    return text, m, n, k


def timed(step, seconds, repeats, warmups):
    """Seconds per call: the median of `repeats` repeats of about `seconds` each, after at least `warmups` calls
    and `seconds` of warm-up."""
    begin = time.perf_counter()
    done = 0
    while done < warmups or time.perf_counter() - begin < seconds:
        start = time.perf_counter()
        step()
        once = max(time.perf_counter() - start, 1e-9)
        done += 1
    calls = max(1, int(seconds / once))
    per_call = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            step()
        per_call.append((time.perf_counter() - start) / calls)
    return statistics.median(per_call), per_call, calls


def openblas():
    """The OpenBLAS loaded into this process: its file, the kernel (core) it chose and its build."""
    import ctypes
    paths = []
    with open("/proc/self/maps", encoding="utf-8") as maps:
        for line in maps:
            path = line.split()[-1]
            if "openblas" in os.path.basename(path) and path not in paths:
                paths.append(path)
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_get_corename.restype = ctypes.c_char_p
            lib.openblas_get_config.restype = ctypes.c_char_p
            return {"library": path, "core": lib.openblas_get_corename().decode(),
                    "config": lib.openblas_get_config().decode()}, lib
        except (OSError, AttributeError):
            continue
    return {"library": None, "core": None, "config": "no OpenBLAS in the process"}, None


def main():
    args = parse_args()
    removed = {k: os.environ.pop(k) for k in UNSET if k in os.environ}
    try:
        import torch
    except ImportError as e:
        debian = "/usr/bin/python3"
        if os.path.realpath(sys.executable) != os.path.realpath(debian) and os.path.exists(debian) \
                and "NN_TORCH_BENCH_REEXEC" not in os.environ:
            os.environ.update(removed)  # the new process removes them again and records them
            os.environ["NN_TORCH_BENCH_REEXEC"] = sys.executable
            os.execv(debian, [debian] + sys.argv)
        tried = [p for p in (os.environ.get("NN_TORCH_BENCH_REEXEC"), sys.executable) if p]
        write(args.out, {"available": False, "reason": f"{e} (tried {', '.join(tried)})", "install": INSTALL})
        return 0

    blas, lib = openblas()
    result = {
        "available": True,
        "tool": "tools/torch-bench.py",
        "python": f"{platform.python_version()} ({sys.executable})",
        "torch": torch.__version__,
        "blas": blas,
        "environment_removed": removed,
        "cpu_capability": next((line.split(":", 1)[1].strip() for line in torch.__config__.show().splitlines()
                                if "CPU capability usage" in line), None),
        "repeats": args.repeats,
        "seconds_per_repeat": args.seconds,
        "gradients": [],
        "gemms": [],
    }
    generator = torch.Generator().manual_seed(1)

    def threads(n):
        """Sets torch's and OpenBLAS's threads to n; returns what OpenBLAS then says it has (None without it)."""
        torch.set_num_threads(n)
        if lib is not None and hasattr(lib, "openblas_set_num_threads"):
            lib.openblas_set_num_threads(n)
            return lib.openblas_get_num_threads()
        return None

    for network, units, batch, n in args.gradient:
        blas_threads = threads(n)
        layers = [torch.nn.Linear(a, b) for a, b in zip(units, units[1:])]
        x = torch.rand(batch, units[0], generator=generator)
        y = torch.rand(batch, units[-1], generator=generator)
        params = [p for layer in layers for p in layer.parameters()]

        def step():
            for p in params:
                p.grad = None
            a = x
            for layer in layers:
                a = torch.sigmoid(layer(a))
            loss = 0.5 * ((a - y) ** 2).sum()
            loss.backward()

        seconds, repeats, calls = timed(step, args.seconds, args.repeats, 2 if args.quick else 3)
        entry = {"network": network, "model": "sigmoid-sse", "batch": batch, "threads": torch.get_num_threads(),
                 "blas_threads": blas_threads, "examples_per_second": batch / seconds, "seconds_per_gradient": seconds,
                 "repeats_examples_per_second": [batch / s for s in repeats], "calls_per_repeat": calls}
        result["gradients"].append(entry)
        print(f"pytorch: {network} batch {batch:,} on {n} thread{'s' if n > 1 else ''}: "
              f"{entry['examples_per_second']:,.0f} examples/s", file=sys.stderr, flush=True)
        write(args.out, result)  # a stopped run keeps what it measured

    blas_threads = threads(1)
    for shape, m, n, k in args.gemm:
        a = torch.rand(m, k, generator=generator) * 2 - 1
        b = torch.rand(k, n, generator=generator) * 2 - 1
        c = torch.empty(m, n)
        seconds, repeats, calls = timed(lambda: torch.mm(a, b, out=c), args.seconds, args.repeats,
                                        2 if args.quick else 5)
        entry = {"shape": shape, "m": m, "n": n, "k": k, "threads": 1, "blas_threads": blas_threads,
                 "gflops": 2 * m * n * k / seconds / 1e9,
                 "repeats_gflops": [2 * m * n * k / s / 1e9 for s in repeats], "calls_per_repeat": calls}
        result["gemms"].append(entry)
        print(f"pytorch: GEMM {m}x{k} . {k}x{n} on 1 thread: {entry['gflops']:.1f} GFLOP/s", file=sys.stderr, flush=True)
    write(args.out, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
