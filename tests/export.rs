//! Exports of the classic example: PyTorch and JAX programs (checked to be valid Python
//! with python3's own parser), LaTeX, CSV, JSON.
use jacobian_playground::core::compile::{compile_with, Wrt};
use jacobian_playground::core::syntax::Program;
use jacobian_playground::core::{jacobian, Matrix, Strategy, Workspace};
use jacobian_playground::view::editor::compile;
use jacobian_playground::view::export::{csv, json, latex, python, shown_part, Exportable, Framework, SHOWN_BYTES};

const CLASSIC: &str = "f(x1, x2, x3) = [x1 + x2, x1 * x3, x2^3]";

fn with_export<R>(src: &str, at: &[f64], f: impl FnOnce(&Exportable, &Program) -> R) -> R {
    let c = compile(src).expect("compiles");
    let t = &c.tape;
    let r = jacobian(t, at, Strategy::Forward, &mut Workspace::default());
    f(
        &Exportable {
            source: src,
            variables: &t.variables,
            inputs: &t.inputs,
            outputs: &t.output_names,
            at,
            f: &r.f,
            j: &r.j,
        },
        &c.program,
    )
}

/// python3's parser accepts the program (skipped, loudly, where there is no python3).
fn assert_valid_python(code: &str) {
    use std::io::Write;
    let Ok(mut child) = std::process::Command::new("python3")
        .args(["-c", "import ast, sys; ast.parse(sys.stdin.read())"])
        .stdin(std::process::Stdio::piped())
        .spawn()
    else {
        eprintln!("python3 not found: generated Python not parsed");
        return;
    };
    child.stdin.take().unwrap().write_all(code.as_bytes()).unwrap();
    assert!(child.wait().unwrap().success(), "not valid Python:\n{code}");
}

#[test]
fn pytorch_program_for_the_classic_example() {
    let code = with_export(CLASSIC, &[3.0, 4.0, 5.0], |e, p| python(e, p, Framework::PyTorch));
    assert!(code.contains("from torch.func import jacfwd, jacrev"), "{code}");
    assert!(code.contains("def f(x):\n    x1, x2, x3 = x\n    return torch.stack([_t(v) for v in ((x1 + x2), (x1 * x3), (x2 ** 3),)])"), "{code}");
    assert!(
        code.contains("x = torch.tensor([3.0, 4.0, 5.0], dtype=torch.float64)\nJ = jacfwd(f)(x)  # n = 3 ≤ m = 3"),
        "{code}"
    );
    assert!(code.contains("# J = jacrev(f)(x)  # the same J the other way"), "{code}");
    assert!(code.contains("# [[1.0, 1.0, 0.0],\n#  [5.0, 0.0, 3.0],\n#  [0.0, 48.0, 0.0]]"), "{code}");
    assert_valid_python(&code);
}

#[test]
fn jax_program_picks_the_mode_by_shape() {
    let code = with_export(CLASSIC, &[3.0, 4.0, 5.0], |e, p| python(e, p, Framework::Jax));
    assert!(code.contains("jax.config.update(\"jax_enable_x64\", True)"));
    assert!(code.contains("J = jax.jacfwd(f)(x)  # n = 3 ≤ m = 3"), "{code}");
    assert!(code.contains("# J = jax.jacrev(f)(x)"));
    assert_valid_python(&code);
    // A scalar of three inputs: reverse mode.
    let code = with_export("f(a, b, c) = a*b*c", &[1.0, 2.0, 3.0], |e, p| python(e, p, Framework::Jax));
    assert!(code.contains("J = jax.jacrev(f)(x)  # n = 3 > m = 1"), "{code}");
}

