//! The gallery's network examples natively: the digit classifier trained by
//! scripts/train-digits.py (its program is the file the page fetches) reads each preset
//! digit as its class, its J agrees with complex step, and the paint pad's logic (which
//! input is an image, a stroke's pixels, the saliency sheet) on it.

mod common;
use common::*;
use jacobian_playground::core::Strategy;
use jacobian_playground::examples::{preset, DIGITS, PRESETS};
use jacobian_playground::view::paint::{image_input, ink_rgba, saliency_sheet, stroke, top, ImageInput};

const DIGITS_SOURCE: &str = include_str!("../public/examples/digits.jp");

#[test]
fn the_digit_classifier_reads_each_preset_as_its_digit() {
    assert!(DIGITS.path.ends_with("digits.jp") && DIGITS.note.contains("97.6 %"));
    assert!(
        DIGITS_SOURCE.contains("Accuracy on the 450 held-out digits: 97.6 %"),
        "the note quotes the script's figure"
    );
    let t = tape(DIGITS_SOURCE);
    assert_eq!((t.n(), t.m()), (64, 10));
    // Two layers as dense blocks with their biases folded in: no weight is a node.
    assert_eq!(t.blocks.len(), 2 + 1, "two layers and softmax's sum");
    assert!(t.len() < 200, "{} nodes", t.len());
    for (d, _) in PRESETS.iter().enumerate() {
        let x = preset(d, 8, 8);
        let p = t.eval(&x);
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-14);
        assert_eq!(top(&p), Some(d), "preset {d}: {p:?}");
        let exact = jac(&t, &x, Strategy::BatchedReverse);
        let rows: Vec<Vec<f64>> = exact.rows_iter().map(|r| r.to_vec()).collect();
        for s in [Strategy::Forward, Strategy::Reverse, Strategy::BatchedForward] {
            assert_close(&jac(&t, &x, s), &rows, 1e-13, 1e-15, &format!("preset {d} by {}", s.name()));
        }
        // Complex step differentiates softmax's cancelled entries (p ≈ 1) by its own
        // arithmetic: to J's scale.
        assert_close(&jac(&t, &x, Strategy::ComplexStep), &rows, 1e-12, 1e-13, &format!("preset {d} by complex step"));
        // softmax: each column of J sums to 0.
        for j in 0..64 {
            let col: f64 = (0..10).map(|i| exact.get(i, j)).sum();
            assert!(col.abs() < 1e-15, "column {j} sums to {col}");
        }
    }
}

#[test]
fn the_gallery_network_in_matrix_form_has_the_scalar_forms_jacobian() {
    // The 2 → 3 → 2 tanh net as the gallery had it, written out weight by weight.
    let scalar = tape(
        "h1 = tanh(0.5*x1 - 1.0*x2 + 0.1)\nh2 = tanh(1.5*x1 + 0.2*x2 - 0.2)\nh3 = tanh(-0.3*x1 + 0.8*x2 + 0.05)\n\
         net(x1, x2) = [h1 - 0.5*h2 + 0.25*h3, 0.3*h1 + 0.9*h2 - 1.2*h3]",
    );
    let ex = jacobian_playground::examples::EXAMPLES.iter().find(|e| e.id == "network").unwrap();
    let matrix = tape(ex.source);
    assert_eq!(matrix.blocks.len(), 2, "two layers, each one dense block");
    assert_eq!(matrix.output_names, ["net[0]", "net[1]"]);
    for x in [ex.at.to_vec(), vec![-1.3, 2.1], vec![0.0, 0.0]] {
        assert_eq!(matrix.eval(&x), scalar.eval(&x));
        for s in [Strategy::Forward, Strategy::Reverse, Strategy::BatchedForward, Strategy::BatchedReverse] {
            let want = jac(&scalar, &x, s);
            let rows: Vec<Vec<f64>> = want.rows_iter().map(|r| r.to_vec()).collect();
            assert_close(&jac(&matrix, &x, s), &rows, 1e-15, 1e-16, &format!("at {x:?} by {}", s.name()));
        }
    }
}

