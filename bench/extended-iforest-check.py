"""Does an extended isolation forest (Hariri et al. 2021: random-hyperplane splits) rank SKAB's rows better
than the plain isolation forest? Measured on the validation files of pipelines/skab-outlier-pca.yaml only
(the decision to add it to smx is a setting chosen by looking at labels), per-file protocol: fit on rows
0-299 of each file's 30-s trailing means of 7 sensors, score from row 400; pooled ROC-AUC and F1 at the
0.99 quantile of rows 300-399; 5 seeds each. Prints one JSON line per forest.
    /usr/bin/python3 bench/extended-iforest-check.py [SHARED_DIR]
"""
import json
import os
import sys

import numpy as np
import pandas as pd
from sklearn.ensemble import IsolationForest
from sklearn.metrics import roc_auc_score

shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "shared")
VALIDATION = ["valve1/0.csv", "valve1/1.csv", "valve1/2.csv", "valve1/3.csv", "other/1.csv", "other/5.csv", "other/10.csv", "other/13.csv"]
SEVEN = ["Accelerometer1RMS", "Accelerometer2RMS", "Current", "Pressure", "Temperature", "Voltage", "Volume Flow RateRMS"]


def c(n):
    return 2 * (np.log(n - 1) + 0.5772156649) - 2 * (n - 1) / n if n > 2 else (1.0 if n == 2 else 0.0)


class ExtendedIsolationForest:
    def __init__(self, n_trees=100, sample=256, seed=0):
        self.n_trees, self.sample, self.rng = n_trees, sample, np.random.default_rng(seed)

    def _grow(self, x, depth, limit):
        if depth >= limit or len(x) <= 1:
            return ("leaf", len(x))
        normal = self.rng.normal(size=x.shape[1])
        point = self.rng.uniform(x.min(0), x.max(0))
        left = (x - point) @ normal <= 0
        return ("node", normal, point, self._grow(x[left], depth + 1, limit), self._grow(x[~left], depth + 1, limit))

    def fit(self, x):
        m = min(self.sample, len(x))
        limit = int(np.ceil(np.log2(m)))
        self.m = m
        self.trees = [self._grow(x[self.rng.choice(len(x), m, replace=False)], 0, limit) for _ in range(self.n_trees)]
        return self

    def _path(self, tree, row, depth=0):
        if tree[0] == "leaf":
            return depth + c(tree[1])
        _, normal, point, left, right = tree
        return self._path(left if (row - point) @ normal <= 0 else right, row, depth + 1)

    def score(self, x):
        h = np.array([[self._path(t, r) for t in self.trees] for r in x]).mean(1)
        return 2 ** (-h / c(self.m))


def run(name, make):
    for seed in range(5):
        scores, labels, alarms = [], [], []
        for f in VALIDATION:
            df = pd.read_csv(os.path.join(shared, "data", "skab", f), sep=";")
            x = df[SEVEN].rolling(30, min_periods=1).mean().values
            x = (x - x[:300].mean(0)) / x[:300].std(0)
            s = make(seed).fit(x[:300]).score(x)
            threshold = np.quantile(s[300:400], 0.99)
            scores.append(s[400:]); labels.append(df.anomaly.values[400:]); alarms.append(s[400:] > threshold)
        y, s, a = np.concatenate(labels), np.concatenate(scores), np.concatenate(alarms)
        tp, fp, fn = int((a & (y == 1)).sum()), int((a & (y == 0)).sum()), int((~a & (y == 1)).sum())
        print(json.dumps({"forest": name, "seed": seed, "roc_auc": round(roc_auc_score(y, s), 4), "f1": round(tp / (tp + (fn + fp) / 2), 4)}))


class SkIsolation:
    def __init__(self, seed):
        self.f = IsolationForest(n_estimators=100, random_state=seed)

    def fit(self, x):
        self.f.fit(x)
        return self

    def score(self, x):
        return -self.f.score_samples(x)


run("isolation forest (scikit-learn)", SkIsolation)
run("extended isolation forest (full extension)", lambda seed: ExtendedIsolationForest(seed=seed))
