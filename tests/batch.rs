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
