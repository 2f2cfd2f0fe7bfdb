//! A batch of points: every point's J by the three methods of the PyTorch threads (a loop of
//! per-point Jacobians, the repeat-the-input trick, one batched sweep per point) equals the
//! per-point Jacobian, to the bit; the Batch view's text and its errors.

mod common;
use common::*;
use jacobian_playground::core::batch::{jacobians, Method};
use jacobian_playground::core::point::parse_points;
use jacobian_playground::core::Strategy;
use jacobian_playground::view::batch::batch_text;

const NET: &str = "W1 = randn(16, 4, 1) / 2\nW2 = randn(3, 16, 2) / 4\nnet(x[4]) = softmax(W2 @ tanh(W1 @ x))";

#[test]
fn the_three_methods_give_each_point_its_own_j() {
    for (src, n) in [("f(x1, x2, x3) = [x1 + x2, x1 * x3, x2^3]", 3), (NET, 4)] {
        let t = tape(src);
        let points: Vec<Vec<f64>> =
            (0..7).map(|p| (0..n).map(|k| (p as f64 - 3.0) * 0.37 + k as f64 * 0.11).collect()).collect();
        let per_point: Vec<Vec<Vec<f64>>> = points.iter().map(|x| jac(&t, x, Strategy::Reverse).to_rows()).collect();
        for method in Method::ALL {
            let js = jacobians(&t, &points, method);
            assert_eq!(js.len(), points.len());
            for (j, want) in js.iter().zip(&per_point) {
                assert_close(j, want, 1e-15, 1e-15, &format!("{src} by {method:?}"));
            }
        }
        // The loop and the trick make the same one-adjoint passes: the same bits.
        let bits = |m: Method| {
            jacobians(&t, &points, m).iter().flat_map(|j| j.data.iter().map(|v| v.to_bits())).collect::<Vec<_>>()
        };
        assert_eq!(bits(Method::Loop), bits(Method::Repeat), "{src}");
    }
}

#[test]
fn memory_and_passes_follow_the_threads_accounts() {
    let t = tape(NET);
    let (nodes, m, b) = (t.len() + 1, 3, 10);
    assert_eq!(Method::Repeat.passes(m, b), (30, 30));
    assert_eq!(Method::Loop.passes(m, b), (10, 30));
    assert_eq!(Method::Batched.passes(m, b), (10, 10));
    // The trick holds B·m forward passes at once; the others one.
    assert_eq!(Method::Repeat.bytes(&t, b), (3 * 30 + 1) * nodes * 8);
    assert_eq!(Method::Loop.bytes(&t, b), 4 * nodes * 8);
    assert_eq!(Method::Batched.bytes(&t, b), (3 + 3) * nodes * 8);
}

#[test]
fn the_batch_text_shows_every_j_the_timings_and_the_code() {
    let t = tape("f(x, y) = [x*y, x + y]");
    let text = batch_text(&t, "1, 2\n# a comment\n\n3 4\n-1,0.5\n");
    assert!(text.starts_with("3 points: J is 2 × 2 at each (a 3 × 2 × 2 batch).\n"), "{text}");
    // J at (3, 4) is [[4, 3], [1, 1]].
    assert!(text.contains("at (3, 4)\n  [ 4  3 ]\n  [ 1  1 ]\n"), "{text}");
    assert!(text.contains("timed here (median of"), "{text}");
    for what in
        ["a loop of per-point Jacobians", "repeat each input m times", "one batched sweep per point (vmap(jacrev))"]
    {
        assert!(text.contains(what), "{text}");
    }
    assert!(text.contains("6 forward passes held at once + 6 reverse passes"), "{text}");
    assert!(text.contains("All three give the same Jacobians, to the bit."), "{text}");
    assert!(text.contains("X = [[1.0, 2.0], [3.0, 4.0], [-1.0, 0.5]]"), "{text}");
    assert!(text.contains("Js = jax.vmap(jax.jacrev(f))(jnp.array(X))"), "{text}");
    assert!(batch_text(&t, "").starts_with("No points yet"));
    assert_eq!(batch_text(&t, "1, 2\n3"), "The points were not read: line 2: 1 coordinate where f has 2.");
    assert_eq!(batch_text(&t, "1, zz"), "The points were not read: line 1: coordinate 2 ('zz') is not a number.");
    // A big J: each point's largest entry instead of the whole matrix.
    let big = batch_text(&tape("f(x[10]) = [sum(x^2), norm(x), mean(x), 3*x[9]]"), "1,1,1,1,1,1,1,1,1,1");
    assert!(big.contains("at (1, 1, 1, 1, 1, 1, 1, 1, 1, 1): largest entry ∂f4/∂x[9] = 3"), "{big}");
    // A network's batched sweep sums its dense blocks in another order: said, with how far.
    let net = batch_text(
        &tape(NET),
        "0.1, 0.2, 0.3, 0.4
1, 2, 3, 4",
    );
    assert!(net.contains("same Jacobians to rounding: they differ by at most") || net.contains("to the bit"), "{net}");
}

