//! A native test for every public view-model function the browser tests alone reached:
//! one per `src/view/` module (a twin of each panel in `src/app/`), on the real core.

use jacobian_playground::core::{compile_source, jacobian, Matrix, Strategy, Tape, Workspace};
use jacobian_playground::view::field::{colour, resolution};
use jacobian_playground::view::linear::{bounds, split_finite};
use jacobian_playground::view::trust::{report, trust};
use jacobian_playground::view::*;

const CLASSIC: &str = "f(x1, x2, x3) = [x1 + x2, x1*x3, x2^3]";
const AT: [f64; 3] = [3.0, 4.0, 5.0];
const J: [[f64; 3]; 3] = [[1.0, 1.0, 0.0], [5.0, 0.0, 3.0], [0.0, 48.0, 0.0]];

fn tape(src: &str) -> Tape {
    compile_source(src).unwrap_or_else(|e| panic!("{src}: {e:?}"))
}

fn exact(t: &Tape, at: &[f64]) -> jacobian_playground::core::Matrix {
    jacobian(t, at, Strategy::Forward, &mut Workspace::default()).j
}

#[test]
fn format_prints_entries_for_a_narrow_column_and_in_full_for_copying() {
    let cases = [
        (3.0, "3"),
        (-0.5, "−0.5"),
        (1.0 / 3.0, "0.333333"),
        (-1234.5678, "−1234.57"),
        (1e-5, "1.00000e−5"),
        (2.5e7, "25000000"),
        (2.5e-7, "2.50000e−7"),
        (0.0, "0"),
        (-0.0, "0"),
        (f64::NAN, "NaN"),
        (f64::INFINITY, "∞"),
        (f64::NEG_INFINITY, "−∞"),
    ];
    for (v, want) in cases {
        assert_eq!(format_entry(v), want, "{v:e}");
    }
    for v in [0.1, 1.0 / 3.0, -2.5e-300, 1e21, 123456.789] {
        assert_eq!(format_full(v).parse::<f64>().unwrap(), v, "format_full({v:e}) reads back exactly");
    }
    // Class scores under the paint pad: a few characters each.
    let short = [
        (0.999471, "0.999"),
        (0.99951, "1"),
        (7.66067e-6, "7.7e−6"),
        (0.000352378, "3.5e−4"),
        (0.00114467, "0.00114"),
        (-12.3456, "−12.3"),
        (3.0, "3"),
        (0.0, "0"),
        (12345.6, "1.2e4"),
        (f64::NAN, "NaN"),
    ];
    for (v, want) in short {
        assert_eq!(format_short(v), want, "{v:e}");
    }
}

#[test]
fn editor_positions_errors_by_character_and_shows_how_the_source_was_read() {
    // Multibyte characters before the error: the editor counts characters, not bytes.
    let src = "# αβγ\nf(x) = [x +]";
    let Err(errors) = compile(src) else { panic!("{src} must not compile") };
    let e = &errors[0];
    assert_eq!((e.line, e.col), (2, 12), "{e:?}");
    assert_eq!(src.chars().nth(e.start_char), Some(']'), "{e:?}");
    assert!(e.end_char > e.start_char);
    // Noise with thousands of errors positions only the first MAX_ERROR_VIEWS.
    let noise = format!("f(x) = [{}]", "x $ ".repeat(500));
    let diags = compile_source(&noise).unwrap_err();
    assert!(diags.len() > MAX_ERROR_VIEWS);
    assert_eq!(error_views(&noise, &diags).len(), MAX_ERROR_VIEWS);

    let c = compile("f(x, y) = [-x^2, x - y - 1]").unwrap();
    let shown = explicit_form(&c.program);
    assert!(shown.contains("(-(x ^ 2))"), "{shown}");
    assert!(shown.contains("((x - y) - 1)"), "{shown}");
    let errs = compile("f(x) = [x +]").unwrap_err();
    assert_eq!((errs.len(), errs[0].line), (1, 1), "{errs:?}");
}

#[test]
fn one_compile_gives_the_tape_and_the_tree_the_echo_and_export_print() {
    let src = "h = x*y\nf(x, y) = [sin(h), h + 1]";
    let c = compile(src).unwrap();
    assert_eq!(c.tape, compile_source(src).unwrap(), "the same tape as the core's own compile");
    assert_eq!(explicit_form(&c.program), "h = (x * y)\nf(x, y) = [sin(h), (h + 1)]");
    // A compile error (not only a parse error) is an error too, positioned by character.
    let errs = compile("f(é) = [é + y]").unwrap_err();
    assert_eq!((errs[0].line, errs[0].col), (1, 13), "{errs:?}");
}

