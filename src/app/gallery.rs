use super::{State, text};
use crate::examples::EXAMPLES;
use leptos::prelude::*;

/// Picks a worked example; its note says what to look at.
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
                {EXAMPLES.iter().map(|e| view! { <option value=e.id>{e.title}</option> }).collect_view()}
            </select>
            <p class="note" data-testid="note">{text(move || state.note.get())}</p>
        </div>
    }
}
