//! Affine combinations written out in scalars (`0.11*x1 + 0.0058*x2 - … + 0.3`, a layer typed
//! weight by weight) become rows of dense blocks (`core::dense`), so a scalar-written layer
//! runs on the same products as its `W @ x` form instead of 2 × rows × cols scalar nodes.
//!
//! A row is a sum whose terms are reached through `+`, `-`, negation and products with a
//! constant, each used once (a term used elsewhere too is an operand of the row, not part
//! of it); its constant terms become the row's constant. Rows with the same operands form
//! one block. A block needs its rows and its operands each to be a contiguous run of nodes,
//! so a tape with rows is laid out again by depth (operations of equal depth in their
//! written order, a block's rows together); a block whose operands still do not end up
//! contiguous stays written out.
//!
//! The products then sum in another order than the written one (and a weight written twice
//! is added up first): f and J move by rounding, never more.

use crate::core::dense::Block;
use crate::core::ops::Op;
use crate::core::tape::Tape;
use rustc_hash::FxHashMap as HashMap;

/// Rows with fewer operands stay written out: a small sum is as fast as scalars, and the
/// pass view shows its steps one by one.
/// (It is `dense::WIDE`: a recognised row then sums in the order its `W @ x` twin does.)
pub const MIN_TERMS: usize = crate::core::dense::WIDE;

/// Layouts tried before the tape is left as written.
const LAYOUTS: usize = 3;

/// One recognised row: the node that sums it, its operands (ascending) and weights, and
/// its constant term.
struct Row {
    root: usize,
    leaves: Vec<u32>,
    weights: Vec<f64>,
    constant: f64,
}

/// The tape with its written-out affine rows as dense blocks, or the tape unchanged when
/// it has none.
pub(super) fn recognise(tape: Tape) -> Tape {
    let rows = find_rows(&tape);
    if rows.is_empty() {
        return tape;
    }
    // Rows with the same operands are one block, in the order their first row was written.
    let mut groups: Vec<Vec<Row>> = Vec::new();
    let mut by_leaves: HashMap<Vec<u32>, usize> = HashMap::default();
    for row in rows {
        let g = *by_leaves.entry(row.leaves.clone()).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(row);
    }
    // Laying the tape out again can leave a block's operands apart; such groups stay
    // written out and the layout is made again without them, a bounded number of times
    // (a sum written with every other input, say, is never contiguous).
    for _ in 0..LAYOUTS {
        if groups.is_empty() {
            break;
        }
        match lay_out(&tape, &groups) {
            Ok(t) => return t,
            Err(apart) if !apart.is_empty() => {
                let mut g = 0;
                groups.retain(|_| {
                    g += 1;
                    !apart.contains(&(g - 1))
                });
            }
            Err(_) => break,
        }
    }
    tape
}

