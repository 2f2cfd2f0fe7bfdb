//! What keeps the page's work and DOM bounded at any size: big matrices as pictures with a
//! windowed table, lines that list a dozen items, dense factorisations and side panels
//! within a budget, and a background menu that does not list every entry of J.

use jacobian_playground::core::{compile_source, Matrix, Tape, Workspace};
use jacobian_playground::view::budget::Part;
use jacobian_playground::view::field::{FieldKind, ENTRY_CHOICES};
use jacobian_playground::view::heat::{
    cell_at, centre_percent, heat_image, is_big, step_cursor, window, Scale, PICTURE_MAX, TABLE_MAX, WINDOW,
};
use jacobian_playground::view::linear::dense_fits;
use jacobian_playground::view::*;

fn tape(src: &str) -> Tape {
    compile_source(src).unwrap_or_else(|e| panic!("{src}: {e:?}"))
}

fn names(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}{i}")).collect()
}

/// f(x0…x{n-1}) = [x0*x1, x1*x2, …] with `m` outputs (m ≤ n).
fn chain(n: usize, m: usize) -> Tape {
    let xs = names("x", n);
    let outs: Vec<String> = (0..m).map(|i| format!("x{i}*x{}", (i + 1) % n)).collect();
    tape(&format!("f({}) = [{}]", xs.join(", "), outs.join(", ")))
}

#[test]
fn a_matrix_is_a_table_up_to_a_dozen_rows_and_columns_and_a_picture_beyond() {
    assert!(!is_big(TABLE_MAX, TABLE_MAX));
    assert!(is_big(TABLE_MAX + 1, 1));
    assert!(is_big(1, TABLE_MAX + 1));
    assert!(is_big(2000, 2000));
}

#[test]
fn the_picture_colours_entries_on_a_scale_centred_on_zero_and_errors_by_decade() {
    let data = Matrix { rows: 2, cols: 3, data: vec![-2.0, 0.0, 1.0, 2.0, f64::NAN, f64::INFINITY] };
    let img = heat_image(&data, Scale::Diverging);
    assert_eq!((img.rows, img.cols, img.rgba.len()), (2, 3, 24));
    let px = |k: usize| &img.rgba[4 * k..4 * k + 4];
    assert_eq!(px(0), [37, 99, 235, 255], "the most negative entry is full blue");
    assert_eq!(px(1), [255, 255, 255, 255], "zero is white");
    assert_eq!(px(3), [220, 38, 38, 255], "the largest finite entry is full red");
    assert_eq!(px(4), [150, 150, 150, 255], "NaN is grey");
    assert_eq!(px(5), [150, 150, 150, 255], "∞ is not a value on the scale");
    assert!(px(2)[0] > px(2)[2] && px(2) != px(3), "half the largest is a lighter red: {:?}", px(2));
    assert!(img.legend.contains("+2") && img.legend.contains("−2"), "{}", img.legend);

    let errs = [1e-17, 1e-16, 1e-9, 1e-2, 5.0, f64::NAN];
    let img = heat_image(&Matrix { rows: 1, cols: errs.len(), data: errs.to_vec() }, Scale::LogError);
    let px = |k: usize| img.rgba[4 * k..4 * k + 4].to_vec();
    assert_eq!(px(0), [255, 255, 255, 255]);
    assert_eq!(px(1), [255, 255, 255, 255], "1e-16 is round-off: white");
    assert_eq!(px(3), [109, 40, 217, 255], "1e-2 is the top of the scale");
    assert_eq!(px(4), px(3));
    assert_eq!(px(5), px(3), "an undefined error is shown as the worst");
    assert!(px(2)[1] < 255 && px(2)[1] > 40, "1e-9 is half way: {:?}", px(2));
}

