//! `jacobian`: the core on the command line. Prints one JSON object, or an error with a
//! caret under the offending character and exit code 1. Arguments are parsed by hand:
//! five flags do not justify a parser crate in a binary that also builds for the browser's
//! dependency graph.

use jacobian_playground::cli;
use std::io::{Read, Write};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let read_source = |path: &str| -> Result<String, String> {
        if path == "-" {
            let mut s = String::new();
            std::io::stdin().read_to_string(&mut s).map_err(|e| format!("can't read standard input: {e}"))?;
            Ok(s)
        } else {
            std::fs::read_to_string(path).map_err(|e| format!("can't read {path}: {e}"))
        }
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
