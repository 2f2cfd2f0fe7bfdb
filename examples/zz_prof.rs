use jacobian_playground::core::strategy::{jacobian_into, JacobianResult, Strategy, Workspace};
fn main() {
    let src = std::fs::read_to_string("/tmp/m/cls.jp").unwrap();
    let at: Vec<f64> =
        std::fs::read_to_string("/tmp/m/cls.at").unwrap().split(',').map(|s| s.trim().parse().unwrap()).collect();
    let tape = jacobian_playground::core::compile_source(&src).unwrap();
    let mut ws = Workspace::default();
    let mut out = JacobianResult::empty();
    let what = std::env::args().nth(1).unwrap_or_default();
    let reps = 1000;
    let mut vals = Vec::new();
    let mut best = f64::INFINITY;
    let mut all = Vec::new();
    for _ in 0..30 {
        let t = std::time::Instant::now();
        for _ in 0..reps {
            match what.as_str() {
                "f" => tape.eval_into(&at, &mut vals),
                "lin" => tape.linearize_into(&at, &mut ws.lin),
                _ => jacobian_into(&tape, &at, Strategy::BatchedReverse, &mut ws, &mut out),
            }
        }
        let e = t.elapsed().as_secs_f64() * 1e6 / reps as f64;
        best = best.min(e);
        all.push(e);
    }
    all.sort_by(f64::total_cmp);
    println!("{what}: best {best:.1} µs, median {:.1}", all[15]);
}
