//! The chain rule as a product (#20 part 2): a program written as a chain of bindings is
//! a chain of layers, and J is the product of the layers' Jacobians, J = J_L ⋯ J_2 · J_1.
//! Forward mode multiplies it from the right, starting from the n columns of the identity;
//! reverse mode from the left, starting from the m rows; the best bracketing is the
//! matrix-chain problem's answer.
//!
//! A binding's layer is its depth: one more than the deepest input-dependent name it
//! reads (inputs are layer 0; bindings that read no input are constants, not layers). The
//! state after layer k holds every name of layer ≤ k that a later layer still reads, so a
//! name read further on passes through as an identity row. Each layer is compiled as a
//! function of the state before it and differentiated by the engine at the values the
//! layers before it computed: the same rules as J itself.

use super::markup::Markup;
use crate::core::compile::{compile_with, Wrt};
use crate::core::parser::parse;
use crate::core::syntax::{ExprId, ExprKind, Program, Stmt};
use crate::core::{Matrix, Tape};

/// Chains of more layers than this are not drawn (each is a matrix on the page).
pub const MAX_LAYERS: usize = 8;

/// The chain at a point: the states (names), the layers' Jacobians and the values.
#[derive(Clone, Debug)]
pub struct Chain {
    /// `states[0]` are J's columns, `states[L]` its rows.
    pub states: Vec<Vec<String>>,
    /// `factors[k]` is ∂states[k+1]/∂states[k].
    pub factors: Vec<Matrix>,
    /// Each layer's operation where the layers are a tensor program's operations
    /// (`view::operations`); empty for a chain of bindings.
    pub ops: Vec<String>,
}

/// Every name an expression reads, in order of first reading.
fn names_read(program: &Program, root: ExprId, out: &mut Vec<String>) {
    let mut stack = vec![root];
    while let Some(e) = stack.pop() {
        match &program.exprs[e as usize].kind {
            ExprKind::Name(n) => {
                if !out.contains(n) {
                    out.push(n.clone())
                }
            }
            ExprKind::Neg(a) => stack.push(*a),
            ExprKind::Binary(_, a, b) => stack.extend([*b, *a]),
            ExprKind::Call { args, .. } => stack.extend(args.iter().rev()),
            ExprKind::List(items) => stack.extend(items.iter().rev()),
            ExprKind::Index { base, items } => {
                stack.push(*base);
                for item in items {
                    stack.extend(item.exprs());
                }
            }
            ExprKind::Num(_) | ExprKind::Error => {}
        }
    }
}