/// Every maximal affine sum of at least `MIN_TERMS` operands.
fn find_rows(tape: &Tape) -> Vec<Row> {
    let len = tape.len();
    let mut uses = vec![0u32; len];
    let mut user = vec![usize::MAX; len];
    // (Leaves have no operands: counting from node 0 is the same.)
    for k in 0..len {
        for j in tape.operands(k) {
            uses[j] += 1;
            user[j] = k;
        }
    }
    for &o in &tape.outputs {
        uses[o as usize] += 2;
    }
    let constant = |k: usize| (tape.ops[k] == Op::Const).then_some(tape.consts[k]);
    // (scale, operand) of a product with one constant factor.
    let scaled = |k: usize| -> Option<(f64, usize)> {
        if tape.ops[k] != Op::Mul {
            return None;
        }
        let [a, b] = tape.args[k].map(|v| v as usize);
        match (constant(a), constant(b)) {
            (Some(c), None) => Some((c, b)),
            (None, Some(c)) => Some((c, a)),
            _ => None,
        }
    };
    let linear = |k: usize| matches!(tape.ops[k], Op::Add | Op::Sub | Op::Neg) || scaled(k).is_some();
    let inner = |k: usize| linear(k) && uses[k] == 1 && user[k] != usize::MAX && linear(user[k]);
    let mut rows = Vec::new();
    let mut stack = Vec::new();
    for root in 0..len {
        if !matches!(tape.ops[root], Op::Add | Op::Sub) || inner(root) {
            continue;
        }
        let (mut terms, mut c0) = (Vec::new(), 0.0);
        stack.clear();
        stack.push((root, 1.0));
        while let Some((k, c)) = stack.pop() {
            if let Some(v) = constant(k) {
                c0 += c * v;
                continue;
            }
            if k != root && !inner(k) {
                terms.push((k as u32, c));
                continue;
            }
            let [a, b] = tape.args[k].map(|v| v as usize);
            match (tape.ops[k], scaled(k)) {
                (Op::Add, _) => stack.extend([(a, c), (b, c)]),
                (Op::Sub, _) => stack.extend([(a, c), (b, -c)]),
                (Op::Neg, _) => stack.push((a, -c)),
                (_, Some((s, x))) => stack.push((x, c * s)),
                _ => unreachable!("only linear nodes are expanded"),
            }
        }
        terms.sort_by_key(|t| t.0);
        let mut leaves: Vec<u32> = Vec::with_capacity(terms.len());
        let mut weights: Vec<f64> = Vec::with_capacity(terms.len());
        for (leaf, w) in terms {
            if leaves.last() == Some(&leaf) {
                *weights.last_mut().expect("a leaf has its weight") += w;
            } else {
                leaves.push(leaf);
                weights.push(w);
            }
        }
        // Inputs never move: a sum over inputs that are not consecutive can never be a block.
        let n = tape.n() as u32;
        let scattered = leaves.iter().all(|&l| l < n) && leaves.windows(2).any(|w| w[1] != w[0] + 1);
        if leaves.len() >= MIN_TERMS && !scattered && c0.is_finite() && weights.iter().all(|w| w.is_finite()) {
            rows.push(Row { root, leaves, weights, constant: c0 });
        }
    }
    rows
}

