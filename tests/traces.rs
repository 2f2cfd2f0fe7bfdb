//! Step-through traces end in exactly the column / row the strategies compute.

mod common;
use common::*;
use jacobian_playground::core::trace::{adjoints_after, forward_trace, reverse_trace};
use jacobian_playground::core::Strategy;

#[test]
fn traces_fill_in_the_column_and_the_row() {
    let t = tape("h = x1*x3\nf(x1, x2, x3) = [x1 + x2, sin(h), x2^3 + h]");
    let x = [3.0, 4.0, 5.0];
    let lin = t.linearize(&x);
    let j = jac(&t, &x, Strategy::Forward);
    for col in 0..3 {
        let tr = forward_trace(&t, &lin, col);
        assert_eq!(tr.steps.len(), t.len());
        let want: Vec<f64> = (0..3).map(|i| j.get(i, col)).collect();
        assert_eq!(tr.result, want);
    }
    for row in 0..3 {
        let tr = reverse_trace(&t, &lin, row);
        assert_eq!(tr.result, j.row(row).to_vec());
        let all = adjoints_after(&t, &tr, tr.steps.len());
        assert_eq!(&all[..3], j.row(row));
        let none = adjoints_after(&t, &tr, 0);
        assert_eq!(none.iter().filter(|&&v| v != 0.0).count(), 1, "only the seed before any step");
    }
    // The classic row 3 (x2^3): the pass reaches x2 with 3·x2² = 48 once powi has run.
    let t = tape("f(x1, x2, x3) = [x1 + x2, x1*x3, x2^3]");
    let lin = t.linearize(&x);
    let tr = reverse_trace(&t, &lin, 2);
    let powi_step = tr.steps.iter().position(|s| t.describe(s.node) == "powi3 x2").unwrap();
    assert_eq!(adjoints_after(&t, &tr, powi_step)[1], 0.0);
    assert_eq!(adjoints_after(&t, &tr, powi_step + 1)[1], 48.0);
}

#[test]
fn a_pass_fills_its_row_or_column_of_j_entry_by_entry_and_says_each_product() {
    use jacobian_playground::view::{pass_state, PassKind};
    let t = tape("f(x1, x2, x3) = [x1 + x2, x1*x3, x2^3]");
    let at = [3.0, 4.0, 5.0];
    let j = [[1.0, 1.0, 0.0], [5.0, 0.0, 3.0], [0.0, 48.0, 0.0]];
    for (kind, lines) in [(PassKind::Forward, 3), (PassKind::Reverse, 3)] {
        #[allow(clippy::needless_range_loop)] // dir is a direction of J, not only an index
        for dir in 0..lines {
            let steps = pass_state(&t, &at, kind, dir, 0).steps;
            let mut seen = vec![None; 3];
            for taken in 0..=steps {
                let p = pass_state(&t, &at, kind, dir, taken);
                for (e, (now, before)) in p.fill.iter().zip(&mut seen).enumerate() {
                    let want = if kind == PassKind::Forward { j[e][dir] } else { j[dir][e] };
                    if let Some(v) = now {
                        assert_eq!(*v, want, "{kind:?} {dir} step {taken}: entry {e} is final");
                    }
                    assert!(before.is_none() || now.is_some(), "{kind:?} {dir} step {taken}: a filled entry stays");
                    *before = *now;
                }
                if taken == 0 {
                    assert!(p.fill.iter().all(Option::is_none) && p.last.is_empty());
                }
                if taken == steps {
                    assert!(p.fill.iter().all(Option::is_some), "{kind:?} {dir}: complete at the end");
                }
            }
        }
    }
    // Reverse pass for f2 = v4 = x1*x3 (steps go v5, v4, v3): the v4 step pushes to both
    // operands, with the numbers, and completes ∂f2/∂x3.
    let p = pass_state(&t, &at, PassKind::Reverse, 1, 2);
    assert_eq!(p.last, "x̄1 += v̄4 · ∂v4/∂x1 = 1 · 5 = 5; x̄3 += v̄4 · ∂v4/∂x3 = 1 · 3 = 3");
    assert_eq!(p.fill, [None, None, Some(3.0)], "x1 and x2 still get v3's pushes; x3 is final");
    // Forward pass for x1 at the mul node: the chain rule's sum.
    let p = pass_state(&t, &at, PassKind::Forward, 0, 5);
    assert_eq!(p.last, "v\u{307}4 = ∂v4/∂x1 · x\u{307}1 + ∂v4/∂x3 · x\u{307}3 = 5 · 1 + 3 · 0 = 5");
}