/// The program's chain of layers at `at` (J's columns' values), or why it has none.
pub fn chain(source: &str, tape: &Tape, at: &[f64]) -> Result<Chain, String> {
    let (program, errors) = parse(source);
    if !errors.is_empty() {
        return Err("the function has an error".into());
    }
    if program.uses_tensors() {
        return super::operations::operations_chain(source, tape, at);
    }
    if program.exprs.len() > super::formulas::MAX_EXPRS {
        return Err("the program is longer than the chain is drawn for".into());
    }
    let Some(sig) = program.stmts.iter().find_map(|s| match s {
        Stmt::Signature(sig) => Some(sig),
        _ => None,
    }) else {
        return Err("the function has no signature".into());
    };
    // Layer of each input-dependent name (inputs 0); constants are written into every
    // layer's program as they are, with the names held fixed at their values.
    let mut depth: Vec<(String, usize)> = tape.inputs.iter().map(|n| (n.clone(), 0)).collect();
    let mut constants = String::new();
    for v in tape.variables.iter().filter(|v| !v.column) {
        if let Some(x) = v.values.first() {
            constants.push_str(&format!("{} = {}\n", v.name, crate::core::syntax::format_number(*x)));
        }
    }
    let level = |read: &[String], depth: &[(String, usize)]| {
        read.iter().filter_map(|n| depth.iter().rev().find(|d| &d.0 == n).map(|d| d.1)).max()
    };
    // Each input-dependent binding: its name, layer and expression.
    let mut layers: Vec<(String, usize, ExprId)> = Vec::new();
    let mut reads: Vec<Vec<String>> = Vec::new();
    for stmt in &program.stmts {
        let Stmt::Binding(b) = stmt else { continue };
        let mut read = Vec::new();
        names_read(&program, b.expr, &mut read);
        match level(&read, &depth) {
            Some(d) => {
                depth.push((b.name.clone(), d + 1));
                layers.push((b.name.clone(), d + 1, b.expr));
                reads.push(read);
            }
            None => constants.push_str(&format!("{} = {}\n", b.name, program.explicit(b.expr))),
        }
    }
    let mut out_read = Vec::new();
    for &o in &sig.outputs {
        names_read(&program, o, &mut out_read);
    }
    let last = level(&out_read, &depth).unwrap_or(0) + 1;
    if last < 2 {
        return Err(
            "the program is one layer: write it as a chain of bindings (h = …, then f of h) to see J as a product"
                .into(),
        );
    }
    if last > MAX_LAYERS {
        return Err(format!("the chain has {last} layers, more than the {MAX_LAYERS} drawn"));
    }
    let depth_of = |n: &str| depth.iter().rev().find(|d| d.0 == n).map_or(usize::MAX, |d| d.1);
    // The state after layer k: names of layer ≤ k read by a layer after k (or the outputs).
    let read_after = |n: &str, k: usize| {
        layers.iter().zip(&reads).any(|((_, d, _), r)| *d > k && r.iter().any(|x| x == n))
            || out_read.iter().any(|x| x == n)
    };
    let mut states: Vec<Vec<String>> = vec![tape.inputs.clone()];
    for k in 1..last {
        let names = depth.iter().filter(|(n, d)| *d <= k && read_after(n, k)).map(|(n, _)| n.clone());
        let mut state: Vec<String> = Vec::new();
        for n in names {
            if !state.contains(&n) {
                state.push(n);
            }
        }
        states.push(state);
    }
    states.push(tape.output_names.clone());
    // Each layer as a program of the state before it, evaluated and differentiated there.
    let mut values: Vec<(String, f64)> = tape.inputs.iter().cloned().zip(at.iter().copied()).collect();
    let mut factors = Vec::new();
    let used: Vec<&str> = depth.iter().map(|d| d.0.as_str()).collect();
    let fname = (0..)
        .map(|k| format!("layer{k}"))
        .find(|n| !used.contains(&n.as_str()) && !constants.contains(n.as_str()))
        .unwrap_or_default();
    for k in 1..=last {
        let entries: Vec<String> = if k == last {
            sig.outputs.iter().map(|&o| program.explicit(o)).collect()
        } else {
            states[k]
                .iter()
                .map(|n| match layers.iter().find(|l| &l.0 == n && l.1 == k) {
                    Some(&(_, _, e)) if depth_of(n) == k => program.explicit(e),
                    _ => n.clone(),
                })
                .collect()
        };
        let src = format!("{constants}{fname}({}) = [{}]\n", states[k - 1].join(", "), entries.join(", "));
        let (p, errors) = parse(&src);
        let layer = if errors.is_empty() { compile_with(&p, Wrt::Inputs, &values).ok() } else { None };
        let Some(layer) = layer.filter(|t| t.n() == states[k - 1].len()) else {
            return Err(format!("layer {k} could not be written as a function of the one before"));
        };
        let x = layer.point_from(&values);
        let r =
            crate::core::jacobian(&layer, &x, crate::core::choose(&layer).0, &mut crate::core::Workspace::default());
        if k < last {
            values = states[k].iter().cloned().zip(r.f.iter().copied()).collect();
        }
        factors.push(r.j);
    }
    Ok(Chain { states, factors, ops: Vec::new() })
}

