use super::heat::{leak, matrix_view, MatrixSpec};
use super::{flag, text, too_large, State};
use crate::view::budget::Part;
use crate::view::heat::{heat_image, Scale};
use crate::view::{format_entry, FdView, FD_STEPS};
use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;

/// Finite differences against AD: per-entry error heat maps (with numbers, so colour is
/// never the only signal) and a log–log plot of error against the step h.
#[component]
pub fn FdPanel() -> impl IntoView {
    let state = expect_context::<State>();
    let canvas = NodeRef::<Canvas>::new();
    Effect::new(move |_| {
        state.with_panels(|p| {
            if let (Some(el), Some(f)) = (canvas.get(), p.and_then(|p| p.fd.as_ref())) {
                draw_plot(el, f);
            }
        })
    });
    let heat = move |central: bool| {
        let err = move |i: usize, j: usize| {
            state
                .with_panels(|p| {
                    let f = p?.fd.as_ref()?;
                    let m = if central { &f.central_err } else { &f.forward_err };
                    m.get(i)?.get(j).copied()
                })
                .unwrap_or(f64::NAN)
        };
        let spec = MatrixSpec {
            row_names: Memo::new(move |_| state.tape.with(|t| t.output_names.clone())),
            col_names: Memo::new(move |_| state.tape.with(|t| t.inputs.clone())),
            value: leak(err),
            show: leak(move |i, j| format_entry(err(i, j))),
            class: leak(move |i, j| format!("heat h{}", heat_level(err(i, j)))),
            image: leak(move || {
                state.with_panels(|p| {
                    let e =
                        p.and_then(|p| p.fd.as_ref()).map(|f| if central { &f.central_err } else { &f.forward_err });
                    let (m, n) = e.map_or((0, 0), |e| (e.len(), e.first().map_or(0, Vec::len)));
                    heat_image(m, n, &|i, j| e.map_or(f64::NAN, |e| e[i][j]), Scale::LogError)
                })
            }),
            col_header: |x| format!("∂/∂{x}"),
            entry_name: |o, x| format!("|error| of ∂{o}/∂{x}"),
            testid: if central { "fd-c" } else { "fd-f" },
            table_testid: if central { "fd-central" } else { "fd-forward" },
            label: if central { "central-difference error" } else { "forward-difference error" },
            corner: "output",
        };
        view! { {matrix_view(spec, text(|| "matrix heat"))} }
    };
    // One reader of the FD view for every line of text (each `with_panels` closure is code
    // of its own); `f` is also told whether the step is the tuned one.
    let with_fd = move |f: fn(&FdView, bool) -> String| {
        text(move || {
            let tuned = state.fd_h.get() == 0;
            state.with_panels(|p| p.and_then(|p| p.fd.as_ref()).map(|v| f(v, tuned)).unwrap_or_default())
        })
    };
    view! {
        <h2>"Finite differences vs AD"</h2>
        {too_large(state, Part::Fd)}
        <label class="fd-step">"Step h for the heat maps: "
            <select data-testid="fd-h" on:change=move |ev| state.fd_h.set(event_target_value(&ev).parse::<usize>().unwrap_or(0))>
                <option value="0" prop:selected=flag(move || state.fd_h.get() == 0)>"tuned (√ε forward, ∛ε central)"</option>
                {FD_STEPS.iter().enumerate().map(|(k, &h)| view! {
                    <option value=(k + 1).to_string() prop:selected=flag(move || state.fd_h.get() == k + 1)>{format!("{h:.0e}")}</option>
                }).collect_view()}
            </select>
        </label>
        <div class="fd-grid" hidden=flag(move || state.with_panels(|p| p.is_none_or(|p| p.fd.is_none())))>
            <div>
                <p>{with_fd(|f, tuned| step_label("Forward", f.steps.0, tuned))}</p>
                {heat(false)}
                <p>{with_fd(|f, tuned| step_label("Central", f.steps.1, tuned))}</p>
                {heat(true)}
                <p data-testid="complex-err">{with_fd(|f, _| format!("Complex step (h = 1e-20·|x|): max error {}", format_entry(f.complex_err)))}</p>
            </div>
            <div>
                <canvas node_ref=canvas width="420" height="280" data-testid="fd-plot"
                    role="img" aria-label=with_fd(|f, _| plot_summary(f))></canvas>
                <p class="legend" aria-hidden="true">
                    <span class="lg-forward">"● forward"</span>
                    <span class="lg-central">"▲ central"</span>
                    <span class="lg-complex">"— complex step"</span>
                </p>
                <p class="fd-best" data-testid="fd-best">{with_fd(|f, _| plot_summary(f))}</p>
            </div>
        </div>
    }
}

