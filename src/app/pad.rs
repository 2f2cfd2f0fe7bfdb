use super::{flag, text, State};
use crate::core::Workspace;
use crate::view::field::{self, FieldKind};
use crate::view::{self, format_entry};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

pub const SIZE: f64 = 240.0;

/// A 2-D pad over two chosen inputs. Drag with mouse, pen or touch (pointer capture, no
/// scrolling or text selection while dragging; embedded, touch drags once the pad is
/// focused); arrow keys move the point (Shift: fine steps), Home returns to the example's
/// point.
/// Where the client point (x, y) falls on the pad an event came to, in unit coordinates
/// (u to the right, v up), for drags, the wheel and a pinch's middle alike.
pub fn unit_at(ev: &web_sys::Event, x: f64, y: f64) -> Option<(f64, f64)> {
    let rect = ev.current_target()?.dyn_into::<web_sys::Element>().ok()?.get_bounding_client_rect();
    Some(((x - rect.left()) / rect.width(), 1.0 - (y - rect.top()) / rect.height()))
}

/// Is the pad the event came to the focused element?
fn focused(ev: &web_sys::Event) -> bool {
    let target = ev.current_target();
    document().active_element().is_some_and(|a| target.is_some_and(|t| t == **a))
}

#[component]
pub fn Pad() -> impl IntoView {
    let state = expect_context::<State>();
    let inputs = Memo::new(move |_| state.tape.with(|t| t.inputs.clone()));
    // The pad's axes, clamped to the inputs this function has.
    let axes = Memo::new(move |_| view::pick_pair(state.axes.get(), inputs.with(Vec::len)));
    let names = move || {
        let (a, b) = axes.get();
        inputs.with(|i| (i.get(a).cloned().unwrap_or_default(), i.get(b).cloned().unwrap_or_default()))
    };
    let one_d = move || inputs.with(Vec::len) < 2;
    let dragging = state.dragging;

    let move_to = move |ev: &web_sys::PointerEvent| {
        let Some((u, v)) = unit_at(ev, ev.client_x() as f64, ev.client_y() as f64) else { return };
        let (nx, ny) = names();
        state.set_coordinate(&nx, view::from_unit(u, state.range(&nx)));
        if !one_d() {
            state.set_coordinate(&ny, view::from_unit(v, state.range(&ny)));
        }
    };
    // Pinch: the pointers down on the pad; with two, their spread zooms about their middle.
    let touches: StoredValue<Vec<(i32, f64, f64)>> = StoredValue::new(Vec::new());
    // Zooms the pad's view by `factor` about the unit position (u, v) (below 1: in).
    let zoom = move |factor: f64, u: f64, v: f64| {
        let (nx, ny) = names();
        let mut axes = vec![(nx, u)];
        if !one_d() {
            axes.push((ny, v));
        }
        for (name, unit) in axes {
            let (lo, hi) = state.range(&name);
            state.set_range(&name, view::zoom_range((lo, hi), lo + unit * (hi - lo), factor));
        }
    };
    let on_down = move |ev: web_sys::PointerEvent| {
        let Some(el) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) else { return };
        // Embedded, a touch on the pad that is not yet focused does nothing here: a swipe
        // across the frame scrolls the host page (touch-action in style/main.css), a tap
        // focuses the pad as it would any focusable element, and the next touch drags.
        if state.embed && ev.pointer_type() == "touch" && !focused(&ev) {
            return;
        }
        let _ = el.focus();
        ev.prevent_default();
        let _ = el.set_pointer_capture(ev.pointer_id());
        touches.update_value(|t| t.push((ev.pointer_id(), ev.client_x() as f64, ev.client_y() as f64)));
        // A second finger turns the drag into a pinch.
        let pinching = touches.with_value(|t| t.len() >= 2);
        dragging.set(!pinching);
        if !pinching {
            move_to(&ev);
            // Shift-click adds the point to the Batch view's points.
            if ev.shift_key() {
                super::batch::add_points(state, 1, 1);
            }
        }
    };
    let on_move = move |ev: web_sys::PointerEvent| {
        let id = ev.pointer_id();
        let (x, y) = (ev.client_x() as f64, ev.client_y() as f64);
        let pinch = touches.with_value(|t| (t.len() == 2).then(|| (t[0], t[1])));
        touches.update_value(|t| t.iter_mut().filter(|p| p.0 == id).for_each(|p| (p.1, p.2) = (x, y)));
        if let Some((a, b)) = pinch {
            let (c, d) = touches.with_value(|t| (t[0], t[1]));
            let spread = |p: (i32, f64, f64), q: (i32, f64, f64)| (p.1 - q.1).hypot(p.2 - q.2);
            if let Some((u, v)) = unit_at(&ev, (c.1 + d.1) / 2.0, (c.2 + d.2) / 2.0).filter(|_| spread(c, d) > 0.0) {
                zoom(spread(a, b) / spread(c, d), u, v);
            }
        } else if dragging.get_untracked() {
            move_to(&ev);
        }
    };
    let on_wheel = move |ev: web_sys::WheelEvent| {
        // Embedded, the wheel is the host page's until the pad is focused.
        if state.embed && !focused(&ev) {
            return;
        }
        ev.prevent_default();
        if let Some((u, v)) = unit_at(&ev, ev.client_x() as f64, ev.client_y() as f64) {
            zoom((ev.delta_y().clamp(-500.0, 500.0) * 0.002).exp(), u, v);
        }
    };
    let on_up = move |ev: web_sys::PointerEvent| {
        touches.update_value(|t| t.retain(|p| p.0 != ev.pointer_id()));
        dragging.set(false);
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let (nx, ny) = names();
        let fine = ev.shift_key();
        let nudge = |name: &str, sign: f64| {
            let r = state.range(name);
            let cur = state.point.with(|p| p.iter().find(|(n, _)| n == name).map(|e| e.1)).unwrap_or(0.0);
            state.set_coordinate(name, cur + sign * view::key_step(r, fine));
        };
        match ev.key().as_str() {
            "ArrowRight" => nudge(&nx, 1.0),
            "ArrowLeft" => nudge(&nx, -1.0),
            "ArrowUp" if !one_d() => nudge(&ny, 1.0),
            "ArrowDown" if !one_d() => nudge(&ny, -1.0),
            "Home" => {
                state.ranges.set(Vec::new());
                state.point.set(state.home.get());
            }
            // Zoom about the point.
            "+" | "=" | "-" | "_" => {
                let (a, b) = axes.get_untracked();
                let u = |k: usize, name: &str| {
                    state.at.with_untracked(|x| view::to_unit(x.get(k).copied().unwrap_or(0.0), state.range(name)))
                };
                let (u, v) = (u(a, &nx), u(b, &ny));
                zoom(if matches!(ev.key().as_str(), "+" | "=") { 0.8 } else { 1.25 }, u, v);
            }
            // The first width back, still around the point.
            "0" => {
                state.ranges.update(|r| r.retain(|(n, _)| *n != nx && *n != ny));
                let (a, b) = axes.get_untracked();
                for (k, name) in [(a, &nx), (b, &ny)] {
                    let v = state.at.with_untracked(|x| x.get(k).copied().unwrap_or(0.0));
                    state.set_coordinate_within(name, v, 0.1);
                }
            }
            _ => return,
        }
        ev.prevent_default();
    };
    let marker = move || {
        let (a, b) = axes.get();
        let (nx, ny) = names();
        state.at.with(|x| {
            let u = view::to_unit(x.get(a).copied().unwrap_or(0.0), state.range(&nx));
            let v = if one_d() { 0.5 } else { view::to_unit(x.get(b).copied().unwrap_or(0.0), state.range(&ny)) };
            (u * SIZE, (1.0 - v) * SIZE)
        })
    };
    let readout = move || {
        let (a, b) = axes.get();
        let (nx, ny) = names();
        state.at.with(|x| {
            let fx = format_entry(x.get(a).copied().unwrap_or(f64::NAN));
            if one_d() {
                format!("{nx} = {fx}")
            } else {
                format!("{nx} = {fx}, {ny} = {}", format_entry(x.get(b).copied().unwrap_or(f64::NAN)))
            }
        })
    };
    let axis_picker = move |which: usize| {
        let label = if which == 0 { "horizontal axis" } else { "vertical axis" };
        view! {
            <select data-testid=format!("axis-{which}") aria-label=label
                on:change=move |ev| {
                    if let Ok(k) = event_target_value(&ev).parse::<usize>() {
                        state.axes.update(|ax| if which == 0 { ax.0 = k } else { ax.1 = k });
                    }
                }>
                // prop:selected (not the attribute): the selection follows the state even
                // after the options are rebuilt.
                // A long list is windowed around the choice (`view::menu_choices`).
                {move || {
                    let now = if which == 0 { axes.get().0 } else { axes.get().1 };
                    inputs.with(|names| view::menu_choices(names.len(), now).into_iter().map(|k| {
                        let sel = move || if which == 0 { axes.get().0 == k } else { axes.get().1 == k };
                        view! { <option value=k.to_string() prop:selected=sel>{names[k].clone()}</option> }
                    }).collect_view())
                }}
            </select>
        }
    };
    let grid = (1..8)
        .map(|k| {
            let p = k as f64 * SIZE / 8.0;
            view! {
                <line class="grid" x1=p y1="0" x2=p y2=SIZE/>
                <line class="grid" x1="0" y1=p x2=SIZE y2=p/>
            }
        })
        .collect_view();
    view! {
        <h2>"Point"</h2>
        <div class="axes">"Pad axes: " {axis_picker(0)} " × " {axis_picker(1)}</div>
        <div
            class="pad"
            class:dragging=flag(move || dragging.get())
            data-testid="pad"
            tabindex="0"
            role="application"
            aria-roledescription="2-D point pad"
            aria-label=text(move || format!("Point pad: {}. Arrow keys move the point, Shift for fine steps, + and − zoom, 0 gives the first zoom back, Home resets.", readout()))
            on:pointerdown=on_down
            on:pointermove=on_move
            on:pointerup=on_up
            on:pointercancel=on_up
            on:keydown=on_key
            on:wheel=on_wheel
        >
            <FieldCanvas axes=axes/>
            // Newton's iterates (`view::newton`): an SVG the worker draws with the digits
            // check, under the pad's grid and marker.
            <div id="newton-path" class="newton-overlay"></div>
            <svg viewBox=format!("0 0 {SIZE} {SIZE}") aria-hidden="true">
                {grid}
                <line class="axis" x1=SIZE / 2.0 y1="0" x2=SIZE / 2.0 y2=SIZE/>
                <line class="axis" x1="0" y1=SIZE / 2.0 x2=SIZE y2=SIZE / 2.0/>
                <circle class="marker" data-testid="pad-marker" r="7" cx=text(move || marker().0.to_string()) cy=text(move || marker().1.to_string())/>
            </svg>
        </div>
        <p class="readout" data-testid="readout">{readout}</p>
        <p class="muted pad-range" data-testid="pad-range">{text(move || {
            let (nx, ny) = names();
            let span = |name: &str| {
                let (lo, hi) = state.range(name);
                format!("{name} ∈ [{}, {}]", format_entry(lo), format_entry(hi))
            };
            let view = if one_d() { span(&nx) } else { format!("{}, {}", span(&nx), span(&ny)) };
            format!("View: {view} (wheel, pinch or +/− to zoom)")
        })}</p>
        <FieldPicker/>
    }
}

