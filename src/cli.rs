//! The command-line front end as a library function, so tests call it directly.

use crate::core::compile::{compile_with, parse_and_compile, Wrt};
use crate::core::hessian::hessian;
use crate::core::{jacobian, Strategy, Workspace};
use crate::core::{point, Tape};
use crate::view::export::{python, Exportable, Framework};
use serde_json::{json, Value};

pub const USAGE: &str = "usage: jacobian --at x1,x2,... [--mode auto|forward|reverse|batched|sparse|fd|complex] [--hessian] [FILE | -]\n       options for a function with parameters (f(x, y; a = 1) = …): --param a=2 (repeat it; W[0, 1]=3 for an entry), --wrt inputs|params|all (J's columns)\n       jacobian --at-file POINTS [options] [FILE | -]   (one point a line, commas or spaces: one JSON line, one J, per point)\n       jacobian --at x1,x2,... --export pytorch|jax [FILE | -]   (the page's Python program: f, J by torch.func or jax, and our J to compare)\n       jacobian bench --at x1,x2,... [--rounds N] FILE\n       jacobian bench-suite [--rounds N | --families]   (J/f ratios for the generated scaling families, or the families as JSON)\n";

#[derive(Debug, PartialEq)]
struct Args {
    bench: bool,
    at: Option<String>,
    mode: String,
    hessian: bool,
    file: String,
    /// `bench` only: timing rounds.
    rounds: usize,
    /// Print the function as a Python program for this framework instead of JSON.
    export: Option<Framework>,
    /// `--param a=2`: parameter entries' values by name.
    params: Vec<(String, f64)>,
    wrt: Wrt,
    /// `--at-file`: a file of points, one a line.
    at_file: Option<String>,
}

fn param(text: &str) -> Result<(String, f64), String> {
    let (name, v) = text.split_once('=').ok_or_else(|| format!("--param wants name=value, as in a=2, not '{text}'"))?;
    let v = point::parse_coordinate(v).map_err(|e| format!("--param {}: {e}", name.trim()))?;
    Ok((name.trim().to_string(), v))
}

fn wrt(word: &str) -> Result<Wrt, String> {
    Wrt::from_word(word).ok_or_else(|| format!("--wrt wants inputs, params or all, not '{word}'\n{USAGE}"))
}

fn framework(name: &str) -> Result<Framework, String> {
    match name {
        "pytorch" | "torch" => Ok(Framework::PyTorch),
        "jax" => Ok(Framework::Jax),
        other => Err(format!("--export wants pytorch or jax, not '{other}'\n{USAGE}")),
    }
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut a = Args {
        bench: false,
        at: None,
        mode: "auto".into(),
        hessian: false,
        file: "-".into(),
        rounds: crate::bench::ROUNDS,
        export: None,
        params: Vec::new(),
        wrt: Wrt::Inputs,
        at_file: None,
    };
    let mut it = args.iter().peekable();
    if it.peek().map(|s| s.as_str()) == Some("bench") {
        a.bench = true;
        it.next();
    }
    let mut file = None;
    while let Some(arg) = it.next() {
        let mut value = |flag: &str| it.next().cloned().ok_or_else(|| format!("{flag} needs a value\n{USAGE}"));
        match arg.as_str() {
            "--at" => a.at = Some(value("--at")?),
            "--mode" => a.mode = value("--mode")?,
            "--hessian" => a.hessian = true,
            "--export" => a.export = Some(framework(&value("--export")?)?),
            "--param" => a.params.push(param(&value("--param")?)?),
            "--wrt" => a.wrt = wrt(&value("--wrt")?)?,
            "--at-file" => a.at_file = Some(value("--at-file")?),
            "--rounds" => {
                let n = value("--rounds")?;
                a.rounds = n
                    .parse::<usize>()
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or_else(|| format!("--rounds wants a positive count, not '{n}'"))?;
            }
            "-h" | "--help" => return Err(USAGE.to_string()),
            s if s.starts_with("--at=") => a.at = Some(s[5..].to_string()),
            s if s.starts_with("--mode=") => a.mode = s[7..].to_string(),
            s if s.starts_with("--export=") => a.export = Some(framework(&s[9..])?),
            s if s.starts_with("--param=") => a.params.push(param(&s[8..])?),
            s if s.starts_with("--wrt=") => a.wrt = wrt(&s[6..])?,
            s if s.starts_with("--at-file=") => a.at_file = Some(s[10..].to_string()),
            s if s.starts_with('-') && s != "-" => return Err(format!("unknown option '{s}'\n{USAGE}")),
            s => {
                if file.replace(s.to_string()).is_some() {
                    return Err(format!("more than one input file given\n{USAGE}"));
                }
            }
        }
    }
    if let Some(f) = file {
        a.file = f;
    }
    Ok(a)
}

