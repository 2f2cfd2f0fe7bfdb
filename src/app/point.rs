use super::{flag, text, State};
use crate::view;
use leptos::prelude::*;

/// A slider and a text field per input, for up to `view::FIELDS_MAX` inputs. Past that the
/// inputs collapse into a vector editor, so the page's DOM does not grow with n and a phone
/// shows a few lines: every value as one list (edit it or paste one, applied when the
/// field is left) and one entry's slider and field, the pad's horizontal input (its menu
/// picks any). A field that doesn't parse keeps the last value.
#[component]
pub fn PointFields() -> impl IntoView {
    let state = expect_context::<State>();
    let inputs = Memo::new(move |_| state.tape.with(|t| t.inputs.clone()));
    let shown = Memo::new(move |_| view::fields_window(inputs.with(Vec::len), state.axes.get().0));
    let long = move || inputs.with(Vec::len) > view::FIELDS_MAX;
    let list_problem = RwSignal::new(String::new());
    // With parameters: a sentence on what is held fixed, then the names held fixed that
    // are numbers (each gets a slider); empty without parameters.
    let fixed = Memo::new(move |_| state.tape.with(view::columns_choice));
    let tensors = Memo::new(move |_| state.tape.with(view::fixed_tensors_text));
    let tensor_problem = RwSignal::new(String::new());
    view! {
        <div class="coords-list" data-testid="coords-window" hidden=flag(move || !long())>
            <label for="coords-all">"Every value (paste a list: commas, spaces or lines between them)"</label>
            <textarea id="coords-all" class="source" data-testid="coords-all" rows="3" spellcheck="false"
                // A new point replaces the text, and so the message about the text it had.
                prop:value=text(move || {
                    list_problem.set(String::new());
                    if long() { state.at.with(|x| view::format_list(x)) } else { String::new() }
                })
                on:change=move |ev| match view::parse_list(&event_target_value(&ev), inputs.with_untracked(Vec::len), "inputs") {
                    Ok(x) => {
                        list_problem.set(String::new());
                        // Entry by entry, so each slider's range follows a value pasted off it.
                        for (name, v) in inputs.get_untracked().iter().zip(x) {
                            state.set_coordinate_within(name, v, 0.1);
                        }
                    }
                    Err(msg) => list_problem.set(msg),
                }></textarea>
            <span class="coord-problem" role="alert">{text(move || list_problem.get())}</span>
            <p class="muted">"Below: one entry, the pad's horizontal input (pick it above the pad)."</p>
        </div>
        <div class="coords">
            {move || {
                let (start, end) = shown.get();
                inputs.get().into_iter().enumerate().skip(start).take(end - start).map(|(j, name)| {
                    coordinate(state, j.to_string(), name)
                }).collect_view()
            }}
        </div>
        <div class="params" hidden=flag(move || fixed.with(Vec::is_empty))>
            <label class="field-picker">"J by "
                <select data-testid="wrt"
                    prop:value=text(move || state.wrt.get().to_string())
                    on:change=move |ev| {
                        if let Ok(k) = event_target_value(&ev).parse::<u8>() {
                            state.axes.set((0, 1));
                            state.pass_dir.set(0);
                            state.pass_step.set(0);
                            state.wrt.set(k);
                        }
                    }>
                    <option value="0">"the inputs"</option>
                    <option value="1">"the parameters"</option>
                    <option value="2">"both"</option>
                </select>
            </label>
            <p class="muted">{text(move || fixed.with(|f| f.first().cloned().unwrap_or_default()))}</p>
            <div class="coords">
                {move || fixed.get().into_iter().skip(1).map(|name| coordinate(state, format!("fixed-{name}"), name)).collect_view()}
            </div>
            // The vectors and matrices held fixed: each its values as one list, row by row.
            <div class="coords-list" hidden=flag(move || tensors.with(String::is_empty))>
                <label for="fixed-lists">"Vectors and matrices held fixed, one a line, row by row"</label>
                <textarea id="fixed-lists" class="source" data-testid="fixed-lists" rows="2" spellcheck="false"
                    prop:value=tensors
                    on:change=move |ev| match state.tape.with_untracked(|t| view::parse_fixed_tensors(&event_target_value(&ev), t)) {
                        Ok(entries) => {
                            tensor_problem.set(String::new());
                            state.set_params(&entries);
                        }
                        Err(msg) => tensor_problem.set(msg),
                    }></textarea>
                <span class="coord-problem" role="alert">{text(move || tensor_problem.get())}</span>
            </div>
        </div>
    }
}

/// One value's slider and text field. `id` makes the field's HTML id (an entry such as
/// `W[0, 1]` is none). A name held fixed (a parameter's slider) also gets a field for its
/// slider's range: it is on no pad to zoom.
fn coordinate(state: State, id: String, name: String) -> impl IntoView {
    let (n4, n5, n6, n7, n8, n9) = (name.clone(), name.clone(), name.clone(), name.clone(), name.clone(), name.clone());
    let range_field = id.starts_with("fixed-").then(|| {
        view! {
            <input class="range-edit" data-testid=format!("range-{n7}") aria-label=format!("{n7} slider's range: low … high, and step s")
                prop:value=text(move || {
                    let (lo, hi) = state.range(&n7);
                    let step = state.step(&n7).map(|s| format!(" step {}", view::format_short(s))).unwrap_or_default();
                    format!("{} … {}{step}", view::format_short(lo), view::format_short(hi))
                })
                on:change=move |ev| if let Some((lo, hi, step)) = view::parse_range(&event_target_value(&ev)) {
                    state.set_range(&n8, (lo, hi));
                    state.steps.update(|s| {
                        s.retain(|(n, _)| *n != n8);
                        s.extend(step.map(|v| (n8.clone(), v)));
                    });
                }/>
        }
    });
    let problem = RwSignal::new(String::new());
    let id = format!("coord-{id}");
    let (n1, n2, n3) = (name.clone(), name.clone(), name.clone());
    let range = move || state.range(&n1);
    view! {
        <div class="coord">
            <label class="coord-name" for=id.clone()>{name.clone()}</label>
            <input type="range" min="0" step="1" max=text(move || view::slider_positions(state.range(&n9), state.step(&n9)).to_string())
                data-testid=format!("slider-{name}")
                aria-label=format!("{name} slider")
                // Heard as the coordinate, not the slider's 0-1000 position.
                aria-valuetext=text(move || format!("{n3} = {}", view::format_entry(state.value(&n4))))
                prop:value=text(move || {
                    let positions = view::slider_positions(range(), state.step(&n5));
                    (view::to_unit(state.value(&n5), range()) * positions).round().to_string()
                })
                on:input=move |ev| {
                    if let Ok(u) = event_target_value(&ev).parse::<u32>() {
                        state.set_coordinate(&n2, view::slider_value(f64::from(u), state.range(&n2), state.step(&n2)));
                    }
                }
            />
            <input
                type="text"
                inputmode="decimal"
                id=id
                data-testid=format!("coord-{name}")
                prop:value=text(move || view::format_full(state.value(&n6)))
                on:input=move |ev| match view::parse_coordinate(&event_target_value(&ev)) {
                    Ok(v) => {
                        problem.set(String::new());
                        state.set_coordinate_within(&name, v, 0.1);
                    }
                    Err(msg) => problem.set(msg),
                }
            />
            {range_field}
            <span class="coord-problem" role="alert">{text(move || problem.get())}</span>
        </div>
    }
}