#[test]
fn a_big_matrix_is_pictured_a_block_per_pixel_keeping_each_blocks_largest_entry() {
    // A 2 000 × 2 000 diagonal: scaled by the browser, a 2 000-pixel picture in a canvas a
    // few hundred pixels wide would drop most of the diagonal; blocks keep all of it.
    let n = 2000;
    let mut d = Matrix::zeros(n, n);
    for k in 0..n {
        d.set(k, k, 1.0);
    }
    d.set(1000, 5, -1.0);
    d.set(0, n - 1, f64::NAN);
    let img = heat_image(&d, Scale::Diverging);
    assert_eq!((img.rows, img.cols), (500, 500), "4 × 4 entries a pixel");
    assert!(img.rows <= PICTURE_MAX && img.cols <= PICTURE_MAX);
    let px = |i: usize, j: usize| img.rgba[4 * (i * img.cols + j)..][..4].to_vec();
    for b in 0..500 {
        assert_eq!(px(b, b), [220, 38, 38, 255], "diagonal block {b} is red");
    }
    assert_eq!(px(250, 1), [37, 99, 235, 255], "a lone −1 is kept, not averaged away");
    assert_eq!(px(0, 1), [255, 255, 255, 255], "off the diagonal: zero");
    assert_eq!(px(0, 499), [150, 150, 150, 255], "a NaN anywhere in a block shows");
    assert!(img.legend.contains("4 × 4 entries"), "{}", img.legend);
    // Errors: a block shows its worst error; a tall matrix is pooled along its rows only.
    let mut e = Matrix::zeros(1500, 3);
    e.set(777, 2, 1e-2);
    let img = heat_image(&e, Scale::LogError);
    assert_eq!((img.rows, img.cols), (500, 3));
    assert_eq!(img.rgba[4 * (259 * 3 + 2)..][..4], [109, 40, 217, 255]);
    assert!(img.legend.contains("3 × 1 entries"), "{}", img.legend);
    // Small ones keep a pixel per entry and say nothing of blocks; no size panics.
    assert!(!heat_image(&Matrix::zeros(512, 512), Scale::Diverging).legend.contains("entries"));
    for (r, c) in [(0, 0), (0, 5000), (5000, 0), (513, 1)] {
        let img = heat_image(&Matrix::zeros(r, c), Scale::Diverging);
        assert_eq!(img.rgba.len(), img.rows * img.cols * 4);
    }
}

#[test]
fn the_cursor_mark_sits_on_its_entry_and_a_click_there_picks_it_again() {
    assert_eq!(centre_percent(0, 2), 25.0);
    assert!((centre_percent(1999, 2000) - 99.975).abs() < 1e-9);
    assert_eq!(centre_percent(0, 0), 50.0, "an empty side does not divide by zero");
    for (k, len) in [(0, 13), (6, 13), (777, 784), (1999, 2000)] {
        let p = centre_percent(k, len) / 100.0;
        assert_eq!(cell_at(p, p, len, len), (k, k));
    }
}

#[test]
fn the_window_holds_the_cursor_and_stays_inside_the_matrix() {
    assert_eq!(window(5, 3, WINDOW), 0..5, "a short side is shown whole");
    assert_eq!(window(2000, 0, WINDOW), 0..WINDOW);
    assert_eq!(window(2000, 1999, WINDOW), 2000 - WINDOW..2000);
    assert_eq!(window(2000, 5000, WINDOW), 2000 - WINDOW..2000, "a cursor past the end is read as the end");
    for centre in [4, 100, 1000, 1995] {
        let w = window(2000, centre, WINDOW);
        assert!(w.contains(&centre) && w.len() == WINDOW, "{centre}: {w:?}");
    }
}

#[test]
fn the_pointer_and_the_keys_pick_an_entry_of_the_picture() {
    assert_eq!(cell_at(0.0, 0.0, 300, 2), (0, 0));
    assert_eq!(cell_at(0.99, 0.5, 300, 2), (150, 1));
    assert_eq!(cell_at(1.0, 1.0, 300, 2), (299, 1), "the far edge is the last entry");
    assert_eq!(cell_at(-0.2, 1.7, 300, 2), (299, 0), "outside, clamped");
    assert_eq!(cell_at(f64::NAN, f64::NAN, 300, 2), (0, 0));
    assert_eq!(step_cursor("ArrowDown", (0, 0), 3, 3), Some((1, 0)));
    assert_eq!(step_cursor("ArrowUp", (0, 0), 3, 3), Some((0, 0)));
    assert_eq!(step_cursor("ArrowRight", (2, 2), 3, 3), Some((2, 2)));
    assert_eq!(step_cursor("ArrowLeft", (4, 7), 100, 30), Some((4, 6)));
    assert_eq!(step_cursor("a", (4, 7), 100, 30), None);
}

