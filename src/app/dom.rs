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
    on_promise(
        clipboard.write_text(&value),
        Box::new(move |done| match done {
            Some(_) => status.set("Copied.".into()),
            None => fallback(),
        }),
    );
}

/// Calls `then` with what `promise` resolves to, or None where it rejects. One future for
/// every such wait: each distinct spawned future is its own copy of the executor's code.
pub fn on_promise(promise: js_sys::Promise, then: Box<dyn FnOnce(Option<wasm_bindgen::JsValue>)>) {
    leptos::task::spawn_local(async move { then(wasm_bindgen_futures::JsFuture::from(promise).await.ok()) });
}

/// A file beside the page, as text (a gallery example's program).
pub async fn fetch_text(path: &str) -> Result<String, String> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let failed = |_| format!("{path} could not be loaded");
    let window = web_sys::window().ok_or_else(|| failed(()))?;
    let resp: web_sys::Response = JsFuture::from(window.fetch_with_str(path))
        .await
        .map_err(|_| failed(()))?
        .dyn_into()
        .map_err(|_| failed(()))?;
    if !resp.ok() {
        return Err(format!("{path} could not be loaded (HTTP {})", resp.status()));
    }
    let body = JsFuture::from(resp.text().map_err(|_| failed(()))?).await.map_err(|_| failed(()))?;
    body.as_string().ok_or_else(|| failed(()))
}

/// The 2-D drawing context of a canvas, if the browser gives one.
pub fn context_2d(el: &web_sys::HtmlCanvasElement) -> Option<web_sys::CanvasRenderingContext2d> {
    use wasm_bindgen::JsCast;
    el.get_context("2d").ok().flatten()?.dyn_into().ok()
}

/// Draws an RGBA picture into a canvas of `w × h` pixels (CSS scales it up, pixelated).
pub fn put_rgba(canvas: NodeRef<leptos::html::Canvas>, w: usize, h: usize, rgba: &[u8]) {
    let Some(el) = canvas.get_untracked() else { return };
    if w == 0 || h == 0 {
        return;
    }
    el.set_width(w as u32);
    el.set_height(h as u32);
    let data = web_sys::ImageData::new_with_u8_clamped_array_and_sh(wasm_bindgen::Clamped(rgba), w as u32, h as u32);
    if let (Some(ctx), Ok(data)) = (context_2d(&el), data) {
        let _ = ctx.put_image_data(&data, 0.0, 0.0);
    }
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
