use super::State;
use crate::view::{format_entry, format_full, PassKind, Snapshot};
use leptos::prelude::*;

/// f and J as real tables, with ∂f_i/∂x_j labels, zero columns flagged and det J.
#[component]
pub fn JacobianView(snap: Memo<Snapshot>, stale: Signal<bool>) -> impl IntoView {
    let state = expect_context::<State>();
    view! {
        <h2>"Jacobian J = ∂f/∂x"</h2>
        <p class="stale" data-testid="stale" hidden=move || !stale.get()>
            "Showing the last function that compiled; fix the error above to update."
        </p>
        {move || snap.with(|s| {
            let (kind, dir) = (state.pass_kind.get(), state.pass_dir.get());
            let header = s.inputs.iter().map(|x| view! { <th scope="col">{format!("∂/∂{x}")}</th> }).collect_view();
            let rows = s.j.iter().enumerate().map(|(i, row)| {
                let cells = row.iter().enumerate().map(|(j, v)| {
                    let zero = s.zero_columns.contains(&s.inputs[j]);
                    view! {
                        <td data-testid=format!("J-{i}-{j}") title=format_full(*v) class:zero-col=zero
                            class:in-pass=(kind == PassKind::Forward && j == dir) || (kind == PassKind::Reverse && i == dir)>{format_entry(*v)}</td>
                    }
                }).collect_view();
                view! {
                    <tr>
                        <th scope="row">{s.outputs[i].clone()}</th>
                        <td class="fval" data-testid=format!("f-{i}") title=format_full(s.f[i])>{format_entry(s.f[i])}</td>
                        {cells}
                    </tr>
                }
            }).collect_view();
            let det = s.det.map(|d| view! { <p data-testid="det">"det J = " {format_entry(d)}</p> });
            let zeros = (!s.zero_columns.is_empty()).then(|| view! {
                <p class="zero-note" data-testid="zero-columns">
                    {format!("No output depends on {}: its column of J is exactly zero.", s.zero_columns.join(", "))}
                </p>
            });
            view! {
                <table class="jacobian" data-testid="jacobian">
                    <caption>{format!("{} × {} Jacobian at ({})", s.outputs.len(), s.inputs.len(),
                        s.at.iter().map(|v| format_entry(*v)).collect::<Vec<_>>().join(", "))}</caption>
                    <thead><tr><th scope="col">"output"</th><th scope="col">"value"</th>{header}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
                {det}
                {zeros}
                <p class="strategy" data-testid="strategy">{format!("Computed by {}: {}", s.strategy, s.reason)}</p>
            }
        })}
    }
}
