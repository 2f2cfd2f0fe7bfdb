//! Worked examples shown in the gallery. Plain data: the UI lists them, tests compile them.

pub struct Example {
    pub id: &'static str,
    pub title: &'static str,
    pub source: &'static str,
    pub at: &'static [f64],
    pub note: &'static str,
}

pub const CLASSIC: Example = Example {
    id: "classic",
    title: "The classic: (x1+x2, x1·x3, x2³)",
    source: "# The worked example from torch.autograd.functional.jacobian\nf(x1, x2, x3) = [x1 + x2, x1*x3, x2^3]\n",
    at: &[3.0, 4.0, 5.0],
    note: "Row i is the gradient of output i. x1·x3 puts x3 in column 1 and x1 in column 3; x2³ gives 3·x2² = 48 at x2 = 4.",
};

pub const EXAMPLES: &[Example] = &[
    CLASSIC,
    Example {
        id: "polar",
        title: "Polar → Cartesian",
        source: "f(r, theta) = [r*cos(theta), r*sin(theta)]\n",
        at: &[2.0, 0.6],
        note: "det J = r: area stretches with the radius and collapses at the origin, where the map is singular.",
    },
    Example {
        id: "spherical",
        title: "Cartesian → spherical",
        source: "r = sqrt(x^2 + y^2 + z^2)\nf(x, y, z) = [r, acos(z / r), atan2(y, x)]\n",
        at: &[1.0, 2.0, 2.0],
        note: "The first row is the unit vector x/r. On the z-axis the azimuth's row blows up: the coordinates are singular there.",
    },
    Example {
        id: "network",
        title: "A tanh network 2 → 3 → 2",
        source: "# the Jacobian of a network's output w.r.t. its input\nW1 = [[0.5, -1], [1.5, 0.2], [-0.3, 0.8]]\nb1 = [0.1, -0.2, 0.05]\nW2 = [[1, -0.5, 0.25], [0.3, 0.9, -1.2]]\nnet(x[2]) = W2 @ tanh(W1 @ x + b1)\n",
        at: &[0.3, -0.7],
        note: "J = W2 · diag(1 − h²) · W1. PyTorch needs one backward pass per output row (m = 2) or one forward pass per input (n = 2).",
    },
    Example {
        id: "mlp",
        title: "A 4 → 8 → 3 network in three lines",
        source: "# vectors and matrices; weights from a seeded generator, the same everywhere\nW1 = randn(8, 4, 1) / 2\nW2 = randn(3, 8, 2) / 3\nnet(x[4]) = softmax(W2 @ tanh(W1 @ x))\n",
        at: &[0.5, -0.2, 0.1, 0.8],
        note: "A network written with vectors and matrices (counted from 0: x[0] is the first input) and a softmax. J = (diag(p) − p pᵀ) · W2 · diag(1 − h²) · W1; the outputs sum to 1, so each column of J sums to 0.",
    },
    Example {
        id: "decoder",
        title: "A VAE decoder: 32 → 64 (an 8 × 8 image)",
        source: "# the decoder from the PyTorch thread: a 32-vector in, an image out\nW1 = randn(64, 32, 7) / 6\nW2 = randn(64, 64, 8) / 8\ndec(z[32]) = reshape(sigmoid(W2 @ tanh(W1 @ z)), 8, 8)\n",
        at: &[
            0.8, -0.4, 1.1, 0.3, -1.2, 0.5, 0.0, -0.7, 0.9, -0.1, 0.4, -0.9, 1.3, 0.2, -0.5, 0.6, -0.3, 0.7, -1.0, 0.1, 0.5,
            -0.6, 0.2, 1.0, -0.8, 0.3, -0.2, 0.9, -0.4, 0.6, 0.0, -1.1,
        ],
        note: "J is 64 × 32: one row per pixel, one column per latent number. The thread's author turned to finite \
               differences because a backward pass per pixel was slow; here one batched forward sweep gives J exactly. \
               Finite differences take 32 or 64 evaluations and still lose digits: in the cost table, forward differences \
               are off by about 1e−8 and central ones by about 1e−11, on entries of at most 0.11.",
    },
    Example {
        id: "softmax",
        title: "Softmax of 4 inputs",
        source: "s = exp(a) + exp(b) + exp(c) + exp(d)\nsoftmax(a, b, c, d) = [exp(a)/s, exp(b)/s, exp(c)/s, exp(d)/s]\n",
        at: &[0.1, 0.5, -0.3, 1.2],
        note: "J = diag(p) − p pᵀ: symmetric, every row sums to 0 (adding a constant to all inputs changes nothing), so det J = 0.",
    },
    Example {
        id: "lorenz",
        title: "The Lorenz vector field",
        source: "sigma = 10\nrho = 28\nbeta = 8/3\nf(x, y, z) = [sigma*(y - x), x*(rho - z) - y, x*y - beta*z]\n",
        at: &[1.0, 1.0, 1.0],
        note: "Its divergence −σ − 1 − β = −13.67 is the same everywhere: volumes shrink at a constant rate.",
    },
    Example {
        id: "rosenbrock",
        title: "Rosenbrock (1 × n, with its Hessian)",
        source: "f(x, y) = (1 - x)^2 + 100*(y - x^2)^2\n",
        at: &[-1.2, 1.0],
        note: "A 1 × 2 Jacobian is the gradient; one reverse pass gets it. The Hessian is the Jacobian of that gradient.",
    },
    Example {
        id: "arm",
        title: "A two-link robot arm",
        source: "# joint angles → hand position, links of length 1 and 0.7\narm(a, b) = [cos(a) + 0.7*cos(a + b), sin(a) + 0.7*sin(a + b)]\n",
        at: &[0.4, 1.1],
        note: "det J = 0.7·sin(b): with the elbow straight (b = 0) the hand cannot move along the arm.",
    },
    Example {
        id: "unused",
        title: "An input no output uses",
        source: "f(x, y, z) = [x*y, sin(y)]\n",
        at: &[1.0, 2.0, 3.0],
        note: "No output depends on z, so its column is exactly zero (PyTorch: allow_unused / strict=True).",
    },
    Example {
        id: "wide",
        title: "A wide map, n = 2, m = 8",
        source: "f(u, v) = [u, v, u*v, u + v, sin(u), cos(v), exp(u - v), u^2 - v^2]\n",
        at: &[0.5, -0.4],
        note: "n = 2 < m = 8: two forward passes (one per column) beat eight reverse passes (one per row).",
    },
    Example {
        id: "tall",
        title: "A tall map, n = 8, m = 1",
        source: "f(a, b, c, d, p, q, r, s) = a*b + c*d + p*q + r*s + sin(a + s)\n",
        at: &[1.0, 2.0, 3.0, 4.0, 0.5, 0.25, -1.0, 0.75],
        note: "m = 1 < n = 8: one reverse pass gives the whole gradient; forward mode needs eight.",
    },
    Example {
        id: "banded",
        title: "A banded chain: sparse J, 3 sweeps for 8 inputs",
        source: "# each output reads its input and its two neighbours (a 1-D diffusion residual)\nf(x1, x2, x3, x4, x5, x6, x7, x8) = [2*x1 - x2 + x1^3, 2*x2 - x1 - x3 + x2^3, 2*x3 - x2 - x4 + x3^3, 2*x4 - x3 - x5 + x4^3, 2*x5 - x4 - x6 + x5^3, 2*x6 - x5 - x7 + x6^3, 2*x7 - x6 - x8 + x7^3, 2*x8 - x7 + x8^3]\n",
        at: &[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8],
        note: "J is tridiagonal: 22 of 64 entries can be nonzero. Inputs x1, x4, x7 share no output, nor x2, x5, x8, nor x3, x6: \
               three forward sweeps, each seeded with one group's sum, give all of J (the Analysis view draws the colouring).",
    },
    Example {
        id: "cancellation",
        title: "Cancellation: the program loses digits",
        source: "# f1 = (1 - cos x)/x^2 cancels at small x; f2 is the same function, written stably\nf(x) = [(1 - cos(x))/x^2, 2*sin(x/2)^2/x^2, exp(x)*1e8]\n",
        at: &[1e-4],
        note: "AD is exact for the float64 program, but f1's program loses 8 of 16 digits in 1 − cos x here: its value and AD's ∂f1/∂x = 4.41e−5 are rounding noise (the true derivative is −8.33e−6). f2, the stable rewrite, keeps its value's digits, but AD differentiates the program, and ∂f2/∂x subtracts two terms of size 1/x: it keeps 7 (the command line's digits check counts them, in double-double). Finite differences lose the digits that are left.",
    },
];

