//! The two linear recurrences, written once. Every exact derivative in the core is one of
//! these sweeps over a linearization (values and local partials from the rule table):
//!
//! forward  ṫ_k = ∂k/∂a·ṫ_a + ∂k/∂b·ṫ_b       (recording order, up)
//! reverse  ā_a += ∂k/∂a·ā_k, ā_b += ∂k/∂b·ā_k  (the reverse order, down)
//!
//! Each node carries `w` directions, stored node-major (`t[k·w .. k·w + w]`): w = 1 for a
//! single JVP or VJP, n or m for the batched sweeps, the colour count for the sparse ones,
//! n for the Hessian. The caller seeds the buffer; an observer sees every step, which is
//! how the step-by-step traces and the Hessian's second-order term ride on the same loop.
//!
//! Products use *strong zero* (`mul0`): 0 times an infinite or NaN partial is 0. A zero
//! tangent or adjoint means "does not depend" (or a zero slope on the path), so
//! sqrt(y) + x at y = 0 has ∂f/∂x = 1, not NaN, and forward and reverse agree.
//!
//! A block (`dense.rs`) is the one place these recurrences take more than two operands:
//! a dense one's rows' tangents are A·Ṫ of its operands' and its operands' adjoints gain
//! Aᵀ·Ā, each one matrix product, between the runs of scalar nodes; a softmax kind's rules
//! (`softmax.rs`) are products with its local Jacobian too, in O(n) per direction.

use super::eval::Linearization;
use super::real::Real;
pub use super::real::{axpy0, mul0};
use super::tape::Tape;

/// Whether single-direction sweeps get a copy of their own (see `forward`).
const SPECIALISE: bool = cfg!(not(target_arch = "wasm32"));

/// A zeroed sweep buffer for `w` directions per node, the ground slot included.
pub fn zeroed<T: Real>(tape: &Tape, w: usize, buf: &mut Vec<T>) {
    buf.clear();
    buf.resize((tape.len() + 1) * w, T::of(0.0));
}

/// A forward sweep's buffer for `w` directions: only the leaves' rows and the ground slot
/// are zeroed, since the sweep writes every operation's row before reading it (on a
/// reused buffer this spares a pass over all of it: n directions × every node is
/// megabytes on a wide network).
pub fn zeroed_leaves<T: Real>(tape: &Tape, w: usize, buf: &mut Vec<T>) {
    let zero = T::of(0.0);
    buf.resize((tape.len() + 1) * w, zero);
    buf[..tape.first_op * w].fill(zero);
    buf[tape.len() * w..].fill(zero);
}

/// The forward recurrence over a buffer whose input rows the caller has seeded (the other
/// leaves' rows and the ground slot zero: `zeroed_leaves`). `each(k, row)` sees each operation's finished tangents, in order.
#[inline]
pub fn forward<T: Real>(tape: &Tape, lin: &Linearization<T>, w: usize, t: &mut [T], each: impl FnMut(usize, &[T])) {
    // One body, compiled twice natively: with one direction the row width is a constant,
    // so a single JVP runs without slice arithmetic. The page is built for size and keeps
    // the one general copy.
    if w == 1 && SPECIALISE {
        forward_w::<T, 1>(tape, lin, 1, t, each)
    } else {
        forward_w::<T, 0>(tape, lin, w, t, each)
    }
}

/// The reverse recurrence over a buffer whose output rows the caller has seeded.
/// `each(k, adjoint, earlier)` sees each operation's final adjoints, last to first, before
/// they are pushed to its operands; `earlier` holds the rows of the nodes before k, which
/// an observer may add to (the Hessian's second-order term does).
#[inline]
pub fn reverse<T: Real>(
    tape: &Tape,
    lin: &Linearization<T>,
    w: usize,
    adj: &mut [T],
    each: impl FnMut(usize, &[T], &mut [T]),
) {
    if w == 1 && SPECIALISE {
        reverse_w::<T, 1>(tape, lin, 1, adj, each)
    } else {
        reverse_w::<T, 0>(tape, lin, w, adj, each)
    }
}

/// `forward` with the width `W` fixed at compile time (0: the run-time `w`): the scalar
/// recurrence between dense blocks, each block one matrix product (`dense.rs`).
#[inline(always)]
fn forward_w<T: Real, const W: usize>(
    tape: &Tape,
    lin: &Linearization<T>,
    w: usize,
    t: &mut [T],
    mut each: impl FnMut(usize, &[T]),
) {
    let w = if W > 0 { W } else { w };
    let mut k = tape.first_op;
    for block in &tape.blocks {
        let rows = block.outputs();
        forward_scalar::<T, W>(tape, lin, w, t, k..rows.start, &mut each);
        let (head, tail) = t.split_at_mut(rows.start * w);
        let out = &mut tail[..rows.len() * w];
        block.jvp(&lin.vals, &head[block.operands().start * w..block.operands().end * w], w, out);
        for (r, row) in out.chunks_exact(w).enumerate() {
            each(rows.start + r, row);
        }
        k = rows.end;
    }
    forward_scalar::<T, W>(tape, lin, w, t, k..tape.len(), &mut each);
}

