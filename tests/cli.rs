//! The `jacobian` binary: JSON out, errors with carets and exit code 1.

use std::io::Write;
use std::process::{Command, Stdio};

fn run(args: &[&str], stdin: &str) -> (i32, String, String) {
    run_bytes(args, stdin.as_bytes())
}

fn run_bytes(args: &[&str], stdin: &[u8]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jacobian"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The tool may exit on a usage error before reading its input: a broken pipe is fine.
    let _ = child.stdin.take().unwrap().write_all(stdin);
    let out = child.wait_with_output().unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

const CLASSIC: &str = "f(x1, x2, x3) = [x1 + x2, x1*x3, x2^3]";

#[test]
fn prints_the_classic_jacobian_as_json() {
    for mode in ["auto", "forward", "reverse", "batched", "sparse", "complex"] {
        let (code, out, err) = run(&["--at", "3,4,5", "--mode", mode, "-"], CLASSIC);
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["J"], serde_json::json!([[1.0, 1.0, 0.0], [5.0, 0.0, 3.0], [0.0, 48.0, 0.0]]), "{mode}");
        assert_eq!(v["f"], serde_json::json!([7.0, 15.0, 64.0]));
        assert_eq!(v["inputs"], serde_json::json!(["x1", "x2", "x3"]));
        assert_eq!(v["outputs"], serde_json::json!(["f1", "f2", "f3"]));
        assert!(v["cost"]["passes"].as_u64().unwrap() >= 1);
    }
    let (_, out, _) = run(&["--at", "3,4,5", "--mode", "fd"], CLASSIC);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!((v["J"][2][1].as_f64().unwrap() - 48.0).abs() < 1e-6);
}

/// A batch of two 28×28 images is 1 568 inputs: its point comes from `--at` or a line of
/// `--at-file`, and each image's rows of J are that image's J alone (zeros elsewhere).
#[test]
fn a_batch_of_images_takes_its_point_from_the_command_line() {
    let w = "W = randn(3, 784, 1) / 28\n";
    let batch = format!("{w}f(X[2, 784]) = tanh(X @ W.T)");
    let one = format!("{w}f(x[784]) = tanh(W @ x)");
    let at: Vec<String> = (0..1568).map(|k| format!("{}", (k % 17) as f64 / 17.0 - 0.5)).collect();
    let j = |args: &[&str], src: &str| -> Vec<Vec<f64>> {
        let (code, out, err) = run(args, src);
        assert_eq!(code, 0, "{err}");
        let line = out.lines().next().unwrap();
        serde_json::from_value(serde_json::from_str::<serde_json::Value>(line).unwrap()["J"].clone()).unwrap()
    };
    let both = j(&["--at", &at.join(","), "-"], &batch);
    assert_eq!((both.len(), both[0].len()), (6, 1568));
    for (image, rows) in both.chunks(3).enumerate() {
        let alone = j(&["--at", &at[image * 784..image * 784 + 784].join(","), "-"], &one);
        for (row, want) in rows.iter().zip(&alone) {
            let (mine, other) = if image == 0 {
                row.split_at(784)
            } else {
                let (o, m) = row.split_at(784);
                (m, o)
            };
            assert_eq!(mine, want.as_slice());
            assert!(other.iter().all(|&v| v == 0.0));
        }
    }
    let file = std::env::temp_dir().join(format!("jp-batch-{}.txt", std::process::id()));
    std::fs::write(&file, format!("{}\n{}\n", at.join(","), at.join(" "))).unwrap();
    let (code, out, err) = run(&["--at-file", file.to_str().unwrap(), "-"], &batch);
    let _ = std::fs::remove_file(&file);
    assert_eq!((code, out.lines().count()), (0, 2), "{err}");
}

