use super::heat::{leak, matrix_view, MatrixSpec};
use super::{flag, text, too_large, State};
use crate::core::Strategy;
use crate::view::budget::Part;
use crate::view::heat::{heat_image, Scale};
use crate::view::{self, format_entry};
use leptos::prelude::*;
use std::time::Duration;

/// Hessian (m = 1) with eigenvalues and Laplacian; divergence (n = m). Each says how it
/// was computed.
#[component]
pub fn SecondOrderView() -> impl IntoView {
    let state = expect_context::<State>();
    let hessian = move |f: &dyn Fn(&view::HessianParts) -> String| {
        state.with_panels(|p| p.and_then(|p| p.second.hessian.as_ref()).map(f).unwrap_or_default())
    };
    let h_entry =
        move |i: usize, j: usize| state.with_panels(|p| p?.second.hessian.as_ref()?.0.entry(i, j)).unwrap_or(f64::NAN);
    let names = Memo::new(move |_| state.tape.with(|t| t.inputs.clone()));
    let spec = MatrixSpec {
        row_names: names,
        col_names: names,
        value: leak(h_entry),
        show: leak(move |i, j| format_entry(h_entry(i, j))),
        title: None,
        class: leak(|_, _| String::new()),
        image: leak(move || {
            // The Hessian's own size: while a new function's panels are computed the last
            // ones (another n) are still shown.
            state.with_panels(|p| match p.and_then(|p| p.second.hessian.as_ref()) {
                Some((h, ..)) => heat_image(h, Scale::Diverging),
                None => heat_image(&crate::core::Matrix::zeros(0, 0), Scale::Diverging),
            })
        }),
        col_header: |x| x.to_string(),
        entry_name: |a, b| format!("∂²f/∂{a}∂{b}"),
        testid: "H",
        table_testid: "hessian",
        label: "the Hessian ∂²f/∂xᵢ∂xⱼ",
        corner: "xᵢ \\ xⱼ",
    };
    let shown = move |hessian: bool| {
        state.with_panels(|p| {
            p.is_some_and(|p| if hessian { p.second.hessian.is_some() } else { p.second.divergence.is_some() })
        })
    };
    view! {
        <h2>"Second order"</h2>
        {too_large(state, Part::Hessian)}
        <div hidden=flag(move || !shown(true))>
            <p class="caption">"Hessian ∂²f/∂xᵢ∂xⱼ"</p>
            {matrix_view(spec, text(|| "matrix"))}
            <p class="muted">"The Jacobian of the gradient, computed exactly by forward-over-reverse: one forward sweep with n tangents, one reverse sweep."</p>
            <p data-testid="eigenvalues">{text(move || hessian(&|(_, eig, _)| if eig.is_empty() {
                "Eigenvalues: not computed past 100 inputs (too slow to follow the point)".to_string()
            } else {
                format!("Eigenvalues: {}", view::entries(eig, format_entry))
            }))}</p>
            <p data-testid="laplacian">{text(move || hessian(&|(_, _, lap)| format!("Laplacian Δf = trace H = {}", format_entry(*lap))))}</p>
        </div>
        <p data-testid="divergence" hidden=flag(move || !shown(false))>{text(move || state.with_panels(|p| p.and_then(|p| p.second.divergence)
            .map(|d| format!("Divergence ∇·f = trace J = {} (sum of the diagonal of J)", format_entry(d))).unwrap_or_default()))}</p>
        <p class="muted" hidden=flag(move || state.tape.with(|t| t.m() == 1 || t.n() == t.m()))>
            "The Hessian needs a scalar f (m = 1); the divergence needs n = m."</p>
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
    let ratio =
        move |k: usize| micros.with(|m| view::time_ratio(m.first().copied().flatten(), m.get(k).copied().flatten()));
    view! {
        <h2>"Cost of each strategy"</h2>
        {too_large(state, Part::Cost)}
        <p class="recommend" data-testid="recommendation">{text(move || state.snap.with(|s| format!("Recommended: {} — {}", s.strategy, s.reason)))}</p>
        <table class="matrix cost cards" data-testid="cost">
            <caption>{text(move || micros.with(|m| match m.first().copied().flatten() {
                Some(f) => format!("Measured in this browser (median of batches): f takes {} µs", view::show_timing(f)),
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
                            <td data-testid=format!("micros-{}", s.name())>{text(move || micros.with(|m| m.get(k + 1).copied().flatten().map(view::show_timing).unwrap_or_else(|| "…".into())))}</td>
                            <td>{text(move || ratio(k + 1))}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <button data-testid="measure" on:click=move |_| measure()>"Measure again"</button>
    }
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
    // Past `Part::Cost`'s budget the strategies are not run here either: one call of the
    // slowest is the same work the cost table was refused (f alone is still timed).
    if generation.get_value() != gen
        || k > Strategy::ALL.len()
        || (k > 0 && !state.tape.with_untracked(|t| Part::Cost.fits(t)))
    {
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