/// The product `a · b`.
pub fn product(a: &Matrix, b: &Matrix) -> Matrix {
    let (m, inner, n) = (a.rows, a.cols, b.cols);
    let mut c = Matrix::zeros(m, n);
    for i in 0..m {
        let out = &mut c.data[i * n..(i + 1) * n];
        for k in 0..inner {
            // A layer's factor is often diagonal or sparse: its zeros are skipped.
            let x = a.get(i, k);
            if x != 0.0 {
                for (o, y) in out.iter_mut().zip(b.row(k)) {
                    *o += x * y;
                }
            }
        }
    }
    c
}

/// Multiply-adds of the product of matrices with these dimensions (`dims[k]` rows of
/// factor k, i.e. states' sizes from the outputs back: J_L first), bracketed by each
/// order and at best: (right to left, left to right, best, best's bracketing).
pub fn chain_costs(sizes: &[usize]) -> (usize, usize, usize, String) {
    // sizes[k] = size of state k; factor k (J_{k+1}) is sizes[k+1] × sizes[k].
    let l = sizes.len() - 1;
    let right: usize = (2..=l).map(|k| sizes[k] * sizes[k - 1] * sizes[0]).sum();
    let left: usize = (0..l - 1).map(|k| sizes[l] * sizes[k + 1] * sizes[k]).sum();
    // best[i][j]: the cheapest product of J_{i+1} … J_{j} (factors i..j-1), states i..j.
    let mut best = vec![vec![0usize; l + 1]; l + 1];
    let mut split = vec![vec![0usize; l + 1]; l + 1];
    for len in 2..=l {
        for i in 0..=l - len {
            let j = i + len;
            best[i][j] = usize::MAX;
            for s in i + 1..j {
                let c = best[i][s] + best[s][j] + sizes[j] * sizes[s] * sizes[i];
                if c < best[i][j] {
                    best[i][j] = c;
                    split[i][j] = s;
                }
            }
        }
    }
    fn bracket(split: &[Vec<usize>], i: usize, j: usize) -> String {
        if j == i + 1 {
            return format!("J{j}");
        }
        let s = split[i][j];
        let part = |a, b| if b - a > 1 { format!("({})", bracket(split, a, b)) } else { bracket(split, a, b) };
        format!("{}·{}", part(s, j), part(i, s))
    }
    (right, left, best[0][l], bracket(&split, 0, l))
}

/// The partial products are not drawn past this many multiply-adds (both orders').
pub const MAX_PRODUCTS: usize = 20_000_000;

/// A picture has at most this many pixels a side; past it each pixel is the entry of
/// largest magnitude of the square block it stands for.
pub const PICTURE_SIDE: usize = 128;

/// Levels of the diverging scale on each side of zero.
const LEVELS: usize = 16;

/// A matrix as a heat picture on its own diverging scale (blue negative, white zero, red
/// positive; grey not a number), an entry a pixel, `label` its text alternative.
pub fn picture(a: &Matrix, label: &str, m: &mut Markup) {
    // Square blocks, so the picture keeps the matrix's shape.
    let block = a.rows.max(a.cols).div_ceil(PICTURE_SIDE).max(1);
    let (rows, cols) = (a.rows.div_ceil(block).max(1), a.cols.div_ceil(block).max(1));
    let (mut pooled, largest) = super::heat::pool(a, block, block);
    pooled.resize(rows * cols, 0.0);
    let scale = if largest > 0.0 { largest } else { 1.0 };
    // Palette: white, LEVELS blues, LEVELS reds, grey.
    let mut palette = vec![[255u8; 3]];
    for sign in [-1.0, 1.0] {
        for k in 1..=LEVELS {
            let [r, g, b, _] = super::field::colour(sign * k as f64 / LEVELS as f64, 1.0, true);
            palette.push([r, g, b]);
        }
    }
    palette.push([150; 3]);
    let pixels: Vec<u8> = pooled
        .iter()
        .map(|&v| {
            if v.is_nan() || v.is_infinite() {
                return (2 * LEVELS + 1) as u8;
            }
            // A nonzero entry is never drawn as zero: the picture shows J's structure too.
            let level = ((v.abs() / scale * LEVELS as f64).round() as usize).clamp((v != 0.0) as usize, LEVELS);
            match level {
                0 => 0,
                l if v < 0.0 => l as u8,
                l => (LEVELS + l) as u8,
            }
        })
        .collect();
    let px = (192 / rows.max(cols)).clamp(1, 20);
    let (w, h) = ((cols * px).max(6).to_string(), (rows * px).max(6).to_string());
    m.open("svg").attr("role", "img").attr("aria-label", label).attr("width", &w).attr("height", &h);
    m.leaf("title", label);
    m.open("image")
        .attr("width", &w)
        .attr("height", &h)
        .attr("preserveAspectRatio", "none")
        .attr("image-rendering", "pixelated")
        .attr("href", &super::png::palette_png(cols, rows, &palette, &pixels))
        .close();
    // A frame, so a picture's zeros are told from the page behind it.
    m.open("rect").attr("width", &w).attr("height", &h).attr("fill", "none").attr("stroke", "#888").close();
    m.close();
}

