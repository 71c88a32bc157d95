#!/usr/bin/env python3
"""Makes the small stratified Fashion-MNIST sample that ships inside nn.jar.

Takes TRAIN_PER_CLASS training images and TEST_PER_CLASS test images of each of the 10 classes, chosen by
a seeded shuffle of the official files (from the Debian package dataset-fashion-mnist), keeps them in
their original order, and writes them as gzip IDX files with fixed gzip headers so the bytes are
reproducible. Rerun with: python3 tools/make-fashion-mnist-sample.py
"""
import gzip
import random
import struct
import sys
from pathlib import Path

SOURCE = Path("/usr/share/datasets/fashion-mnist")
TARGET = Path(__file__).resolve().parent.parent / "nn-cli/src/main/resources/dev/backprop/cli/fashion-mnist-sample"
TRAIN_PER_CLASS = 400
TEST_PER_CLASS = 100
SEED = 20171025  # the day Fashion-MNIST was released


def read(name):
    data = gzip.open(SOURCE / name).read()
    rank = data[3]
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    return dims, data[4 + 4 * rank:]


def write(name, magic_type, dims, payload):
    header = bytes([0, 0, magic_type, len(dims)]) + struct.pack(">" + "I" * len(dims), *dims)
    with open(TARGET / name, "wb") as f:
        with gzip.GzipFile(fileobj=f, mode="wb", compresslevel=9, mtime=0, filename="") as g:
            g.write(header + payload)


def sample(prefix, out_prefix, per_class, rng):
    (n, rows, cols), pixels = read(prefix + "-images-idx3-ubyte.gz")
    (_,), labels = read(prefix + "-labels-idx1-ubyte.gz")
    order = list(range(n))
    rng.shuffle(order)
    taken, chosen = [0] * 10, []
    for i in order:
        if taken[labels[i]] < per_class:
            taken[labels[i]] += 1
            chosen.append(i)
    chosen.sort()
    size = rows * cols
    write(out_prefix + "-images-idx3-ubyte.gz", 0x08, (len(chosen), rows, cols),
          b"".join(pixels[i * size:(i + 1) * size] for i in chosen))
    write(out_prefix + "-labels-idx1-ubyte.gz", 0x08, (len(chosen),), bytes(labels[i] for i in chosen))
    print(f"{out_prefix}: {len(chosen)} images, {per_class} per class", file=sys.stderr)


if __name__ == "__main__":
    TARGET.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    sample("train", "train", TRAIN_PER_CLASS, rng)
    sample("t10k", "t10k", TEST_PER_CLASS, rng)
