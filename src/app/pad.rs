use super::State;
use crate::view::{self, format_entry};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

const SIZE: f64 = 240.0;

/// A 2-D pad over two chosen inputs. Drag with mouse, pen or touch (pointer capture, no
/// scrolling or text selection while dragging); arrow keys move the point (Shift: fine
/// steps), Home returns to the example's point.
#[component]
pub fn Pad() -> impl IntoView {
    let state = expect_context::<State>();
    let inputs = Memo::new(move |_| state.tape.with(|t| t.inputs.clone()));
    // The pad's axes, clamped to the inputs this function has.
    let axes = Memo::new(move |_| {
        let n = inputs.with(Vec::len);
        let (a, b) = state.axes.get();
        let a = a.min(n.saturating_sub(1));
        let b = if n > 1 { if b < n && b != a { b } else { (a + 1) % n } } else { a };
        (a, b)
    });
    let names = move || {
        let (a, b) = axes.get();
        inputs.with(|i| (i.get(a).cloned().unwrap_or_default(), i.get(b).cloned().unwrap_or_default()))
    };
    let one_d = move || inputs.with(Vec::len) < 2;
    let dragging = RwSignal::new(false);

    let move_to = move |ev: &web_sys::PointerEvent| {
        let Some(el) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
        let rect = el.get_bounding_client_rect();
        let u = (ev.client_x() as f64 - rect.left()) / rect.width();
        let v = 1.0 - (ev.client_y() as f64 - rect.top()) / rect.height();
        let (nx, ny) = names();
        state.set_coordinate(&nx, view::from_unit(u, state.range(&nx)));
        if !one_d() {
            state.set_coordinate(&ny, view::from_unit(v, state.range(&ny)));
        }
    };
    let on_down = move |ev: web_sys::PointerEvent| {
        ev.prevent_default();
        if let Some(el) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
            let _ = el.set_pointer_capture(ev.pointer_id());
            if let Some(html) = el.dyn_ref::<web_sys::HtmlElement>() {
                let _ = html.focus();
            }
        }
        dragging.set(true);
        move_to(&ev);
    };
    let on_move = move |ev: web_sys::PointerEvent| {
        if dragging.get_untracked() {
            move_to(&ev);
        }
    };
    let on_up = move |_ev: web_sys::PointerEvent| dragging.set(false);
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
            "Home" => state.point.set(state.home.get()),
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
            if one_d() { format!("{nx} = {fx}") } else { format!("{nx} = {fx}, {ny} = {}", format_entry(x.get(b).copied().unwrap_or(f64::NAN))) }
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
                {move || {
                    let selected = if which == 0 { axes.get().0 } else { axes.get().1 };
                    inputs.get().into_iter().enumerate().map(|(k, name)| {
                        view! { <option value=k.to_string() selected=k == selected>{name}</option> }
                    }).collect_view()
                }}
            </select>
        }
    };
    let grid = (1..8).map(|k| {
        let p = k as f64 * SIZE / 8.0;
        view! {
            <line class="grid" x1=p y1="0" x2=p y2=SIZE/>
            <line class="grid" x1="0" y1=p x2=SIZE y2=p/>
        }
    }).collect_view();
    view! {
        <h2>"Point"</h2>
        <div class="axes">"Pad axes: " {axis_picker(0)} " × " {axis_picker(1)}</div>
        <div
            class="pad"
            class:dragging=move || dragging.get()
            data-testid="pad"
            tabindex="0"
            role="application"
            aria-roledescription="2-D point pad"
            aria-label=move || format!("Point pad: {}. Arrow keys move the point, Shift for fine steps, Home resets.", readout())
            on:pointerdown=on_down
            on:pointermove=on_move
            on:pointerup=on_up
            on:pointercancel=on_up
            on:keydown=on_key
        >
            <svg viewBox=format!("0 0 {SIZE} {SIZE}") aria-hidden="true">
                {grid}
                <line class="axis" x1=SIZE / 2.0 y1="0" x2=SIZE / 2.0 y2=SIZE/>
                <line class="axis" x1="0" y1=SIZE / 2.0 x2=SIZE y2=SIZE / 2.0/>
                <circle class="marker" data-testid="pad-marker" r="7" cx=move || marker().0 cy=move || marker().1/>
            </svg>
        </div>
        <p class="readout" data-testid="readout">{readout}</p>
    }
}