/// A factor or partial product: its numbers where it is small (MathML), else its picture.
fn shown(label: &str, a: &Matrix, m: &mut Markup) {
    if a.rows <= 6 && a.cols <= 6 {
        m.open("math");
        // Three significant digits: the factors show how J is built, J's table its digits.
        // (Rounded arithmetically: parsing a formatted number would link std's float parser,
        // and its tables, into the worker.)
        let short = |v: f64| {
            if v == 0.0 || !v.is_finite() {
                return v;
            }
            let p = 10f64.powi(2 - v.abs().log10().floor() as i32);
            (v * p).round() / p
        };
        super::mathml::bracketed(a.rows, a.cols, &|i, j, m| super::mathml::number(short(a.get(i, j)), m), m);
        m.close();
    } else {
        let (lo, hi) =
            a.data.iter().filter(|v| v.is_finite()).fold((0.0f64, 0.0f64), |(l, h), &v| (l.min(v), h.max(v)));
        let pooled =
            if a.rows > PICTURE_SIDE || a.cols > PICTURE_SIDE { ", each pixel its block's largest entry" } else { "" };
        picture(
            a,
            &format!(
                "{label}: {} × {}, entries from {} to {}{pooled}",
                a.rows,
                a.cols,
                super::format::format_entry(lo),
                super::format::format_entry(hi)
            ),
            m,
        );
    }
}

/// J_k as MathML.
fn j_sub(k: usize, m: &mut Markup) {
    m.open("msub").leaf("mi", "J").leaf("mn", &k.to_string()).close();
}

/// `J_hi · … · J_lo`.
fn j_run(hi: usize, lo: usize, m: &mut Markup) {
    m.open("mrow");
    for k in (lo..=hi).rev() {
        j_sub(k, m);
        if k > lo {
            m.leaf("mo", "·");
        }
    }
    m.close();
}