#[test]
fn a_line_lists_a_dozen_items_and_says_how_many_more() {
    let v: Vec<f64> = (0..2000).map(f64::from).collect();
    let line = entries(&v, format_entry);
    assert!(line.starts_with("0, 1, 2,") && line.ends_with("11, … (1988 more)"), "{line}");
    assert_eq!(entries(&v[..LIST_MAX], format_entry).matches(", ").count(), LIST_MAX - 1);
    // The live region's sentence for a 2 000 × 2 000 J stays a sentence.
    let t = chain(2000, 2000);
    let at = vec![0.5; 2000];
    let s = snapshot(&t, &at, &mut Workspace::default());
    let said = announce(&s);
    assert!(said.len() < 2000 && said.contains("J is 2000 by 2000") && said.contains("(1988 more)"), "{said}");
}

#[test]
fn det_singular_values_and_eigenvalues_only_within_the_dense_budget() {
    assert!(dense_fits(100, 100) && dense_fits(2, 2000) && !dense_fits(101, 101) && !dense_fits(300, 300));
    let mut ws = Workspace::default();
    let small = chain(100, 100);
    assert!(snapshot(&small, &[1.0; 100], &mut ws).det.is_some());
    let big = chain(120, 120);
    assert_eq!(snapshot(&big, &[1.0; 120], &mut ws).det, None, "no 120 × 120 factorisation per point");
    let xs = names("x", 120);
    let sum = tape(&format!(
        "f({}) = {}",
        xs.join(", "),
        xs.iter().map(|x| format!("{x}^3")).collect::<Vec<_>>().join(" + ")
    ));
    let so = second_order(&sum, &[1.0; 120], &Matrix::zeros(1, 120));
    let (h, eig, lap) = so.hessian.expect("m = 1");
    assert_eq!((h.rows, h.cols), (120, 120), "the Hessian itself is computed");
    assert!(eig.is_empty(), "its eigenvalues are not");
    assert_eq!(lap, 720.0);
}

#[test]
fn each_side_view_is_computed_within_its_budget_and_says_why_not_beyond() {
    let net = {
        let xs = names("x", 784);
        let outs: Vec<String> = (0..10)
            .map(|k| {
                format!(
                    "tanh({})",
                    xs.iter().map(|x| format!("0.1*{x}")).skip(k).step_by(10).collect::<Vec<_>>().join(" + ")
                )
            })
            .collect();
        tape(&format!("f({}) = [{}]", xs.join(", "), outs.join(", ")))
    };
    for part in [Part::Fd, Part::Hessian, Part::Cost] {
        assert_eq!(part.too_large(&chain(3, 3)), None);
    }
    for part in [Part::Fd, Part::Cost] {
        let why = part.too_large(&net).expect("784 inputs");
        assert!(why.contains("784 inputs") && why.contains("J above is exact"), "{why}");
    }
    // 500 inputs, one output: the Hessian and the cost table fit, the FD sweep does not.
    let xs = names("x", 500);
    let dot = tape(&format!(
        "f({}) = {}",
        xs.join(", "),
        (0..500).map(|i| format!("x{i}*x{}", (i + 1) % 500)).collect::<Vec<_>>().join(" + ")
    ));
    assert!(Part::Hessian.fits(&dot) && Part::Cost.fits(&dot) && !Part::Fd.fits(&dot));
    let wide = tape(&format!("f({}) = {}", names("x", 3000).join(", "), names("x", 3000).join(" * ")));
    let why = Part::Hessian.too_large(&wide).expect("3 000 inputs");
    assert!(why.contains("3000 inputs"), "{why}");
    let p = panels(
        &dot,
        &[1.0; 500],
        &Matrix::zeros(1, 500),
        PanelChoices { fd_step: FdStep::Tuned, inputs: (0, 1), outputs: (0, 0), radius: 0.1 },
        &mut Workspace::default(),
    );
    assert!(p.fd.is_none() && p.cost.len() == 8 && p.second.hessian.is_some());
    let p = panels(
        &net,
        &[0.1; 784],
        &Matrix::zeros(10, 784),
        PanelChoices { fd_step: FdStep::Tuned, inputs: (0, 1), outputs: (0, 1), radius: 0.1 },
        &mut Workspace::default(),
    );
    assert!(p.fd.is_none() && p.cost.is_empty() && p.second.hessian.is_none());
}