/// A network steps through its tensor operations: the VAE decoder's reverse pass is four
/// steps (sigmoid, the second layer, tanh, the first), its rows one per operation with a
/// strip of every entry's adjoint, and J's row fills in at the last step.
#[test]
fn a_network_passes_through_its_layers() {
    use jacobian_playground::view::{pass_state, PassKind, STRIP_CELLS};
    let src =
        "W1 = randn(64, 32, 7) / 6\nW2 = randn(64, 64, 8) / 8\ndec(z[32]) = reshape(sigmoid(W2 @ tanh(W1 @ z)), 8, 8)";
    let t = tape(src);
    let at: Vec<f64> = (0..32).map(|j| (j as f64 * 0.37).sin()).collect();
    let j = jac(&t, &at, Strategy::Reverse);
    let p = pass_state(&t, &at, PassKind::Reverse, 5, 0);
    assert_eq!((p.steps, p.taken, p.rows.len()), (4, 0, 5), "{:?}", p.rows.iter().map(|r| &r.op).collect::<Vec<_>>());
    assert_eq!((p.rows[0].name.as_str(), p.rows[0].op.as_str()), ("z[0]…z[31]", "input"));
    assert!(p.rows[1].op == "dense 64×32" && p.rows[2].op == "tanh ×64", "{:?}", p.rows[2]);
    assert!(p.rows[4].op.starts_with("sigmoid ×64") && p.rows[4].current, "the first step is the last operation");
    // Before any step only the seed is there; one step on, sigmoid has pushed into the layer.
    let p1 = pass_state(&t, &at, PassKind::Reverse, 5, 1);
    assert!(p1.rows[3].current && p1.fill.iter().all(Option::is_none));
    assert_eq!(p1.rows[3].strip.matches("rgb(").count(), STRIP_CELLS.min(64), "{}", p1.rows[3].strip);
    let largest = p1.rows[3].deriv.expect("reached");
    assert!(largest > 0.0 && p1.rows[2].deriv == Some(0.0), "{:?}", p1.rows[3]);
    let done = pass_state(&t, &at, PassKind::Reverse, 5, 4);
    assert_eq!(done.taken, 4);
    assert_eq!(done.result.as_deref(), Some(j.row(5)));
    assert_eq!(done.fill, j.row(5).iter().map(|&v| Some(v)).collect::<Vec<_>>());
    // Forward: the input first (its strip is the seed e₃), then each operation in order.
    let f = pass_state(&t, &at, PassKind::Forward, 3, 1);
    assert_eq!((f.steps, f.taken), (5, 1));
    assert!(!f.rows[0].strip.is_empty() && f.rows[1].strip.is_empty() && f.rows[1].deriv.is_none());
    let f = pass_state(&t, &at, PassKind::Forward, 3, 5);
    let jf = jac(&t, &at, Strategy::Forward);
    assert_eq!(f.result, Some((0..64).map(|i| jf.get(i, 3)).collect()));
    // A small program keeps its node-by-node pass.
    let small = tape("f(x1, x2, x3) = [x1 + x2, x1*x3, x2^3]");
    assert_eq!(pass_state(&small, &[3.0, 4.0, 5.0], PassKind::Reverse, 0, 0).steps, 3, "one step per operation node");
}