#[test]
fn tensor_programs_print_j_m_by_n_with_the_shapes() {
    let src = "W = [[1, 2, 0], [0, 1, 3]]\nnet(x[3], t) = W @ x * t";
    let (code, out, err) = run(&["--at", "1,1,1,2"], src);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["J"], serde_json::json!([[2.0, 4.0, 0.0, 3.0], [0.0, 2.0, 6.0, 4.0]]));
    assert_eq!(v["inputs"], serde_json::json!(["x[0]", "x[1]", "x[2]", "t"]));
    assert_eq!(v["outputs"], serde_json::json!(["net[0]", "net[1]"]));
    assert_eq!(v["input_shapes"], serde_json::json!([{"name": "x", "shape": [3]}, {"name": "t", "shape": []}]));
    assert_eq!(v["output_shape"], serde_json::json!([2]));
    let (_, out, _) = run(&["--at", "3,4,5"], CLASSIC);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["output_shape"], serde_json::json!([3]), "a list of three outputs");
    // A shape error: at the operator, both shapes named, exit 1.
    let (code, _, err) = run(&["--at", "1,1"], "f(x[2]) = [[1, 2, 3]] @ x");
    assert_eq!(code, 1);
    assert!(err.contains("a 1×3 matrix but x has 2 entries") && err.contains("^"), "{err}");
}

#[test]
fn hessian_zero_columns_and_non_finite_numbers() {
    let (code, out, err) = run(&["--at", "1,2,7", "--hessian"], "f(x, y, z) = x^2*y");
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["H"], serde_json::json!([[4.0, 2.0, 0.0], [2.0, 0.0, 0.0], [0.0, 0.0, 0.0]]));
    assert_eq!(v["zero_columns"], serde_json::json!(["z"]));
    let (_, out, _) = run(&["--at", "0,-1"], "f(x, y) = [log(x), sqrt(y), 1/x]");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["f"], serde_json::json!(["-Infinity", "NaN", "Infinity"]));
}

#[test]
fn errors_go_to_stderr_with_a_caret_and_exit_1() {
    let (code, out, err) = run(&["--at", "1"], "f(x) = x +* 2");
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(err.contains("error at 1:11"), "{err}");
    assert!(err.contains("1 | f(x) = x +* 2\n  |           ^"), "{err}");

    let (code, out, err) = run(&["-"], CLASSIC);
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(err.contains("missing --at"), "{err}");

    let (code, _, err) = run(&["--at", "1,2"], CLASSIC);
    assert_eq!(code, 1);
    assert!(err.contains("--at gives 2 coordinates but f has 3 inputs"), "{err}");

    let (code, _, err) = run(&["--at", "1,zz,3"], CLASSIC);
    assert_eq!(code, 1);
    assert!(err.contains("coordinate 2 ('zz') is not a number"), "{err}");

    let (code, _, err) = run(&["--at", "1,2", "--hessian"], "f(x, y) = [x, y]");
    assert_eq!(code, 1);
    assert!(err.contains("needs a scalar function"), "{err}");
}

#[test]
fn bench_prints_ratios() {
    let (code, out, err) = run(&["bench", "--at", "3,4,5", "-"], CLASSIC);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["f_ns"].as_f64().unwrap() > 0.0);
    for s in ["forward", "reverse", "batched_forward", "batched_reverse", "sparse", "fd_central", "complex_step"] {
        assert!(v["J"][s]["ratio"].as_f64().unwrap() > 0.0, "{s}");
    }
}

#[test]
fn the_point_follows_the_pages_rule_and_messages_stay_short() {
    // One rule with links and the page's fields: finite numbers only.
    for (at, shown) in [
        ("1,nan,3", "coordinate 2 ('nan') is not a finite number"),
        ("inf,2,3", "coordinate 1 ('inf') is not a finite number"),
        ("1,2,1e999", "coordinate 3 ('1e999') is not a finite number"),
    ] {
        let (code, out, err) = run(&["--at", at], CLASSIC);
        assert_eq!((code, out.as_str()), (1, ""), "{at}");
        assert!(err.contains(shown), "{at}: {err}");
    }
    // 10 000 inputs: the wrong-count message names a few, not all 60 KB of them.
    let names: Vec<String> = (0..10_000).map(|k| format!("x{k}")).collect();
    let src = format!("f({}) = x0", names.join(", "));
    let (code, _, err) = run(&["--at", "1,2"], &src);
    assert_eq!(code, 1);
    assert!(err.contains("but f has 10000 inputs (x0, x1,") && err.contains("… and 9988 more"), "{err}");
    assert!(err.len() < 300, "{} bytes", err.len());
}

