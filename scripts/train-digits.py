"""Trains the gallery's digit classifier and writes it as a program in the playground's language.

The data are the 8×8 handwritten digits scikit-learn ships inside its wheel
(`sklearn.datasets.load_digits` reads a file in the package; nothing is downloaded): 1 797
images, pixels 0…16, scaled here to 0…1 as the paint pad paints them. The network is
64 → 16 → 10, tanh then softmax, trained with NumPy (full-batch Adam on cross-entropy, a
fixed seed, so a rerun writes the same file). The weights are written with 4 significant
digits and the accuracy on the held-out quarter is measured on those rounded weights, as
the page runs them.

    python3 -m venv /tmp/sk && /tmp/sk/bin/pip install scikit-learn numpy
    /tmp/sk/bin/python scripts/train-digits.py > public/examples/digits.jp
"""

import sys

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

HIDDEN = 16
EPOCHS = 1500
SEED = 0


def forward(params, x):
    w1, b1, w2, b2 = params
    h = np.tanh(x @ w1.T + b1)
    z = h @ w2.T + b2
    z = z - z.max(axis=1, keepdims=True)
    p = np.exp(z)
    return h, p / p.sum(axis=1, keepdims=True)


def train(x, y):
    rng = np.random.default_rng(SEED)
    params = [
        rng.normal(0, 1 / np.sqrt(64), (HIDDEN, 64)),
        np.zeros(HIDDEN),
        rng.normal(0, 1 / np.sqrt(HIDDEN), (10, HIDDEN)),
        np.zeros(10),
    ]
    onehot = np.eye(10)[y]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    lr, b1_, b2_, eps, decay = 0.01, 0.9, 0.999, 1e-8, 1e-4
    for t in range(1, EPOCHS + 1):
        h, p = forward(params, x)
        dz = (p - onehot) / len(x)
        dh = (dz @ params[2]) * (1 - h**2)
        grads = [dh.T @ x, dh.sum(0), dz.T @ h, dz.sum(0)]
        grads[0] += decay * params[0]
        grads[2] += decay * params[2]
        for k, g in enumerate(grads):
            m[k] = b1_ * m[k] + (1 - b1_) * g
            v[k] = b2_ * v[k] + (1 - b2_) * g * g
            params[k] -= lr * (m[k] / (1 - b1_**t)) / (np.sqrt(v[k] / (1 - b2_**t)) + eps)
    return params


def rounded(a):
    # 4 significant digits; a weight on a pixel that is blank in every image decays to
    # ~1e-36 and is written as 0.
    return np.array([0.0 if abs(v) < 5e-5 else float(f"{v:.4g}") for v in a.ravel()]).reshape(a.shape)


def literal(a):
    if a.ndim == 1:
        return "[" + ", ".join(f"{v:.4g}" for v in a) + "]"
    return "[" + ",\n  ".join(literal(r) for r in a) + "]"


def main():
    digits = load_digits()
    x = digits.data / 16.0
    x_train, x_test, y_train, y_test = train_test_split(
        x, digits.target, test_size=0.25, random_state=SEED, stratify=digits.target
    )
    params = [rounded(p) for p in train(x_train, y_train)]
    train_acc = (forward(params, x_train)[1].argmax(1) == y_train).mean()
    test_acc = (forward(params, x_test)[1].argmax(1) == y_test).mean()
    print(
        f"train {train_acc:.4f} test {test_acc:.4f} on {len(y_test)} held-out digits",
        file=sys.stderr,
    )
    w1, b1, w2, b2 = params
    print(f"# A digit classifier 64 → {HIDDEN} → 10, trained on scikit-learn's 8×8 digits by")
    print("# scripts/train-digits.py (NumPy, full-batch Adam, seed 0): pixels 0 (white) to 1 (ink).")
    print(f"# Accuracy on the {len(y_test)} held-out digits: {100 * test_acc:.1f} % (training set {100 * train_acc:.1f} %).")
    print(f"W1 = {literal(w1)}")
    print(f"b1 = {literal(b1)}")
    print(f"W2 = {literal(w2)}")
    print(f"b2 = {literal(b2)}")
    print("digits(img[8, 8]) = softmax(W2 @ tanh(W1 @ flatten(img) + b1) + b2)")
    # One held-out digit of each class, for the paint pad's presets (src/examples.rs): a
    # pixel 0…16 as a base-17 digit.
    for d in range(10):
        k = int(np.flatnonzero(y_test == d)[0])
        pixels = "".join("0123456789abcdefg"[int(v)] for v in (x_test[k] * 16).round())
        print(f'    "{pixels}",', file=sys.stderr)


if __name__ == "__main__":
    main()
