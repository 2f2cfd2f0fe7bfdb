use super::{text, State};
use crate::core::Strategy;
use crate::view::{self, format_entry, format_full};
use leptos::prelude::*;
use std::time::Duration;

/// Hessian (m = 1) with eigenvalues and Laplacian; divergence (n = m). Each says how it
/// was computed.
#[component]
pub fn SecondOrderView() -> impl IntoView {
    let state = expect_context::<State>();
    view! {
        <h2>"Second order"</h2>
        {move || state.with_panels(|p| {
            let so = &p?.second;
            let names = state.snap.with(|s| s.inputs.clone());
            let hess = so.hessian.as_ref().map(|(h, eig, lap)| {
                let header = names.iter().map(|x| view! { <th scope="col">{x.clone()}</th> }).collect_view();
                let rows = h.iter().enumerate().map(|(i, row)| view! {
                    <tr><th scope="row">{names.get(i).cloned().unwrap_or_default()}</th>
                    {row.iter().enumerate().map(|(j, v)| view! { <td data-testid=format!("H-{i}-{j}") title=format_full(*v)>{format_entry(*v)}</td> }).collect_view()}
                    </tr>
                }).collect_view();
                let eig_text = view::entries(eig, format_entry);
                view! {
                    <table class="matrix" data-testid="hessian">
                        <caption>"Hessian ∂²f/∂xᵢ∂xⱼ"</caption>
                        <thead><tr><th scope="col">"xᵢ \\ xⱼ"</th>{header}</tr></thead>
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
            Some(view! { {hess} {div} {none} })
        })}
    }
}

/// Milliseconds each strategy is repeated for when measuring its speed here (a task takes
/// up to about twice this: `view::time_call`).
const TIMING_BUDGET_MS: f64 = 12.0;

/// Passes, node visits, memory and error of every strategy, and µs measured in this
/// browser (one strategy per task, so the page never blocks for long).
#[component]
pub fn CostView() -> impl IntoView {
    let state = expect_context::<State>();
    // µs for f (index 0) and each strategy; None until measured.
    let micros: RwSignal<Vec<Option<view::Timing>>> = RwSignal::new(vec![None; 1 + Strategy::ALL.len()]);
    let generation = StoredValue::new(0u64);
    let measure = move || {
        generation.update_value(|g| *g += 1);
        let gen = generation.get_value();
        micros.set(vec![None; 1 + Strategy::ALL.len()]);
        measure_from(state, micros, generation, gen, 0);
    };
    // Measure again whenever the function changes, once the page has settled.
    Effect::new(move |_| {
        state.tape.track();
        set_timeout(measure, Duration::from_millis(300));
    });
    let ratio = move |k: usize| {
        micros.with(|m| match (m.first().copied().flatten(), m.get(k).copied().flatten()) {
            // A ratio of two noisy medians is marked as their noise is.
            (Some(f), Some(s)) if f.micros > 0.0 => {
                let r = s.micros / f.micros;
                if f.spread.max(s.spread) > 0.1 {
                    format!("≈{r:.1}")
                } else {
                    format!("{r:.1}")
                }
            }
            _ => "…".into(),
        })
    };
    view! {
        <h2>"Cost of each strategy"</h2>
        <p class="recommend" data-testid="recommendation">{text(move || state.snap.with(|s| format!("Recommended: {} — {}", s.strategy, s.reason)))}</p>
        <table class="matrix cost cards" data-testid="cost">
            <caption>{text(move || micros.with(|m| match m.first().copied().flatten() {
                Some(f) => format!("Measured in this browser (median of batches): f takes {} µs", view::format_timing(f, |v| format_entry(round3(v)))),
                None => "Measuring speed in this browser…".to_string(),
            }))}</caption>
            <thead><tr>
                <th scope="col">"strategy"</th><th scope="col">"passes"</th><th scope="col">"node visits"</th>
                <th scope="col">"memory"</th><th scope="col">"max |error|"</th><th scope="col">"µs here"</th><th scope="col">"J / f"</th>
            </tr></thead>
            <tbody>
                {Strategy::ALL.iter().enumerate().map(|(k, s)| {
                    let cell = move |f: fn(&view::CostRow) -> String| state.with_panels(|p| p.and_then(|p| p.cost.get(k)).map(f).unwrap_or_default());
                    view! {
                        <tr data-testid=format!("cost-{}", s.name())>
                            <th scope="row">{view::strategy_label(*s)}</th>
                            <td>{text(move || cell(|r| view::format_passes(r.passes, r.primal)))}</td>
                            <td>{text(move || cell(|r| r.node_visits.to_string()))}</td>
                            <td>{text(move || cell(|r| format!("{} B", r.bytes)))}</td>
                            <td>{text(move || cell(|r| if r.exact && r.max_error == 0.0 { "exact".to_string() } else { format_entry(r.max_error) }))}</td>
                            <td data-testid=format!("micros-{}", s.name())>{text(move || micros.with(|m| m.get(k + 1).copied().flatten().map(|t| view::format_timing(t, |v| format_entry(round3(v)))).unwrap_or_else(|| "…".into())))}</td>
                            <td>{text(move || ratio(k + 1))}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <button data-testid="measure" on:click=move |_| measure()>"Measure again"</button>
    }
}

fn round3(v: f64) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let q = 10f64.powi(v.abs().log10().floor() as i32 - 2);
    (v / q).round() * q
}

/// Times entry `k`, then schedules `k + 1` in a fresh task, unless a newer measurement
/// (another generation) has started.
fn measure_from(
    state: State,
    micros: RwSignal<Vec<Option<view::Timing>>>,
    generation: StoredValue<u64>,
    gen: u64,
    k: usize,
) {
    if generation.get_value() != gen || k > Strategy::ALL.len() {
        return;
    }
    let Some(perf) = web_sys::window().and_then(|w| w.performance()) else { return };
    let now = move || perf.now();
    let us = state.tape.with_untracked(|t| {
        state.at.with_untracked(|x| (x.len() == t.n()).then(|| view::time_strategy(t, x, k, &now, TIMING_BUDGET_MS)))
    });
    if let Some(us) = us {
        micros.update(|m| m[k] = Some(us));
    }
    set_timeout(move || measure_from(state, micros, generation, gen, k + 1), Duration::from_millis(0));
}