#[test]
fn zero_columns_are_named_once_per_function() {
    assert_eq!(zero_column_names(&tape("f(x, y, z) = [x*z, z]")), vec!["y".to_string()]);
    assert!(zero_column_names(&tape(CLASSIC)).is_empty());
}

#[test]
fn snapshot_labels_every_strategy_differently() {
    let labels: Vec<&str> = Strategy::ALL.iter().map(|&s| strategy_label(s)).collect();
    for (i, l) in labels.iter().enumerate() {
        assert!(!l.is_empty() && !labels[..i].contains(l), "{labels:?}");
    }
}

#[test]
fn a_long_vector_reads_back_from_its_list_and_takes_a_pasted_one() {
    let x = [0.1, -2.0, 1e-20, 3.0000000000000004, 123456.789];
    assert_eq!(parse_list(&format_list(&x), 5, "inputs"), Ok(x.to_vec()), "the list reads back to the bit");
    // As Python, NumPy and a spreadsheet column print it.
    assert_eq!(parse_list("[1, 2.5, -3]", 3, "inputs"), Ok(vec![1.0, 2.5, -3.0]));
    assert_eq!(parse_list("[[ 1.   2.5\n -3. ]]", 3, "inputs"), Ok(vec![1.0, 2.5, -3.0]));
    assert_eq!(parse_list("1\n2\n3\n", 3, "inputs"), Ok(vec![1.0, 2.0, 3.0]));
    assert_eq!(parse_list("1; 2; −3", 3, "inputs"), Ok(vec![1.0, 2.0, -3.0]));
    assert_eq!(parse_list("1, 2", 3, "inputs"), Err("2 values for 3 inputs".to_string()));
    assert_eq!(parse_list("", 3, "inputs"), Err("0 values for 3 inputs".to_string()));
    let bad = parse_list("1, nan, 3", 3, "inputs").unwrap_err();
    assert!(bad.contains("coordinate 2") && bad.contains("'nan'"), "{bad}");
    // A huge paste is counted, not parsed.
    assert_eq!(parse_list(&"1 ".repeat(1_000_000), 64, "inputs"), Err("1000000 values for 64 inputs".to_string()));
}

#[test]
fn point_carries_values_across_edits_and_maps_the_pad() {
    let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    // Same-named inputs keep their value wherever they move; others take the old value at
    // their position, or 1 past the old point's end.
    assert_eq!(adapt_point(&names(&["x", "y"]), &[1.0, 2.0], &names(&["y", "z", "w"])), vec![2.0, 2.0, 1.0]);
    assert_eq!(adapt_point(&names(&["x", "y"]), &[1.0, 2.0], &names(&["a", "x"])), vec![1.0, 1.0]);

    assert_eq!(parse_coordinate(" 2.5 "), Ok(2.5));
    for bad in ["nan", "inf", "1e999", "", "2,5", "x"] {
        assert!(parse_coordinate(bad).is_err(), "{bad:?} is not a coordinate");
    }

    assert_eq!(input_range(3.0), (0.0, 6.0));
    assert_eq!(input_range(0.5), (-1.5, 2.5));
    assert_eq!(input_range(-10.0), (-20.0, 0.0));
    assert_eq!(input_range(f64::NAN), (-2.0, 2.0));

    let r = (-2.0, 6.0);
    assert_eq!(to_unit(0.0, r), 0.25);
    assert_eq!((to_unit(-9.0, r), to_unit(9.0, r)), (0.0, 1.0), "clamped to the pad");
    assert_eq!(from_unit(0.25, r), 0.0);
    assert_eq!(from_unit(0.123456, r), -1.012, "four digits of the range");
    assert_eq!((key_step(r, false), key_step(r, true)), (0.16, 0.016));
}

#[test]
fn passes_lay_the_graph_out_by_depth_and_window_long_traces() {
    let t = tape("f(x, y) = [sin(x*y) + 2, y]");
    let g = graph_layout(&t).unwrap();
    assert!(g.nodes.iter().all(|n| n.op != "const"), "constants are not drawn");
    assert!(g.nodes.iter().any(|n| n.op == "sin"));
    let x = |id: usize| g.nodes.iter().find(|n| n.id == id).unwrap().x;
    assert!(!g.edges.is_empty());
    for &(from, to) in &g.edges {
        assert!(x(from) < x(to), "an edge runs left to right: {from} → {to}");
    }
    for n in &g.nodes {
        assert!(n.x > 0.0 && n.x < g.width && n.y > 0.0 && n.y < g.height, "{} inside the drawing", n.name);
    }
    let big = format!(
        "f(x) = {}",
        vec!["sin(x)"; 200].iter().enumerate().map(|(i, s)| format!("{s}*{i}")).collect::<Vec<_>>().join(" + ")
    );
    assert!(tape(&big).len() > MAX_DRAWN_NODES);
    assert!(graph_layout(&tape(&big)).is_none(), "too many nodes to draw");

    assert_eq!(trace_window(10, Some(5)), 0..10);
    assert_eq!(trace_window(1000, None), 0..MAX_TRACE_ROWS);
    assert_eq!(trace_window(1000, Some(500)), 400..600);
    assert_eq!(trace_window(1000, Some(990)), 800..1000);
}

