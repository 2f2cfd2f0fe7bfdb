//! `jacobian`: the core on the command line. Prints one JSON object, or an error with a
//! caret under the offending character and exit code 1. Arguments are parsed by hand:
//! five flags do not justify a parser crate in a binary that also builds for the browser's
//! dependency graph.

use jacobian_playground::cli;
use std::io::Write;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let read_source = |path: &str| -> Result<String, String> {
        let bytes = if path == "-" {
            cli::read_bounded(std::io::stdin().lock(), "standard input")?
        } else {
            let file = std::fs::File::open(path).map_err(|e| format!("can't read {path}: {e}"))?;
            cli::read_bounded(file, path)?
        };
        cli::decode_source(&bytes, if path == "-" { "standard input" } else { path })
    };
    match cli::run(&args, read_source) {
        Ok(out) => {
            let mut stdout = std::io::stdout().lock();
            let _ = writeln!(stdout, "{out}");
        }
        Err(msg) => {
            eprint!("{msg}");
            if !msg.ends_with('\n') {
                eprintln!();
            }
            std::process::exit(1);
        }
    }
}
