use super::State;
use crate::core::Workspace;
use crate::view::{self, format_entry, FdView};
use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;

/// Finite differences against AD: per-entry error heat maps (with numbers, so colour is
/// never the only signal) and a log–log plot of error against the step h.
#[component]
pub fn FdPanel() -> impl IntoView {
    let state = expect_context::<State>();
    let fd = Memo::new(move |_| {
        let mut ws = Workspace::default();
        state.tape.with(|t| state.at.with(|x| view::fd_view(t, x, &mut ws)))
    });
    let canvas = NodeRef::<Canvas>::new();
    Effect::new(move |_| {
        let data = fd.get();
        if let Some(el) = canvas.get() {
            draw_plot(el, &data);
        }
    });
    let heat = move |central: bool| {
        fd.with(|f| {
            let m = if central { &f.central_err } else { &f.forward_err };
            let rows = m.iter().enumerate().map(|(i, row)| view! {
                <tr>{row.iter().enumerate().map(|(j, e)| {
                    let level = heat_level(*e);
                    view! { <td class=format!("heat h{level}") data-testid=format!("fd-{}-{i}-{j}", if central { "c" } else { "f" })>{format_entry(*e)}</td> }
                }).collect_view()}</tr>
            }).collect_view();
            view! { <table class="matrix heat"><tbody>{rows}</tbody></table> }
        })
    };
    view! {
        <h2>"Finite differences vs AD"</h2>
        <div class="fd-grid">
            <div>
                <p>{move || fd.with(|f| format!("Forward difference, h = {:.1e}·max(1, |x|): |J_fd − J_ad|", f.tuned.0))}</p>
                {move || heat(false)}
                <p>{move || fd.with(|f| format!("Central difference, h = {:.1e}·max(1, |x|):", f.tuned.1))}</p>
                {move || heat(true)}
                <p data-testid="complex-err">{move || fd.with(|f| format!("Complex step (h = 1e-20·|x|): max error {}", format_entry(f.complex_err)))}</p>
            </div>
            <div>
                <canvas node_ref=canvas width="420" height="280" data-testid="fd-plot"
                    role="img" aria-label=move || fd.with(plot_summary)></canvas>
                <p class="legend" aria-hidden="true">
                    <span class="lg-forward">"● forward"</span>
                    <span class="lg-central">"▲ central"</span>
                    <span class="lg-complex">"— complex step"</span>
                </p>
                <p data-testid="fd-best">{move || fd.with(plot_summary)}</p>
            </div>
        </div>
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
    let cs = clamp(f.complex_err);
    let _ = chart.draw_series(LineSeries::new(vec![(1e-12, cs), (1e-1, cs)], BLACK.stroke_width(1)));
    let _ = root.present();
}
