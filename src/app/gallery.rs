use super::{flag, text, State};
use crate::examples::EXAMPLES;
use leptos::prelude::*;

/// Picks a worked example; its note says what to look at. Once the function is edited the
/// menu shows "Your function" and the note says which example it was edited from (an edit
/// back to the example's text shows the example again).
#[component]
pub fn Gallery() -> impl IntoView {
    let state = expect_context::<State>();
    let on_change = move |ev: leptos::ev::Event| {
        let id = event_target_value(&ev);
        if let Some(ex) = EXAMPLES.iter().find(|e| e.id == id) {
            state.load(ex);
        }
    };
    view! {
        <div class="gallery">
            <label for="gallery" class="label">"Worked examples"</label>
            <select id="gallery" data-testid="gallery" on:change=on_change>
                {EXAMPLES.iter().map(|e| view! {
                    <option value=e.id prop:selected=flag(move || state.source.with(|s| s == e.source))>{e.title}</option>
                }).collect_view()}
                // Last, so a page without the app's state (the prerendered copy) shows the first example.
                <option value="" hidden prop:selected=flag(move || state.source.with(|s| EXAMPLES.iter().all(|e| s != e.source)))>"Your function"</option>
            </select>
            <p class="note" data-testid="note">{text(move || state.note.with(|note| {
                let from = EXAMPLES.iter().find(|e| e.note == note && state.source.with(|s| s != e.source));
                from.map_or_else(|| note.clone(), |e| format!("Edited from “{}”.", e.title))
            }))}</p>
        </div>
    }
}
