"""scikit-learn side of bench/anomaly-bench.mjs: one round on the same arrays.

  anomaly-bench.py CSV    fit and score on SKAB's anomaly-free.csv (9,405 rows × 8 sensors):
                          StandardScaler + PCA(0.85) fit, T² and Q scoring; IsolationForest(100) fit and
                          score_samples; prints one JSON object of rows per second (n_jobs=1, one core)
"""
import json
import sys
import time

import numpy as np
import pandas as pd
import sklearn
from sklearn.decomposition import PCA
from sklearn.ensemble import IsolationForest
from sklearn.preprocessing import StandardScaler

COLUMNS = ["Accelerometer1RMS", "Accelerometer2RMS", "Current", "Pressure", "Temperature", "Thermocouple",
           "Voltage", "Volume Flow RateRMS"]
x = pd.read_csv(sys.argv[1], sep=";")[COLUMNS].values.astype(np.float64)
n = len(x)


def rate(fn, rows, min_seconds=1.0):
    reps, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < min_seconds:
        fn()
        reps += 1
    return rows * reps / (time.perf_counter() - t0)


def pca_fit():
    scaler = StandardScaler().fit(x)
    return scaler, PCA(n_components=0.85, svd_solver="full").fit(scaler.transform(x))


scaler, pca = pca_fit()


def pca_score():
    z = scaler.transform(x)
    t = pca.transform(z)
    t2 = (t ** 2 / pca.explained_variance_).sum(1)
    q = ((z - pca.inverse_transform(t)) ** 2).sum(1)
    return np.maximum(t2, q)


forest = IsolationForest(n_estimators=100, random_state=0, n_jobs=1).fit(x)
print(json.dumps({
    "sklearn": sklearn.__version__,
    "rows": n,
    "pca_fit": rate(pca_fit, n),
    "pca_score": rate(pca_score, n),
    "iforest_fit": rate(lambda: IsolationForest(n_estimators=100, random_state=0, n_jobs=1).fit(x), n),
    "iforest_score": rate(lambda: forest.score_samples(x), n),
}))