/// The chain rule step by step, in a `<details>` under J's formulas: the factors, the
/// forward and reverse orders' partial products, and what each order costs. Small
/// matrices are written out in MathML, the others drawn.
pub fn chain_markup(c: &Chain, m: &mut Markup) {
    let l = c.factors.len();
    let sizes: Vec<usize> = c.states.iter().map(Vec::len).collect();
    let (n, out) = (sizes[0], sizes[l]);
    let (right, left, best, bracketing) = chain_costs(&sizes);
    m.open("details").attr("class", "chain").attr("data-testid", "chain");
    m.open("summary").text("The chain rule: J = ");
    for k in (1..=l).rev() {
        m.text(&format!("J{k}"));
        if k > 1 {
            m.text(" · ");
        }
    }
    m.close();
    if c.ops.is_empty() {
        let states: Vec<String> =
            c.states.iter().map(|s| format!("({})", super::join_bounded(s.iter().cloned(), ", "))).collect();
        m.leaf(
            "p",
            &format!(
                "Each binding is a layer, after the layers it reads; Jk is layer k's Jacobian at the point, from the values layer k reads to those read later: {}.",
                states.join(" → ")
            ),
        );
    } else {
        let sizes: Vec<String> = sizes.iter().map(usize::to_string).collect();
        m.leaf(
            "p",
            &format!(
                "Each operation is a layer; Jk is layer k's Jacobian at the point, from the values layer k reads to those read later, of sizes {}.",
                sizes.join(" → ")
            ),
        );
    }
    // The factors in a row, each with its name (and operation) under it.
    m.open("div").attr("class", "step").attr("data-testid", "chain-factors");
    m.open("math").open("mrow").leaf("mi", "J").leaf("mo", "=").close().close();
    for k in (1..=l).rev() {
        let f = &c.factors[k - 1];
        let name = match c.ops.get(k - 1) {
            Some(op) => format!("J{k} of {op}"),
            None => format!("J{k}"),
        };
        m.open("div");
        shown(&name, f, m);
        // Under the factor, in lines no wider than its picture.
        m.leaf("div", &name).leaf("div", &format!("{} × {}", f.rows, f.cols));
        m.close();
        if k > 1 {
            m.open("math").leaf("mo", "·").close();
        }
    }
    m.close();
    let step = |m: &mut Markup, hi: usize, lo: usize, p: &Matrix, cost: usize| {
        m.open("div").attr("class", "step");
        m.open("math").open("mrow");
        j_run(hi, lo, m);
        m.leaf("mo", "=");
        m.close().close();
        let name: Vec<String> = (lo..=hi).rev().map(|k| format!("J{k}")).collect();
        shown(&name.join("·"), p, m);
        m.leaf("span", &format!("{cost} multiply-adds"));
        m.close();
    };
    let products = right + left <= MAX_PRODUCTS;
    m.leaf(
        "p",
        &format!("Forward mode multiplies from the right, starting from the n = {n} columns of I (J1 · I = J1): each step carries {n} column{}.", if n == 1 { "" } else { "s" }),
    );
    if products {
        m.open("div").attr("class", "steps").attr("data-testid", "chain-forward");
        let mut p = c.factors[0].clone();
        for k in 2..=l {
            let cost = sizes[k] * sizes[k - 1] * n;
            p = product(&c.factors[k - 1], &p);
            step(m, k, 1, &p, cost);
        }
        m.close();
    }
    m.leaf(
        "p",
        &format!("Reverse mode multiplies from the left, starting from the m = {out} rows of I (I · J{l} = J{l}): each step carries {out} row{}.", if out == 1 { "" } else { "s" }),
    );
    if products {
        m.open("div").attr("class", "steps").attr("data-testid", "chain-reverse");
        let mut q = c.factors[l - 1].clone();
        for k in (1..l).rev() {
            let cost = out * sizes[k] * sizes[k - 1];
            q = product(&q, &c.factors[k - 1]);
            step(m, l, k, &q, cost);
        }
        m.close();
    } else {
        m.leaf("p", &format!("The partial products are not drawn past {MAX_PRODUCTS} multiply-adds."));
    }
    let cheaper = match right.cmp(&left) {
        std::cmp::Ordering::Less => "from the right (forward) is cheaper",
        std::cmp::Ordering::Greater => "from the left (reverse) is cheaper",
        std::cmp::Ordering::Equal => "the two orders cost the same",
    };
    let dense =
        if c.ops.is_empty() { "" } else { " (each factor counted as a full matrix, as in the matrix-chain problem)" };
    m.open("p").attr("data-testid", "chain-costs");
    m.text(&format!(
        "Multiply-adds{dense}: from the right (forward) {right}, from the left (reverse) {left}: {cheaper}. The best bracketing, {bracketing}, takes {best}."
    ));
    m.close();
    m.close();
}
