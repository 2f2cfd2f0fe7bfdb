use super::heat::{leak, matrix_view, MatrixSpec};
use super::{flag, text, State};
use crate::view::heat::{heat_image_on, Scale};
use crate::view::{self, entries, format_entry, format_full, trust, PassKind, Snapshot};
use leptos::prelude::*;

/// f and J as real tables, with ∂f_i/∂x_j labels, zero columns flagged and det J. The
/// table's shape is rebuilt only when the function's shape changes; while the point moves
/// only the cells' text changes.
#[component]
pub fn JacobianView(snap: Memo<Snapshot>, stale: Signal<bool>) -> impl IntoView {
    let state = expect_context::<State>();
    let entry = move |i: usize, j: usize| snap.with(|s| s.j.entry(i, j).unwrap_or(f64::NAN));
    let fvals = move |show: fn(f64) -> String| snap.with(|s| format!("f(x) = ({})", entries(&s.f, show)));
    let in_pass = move |i: usize, j: usize| match state.pass_kind.get() {
        PassKind::Forward => state.pass_dir.get() == j,
        PassKind::Reverse => state.pass_dir.get() == i,
    };
    // While a pass is under way, its column (row) of J shows only the entries it has
    // finished: J fills in as the pass goes.
    let filling = move |i: usize, j: usize| {
        if state.pass_step.get() == 0 || !in_pass(i, j) {
            return None;
        }
        let e = if state.pass_kind.get() == PassKind::Forward { i } else { j };
        state.pass.with(|p| (p.taken < p.steps).then(|| p.fill.get(e).copied().flatten()))
    };
    let zero_columns = Memo::new(move |_| state.tape.with(view::zero_column_names));
    // The digits check: J and f re-evaluated in double-double (bounded work: beyond its
    // budget it says so); entries that lost digits are marked and say why on hover. While
    // dragging or painting it follows the side panels' point (their task, once per frame),
    // so it never delays J itself, and its marks show only while they are for J's point;
    // otherwise it is J's own (the first frame and an edit show it with J).
    // Written by the worker (double-double arithmetic is a page's worth of code), for the
    // point it was asked about.
    // Over the prerendered first screen the app starts with the copy's line, which the
    // build took from this same check (scripts/prerender.mjs): the line does not blink.
    let shown = document()
        .query_selector("#pre p.trust")
        .ok()
        .flatten()
        .and_then(|p| p.text_content())
        .filter(|t| !t.is_empty());
    // The copy's cells carry J's formulas in their hover text, which the app keeps too.
    let mut formulas = Vec::new();
    let mut row = document().query_selector("#pre table.jacobian tbody tr").ok().flatten();
    while let Some(r) = row {
        let mut cell = r.first_element_child().and_then(|th| th.next_element_sibling());
        while let Some(c) = cell {
            if let Some((_, f)) = c.get_attribute("title").as_deref().and_then(|t| t.split_once("\nformula: ")) {
                formulas.push(f.to_string());
            }
            cell = c.next_element_sibling();
        }
        row = r.next_element_sibling();
    }
    // J as MathML (its formulas, then the point substituted), built from the same reply.
    let figure = NodeRef::<leptos::html::Div>::new();
    let trust =
        RwSignal::new(shown.map(|summary| (Vec::new(), trust::Trust { summary, formulas, ..Default::default() })));
    Effect::new(move |_| {
        let at = if state.dragging.get() { state.panels_at.get() } else { snap.with(|s| s.at.clone()) };
        let Some(label) = snap.with(|s| (s.at == at).then(|| s.strategy.clone())) else { return };
        let (m, n) = state.tape.with_untracked(|t| (t.m(), t.n()));
        if n != at.len() {
            return;
        }
        // Newton's method from the same point, where a target is typed: its path is drawn
        // in the pad's coordinates, so the pad's view is part of the request.
        let goal = state.newton.get();
        let extra = if goal.trim().is_empty() {
            label
        } else {
            let (a, b) = state.axes.get();
            let names = state.tape.with_untracked(|t| t.inputs.clone());
            let range = |k: usize| names.get(k).map_or((0.0, 1.0), |n| state.range(n));
            let ((a0, a1), (b0, b1)) = (range(a), range(b));
            format!("{label}\n{goal}\n{a} {b}\n{a0} {a1} {b0} {b1}\n{}", super::pad::SIZE)
        };
        let request = super::worker::request(state, view::export::DIGITS, Some(&extra));
        super::worker::send_then(
            super::worker::DIGITS,
            request,
            Box::new(move |text| {
                let t = trust::decode(&text, m, n);
                if let Some(el) = figure.get_untracked() {
                    super::worker::build(&el, &t.markup);
                }
                let (path, table) = t.newton.split_once('\u{3}').unwrap_or_default();
                for (id, part) in [("newton-path", path), ("newton-table", table)] {
                    if let Some(el) = document().get_element_by_id(id) {
                        super::worker::build(&el, part);
                    }
                }
                trust.set(Some((at, t)))
            }),
        );
    });
    let lost = move |i: usize, j: usize| {
        trust.with(|t| {
            let (at, t) = t.as_ref()?;
            let mark = t.j.get(i)?.get(j)?.as_ref()?;
            snap.with(|s| s.at == *at).then(|| mark.clone())
        })
    };
    let spec = MatrixSpec {
        row_names: Memo::new(move |_| state.tape.with(|t| t.output_names.clone())),
        col_names: Memo::new(move |_| state.tape.with(|t| t.inputs.clone())),
        value: leak(entry),
        show: leak(move |i, j| match filling(i, j) {
            Some(None) => "…".to_string(),
            Some(Some(v)) => format_entry(v),
            None => format_entry(entry(i, j)),
        }),
        class: leak(move |i, j| {
            let mut c = String::new();
            if zero_columns.with(|z| state.tape.with(|t| t.inputs.get(j).is_some_and(|x| z.contains(x)))) {
                c += " zero-col";
            }
            if in_pass(i, j) {
                c += " in-pass";
            }
            if filling(i, j) == Some(None) {
                c += " pending";
            }
            if lost(i, j).is_some() {
                c += " lost";
            }
            c.trim_start().to_string()
        }),
        // The entry to full precision (or what it lost), and its formula where the program
        // has them.
        title: Some(leak(move |i, j| {
            let text = lost(i, j).unwrap_or_else(|| format_full(entry(i, j)));
            let n = state.tape.with(|t| t.n());
            match trust.with(|t| t.as_ref().and_then(|(_, t)| t.formulas.get(i * n + j).cloned())) {
                Some(f) => format!("{text}\nformula: {f}"),
                None => text,
            }
        })),
        image: leak(move |side| snap.with(|s| heat_image_on(&s.j, Scale::Diverging, None, side))),
        col_header: |x| format!("∂/∂{x}"),
        entry_name: |o, x| format!("∂{o}/∂{x}"),
        testid: "J",
        table_testid: "jacobian",
        label: "the Jacobian",
        corner: "output",
    };
    // The column count picks the layout (style/main.css): equal fixed columns while J fits,
    // a wrapped row per output where up to six do not, and scrolling beyond six.
    let layout = text(move || {
        let n = state.tape.with(|t| t.n());
        if n > 6 {
            "jacobian wide".to_string()
        } else {
            format!("jacobian cards c{n}")
        }
    });
    view! {
        // By the parameters (p) or by every name (x, p): the heading says which.
        <h2>{text(move || format!("Jacobian J = ∂f/∂{}", crate::core::compile::Wrt::nth(state.wrt.get()).symbol()))}</h2>
        <p class="stale" data-testid="stale" hidden=flag(move || !stale.get())>
            "Showing the last function that compiled; fix the error above to update."
        </p>
        <p class="caption" data-testid="j-caption">{text(move || snap.with(|s| format!("{} × {} Jacobian at ({})", s.outputs.len(), s.inputs.len(),
            entries(&s.at, format_entry))))}</p>
        // f(x) is a line of its own, not a column of J's table: J gets the width.
        <p class="fvals" data-testid="fvals" title=text(move || fvals(format_full))>{text(move || fvals(format_entry))}</p>
        {matrix_view(spec, layout)}
        <p class="zero-note" data-testid="zero-columns" hidden=flag(move || zero_columns.with(Vec::is_empty))>{text(move || {
            zero_columns.with(|z| format!("No output depends on {}: its column of J is exactly zero.", view::join_bounded(z.iter().cloned(), ", ")))
        })}</p>
        <p data-testid="det" hidden=flag(move || snap.with(|s| s.inputs.len() != s.outputs.len()))>
            {text(move || snap.with(|s| match s.det {
                Some((_, true)) => "det J = 0: J is singular to rounding (σₙ ≤ n·ε·σ₁)".to_string(),
                Some((d, false)) => format!("det J = {}", format_entry(d)),
                None => "det J: not computed past 100 inputs (too slow to follow the point)".to_string(),
            }))}
        </p>
        <p class="trust" data-testid="trust" class:lost=move || trust.with(|t| t.as_ref().is_some_and(|t| t.1.lost > 0))>
            {text(move || trust.with(|t| t.as_ref().map(|t| t.1.summary.clone()).unwrap_or_default()))}
        </p>
        <p class="strategy" data-testid="strategy">{text(move || snap.with(|s| format!("Computed by {}: {}", s.strategy, s.reason)))}</p>
        <div class="formulas" data-testid="j-formulas" node_ref=figure></div>
    }
}