#[test]
fn sources_that_are_not_plain_text_say_where() {
    // Invalid UTF-8: line and column of the first bad byte.
    let (code, out, err) = run_bytes(&["--at", "1"], b"# ok\nf(x) = x \xFF+ 1");
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(err.contains("error at 2:10: standard input is not UTF-8 text (byte 0xFF at offset 14)"), "{err}");
    // Lone CRs are line breaks, as the editor shows them: the error is on line 2.
    let (code, _, err) = run(&["--at", "1"], "h = 2\rf(x) = x +* h");
    assert_eq!(code, 1);
    assert!(err.contains("error at 2:11"), "{err}");
}

#[test]
fn an_endless_input_is_refused_at_the_size_limit_not_read_whole() {
    // /dev/zero never ends: as the program file and as standard input.
    let as_file = Command::new(env!("CARGO_BIN_EXE_jacobian")).args(["--at", "1", "/dev/zero"]).output().unwrap();
    let as_stdin = Command::new(env!("CARGO_BIN_EXE_jacobian"))
        .args(["--at", "1", "-"])
        .stdin(std::fs::File::open("/dev/zero").unwrap())
        .output()
        .unwrap();
    for (what, out) in [("/dev/zero", as_file), ("standard input", as_stdin)] {
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(1), "{what}: {err}");
        assert!(
            err.contains(&format!("{what} is longer than the 128 KiB a program may be; stopped reading there")),
            "{err}"
        );
    }
    // A program just within the limit is still read.
    let src = format!("f(x) = x\n#{}", "a".repeat(128 * 1024 - 10));
    assert_eq!(src.len(), 128 * 1024);
    let (code, _, err) = run(&["--at", "1", "-"], &src);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn the_benchmark_bounds_its_buffers_on_10_000_inputs() {
    // 10 000 inputs, one output, 20 000 nodes: one batched forward sweep would hold 10 000
    // tangents per node (1.6 GB). (Short names, so the program fits the 128 KiB limit.)
    let letters =
        |k: usize| -> String { [k / 676, k / 26 % 26, k % 26].iter().map(|&d| (b'a' + d as u8) as char).collect() };
    let names: Vec<String> = (0..10_000).map(|k| format!("q{}", letters(k))).collect();
    // A product (a sum would be one dense row: 10 001 nodes, not 20 000).
    let src = format!("f({}) = {}", names.join(","), names.join("*"));
    // The command line refuses a hostile point before anything is allocated (from a file:
    // the system caps one argument at 128 KiB)...
    let file = std::env::temp_dir().join(format!("jp-hostile-{}.txt", std::process::id()));
    std::fs::write(&file, vec!["0"; 100_001].join(",")).unwrap();
    let (code, out, err) = run(&["--at-file", file.to_str().unwrap(), "-"], &src);
    let _ = std::fs::remove_file(&file);
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(err.contains("line 1: 100001 coordinates, more than the 100000 a point may have"), "{err}");
    // ...and the benchmark reports the sweep it will not run, and runs the others.
    let tape = jacobian_playground::core::compile_source(&src).unwrap();
    let v = jacobian_playground::bench::bench_tape(&tape, &vec![0.5; 10_000], 1);
    let skipped = v["J"]["batched_forward"]["skipped"].as_str().unwrap();
    assert!(
        skipped.starts_with("batched_forward would need a 1.6 GB sweep buffer, over the 1.1 GB allowed"),
        "{skipped}"
    );
    for s in ["forward", "reverse", "batched_reverse", "sparse", "complex_step"] {
        assert!(v["J"][s]["ns"].as_f64().unwrap() > 0.0, "{s}: {}", v["J"][s]);
    }
}

