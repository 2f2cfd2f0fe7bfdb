//! The printed tape is what the UI shows: snapshot it for the classic example.

mod common;

#[test]
fn classic_tape_prints_with_values_and_partials() {
    let t = common::tape("f(x1, x2, x3) = [x1 + x2, x1*x3, x2^3]");
    let lin = t.linearize(&[3.0, 4.0, 5.0]);
    let printed = t.print(Some(&lin.vals), Some((&lin.da, &lin.db)));
    assert_eq!(
        printed,
        "x1 = input 0  → 3\n\
         x2 = input 1  → 4\n\
         x3 = input 2  → 5\n\
         v3 = add x1 x2  → 7  ∂/∂x1 = 1  ∂/∂x2 = 1\n\
         v4 = mul x1 x3  → 15  ∂/∂x1 = 5  ∂/∂x3 = 3\n\
         v5 = powi3 x2  → 64  ∂/∂x2 = 48\n\
         out f1 = v3, f2 = v4, f3 = v5\n"
    );
}

#[test]
fn constants_fold_and_subexpressions_are_shared() {
    let t = common::tape("h = x*y\nf(x, y) = [sin(x*y) + 2*pi, h*h, y*x]");
    let printed = t.print(None, None);
    assert_eq!(printed.matches("mul x y").count(), 1, "x*y, h and y*x are one node:\n{printed}");
    assert!(printed.contains("const 6.283185307179586"), "2*pi folded:\n{printed}");
}

#[test]
fn every_gallery_example_compiles_at_its_point() {
    use jacobian_playground::core::{choose, jacobian, Workspace};
    use jacobian_playground::examples::EXAMPLES;
    assert!(EXAMPLES.len() >= 12);
    for ex in EXAMPLES.iter() {
        let t = common::tape(ex.source);
        assert_eq!(t.n(), ex.at.len(), "{}", ex.id);
        let r = jacobian(&t, ex.at, choose(&t).0, &mut Workspace::default());
        assert!(r.j.data.iter().all(|v| v.is_finite()), "{}", ex.id);
    }
    let unused = EXAMPLES.iter().find(|e| e.id == "unused").unwrap();
    assert_eq!(common::tape(unused.source).zero_columns(), vec![2]);
}

/// The page lists the gallery before it fetches the file: the same ids and titles, in
/// the same order, and every example a complete one.
#[test]
fn the_gallery_list_matches_its_file() {
    use jacobian_playground::examples::{parse_gallery, EXAMPLES, GALLERY};
    let listed: Vec<(&str, &str)> = EXAMPLES[1..].iter().map(|e| (e.id, e.title)).collect();
    assert_eq!(listed, GALLERY);
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/public/examples/gallery.txt")).unwrap();
    for e in parse_gallery(&text) {
        assert!(!e.title.is_empty() && !e.note.is_empty() && !e.at.is_empty(), "{}", e.id);
        assert!(e.source.ends_with('\n') && !e.source.starts_with("title:"), "{}", e.id);
    }
}

