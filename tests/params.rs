//! Parameters (`f(x, y; a = 1) = …`) and the choice of J's columns: J with respect to the
//! parameters, or to everything, is J of the same program with those names made inputs,
//! under every strategy; parameter errors point at the parameter.

mod common;
use common::*;
use jacobian_playground::core::compile::{compile_with, Wrt};
use jacobian_playground::core::parser::parse;
use jacobian_playground::core::{compile_source, Strategy, Tape};
use proptest::prelude::*;

fn compiled(src: &str, wrt: Wrt, given: &[(String, f64)]) -> Tape {
    let (program, errors) = parse(src);
    assert!(errors.is_empty(), "{src}: {errors:?}");
    compile_with(&program, wrt, given).unwrap_or_else(|e| panic!("{src}: {e:?}"))
}

fn named(names: &[&str], values: &[f64]) -> Vec<(String, f64)> {
    names.iter().map(|n| n.to_string()).zip(values.iter().copied()).collect()
}

/// Under every strategy, `tape` at `at` gives `want` to 1e-15 relative (the
/// approximations to their own tolerance).
fn same_j(tape: &Tape, at: &[f64], want: &[Vec<f64>], what: &str) {
    for s in Strategy::ALL {
        let tol = match s {
            Strategy::FdForward => 1e-6,
            Strategy::FdCentral => 1e-8,
            _ => 1e-15,
        };
        assert_close(&jac(tape, at, s), want, tol, tol, &format!("{what} by {}", s.name()));
    }
}

const SCALAR: &str = "f(x, y; a = 1, b = 0.5) = [a*x^2 - y, x*y + b, sin(a*b*x)]";
const PROMOTED: &str = "f(x, y, a, b) = [a*x^2 - y, x*y + b, sin(a*b*x)]";

#[test]
fn j_by_the_parameters_is_j_of_the_program_with_them_made_inputs() {
    let full = compile_source(PROMOTED).unwrap();
    for (x, y, a, b) in [(2.0, 3.0, 1.0, 0.5), (-0.7, 1.25, 2.5, -3.0)] {
        let want = jac(&full, &[x, y, a, b], Strategy::Reverse).to_rows();
        let given = named(&["x", "y", "a", "b"], &[x, y, a, b]);
        let cols = |lo: usize, hi: usize| want.iter().map(|r| r[lo..hi].to_vec()).collect::<Vec<_>>();
        for (wrt, lo, hi) in [(Wrt::Inputs, 0, 2), (Wrt::Params, 2, 4), (Wrt::All, 0, 4)] {
            let t = compiled(SCALAR, wrt, &given);
            assert_eq!(t.n(), hi - lo, "{wrt:?}");
            let at = t.point_from(&given);
            same_j(&t, &at, &cols(lo, hi), &format!("{wrt:?} at {given:?}"));
        }
    }
}

#[test]
fn the_inputs_are_the_default_and_parameters_keep_their_defaults() {
    let t = compile_source(SCALAR).unwrap();
    assert_eq!(t.inputs, ["x", "y"]);
    let f = |t: &Tape, at: &[f64]| {
        let mut v = Vec::new();
        t.eval_into(at, &mut v);
        t.outputs.iter().map(|&o| v[o as usize]).collect::<Vec<_>>()
    };
    // a = 1, b = 0.5 at (2, 3): [4 - 3, 6.5, sin(1)].
    assert_eq!(f(&t, &[2.0, 3.0]), [1.0, 6.5, 1f64.sin()]);
    let moved = compiled(SCALAR, Wrt::Inputs, &named(&["a"], &[3.0]));
    assert_eq!(f(&moved, &[2.0, 3.0]), [9.0, 6.5, 3f64.sin()]);
    // The parameters by name, with what they were compiled with.
    let p: Vec<(String, bool, bool, Vec<f64>)> =
        moved.variables.iter().map(|v| (v.name.clone(), v.param, v.column, v.values.clone())).collect();
    assert_eq!(
        p,
        [
            ("x".into(), false, true, vec![]),
            ("y".into(), false, true, vec![]),
            ("a".into(), true, false, vec![3.0]),
            ("b".into(), true, false, vec![0.5])
        ]
    );
    // By the parameters, the point defaults to their defaults and the inputs to 1.
    let by_params = compiled(SCALAR, Wrt::Params, &[]);
    assert_eq!(by_params.point_from(&[]), [1.0, 0.5]);
    assert_eq!(by_params.inputs, ["a", "b"]);
}

