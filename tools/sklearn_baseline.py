#!/usr/bin/python3
"""The yardstick for nn's tables: scikit-learn's MLPClassifier / MLPRegressor on standardized inputs, on the
same rows as nn train, side by side with nn.

Each shipped table is cut once into a training and a test file (80/20, stratified for the classification,
seed 1); nn trains with --test on the test file and holds out 10% of the training rows for validation, and
scikit-learn trains on the same training file with its inputs (and, for the regression, its target)
standardized on those rows. Both report on the test file. Run from the repository's root:

    /usr/bin/python3 tools/sklearn_baseline.py [NN_OPTIONS...]

Needs Debian's python3-sklearn (a measuring tool, never a dependency of the build or the tests).
"""
import csv
import os
import re
import subprocess
import sys
import tempfile

import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.preprocessing import StandardScaler

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def write(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def nn(args):
    run = subprocess.run([os.path.join(ROOT, "nn"), "train", "--progress", "plain"] + args,
                         capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit("nn train %s failed:\n%s%s" % (" ".join(args), run.stdout, run.stderr))
    out = run.stdout
    return re.search(r"^test (\w+) ([0-9.]+)", out, re.M).group(2), out


def main(extra):
    tmp = tempfile.mkdtemp(prefix="nn-sklearn-")
    results = []
    # The regression overfits in 100 epochs at nn's learning rate for tables; both stop early on a tenth of
    # the training rows (scikit-learn's early_stopping holds out 10% and waits 10 epochs, like --patience 10).
    for name, target, task, options in [("iris", "species", "classification", []),
                                        ("diabetes", "progression", "regression", ["--patience", "10"])]:
        header, rows = read(os.path.join(ROOT, "data", "examples", name + ".csv"))
        t = header.index(target)
        y = [r[t] for r in rows]
        train, test = train_test_split(rows, test_size=0.2, random_state=1,
                                       stratify=y if task == "classification" else None)
        train_file, test_file = os.path.join(tmp, name + "-train.csv"), os.path.join(tmp, name + "-test.csv")
        write(train_file, header, train)
        write(test_file, header, test)

        def xy(part):
            x = np.array([[float(v) for i, v in enumerate(r) if i != t] for r in part])
            return x, [r[t] for r in part]

        x_train, y_train = xy(train)
        x_test, y_test = xy(test)
        scaler = StandardScaler().fit(x_train)
        scores = []
        for seed in range(1, 4):
            if task == "classification":
                m = MLPClassifier(hidden_layer_sizes=(64,), batch_size=32, max_iter=100, random_state=seed)
                m.fit(scaler.transform(x_train), y_train)
                scores.append(m.score(scaler.transform(x_test), y_test))
            else:
                ys = StandardScaler().fit(np.array(y_train, dtype=float).reshape(-1, 1))
                m = MLPRegressor(hidden_layer_sizes=(64,), batch_size=32, max_iter=100, random_state=seed,
                                 early_stopping=True, n_iter_no_change=10)
                m.fit(scaler.transform(x_train), ys.transform(np.array(y_train, dtype=float).reshape(-1, 1)).ravel())
                p = ys.inverse_transform(m.predict(scaler.transform(x_test)).reshape(-1, 1)).ravel()
                scores.append(float(np.sqrt(np.mean((p - np.array(y_test, dtype=float)) ** 2))))
        figures = []
        for seed in range(1, 4):
            figure, _ = nn(["--data", train_file, "--target", target, "--task", task, "--test", test_file,
                            "--seed", str(seed), "--out", os.path.join(tmp, "%s-%d" % (name, seed))] + options + extra)
            figures.append(float(figure))
        what = "accuracy" if task == "classification" else "RMSE"
        results.append("%-8s %-8s %d test rows  scikit-learn %.4f (%.4f..%.4f)  nn %.4f (%.4f..%.4f)  over seeds 1-3" % (
            name, what, len(test), np.mean(scores), min(scores), max(scores), np.mean(figures), min(figures),
            max(figures)))
    print("\n".join(results))


if __name__ == "__main__":
    main(sys.argv[1:])
