//! The words and numbers the components show, computed by the view models (the components
//! only place them): the linearisation's sentences, the FD captions and scale, the cost
//! table's timings, the editor's error window, and the choices the pad and the panels
//! clamp.
use jacobian_playground::core::{compile_source, jacobian, Strategy, Workspace};
use jacobian_playground::view::linear::{facts, linear_view};
use jacobian_playground::view::*;

fn linear_facts(src: &str, at: &[f64]) -> [String; 3] {
    let t = compile_source(src).unwrap();
    let j = jacobian(&t, at, Strategy::Forward, &mut Workspace::default()).j;
    let v = linear_view(&t, at, &j, (0, 1), (0, 1), 0.1);
    facts(&v, &t.inputs, &t.output_names)
}

#[test]
fn the_linearisation_says_what_the_block_and_the_full_j_do() {
    let [block, singular, gap] = linear_facts("f(x1, x2, x3) = [x1 + x2, x1*x3, x2^3]", &[3.0, 4.0, 5.0]);
    assert!(
        block.starts_with(
            "Block of J from (x1, x2) to (f1, f2): [1, 1; 5, 0]. det of this block = −5 (orientation flips)."
        ),
        "{block}"
    );
    assert!(
        singular.starts_with("Singular values of the full J: ") && singular.contains("condition number σ₁/σₖ = "),
        "{singular}"
    );
    assert!(gap.starts_with("At radius r = 0.1, f and its linearisation differ by up to "), "{gap}");
    let [block, singular, _] = linear_facts("f(x, y) = [x + y, 2*x + 2*y]", &[1.0, 2.0]);
    assert!(block.contains("det of this block = 0 (the plane is squashed flat)."), "{block}");
    assert!(!singular.contains("condition number"), "a rank-1 J has no finite condition number: {singular}");
    let [block, singular, _] = linear_facts("f(x) = x^2", &[3.0]);
    assert!(block.starts_with("Block of J from (x, x) to (f, f): [6]. Its singular"), "{block}");
    assert_eq!(singular, "Singular values of the full J: 6.");
}

#[test]
fn pairs_of_axes_stay_distinct_and_in_range() {
    assert_eq!(pick_pair((0, 1), 3), (0, 1));
    assert_eq!(pick_pair((2, 2), 3), (2, 0), "a repeated choice takes the next one round");
    assert_eq!(pick_pair((7, 9), 3), (2, 0), "out of range after an edit: clamped");
    assert_eq!(pick_pair((1, 0), 1), (0, 0), "one input: both axes are it");
    assert_eq!(pick_pair((0, 1), 0), (0, 0));
}

#[test]
fn the_neighbourhood_fits_the_smaller_half_range() {
    assert_eq!(neighbourhood_radius(0.5, [(-2.0, 2.0), (0.0, 1.0)]), 0.25);
    assert_eq!(neighbourhood_radius(1.0, [(0.0, 8.0), (0.0, 8.0)]), 4.0);
}

#[test]
fn fd_captions_and_heat_scale() {
    assert_eq!(
        [0.0, 1e-15, 1e-13, 1e-9, 1e-5, 1e-2, f64::NAN, f64::INFINITY].map(heat_level),
        [0, 0, 1, 2, 3, 4, 4, 4]
    );
    assert_eq!(step_label("Forward", 1.49e-8, true), "Forward difference, tuned h = 1.5e-8·max(1, |x|): |J_fd − J_ad|");
    assert_eq!(step_label("Central", 1e-3, false), "Central difference, h = 1e-3·max(1, |x|): |J_fd − J_ad|");
    let t = compile_source("f(x, y) = [x*y, sin(x)]").unwrap();
    let at = [0.5, 2.0];
    let j = jacobian(&t, &at, Strategy::Forward, &mut Workspace::default()).j;
    let v = fd_view(&t, &at, &j, FdStep::Tuned);
    let said = plot_summary(&v);
    assert!(said.contains(&format!("best forward h = {:.0e}", v.best_forward.0)), "{said}");
    assert!(v.best_central.1 < 1e-9 && v.best_forward.1 < 1e-6, "{v:?}");
}

#[test]
fn timings_show_three_digits_and_their_noise() {
    assert_eq!(round3(123456.0), 123000.0);
    assert!((round3(0.012345) - 0.0123).abs() < 1e-15);
    assert_eq!(round3(0.0), 0.0);
    assert!(round3(f64::NAN).is_nan());
    let quiet = |micros| Some(Timing { micros, spread: 0.02 });
    let noisy = |micros| Some(Timing { micros, spread: 0.3 });
    assert_eq!(time_ratio(quiet(2.0), quiet(7.0)), "3.5");
    assert_eq!(time_ratio(quiet(2.0), noisy(7.0)), "≈3.5");
    assert_eq!(time_ratio(None, quiet(7.0)), "…");
    assert_eq!(time_ratio(quiet(0.0), quiet(7.0)), "…", "no ratio over a zero time");
    assert_eq!(
        show_timing(Timing { micros: 12.3456, spread: 0.02 }),
        format_timing(Timing { micros: 12.3, spread: 0.02 }, format_entry)
    );
}