#[test]
fn a_network_by_its_weights_is_the_network_with_its_weights_as_inputs() {
    let src = "net(x[3]; W[2, 3] = randn(2, 3, 7), b[2] = 0.1) = tanh(W @ x + b)";
    let by_inputs = compile_source(src).unwrap();
    // The weights are data by the inputs: one dense block, not a node per weight.
    assert_eq!(by_inputs.blocks.len(), 1, "{}", by_inputs.print(None, None));
    let x = [0.3, -1.2, 0.8];
    let given = named(&["x[0]", "x[1]", "x[2]"], &x);
    let by_weights = compiled(src, Wrt::Params, &given);
    assert_eq!(by_weights.n(), 8);
    assert_eq!(by_weights.inputs[..2], ["W[0, 0]".to_string(), "W[0, 1]".into()]);
    assert_eq!(by_weights.input_shapes, [("W".to_string(), vec![2, 3]), ("b".into(), vec![2])]);
    let w = by_weights.point_from(&given);
    assert_eq!(w[6..], [0.1, 0.1]);
    let promoted = compile_source("net(x[3], W[2, 3], b[2]) = tanh(W @ x + b)").unwrap();
    let all: Vec<f64> = x.iter().chain(&w).copied().collect();
    let want = jac(&promoted, &all, Strategy::Reverse).to_rows();
    same_j(&by_weights, &w, &want.iter().map(|r| r[3..].to_vec()).collect::<Vec<_>>(), "by the weights");
    let everything = compiled(src, Wrt::All, &given);
    same_j(&everything, &everything.point_from(&given), &want, "by everything");
    // The same weights whichever the columns: J by the inputs is the promoted one's too.
    same_j(&by_inputs, &x, &want.iter().map(|r| r[..3].to_vec()).collect::<Vec<_>>(), "by the inputs");
}

#[test]
fn python_style_defaults_are_parameters_too() {
    for src in ["def f(x, a=2):\n    return a*x", "f = lambda x, a=2: a*x", "f(x, a = 2) = a*x", "f(x; a = 2) = a*x"] {
        let t = compiled(src, Wrt::Params, &named(&["x"], &[5.0]));
        assert_eq!(t.inputs, ["a"], "{src}");
        assert_eq!(jac(&t, &[2.0], Strategy::Forward).to_rows(), [[5.0]], "{src}");
    }
}

#[test]
fn parameter_errors_point_at_the_parameter() {
    let cases = [
        ("f(x; a) = a*x", "a", "parameter a needs a value, as in a = 1"),
        ("f(x; a = x) = a*x", "x", "unknown name 'x'"),
        ("f(x; W[2, 2] = [1, 2, 3]) = W @ [x, x]", "[1, 2, 3]", "declared a 2×2 matrix but its value is a vector of 3"),
        ("f(; a = 1) = a", ";", "expected an input name"),
        ("f(a = 1) = a", ")", "the function needs at least one input"),
        ("f(x; a = 1; b = 2) = a*x", ";", "expected ')'"),
        ("a = 1; f(x) = x", ";", "one binding per line"),
    ];
    for (src, at, message) in cases {
        let (program, mut errors) = parse(src);
        if errors.is_empty() {
            errors = compile_with(&program, Wrt::Inputs, &[]).err().unwrap_or_default();
        }
        let first = errors.first().unwrap_or_else(|| panic!("{src}: no error"));
        assert_eq!(&src[first.span.start..first.span.end], at, "{src}: {first:?}");
        assert!(first.message.contains(message), "{src}: {}", first.message);
    }
}

