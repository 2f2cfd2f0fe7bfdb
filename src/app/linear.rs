use super::{flag, text, State};
use crate::view::linear::{bounds, facts, output_box, Polyline};
use crate::view::Neighbourhood;
use leptos::html::Canvas;
use leptos::prelude::*;

/// A grid and circle around the point mapped by f and by f(x) + J·dx, side by side, with
/// the singular-value ellipse, det and singular values.
#[component]
pub fn LinearPanel() -> impl IntoView {
    let state = expect_context::<State>();
    let names = move || state.tape.with(|t| (t.inputs.clone(), t.output_names.clone()));
    let out_picker = move |which: usize| {
        view! {
            <select data-testid=format!("lin-out-{which}") aria-label=if which == 0 { "horizontal output" } else { "vertical output" }
                on:change=move |ev| {
                    if let Ok(k) = event_target_value(&ev).parse::<usize>() {
                        state.lin_outputs.update(|o| if which == 0 { o.0 = k } else { o.1 = k });
                    }
                }>
                {move || {
                    let outs = names().1;
                    let now = state.lin_outputs.with(|o| if which == 0 { o.0 } else { o.1 });
                    crate::view::menu_choices(outs.len(), now).into_iter().map(|k| {
                        let sel = move || state.with_panels(|p| p.is_some_and(|p| if which == 0 { p.linear.outputs.0 == k } else { p.linear.outputs.1 == k }));
                        view! { <option value=k.to_string() prop:selected=sel>{outs[k].clone()}</option> }
                    }).collect_view()
                }}
            </select>
        }
    };
    let input_canvas = NodeRef::<Canvas>::new();
    let output_canvas = NodeRef::<Canvas>::new();
    // Drawn on canvases with the 2-D context: two small line drawings don't need a plot
    // library's axes, and SVG built through the view layer costs far more wasm.
    Effect::new(move |_| {
        state.with_panels(|p| {
            let Some(v) = p.map(|p| &p.linear) else { return };
            if let Some(el) = input_canvas.get() {
                let b = bounds(v.grid_in.iter().chain(std::iter::once(&v.circle_in)), v.radius);
                draw(
                    &el,
                    b,
                    &[(&v.grid_in, INPUT_GRID, false, 1.0), (std::slice::from_ref(&v.circle_in), ACCENT, false, 2.0)],
                    &[],
                );
            }
            if let Some(el) = output_canvas.get() {
                let b = output_box(v);
                draw(
                    &el,
                    b,
                    &[
                        (&v.grid_f, F_COLOUR, false, 1.0),
                        (&v.grid_lin, LIN_COLOUR, true, 1.0),
                        (&v.circle_f, F_COLOUR, false, 2.5),
                        (&v.circle_lin, LIN_COLOUR, true, 2.0),
                    ],
                    &v.ellipse_axes,
                );
            }
        })
    });
    let facts = move || {
        state.with_panels(|p| {
            p.map(|p| {
                let (ins, outs) = names();
                let [block, singular, gap] = facts(&p.linear, &ins, &outs);
                view! {
                    <p class="lin-text tall" data-testid="lin-block">{block}</p>
                    <p class="lin-text" data-testid="lin-singular">{singular}</p>
                    <p class="lin-text" data-testid="lin-gap">{gap}</p>
                }
            })
        })
    };
    view! {
        <h2>"Local linearisation: f(x + dx) ≈ f(x) + J·dx"</h2>
        <div class="axes">
            "Inputs: the pad's axes. Outputs: " {out_picker(0)} " × " {out_picker(1)} " "
            <label>"radius "
                <select data-testid="lin-radius" on:change=move |ev| {
                    if let Some(&n) = event_target_value(&ev).parse::<usize>().ok().and_then(|k| Neighbourhood::ALL.get(k)) { state.menus.update(|m| m.neighbourhood = n) }
                }>
                    {Neighbourhood::ALL.iter().enumerate().map(|(k, &n)| view! { <option value=k.to_string() prop:selected=flag(move || state.menus.get().neighbourhood == n)>{n.key()}</option> }).collect_view()}
                </select>
            </label>
        </div>
        <div class="lin-row">
            <figure>
                <canvas class="lin-plot" node_ref=input_canvas width="320" height="320" data-testid="lin-input" role="img"
                    aria-label="a grid and a circle around the point, in the plane of the pad's two inputs"></canvas>
                <figcaption>"around x (input plane)"</figcaption>
            </figure>
            <figure>
                <canvas class="lin-plot" node_ref=output_canvas width="320" height="320" data-testid="lin-output" role="img"
                    aria-label="the grid and circle mapped by f (solid blue) and by the linear map J·dx (dashed orange, the singular-value ellipse with its semi-axes)"></canvas>
                <figcaption>"around f(x): "<span class="lg-f">"— f"</span>" "<span class="lg-lin">"- - f(x) + J·dx"</span></figcaption>
            </figure>
        </div>
        {facts}
        <p class="muted">{text(move || state.snap.with(|s| if s.inputs.len() == 1 || s.outputs.len() == 1 {
            "With one input (or one output) the picture is a line: J is a single column (or row), and its one singular value is its length.".to_string()
        } else { String::new() }))}</p>
    }
}

const INPUT_GRID: &str = "#8a8f98";
const ACCENT: &str = "#1d4ed8";
const F_COLOUR: &str = "#1d4ed8";
const LIN_COLOUR: &str = "#c2410c";

/// Strokes polylines (colour, dashed, width) into the square `(x0, y0, side)` of the
/// plane, y up, and the ellipse's semi-axes from the centre.
fn draw(
    el: &web_sys::HtmlCanvasElement,
    (x0, y0, side): (f64, f64, f64),
    layers: &[(&[Polyline], &str, bool, f64)],
    axes: &[(f64, f64)],
) {
    let Some(ctx) = super::context_2d(el) else { return };
    let size = el.width() as f64;
    let px = |x: f64, y: f64| ((x - x0) / side * size, size - (y - y0) / side * size);
    ctx.clear_rect(0.0, 0.0, size, size);
    let dash = js_sys::Array::of2(&6.0.into(), &4.0.into());
    let solid = js_sys::Array::new();
    for &(lines, colour, dashed, width) in layers {
        ctx.set_stroke_style_str(colour);
        ctx.set_line_width(width);
        let _ = ctx.set_line_dash(if dashed { &dash } else { &solid });
        ctx.begin_path();
        for line in lines {
            for (k, &(x, y)) in line.iter().enumerate() {
                let (u, v) = px(x, y);
                if k == 0 {
                    ctx.move_to(u, v)
                } else {
                    ctx.line_to(u, v)
                }
            }
        }
        ctx.stroke();
    }
    let _ = ctx.set_line_dash(&solid);
    ctx.set_stroke_style_str(LIN_COLOUR);
    ctx.set_line_width(1.5);
    ctx.begin_path();
    for &(ax, ay) in axes {
        let (u0, v0) = px(0.0, 0.0);
        let (u1, v1) = px(ax, ay);
        ctx.move_to(u0, v0);
        ctx.line_to(u1, v1);
    }
    ctx.stroke();
}