#[test]
fn python_wrappers_names_and_numbers() {
    // Bindings, functions needing wrappers, constants, Python keywords as names, NaN.
    let src = "lambda = sin(x) * pi\nf(x, y) = [atan2(lambda, y), cbrt(y)^2, relu(-x), 0.1]";
    for fw in [Framework::PyTorch, Framework::Jax] {
        let code = with_export(src, &[0.5, f64::NAN], |e, p| python(e, p, fw));
        assert!(code.contains("    lambda_ = (sin(x_) * pi)\n"), "{code}");
        assert!(
            code.contains("def atan2(a, b):") && code.contains("def cbrt(a):") && code.contains("def relu(a):"),
            "{code}"
        );
        assert!(code.contains("pi = 3.141592653589793\n"), "{code}");
        assert!(code.contains("float('nan')"), "{code}");
        assert_valid_python(&code);
    }
    assert!(with_export("f(x) = x", &[1.0], |e, p| python(e, p, Framework::PyTorch)).contains("    x_, = x\n"));
}

#[test]
fn latex_csv_and_json() {
    with_export(CLASSIC, &[3.0, 4.0, 5.0], |e, _| {
        assert_eq!(
            latex(e.j),
            "J = \\begin{bmatrix}\n  1 & 1 & 0 \\\\\n  5 & 0 & 3 \\\\\n  0 & 48 & 0\n\\end{bmatrix}\n"
        );
        assert_eq!(csv(e), "output,d/dx1,d/dx2,d/dx3\nf1,1,1,0\nf2,5,0,3\nf3,0,48,0\n");
        let j = json(e);
        assert!(j.contains("\"jacobian\": [\n    [1, 1, 0],\n    [5, 0, 3],\n    [0, 48, 0]\n  ]"), "{j}");
        assert!(j.contains("\"source\": \"f(x1, x2, x3) = [x1 + x2, x1 * x3, x2^3]\""));
        assert!(j.contains("\"inputs\": [\"x1\", \"x2\", \"x3\"]"));
    });
    assert_eq!(
        latex(&Matrix { rows: 1, cols: 3, data: vec![f64::NAN, f64::NEG_INFINITY, 1.5e-20] }),
        "J = \\begin{bmatrix}\n  \\mathrm{NaN} & -\\infty & 1.5 \\times 10^{-20}\n\\end{bmatrix}\n"
    );
    // A source with quotes, a newline and a control character stays valid JSON text.
    with_export("# say \"hi\"\tnow\nf(x) = [x, 1/0]", &[1.0], |e, _| {
        let j = json(e);
        assert!(j.contains(r##""source": "# say \"hi\"\tnow\nf(x) = [x, 1/0]""##), "{j}");
        assert!(j.contains("\"f\": [1, \"Infinity\"]"), "{j}");
    });
}

/// The names python3 itself reads in `f`'s unpacking line (after its NFKC folding).
fn python_param_names(code: &str) -> Option<Vec<String>> {
    use std::io::Write;
    let script = "import ast, sys\nt = ast.parse(sys.stdin.read())\nf = [d for d in t.body if isinstance(d, ast.FunctionDef) and d.name == 'f'][0]\ntarget = f.body[0].targets[0]\nprint(' '.join(e.id for e in target.elts))";
    let mut child = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .ok()?;
    child.stdin.take().unwrap().write_all(code.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "not valid Python:\n{code}");
    Some(String::from_utf8(out.stdout).unwrap().split_whitespace().map(String::from).collect())
}

#[test]
fn names_python_would_fold_or_reject_are_renamed_and_said() {
    // ℌ and ﬁ fold to H and fi under NFKC; x½ is no identifier; x and x_ collide once x
    // (reserved by the export) gets its underscore.
    for (src, n) in [
        ("f(ℌ, H) = ℌ - H", 2),
        ("f(ﬁ, fi) = ﬁ * fi", 2),
        ("f(x½, y) = x½ * y", 2),
        ("f(x, x_) = x - x_", 2),
        ("h = x\nf(θ, x) = [θ * h]", 2),
    ] {
        // Both frameworks share the naming; one is enough to ask Python about.
        {
            let at = vec![1.0; n];
            let code = with_export(src, &at, |e, p| python(e, p, Framework::PyTorch));
            assert_valid_python(&code);
            let Some(names) = python_param_names(&code) else { return };
            let mut distinct = names.clone();
            distinct.sort();
            distinct.dedup();
            assert_eq!(distinct.len(), n, "{src}: Python reads the inputs as {names:?}\n{code}");
            assert!(names.iter().all(|n| n.is_ascii()), "{src}: {names:?}");
        }
    }
    let code = with_export("f(ℌ, H) = ℌ - H", &[1.0, 2.0], |e, p| python(e, p, Framework::PyTorch));
    assert!(
        code.starts_with("# Names that are not plain ASCII identifiers are renamed for Python: ℌ → u210C\n"),
        "{code}"
    );
    assert!(code.contains("    u210C, H = x\n    return torch.stack([_t(v) for v in ((u210C - H),)])"), "{code}");
    let code = with_export("f(x½, y) = x½ * y", &[1.0, 2.0], |e, p| python(e, p, Framework::Jax));
    assert!(code.contains("x½ → x_u00BD"), "{code}");
}

#[test]
fn a_tensor_program_exports_with_its_shapes_and_the_same_seeded_weights() {
    let src = jacobian_playground::examples::EXAMPLES.iter().find(|e| e.id == "mlp").unwrap();
    for fw in [Framework::PyTorch, Framework::Jax] {
        let code = with_export(src.source, src.at, |e, p| python(e, p, fw));
        assert!(code.contains("    x_ = x[0:4]\n") || code.contains("    x = x[0:4]\n"), "{code}");
        assert!(code.contains("def softmax(a, dim=-1):") && code.contains("def randn(*shape_seed):"), "{code}");
        assert!(code.contains(".reshape(-1)"), "a vector output is returned whole: {code}");
        assert_valid_python(&code);
    }
    let code = with_export("f(M[2, 3], t) = transpose(M) @ [1, t]", &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0], |e, p| {
        python(e, p, Framework::PyTorch)
    });
    assert!(code.contains("M = x[0:6].reshape(2, 3)") && code.contains("t = x[6]"), "{code}");
    assert!(code.contains("_s([1, t])"), "a written-out vector is a tensor: {code}");
    assert_valid_python(&code);
    // The generator in Python gives the numbers the page and the command line give.
    let code = with_export("f(x) = randn(3, 1) * x", &[1.0], |e, p| python(e, p, Framework::Jax));
    let start = code.find("import math").expect("the generator is exported");
    let end = code[start..].find("def randn").map(|k| start + k).unwrap_or(code.len());
    let script = format!("{}\nprint(repr(_gauss(3, 1)))\n", &code[start..end]);
    if let Ok(out) = std::process::Command::new("python3").args(["-c", &script]).output() {
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim(),
            "[0.42945220538400686, 1.5857725335739927, 0.4564552075888475]",
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn the_box_shows_whole_lines_up_to_its_limit_and_says_what_copy_adds() {
    assert_eq!(shown_part("x = 1\n".into()), "x = 1\n");
    // Lines with letters of several scripts, so that a cut at the limit could fall inside one.
    let line = "y = é + ж + 中\n";
    let text = line.repeat(40_000);
    let shown = shown_part(text.clone());
    let (kept, note) = shown.rsplit_once('\n').expect("a note line");
    assert!(kept.len() < SHOWN_BYTES && text.starts_with(kept));
    assert_eq!((kept.len() + 1) % line.len(), 0, "whole lines");
    let total = text.len().div_ceil(1024);
    assert!(note.starts_with('…') && note.ends_with(&format!("Copy copies all {total} KB.")), "{note}");
}

/// Runs each program in one Python process (`JP_PYTHON`, which scripts/setup.sh points at a
/// venv with JAX; PyTorch too where it imports) and returns each program's J as rows.
/// `None`, said loudly, where that Python lacks the framework.
fn run_exports(module: &str, programs: &[String]) -> Option<Vec<Vec<Vec<f64>>>> {
    use std::io::Write;
    let python = std::env::var("JP_PYTHON").unwrap_or_else(|_| "python3".into());
    let probe = std::process::Command::new(&python).args(["-c", &format!("import {module}")]).output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!(
            "{python} cannot import {module}: its exports were not run (scripts/setup.sh --browser installs JAX)"
        );
        return None;
    }
    // Each program prints J; that is swallowed and J read from its namespace, non-finite
    // entries as strings (JSON has no NaN).
    const DRIVER: &str = r#"
import contextlib, io, json, math, sys
def plain(v):
    return v if math.isfinite(v) else ("NaN" if v != v else ("Infinity" if v > 0 else "-Infinity"))
out = []
for code in json.load(sys.stdin):
    ns = {}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(code, "<export>", "exec"), ns)
    out.append([[plain(float(v)) for v in row] for row in ns["J"].tolist()])
print(json.dumps(out))
"#;
    let mut child = std::process::Command::new(&python)
        .args(["-c", DRIVER])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python starts");
    let input = serde_json::to_string(programs).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(out.status.success(), "{module} exports failed:\n{}", String::from_utf8_lossy(&out.stderr));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("J as JSON");
    let number = |v: &serde_json::Value| match v.as_str() {
        Some("NaN") => f64::NAN,
        Some("Infinity") => f64::INFINITY,
        Some(_) => f64::NEG_INFINITY,
        None => v.as_f64().unwrap(),
    };
    Some(
        value
            .as_array()
            .unwrap()
            .iter()
            .map(|j| j.as_array().unwrap().iter().map(|r| r.as_array().unwrap().iter().map(number).collect()).collect())
            .collect(),
    )
}

/// Every gallery example, the digit classifier included: its PyTorch and JAX programs,
/// run, give our J (to a few ulps of J's largest entry: the libraries' `tanh` or `exp` may
/// round differently from ours).
#[test]
fn gallery_exports_run_and_reproduce_j() {
    let digits_source = include_str!("../public/examples/digits.jp");
    let digits_at = jacobian_playground::examples::preset(3, 8, 8);
    let mut cases: Vec<(&str, &str, Vec<f64>)> =
        jacobian_playground::examples::EXAMPLES.iter().map(|e| (e.id, e.source, e.at.to_vec())).collect();
    cases.push(("digits", digits_source, digits_at));
    // Parameters, J by each choice of columns: the others are f's keyword arguments.
    let with_params = [
        ("params", "f(x, y; a = 1.5, b = 0.5) = [a*x^2 - y, x*y + b, sin(a*b*x)]", vec![2.0, -3.0]),
        ("params-net", "net(x[3]; W[2, 3] = randn(2, 3, 7), b[2] = 0.1) = tanh(W @ x + b)", vec![0.3, -1.2, 0.8]),
    ];
    // An axis (dim=, axis=, or a second argument), sizes as one list, and the methods.
    cases.push((
        "axes",
        "W = randn(3, 4, 1)\nf(x[4]) = [softmax(reshape(W @ x, [3, 1]), dim=0).sum(0)[0], W.T.sum(1).mean(), logsumexp(x.reshape(2, 2), axis=1).sum(), sum(log_softmax(zeros([2, 2]) + x.reshape(2, 2), 0) * [[1, 2], [3, 4]])]",
        vec![0.3, -1.2, 0.8, 2.0],
    ));
    // PyTorch's and NumPy's joiners, unsqueeze, keepdim= and stepped slices.
    cases.push((
        "joiners",
        "f(x[4], y[2]) = [sum(torch.cat((x[::-2], y)) * np.hstack([y, 3.0, y[0]])), sum(torch.stack([y, x[1:3]], dim=1) @ np.vstack((y, x[::3]))), sum(exp(x.reshape(2, 2) - x.reshape(2, 2).max(dim=1, keepdim=True))), sum(np.column_stack([y, x[:2]]) * y.unsqueeze(0))]",
        vec![0.3, -1.2, 0.8, 2.0, 0.5, -0.7],
    ));
    let mut wrts = vec![Wrt::Inputs; cases.len()];
    for (id, src, x) in with_params {
        for wrt in Wrt::ALL {
            cases.push((id, src, x.clone()));
            wrts.push(wrt);
        }
    }
    for (fw, module) in [(Framework::Jax, "jax"), (Framework::PyTorch, "torch")] {
        let mut ours = Vec::new();
        let programs: Vec<String> = cases
            .iter()
            .zip(&wrts)
            .map(|((_, src, at), &wrt)| {
                let c = compile(src).expect("compiles");
                let given: Vec<(String, f64)> = c.tape.inputs.iter().cloned().zip(at.iter().copied()).collect();
                let t = compile_with(&c.program, wrt, &given).expect("compiles");
                let at = t.point_from(&given);
                let r = jacobian(&t, &at, Strategy::Forward, &mut Workspace::default());
                ours.push(r.j.clone());
                let e = Exportable {
                    source: src,
                    variables: &t.variables,
                    inputs: &t.inputs,
                    outputs: &t.output_names,
                    at: &at,
                    f: &r.f,
                    j: &r.j,
                };
                python(&e, &c.program, fw)
            })
            .collect();
        let Some(theirs) = run_exports(module, &programs) else { continue };
        for (((id, _, _), j), t) in cases.iter().zip(&ours).zip(&theirs) {
            assert_eq!((t.len(), t.first().map_or(j.cols, Vec::len)), (j.rows, j.cols), "{module} {id}: J's shape");
            let scale = j.data.iter().filter(|v| v.is_finite()).fold(1e-300f64, |s, v| s.max(v.abs()));
            for (i, row) in t.iter().enumerate() {
                for (k, &v) in row.iter().enumerate() {
                    let w = j.get(i, k);
                    let same = (v.is_nan() && w.is_nan()) || v == w || (v - w).abs() <= 1e-12 * scale;
                    assert!(same, "{module} {id}: J[{i}][{k}] = {v:e}, ours {w:e} (scale {scale:e})");
                }
            }
        }
    }
}

/// A left-associative chain prints without its left operands' parentheses: a sum of 300
/// terms would otherwise open 300, past the 200 levels Python's parser takes.
#[test]
fn long_sums_export_as_valid_python() {
    let code = with_export(
        "f(a, b, c) = [a - b - c, a - (b - c), a / b * c, a * (b / c), (a + b) * c]",
        &[1.0, 2.0, 3.0],
        |e, p| python(e, p, Framework::Jax),
    );
    assert!(code.contains("((a - b - c), (a - (b - c)), (a / b * c), (a * (b / c)), ((a + b) * c),)"), "{code}");
    let terms: Vec<String> = (0..300).map(|j| format!("x{j}^2")).collect();
    let params: Vec<String> = (0..300).map(|j| format!("x{j}")).collect();
    let src = format!("f({}) = {}", params.join(", "), terms.join(" + "));
    let at: Vec<f64> = (0..300).map(|j| j as f64).collect();
    for fw in [Framework::PyTorch, Framework::Jax] {
        assert_valid_python(&with_export(&src, &at, |e, p| python(e, p, fw)));
    }
}

/// The page asks the export worker with `export_request`; `export_text` compiles the same
/// function at the same point and writes the same text as exporting it directly.
#[test]
fn the_worker_request_round_trips_to_the_same_export() {
    use jacobian_playground::view::export::{export_request, export_text};
    let given =
        |names: &[&str], x: &[f64]| names.iter().map(|n| n.to_string()).zip(x.iter().copied()).collect::<Vec<_>>();
    let direct = with_export(CLASSIC, &[3.0, 4.0, 5.0], |e, p| python(e, p, Framework::Jax));
    let asked = export_text(&export_request(1, Wrt::Inputs, CLASSIC, &given(&["x1", "x2", "x3"], &[3.0, 4.0, 5.0])));
    assert_eq!(asked, direct);
    // Numbers keep their bits through the request's text; the later of two values wins.
    let odd = [0.1 + 0.2, -1e-300, 123_456_789.123_456_79];
    let j = export_text(&export_request(
        4,
        Wrt::Inputs,
        CLASSIC,
        &given(&["x1", "x1", "x2", "x3"], &[9.0, odd[0], odd[1], odd[2]]),
    ));
    let at = j.lines().find(|l| l.contains("\"at\"")).unwrap();
    let read: Vec<f64> = at
        .trim()
        .trim_start_matches("\"at\": [")
        .trim_end_matches("],")
        .split(", ")
        .map(|v| v.parse().unwrap())
        .collect();
    assert_eq!(
        read.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
        odd.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
        "{at}"
    );
    // Parameters: by the parameters, a given value of a parameter and an input's value.
    let src = "f(x, y; a = 1, b = 0.5) = [a*x^2 - y, x*y + b]";
    let csv_text = export_text(&export_request(3, Wrt::Params, src, &given(&["x", "y", "a"], &[2.0, 3.0, 3.0])));
    assert_eq!(csv_text, "output,d/da,d/db\nf1,4,0\nf2,0,1\n");
    assert_eq!(
        export_text(&export_request(3, Wrt::Inputs, "f(x) = x +", &[])),
        "# The function has an error; fix it to export code."
    );
}

/// The Batch view's code runs: JAX's `vmap(jacrev(f))` over the batch, with f as the
/// Export view writes it, gives every point's J as ours.
#[test]
fn batch_code_runs_under_vmap_and_gives_every_points_j() {
    use jacobian_playground::core::batch::{jacobians, Method};
    use jacobian_playground::view::batch::batch_text;
    let cases = [
        ("f(x, y; a = 1.5) = [a*x^2 - y, x*y, sin(x)]", "1, 2\n-0.5 3\n2, 0.25"),
        ("W1 = randn(6, 3, 1) / 2\nnet(x[3]) = softmax(randn(2, 6, 2) @ tanh(W1 @ x))", "0.1, 0.2, 0.3\n1, -1, 0.5"),
    ];
    let mut ours = Vec::new();
    let programs: Vec<String> = cases
        .iter()
        .map(|(src, points)| {
            let c = compile(src).expect("compiles");
            let t = &c.tape;
            let xs = jacobian_playground::core::point::parse_points(points, t.n()).unwrap();
            ours.push(jacobians(t, &xs, Method::Batched).iter().flat_map(|j| j.to_rows()).collect::<Vec<_>>());
            let program = with_export(src, &xs[0], |e, p| python(e, p, Framework::Jax));
            let text = batch_text(t, points);
            let lines: Vec<&str> =
                text.lines().filter(|l| l.starts_with("X = ") || l.starts_with("Js = jax.")).collect();
            assert_eq!(lines.len(), 2, "{text}");
            format!("{program}\n{}\n{}\nJ = Js.reshape(-1, {})\n", lines[0], lines[1], t.n())
        })
        .collect();
    let Some(theirs) = run_exports("jax", &programs) else { return };
    for ((want, got), (src, _)) in ours.iter().zip(&theirs).zip(&cases) {
        assert_eq!(got.len(), want.len(), "{src}");
        let scale = want.iter().flatten().fold(0.0f64, |s, v| s.max(v.abs()));
        for (w, g) in want.iter().flatten().zip(got.iter().flatten()) {
            assert!((w - g).abs() <= 1e-12 * scale, "{src}: {g} against our {w}");
        }
    }
}
