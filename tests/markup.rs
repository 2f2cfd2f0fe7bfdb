//! Markup the text worker writes for the page: J as MathML (#20 parts 1 and 5: the worked
//! example's formulas as a matrix, the point substituted, the reason where there are no
//! formulas), the sparsity figure (#20 part 4: pattern, colouring, compressed J), and only
//! tags and attributes the page's builder (public/boot.js `jpBuild`) accepts.

mod common;
use common::*;
use jacobian_playground::core::Strategy;
use jacobian_playground::examples::EXAMPLES;
use jacobian_playground::view::markup::{outline, Markup, SEP};
use jacobian_playground::view::mathml::j_markup;
use jacobian_playground::view::sparsity::sparsity_markup;

fn markup(src: &str, at: &[f64]) -> String {
    let t = tape(src);
    let j = jac(&t, at, Strategy::Forward);
    j_markup(src, &t, at, &j)
}

/// The `<mtd>` cells of the `math` element with this test id, in order.
fn cells(tokens: &str, testid: &str) -> Vec<String> {
    let all = outline(tokens);
    let start = all.find(&format!("data-testid=\"{testid}\"")).unwrap_or_else(|| panic!("no {testid} in {all}"));
    let body = &all[start..all[start..].find("</math>").unwrap() + start];
    body.split("<mtd>").skip(1).map(|c| c.split("</mtd>").next().unwrap().to_string()).collect()
}

const SUB: fn(&str, &str) -> String = |x, k| format!("<msub><mi>{x}</mi><mn>{k}</mn></msub>");

#[test]
fn the_worked_example_is_a_matrix_of_formulas_then_of_numbers() {
    let tokens = markup("f(x1, x2, x3) = [x1 + x2, x1*x3, x2^3]", &[1.0, 2.0, 3.0]);
    let x = |k| SUB("x", k);
    let want = [
        "<mn>1</mn>".to_string(),
        "<mn>1</mn>".into(),
        "<mn>0</mn>".into(),
        x("3"),
        "<mn>0</mn>".into(),
        x("1"),
        "<mn>0</mn>".into(),
        format!("<mrow><mn>3</mn><mo>·</mo><msup>{}<mn>2</mn></msup></mrow>", x("2")),
        "<mn>0</mn>".into(),
    ];
    assert_eq!(cells(&tokens, "j-symbolic"), want);
    let numbers: Vec<String> =
        ["1", "1", "0", "3", "0", "1", "0", "12", "0"].iter().map(|v| format!("<mn>{v}</mn>")).collect();
    assert_eq!(cells(&tokens, "j-numeric"), numbers);
    let all = outline(&tokens);
    assert!(all.contains("<summary>Substitute the point (1, 2, 3)</summary>"), "{all}");
    assert!(all.contains("<mi>J(1, 2, 3)</mi>"), "{all}");
}

#[test]
fn bindings_stay_names_and_are_given_below() {
    let all = outline(&markup("h = x*y\nf(x, y) = sin(h)", &[0.5, 2.0]));
    // ∂/∂x = cos(h)·y, and the binding's own formula follows the matrix.
    assert!(
        all.contains(
            "<mi>cos</mi><mo>\u{2061}</mo><mrow><mo>(</mo><mi>h</mi><mo>)</mo></mrow></mrow><mo>·</mo><mi>y</mi>"
        ),
        "{all}"
    );
    assert!(
        all.contains("<mtext>where\u{a0}</mtext><mi>h</mi><mo>=</mo><mrow><mi>x</mi><mo>·</mo><mi>y</mi></mrow>"),
        "{all}"
    );
}

#[test]
fn quotients_roots_and_negatives_are_built_as_maths() {
    let all = outline(&markup("f(x) = [1/(1 + x^2), sqrt(x), -2*x]", &[2.0]));
    assert!(all.contains("<mfrac>"), "{all}");
    assert!(all.contains("<msqrt>"), "{all}");
    // −2 is "minus 2", an operator and a number.
    assert!(all.contains("<mrow><mo>−</mo><mn>2</mn></mrow>"), "{all}");
}