#[test]
fn cost_rows_count_each_strategy_and_measure_its_error() {
    assert_eq!(format_passes(3, 1), "3 + 1 primal");
    assert_eq!(format_passes(2, 0), "2");
    let t = tape(CLASSIC);
    let j = exact(&t, &AT);
    let rows = cost_rows(&t, &AT, &j, &mut Workspace::default());
    assert_eq!(rows.len(), Strategy::ALL.len());
    for (row, s) in rows.iter().zip(Strategy::ALL) {
        assert_eq!(row.strategy, strategy_label(s));
        assert_eq!(row.exact, s.is_exact());
        if s.is_exact() {
            assert_eq!(row.max_error, 0.0, "{}", row.strategy);
        } else {
            assert!(row.max_error < 1e-5, "{}: {}", row.strategy, row.max_error);
        }
    }
    let forward = &rows[0];
    assert_eq!((forward.passes, forward.primal), (3, 1), "n = 3 tangent passes and the primal");

    // The real clock, in ms, with a small budget: f (0), forward (1) and complex step.
    let start = std::time::Instant::now();
    let now = || start.elapsed().as_secs_f64() * 1000.0;
    for which in [0, 1, Strategy::ALL.len()] {
        let timing = time_strategy(&t, &AT, which, &now, 1.0);
        assert!(timing.micros.is_finite() && timing.micros > 0.0, "{which}: {timing:?}");
    }
}

/// The cost table's timings as the text worker writes them: the caption with f's time, then
/// a `µs\tJ/f` line per strategy; past the cost table's budget only f is timed.
#[test]
fn the_worker_writes_the_cost_tables_timings_a_line_per_strategy() {
    let t = tape(CLASSIC);
    let start = std::time::Instant::now();
    let now = || start.elapsed().as_secs_f64() * 1000.0;
    let text = measured_text(&t, &AT, &now);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1 + Strategy::ALL.len(), "{text}");
    assert!(lines[0].starts_with("Measured in this browser (median of batches): f takes "), "{text}");
    for l in &lines[1..] {
        let (us, ratio) = l.split_once('\t').expect("two cells");
        assert!(us.trim_start_matches('≈').split(' ').next().unwrap().parse::<f64>().is_ok(), "{l}");
        assert!(ratio.trim_start_matches('≈').parse::<f64>().is_ok(), "{l}");
    }
    // A point of the wrong length: nothing; a function over the budget: f alone.
    assert_eq!(measured_text(&t, &AT[..2], &now), "");
    let big = tape(&format!(
        "f({}) = [{}]",
        (0..1000).map(|k| format!("x{k}")).collect::<Vec<_>>().join(", "),
        (0..1000).map(|k| format!("sin(x{k}) * x{}", (k + 1) % 1000)).collect::<Vec<_>>().join(", ")
    ));
    assert!(!jacobian_playground::view::budget::Part::Cost.fits(&big));
    {
        let text = measured_text(&big, &vec![0.5; 1000], &now);
        assert!(text.lines().skip(1).all(|l| l == "—\t—"), "{text}");
    }
}

#[test]
fn fd_view_measures_each_difference_against_the_exact_j() {
    let t = tape(CLASSIC);
    let j = exact(&t, &AT);
    let v = fd_view(&t, &AT, &j, FdStep::Tuned);
    let worst = |e: &Matrix| e.max_abs();
    assert!(worst(&v.forward_err) > 0.0 && worst(&v.forward_err) < 1e-5, "{:?}", v.forward_err);
    assert!(worst(&v.central_err) < 1e-8, "{:?}", v.central_err);
    // J's zero entries come from inputs an output does not read: no difference sees them.
    assert_eq!((v.forward_err.get(0, 2), v.central_err.get(2, 0)), (0.0, 0.0));
    assert!(v.complex_err < 1e-14);
    assert!(v.sweep.len() >= FD_STEPS.len());
    let coarse = fd_view(&t, &AT, &j, FdStep::Fixed(1e-1));
    assert_eq!(coarse.steps, (1e-1, 1e-1));
    assert!(worst(&coarse.forward_err) > worst(&v.forward_err), "a coarse step is worse");
}

