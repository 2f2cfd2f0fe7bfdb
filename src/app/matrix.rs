use super::{flag, text, State};
use crate::view::{entries, format_entry, format_full, PassKind, Snapshot};
use leptos::prelude::*;

/// f and J as real tables, with ∂f_i/∂x_j labels, zero columns flagged and det J. The
/// table's shape is rebuilt only when the function's shape changes; while the point moves
/// only the cells' text changes.
#[component]
pub fn JacobianView(snap: Memo<Snapshot>, stale: Signal<bool>) -> impl IntoView {
    let state = expect_context::<State>();
    // The table's structure follows the tape alone (re-read only when the function changes).
    let shape = move || {
        state.tape.with(|t| {
            let zeros: Vec<String> = t.zero_columns().iter().map(|&c| t.inputs[c].clone()).collect();
            (t.inputs.clone(), t.output_names.clone(), zeros)
        })
    };
    let entry = move |i: usize, j: usize| snap.with(|s| s.j.get(i).and_then(|r| r.get(j)).copied().unwrap_or(f64::NAN));
    let fvals = move |show: fn(f64) -> String| snap.with(|s| format!("f(x) = ({})", entries(&s.f, show)));
    let table = move || {
        let (inputs, outputs, zeros) = shape();
        let n = inputs.len();
        let header = inputs.iter().map(|x| view! { <th scope="col">{format!("∂/∂{x}")}</th> }).collect_view();
        let rows = outputs
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let cells = inputs
                    .iter()
                    .enumerate()
                    .map(|(j, x)| {
                        let zero = zeros.contains(x);
                        let in_pass = move || match state.pass_kind.get() {
                            PassKind::Forward => state.pass_dir.get() == j,
                            PassKind::Reverse => state.pass_dir.get() == i,
                        };
                        // While a pass is under way, its column (row) of J shows only the entries
                        // it has finished: J fills in as the pass goes.
                        let filling = move || {
                            if state.pass_step.get() == 0 || !in_pass() {
                                return None;
                            }
                            let e = if state.pass_kind.get() == PassKind::Forward { i } else { j };
                            state.pass.with(|p| (p.taken < p.steps).then(|| p.fill.get(e).copied().flatten()))
                        };
                        // data-d labels the entry where narrow screens wrap a row (style/main.css).
                        view! {
                            <td data-testid=format!("J-{i}-{j}") data-d=format!("∂/∂{x}") title=text(move || format_full(entry(i, j))) class:zero-col=zero
                                class:in-pass=flag(in_pass) class:pending=flag(move || filling() == Some(None))>
                                {text(move || match filling() {
                                    Some(None) => "…".to_string(),
                                    Some(Some(v)) => format_entry(v),
                                    None => format_entry(entry(i, j)),
                                })}
                            </td>
                        }
                    })
                    .collect_view();
                view! { <tr><th scope="row">{name.clone()}</th>{cells}</tr> }
            })
            .collect_view();
        let zero_note = (!zeros.is_empty()).then(|| {
            view! {
                <p class="zero-note" data-testid="zero-columns">
                    {format!("No output depends on {}: its column of J is exactly zero.", zeros.join(", "))}
                </p>
            }
        });
        // The column count picks the layout (style/main.css): equal fixed columns while J
        // fits, a wrapped row per output where up to six do not, and scrolling beyond six.
        let cols = if n > 6 { "jacobian wide".to_string() } else { format!("jacobian cards c{n}") };
        view! {
            <p class="caption" data-testid="j-caption">{text(move || snap.with(|s| format!("{} × {} Jacobian at ({})", s.outputs.len(), s.inputs.len(),
                entries(&s.at, format_entry))))}</p>
            // f(x) is a line of its own, not a column of J's table: J gets the width.
            <p class="fvals" data-testid="fvals" title=text(move || fvals(format_full))>{text(move || fvals(format_entry))}</p>
            <div class="jscroll">
                <table class=cols data-testid="jacobian" aria-label="the Jacobian">
                    <thead><tr><th scope="col">"output"</th>{header}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {zero_note}
        }
    };
    view! {
        <h2>"Jacobian J = ∂f/∂x"</h2>
        <p class="stale" data-testid="stale" hidden=flag(move || !stale.get())>
            "Showing the last function that compiled; fix the error above to update."
        </p>
        {table}
        <p data-testid="det" hidden=flag(move || snap.with(|s| s.det.is_none()))>
            {text(move || snap.with(|s| match s.det {
                Some((_, true)) => "det J = 0: J is singular to rounding (σₙ ≤ n·ε·σ₁)".to_string(),
                Some((d, false)) => format!("det J = {}", format_entry(d)),
                None => String::new(),
            }))}
        </p>
        <p class="strategy" data-testid="strategy">{text(move || snap.with(|s| format!("Computed by {}: {}", s.strategy, s.reason)))}</p>
    }
}
