#!/usr/bin/env python3
"""The default recipe of `nn train` in plain PyTorch, for timing the two side by side on the same CPU.

784-256-128-10 ReLU, softmax with cross-entropy, He initialization, Adam (1e-3), a cosine schedule with a
floor of 1% of the rate, batches of 256, 30 epochs, 10% of the training images held out for validation
(evaluated after every epoch, as nn does), then the test accuracy. Prints one JSON object: the threads,
the seconds spent training (data loading excluded), examples/s per epoch and the test accuracy.

    unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE   # those pin OpenBLAS to old kernels on some CPUs
    /usr/bin/python3 tools/torch-train.py --threads 2 [--data /usr/share/datasets/fashion-mnist]
"""
import argparse
import gzip
import json
import math
import os
import struct
import time

import numpy as np
import torch


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    dims = magic & 0xFF
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--data", default=os.environ.get("NN_FASHION_MNIST", "/usr/share/datasets/fashion-mnist"))
    p.add_argument("--epochs", type=int, default=30)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    x = torch.from_numpy(idx(os.path.join(a.data, "train-images-idx3-ubyte.gz")).reshape(-1, 784).astype(np.float32) / 255)
    y = torch.from_numpy(idx(os.path.join(a.data, "train-labels-idx1-ubyte.gz")).astype(np.int64))
    xt = torch.from_numpy(idx(os.path.join(a.data, "t10k-images-idx3-ubyte.gz")).reshape(-1, 784).astype(np.float32) / 255)
    yt = torch.from_numpy(idx(os.path.join(a.data, "t10k-labels-idx1-ubyte.gz")).astype(np.int64))
    perm = torch.randperm(x.shape[0])
    val = perm[:x.shape[0] // 10]
    train = perm[x.shape[0] // 10:]
    xv, yv, x, y = x[val], y[val], x[train], y[train]
    model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128), torch.nn.ReLU(),
                                torch.nn.Linear(128, 10))
    for layer in model:
        if isinstance(layer, torch.nn.Linear):
            torch.nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
            torch.nn.init.zeros_(layer.bias)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    floor = 0.01
    loss_fn = torch.nn.CrossEntropyLoss()
    m = x.shape[0]
    rates = []
    train_seconds = 0.0
    for epoch in range(a.epochs):
        progress = epoch / (a.epochs - 1) if a.epochs > 1 else 0.0
        for g in opt.param_groups:
            g["lr"] = 1e-3 * (floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * progress)))
        start = time.perf_counter()
        order = torch.randperm(m)
        for lo in range(0, m, 256):
            batch = order[lo:lo + 256]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(x[batch]), y[batch])
            loss.backward()
            opt.step()
        with torch.no_grad():
            val_acc = (model(xv).argmax(1) == yv).float().mean().item()
        seconds = time.perf_counter() - start
        train_seconds += seconds
        rates.append(m / seconds)
    with torch.no_grad():
        test_acc = (model(xt).argmax(1) == yt).float().mean().item()
    print(json.dumps({"threads": a.threads, "train_seconds": round(train_seconds, 2),
                      "examples_per_second": [round(r) for r in rates], "last_val_accuracy": round(val_acc, 4),
                      "test_accuracy": round(test_acc, 4), "torch": torch.__version__}))


if __name__ == "__main__":
    main()
