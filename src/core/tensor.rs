//! Shapes of the language's values (numbers, vectors, matrices), the rules that combine
//! them (broadcasting, the matrix product, indexing), the words errors use for them, and
//! the deterministic generator behind `randn` and `uniform`. The compiler lowers every
//! tensor operation to scalar tape nodes through these rules.

/// A value's shape: `[]` a number, `[n]` a vector, `[rows, cols]` a matrix.
pub type Dims = Vec<usize>;

/// How an error names a shape: "a number", "a vector of 3", "a 2×3 matrix".
pub fn describe(dims: &[usize]) -> String {
    match dims {
        [] => "a number".into(),
        [n] => format!("a vector of {n}"),
        [r, c] => format!("a {r}×{c} matrix"),
        _ => format!("a value of {} axes", dims.len()),
    }
}

/// An entry's label: `x[3]`, `W[1, 2]` (0-based, as NumPy and PyTorch count).
pub fn entry_name(name: &str, dims: &[usize], flat: usize) -> String {
    match dims {
        [] => name.to_string(),
        [_] => format!("{name}[{flat}]"),
        [_, c] => format!("{name}[{}, {}]", flat / c, flat % c),
        _ => format!("{name}[{flat}]"),
    }
}

/// `dims` as two axes, a missing leading one counted as 1 (a vector is a row).
fn as_2d(dims: &[usize]) -> [usize; 2] {
    match dims {
        [] => [1, 1],
        [n] => [1, *n],
        [r, c, ..] => [*r, *c],
    }
}

/// NumPy's broadcasting for up to two axes: the shape of `a ⊕ b`, and for each of its
/// entries (row-major) the entry of `a` and of `b` it combines. None when they do not
/// broadcast.
pub fn broadcast(a: &[usize], b: &[usize]) -> Option<(Dims, Vec<(usize, usize)>)> {
    let (pa, pb) = (as_2d(a), as_2d(b));
    let mut out = [0usize; 2];
    for k in 0..2 {
        out[k] = match (pa[k], pb[k]) {
            (x, y) if x == y => x,
            (1, y) => y,
            (x, 1) => x,
            _ => return None,
        };
    }
    let rank = a.len().max(b.len());
    let dims: Dims = out[2 - rank..].to_vec();
    let at = |p: [usize; 2], i: usize, j: usize| (if p[0] == 1 { 0 } else { i }) * p[1] + if p[1] == 1 { 0 } else { j };
    let pairs = (0..out[0]).flat_map(|i| (0..out[1]).map(move |j| (i, j))).map(|(i, j)| (at(pa, i, j), at(pb, i, j)));
    Some((dims, pairs.collect()))
}

/// The shape of `a @ b` and the shared (inner) size, or None when the sizes disagree or an
/// operand is a number.
pub fn matmul_dims(a: &[usize], b: &[usize]) -> Option<(Dims, usize)> {
    match (a, b) {
        ([m, k], [k2, n]) if k == k2 => Some((vec![*m, *n], *k)),
        ([m, k], [k2]) if k == k2 => Some((vec![*m], *k)),
        ([k], [k2, n]) if k == k2 => Some((vec![*n], *k)),
        ([k], [k2]) if k == k2 => Some((Vec::new(), *k)),
        _ => None,
    }
}

/// Why `a @ b` has no shape, in words: "W1 is a 32×64 matrix but x has 10 entries".
pub fn matmul_mismatch(a_name: &str, a: &[usize], b_name: &str, b: &[usize]) -> String {
    let (sa, sb) = (describe(a), describe(b));
    let count = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    match (a, b) {
        ([], _) | (_, []) => {
            let (n, s) = if a.is_empty() { (a_name, sa) } else { (b_name, sb) };
            format!("@ multiplies vectors and matrices, but {n} is {s}: use * to scale")
        }
        ([_, k], [n]) => format!(
            "@ needs {b_name} to have {}, one per column of {a_name}: {a_name} is {sa} but {b_name} has {}",
            count(*k, "entry", "entries"),
            count(*n, "entry", "entries")
        ),
        ([_, k], [r, _]) => format!(
            "@ needs {b_name} to have {}, one per column of {a_name}: {a_name} is {sa} but {b_name} has {}",
            count(*k, "row", "rows"),
            count(*r, "row", "rows")
        ),
        ([k], [r, _]) => format!(
            "@ needs {b_name} to have {}, one per entry of {a_name}: {a_name} is {sa} but {b_name} has {}",
            count(*k, "row", "rows"),
            count(*r, "row", "rows")
        ),
        _ => format!("@ needs matching inner sizes: {a_name} is {sa} but {b_name} is {sb}"),
    }
}

/// Seeds → weights: SplitMix64 (Steele, Lea and Flood 2014), the standard 64-bit mixer, so
/// a seed gives the same numbers on every machine, natively and in the browser.
pub struct Generator(u64);

impl Generator {
    pub fn new(seed: u64) -> Self {
        Generator(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform on [0, 1): the top 53 bits of the next output, times 2⁻⁵³.
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// `count` standard normal numbers by Marsaglia's polar method: pairs (u, v) uniform on
    /// (−1, 1)² are drawn until 0 < s = u² + v² < 1, then u·√(−2 ln s / s) and v·√(…) are
    /// the next two numbers. Only IEEE-exact operations and musl's `log` (the `libm` crate,
    /// the same Rust code everywhere) touch the bits.
    pub fn normals(&mut self, count: usize) -> Vec<f64> {
        let mut out = Vec::with_capacity(count + 1);
        while out.len() < count {
            let u = 2.0 * self.uniform() - 1.0;
            let v = 2.0 * self.uniform() - 1.0;
            let s = u * u + v * v;
            if s > 0.0 && s < 1.0 {
                let f = (-2.0 * libm::log(s) / s).sqrt();
                out.push(u * f);
                out.push(v * f);
            }
        }
        out.truncate(count);
        out
    }
}

/// The functions on vectors and matrices, beside the scalar functions of the rule table
/// (which apply entry by entry): their names, for scope checks and messages.
pub const FUNCTIONS: &[&str] = &[
    "sum",
    "mean",
    "dot",
    "norm",
    "amax",
    "amin",
    "softmax",
    "log_softmax",
    "logsumexp",
    "outer",
    "diag",
    "eye",
    "transpose",
    "reshape",
    "flatten",
    "concat",
    "hstack",
    "vstack",
    "stack",
    "column_stack",
    "unsqueeze",
    "randn",
    "uniform",
    "zeros",
    "ones",
];