#[test]
fn second_order_gives_the_hessian_and_the_divergence() {
    let t = tape("f(x, y) = x^2*y");
    let s = second_order(&t, &[1.0, 2.0], &exact(&t, &[1.0, 2.0]));
    let (h, eigen, laplacian) = s.hessian.unwrap();
    assert_eq!(h.to_rows(), vec![vec![4.0, 2.0], vec![2.0, 0.0]]);
    // Ascending eigenvalues of [[4, 2], [2, 0]]: 2 ∓ √8.
    let want = [2.0 - 8f64.sqrt(), 2.0 + 8f64.sqrt()];
    assert!(eigen.iter().zip(want).all(|(e, w)| (e - w).abs() < 1e-14), "{eigen:?}");
    assert_eq!(laplacian, 4.0);
    assert_eq!(s.divergence, None, "n ≠ m");
    let t = tape(CLASSIC);
    assert_eq!(second_order(&t, &AT, &exact(&t, &AT)).divergence, Some(1.0));
}

#[test]
fn panels_share_one_exact_j() {
    let t = tape(CLASSIC);
    let c = PanelChoices {
        fd_step: FdStep::Tuned,
        inputs: (0, 1),
        outputs: (0, 1),
        radius: Neighbourhood::Small.fraction(),
    };
    let p = panels(&t, &AT, &exact(&t, &AT), c, &mut Workspace::default());
    assert_eq!(p.cost.len(), Strategy::ALL.len());
    assert!(p.cost.iter().filter(|r| r.exact).all(|r| r.max_error == 0.0));
    assert_eq!(p.second.divergence, Some(1.0));
    assert_eq!(p.fd.as_ref().expect("within the FD budget").forward_err.rows, 3);
}

#[test]
fn field_budgets_its_grid_and_colours_by_sign() {
    assert_eq!(resolution(&tape(CLASSIC)), 48, "a small function gets the finest grid");
    let wide = format!("f(x, y) = {}", vec!["sin(x*y)"; 4000].join(" + "));
    let r = resolution(&tape(&wide));
    assert!(r == 0 || r < 48, "a large function gets a coarser grid or none: {r}");
    let white = colour(0.0, 1.0, true);
    assert_eq!(&white[..3], &[255, 255, 255]);
    let (red, blue) = (colour(1.0, 1.0, true), colour(-1.0, 1.0, true));
    assert!(red[0] > red[2] && blue[2] > blue[0]);
    assert_eq!(colour(5.0, 1.0, true), red, "clamped at the scale");
    assert_eq!(colour(f64::NAN, 1.0, true), [150, 150, 150, 200]);
}

#[test]
fn linear_splits_curves_where_f_is_undefined_and_boxes_them() {
    let pts = [(0.0, 0.0), (1.0, 1.0), (f64::NAN, 2.0), (2.0, 0.0), (3.0, f64::INFINITY), (4.0, 4.0)];
    let lines = split_finite(&pts);
    assert_eq!(lines, vec![vec![(0.0, 0.0), (1.0, 1.0)], vec![(2.0, 0.0)], vec![(4.0, 4.0)]]);
    let (x, y, side) = bounds(&lines, 1.0);
    for &(px, py) in lines.iter().flatten() {
        assert!(px > x && px < x + side && py > y && py < y + side, "({px}, {py}) in the box");
    }
    assert_eq!(bounds(&[], 2.0), (-2.0, -2.0, 4.0), "nothing drawn: the fallback box");
}

#[test]
fn trust_flags_only_entries_that_lost_digits() {
    let t = tape(CLASSIC);
    let f = t.eval(&AT);
    let j = exact(&t, &AT);
    assert_eq!(j.to_rows(), J.map(|r| r.to_vec()));
    let ok = trust(&t, &AT, &f, &j);
    assert_eq!(ok.lost, 0, "{}", ok.summary);
    assert!(ok.j.iter().flatten().all(Option::is_none));

    let t = tape("f(x) = (1 - cos(x))/x^2");
    let at = [1e-4];
    let f = t.eval(&at);
    let j = exact(&t, &at);
    let lost = trust(&t, &at, &f, &j);
    assert!(lost.lost >= 2, "the value and ∂/∂x cancel: {}", lost.summary);
    assert!(lost.j[0][0].is_some());
    let unchecked = report(&t, None, &f, &j);
    assert!(unchecked.summary.starts_with("Digits not checked"), "{}", unchecked.summary);
}