/// The Jacobian field behind the pad: one batch of Jacobians over the pad's plane, redrawn
/// only when something other than the pad's own two coordinates changes.
#[component]
fn FieldCanvas(axes: Memo<(usize, usize)>) -> impl IntoView {
    let state = expect_context::<State>();
    // The point with the pad's coordinates blanked: dragging on the pad leaves it unchanged.
    let key = Memo::new(move |_| {
        let (a, b) = axes.get();
        let mut x = state.pass_and_field_at.get();
        for k in [a, b] {
            if let Some(v) = x.get_mut(k) {
                *v = 0.0;
            }
        }
        x
    });
    // How many Jacobians the drawn field took (0: none drawn, the canvas hides).
    let drawn = RwSignal::new(0usize);
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    Effect::new(move |_| {
        let kind = state.field_kind.get();
        let (a, b) = axes.get();
        let field = state.tape.with(|t| {
            key.with(|x| {
                if kind == FieldKind::Off || x.len() != t.n() {
                    return None;
                }
                let ranges = (state.range(&t.inputs[a]), state.range(&t.inputs[b]));
                field::field(t, x, (a, b), ranges, kind, &mut Workspace::default())
            })
        });
        let Some(el) = canvas.get() else { return };
        let Some(f) = field else {
            drawn.set(0);
            return;
        };
        el.set_width(f.res as u32);
        el.set_height(f.res as u32);
        let ctx = super::context_2d(&el);
        let img = web_sys::ImageData::new_with_u8_clamped_array_and_sh(
            wasm_bindgen::Clamped(&f.rgba),
            f.res as u32,
            f.res as u32,
        );
        if let (Some(ctx), Ok(img)) = (ctx, img) {
            let _ = ctx.put_image_data(&img, 0.0, 0.0);
        }
        drawn.set(f.jacobians);
    });
    view! {
        <canvas class="field" node_ref=canvas data-testid="field" aria-hidden="true"
            hidden=flag(move || drawn.get() == 0)
            data-jacobians=text(move || drawn.get().to_string())></canvas>
    }
}

