"""scikit-learn side of bench/train-ai4i.mjs (run by it; prints one JSON line per figure).

  train-ai4i.py split CSV OUT      write scikit-learn's reference split indices (train_test_split,
                                   test_size=0.2, random_state=42, stratify=y) to OUT as JSON
  train-ai4i.py fit CSV SPLIT      fit RandomForestClassifier(n_estimators=100, random_state=0, n_jobs=1)
                                   on the rows in SPLIT, 3 times; print fit time, holdout metrics, throughput,
                                   and the mean macro-F1 over random_state 0..4
"""
import csv
import json
import statistics
import sys
import time

import numpy as np
import sklearn
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import average_precision_score, f1_score, roc_auc_score
from sklearn.model_selection import train_test_split

# Column order of the CSV (Type first): with it, the reference run's macro-F1 0.8465 is reproduced exactly.
FEATURES = ["Type", "Air temperature [K]", "Process temperature [K]", "Rotational speed [rpm]",
            "Torque [Nm]", "Tool wear [min]"]
TYPE_CODE = {"L": 0, "M": 1, "H": 2}


def load(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    x = np.array([[TYPE_CODE[r[c]] if c == "Type" else float(r[c]) for c in FEATURES] for r in rows])
    y = np.array([int(r["Machine failure"]) for r in rows])
    return x, y


def emit(figure, value, **extra):
    print(json.dumps({"impl": "sklearn", "sklearn": sklearn.__version__, "figure": figure, "value": value, **extra}), flush=True)


def main():
    mode, csv_path, split_path = sys.argv[1:4]
    x, y = load(csv_path)
    if mode == "split":
        train, test = train_test_split(np.arange(len(y)), test_size=0.2, random_state=42, stratify=y)
        with open(split_path, "w") as f:
            # Kept in scikit-learn's shuffled order: row order changes which rows a bootstrap draws.
            json.dump({"train": [int(i) for i in train], "test": [int(i) for i in test]}, f)
        return
    with open(split_path) as f:
        split = json.load(f)
    train, test = np.array(split["train"]), np.array(split["test"])
    times = []
    for _ in range(3):
        model = RandomForestClassifier(n_estimators=100, random_state=0, n_jobs=1)
        t0 = time.perf_counter()
        model.fit(x[train], y[train])
        times.append(time.perf_counter() - t0)
    emit("fit_seconds_median_of_3", statistics.median(times), runs=times)
    proba = model.predict_proba(x[test])[:, 1]
    pred = model.predict(x[test])
    emit("macro_f1", f1_score(y[test], pred, average="macro"))
    emit("roc_auc", roc_auc_score(y[test], proba))
    emit("pr_auc", average_precision_score(y[test], proba))
    seeds = [f1_score(y[test], RandomForestClassifier(n_estimators=100, random_state=s, n_jobs=1)
                      .fit(x[train], y[train]).predict(x[test]), average="macro") for s in range(5)]
    emit("macro_f1_mean_of_5_seeds", statistics.mean(seeds), runs=seeds)
    reps, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < 1.0:
        model.predict_proba(x)
        reps += 1
    emit("inference_rows_per_second", reps * len(y) / (time.perf_counter() - t0), rows=len(y))


if __name__ == "__main__":
    main()
