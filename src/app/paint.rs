use super::{flag, put_rgba, text, State};
use crate::examples;
use crate::view::heat;
use crate::view::paint::{self, MAPS_MAX};
use crate::view::{format_full, format_short};
use leptos::html::Canvas;
use leptos::prelude::*;

/// No stroke under way (a sentinel rather than an Option: the page already has a
/// `(usize, usize)` signal type, and each new one costs wasm).
const NO_CELL: (usize, usize) = (usize::MAX, 0);

/// The image input's pad: paint and erase with mouse, pen or touch (pointer capture: a
/// stroke stays on the pad while it lasts), or with the keyboard (arrows move the cursor,
/// Space paints, Delete erases); clear and preset digits. Below it, each output's score and
/// its row of J reshaped to the image (a saliency map), all following every stroke.
#[component]
pub fn PaintPad() -> impl IntoView {
    let state = expect_context::<State>();
    // Read from the tape where needed (a memo of its own type would cost wasm).
    let image = move || state.tape.with(paint::image_input);
    let shown = move || image().is_some();
    let dims = move || image().map_or((1, 1), |i| (i.rows, i.cols));
    let erase = RwSignal::new(false);
    let cursor = RwSignal::new((0usize, 0usize));
    // The last cell of the stroke under way, so a fast pointer still draws a line.
    let last = RwSignal::new(NO_CELL);
    let canvas = NodeRef::<Canvas>::new();
    let sheet = NodeRef::<Canvas>::new();
    let legend = RwSignal::new(String::new());

    // Sets the named inputs of the point (one update for a whole stroke or image).
    let write = move |names: Vec<String>, values: Vec<f64>| {
        state.point.update(|p| {
            p.retain(|(n, _)| !names.contains(n));
            p.extend(names.into_iter().zip(values));
        });
    };
    // Sets the cells' ink: none if they have it already.
    let paint = move |cells: &[(usize, usize)], ink: f64| {
        let Some(img) = state.tape.with_untracked(paint::image_input) else { return };
        let names: Vec<String> = state.tape.with_untracked(|t| {
            state.at.with_untracked(|x| {
                cells
                    .iter()
                    .map(|&(i, j)| img.column(i, j))
                    .filter(|&c| c < img.first + img.rows * img.cols && x.get(c) != Some(&ink))
                    .filter_map(|c| t.inputs.get(c).cloned())
                    .collect()
            })
        });
        if !names.is_empty() {
            let ink = vec![ink; names.len()];
            write(names, ink);
        }
    };
    let set_all = move |values: Vec<f64>| {
        let Some(img) = state.tape.with_untracked(paint::image_input) else { return };
        let names = state.tape.with_untracked(|t| t.inputs[img.first..img.first + values.len()].to_vec());
        write(names, values);
    };
    // One handler for every pointer event (one closure type, not four).
    let on_pointer = move |ev: web_sys::PointerEvent| {
        use wasm_bindgen::JsCast;
        let kind = ev.type_();
        if kind == "pointerup" || kind == "pointercancel" {
            last.set(NO_CELL);
            state.dragging.set(false);
            return;
        }
        let (rows, cols) = dims();
        let Some((u, v)) = super::pad::unit_at(&ev, ev.client_x() as f64, ev.client_y() as f64) else { return };
        let cell = heat::cell_at(u, 1.0 - v, rows, cols);
        // Erasing: the Erase toggle or the pen's eraser end.
        let ink = if erase.get_untracked() || ev.buttons() & 32 != 0 { 0.0 } else { 1.0 };
        if kind == "pointerdown" {
            if let Some(el) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = el.focus();
                let _ = el.set_pointer_capture(ev.pointer_id());
            }
            ev.prevent_default();
            state.dragging.set(true);
            cursor.set(cell);
            last.set(cell);
            paint(&[cell], ink);
        } else if last.get_untracked() != NO_CELL && last.get_untracked() != cell {
            paint(&paint::stroke(last.get_untracked(), cell), ink);
            last.set(cell);
        }
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let (rows, cols) = dims();
        let key = ev.key();
        if let Some(c) = heat::step_cursor(&key, cursor.get_untracked(), rows, cols) {
            cursor.set(c);
        } else if key == " " || key == "Enter" || key == "Delete" || key == "Backspace" {
            let ink = if erase.get_untracked() || key.starts_with('D') || key.starts_with('B') { 0.0 } else { 1.0 };
            paint(&[cursor.get_untracked()], ink);
        } else {
            return;
        }
        ev.prevent_default();
    };
    Effect::new(move |_| {
        let Some(img) = image() else { return };
        let rgba = state.at.with(|x| paint::ink_rgba(x, &img));
        put_rgba(canvas, img.cols, img.rows, &rgba);
        let pic = state.snap.with(|s| paint::saliency_sheet(&s.j, &img));
        legend.set(pic.legend.clone());
        put_rgba(sheet, pic.cols, pic.rows, &pic.rgba);
    });
    let readout = text(move || {
        let (i, j) = cursor.get();
        let Some(img) = image() else { return String::new() };
        let v = state.at.with(|x| x.get(img.column(i, j)).copied().unwrap_or(f64::NAN));
        format!("{}[{i}, {j}] = {}", img.name, format_full(v))
    });
    let presets = (0..examples::PRESETS.len())
        .map(|k| view! { <option value=k.to_string()>{format!("a {k}")}</option> })
        .collect_view();
    let top = move || state.snap.with(|s| paint::top(&s.f));
    // Output k's name and score, short under the pad and in full in its tooltip.
    let score = move |k: usize, show: fn(f64) -> String| {
        text(move || {
            state.snap.with(|s| match (s.outputs.get(k), s.f.get(k)) {
                (Some(o), Some(&v)) => format!("{o} {}", show(v)),
                _ => String::new(),
            })
        })
    };
    let scores = (0..MAPS_MAX)
        .map(|k| {
            view! {
                <span data-testid=format!("score-{k}") class:best=flag(move || top() == Some(k))
                    hidden=flag(move || state.snap.with(|s| k >= s.outputs.len()))
                    title=score(k, format_full)>
                    {score(k, format_short)}
                </span>
            }
        })
        .collect_view();
    view! {
        <div class="paint" data-testid="paint-panel" hidden=flag(move || !shown())>
            <div class="heatpic paintpic">
                <canvas node_ref=canvas tabindex="0" data-testid="paint-pad" role="img"
                    aria-label="The image: drag to paint; arrow keys move the cursor, Space paints, Delete erases"
                    on:pointerdown=on_pointer on:pointermove=on_pointer on:pointerup=on_pointer
                    on:pointercancel=on_pointer on:keydown=on_key></canvas>
                // Placed through the CSSOM, and only with an image: the CSP refuses style
                // attributes in the prerendered markup.
                <div class="heat-mark" aria-hidden="true"
                    style:left=move || shown().then(|| format!("{}%", heat::centre_percent(cursor.get().1, dims().1)))
                    style:top=move || shown().then(|| format!("{}%", heat::centre_percent(cursor.get().0, dims().0)))></div>
            </div>
            <p class="heat-readout" data-testid="paint-readout" aria-live="polite">{readout}</p>
            <p class="muted" data-testid="paint-weights" hidden=flag(move || !image().is_some_and(|i| i.weights))>
                "Weights: blue < 0 < red, up to their largest |entry|. Painting sets an entry to 1, erasing to 0."</p>
            <div class="buttons">
                <button type="button" data-testid="paint-erase" aria-pressed=text(move || erase.get().to_string())
                    on:click=move |_| erase.update(|e| *e = !*e)>"Erase"</button>
                <button type="button" data-testid="paint-clear" on:click=move |_| {
                    let (rows, cols) = dims();
                    set_all(vec![0.0; rows * cols]);
                }>"Clear"</button>
                <select data-testid="paint-preset" aria-label="Preset image" hidden=flag(move || image().is_some_and(|i| i.weights)) on:change=move |ev| {
                    if let Ok(k) = event_target_value(&ev).parse::<usize>() {
                        let (rows, cols) = dims();
                        set_all(examples::preset(k, rows, cols));
                    }
                }>
                    <option value="" selected>"Preset digit…"</option>
                    {presets}
                </select>
            </div>
            <div class="scores">{scores}</div>
            <canvas node_ref=sheet class="sheet" data-testid="saliency" role="img"
                aria-label="Each output's row of J as an image, in the order of the scores above"></canvas>
            <p class="muted legend">{text(move || format!("∂output / ∂pixel: {}", legend.get()))}</p>
        </div>
    }
}