#[test]
fn points_parse_one_a_line() {
    assert_eq!(parse_points("1,2\n 3 4 \n# x\n\n5, 6", 2).unwrap(), [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]);
    assert!(parse_points("1,2,3", 2).unwrap_err().contains("line 1: 3 coordinates where f has 2"));
    assert!(parse_points("nan, 1", 2).unwrap_err().contains("line 1: coordinate 1 ('nan') is not a finite number"));
    let many = "1\n".repeat(10_001);
    assert!(parse_points(&many, 1).unwrap_err().contains("more than the 10000 points"));
}

/// The Batch view's pictures: each point's J is a tile on one colour scale, the pointer over
/// a tile names its point and entry, and one entry of J is drawn over the batch.
#[test]
fn the_mosaic_tiles_every_j_on_one_scale_and_finds_the_entry_under_the_pointer() {
    use jacobian_playground::view::mosaic::{batch_jacobians, mosaic};
    let t = tape("f(x1, x2, x3) = [x1 + x2, x1 * x3, x2^3]");
    let b = batch_jacobians(&t, "3, 4, 5\n1, 2, 3\n0, 0, 0").unwrap();
    assert_eq!(b.points.len(), 3);
    let want = [[1.0, 1.0, 0.0, 5.0, 0.0, 3.0, 0.0, 48.0, 0.0], [1.0, 1.0, 0.0, 3.0, 0.0, 1.0, 0.0, 12.0, 0.0]];
    assert_eq!(b.js[0].data, want[0]);
    assert_eq!(b.js[1].data, want[1]);
    let mo = mosaic(&b.js, 3);
    assert_eq!(mo.tile, (3, 3));
    // Three 3 × 3 tiles in a row (nearest twice as wide as high), a pixel between them.
    assert_eq!((mo.across, mo.image.cols, mo.image.rows), (3, 11, 3));
    let px = |x: usize, y: usize| mo.image.rgba[(y * mo.image.cols + x) * 4..][..4].to_vec();
    // One scale: 48 (tile 1) is the scale's red end; 12 (tile 2) is paler; 0 is white;
    // between tiles, nothing.
    assert!(mo.image.legend.contains("48"), "{}", mo.image.legend);
    let (red, pale) = (px(1, 2), px(4 + 1, 2));
    assert!(red[1] < pale[1] && pale[1] < 255, "{red:?} {pale:?}");
    assert_eq!(px(2, 2), vec![255, 255, 255, 255]);
    assert_eq!(px(3, 1)[3], 0);
    // The pointer at the middle of tile 2's entry (2, 1), from the top left.
    let (w, h) = (mo.image.cols as f64, mo.image.rows as f64);
    assert_eq!(mo.entry_at((4.0 + 1.5) / w, 2.5 / h, 3, (3, 3)), Some((1, 2, 1)));
    assert_eq!(mo.entry_at(3.5 / w, 0.5 / h, 3, (3, 3)), None);
    assert_eq!(mo.entry_at((8.0 + 0.5) / w, 0.5 / h, 3, (3, 3)), Some((2, 0, 0)));
    // Errors name the line.
    assert_eq!(batch_jacobians(&t, "1, 2").unwrap_err(), "line 1: 2 coordinates where f has 3");
    // The keyboard: arrows within a J and on into the next tile at its edge, pages to the
    // same entry of the next point, Home and End to the first and last.
    use jacobian_playground::view::mosaic::step;
    assert_eq!(step("ArrowRight", (0, 2, 1), 3, (3, 3)), Some((0, 2, 2)));
    assert_eq!(step("ArrowRight", (0, 2, 2), 3, (3, 3)), Some((1, 2, 0)));
    assert_eq!(step("ArrowRight", (2, 2, 2), 3, (3, 3)), Some((2, 2, 2)));
    assert_eq!(step("ArrowLeft", (1, 0, 0), 3, (3, 3)), Some((0, 0, 2)));
    assert_eq!(step("ArrowDown", (1, 2, 0), 3, (3, 3)), Some((1, 2, 0)));
    assert_eq!(step("PageDown", (1, 2, 1), 3, (3, 3)), Some((2, 2, 1)));
    assert_eq!(step("Home", (2, 1, 1), 3, (3, 3)), Some((0, 1, 1)));
    assert_eq!(step("x", (2, 1, 1), 3, (3, 3)), None);
    // Its cursor is the entry's pixel in black, the rest of the picture as it was.
    let marked = mo.marked((1, 2, 1), (3, 3));
    let changed: Vec<usize> =
        (0..marked.len() / 4).filter(|&p| marked[p * 4..p * 4 + 4] != mo.image.rgba[p * 4..p * 4 + 4]).collect();
    assert_eq!(changed, [2 * 11 + 4 + 1]);
    assert_eq!(marked[(2 * 11 + 5) * 4..][..4], [0, 0, 0, 255]);
}