#[test]
fn without_formulas_it_says_why_and_still_gives_j_in_numbers() {
    let long = "f(x[70]) = [sum(x * x)]";
    let at: Vec<f64> = (0..70).map(f64::from).collect();
    let all = outline(&markup(long, &at));
    assert!(all.contains("<p>No formulas: its tape has 141 nodes"), "{all}");
    assert_eq!(cells(&markup(long, &at), "j-numeric").len(), 70);
    // A small one has them, the bindings its formulas do not read left out.
    let all = outline(&markup("f(x[3]) = [sum(x * x)]", &[1.0, 2.0, 3.0]));
    assert!(all.contains("<mn>2</mn><mo>·</mo><mi>x[0]</mi>") && !all.contains("where"), "{all}");
    // Past the table's worth of entries, nothing: the table and the picture serve.
    let wide = "f(x[13], y[12]) = outer(x, y)";
    let at: Vec<f64> = (0..25).map(f64::from).collect();
    assert_eq!(markup(wide, &at), "");
}

#[test]
fn text_cannot_break_out_of_its_token() {
    let mut m = Markup::default();
    m.open("mi").text(&format!("a{SEP}<script")).close();
    assert_eq!(outline(&m.into_string()), "<mi>a<script</mi>");
}

/// Every tag the worker writes for the gallery (and Newton's method) is one the page
/// builds, read from public/boot.js's own list, and no attribute is one it refuses.
#[test]
fn the_page_builds_every_tag_and_attribute_the_worker_writes() {
    let boot = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/public/boot.js")).unwrap();
    let list = |name: &str| -> Vec<String> {
        let line = boot.lines().find(|l| l.starts_with(&format!("const {name} = /^("))).unwrap();
        let inner = &line[line.find("/^(").unwrap() + 3..line.find(")$/").unwrap()];
        inner.split('|').map(String::from).collect()
    };
    let tags = list("TAGS");
    let refused = ["on", "href", "src", "style", "xlink"];
    // The one link the page keeps: a picture's pixels as PNG data.
    let kept = |a: &str| a.starts_with("href=data:image/png;base64,");
    let mut seen = 0;
    let mut pictures = 0;
    for e in EXAMPLES.iter() {
        let t = tape(e.source);
        let at = t.point_from(&[]);
        let j = jac(&t, &at, Strategy::Forward);
        let newton = newton_reply(&t, &at, &format!("{}\n0 0\n0 1 0 1\n240", vec!["1"; t.m()].join(",")));
        let tokens = [j_markup(e.source, &t, &at, &j), sparsity_markup(&t), newton.replace('\u{3}', &SEP.to_string())]
            .join(&SEP.to_string());
        for tok in tokens.split(SEP).filter(|t| !t.is_empty()) {
            match tok.split_at(1) {
                ("<", tag) => {
                    assert!(tags.iter().any(|t| t == tag), "{}: <{tag}> is not built", e.title);
                    pictures += (tag == "image") as usize;
                }
                ("@", a) => {
                    let name = a.split('=').next().unwrap();
                    assert!(
                        kept(a) || !refused.iter().any(|r| name.to_lowercase().starts_with(r)),
                        "{}: {name}= is refused",
                        e.title
                    )
                }
                _ => {}
            }
            seen += 1;
        }
    }
    assert!(seen > 1000, "{seen}");
    // The networks' chains draw their big factors.
    assert!(pictures >= 10, "{pictures}");
}

