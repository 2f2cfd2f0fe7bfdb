use super::State;
use crate::core::Workspace;
use crate::view::{self, format_entry, format_full};
use leptos::prelude::*;

/// Hessian (m = 1) with eigenvalues and Laplacian; divergence (n = m). Each says how it
/// was computed.
#[component]
pub fn SecondOrderView() -> impl IntoView {
    let state = expect_context::<State>();
    let so = Memo::new(move |_| state.tape.with(|t| state.at.with(|x| state.snap.with(|s| view::second_order(t, x, &s.j)))));
    view! {
        <h2>"Second order"</h2>
        {move || so.with(|so| {
            let names = state.snap.with(|s| s.inputs.clone());
            let hess = so.hessian.as_ref().map(|(h, eig, lap)| {
                let header = names.iter().map(|x| view! { <th scope="col">{x.clone()}</th> }).collect_view();
                let rows = h.iter().enumerate().map(|(i, row)| view! {
                    <tr><th scope="row">{names[i].clone()}</th>
                    {row.iter().enumerate().map(|(j, v)| view! { <td data-testid=format!("H-{i}-{j}") title=format_full(*v)>{format_entry(*v)}</td> }).collect_view()}
                    </tr>
                }).collect_view();
                let eig_text = eig.iter().map(|v| format_entry(*v)).collect::<Vec<_>>().join(", ");
                view! {
                    <table class="matrix" data-testid="hessian">
                        <caption>"Hessian ∂²f/∂xᵢ∂xⱼ"</caption>
                        <thead><tr><th></th>{header}</tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                    <p class="muted">"The Jacobian of the gradient, computed exactly by forward-over-reverse: one forward sweep with n tangents, one reverse sweep."</p>
                    <p data-testid="eigenvalues">"Eigenvalues: " {eig_text}</p>
                    <p data-testid="laplacian">"Laplacian Δf = trace H = " {format_entry(*lap)}</p>
                }
            });
            let div = so.divergence.map(|d| view! {
                <p data-testid="divergence">"Divergence ∇·f = trace J = " {format_entry(d)} " (sum of the diagonal of J)"</p>
            });
            let none = (so.hessian.is_none() && so.divergence.is_none()).then(|| view! {
                <p class="muted">"The Hessian needs a scalar f (m = 1); the divergence needs n = m."</p>
            });
            view! { {hess} {div} {none} }
        })}
    }
}

/// Passes, node visits, memory and error of every strategy, and µs measured here.
#[component]
pub fn CostView() -> impl IntoView {
    let state = expect_context::<State>();
    let rows = Memo::new(move |_| {
        let mut ws = Workspace::default();
        state.tape.with(|t| state.at.with(|x| view::cost_rows(t, x, &mut ws)))
    });
    view! {
        <h2>"Cost of each strategy"</h2>
        <p class="recommend" data-testid="recommendation">{move || state.snap.with(|s| format!("Recommended: {} — {}", s.strategy, s.reason))}</p>
        <table class="matrix cost" data-testid="cost">
            <thead><tr>
                <th scope="col">"strategy"</th><th scope="col">"passes"</th><th scope="col">"node visits"</th>
                <th scope="col">"memory"</th><th scope="col">"max |error|"</th>
            </tr></thead>
            <tbody>
                {move || rows.get().into_iter().map(|r| view! {
                    <tr>
                        <th scope="row">{r.strategy}</th>
                        <td>{r.passes}</td>
                        <td>{r.node_visits}</td>
                        <td>{format!("{} B", r.bytes)}</td>
                        <td>{if r.exact && r.max_error == 0.0 { "exact".to_string() } else { format_entry(r.max_error) }}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}