#[test]
fn each_entry_over_the_batch_is_a_sparkline_along_the_input_the_points_vary() {
    use jacobian_playground::view::mosaic::{batch_jacobians, mosaic, readout};
    let t = tape("f(x, y) = [x^2 * y, y]");
    let names = (&t.output_names[..], &t.inputs[..]);
    let b = batch_jacobians(&t, "0, 3\n1, 3\n2, 3").unwrap();
    assert_eq!(readout(&b, (2, 0, 1), names), "Point 3 at (2, 3): ∂f1/∂y = 4");
    assert!(mosaic(&b.js, 3)
        .image
        .legend
        .starts_with("3 tiles, one a point, in the list's order, on one scale: blue −12 … white 0 … red +12"));
    // Along x, y fixed: ∂f1/∂x = 2·x·y = 0, 6, 12; ∂f1/∂y = x² = 0, 1, 4.
    let text = batch_text(&t, "0, 3\n1, 3\n2, 3\n3, 3\n4, 3");
    assert!(
        text.contains(
            "Each entry over the batch, along x, the input the points vary (0 … 4); ▁ its lowest … █ its highest:\n"
        ),
        "{text}"
    );
    assert!(text.contains("  ∂f1/∂x  ▁▃▅▆█  0 … 24\n"), "{text}");
    assert!(text.contains("  ∂f1/∂y  ▁▁▃▅█  0 … 16\n"), "{text}");
    assert!(text.contains("  ∂f2/∂y  ─────  1 throughout\n"), "{text}");
    // Out of x's order, or both inputs varying: point by point.
    let text = batch_text(&t, "2, 3\n0, 3");
    assert!(text.contains("Each entry over the batch, point by point; ▁"), "{text}");
    assert!(text.contains("  ∂f1/∂x  █▁  0 … 12\n"), "{text}");
    // One point: no sparklines.
    assert!(!batch_text(&t, "1, 1").contains("Each entry over the batch"));
}

#[test]
fn a_wide_j_gets_sparklines_for_the_entries_that_vary_most() {
    let t = tape("W = randn(8, 8, 1)\nf(x[8]) = tanh(W @ x)");
    let text: String = (0..5).map(|k| format!("{k}, 0, 0, 1, 0, 0, 0, 0\n")).collect();
    let text = batch_text(&t, &text);
    assert!(text.contains("Each entry over the batch (36 of 64 entries: those that vary most), along x[0], the input the points vary (0 … 4); ▁"), "{text}");
    let lines: Vec<&str> = text.lines().filter(|l| l.starts_with("  ∂f[")).collect();
    assert_eq!(lines.len(), 36, "{text}");
}

#[test]
fn a_big_batch_draws_at_most_the_tiles_its_work_allows() {
    use jacobian_playground::view::mosaic::{batch_jacobians, mosaic, TILES};
    let t = tape(NET);
    let text: String = (0..100).map(|k| format!("{k}, 0, 0, 1\n")).collect();
    let b = batch_jacobians(&t, &text).unwrap();
    assert_eq!((b.points.len(), b.js.len()), (100, TILES));
    assert!(mosaic(&b.js, 100).image.legend.starts_with("The first 64 of 100 points, on one scale"));
    let big = tape("W = randn(64, 64, 1)\nf(x[64]) = tanh(W @ tanh(W @ tanh(W @ x)))");
    let text: String = (0..64).map(|_| vec!["0.5"; 64].join(", ") + "\n").collect();
    let b = batch_jacobians(&big, &text).unwrap();
    assert!(b.js.len() < TILES && !b.js.is_empty(), "{}", b.js.len());
    let said = mosaic(&b.js, 64).image.legend;
    assert!(said.contains(" of 64 points (the page's budget of work), on one scale"), "{said}");
}
