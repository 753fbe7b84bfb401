"""scikit-learn on smx's SKAB protocol, for docs/models.md's reference column.

Same files, groups and rows as pipelines/skab-outlier-pca.yaml and skab-pca-monitor.yaml:
every file gets its own model, fitted on rows 0-299, its threshold set on rows
300-399, scored from row 400; F1/FAR/MAR pooled point-wise over the test files
(the validation files named in the pipelines are left out), and over every row
of those files as SKAB's notebooks pool them. Prints one JSON line per detector.
    /usr/bin/python3 bench/skab-sklearn-reference.py [SHARED_DIR]
"""
import glob
import json
import os
import sys

import numpy as np
import pandas as pd
import sklearn
from scipy import stats
from sklearn.decomposition import PCA
from sklearn.ensemble import IsolationForest
from sklearn.preprocessing import StandardScaler

shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "shared")
VALIDATION = {"valve1/0.csv", "valve1/1.csv", "valve1/2.csv", "valve1/3.csv", "other/1.csv", "other/5.csv", "other/10.csv", "other/13.csv"}
ALL8 = ["Accelerometer1RMS", "Accelerometer2RMS", "Current", "Pressure", "Temperature", "Thermocouple", "Voltage", "Volume Flow RateRMS"]
SEVEN = [c for c in ALL8 if c != "Thermocouple"]
FIT, CAL = 300, 400

files = []
for folder in ("valve1", "other"):
    for path in sorted(glob.glob(os.path.join(shared, "data", "skab", folder, "*.csv"))):
        name = f"{folder}/{os.path.basename(path)}"
        if name not in VALIDATION:
            files.append((name, pd.read_csv(path, sep=";")))


def pooled(pairs):
    tp = fp = fn = tn = 0
    for y, a in pairs:
        tp += int(((y == 1) & (a == 1)).sum()); fp += int(((y == 0) & (a == 1)).sum())
        fn += int(((y == 1) & (a == 0)).sum()); tn += int(((y == 0) & (a == 0)).sum())
    return {"f1": tp / (tp + (fn + fp) / 2), "far": fp / (fp + tn), "mar": fn / (fn + tp)}


def evaluate(name, score_file):
    after, everything = [], []
    for _, df in files:
        y = df["anomaly"].values.astype(int)
        alarms = score_file(df).astype(int)
        after.append((y[CAL:], alarms[CAL:]))
        everything.append((y, alarms))
    a, e = pooled(after), pooled(everything)
    print(json.dumps({"detector": name, "sklearn": sklearn.__version__, "files": len(files),
                      **{k: round(v, 4) for k, v in a.items()}, **{f"{k}_all_rows": round(v, 4) for k, v in e.items()}}))


def pca_t2_q(z_fit, z, components):
    pca = PCA(n_components=components, svd_solver="full").fit(z_fit)
    t = pca.transform(z)
    t2 = (t ** 2 / pca.explained_variance_).sum(1)
    q = ((z - pca.inverse_transform(t)) ** 2).sum(1)
    return pca, t2, q


def outlier_pca(df):
    """pipelines/skab-outlier-pca.yaml: 30-s trailing means of 7 sensors, PCA 0.99, F/JM limits at 0.001, 1.5 × q0.99 of rows 300-399."""
    x = df[SEVEN].rolling(30, min_periods=1).mean().values
    sc = StandardScaler().fit(x[:FIT])
    z_fit, z = sc.transform(x[:FIT]), sc.transform(x)
    pca, t2, q = pca_t2_q(z_fit, z, 0.99)
    k, n = pca.n_components_, FIT
    t2_lim = k * (n - 1) * (n + 1) / (n * (n - k)) * stats.f.ppf(0.999, k, n - k)
    lam = np.sort(np.linalg.eigvalsh(np.cov(z_fit.T)))[::-1][k:]
    th = [np.sum(lam ** i) for i in (1, 2, 3)]
    if th[0] > 0:
        h0 = 1 - 2 * th[0] * th[2] / (3 * th[1] ** 2)
        q_lim = th[0] * (stats.norm.ppf(0.999) * h0 * np.sqrt(2 * th[1]) / th[0] + 1 + th[1] * h0 * (h0 - 1) / th[0] ** 2) ** (1 / h0)
    else:
        q_lim = np.inf  # every component kept: Q is 0 and never alarms (as smx)
    score = np.maximum(t2 / t2_lim, q / q_lim)
    return score > 1.5 * np.quantile(score[FIT:CAL], 0.99)


def pca_monitor(df):
    """pipelines/skab-pca-monitor.yaml: 8 sensors, PCA 0.85, T² and Q limits = 0.99 quantiles of rows 300-399."""
    x = df[ALL8].values
    sc = StandardScaler().fit(x[:FIT])
    _, t2, q = pca_t2_q(sc.transform(x[:FIT]), sc.transform(x), 0.85)
    return (t2 > np.quantile(t2[FIT:CAL], 0.99)) | (q > np.quantile(q[FIT:CAL], 0.99))


def isolation_forest(seed):
    def run(df):
        """Per-file IsolationForest on the same trailing means as skab-outlier-pca, threshold 0.99 quantile of rows 300-399."""
        x = df[SEVEN].rolling(30, min_periods=1).mean().values
        forest = IsolationForest(n_estimators=100, random_state=seed).fit(x[:FIT])
        s = -forest.score_samples(x)
        return s > np.quantile(s[FIT:CAL], 0.99)
    return run


evaluate("PCA T²/Q as skab-outlier-pca", outlier_pca)
evaluate("PCA T²/Q as skab-pca-monitor", pca_monitor)
for seed in range(5):
    evaluate(f"IsolationForest seed {seed}, skab-outlier-pca's features and threshold rule", isolation_forest(seed))
