use super::{fetch_text, flag, text, State};
use crate::examples::{self, DIGITS, EXAMPLES};
use crate::share::LinkState;
use leptos::prelude::*;
use std::sync::OnceLock;

/// The remote example's program once fetched (the page fetches it at most once).
static DIGITS_SOURCE: OnceLock<String> = OnceLock::new();

/// Is `source` the fetched program of the digit classifier?
pub fn is_digits(source: &str) -> bool {
    DIGITS_SOURCE.get().is_some_and(|s| s == source)
}

/// The digit classifier's program: fetched the first time, then from memory.
pub async fn digits_source() -> Result<String, String> {
    if let Some(s) = DIGITS_SOURCE.get() {
        return Ok(s.clone());
    }
    let source =
        fetch_text(DIGITS.path).await.map_err(|why| format!("{why}: the example's file is not beside the page."))?;
    Ok(DIGITS_SOURCE.get_or_init(|| source).clone())
}

/// A link naming the digit classifier (`example=digits`) with its program, once fetched.
pub fn resolved(mut link: LinkState) -> LinkState {
    if link.source.is_none() && link.view.example.is_some() {
        link.source = DIGITS_SOURCE.get().cloned();
    }
    link
}

/// Loads the digit classifier on its preset image.
fn load_digits(state: State) {
    state.note.set(format!("Loading {}…", DIGITS.title));
    leptos::task::spawn_local(async move {
        match digits_source().await {
            Ok(source) => state.load_source(source, &examples::preset(DIGITS.preset, 8, 8), DIGITS.note),
            Err(why) => state.note.set(why),
        }
    });
}

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
        } else if id == DIGITS.id {
            load_digits(state);
        }
    };
    let known = move |s: &str| is_digits(s) || EXAMPLES.iter().any(|e| s == e.source);
    view! {
        <div class="gallery">
            <label for="gallery" class="label">"Worked examples"</label>
            <select id="gallery" data-testid="gallery" on:change=on_change>
                {EXAMPLES.iter().map(|e| view! {
                    <option value=e.id prop:selected=flag(move || state.source.with(|s| s == e.source))>{e.title}</option>
                }).collect_view()}
                <option value=DIGITS.id prop:selected=flag(move || state.source.with(|s| is_digits(s)))>{DIGITS.title}</option>
                // Last, so a page without the app's state (the prerendered copy) shows the first example.
                <option value="" hidden prop:selected=flag(move || state.source.with(|s| !known(s)))>"Your function"</option>
            </select>
            <p class="note" data-testid="note">{text(move || state.note.with(|note| {
                let edited = state.source.with(|s| !known(s));
                let from = EXAMPLES.iter().map(|e| (e.note, e.title)).chain([(DIGITS.note, DIGITS.title)]).find(|e| e.0 == note && edited);
                from.map_or_else(|| note.clone(), |e| format!("Edited from “{}”.", e.1))
            }))}</p>
        </div>
    }
}