/// The tape laid out by depth with each group as a block; else the groups whose operands
/// end up apart (none when one of the tape's own blocks would: then nothing is changed).
fn lay_out(tape: &Tape, groups: &[Vec<Row>]) -> Result<Tape, Vec<usize>> {
    let len = tape.len();
    // Each recognised root becomes row r of new block b: (b, r), by node.
    let mut row_of: Vec<Option<(usize, usize)>> = vec![None; len];
    for (g, rows) in groups.iter().enumerate() {
        for (r, row) in rows.iter().enumerate() {
            row_of[row.root] = Some((g, r));
        }
    }
    let operands = |k: usize| -> Vec<usize> {
        match row_of[k] {
            Some((g, r)) => groups[g][r].leaves.iter().map(|&l| l as usize).collect(),
            None => tape.operands(k),
        }
    };
    // What the outputs still reach: the rows' inner sums drop out.
    let mut live = vec![false; len];
    for &o in &tape.outputs {
        live[o as usize] = true;
    }
    for k in (0..len).rev() {
        if live[k] {
            for j in operands(k) {
                live[j] = true;
            }
        }
    }
    live[..tape.n()].fill(true);
    let mut depth = vec![0usize; len];
    for k in 0..len {
        if live[k] && k >= tape.first_op {
            depth[k] = 1 + operands(k).into_iter().map(|j| depth[j]).max().unwrap_or(0);
        }
    }
    // A block's rows sort together, at the place of its first row.
    let (old_blocks, new_base) = (tape.blocks.len(), tape.blocks.len());
    let group_key = |k: usize| -> (usize, usize) {
        if let Some((g, r)) = row_of[k] {
            return (groups[g][0].root, r);
        }
        if tape.ops[k] == Op::Dense {
            let [b, r] = tape.args[k];
            return (tape.blocks[b as usize].first as usize, r as usize);
        }
        (k, 0)
    };
    let mut order: Vec<usize> = (0..tape.first_op).filter(|&k| live[k]).collect();
    let first_op = order.len();
    // Keys made once (a sort compares each node's about log n times).
    let mut ops: Vec<(usize, (usize, usize), usize)> =
        (0..len).filter(|&k| live[k] && k >= tape.first_op).map(|k| (depth[k], group_key(k), k)).collect();
    ops.sort_unstable();
    let ops = ops.into_iter().map(|(_, _, k)| k);
    order.extend(ops);
    let mut new_index = vec![u32::MAX; len + 1];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = new as u32;
    }
    let ground = order.len() as u32;
    new_index[len] = ground;
    let contiguous = |nodes: &mut dyn Iterator<Item = usize>| -> Option<u32> {
        let mut start = None;
        for (j, k) in nodes.enumerate() {
            let s = *start.get_or_insert(new_index[k]);
            if new_index[k] != s + j as u32 {
                return None;
            }
        }
        start
    };
    let mut blocks = Vec::with_capacity(old_blocks + groups.len());
    for b in &tape.blocks {
        let first = contiguous(&mut b.outputs()).ok_or_else(Vec::new)?;
        let from = contiguous(&mut b.operands()).ok_or_else(Vec::new)?;
        blocks.push(Block { first, from, ..b.clone() });
    }
    let mut apart = Vec::new();
    for (g, rows) in groups.iter().enumerate() {
        let first = contiguous(&mut rows.iter().map(|r| r.root)).ok_or_else(Vec::new)?;
        let Some(from) = contiguous(&mut rows[0].leaves.iter().map(|&l| l as usize)) else {
            apart.push(g);
            continue;
        };
        let a = rows.iter().flat_map(|r| r.weights.iter().copied()).collect();
        let (rows, cols) = (rows.len() as u32, rows[0].leaves.len() as u32);
        blocks.push(Block::linear(first, rows, from, cols, a));
    }
    if !apart.is_empty() {
        return Err(apart);
    }
    let mut out = Tape {
        ops: Vec::with_capacity(order.len()),
        args: Vec::with_capacity(order.len()),
        consts: Vec::with_capacity(order.len()),
        spans: Vec::with_capacity(order.len()),
        names: Vec::with_capacity(order.len()),
        outputs: tape.outputs.iter().map(|&o| new_index[o as usize]).collect(),
        first_op,
        blocks,
        inputs: tape.inputs.clone(),
        output_names: tape.output_names.clone(),
        input_shapes: tape.input_shapes.clone(),
        variables: tape.variables.clone(),
        output_shape: tape.output_shape.clone(),
        pattern: tape.pattern.clone(),
        col_colouring: tape.col_colouring.clone(),
        row_colouring: tape.row_colouring.clone(),
    };
    for &old in &order {
        let [a, b] = tape.args[old];
        let (op, args, constant) = match (row_of[old], tape.ops[old]) {
            (Some((g, r)), _) => (Op::Dense, [(new_base + g) as u32, r as u32], groups[g][r].constant),
            (None, Op::Dense) => (Op::Dense, [a, b], tape.consts[old]),
            (None, Op::Input) => (Op::Input, [a, ground], 0.0),
            (None, op) => (op, [new_index[a as usize], new_index[b as usize]], tape.consts[old]),
        };
        out.ops.push(op);
        out.args.push(args);
        out.consts.push(constant);
        out.spans.push(tape.spans[old]);
        out.names.push(tape.names[old].clone());
    }
    // The sweeps run the blocks in list order, so the list is in tape order: a block found
    // here may come before one the compiler made (`[sum(x^2), mean(x)]`).
    // Each block's first row is its own node, so the blocks by first row are a lookup
    // over the nodes, not a sort.
    let mut by_first = vec![u32::MAX; out.ops.len()];
    for (b, block) in out.blocks.iter().enumerate() {
        by_first[block.first as usize] = b as u32;
    }
    let order: Vec<usize> = by_first.into_iter().filter(|&b| b != u32::MAX).map(|b| b as usize).collect();
    let mut place = vec![0u32; order.len()];
    for (new, &old) in order.iter().enumerate() {
        place[old] = new as u32;
    }
    for (op, args) in out.ops.iter().zip(out.args.iter_mut()) {
        if *op == Op::Dense {
            args[0] = place[args[0] as usize];
        }
    }
    out.blocks = order.iter().map(|&b| out.blocks[b].clone()).collect();
    Ok(out)
}