/// Each tensor operation is one line: softmax is one node of its own kind (over entries
/// out of order, reading them through a gather), and written out (with a constant among
/// its entries) its max, differences, exponentials, sum and quotients, whose max and sum
/// read as folds over their entries; logsumexp, max, min and norm are one node each.
#[test]
fn softmax_and_reductions_print_one_line_per_operation() {
    let t = common::tape("f(x[5]) = softmax(x)");
    let lin = t.linearize(&[1.0, 2.0, 3.0, 4.0, 5.0]);
    assert_eq!(
        t.print(Some(&lin.vals), None),
        "x[0]…x[4] = input 0…4 (5)  → [1, 2, 3, …]\n\
         v5…v9 = softmax x[0]…x[4]  → [0.011656230956039605, 0.03168492079612427, 0.0861285444362687, …]\n\
         out f[0] = v5, f[1] = v6, f[2] = v7, f[3] = v8, f[4] = v9\n"
    );
    assert_eq!(t.describe(7), "row 2 of softmax x[0]…x[4]");
    // Entries out of order (a matrix's column, a shuffled list): a gather copies them
    // into consecutive rows, which the node reads.
    let t = common::tape("f(x[3]) = softmax([x[2], x[0], x[1]])");
    assert_eq!(
        t.print(None, None),
        "x[0]…x[2] = input 0…2 (3)\n\
         v3…v5 = gather [x[2], x[0], x[1]]\n\
         v6…v8 = softmax v3…v5\n\
         out f[0] = v6, f[1] = v7, f[2] = v8\n"
    );
    assert_eq!(t.describe(4), "gather x[0]");
    // With a constant among the entries, written out in scalars.
    let t = common::tape("f(x[3]) = softmax([x[2], 0.5, x[1]])");
    assert_eq!(
        t.print(None, None),
        "x[0]…x[2] = input 0…2 (3)\n\
         v3 = const 0.5\n\
         v4…v5 = max ×2 [x[2], x[1]] v3…v4\n\
         v6…v8 = sub ×3 [x[2], v3, x[1]] v5\n\
         v9…v11 = exp ×3 v6…v8\n\
         v12…v13 = add ×2 folding v9…v11\n\
         v14…v16 = div ×3 v9…v11 v13\n\
         out f[0] = v14, f[1] = v15, f[2] = v16\n"
    );
    let lse = common::tape("f(x[6]) = [logsumexp(x), norm(x)]").print(None, None);
    assert!(lse.contains("\nv6 = logsumexp x[0]…x[5]\n"), "{lse}");
    assert_eq!(lse.lines().count(), 4, "{lse}");
    assert!(lse.contains("\nv7 = norm x[0]…x[5]\n"), "{lse}");
    // A reduction's one row is the node itself, not a row of it.
    assert_eq!(common::tape("f(x[3]) = max(x)").describe(3), "max x[0]…x[2]");
    // A chain that is not a fold over consecutive entries lists its operands.
    let chain = common::tape("f(a, b, c) = [a + b, b + c, c + a]").print(None, None);
    assert!(!chain.contains("folding"), "{chain}");
}

/// A sum of consecutive nodes is one node (a dense row of ones, printed `sum`).
#[test]
fn sums_are_one_node() {
    let t = common::tape("s = sum(tanh(x))\nf(x[4]) = [s * 2, s * 3, softmax(x)[0] * softmax(x)[1]]");
    let printed = t.print(None, None);
    assert!(printed.contains("\ns = sum v6…v9\n"), "{printed}");
    assert_eq!(printed.matches(" = sum ").count(), 1, "{printed}");
    // Its value and J to the bit of the fold it replaces (left to right below eight terms).
    let fold = common::tape("f(x[4]) = [(tanh(x[0]) + tanh(x[1]) + tanh(x[2]) + tanh(x[3])) * 2]");
    let at = [0.3, -1.2, 0.7, 2.5];
    assert_eq!(t.eval(&at)[0], fold.eval(&at)[0]);
    for s in common::EXACT {
        assert_eq!(common::jac(&t, &at, s).row(0), common::jac(&fold, &at, s).row(0), "{}", s.name());
    }
}

/// An elementwise run over a matrix is named with the matrix's shape, as the product it
/// maps is (`tanh 3×2` over `matmul 3×4 @ 4×2`); over a vector, with its count.
#[test]
fn elementwise_runs_over_a_matrix_print_its_shape() {
    let t = common::tape("W = [[1, 0], [0, 1], [1, 1], [0, 0]]\nf(X[3, 4], v[2]) = [sum(tanh(X @ W) * 2 + v), sum(exp(X)), sum(tanh(W @ v))]");
    let text = t.print(None, None);
    for line in [
        "= matmul 3×4 @ 4×2 X[0, 0]…X[2, 3] @ weights",
        "= tanh 3×2 v",
        "= mul 3×2 v",
        "= add 3×2 [v[0], v[1], v[0], …] v27…v32",
        "= exp 3×4 X[0, 0]…X[2, 3]",
        "= tanh ×4 v",
    ] {
        assert!(text.contains(line), "{line} in\n{text}");
    }
}
