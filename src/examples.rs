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

/// The gallery's other examples, as the page lists them before it has fetched them:
/// id and title (a test checks them against the file).
pub const GALLERY: &[(&str, &str)] = &[
    ("polar", "Polar → Cartesian"),
    ("spherical", "Cartesian → spherical"),
    ("network", "A tanh network 2 → 3 → 2"),
    ("mlp", "A 4 → 8 → 3 network in three lines"),
    ("pytorch", "A classifier as PyTorch writes it"),
    ("decoder", "A VAE decoder: 32 → 64 (an 8 × 8 image)"),
    ("softmax", "Softmax of 4 inputs"),
    ("lorenz", "The Lorenz vector field"),
    ("rosenbrock", "Rosenbrock (1 × n, with its Hessian)"),
    ("arm", "A two-link robot arm"),
    ("unused", "An input no output uses"),
    ("wide", "A wide map, n = 2, m = 8"),
    ("tall", "A tall map, n = 8, m = 1"),
    ("banded", "A banded chain: sparse J, 3 sweeps for 8 inputs"),
    ("cancellation", "Cancellation: the program loses digits"),
];

/// Whether `id` names an example a link may open by name (`?example=softmax`).
pub fn is_id(id: &str) -> bool {
    id == CLASSIC.id || id == DIGITS.id || GALLERY.iter().any(|&(g, _)| g == id)
}

/// The file that holds them, beside the page (`public/examples/`, copied by Trunk): the
/// page carries only the first example (its first screen) and fetches the rest when one is
/// picked.
pub const GALLERY_PATH: &str = "examples/gallery.txt";

/// Every example, the first one first: compiled in natively (tests, benchmarks), where
/// the page fetches `GALLERY_PATH` instead.
pub static EXAMPLES: std::sync::LazyLock<Vec<Example>> = std::sync::LazyLock::new(|| {
    let mut all = vec![CLASSIC];
    all.extend(parse_gallery(include_str!("../public/examples/gallery.txt")));
    all
});

/// The examples in the gallery's file: each is `%% id`, then `title:`, `at:` and `note:`
/// lines, then its program. Its text lives as long as the program (read once).
pub fn parse_gallery(text: &str) -> Vec<Example> {
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let mut out = Vec::new();
    for part in text.split("\n%% ").skip(1) {
        let (id, rest) = part.split_once('\n').unwrap_or((part, ""));
        let mut lines = rest.lines();
        let mut field = |key: &str| lines.next().and_then(|l| l.strip_prefix(key)).unwrap_or("").to_string();
        let (title, at, note) = (field("title: "), field("at: "), field("note: "));
        let source: String = lines.map(|l| format!("{l}\n")).collect();
        let at: Vec<f64> = at.split(',').filter_map(|v| crate::core::decimal::parse(v.trim())).collect();
        out.push(Example {
            id: leak(id.trim().to_string()),
            title: leak(title),
            source: leak(source),
            at: Box::leak(at.into_boxed_slice()),
            note: leak(note),
        });
    }
    out
}

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
