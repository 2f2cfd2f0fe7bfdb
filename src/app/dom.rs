//! Helpers every component uses: reactive text and flags through one concrete type each,
//! the clipboard, canvases, and where the page is shown.

use super::State;
use crate::view;
use leptos::prelude::*;

/// Copies `value` with the Clipboard API where the page may use it; otherwise (or if the
/// browser refuses) `select` selects the text for Ctrl+C and says so in `status`.
pub fn copy_text(value: String, select: Box<dyn Fn()>, status: RwSignal<String>) {
    let fallback = move || {
        select();
        status.set("Selected: press Ctrl+C (⌘C) to copy.".into());
    };
    let Some(clipboard) = web_sys::window().map(|w| w.navigator().clipboard()) else { return fallback() };
    if clipboard.is_undefined() {
        return fallback();
    }
    let promise = clipboard.write_text(&value);
    leptos::task::spawn_local(async move {
        match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(_) => status.set("Copied.".into()),
            Err(_) => fallback(),
        }
    });
}

/// The 2-D drawing context of a canvas, if the browser gives one.
pub fn context_2d(el: &web_sys::HtmlCanvasElement) -> Option<web_sys::CanvasRenderingContext2d> {
    use wasm_bindgen::JsCast;
    el.get_context("2d").ok().flatten()?.dyn_into().ok()
}

/// Says why a side view is empty when the function is too large for it to follow the point.
pub fn too_large(state: State, part: view::budget::Part) -> impl IntoView {
    let why = text(move || state.tape.with(|t| part.too_large(t)).unwrap_or_default());
    view! { <p class="muted too-large" data-testid="too-large" hidden=flag(move || why.with(String::is_empty))>{why}</p> }
}

/// Reactive text through one concrete type. Each `move ||` closure rendered directly gets
/// its own copy of the render and effect code; a derived `Signal<String>` shares one
/// (ARCHITECTURE.md gives the size this saves).
pub fn text<T: Into<String>>(f: impl Fn() -> T + Send + Sync + 'static) -> Signal<String> {
    Signal::derive(move || f().into())
}

/// A reactive flag (`hidden`, `class:x`, `prop:selected`) through one concrete type, for
/// the same reason as `text`.
pub fn flag(f: impl Fn() -> bool + Send + Sync + 'static) -> Signal<bool> {
    Signal::derive(f)
}

/// The compare function for memos whose value is new on nearly every recomputation (J, the
/// side panels, a pass's state): the derived `PartialEq` over every field would be
/// compiled into the page per type and would almost never find them equal.
pub fn always_changed<T>(_: Option<&T>, _: Option<&T>) -> bool {
    true
}

/// Inside another page's frame? (Comparing `top` with `self` is allowed cross-origin.)
pub fn framed() -> bool {
    web_sys::window().is_some_and(|w| match w.top() {
        Ok(Some(top)) => !js_sys::Object::is(top.as_ref(), w.as_ref()),
        _ => false,
    })
}