#[test]
fn a_vector_parameter_gets_its_shape_from_its_value_or_broadcasts_a_number() {
    let t = compiled("f(x; v = [1, 2, 3], w[3] = 0.5) = dot(v, w) * x", Wrt::Params, &[]);
    assert_eq!(t.input_shapes, [("v".to_string(), vec![3]), ("w".into(), vec![3])]);
    assert_eq!(t.point_from(&[]), [1.0, 2.0, 3.0, 0.5, 0.5, 0.5]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Any values: the three choices of columns are slices of the promoted program's J.
    #[test]
    fn every_choice_of_columns_is_a_slice_of_the_promoted_j(
        x in -3.0f64..3.0, y in -3.0f64..3.0, a in -3.0f64..3.0, b in -3.0f64..3.0,
    ) {
        let full = compile_source(PROMOTED).unwrap();
        let want = jac(&full, &[x, y, a, b], Strategy::Reverse).to_rows();
        let given = named(&["x", "y", "a", "b"], &[x, y, a, b]);
        for (wrt, lo) in [(Wrt::Inputs, 0), (Wrt::Params, 2), (Wrt::All, 0)] {
            let t = compiled(SCALAR, wrt, &given);
            let at = t.point_from(&given);
            for s in [Strategy::Forward, Strategy::BatchedForward, Strategy::BatchedReverse, Strategy::Sparse] {
                let got = jac(&t, &at, s).to_rows();
                for (g, w) in got.iter().zip(&want) {
                    for (j, v) in g.iter().enumerate() {
                        prop_assert!((v - w[lo + j]).abs() <= 1e-15 * w[lo + j].abs().max(1.0));
                    }
                }
            }
        }
    }
}

/// What the page shows and links carry for each choice of columns: the sentence and the
/// sliders of the names held fixed, and the inputs' and number parameters' values.
#[test]
fn the_page_models_follow_the_choice_of_columns() {
    use jacobian_playground::view::{columns_choice, number_params, signature_values};
    let given = named(&["x", "y", "a"], &[2.0, 3.0, 2.5]);
    let by_inputs = compiled(SCALAR, Wrt::Inputs, &given);
    assert_eq!(columns_choice(&by_inputs), ["Held fixed (constants of the tape, not columns of J): a, b.", "a", "b"]);
    assert_eq!(signature_values(&by_inputs, &[2.0, 3.0]), (vec![2.0, 3.0], vec![2.5, 0.5]));
    let by_params = compiled(SCALAR, Wrt::Params, &given);
    assert_eq!(columns_choice(&by_params), ["Held fixed (constants of the tape, not columns of J): x, y.", "x", "y"]);
    assert_eq!(signature_values(&by_params, &[2.5, 0.5]), (vec![2.0, 3.0], vec![2.5, 0.5]));
    let by_all = compiled(SCALAR, Wrt::All, &given);
    assert_eq!(columns_choice(&by_all), ["Every name is a column of J."]);
    assert_eq!(signature_values(&by_all, &[2.0, 3.0, 2.5, 0.5]), (vec![2.0, 3.0], vec![2.5, 0.5]));
    assert_eq!(number_params(&by_all), ["a", "b"]);
    // A vector parameter: no slider, no `p=` value; without parameters, nothing at all.
    let net = compile_source("f(x; v = [1, 2], c = 3) = dot(v, [x, x]) + c").unwrap();
    assert_eq!(columns_choice(&net), ["Held fixed (constants of the tape, not columns of J): v, c.", "c"]);
    assert_eq!(number_params(&net), ["c"]);
    assert!(columns_choice(&compile_source("f(x) = x").unwrap()).is_empty());
}

#[test]
fn a_parameter_sliders_range_is_typed_low_then_high_with_its_step() {
    use jacobian_playground::view::{parse_range, slider_positions, slider_value};
    assert_eq!(parse_range("-1 … 3"), Some((-1.0, 3.0, None)));
    assert_eq!(parse_range("0, 10"), Some((0.0, 10.0, None)));
    assert_eq!(parse_range("1.5..2.5"), Some((1.5, 2.5, None)));
    assert_eq!(parse_range("−2 2"), Some((-2.0, 2.0, None)));
    assert_eq!(parse_range("0 … 10 step 0.5"), Some((0.0, 10.0, Some(0.5))));
    for bad in ["3 … 1", "1 … 1", "1", "1 2 3", "a … b", "0 … inf", "0 … 1 step 0", "0 … 1 step -1", "0 … 1 step 1e-9"]
    {
        assert_eq!(parse_range(bad), None, "{bad}");
    }
    // A step makes one slider position per step: 0 … 10 step 0.5 has 20, position 3 is 1.5.
    assert_eq!(slider_positions((0.0, 10.0), Some(0.5)), 20.0);
    assert_eq!(slider_value(3.0, (0.0, 10.0), Some(0.5)), 1.5);
    // Without one: 1000 positions, values rounded to 4 significant digits of the range.
    assert_eq!(slider_positions((-1.0, 3.0), None), 1000.0);
    assert_eq!(slider_value(250.0, (-1.0, 3.0), None), 0.0);
}

/// Under "the parameters", a weight matrix takes the paint pad's place: its values are drawn
/// on the diverging scale J uses (not as ink), and the pad offers no preset digits.
#[test]
fn a_weight_matrix_on_the_paint_pad_is_drawn_on_a_diverging_scale() {
    use jacobian_playground::view::paint::{image_input, ink_rgba};
    let src = "net(x[3]; W[2, 3] = [[1, -2, 0], [0.5, 0, 2]]) = tanh(W @ x)";
    let by_weights = compiled(src, Wrt::Params, &[]);
    let img = image_input(&by_weights).expect("W is painted");
    assert!(img.weights && (img.rows, img.cols, img.first) == (2, 3, 0), "{img:?}");
    let w = by_weights.point_from(&[]);
    let px = ink_rgba(&w, &img);
    let at = |k: usize| &px[k * 4..k * 4 + 3];
    // −2 saturates blue, 2 red, 0 is white, 1 a paler red than 2.
    assert!(at(1)[2] > at(1)[0] && at(5)[0] > at(5)[2], "{px:?}");
    assert_eq!(at(2), [255, 255, 255]);
    assert!(at(0)[1] > at(5)[1], "{px:?}");
    // The inputs' own image is still ink.
    let img = image_input(&compiled("f(img[2, 2]; a = 1) = a * sum(img)", Wrt::Inputs, &[])).unwrap();
    assert!(!img.weights);
}

/// A vector or matrix held fixed is edited on the page as one line of its values; read
/// back, the line gives its entries by name, and the program compiled with them has them.
#[test]
fn a_tensor_held_fixed_is_edited_as_a_list_of_its_entries() {
    use jacobian_playground::view::{fixed_tensors_text, parse_fixed_tensors};
    let src = "f(x[2]; W[2, 2] = [[1, 2], [3, 4]], b[2] = 0, a = 1) = a * (W @ x) + b";
    let t = compile_source(src).unwrap();
    assert_eq!(fixed_tensors_text(&t), "W = 1, 2, 3, 4\nb = 0, 0");
    let e = parse_fixed_tensors("W = [[1, 7], [3, 4]]\n\nb = 0.5 -1", &t).unwrap();
    let names: Vec<&str> = e.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["W[0, 1]", "b[0]", "b[1]"]);
    let (program, _) = parse(src);
    let edited = compile_with(&program, Wrt::Inputs, &e).unwrap();
    assert_eq!(jac(&edited, &[1.0, 2.0], Strategy::Forward).to_rows(), [[1.0, 7.0], [3.0, 4.0]]);
    assert_eq!(edited.eval(&[1.0, 2.0]), [15.5, 10.0]);
    // Said by name: a wrong count, a name that is not a tensor held fixed, a line without `=`.
    assert_eq!(parse_fixed_tensors("W = 1, 2", &t).unwrap_err(), "W: 2 values for 4 entries");
    assert!(parse_fixed_tensors("a = 3", &t).unwrap_err().contains("'a' is not a vector or matrix held fixed"));
    assert!(parse_fixed_tensors("W 1 2 3 4", &t).unwrap_err().contains("is not `name = values`"));
    // Held as J's columns (J by the parameters), none is listed.
    let by_params = compile_with(&program, Wrt::Params, &[]).unwrap();
    assert_eq!(fixed_tensors_text(&by_params), "");
}