/// A program's bytes from `reader`, reading no further than one byte past the compiler's
/// limit: an endless input (`/dev/zero`, a stream that never closes) is refused there, not
/// read into memory.
pub fn read_bounded(reader: impl std::io::Read, what: &str) -> Result<Vec<u8>, String> {
    use std::io::Read as _;
    let limit = crate::core::parser::MAX_SOURCE;
    let mut bytes = Vec::new();
    reader.take(limit as u64 + 1).read_to_end(&mut bytes).map_err(|e| format!("can't read {what}: {e}"))?;
    if bytes.len() > limit {
        return Err(format!("{what} is longer than the {} KiB a program may be; stopped reading there", limit / 1024));
    }
    Ok(bytes)
}

/// A program file's bytes as text: UTF-8 is required, and a file that is not says where
/// (line and column of the first bad byte), as a syntax error would. Line breaks are
/// normalised as the page's editor does (CRLF and lone CR are newlines).
pub fn decode_source(bytes: &[u8], what: &str) -> Result<String, String> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(crate::core::span::normalize_newlines(text)),
        Err(e) => {
            let good =
                crate::core::span::normalize_newlines(std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or(""));
            let lc = crate::core::span::line_col(&good, good.len());
            Err(format!(
                "error at {}:{}: {what} is not UTF-8 text (byte 0x{:02X} at offset {})",
                lc.line,
                lc.col,
                bytes[e.valid_up_to()],
                e.valid_up_to()
            ))
        }
    }
}

fn parse_point(text: &str, tape: &Tape) -> Result<Vec<f64>, String> {
    let at = point::parse_point(text).map_err(|e| format!("--at: {e}"))?;
    if at.len() != tape.n() {
        return Err(format!(
            "--at gives {} coordinate{} but f has {} input{} ({})",
            at.len(),
            if at.len() == 1 { "" } else { "s" },
            tape.n(),
            if tape.n() == 1 { "" } else { "s" },
            point::name_list(&tape.inputs, 12)
        ));
    }
    Ok(at)
}

/// JSON number, or "NaN" / "Infinity" / "-Infinity" as strings.
pub fn num(v: f64) -> Value {
    if v.is_nan() {
        json!("NaN")
    } else if v.is_infinite() {
        json!(if v > 0.0 { "Infinity" } else { "-Infinity" })
    } else {
        json!(v)
    }
}

fn nums(v: &[f64]) -> Value {
    Value::Array(v.iter().map(|&x| num(x)).collect())
}