#[inline(always)]
fn forward_scalar<T: Real, const W: usize>(
    tape: &Tape,
    lin: &Linearization<T>,
    w: usize,
    t: &mut [T],
    nodes: std::ops::Range<usize>,
    each: &mut impl FnMut(usize, &[T]),
) {
    let w = if W > 0 { W } else { w };
    let len = tape.len();
    for k in nodes {
        let [a, b] = tape.args[k];
        let (a, b) = (a as usize, b as usize);
        // Operands come before k; the ground slot (b = len) is after every node and adds 0.
        let (head, tail) = t.split_at_mut(k * w);
        let row = &mut tail[..w];
        // The first product is stored, not added: the row is never read before it is
        // written, which spares a load per node on tapes larger than the cache.
        set0(lin.da[k], &head[a * w..a * w + w], row);
        if b < len {
            axpy0(lin.db[k], &head[b * w..b * w + w], row);
        }
        each(k, row);
    }
}

/// `reverse` with the width `W` fixed at compile time (0: the run-time `w`): the scalar
/// recurrence between dense blocks, each block one matrix product with its transpose.
#[inline(always)]
fn reverse_w<T: Real, const W: usize>(
    tape: &Tape,
    lin: &Linearization<T>,
    w: usize,
    adj: &mut [T],
    mut each: impl FnMut(usize, &[T], &mut [T]),
) {
    let w = if W > 0 { W } else { w };
    let mut k = tape.len();
    for block in tape.blocks.iter().rev() {
        let rows = block.outputs();
        reverse_scalar::<T, W>(tape, lin, w, adj, rows.end..k, &mut each);
        let (head, tail) = adj.split_at_mut(rows.start * w);
        let g = &tail[..rows.len() * w];
        for (r, row) in g.chunks_exact(w).enumerate().rev() {
            each(rows.start + r, row, head);
        }
        block.vjp(&lin.vals, g, w, &mut head[block.operands().start * w..block.operands().end * w]);
        k = rows.start;
    }
    reverse_scalar::<T, W>(tape, lin, w, adj, tape.first_op..k, &mut each);
}

#[inline(always)]
fn reverse_scalar<T: Real, const W: usize>(
    tape: &Tape,
    lin: &Linearization<T>,
    w: usize,
    adj: &mut [T],
    nodes: std::ops::Range<usize>,
    each: &mut impl FnMut(usize, &[T], &mut [T]),
) {
    let w = if W > 0 { W } else { w };
    let len = tape.len();
    for k in nodes.rev() {
        let [a, b] = tape.args[k];
        let (a, b) = (a as usize, b as usize);
        let (head, tail) = adj.split_at_mut(k * w);
        let g = &tail[..w];
        each(k, g, head);
        // A node no seed reaches pushes nothing: one test with a single seed (most of a
        // row's VJP is such nodes); with many, a whole zero row is rare enough not to test.
        if w == 1 && g[0] == T::of(0.0) {
            continue;
        }
        axpy0(lin.da[k], g, &mut head[a * w..a * w + w]);
        if b < len {
            axpy0(lin.db[k], g, &mut head[b * w..b * w + w]);
        }
    }
}

/// The observer of a sweep nobody watches. One named function rather than a closure at
/// each call, so those sweeps share one compiled copy (each closure is a type of its own).
pub fn unobserved<T>(_: usize, _: &[T]) {}

/// `unobserved` for the reverse sweep.
pub fn unobserved_reverse<T>(_: usize, _: &[T], _: &mut [T]) {}

/// Tangent of every node for the input direction e_col (ground slot included, 0).
pub fn jvp_into<T: Real>(tape: &Tape, lin: &Linearization<T>, col: usize, t: &mut Vec<T>) {
    zeroed_leaves(tape, 1, t);
    t[col] = T::of(1.0);
    forward(tape, lin, 1, t, unobserved);
}

/// Adjoint of every node for the output seed e_row.
pub fn vjp_into<T: Real>(tape: &Tape, lin: &Linearization<T>, row: usize, adj: &mut Vec<T>) {
    zeroed(tape, 1, adj);
    adj[tape.outputs[row] as usize] = T::of(1.0);
    reverse(tape, lin, 1, adj, unobserved_reverse);
}

/// `out = p·x` elementwise with strong-zero products (`axpy0` without the sum).
#[inline]
pub fn set0<T: Real>(p: T, x: &[T], out: &mut [T]) {
    if let ([o], [v]) = (&mut *out, x) {
        *o = mul0(p, *v);
        return;
    }
    if p.is_finite() && p != T::of(0.0) {
        for (o, &v) in out.iter_mut().zip(x) {
            *o = p * v;
        }
    } else {
        for (o, &v) in out.iter_mut().zip(x) {
            *o = mul0(p, v);
        }
    }
}
