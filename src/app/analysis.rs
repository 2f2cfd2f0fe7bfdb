use super::heat::{leak, matrix_view, MatrixSpec};
use super::worker::{request, send};
use super::{flag, text, too_large, State};
use crate::core::Strategy;
use crate::view::budget::Part;
use crate::view::heat::{heat_image, heat_image_on, Scale};
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
        image: leak(move |side| {
            // The Hessian's own size: while a new function's panels are computed the last
            // ones (another n) are still shown.
            state.with_panels(|p| match p.and_then(|p| p.second.hessian.as_ref()) {
                Some((h, ..)) => heat_image_on(h, Scale::Diverging, None, side),
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

/// Passes, node visits, memory and error of every strategy, and µs measured in this
/// browser by the text worker (`view::measured_text`): off the page's thread, so measuring
/// never holds a frame.
#[component]
pub fn CostView() -> impl IntoView {
    let state = expect_context::<State>();
    // The worker's answer: the caption, then each strategy's `µs\tJ/f` line.
    let reply = RwSignal::new(String::new());
    let measure = move || {
        reply.set(String::new());
        send(super::worker::COST, reply, request(state, view::export::COST, None));
    };
    // The sparsity figure, drawn by a worker of its own: at once, as the function changes (it
    // changes the page's height, which it must not do while the point is being dragged).
    // Drawn only while the view is open: it can be thousands of elements. Measured again
    // whenever the function changes (or the view opens), once the page has settled.
    let figure = NodeRef::<leptos::html::Div>::new();
    let closed = super::sharing::view_closed(state, crate::share::View::Analysis);
    Effect::new(move |_| {
        state.tape.track();
        if !closed.get() {
            super::worker::send_then(
                super::worker::FIGURE,
                request(state, view::export::SPARSITY, None),
                Box::new(move |markup| {
                    if let Some(el) = figure.get_untracked() {
                        super::worker::build(&el, &markup);
                    }
                }),
            );
        }
        set_timeout(measure, Duration::from_millis(300));
    });
    let measured = move |k: usize, c: usize| {
        text(move || reply.with(|r| r.lines().nth(k).and_then(|l| l.split('\t').nth(c)).unwrap_or("…").to_string()))
    };
    view! {
        <h2>"Cost of each strategy"</h2>
        {too_large(state, Part::Cost)}
        <p class="recommend" data-testid="recommendation">{text(move || state.snap.with(|s| format!("Recommended: {} — {}", s.strategy, s.reason)))}</p>
        <table class="matrix cost cards" data-testid="cost">
            <caption>{text(move || reply.with(|r| if r.is_empty() { "Measuring speed in this browser…".into() } else { r.lines().next().unwrap_or("").to_string() }))}</caption>
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
                            <td data-testid=format!("micros-{}", s.name())>{measured(k + 1, 0)}</td>
                            <td>{measured(k + 1, 1)}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <button data-testid="measure" on:click=move |_| measure()>"Measure again"</button>
        <div class="figure" data-testid="sparsity" node_ref=figure></div>
    }
}