#[test]
fn complex_step_says_undefined_where_f_is_not_real() {
    // log of a negative number and a negative base to a fractional power: complex
    // arithmetic gives iπ-like values (Im/h ≈ 3e20); the real function is undefined there.
    let src = "f(x, y) = [log(x) + y, x^0.5 * y, y^2]";
    let (code, out, err) = run(&["--mode", "complex", "--at", "-1,2", "-"], src);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["J"][0], serde_json::json!(["NaN", "NaN"]));
    assert_eq!(v["J"][1], serde_json::json!(["NaN", "NaN"]));
    assert_eq!(v["J"][2], serde_json::json!([0.0, 4.0]), "a defined output keeps its derivative");
    assert!(
        v["undefined"].as_str().unwrap().starts_with("f1, f2 are not defined at this point in real arithmetic"),
        "{}",
        v["undefined"]
    );
    // Where f is defined, nothing is said.
    let (_, out, _) = run(&["--mode", "complex", "--at", "1,2", "-"], src);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v.get("undefined").is_none());
}

#[test]
fn reports_the_digits_each_entry_keeps_and_the_true_values() {
    let src = "f(x) = [(1 - cos(x))/x^2, 2*sin(x/2)^2/x^2, exp(x)*1e8]";
    let (code, out, err) = run(&["--at", "1e-4", "-"], src);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let d = &v["digits"];
    assert_eq!(d["J"], serde_json::json!([[0], [7], [16]]), "{d}");
    assert_eq!(d["f"], serde_json::json!([8, 16, 16]));
    // mpmath: d/dx 2 sin²(x/2)/x² at 1e-4 = -8.33333332777777817861367e-6.
    assert!(d["true_J"][1][0].as_str().unwrap().starts_with("-8.33333332777777817861"), "{d}");
    // f1's own derivative program cancels in double-double too: 15 digits, not 32.
    assert_eq!(d["true_J"][0][0].as_str().unwrap().len(), "-8.33333332777777e-6".len());
    assert_eq!(
        d["summary"],
        "⚠ Digits lost to rounding in the program, of 16: ∂f1/∂x keeps 0, ∂f2/∂x keeps 7, f1's value keeps 8."
    );
    let (_, out, _) = run(&["--at", "3,4,5", "-"], CLASSIC);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["digits"]["J"], serde_json::json!([[16, 16, 16], [16, 16, 16], [16, 16, 16]]));
    assert_eq!(
        v["digits"]["summary"],
        "Digits checked in double-double: every value of f and entry of J keeps at least 16 of 16."
    );
}

#[test]
fn bench_suite_lists_its_families_for_the_browser_benchmark() {
    let (code, out, err) = run(&["bench-suite", "--families"], "");
    assert_eq!(code, 0, "{err}");
    let list: serde_json::Value = serde_json::from_str(&out).unwrap();
    let names: Vec<&str> = list.as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"layer 64 scalar") && names.contains(&"layer 64 tensor"), "{names:?}");
    for f in list.as_array().unwrap() {
        let tape = jacobian_playground::core::compile_source(f["source"].as_str().unwrap()).unwrap();
        assert_eq!(tape.n(), f["at"].as_array().unwrap().len(), "{}", f["name"]);
    }
}

#[test]
fn exports_the_page_s_python_programs() {
    let (code, out, err) = run(&["--at", "3,4,5", "--export", "pytorch", "-"], CLASSIC);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("import torch\nfrom torch.func import jacfwd, jacrev\n"), "{out}");
    assert!(out.contains("J = jacfwd(f)(x)") && out.ends_with("#  [0.0, 48.0, 0.0]]\n"), "{out}");
    let (code, out, err) = run(&["--at=3,4,5", "--export=jax", "-"], CLASSIC);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("J = jax.jacfwd(f)(x)") && out.contains("#  [5.0, 0.0, 3.0],"), "{out}");
    let (code, _, err) = run(&["--at", "3,4,5", "--export", "numpy", "-"], CLASSIC);
    assert_eq!(code, 1);
    assert!(err.starts_with("--export wants pytorch or jax, not 'numpy'"), "{err}");
}

const WITH_PARAMS: &str = "f(x, y; a = 1, b = 0.5) = [a*x^2 - y, x*y + b]";