#[test]
fn an_error_far_along_a_long_line_is_shown_in_a_window() {
    let err = |src: &str| compile(src).unwrap_err().remove(0);
    let src = "f(x) = x + $";
    assert_eq!(error_window(src, &err(src)), ("f(x) = x + ".into(), "$".into(), String::new()));
    // 300 characters in: the window starts 60 before it, marked "…".
    let src = format!("f(x) = {}x $ + 1", "x + ".repeat(75));
    let (before, marked, after) = error_window(&src, &err(&src));
    assert_eq!((before.chars().count(), marked.as_str(), after.as_str()), (61, "$", " + 1"));
    assert!(before.starts_with('…'), "{before}");
    // An error at the end of the line marks a space.
    let src = "f(x) = [x +";
    assert_eq!(error_window(src, &err(src)).1, " ");
}

#[test]
fn the_fd_step_and_the_neighbourhood_are_named_choices() {
    let steps: Vec<FdStep> = FdStep::choices().collect();
    assert_eq!(steps.len(), 1 + FD_STEPS.len());
    assert_eq!((steps[0], steps[0].h(), steps[0].key()), (FdStep::Tuned, None, "tuned".to_string()));
    for s in &steps {
        assert_eq!(FdStep::from_key(&s.key()), Some(*s), "{s:?} reads back from its link spelling");
    }
    assert_eq!(FdStep::Fixed(1e-6).key(), "1e-6");
    assert_eq!(FdStep::Fixed(1e-3).label(), "1e-3");
    assert_eq!(FdStep::from_key("0.5"), None, "only the steps the menu offers");
    assert_eq!(FdStep::default(), FdStep::Tuned);
    let fractions: Vec<f64> = Neighbourhood::ALL.iter().map(|n| n.fraction()).collect();
    assert!(fractions.windows(2).all(|w| w[0] < w[1]) && fractions[3] == 1.0, "{fractions:?}");
    for n in Neighbourhood::ALL {
        assert_eq!(Neighbourhood::from_key(n.key()), Some(n));
    }
    assert_eq!((Neighbourhood::default(), Neighbourhood::from_key("huge")), (Neighbourhood::Small, None));
}

#[test]
fn lists_stop_at_a_dozen_and_say_how_many_more() {
    let items = |n: usize| (0..n).map(|k| k.to_string()).collect::<Vec<_>>().into_iter();
    assert_eq!(join_bounded(items(3), ", "), "0, 1, 2");
    assert_eq!(join_bounded(items(LIST_MAX), ", ").split(", ").count(), LIST_MAX);
    let long = join_bounded(items(2000), ", ");
    assert!(long.starts_with("0, 1, ") && long.ends_with(", 11, … (1988 more)"), "{long}");
}

#[test]
fn budgets_count_node_visits_and_the_pad_starts_on_a_shape_s_own_field() {
    use jacobian_playground::view::budget::{Part, PART_VISITS};
    use jacobian_playground::view::field::FieldKind;
    let t = compile_source("f(x, y) = [x*y, x + y, sin(x)]").unwrap();
    let (len, n, m) = (t.len(), 2, 3);
    assert_eq!(Part::Fd.visits(&t), len * 45 * n);
    assert_eq!(Part::Cost.visits(&t), len * (6 * n + 2 * m + 8));
    assert_eq!(Part::Hessian.visits(&t), len * 3 * n);
    assert!(Part::Fd.visits(&t) <= PART_VISITS && Part::Fd.fits(&t));
    assert_eq!(FieldKind::default_for(2, 2), FieldKind::Det);
    assert_eq!(FieldKind::default_for(3, 2), FieldKind::SigmaMax);
}

#[test]
fn matrices_answer_out_of_range_questions_and_walk_their_rows() {
    use jacobian_playground::core::Matrix;
    let j = Matrix { rows: 2, cols: 3, data: vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0] };
    assert_eq!((j.entry(1, 2), j.entry(2, 0), j.entry(0, 3)), (Some(6.0), None, None));
    assert_eq!(j.rows_iter().collect::<Vec<_>>(), vec![&[1.0, 2.0, 3.0][..], &[4.0, 5.0, 6.0][..]]);
    assert_eq!(Matrix::zeros(2, 0).rows_iter().map(<[f64]>::len).collect::<Vec<_>>(), vec![0, 0]);
    assert_eq!(Matrix::zeros(0, 4).rows_iter().count(), 0);
}