#[test]
fn the_background_menu_lists_entries_only_while_it_stays_short() {
    let kinds = |n: usize, m: usize| FieldKind::choices(&names("x", n), &names("f", m), FieldKind::Det);
    let entries = |n, m| kinds(n, m).iter().filter(|(k, _)| matches!(k, FieldKind::Entry(..))).count();
    assert!(FieldKind::lists_entries(8, 8) && !FieldKind::lists_entries(13, 5));
    assert_eq!(entries(8, 8), ENTRY_CHOICES);
    assert_eq!(entries(3, 3), 9);
    // Past that, one option stands for an entry, picked by output and input elsewhere.
    assert_eq!(entries(300, 300), 1);
    assert!(kinds(300, 300).len() <= 4, "none, det J, σ₁, one entry");
    let chosen = FieldKind::choices(&names("x", 784), &names("f", 10), FieldKind::Entry(3, 700));
    assert_eq!(chosen.last().unwrap(), &(FieldKind::Entry(3, 700), "one entry of J: ∂f3/∂x700".to_string()));
    let stale = FieldKind::choices(&names("x", 784), &names("f", 10), FieldKind::Entry(30, 7000));
    assert_eq!(
        stale.last().unwrap().0,
        FieldKind::Entry(0, 0),
        "an entry past the function's shape reads as the first"
    );
}

#[test]
fn sliders_and_fields_for_a_dozen_and_a_half_inputs_at_a_time() {
    assert_eq!(fields_window(3, 2), (0, 3));
    assert_eq!(fields_window(FIELDS_MAX, 5), (0, FIELDS_MAX));
    assert_eq!(fields_window(FIELDS_MAX + 1, 0), (0, 1), "one entry past the limit");
    assert_eq!(fields_window(2000, 700), (700, 701));
    assert_eq!(fields_window(2000, 5000), (1999, 2000), "kept inside the inputs");
}

#[test]
fn the_digits_check_of_a_big_function_says_it_did_not_run_and_allocates_no_marks() {
    use jacobian_playground::view::trust::trust;
    let t = chain(2000, 2000);
    let x: Vec<f64> = (0..2000).map(|k| k as f64 / 1000.0).collect();
    let j = Matrix::zeros(2000, 2000);
    let started = std::time::Instant::now();
    let r = trust(&t, &x, &vec![0.0; 2000], &j);
    assert!(r.summary.starts_with("Digits not checked"), "{}", r.summary);
    assert!(r.j.is_empty() && r.lost == 0);
    assert!(started.elapsed().as_millis() < 50, "{:?}", started.elapsed());
    // A small one is checked, and its marks cover J.
    let t = tape("f(x, y) = [x*y, x+y]");
    let j = Matrix { rows: 2, cols: 2, data: vec![2.0, 1.0, 1.0, 1.0] };
    let r = trust(&t, &[1.0, 2.0], &[2.0, 3.0], &j);
    assert_eq!((r.j.len(), r.lost), (2, 0), "{}", r.summary);
}

/// Zoom: a wide matrix's picture widens inside its scroll box (a tall one lengthens), and
/// its image gets as many more pixels a side, so a 10 × 784 J shows every column once
/// zoomed twice; the box scrolls to put the cursor's entry in its middle.
#[test]
fn a_zoomed_picture_widens_along_its_long_side_and_gets_a_pixel_per_entry() {
    use jacobian_playground::view::heat::{heat_image_on, scroll_to, zoomed, Scale, PICTURE_MAX, ZOOM_MAX};
    assert_eq!(zoomed(1, 10, 784), (None, None, PICTURE_MAX));
    assert_eq!(zoomed(4, 10, 784), (Some("400%".into()), Some("4".into()), 4 * PICTURE_MAX));
    assert_eq!(zoomed(2, 784, 10), (None, Some("1/2".into()), 2 * PICTURE_MAX));
    assert_eq!(zoomed(64, 10, 784).2, ZOOM_MAX * PICTURE_MAX);
    let j = Matrix { rows: 10, cols: 784, data: (0..7840).map(|k| (k % 7) as f64 - 3.0).collect() };
    assert_eq!(heat_image_on(&j, Scale::Diverging, None, zoomed(1, 10, 784).2).cols, 392);
    let full = heat_image_on(&j, Scale::Diverging, None, zoomed(2, 10, 784).2);
    assert_eq!((full.rows, full.cols), (10, 784));
    // Column 700's centre at 4× in a 352 px window: out of view, so scrolled to sit in the
    // middle; column 60 in view stays where it is.
    let at = centre_percent(700, 784);
    let size = 4.0 * 352.0;
    let left = scroll_to(at, size, 352.0, 0.0) as f64;
    assert!((left + 176.0 - at / 100.0 * size).abs() < 1.0, "{left}");
    assert_eq!(scroll_to(centre_percent(60, 784), size, 352.0, 20.0), 20);
    assert_eq!(scroll_to(centre_percent(0, 784), size, 352.0, 300.0), 0);
}
