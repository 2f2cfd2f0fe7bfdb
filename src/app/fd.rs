use super::heat::{leak, matrix_view, MatrixSpec};
use super::{flag, text, too_large, State};
use crate::core::Matrix;
use crate::view::budget::Part;
use crate::view::heat::{heat_image, heat_image_on, Scale};
use crate::view::{format_entry, heat_level, plot_key, plot_summary, step_label, FdStep, FdView};
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
    // What the plot shows now; the panels change with every point, the plot not always.
    let drawn = StoredValue::new(0u64);
    Effect::new(move |_| {
        state.with_panels(|p| {
            if let (Some(el), Some(f)) = (canvas.get(), p.and_then(|p| p.fd.as_ref())) {
                let key = plot_key(f);
                if key != drawn.get_value() {
                    drawn.set_value(key);
                    draw_plot(el, f);
                }
            }
        })
    });
    let heat = move |central: bool| {
        let err = move |i: usize, j: usize| {
            state
                .with_panels(|p| {
                    let f = p?.fd.as_ref()?;
                    let m = if central { &f.central_err } else { &f.forward_err };
                    m.entry(i, j)
                })
                .unwrap_or(f64::NAN)
        };
        let spec = MatrixSpec {
            row_names: Memo::new(move |_| state.tape.with(|t| t.output_names.clone())),
            col_names: Memo::new(move |_| state.tape.with(|t| t.inputs.clone())),
            value: leak(err),
            show: leak(move |i, j| format_entry(err(i, j))),
            title: None,
            class: leak(move |i, j| format!("heat h{}", heat_level(err(i, j)))),
            image: leak(move |side| {
                state.with_panels(|p| {
                    let e =
                        p.and_then(|p| p.fd.as_ref()).map(|f| if central { &f.central_err } else { &f.forward_err });
                    match e {
                        Some(e) => heat_image_on(e, Scale::LogError, None, side),
                        None => heat_image(&Matrix::zeros(0, 0), Scale::LogError),
                    }
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
            let tuned = state.menus.get().fd_step == FdStep::Tuned;
            state.with_panels(|p| p.and_then(|p| p.fd.as_ref()).map(|v| f(v, tuned)).unwrap_or_default())
        })
    };
    view! {
        <h2>"Finite differences vs AD"</h2>
        {too_large(state, Part::Fd)}
        <label class="fd-step">"Step h for the heat maps: "
            <select data-testid="fd-h" on:change=move |ev| {
                let k = event_target_value(&ev).parse::<usize>().unwrap_or(0);
                state.menus.update(|m| m.fd_step = FdStep::choices().nth(k).unwrap_or_default())
            }>
                {FdStep::choices().enumerate().map(|(k, step)| view! {
                    <option value=k.to_string() prop:selected=flag(move || state.menus.get().fd_step == step)>{step.label()}</option>
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
                <p class="muted" data-testid="undefined-note">{with_fd(|f, _| f.undefined.clone().unwrap_or_default())}</p>
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

// No plotters legend: laying out its box makes plotters' web font code set an inline
// `style` attribute, which the page's CSP (style-src 'self') refuses. The legend is HTML.

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
