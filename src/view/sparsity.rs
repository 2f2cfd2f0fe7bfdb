//! J's sparsity, seen (#20 part 4): the structural pattern, the colouring the sparse
//! strategy uses (columns of one colour share no row, so one forward sweep seeded with
//! their sum gives all of them; or rows, for reverse sweeps), and the compressed J each
//! entry is taken back out of. Drawn by the text worker as SVG markup (`view::markup`):
//! it depends only on the function, not on the point.

use super::markup::Markup;
use crate::core::Tape;

/// The pattern is drawn for J up to this many rows and columns (a cell per entry, each
/// two SVG elements, four where there is room for its label); past it the text says what
/// the colouring does.
pub const MAX_SIDE: usize = 40;

/// Colours of the sweeps (Okabe and Ito's, told apart by most colour-blind readers); each
/// cell also carries its sweep's number where there is room.
const PALETTE: [&str; 8] = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999"];

/// The drawing's unit: cells of this many pixels, fewer for a big J.
fn cell_size(cols: usize) -> usize {
    (360 / cols.max(1)).clamp(6, 26)
}

/// What the sparse strategy does with `tape`'s J: which way it compresses (columns for
/// forward sweeps), each column's (row's) sweep, and how many sweeps.
pub struct Compression<'a> {
    pub by_columns: bool,
    pub colour: &'a [u32],
    pub sweeps: usize,
}

pub fn compression(tape: &Tape) -> Compression<'_> {
    let (cols, rows) = (&tape.col_colouring, &tape.row_colouring);
    let by_columns = cols.count <= rows.count;
    let c = if by_columns { cols } else { rows };
    Compression { by_columns, colour: &c.colour, sweeps: c.count }
}

/// One grid: `rows` × `cols` cells, `fill(i, j)` giving a filled cell's sweep and its
/// label and hover text; row and column names along the edges where there is room.
fn grid(
    m: &mut Markup,
    testid: &str,
    label: &str,
    (rows, cols): (usize, usize),
    names: (&[String], &[String]),
    fill: &dyn Fn(usize, usize) -> Option<(u32, String, String)>,
) {
    let s = cell_size(cols);
    let named = s >= 16;
    let (left, top) = if named { (34, 18) } else { (0, 0) };
    let (w, h) = (left + cols * s + 1, top + rows * s + 1);
    m.open("svg")
        .attr("data-testid", testid)
        .attr("role", "img")
        .attr("aria-label", label)
        .attr("viewBox", &format!("0 0 {w} {h}"))
        .attr("width", &w.to_string())
        .attr("height", &h.to_string())
        .attr("font-size", "11")
        .attr("fill", "currentColor");
    let short = |n: &str| n.chars().take(4).collect::<String>();
    if named {
        for (j, n) in names.1.iter().enumerate().take(cols) {
            m.open("text").attr("x", &(left + j * s + s / 2).to_string()).attr("y", "13").attr("text-anchor", "middle");
            m.text(&short(n)).close();
        }
        for (i, n) in names.0.iter().enumerate().take(rows) {
            m.open("text").attr("x", &(left - 4).to_string()).attr("y", &(top + i * s + s / 2 + 4).to_string());
            m.attr("text-anchor", "end").text(&short(n)).close();
        }
    }
    m.open("rect")
        .attr("fill", "none")
        .attr("stroke", "#8a8f98")
        .attr("x", &left.to_string())
        .attr("y", &top.to_string())
        .attr("width", &(cols * s).to_string())
        .attr("height", &(rows * s).to_string())
        .close();
    for i in 0..rows {
        for j in 0..cols {
            let Some((sweep, text, hover)) = fill(i, j) else { continue };
            let (x, y) = (left + j * s, top + i * s);
            // Labels dark on the light colours, white on the darker ones, whatever the theme.
            m.open("g").attr("class", "cell").attr("fill", if matches!(sweep % 8, 4 | 5) { "#fff" } else { "#111" });
            m.open("rect")
                .attr("x", &(x + 1).to_string())
                .attr("y", &(y + 1).to_string())
                .attr("width", &(s - 1).to_string())
                .attr("height", &(s - 1).to_string())
                .attr("fill", PALETTE[sweep as usize % PALETTE.len()]);
            if named {
                m.leaf("title", &hover);
            }
            m.close();
            if named {
                m.open("text")
                    .attr("x", &(x + s / 2).to_string())
                    .attr("y", &(y + s / 2 + 4).to_string())
                    .attr("text-anchor", "middle")
                    .text(&text)
                    .close();
            }
            m.close();
        }
    }
    m.close();
}