#[test]
fn parameters_choose_j_columns_and_take_values() {
    let (code, out, err) = run(&["--at", "2,3"], WITH_PARAMS);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["J"], serde_json::json!([[4.0, -1.0], [3.0, 2.0]]));
    assert_eq!(v["wrt"], "inputs");
    assert_eq!(v["constants"][0], serde_json::json!({"name": "a", "shape": [], "values": [1.0]}));
    // By the parameters, a = 3: ∂/∂a = x², ∂/∂b = 1.
    let (_, out, _) = run(&["--at", "2,3", "--param", "a=3", "--wrt", "params"], WITH_PARAMS);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!((v["inputs"].clone(), v["at"].clone()), (serde_json::json!(["a", "b"]), serde_json::json!([3.0, 0.5])));
    assert_eq!(v["J"], serde_json::json!([[4.0, 0.0], [0.0, 1.0]]));
    let (_, out, _) = run(&["--at", "2,3", "--wrt=all", "--param=b=2"], WITH_PARAMS);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["J"], serde_json::json!([[4.0, -1.0, 4.0, 0.0], [3.0, 2.0, 0.0, 1.0]]));
    assert_eq!(v["f"], serde_json::json!([1.0, 8.0]));
    for (args, said) in [
        (vec!["--at", "2,3", "--param", "c=1"], "f has no parameter entry 'c' (its parameters: a, b)"),
        (vec!["--at", "2,3", "--param", "a"], "--param wants name=value"),
        (vec!["--at", "2,3", "--param", "a=zz"], "--param a:"),
        (vec!["--at", "2,3", "--wrt", "weights"], "--wrt wants inputs, params or all"),
    ] {
        let (code, _, err) = run(&args, WITH_PARAMS);
        assert!(code == 1 && err.contains(said), "{args:?}: {err}");
    }
    let (code, _, err) = run(&["--at", "2", "--param", "a=1"], "f(x) = x");
    assert!(code == 1 && err.contains("f has no parameters"), "{err}");
}

#[test]
fn a_file_of_points_prints_one_j_per_point_equal_to_each_point_alone() {
    let dir = std::env::temp_dir().join(format!("jp-points-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("points.csv");
    std::fs::write(&file, "# x, y\n2,3\n\n-1.5 0.25\n1e-3, 7\n").unwrap();
    let file = file.to_str().unwrap();
    let (code, out, err) = run(&["--at-file", file, "--wrt", "all"], WITH_PARAMS);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    // `auto` times its rivals on a small tape, so the strategy and its reason may differ
    // between runs; J differs at most by the order its sums were added in.
    let settled = |json: &str| {
        let mut v: serde_json::Value = serde_json::from_str(json).unwrap();
        let j: Vec<f64> = v["J"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r.as_array().unwrap().clone())
            .map(|e| e.as_f64().unwrap())
            .collect();
        for key in ["J", "cost"] {
            v.as_object_mut().unwrap().remove(key);
        }
        (v, j)
    };
    for (line, at) in lines.iter().zip(["2,3", "-1.5,0.25", "1e-3,7"]) {
        let (_, alone, _) = run(&["--at", at, "--wrt", "all"], WITH_PARAMS);
        let ((a, ja), (b, jb)) = (settled(line), settled(alone.trim_end()));
        assert_eq!(a, b, "{at}");
        assert_eq!(ja.len(), jb.len());
        for (x, y) in ja.iter().zip(&jb) {
            assert!((x - y).abs() <= 1e-15 * x.abs().max(1.0), "{at}: {x} against {y}");
        }
    }
    std::fs::write(dir.join("bad.csv"), "1,2\n3\n").unwrap();
    let (code, _, err) = run(&["--at-file", dir.join("bad.csv").to_str().unwrap()], WITH_PARAMS);
    assert!(code == 1 && err.contains("bad.csv: line 2: 1 coordinate where f has 2"), "{err}");
    let (code, _, err) = run(&["--at-file", file, "--at", "1,2"], WITH_PARAMS);
    assert!(code == 1 && err.contains("one of them"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}
