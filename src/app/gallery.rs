use super::{fetch_text, flag, text, State};
use crate::examples::{self, Example, CLASSIC, DIGITS, GALLERY, GALLERY_PATH};
use crate::share::LinkState;
use leptos::prelude::*;
use std::sync::OnceLock;

const NOT_BESIDE: &str = ": the example's file is not beside the page.";

/// The remote example's program once fetched (the page fetches it at most once).
static DIGITS_SOURCE: OnceLock<String> = OnceLock::new();

/// The gallery's file once fetched and read (`examples::GALLERY_PATH`): the page carries
/// only the first example.
static FETCHED: OnceLock<Vec<Example>> = OnceLock::new();

/// The examples the page has: the first, and the gallery's once fetched.
fn loaded() -> impl Iterator<Item = &'static Example> {
    std::iter::once(&CLASSIC).chain(FETCHED.get().into_iter().flatten())
}

/// Loads the example `id`: the digit classifier's program, or the gallery's file, is
/// fetched the first time. One spawned future for every such load (each distinct one is
/// its own copy of the executor's code).
fn load_example(state: State, id: String) {
    if let Some(ex) = loaded().find(|e| e.id == id) {
        return state.load(ex);
    }
    let digits = id == DIGITS.id;
    let open_digits =
        move |source: String| state.load_source(source, &examples::preset(DIGITS.preset, 8, 8), DIGITS.note);
    if let (true, Some(source)) = (digits, DIGITS_SOURCE.get()) {
        return open_digits(source.clone());
    }
    state.note.set("Loading the example…".into());
    leptos::task::spawn_local(async move {
        let done = if digits {
            digits_source().await.map(open_digits)
        } else {
            fetched().await.map(|()| {
                if let Some(ex) = loaded().find(|e| e.id == id) {
                    state.load(ex);
                }
            })
        };
        if let Err(why) = done {
            state.note.set(why);
        }
    });
}

/// The gallery's examples, its file fetched the first time.
pub async fn fetched() -> Result<(), String> {
    if FETCHED.get().is_none() {
        let text = fetch_text(GALLERY_PATH).await.map_err(|why| why + NOT_BESIDE)?;
        let _ = FETCHED.set(examples::parse_gallery(&text));
    }
    Ok(())
}

/// The note of the example whose program `source` is.
pub fn note_of(source: &str) -> Option<&'static str> {
    if is_digits(source) {
        return Some(DIGITS.note);
    }
    loaded().find(|e| e.source == source).map(|e| e.note)
}

/// Is `source` the fetched program of the digit classifier?
pub fn is_digits(source: &str) -> bool {
    DIGITS_SOURCE.get().is_some_and(|s| s == source)
}

/// The digit classifier's program: fetched the first time, then from memory.
pub async fn digits_source() -> Result<String, String> {
    if let Some(s) = DIGITS_SOURCE.get() {
        return Ok(s.clone());
    }
    let source = fetch_text(DIGITS.path).await.map_err(|why| why + NOT_BESIDE)?;
    Ok(DIGITS_SOURCE.get_or_init(|| source).clone())
}

/// A link naming an example (`example=softmax`) with its program, once fetched, and its
/// point where the link gives none (the digit classifier's is its painted image).
pub fn resolved(mut link: LinkState) -> LinkState {
    match link.view.example.as_deref() {
        _ if link.source.is_some() => {}
        Some(id) if id == DIGITS.id => link.source = DIGITS_SOURCE.get().cloned(),
        Some(id) => {
            if let Some(ex) = loaded().find(|e| e.id == id) {
                link.source = Some(ex.source.into());
                link.at = link.at.or_else(|| Some(ex.at.to_vec()));
            }
        }
        None => {}
    }
    link
}

/// Picks a worked example; its note says what to look at. Once the function is edited the
/// menu shows "Your function" and the note says which example it was edited from (an edit
/// back to the example's text shows the example again).
#[component]
pub fn Gallery() -> impl IntoView {
    let state = expect_context::<State>();
    let on_change = move |ev: leptos::ev::Event| {
        let id = event_target_value(&ev);
        if !id.is_empty() {
            load_example(state, id);
        }
    };
    // (An example's program opened from a link shows as "Your function" until the gallery
    // has been fetched: the page does not carry the other examples' programs.)
    let known = move |s: &str| is_digits(s) || loaded().any(|e| s == e.source);
    view! {
        <div class="gallery">
            <label for="gallery" class="label">"Worked examples"</label>
            <select id="gallery" data-testid="gallery" on:change=on_change>
                {std::iter::once((CLASSIC.id, CLASSIC.title)).chain(GALLERY.iter().copied()).map(|(id, title)| view! {
                    <option value=id prop:selected=flag(move || state.source.with(|s| loaded().any(|e| e.id == id && s == e.source)))>{title}</option>
                }).collect_view()}
                <option value=DIGITS.id prop:selected=flag(move || state.source.with(|s| is_digits(s)))>{DIGITS.title}</option>
                // Last, so a page without the app's state (the prerendered copy) shows the first example.
                <option value="" hidden prop:selected=flag(move || state.source.with(|s| !known(s)))>"Your function"</option>
            </select>
            <p class="note" data-testid="note">{text(move || state.note.with(|note| {
                let edited = state.source.with(|s| !known(s));
                let from = loaded().map(|e| (e.note, e.title)).chain([(DIGITS.note, DIGITS.title)]).find(|e| e.0 == note && edited);
                from.map_or_else(|| note.clone(), |e| format!("Edited from “{}”.", e.1))
            }))}</p>
        </div>
    }
}