pub fn run(args: &[String], read_source: impl Fn(&str) -> Result<String, String>) -> Result<String, String> {
    if args.first().map(String::as_str) == Some("bench-suite") {
        if args.get(1).map(String::as_str) == Some("--families") {
            // The same programs for the browser's benchmark (tests/e2e/bench-strategies.mjs).
            let list: Vec<Value> = crate::bench::families()
                .into_iter()
                .map(|f| json!({ "name": f.name, "source": f.source, "at": f.at }))
                .collect();
            return Ok(Value::Array(list).to_string());
        }
        let rounds = match (args.get(1).map(String::as_str), args.get(2)) {
            (Some("--rounds"), Some(n)) => n
                .parse::<usize>()
                .ok()
                .filter(|&n| n > 0)
                .ok_or_else(|| format!("--rounds wants a positive count, not '{n}'"))?,
            _ => crate::bench::ROUNDS,
        };
        return Ok(crate::bench::suite_table(rounds));
    }
    let a = parse_args(args)?;
    match (&a.at, &a.at_file) {
        (None, None) => return Err(format!("missing --at: give the point, e.g. --at 3,4,5\n{USAGE}")),
        (Some(_), Some(_)) => return Err(format!("give --at or --at-file, not both (one of them)\n{USAGE}")),
        _ => {}
    }
    let src = read_source(&a.file)?;
    let render = |diags: Vec<crate::core::Diagnostic>| diags.iter().map(|d| d.render(&src)).collect::<String>();
    // Compiled first as written (J by the inputs), for the inputs' names and count.
    let (program, plain) = parse_and_compile(&src).map_err(render)?;
    check_params(&plain, &a.params)?;
    let points = match (&a.at, &a.at_file) {
        (Some(at), _) => vec![parse_point(at, &plain)?],
        (_, Some(file)) => read_points(file, &plain)?,
        _ => Vec::new(),
    };
    // Compiled once for every point, unless the inputs are the tape's constants (J by the
    // parameters): then once per point.
    let compile = |given: &[(String, f64)]| -> Result<Tape, String> {
        if a.wrt == Wrt::Inputs && a.params.is_empty() {
            Ok(plain.clone())
        } else {
            compile_with(&program, a.wrt, given).map_err(render)
        }
    };
    let once = if a.wrt == Wrt::Params { None } else { Some(compile(&a.params)?) };
    let mut lines = Vec::new();
    // One workspace for every point: what `auto` measured for the tape is kept.
    let mut ws = Workspace::default();
    for x in &points {
        let mut given: Vec<(String, f64)> = plain.inputs.iter().cloned().zip(x.iter().copied()).collect();
        given.extend(a.params.iter().cloned());
        let each;
        let tape = match &once {
            Some(t) => t,
            None => {
                each = compile(&given)?;
                &each
            }
        };
        let at = tape.point_from(&given);
        lines.push(one_point(&a, &src, &program, tape, &at, &mut ws)?);
    }
    Ok(lines.join("\n"))
}

/// Every `--param` names an entry of a parameter.
fn check_params(tape: &Tape, params: &[(String, f64)]) -> Result<(), String> {
    let names: Vec<String> = tape
        .variables
        .iter()
        .filter(|v| v.param)
        .flat_map(|v| (0..v.dims.iter().product()).map(|e| crate::core::tensor::entry_name(&v.name, &v.dims, e)))
        .collect();
    match params.iter().find(|(n, _)| !names.contains(n)) {
        Some((n, _)) if names.is_empty() => {
            Err(format!("--param {n}: f has no parameters (write them after a ';', as in f(x; a = 1) = …)"))
        }
        Some((n, _)) => Err(format!(
            "--param {n}: f has no parameter entry '{n}' (its parameters: {})",
            point::name_list(&names, 12)
        )),
        None => Ok(()),
    }
}

/// The points of an `--at-file`: one a line (commas or spaces between coordinates),
/// blank lines and `#` comments skipped; each line's error says its number.
fn read_points(file: &str, tape: &Tape) -> Result<Vec<Vec<f64>>, String> {
    use std::io::Read as _;
    // A bound, so a huge or endless file is refused rather than read into memory.
    const MAX_POINTS_FILE: u64 = 64 << 20;
    let mut text = String::new();
    std::fs::File::open(file)
        .and_then(|f| f.take(MAX_POINTS_FILE + 1).read_to_string(&mut text))
        .map_err(|e| format!("can't read --at-file {file}: {e}"))?;
    if text.len() as u64 > MAX_POINTS_FILE {
        return Err(format!("--at-file {file} is longer than {} MiB", MAX_POINTS_FILE >> 20));
    }
    let points = point::parse_points(&text, tape.n()).map_err(|e| format!("{file}: {e}"))?;
    if points.is_empty() {
        return Err(format!("--at-file {file} holds no points"));
    }
    Ok(points)
}