#[test]
fn long_menus_list_far_jumps_and_the_neighbourhood_of_the_choice() {
    assert_eq!(menu_choices(3, 1), vec![0, 1, 2]);
    assert_eq!(menu_choices(MENU_MAX, 0).len(), MENU_MAX);
    for (count, selected) in [(65, 0), (784, 700), (2000, 0), (2000, 1999), (2000, 1000), (100_000, 54_321)] {
        let shown = menu_choices(count, selected);
        assert!(shown.len() <= 100, "{count}: {} options", shown.len());
        assert!(shown.windows(2).all(|w| w[0] < w[1]), "{count}: ascending, no repeats: {shown:?}");
        assert!(shown.contains(&selected) && shown.contains(&0) && shown.contains(&(count - 1)));
        // Any choice is a few picks away: pick the listed choice nearest the target, and
        // again from there.
        for target in [1, count / 3, count - 2, 777 % count] {
            let (mut now, mut picks) = (selected, 0);
            while now != target {
                now = *menu_choices(count, now).iter().min_by_key(|&&c| c.abs_diff(target)).unwrap();
                picks += 1;
                assert!(picks <= 5, "{count}: {target} not reached from {selected}");
            }
            if count == 2000 {
                assert!(picks <= 3, "{picks} picks");
            }
        }
    }
    assert_eq!(menu_choices(2000, 5000).last(), Some(&1999), "a stale choice is clamped");
}

#[test]
fn where_f_is_undefined_the_fd_view_says_which_outputs_and_why() {
    let t = compile_source("f(x, y) = [log(x), x*y]").unwrap();
    let view_at = |at: [f64; 2]| {
        let j = jacobian(&t, &at, Strategy::Forward, &mut Workspace::default()).j;
        fd_view(&t, &at, &j, FdStep::Tuned)
    };
    let v = view_at([-1.0, 2.0]);
    let note = v.undefined.expect("log(-1) is not defined");
    assert!(note.starts_with("f1 is not defined at this point in real arithmetic"), "{note}");
    assert_eq!(view_at([1.0, 2.0]).undefined, None);
}

#[test]
fn the_fd_plot_is_drawn_again_only_when_what_it_shows_changes() {
    let t = compile_source("f(x, y) = [x*y, sin(x)]").unwrap();
    let view_at = |at: [f64; 2], step| {
        let j = jacobian(&t, &at, Strategy::Forward, &mut Workspace::default()).j;
        fd_view(&t, &at, &j, step)
    };
    let v = view_at([0.5, 2.0], FdStep::Tuned);
    assert_eq!(plot_key(&v), plot_key(&view_at([0.5, 2.0], FdStep::Tuned)), "the same point draws nothing new");
    assert_ne!(plot_key(&v), plot_key(&view_at([0.5, 2.0], FdStep::Fixed(1e-3))), "a new step moves its marker");
    assert_ne!(plot_key(&v), plot_key(&view_at([0.7, 2.0], FdStep::Tuned)), "a new point changes the errors");
}

/// The digits check travels from the worker to the page as text and reads back whole.
#[test]
fn the_digits_check_reads_back_from_its_text() {
    use jacobian_playground::view::trust::{decode, encode, trust};
    let t = jacobian_playground::core::compile_source("f(x) = [(1 - cos(x))/x^2, x]").unwrap();
    let at = [1e-5];
    let r = jacobian_playground::core::jacobian(
        &t,
        &at,
        jacobian_playground::core::Strategy::Forward,
        &mut Default::default(),
    );
    let mut check = trust(&t, &at, &r.f, &r.j);
    assert!(check.lost > 0, "{check:?}");
    assert_eq!(decode(&encode(&check), t.m(), t.n()), check);
    // With J's formulas (the worker sends them along, for the entries' hover text).
    check.formulas = jacobian_playground::view::formulas::formula_cells("f(x) = [(1 - cos(x))/x^2, x]", &t);
    assert_eq!(check.formulas.len(), 2);
    assert_eq!(check.formulas[1], "1");
    assert_eq!(decode(&encode(&check), t.m(), t.n()), check);
    let u = jacobian_playground::core::compile_source("f(x) = [x^2, x]").unwrap();
    let r = jacobian_playground::core::jacobian(
        &u,
        &[3.0],
        jacobian_playground::core::Strategy::Forward,
        &mut Default::default(),
    );
    let clean = trust(&u, &[3.0], &r.f, &r.j);
    let back = decode(&encode(&clean), u.m(), u.n());
    assert_eq!((back.lost, back.summary.as_str(), back.j.len()), (clean.lost, clean.summary.as_str(), 0));
}