/// The sparsity figure: what the colouring saves in words, J's pattern coloured by sweep,
/// and the compressed J with each entry named by the column (row) it is put back in.
pub fn sparsity_markup(tape: &Tape) -> String {
    let (n, m) = (tape.n(), tape.m());
    let mut out = Markup::default();
    if n == 0 || m == 0 {
        return String::new();
    }
    let c = compression(tape);
    let (what, other, mode) = if c.by_columns { ("columns", "row", "forward") } else { ("rows", "column", "reverse") };
    let capital = if c.by_columns { "Columns" } else { "Rows" };
    let full = if c.by_columns { n } else { m };
    out.leaf("h3", "Sparsity and colouring");
    let mut words =
        format!("J's pattern: {} of {} entries can be nonzero, whatever the point. ", tape.nonzeros(), n * m);
    words += &if c.sweeps < full {
        format!(
            "{capital} of one colour share no {other}, so one {mode} sweep seeded with their sum gives all of them at once: {} compressed sweep{} instead of {full}.",
            c.sweeps,
            if c.sweeps == 1 { "" } else { "s" }
        )
    } else {
        format!("Every two {what} share a {other}: colouring needs {full} sweeps, as many as the {what}, and saves nothing here.")
    };
    out.leaf("p", &words);
    let names: &[String] = if c.by_columns { &tape.inputs } else { &tape.output_names };
    for k in 0..c.sweeps.min(8) {
        let members: Vec<String> = (0..full).filter(|&j| c.colour[j] as usize == k).map(|j| names[j].clone()).collect();
        out.leaf("p", &format!("Sweep {} seeds {}.", k + 1, super::join_bounded(members.into_iter(), " + ")));
    }
    if c.sweeps > 8 {
        out.leaf("p", &format!("… and {} more sweeps.", c.sweeps - 8));
    }
    if n > MAX_SIDE || m > MAX_SIDE {
        out.leaf("p", &format!("The pattern is drawn for J up to {MAX_SIDE} × {MAX_SIDE}."));
        return out.into_string();
    }
    // (i, j) → is it in the pattern?
    let mut on = vec![false; m * n];
    for (i, row) in tape.pattern.iter().enumerate() {
        for &j in row {
            on[i * n + j as usize] = true;
        }
    }
    let sweep_of = |i: usize, j: usize| if c.by_columns { c.colour[j] } else { c.colour[i] };
    let entry = |i: usize, j: usize| format!("∂{}/∂{}", tape.output_names[i], tape.inputs[j]);
    out.open("div").attr("class", "sparsity");
    out.open("div").open("p");
    out.text("J's pattern, each entry in its sweep's colour and number:");
    out.close();
    grid(
        &mut out,
        "sparsity-pattern",
        "J's sparsity pattern coloured by sweep",
        (m, n),
        (&tape.output_names, &tape.inputs),
        &|i, j| {
            on[i * n + j].then(|| {
                let k = sweep_of(i, j);
                (k, (k + 1).to_string(), format!("{}: sweep {}", entry(i, j), k + 1))
            })
        },
    );
    out.close();
    let sweeps: Vec<String> = (1..=c.sweeps).map(|k| format!("s{k}")).collect();
    // The compressed J: one column (row) per sweep; each of its entries is the one entry
    // of J in that row (column) whose column (row) has the sweep's colour.
    let source = |i: usize, k: usize| -> Option<usize> {
        (0..full).find(|&j| c.colour[j] as usize == k && if c.by_columns { on[i * n + j] } else { on[j * n + i] })
    };
    out.open("div").open("p");
    out.text(&format!(
        "The compressed J, one {} per sweep: each entry is the one of its {other} in that sweep's colour, and is put back there (its label names where):",
        if c.by_columns { "column" } else { "row" }
    ));
    out.close();
    let (shape, names2) = if c.by_columns {
        ((m, c.sweeps), (tape.output_names.as_slice(), sweeps.as_slice()))
    } else {
        ((c.sweeps, n), (sweeps.as_slice(), tape.inputs.as_slice()))
    };
    grid(
        &mut out,
        "sparsity-compressed",
        "the compressed J, each entry labelled with where it goes",
        shape,
        names2,
        &|a, b| {
            let (i, k, j) = if c.by_columns { (a, b, source(a, b)?) } else { (b, a, source(b, a)?) };
            let (row, col) = if c.by_columns { (i, j) } else { (j, i) };
            let name = if c.by_columns { &tape.inputs[j] } else { &tape.output_names[j] };
            Some((k as u32, name.clone(), format!("sweep {} gives {}", k + 1, entry(row, col))))
        },
    );
    out.close().close();
    out.into_string()
}
