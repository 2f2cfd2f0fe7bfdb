//! Step-through traces end in exactly the column / row the strategies compute.

mod common;
use common::*;
use jacobian_playground::core::jacobian::Strategy;
use jacobian_playground::core::trace::{adjoints_after, forward_trace, reverse_trace};

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
