//! The core is layered: its modules import each other without a cycle, so each can be
//! read knowing only the ones below it, and the two derivative recurrences are written
//! in one module (`sweep.rs`) that every strategy, the Hessian and the traces share.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// Each core module and the core modules it names (through `super::` or `crate::core::`);
/// a module's submodules (`compile/…`) count as the module.
fn imports() -> BTreeMap<String, Vec<String>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/core");
    let mut graph: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if name == "mod" {
            continue;
        }
        // In a submodule's file, `super::` is the module itself.
        let (files, prefixes): (Vec<_>, &[&str]) = if path.is_dir() {
            (fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()).collect(), &["crate::core::"])
        } else {
            (vec![path], &["super::", "crate::core::"])
        };
        let uses = graph.entry(name.clone()).or_default();
        for file in files {
            let text = fs::read_to_string(&file).unwrap();
            // Unit tests inside a module may import anything.
            let code = text.split("#[cfg(test)]").next().unwrap();
            for prefix in prefixes {
                for (i, _) in code.match_indices(prefix) {
                    let rest = &code[i + prefix.len()..];
                    let word: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                    if !word.is_empty() && word != name && !uses.contains(&word) {
                        uses.push(word);
                    }
                }
            }
        }
    }
    graph
}

#[test]
fn core_modules_import_each_other_without_a_cycle() {
    let graph = imports();
    assert!(graph.len() >= 20, "found the core's modules: {:?}", graph.keys());
    // Depth-first search; a module met again while still on the path closes a cycle.
    fn visit<'a>(m: &'a str, g: &'a BTreeMap<String, Vec<String>>, path: &mut Vec<&'a str>, done: &mut Vec<&'a str>) {
        if done.contains(&m) {
            return;
        }
        if let Some(at) = path.iter().position(|&p| p == m) {
            panic!("import cycle in src/core: {} → {m}", path[at..].join(" → "));
        }
        path.push(m);
        for next in g.get(m).into_iter().flatten() {
            assert!(g.contains_key(next.as_str()), "{m} imports super::{next}, which is not a core module");
            visit(next, g, path, done);
        }
        path.pop();
        done.push(m);
    }
    let mut done = Vec::new();
    for m in graph.keys() {
        visit(m, &graph, &mut Vec::new(), &mut done);
    }
    // The layering the code map describes: base types below the sweeps, the sweeps below
    // every strategy, and the strategies below the one dispatch.
    for (low, high) in [
        ("matrix", "sweep"),
        ("sweep", "jacobian"),
        ("sweep", "hessian"),
        ("sweep", "trace"),
        ("jacobian", "strategy"),
        ("fd", "strategy"),
        ("complex", "strategy"),
    ] {
        assert!(!graph[low].contains(&high.to_string()), "{low} must not import {high}");
    }
    for m in ["fd", "complex", "hessian", "jacobian"] {
        assert!(!graph[m].contains(&"strategy".to_string()), "{m} is below the dispatch and must not import it");
    }
}

#[test]
fn the_recurrences_are_written_once() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/core");
    let mut files = Vec::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "rs") {
                files.push(p);
            }
        }
    }
    // A sweep over the operations is a loop from `first_op`; in the core only the primal
    // sweeps (eval.rs) and the derivative sweeps (sweep.rs) may run one.
    for file in files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        if name == "sweep.rs" || name == "eval.rs" {
            continue;
        }
        let text = fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap();
            assert!(
                !code.contains("first_op..len") && !code.contains("first_op..tape.len()"),
                "{}:{}: a sweep outside sweep.rs: {line}",
                file.display(),
                n + 1
            );
        }
    }
}