/// The `<rect fill>` colours and `<text>` labels of the cells of one drawn grid, row-major.
fn grid_cells(tokens: &str, testid: &str) -> Vec<(String, String)> {
    let all = outline(tokens);
    let start = all.find(&format!("data-testid=\"{testid}\"")).unwrap_or_else(|| panic!("no {testid}"));
    let body = &all[start..all[start..].find("</svg>").unwrap() + start];
    body.split("<g class=\"cell")
        .skip(1)
        .map(|c| {
            let rect = c.split("<rect").nth(1).unwrap();
            let fill = rect.split("fill=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
            let label =
                c.split("text-anchor=\"middle\">").nth(1).map_or("", |t| t.split('<').next().unwrap()).to_string();
            (fill, label)
        })
        .collect()
}

#[test]
fn the_banded_chain_is_drawn_with_three_sweeps_and_its_compressed_j() {
    let e = EXAMPLES.iter().find(|e| e.id == "banded").unwrap();
    let t = tape(e.source);
    let tokens = sparsity_markup(&t);
    let all = outline(&tokens);
    assert!(all.contains("22 of 64 entries can be nonzero"), "{all}");
    assert!(all.contains("3 compressed sweeps instead of 8"), "{all}");
    assert!(all.contains("<p>Sweep 1 seeds x1 + x4 + x7.</p>"), "{all}");
    assert!(all.contains("<p>Sweep 2 seeds x2 + x5 + x8.</p>"), "{all}");
    assert!(all.contains("<p>Sweep 3 seeds x3 + x6.</p>"), "{all}");
    // The pattern: 22 cells, each in its column's sweep (1, 2, 3, 1, 2, 3, 1, 2).
    let pattern = grid_cells(&tokens, "sparsity-pattern");
    assert_eq!(pattern.len(), 22);
    let row0: Vec<&str> = pattern[..2].iter().map(|c| c.1.as_str()).collect();
    assert_eq!(row0, ["1", "2"]);
    let row3: Vec<&str> = pattern[2 + 3 + 3..2 + 3 + 3 + 3].iter().map(|c| c.1.as_str()).collect();
    assert_eq!(row3, ["3", "1", "2"], "f4 reads x3, x4, x5");
    // The compressed J is 8 × 3, full but for the chain's ends, and each entry names the
    // input it is put back under: row f4 holds x4 (sweep 1), x5 (sweep 2), x3 (sweep 3).
    let compressed = grid_cells(&tokens, "sparsity-compressed");
    assert_eq!(compressed.len(), 22);
    let f4: Vec<&str> = compressed[2 + 3 + 3..2 + 3 + 3 + 3].iter().map(|c| c.1.as_str()).collect();
    assert_eq!(f4, ["x4", "x5", "x3"]);
    assert_eq!(compressed[8].0, pattern[9].0, "x4's colour in both");
    assert_ne!(compressed[9].0, compressed[8].0, "x5's colour is another");
}

#[test]
fn dense_and_big_js_are_said_as_they_are() {
    // The classic example's J: x2 and x3 share no row.
    let all = outline(&sparsity_markup(&tape("f(x1, x2, x3) = [x1 + x2, x1*x3, x2^3]")));
    assert!(all.contains("2 compressed sweeps instead of 3"), "{all}");
    let all = outline(&sparsity_markup(&tape("f(x, y) = [x*y, x + y]")));
    assert!(all.contains("Every two columns share a row: colouring needs 2 sweeps"), "{all}");
    // A tall J compresses its rows, for reverse sweeps.
    let all = outline(&sparsity_markup(&tape("f(a, b, c, d) = [a*b, c*d]")));
    assert!(all.contains("Rows of one colour share no column, so one reverse sweep"), "{all}");
    assert!(all.contains("1 compressed sweep instead of 2"), "{all}");
    assert!(all.contains("one row per sweep"), "{all}");
    // Past 40 × 40, words only.
    let wide = sparsity_markup(&tape("f(x[100]) = x * x"));
    let all = outline(&wide);
    assert!(all.contains("1 compressed sweep instead of 100"), "{all}");
    assert!(all.contains("drawn for J up to 40 × 40"), "{all}");
    assert!(!all.contains("<svg"), "{all}");
}

use jacobian_playground::view::chain::{chain, chain_costs, product};

const THREE_LAYERS: &str = "u = x*y\nv = sin(u) + x\nf(x, y) = [v*u, v]";

#[test]
fn a_chain_of_bindings_is_a_product_of_its_layers_jacobians() {
    let t = tape(THREE_LAYERS);
    let at = [0.5, 2.0];
    let c = chain(THREE_LAYERS, &t, &at).unwrap();
    let names: Vec<Vec<&str>> = c.states.iter().map(|s| s.iter().map(String::as_str).collect()).collect();
    assert_eq!(names, [vec!["x", "y"], vec!["x", "u"], vec!["u", "v"], vec!["f1", "f2"]]);
    assert_eq!(c.factors.len(), 3);
    // J1 = ∂(x, u)/∂(x, y) = [[1, 0], [y, x]].
    assert_eq!(c.factors[0].to_rows(), [[1.0, 0.0], [2.0, 0.5]]);
    let p = product(&c.factors[2], &product(&c.factors[1], &c.factors[0]));
    let j = jac(&t, &at, Strategy::Forward);
    assert_close(&p, &j.to_rows(), 1e-15, 1.0, "J3·J2·J1 = J");
    let all = outline(&markup(THREE_LAYERS, &at));
    assert!(all.contains("<summary>The chain rule: J = J3 · J2 · J1</summary>"), "{all}");
    assert!(all.contains("(x, y) → (x, u) → (u, v) → (f1, f2)"), "{all}");
    assert!(
        all.contains(
            "Multiply-adds: from the right (forward) 16, from the left (reverse) 16: the two orders cost the same."
        ),
        "{all}"
    );
}

#[test]
fn every_gallery_chain_multiplies_out_to_j() {
    let mut chains = 0;
    for e in EXAMPLES.iter() {
        let t = tape(e.source);
        let x = if e.at.len() == t.n() { e.at.to_vec() } else { t.point_from(&[]) };
        let Ok(c) = chain(e.source, &t, &x) else { continue };
        let mut p = c.factors[0].clone();
        for f in &c.factors[1..] {
            p = product(f, &p);
        }
        let j = jac(&t, &x, Strategy::Forward);
        assert_close(&p, &j.to_rows(), 1e-13, 1.0, e.id);
        chains += 1;
    }
    // Cartesian → spherical (r) and softmax (s).
    assert!(chains >= 2, "{chains}");
    // One layer, or vectors: no chain, and why.
    let t = tape("f(x, y) = [x*y, x + y]");
    assert!(chain("f(x, y) = [x*y, x + y]", &t, &[1.0, 2.0]).unwrap_err().contains("one layer"));
}

#[test]
fn the_best_bracketing_is_the_matrix_chain_answer() {
    // J3 is 10 × 100, J2 100 × 5, J1 5 × 50: (J3·J2)·J1 takes 5 000 + 2 500.
    let (right, left, best, bracketing) = chain_costs(&[50, 5, 100, 10]);
    assert_eq!((right, left, best), (25_000 + 50_000, 5_000 + 2_500, 7_500));
    assert_eq!(bracketing, "(J3·J2)·J1");
    // A tall first layer and one output: reverse is cheaper, as the cost panel says.
    let (right, left, best, _) = chain_costs(&[4, 8, 1]);
    assert_eq!((right, left, best), (32, 32, 32));
    let (right, left, _, _) = chain_costs(&[8, 8, 8, 1]);
    assert!(left < right, "{left} {right}");
}

use jacobian_playground::core::newton::{newton, Outcome};
use jacobian_playground::view::newton::newton_reply;

const POLAR: &str = "f(r, theta) = [r*cos(theta), r*sin(theta)]";

#[test]
fn newton_reaches_the_polar_target_quadratically() {
    let t = tape(POLAR);
    let r = newton(&t, &[2.0, 0.6], &[1.0, 1.0]).unwrap();
    assert_eq!(r.outcome, Outcome::Converged);
    assert!(!r.least_squares);
    let steps = r.iterates.len() - 1;
    assert!(steps <= 6, "{steps} steps: {:?}", r.iterates);
    let x = &r.iterates[steps].x;
    assert!((x[0] - 2f64.sqrt()).abs() < 1e-14 && (x[1] - std::f64::consts::FRAC_PI_4).abs() < 1e-14, "{x:?}");
    // Quadratic: once small, each residual is about the square of the last (times a
    // constant of order 1), and the linear model predicted 0 each time.
    let res: Vec<f64> = r.iterates.iter().map(|i| i.residual).collect();
    for w in res.windows(2).filter(|w| w[0] < 0.1 && w[1] > 1e-15) {
        assert!(w[1] < 2.0 * w[0] * w[0], "{res:?}");
    }
    assert!(r.iterates[1..].iter().all(|i| i.predicted.unwrap() < 1e-12));
}

#[test]
fn newton_says_where_it_cannot_go() {
    let t = tape(POLAR);
    // At r = 0 J is singular: the step is undefined, and not taken.
    assert_eq!(newton(&t, &[0.0, 0.6], &[1.0, 1.0]).unwrap().outcome, Outcome::Singular(0));
    // m < n: no isolated solution.
    assert!(newton(&tape("f(x, y) = x*y"), &[1.0, 1.0], &[2.0]).unwrap_err().contains("m = 1 < n = 2"));
    // m > n: Gauss–Newton, to the point whose f was the target.
    let wide = tape("f(u, v) = [u, v, u*v, u + v, sin(u), cos(v), exp(u - v), u^2 - v^2]");
    let goal = [0.3, -0.2];
    let y = jac_f(&wide, &goal);
    let r = newton(&wide, &[0.5, 0.4], &y).unwrap();
    assert!(r.least_squares);
    assert_eq!(r.outcome, Outcome::Converged, "{:?}", r.iterates);
    let x = &r.iterates.last().unwrap().x;
    assert!((x[0] - 0.3).abs() < 1e-12 && (x[1] + 0.2).abs() < 1e-12, "{x:?}");
}

fn jac_f(t: &jacobian_playground::core::Tape, x: &[f64]) -> Vec<f64> {
    jacobian_playground::core::jacobian(t, x, Strategy::Forward, &mut Default::default()).f
}

#[test]
fn the_newton_reply_draws_the_path_on_the_pad_and_tabulates_it() {
    let t = tape(POLAR);
    // Pad axes r, theta; view r ∈ [0, 4], theta ∈ [−0.4, 1.6]; 240 units.
    let reply = newton_reply(&t, &[2.0, 0.6], "1, 1\n0 1\n0 4 -0.4 1.6\n240");
    let (path, table) = reply.split_once('\u{3}').unwrap();
    let path = outline(path);
    let table = outline(table);
    assert!(table.contains("Newton's method towards y* = (1, 1): converged in"), "{table}");
    let rows = table.matches("<tr>").count() - 1;
    let points = path
        .split("class=\"newton-path\"")
        .nth(1)
        .unwrap()
        .split("points=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert_eq!(points.split(' ').count(), rows, "{path}");
    // The start is the point: r = 2 is the middle of [0, 4], theta = 0.6 the middle of [−0.4, 1.6].
    assert!(points.starts_with("120.0,120.0 "), "{points}");
    assert_eq!(path.matches("<circle").count(), rows - 1);
    // A target of the wrong length says what it needs.
    let bad = outline(newton_reply(&t, &[2.0, 0.6], "1\n0 1\n0 4 -0.4 1.6\n240").split_once('\u{3}').unwrap().1);
    assert!(bad.contains("The target y* is 2 numbers, one per output (f1, f2)."), "{bad}");
}

/// A network's chain: one factor per operation of the source, J = W2 · diag(1 − h²) · W1
/// for the gallery's tanh network, and the factors multiply out to J.
#[test]
fn a_networks_chain_is_its_operations_jacobians() {
    let src = EXAMPLES.iter().find(|e| e.id == "network").unwrap().source;
    let t = tape(src);
    let at = [0.3, -0.7];
    let c = chain(src, &t, &at).unwrap();
    assert_eq!(c.ops, ["W1 @ x", "tanh(· + b1)", "W2 @ ·"]);
    let w1 = [[0.5, -1.0], [1.5, 0.2], [-0.3, 0.8]];
    let b1 = [0.1, -0.2, 0.05];
    assert_eq!(c.factors[0].to_rows(), w1.map(|r| r.to_vec()));
    assert_eq!(c.factors[2].to_rows(), [[1.0, -0.5, 0.25], [0.3, 0.9, -1.2]]);
    // J2 = diag(1 − tanh(W1 x + b1)²), and nothing off its diagonal.
    for i in 0..3 {
        let h = (w1[i][0] * at[0] + w1[i][1] * at[1] + b1[i]).tanh();
        for k in 0..3 {
            let want = if i == k { 1.0 - h * h } else { 0.0 };
            assert!((c.factors[1].get(i, k) - want).abs() <= 1e-15, "J2[{i}, {k}]");
        }
    }
    let p = product(&c.factors[2], &product(&c.factors[1], &c.factors[0]));
    assert_close(&p, &jac(&t, &at, Strategy::Reverse).to_rows(), 1e-15, 1.0, "J3·J2·J1 = J");
    let all = outline(&markup(src, &at));
    assert!(all.contains("<div>J2 of tanh(· + b1)</div><div>3 × 3</div>"), "{all}");
    assert!(all.contains("of sizes 2 → 3 → 3 → 2."), "{all}");
}

/// Softmax's nodes (maxima, exponentials, their sum, the quotients) are one factor:
/// diag(p) − p pᵀ. A skip connection passes its value through the layers between.
#[test]
fn an_operation_of_many_nodes_is_one_factor_and_skips_pass_through() {
    let src = "W = [[1, 2], [-1, 0.5], [0.3, -2]]\nf(x[2]) = softmax(W @ x)";
    let t = tape(src);
    let at = [0.4, -0.3];
    let c = chain(src, &t, &at).unwrap();
    assert_eq!(c.ops, ["W @ x", "softmax(·)"]);
    let p = t.eval(&at);
    for i in 0..3 {
        for k in 0..3 {
            let want = if i == k { p[i] } else { 0.0 } - p[i] * p[k];
            assert!((c.factors[1].get(i, k) - want).abs() <= 1e-15, "softmax J[{i}, {k}]");
        }
    }
    let src = "f(x[3]) = tanh(2 * x) * x";
    let t = tape(src);
    let at = [0.1, -0.4, 0.9];
    let c = chain(src, &t, &at).unwrap();
    assert_eq!(c.ops, ["2 * x", "tanh(·)", "· * x"]);
    // PyTorch's spellings name their layers as written.
    for (spelled, ops) in [
        ("f(x[3]) = (2 * x).tanh() * x", ["2 * x", "(·).tanh()", "· * x"]),
        ("f(x[3]) = torch.tanh(2 * x) * x", ["2 * x", "tanh(·)", "· * x"]),
        ("f(x[3]) = (2 * x)[0:3].sum() * x", ["2 * x", "(·)[0:3].sum()", "· * x"]),
    ] {
        assert_eq!(chain(spelled, &tape(spelled), &at).unwrap().ops, ops, "{spelled}");
    }
    // x is read by the last layer, so it is in every state between.
    assert_eq!(c.states.iter().map(Vec::len).collect::<Vec<_>>(), [3, 6, 6, 3]);
    let mut p = c.factors[0].clone();
    for f in &c.factors[1..] {
        p = product(f, &p);
    }
    assert_close(&p, &jac(&t, &at, Strategy::Forward).to_rows(), 1e-15, 1.0, "skip");
}

/// Big factors are pictures: PNG data with an entry a pixel on a palette, white for zero,
/// which the page shows as it is. The decoder's whole chain is a few tens of KB.
#[test]
fn big_factors_are_png_pictures_an_entry_a_pixel() {
    let e = EXAMPLES.iter().find(|e| e.id == "decoder").unwrap();
    let t = tape(e.source);
    let tokens = markup(e.source, e.at);
    assert!(tokens.len() < 100_000, "{}", tokens.len());
    let urls: Vec<&str> = tokens.split(SEP).filter_map(|t| t.strip_prefix("@href=data:image/png;base64,")).collect();
    // 4 factors, 3 forward and 3 reverse partial products.
    assert_eq!(urls.len(), 10);
    assert_eq!(chain(e.source, &t, e.at).unwrap().factors.len(), 4);
    // Drawn from the left: J4, J3, then J2 = diag(tanh′), 64 × 64, white off the diagonal.
    let (w, h, palette, pixels) = decode_png(urls[2]);
    assert_eq!((w, h), (64, 64));
    assert_eq!(palette[0], [255, 255, 255]);
    for i in 0..64 {
        for k in 0..64 {
            assert_eq!(pixels[i * 64 + k] != 0, i == k, "({i}, {k})");
        }
    }
}

/// Reads a palette PNG back (checking its signature and every chunk's CRC) into its
/// width, height, palette and pixels.
fn decode_png(base64: &str) -> (usize, usize, Vec<[u8; 3]>, Vec<u8>) {
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::STANDARD.decode(base64).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let (mut at, mut size, mut palette, mut data) = (8, (0, 0), Vec::new(), Vec::new());
    while at < bytes.len() {
        let len = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        let (kind, body) = (&bytes[at + 4..at + 8], &bytes[at + 8..at + 8 + len]);
        let crc = u32::from_be_bytes(bytes[at + 8 + len..at + 12 + len].try_into().unwrap());
        let mut h = crc32fast_like(&bytes[at + 4..at + 8 + len]);
        h ^= crc;
        assert_eq!(h, 0, "CRC of {}", String::from_utf8_lossy(kind));
        match kind {
            b"IHDR" => {
                size = (
                    u32::from_be_bytes(body[0..4].try_into().unwrap()) as usize,
                    u32::from_be_bytes(body[4..8].try_into().unwrap()) as usize,
                );
                assert_eq!(&body[8..], [8, 3, 0, 0, 0]);
            }
            b"PLTE" => palette = body.chunks(3).map(|c| [c[0], c[1], c[2]]).collect(),
            b"IDAT" => data.extend_from_slice(body),
            _ => {}
        }
        at += 12 + len;
    }
    let raw = miniz_oxide::inflate::decompress_to_vec_zlib(&data).unwrap();
    let (w, h) = size;
    assert_eq!(raw.len(), h * (w + 1));
    let pixels = raw.chunks(w + 1).flat_map(|r| {
        assert_eq!(r[0], 0, "filter");
        r[1..].to_vec()
    });
    (w, h, palette, pixels.collect())
}

/// CRC-32 written bit by bit here, independently of the worker's.
fn crc32fast_like(bytes: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for &b in bytes {
        for k in 0..8 {
            let bit = ((b >> k) & 1) as u32 ^ (c & 1);
            c = (c >> 1) ^ if bit != 0 { 0xEDB8_8320 } else { 0 };
        }
    }
    !c
}

/// The `points` of every polyline of this class, as (u, v) pairs in the pad's units.
fn polylines(markup: &str, class: &str) -> Vec<Vec<(f64, f64)>> {
    outline(markup)
        .split(&format!("class=\"{class}\""))
        .skip(1)
        .map(|rest| {
            let pts = rest.split("points=\"").nth(1).unwrap().split('"').next().unwrap();
            pts.split(' ')
                .map(|p| {
                    let (u, v) = p.split_once(',').unwrap();
                    (u.parse().unwrap(), v.parse().unwrap())
                })
                .collect()
        })
        .collect()
}

/// Over the pad: the curves r·cos θ = 1 and r·sin θ = 1, and each step's linear model of
/// them, dashed lines crossing at the next iterate.
#[test]
fn newtons_linear_model_is_drawn_as_lines_crossing_at_the_next_iterate() {
    let t = tape(POLAR);
    let reply = newton_reply(&t, &[2.0, 0.6], "1, 1\n0 1\n0 4 -0.4 1.6\n240");
    let (path, table) = reply.split_once('\u{3}').unwrap();
    assert!(outline(table).contains("f1 orange, f2 blue"), "{}", outline(table));
    // Pad units back to (r, θ).
    let data = |(u, v): (f64, f64)| (u / 240.0 * 4.0, -0.4 + (1.0 - v / 240.0) * 2.0);
    type Curve = fn(f64, f64) -> f64;
    let curves: [(&str, Curve); 2] =
        [("newton-curve-1", |r, th| r * th.cos()), ("newton-curve-2", |r, th| r * th.sin())];
    for (class, f) in curves {
        let segments = polylines(path, class);
        assert!(segments.len() > 40, "{class}: {}", segments.len());
        for p in segments.into_iter().flatten() {
            let (r, th) = data(p);
            // Linear interpolation on a 48-cell grid, and 0.1-unit rounding.
            assert!((f(r, th) - 1.0).abs() < 0.02, "{class} at ({r}, {th}): {}", f(r, th));
        }
    }
    let iterates = &polylines(path, "newton-path")[0];
    let (l1, l2) = (polylines(path, "newton-model-1"), polylines(path, "newton-model-2"));
    assert_eq!((l1.len(), l2.len()), (iterates.len() - 1, iterates.len() - 1));
    // Step 1's two lines cross at iterate 1 (to the markup's rounding).
    let cross = |a: &[(f64, f64)], b: &[(f64, f64)]| {
        let (p, r) = (a[0], (a[1].0 - a[0].0, a[1].1 - a[0].1));
        let (q, s) = (b[0], (b[1].0 - b[0].0, b[1].1 - b[0].1));
        let t = ((q.0 - p.0) * s.1 - (q.1 - p.1) * s.0) / (r.0 * s.1 - r.1 * s.0);
        (p.0 + t * r.0, p.1 + t * r.1)
    };
    let (u, v) = cross(&l1[0], &l2[0]);
    assert!((u - iterates[1].0).abs() < 0.3 && (v - iterates[1].1).abs() < 0.3, "({u}, {v}) vs {:?}", iterates[1]);
    // Three inputs: nothing is traced (the pad shows a slice of where Newton moves).
    let three = tape("f(x, y, z) = [x + y, y*z, x - z]");
    let reply = newton_reply(&three, &[1.0, 1.0, 1.0], "1, 2, 0\n0 1\n0 2 0 2\n240");
    assert!(polylines(&reply, "newton-curve-1").is_empty() && !reply.contains("On the pad"));
}