#[component]
fn FieldPicker() -> impl IntoView {
    let state = expect_context::<State>();
    let choices = move || state.tape.with(|t| FieldKind::choices(&t.inputs, &t.output_names, state.field_kind.get()));
    // A kind that no longer fits the function (after an edit) shows as none.
    let current = move || {
        let k = state.field_kind.get();
        state.tape.with(|t| if k.valid(t.n(), t.m()) { k } else { FieldKind::Off })
    };
    // The operation count of a function too big for any field, else None.
    let too_big = move || state.tape.with(|t| (field::resolution(t) == 0).then(|| t.len()));
    let legend = move || {
        match (current(), too_big()) {
        (FieldKind::Off, _) => String::new(),
        (_, Some(ops)) => format!("No background: f has {ops} operations, too many to evaluate J over a grid of points as you work."),
        (FieldKind::SigmaMax, _) => "Background: σ₁, how much J stretches the most-stretched direction — white 0, purple large.".into(),
        (FieldKind::Det, _) => "Background: det J — red > 0, blue < 0 (orientation flips), white where J is singular, grey where f is undefined.".into(),
        (FieldKind::Entry(..), _) => "Background: this entry of J — red > 0, blue < 0, white 0, grey undefined.".into(),
    }
    };
    let entry_pickers = move || {
        matches!(current(), FieldKind::Entry(..)) && state.tape.with(|t| !FieldKind::lists_entries(t.n(), t.m()))
    };
    // which 0: the output (row of J), 1: the input (column).
    let entry_picker = move |which: usize| {
        view! {
            <select data-testid=format!("field-entry-{which}") aria-label=if which == 0 { "background entry's output" } else { "background entry's input" }
                on:change=move |ev| {
                    if let (Ok(k), FieldKind::Entry(i, j)) = (event_target_value(&ev).parse::<usize>(), current()) {
                        state.field_kind.set(if which == 0 { FieldKind::Entry(k, j) } else { FieldKind::Entry(i, k) });
                    }
                }>
                {move || {
                    let FieldKind::Entry(i, j) = current() else { return Vec::new() };
                    let now = if which == 0 { i } else { j };
                    state.tape.with(|t| {
                        let names = if which == 0 { &t.output_names } else { &t.inputs };
                        view::menu_choices(names.len(), now).into_iter().map(|k| {
                            view! { <option value=k.to_string() selected=k == now>{names[k].clone()}</option> }
                        }).collect::<Vec<_>>()
                    })
                }}
            </select>
        }
    };
    view! {
        <label class="field-picker">"Pad background: "
            <select data-testid="field-kind" on:change=move |ev| {
                if let Some(k) = FieldKind::from_key(&event_target_value(&ev)) {
                    state.field_kind.set(k);
                }
            }>
                {move || choices().into_iter().map(|(k, label)| {
                    view! { <option value=k.key() prop:selected=flag(move || current() == k)>{label}</option> }
                }).collect_view()}
            </select>
        </label>
        // Past the menu's own list of entries: the entry's output and input, each picked
        // from a windowed menu.
        <span class="field-entry" hidden=flag(move || !entry_pickers())>
            {entry_picker(0)} " / " {entry_picker(1)}
        </span>
        <p class="muted field-legend" data-testid="field-legend" hidden=flag(move || current() == FieldKind::Off)>{legend}</p>
    }
}

/// Newton's method's target (`State::newton`); its iterates are drawn on the pad and its
/// table below, both by the worker with the digits check (`app/matrix.rs`).
#[component]
pub fn NewtonTarget() -> impl IntoView {
    let state = expect_context::<State>();
    view! {
        <label class="newton-target">"Newton's method from the point to f(x) = y*, y* = "
            <input data-testid="newton-target" class="source" prop:value=move || state.newton.get()
                on:change=move |ev| state.newton.set(event_target_value(&ev))/>
        </label>
        <div class="figure" data-testid="newton" id="newton-table"></div>
    }
}
