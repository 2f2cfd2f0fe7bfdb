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