#[test]
fn the_paint_pad_finds_the_image_and_draws_strokes_and_maps() {
    let t = tape(DIGITS_SOURCE);
    let img = image_input(&t).expect("img[8, 8] is an image");
    assert_eq!(img, ImageInput { name: "img".into(), rows: 8, cols: 8, first: 0, weights: false });
    // After a scalar and a vector, an image's first column counts them.
    let mixed = tape("g(t, v[3], im[4, 5]) = sum(im) * t + sum(v)");
    assert_eq!(image_input(&mixed), Some(ImageInput { name: "im".into(), rows: 4, cols: 5, first: 4, weights: false }));
    assert_eq!(mixed.inputs[image_input(&mixed).unwrap().column(1, 2)], "im[1, 2]");
    // Not images: vectors, 1-wide matrices, matrices past 28 × 28.
    for src in ["f(x[64]) = sum(x)", "f(m[1, 8]) = sum(m)", "f(m[29, 29]) = sum(m)"] {
        assert_eq!(image_input(&tape(src)), None, "{src}");
    }
    // A stroke covers the pixels a fast pointer skipped, both ends included.
    assert_eq!(stroke((0, 4), (7, 4)), (0..8).map(|i| (i, 4)).collect::<Vec<_>>());
    assert_eq!(stroke((2, 2), (2, 2)), vec![(2, 2)]);
    assert_eq!(stroke((0, 0), (2, 4)), vec![(0, 0), (1, 1), (1, 2), (2, 3), (2, 4)]);
    // Ink 1 is black, 0 white, NaN grey.
    let mut x = vec![0.0; 64];
    (x[0], x[1]) = (1.0, f64::NAN);
    let rgba = ink_rgba(&x, &img);
    assert_eq!((rgba[0], rgba[4], rgba[8]), (0, 160, 255));
    // The sheet: ten 8 × 8 maps, five to a line, a white pixel between; each map is its
    // row of J on its own scale (the largest |entry| saturates).
    let x = preset(3, 8, 8);
    let j = jac(&t, &x, Strategy::BatchedReverse);
    let sheet = saliency_sheet(&j, &img);
    assert_eq!((sheet.cols, sheet.rows), (5 * 9 - 1, 2 * 9 - 1));
    for k in 0..10 {
        let (top_row, left) = (k / 5 * 9, k % 5 * 9);
        let row = j.row(k);
        let big = (0..64).max_by(|&a, &b| row[a].abs().total_cmp(&row[b].abs())).unwrap();
        let px = ((top_row + big / 8) * sheet.cols + left + big % 8) * 4;
        let saturated = if row[big] > 0.0 {
            sheet.rgba[px] > 150 && sheet.rgba[px + 2] < 100
        } else {
            sheet.rgba[px + 2] > 150 && sheet.rgba[px] < 100
        };
        assert!(saturated, "map {k}: pixel {big} ({}) is {:?}", row[big], &sheet.rgba[px..px + 3]);
    }
    // The gap between maps is white. The legend quotes no one map's scale.
    assert_eq!(&sheet.rgba[8 * 4..8 * 4 + 3], &[255, 255, 255]);
    let only_zeros = sheet.legend.chars().filter(char::is_ascii_digit).all(|c| c == '0');
    assert!(sheet.legend.contains("its own largest") && only_zeros, "{}", sheet.legend);
}

#[test]
fn the_decoder_example_is_what_its_note_says() {
    use jacobian_playground::core::fd::{fd_jacobian, FdKind};
    use jacobian_playground::core::Matrix;
    let ex = jacobian_playground::examples::EXAMPLES.iter().find(|e| e.id == "decoder").unwrap();
    let t = tape(ex.source);
    assert_eq!((t.n(), t.m(), ex.at.len()), (32, 64, 32));
    assert_eq!(t.blocks.len(), 2, "two layers, each one dense block");
    assert_eq!((t.output_names[0].as_str(), t.output_names[63].as_str()), ("dec[0, 0]", "dec[7, 7]"));
    let exact = jac(&t, ex.at, Strategy::BatchedForward);
    let rows: Vec<Vec<f64>> = exact.rows_iter().map(|r| r.to_vec()).collect();
    assert_close(&jac(&t, ex.at, Strategy::ComplexStep), &rows, 1e-13, 1e-15, "complex step");
    let worst = |a: &Matrix| {
        let mut w = 0f64;
        for i in 0..64 {
            for j in 0..32 {
                w = w.max((a.get(i, j) - exact.get(i, j)).abs());
            }
        }
        w
    };
    let largest = rows.iter().flatten().fold(0f64, |a, v| a.max(v.abs()));
    let (fwd, _) = fd_jacobian(&t, ex.at, FdKind::Forward, None, &mut Vec::new());
    let (central, _) = fd_jacobian(&t, ex.at, FdKind::Central, None, &mut Vec::new());
    // The note's figures, as the cost table shows them (to their order of magnitude: the
    // page's libm rounds differently from the native one).
    let (f, c) = (worst(&fwd), worst(&central));
    assert!((0.105..0.115).contains(&largest), "largest |entry| {largest}");
    assert!((0.5e-8..3e-8).contains(&f), "forward differences' worst error {f}");
    assert!((0.5e-11..3e-11).contains(&c), "central differences' worst error {c}");
    assert!(ex.note.contains("about 1e−8") && ex.note.contains("about 1e−11") && ex.note.contains("0.11"));
}