fn step_label(kind: &str, h: f64, tuned: bool) -> String {
    if tuned {
        format!("{kind} difference, tuned h = {h:.1e}·max(1, |x|): |J_fd − J_ad|")
    } else {
        format!("{kind} difference, h = {h:.0e}·max(1, |x|): |J_fd − J_ad|")
    }
}

fn plot_summary(f: &FdView) -> String {
    format!(
        "Error falls like h (forward) and h² (central) until round-off takes over: best forward h = {:.0e} (error {}), best central h = {:.0e} (error {}).",
        f.best_forward.0, format_entry(f.best_forward.1), f.best_central.0, format_entry(f.best_central.1)
    )
}

// No plotters legend: laying out its box makes plotters' web font code set an inline
// `style` attribute, which the page's CSP (style-src 'self') refuses. The legend is HTML.

/// 0 (≤ 1e-15) … 4 (≥ 1e-3): five steps of a log scale.
fn heat_level(e: f64) -> u8 {
    if !e.is_finite() {
        return 4;
    }
    match e {
        e if e <= 1e-15 => 0,
        e if e <= 1e-11 => 1,
        e if e <= 1e-7 => 2,
        e if e <= 1e-3 => 3,
        _ => 4,
    }
}

fn draw_plot(el: web_sys::HtmlCanvasElement, f: &FdView) {
    let Some(backend) = CanvasBackend::with_canvas_object(el) else { return };
    let root = backend.into_drawing_area();
    let _ = root.fill(&WHITE);
    let floor = 1e-17;
    let clamp = |e: f64| if e.is_finite() { e.max(floor) } else { 1e3 };
    let Ok(mut chart) = ChartBuilder::on(&root)
        .margin(10)
        .x_label_area_size(30)
        .y_label_area_size(50)
        .build_cartesian_2d((1e-12f64..1e-1f64).log_scale(), (floor..1e3f64).log_scale())
    else {
        return;
    };
    let _ = chart
        .configure_mesh()
        .x_desc("step h")
        .y_desc("max |error|")
        .x_labels(6)
        .y_labels(6)
        .x_label_formatter(&|v| format!("{v:.0e}"))
        .y_label_formatter(&|v| format!("{v:.0e}"))
        .draw();
    let blue = RGBColor(29, 78, 216);
    let orange = RGBColor(194, 65, 12);
    let fwd: Vec<(f64, f64)> = f.sweep.iter().map(|s| (s.h, clamp(s.forward))).collect();
    let cen: Vec<(f64, f64)> = f.sweep.iter().map(|s| (s.h, clamp(s.central))).collect();
    let _ = chart.draw_series(LineSeries::new(fwd.clone(), blue.stroke_width(2)));
    let _ = chart.draw_series(fwd.iter().map(|&p| Circle::new(p, 3, blue.filled())));
    let _ = chart.draw_series(LineSeries::new(cen.clone(), orange.stroke_width(2)));
    let _ = chart.draw_series(cen.iter().map(|&p| TriangleMarker::new(p, 4, orange.filled())));
    // The heat maps' steps, as thin vertical lines in each series' colour.
    for (h, c) in [(f.steps.0, blue), (f.steps.1, orange)] {
        let _ = chart.draw_series(LineSeries::new(vec![(h, floor), (h, 1e3)], c.mix(0.5).stroke_width(1)));
    }
    let cs = clamp(f.complex_err);
    let _ = chart.draw_series(LineSeries::new(vec![(1e-12, cs), (1e-1, cs)], BLACK.stroke_width(1)));
    let _ = root.present();
}