/// A gallery example whose program is a file beside the page, fetched when it is picked:
/// a trained network's weights are kilobytes that the page itself need not carry.
pub struct Remote {
    pub id: &'static str,
    pub title: &'static str,
    /// Relative to the page (`public/examples/`, copied beside it by Trunk).
    pub path: &'static str,
    /// The preset image (`PRESETS`) it opens on.
    pub preset: usize,
    pub note: &'static str,
}

pub const DIGITS: Remote = Remote {
    id: "digits",
    title: "A digit classifier trained on 8×8 handwriting",
    path: "examples/digits.jp",
    preset: 3,
    note: "64 → 16 → 10, trained on the 8×8 digits scikit-learn ships (scripts/train-digits.py): 97.6 % of 450 held-out \
           digits right. Paint on the image: each class's row of J, drawn as an 8 × 8 map, shows which pixels raise (red) \
           or lower (blue) its probability.",
};

/// One held-out digit of each class from scikit-learn's 8×8 set (written out by
/// scripts/train-digits.py): a pixel's ink 0…16 as a base-17 digit, row by row.
pub const PRESETS: [&str; 10] = [
    "002ed30000dd9b0000g70c0003g50a5005g1085003g10a5000g85e30004gg910",
    "0000be300002gg20000bge00003ggf0001dggd0006g9fd000000cg1000009e10",
    "007ge300009ebf0000150f5000000g5000003g400001ce10005cgge1008gead3",
    "009ga1000083g4000005e200002gf70000003f2004600d7006d15g3000agf500",
    "000a9000005f009500ea07g405g75g600bggge00034bg8000007g200000cc000",
    "005gg300009g700000cf200001fgf400009dg9000000ec00005cg800003ff100",
    "003b000000cb000001e1000002f0000004ffgf2001g848b001gb7ac0005acf70",
    "002dg90000cc7g3001e30g400004ag60000dgg900005d100000b9000001g4000",
    "0003ca00001e6f00000g6a00000eg200003ef30001g49900004d47800003abf2",
    "008ga20000cdeb0000ad8g20004ffg8000038bd0000005g4001227g5003eggb1",
];

/// Preset `k` as ink 0…1 on a `rows × cols` image (nearest pixel of the 8 × 8 original).
pub fn preset(k: usize, rows: usize, cols: usize) -> Vec<f64> {
    let px = PRESETS[k % PRESETS.len()].as_bytes();
    let mut out = Vec::with_capacity(rows * cols);
    for i in 0..rows {
        for j in 0..cols {
            let c = px[i * 8 / rows.max(1) * 8 + j * 8 / cols.max(1)] as char;
            out.push(c.to_digit(17).unwrap_or(0) as f64 / 16.0);
        }
    }
    out
}