/// One point's JSON (or Python export).
fn one_point(
    a: &Args,
    src: &str,
    program: &crate::core::syntax::Program,
    tape: &Tape,
    at: &[f64],
    ws: &mut Workspace,
) -> Result<String, String> {
    if a.bench {
        return Ok(crate::bench::bench_tape(tape, at, a.rounds).to_string());
    }
    let (strategy, reason) = match a.mode.as_str() {
        "auto" => crate::core::auto(tape, at, ws),
        "forward" => (Strategy::Forward, "asked for: forward by columns".into()),
        "reverse" => (Strategy::Reverse, "asked for: reverse by rows".into()),
        "batched" => {
            let s = if tape.n() <= tape.m() { Strategy::BatchedForward } else { Strategy::BatchedReverse };
            (s, "asked for: one batched sweep".into())
        }
        "sparse" => (Strategy::Sparse, "asked for: sparse colouring".into()),
        "fd" => (Strategy::FdCentral, "asked for: central differences with a tuned step".into()),
        "complex" => (Strategy::ComplexStep, "asked for: complex step".into()),
        other => return Err(format!("unknown mode '{other}'\n{USAGE}")),
    };
    if crate::core::strategy::sweep_bytes(tape, strategy) > crate::core::strategy::MAX_SWEEP_BYTES {
        return Err(format!("{}; try --mode auto or sparse", crate::bench::too_big(tape, strategy)));
    }
    let r = jacobian(tape, at, strategy, ws);
    if let Some(fw) = a.export {
        let e = Exportable {
            source: src,
            variables: &tape.variables,
            inputs: &tape.inputs,
            outputs: &tape.output_names,
            at,
            f: &r.f,
            j: &r.j,
        };
        return Ok(python(&e, program, fw).trim_end().to_string());
    }
    let mut out = json!({
        "inputs": tape.inputs,
        "outputs": tape.output_names,
        // The signature's shapes: J stays m × n, its columns the inputs' entries row-major.
        "input_shapes": tape.input_shapes.iter().map(|(name, dims)| json!({"name": name, "shape": dims})).collect::<Vec<_>>(),
        "output_shape": tape.output_shape,
        // J's columns, and the names compiled in as constants with their values.
        "wrt": a.wrt.word(),
        "constants": tape.variables.iter().filter(|v| !v.column).map(|v| json!({"name": v.name, "shape": v.dims, "values": nums(&v.values)})).collect::<Vec<_>>(),
        "at": nums(at),
        "f": nums(&r.f),
        "J": Value::Array(r.j.to_rows().iter().map(|row| nums(row)).collect()),
        "zero_columns": tape.zero_columns().iter().map(|&j| tape.inputs[j].clone()).collect::<Vec<_>>(),
        "cost": {
            "strategy": strategy.name(),
            "reason": reason,
            "passes": r.cost.passes,
            "primal_passes": r.cost.primal,
            "node_visits": r.cost.node_visits,
            "bytes": r.cost.bytes,
            "nodes": tape.len(),
        },
    });
    out["digits"] = digits_report(tape, at, &r.f, &r.j);
    if strategy == Strategy::ComplexStep {
        if let Some(note) = crate::core::complex::undefined_note(tape, at) {
            out["undefined"] = json!(note);
        }
    }
    if a.hessian {
        if tape.m() != 1 {
            return Err(format!("--hessian needs a scalar function (m = 1), but f has {} outputs", tape.m()));
        }
        let h = hessian(tape, at, 0);
        out["H"] = Value::Array(h.h.to_rows().iter().map(|row| nums(row)).collect());
        out["laplacian"] = num(h.laplacian);
    }
    Ok(out.to_string())
}

/// The digits check: how many digits of each value of f and entry of J are right for the
/// function with exact arithmetic (a double-double re-evaluation), the true values to the
/// digits double-double keeps, and the summary the page would say.
fn digits_report(tape: &crate::core::Tape, at: &[f64], f: &[f64], j: &crate::core::Matrix) -> Value {
    use crate::core::digits::{digits, truth, truth_digits};
    let truth = truth(tape, at);
    let summary = crate::view::trust::report(tape, truth.as_ref(), f, j).summary;
    let Some(t) = truth else {
        return json!({ "summary": summary });
    };
    let n = tape.n();
    let count = |v: f64, w| digits(v, w).map_or(Value::Null, |d| json!(d));
    let show = |v: f64, w: crate::core::dd::Dd| match truth_digits(v, w) {
        0 => Value::Null,
        d => json!(w.to_sci(d.min(30) as usize)),
    };
    json!({
        "summary": summary,
        "f": f.iter().zip(&t.f).map(|(&v, &w)| count(v, w)).collect::<Vec<_>>(),
        "J": j.rows_iter().enumerate().map(|(i, row)| row.iter().enumerate().map(|(k, &v)| count(v, t.j[i * n + k])).collect::<Vec<_>>()).collect::<Vec<_>>(),
        "true_f": f.iter().zip(&t.f).map(|(&v, &w)| show(v, w)).collect::<Vec<_>>(),
        "true_J": j.rows_iter().enumerate().map(|(i, row)| row.iter().enumerate().map(|(k, &v)| show(v, t.j[i * n + k])).collect::<Vec<_>>()).collect::<Vec<_>>(),
    })
}
