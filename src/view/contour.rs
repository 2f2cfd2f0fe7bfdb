//! Level curves and lines in a rectangle, for pictures over the pad: a function's zero set
//! by marching squares on a grid, and a straight line clipped to the view.

/// The zero set of `values` (row-major, `(cells + 1)²` samples of a function on a square
/// grid over the unit square, row 0 at v = 0) as segments in unit coordinates. A cell's
/// crossings are where its edges change sign, placed by linear interpolation; a cell with
/// four crossings (a saddle) is joined by its centre's sign.
pub fn zero_set(values: &[f64], cells: usize) -> Vec<[(f64, f64); 2]> {
    let side = cells + 1;
    let at = |i: usize, j: usize| values[i * side + j];
    let h = 1.0 / cells as f64;
    let mut out = Vec::new();
    for i in 0..cells {
        for j in 0..cells {
            // Corners anticlockwise from (u, v) = (j, i): values and positions.
            let c = [
                (at(i, j), j, i),
                (at(i, j + 1), j + 1, i),
                (at(i + 1, j + 1), j + 1, i + 1),
                (at(i + 1, j), j, i + 1),
            ];
            if c.iter().any(|k| !k.0.is_finite()) {
                continue;
            }
            let mut crossings = Vec::with_capacity(4);
            for e in 0..4 {
                let (a, b) = (c[e], c[(e + 1) % 4]);
                if (a.0 < 0.0) != (b.0 < 0.0) {
                    let t = a.0 / (a.0 - b.0);
                    let u = (a.1 as f64 + t * (b.1 as f64 - a.1 as f64)) * h;
                    let v = (a.2 as f64 + t * (b.2 as f64 - a.2 as f64)) * h;
                    crossings.push((u, v));
                }
            }
            match crossings[..] {
                [p, q] => out.push([p, q]),
                [p, q, r, s] => {
                    // Edges 0–3 in order; the centre's sign decides which pairs join.
                    let centre = c.iter().map(|k| k.0).sum::<f64>() / 4.0;
                    if (centre < 0.0) == (c[0].0 < 0.0) {
                        out.extend([[p, q], [r, s]]);
                    } else {
                        out.extend([[s, p], [q, r]]);
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// The part of the line through `p` with direction `d` inside `[lo, hi]` on each axis
/// (Liang–Barsky), or None where it misses.
pub fn clip(p: (f64, f64), d: (f64, f64), lo: (f64, f64), hi: (f64, f64)) -> Option<[(f64, f64); 2]> {
    let (mut t0, mut t1) = (f64::NEG_INFINITY, f64::INFINITY);
    for (p, d, lo, hi) in [(p.0, d.0, lo.0, hi.0), (p.1, d.1, lo.1, hi.1)] {
        if d == 0.0 {
            if p < lo || p > hi {
                return None;
            }
            continue;
        }
        let (a, b) = ((lo - p) / d, (hi - p) / d);
        t0 = t0.max(a.min(b));
        t1 = t1.min(a.max(b));
    }
    (t0.is_finite() && t1.is_finite() && t0 < t1)
        .then_some([(p.0 + t0 * d.0, p.1 + t0 * d.1), (p.0 + t1 * d.0, p.1 + t1 * d.1)])
}
