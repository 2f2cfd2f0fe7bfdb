use super::worker::{send, ECHO};
use super::{flag, text};
use crate::core::compile::Wrt;
use crate::core::parser::MAX_SOURCE;
use crate::view::editor::Compiled;
use crate::view::export::{export_request, EXPLICIT};
use crate::view::{self, ErrorView};
use leptos::prelude::*;

/// The source box, its error list, and the fully parenthesised echo. Each error shows the
/// offending line with the exact characters marked; all text goes in as text nodes.
#[component]
pub fn Editor(source: RwSignal<String>, compiled: Memo<Result<Compiled, Vec<ErrorView>>>) -> impl IntoView {
    let show_parsed = RwSignal::new(false);
    // The echo is written by the worker (it prints the syntax tree), asked while shown.
    let echo = RwSignal::new(String::new());
    Effect::new(move |_| {
        if show_parsed.get() {
            let request = source.with(|s| export_request(EXPLICIT, Wrt::Inputs, s, &[]));
            send(ECHO, echo, request);
        }
    });
    let refused = RwSignal::new(String::new());
    view! {
        <label for="source" class="label">"f(x) — one binding per line, then the signature"</label>
        <textarea
            id="source"
            data-testid="source"
            class="source"
            spellcheck="false"
            autocomplete="off"
            rows="6"
            prop:value=text(move || source.get())
            on:input=move |ev| {
                refused.set(String::new());
                source.set(event_target_value(&ev));
            }
            on:paste=move |ev| paste_large(&ev, source, refused)
        ></textarea>
        <p class="paste-note" data-testid="paste-note" role="status" hidden=flag(move || refused.with(String::is_empty))>{text(move || refused.get())}</p>
        <div class="errors" data-testid="errors" role="status" aria-live="polite">
            {move || {
                let src = source.get();
                let errors = compiled.with(|c| c.as_ref().err().map(|e| e.iter().take(5).cloned().collect::<Vec<_>>()));
                errors.unwrap_or_default().into_iter().map(|e| error_item(&src, e)).collect_view()
            }}
        </div>
        <label class="toggle">
            <input type="checkbox" data-testid="show-parsed" prop:checked=flag(move || show_parsed.get())
                on:change=move |ev| show_parsed.set(event_target_checked(&ev))/>
            " Show how it was read (every parenthesis explicit)"
        </label>
        <pre class="parsed" data-testid="parsed" hidden=flag(move || !show_parsed.get())>
            {text(move || echo.get())}
        </pre>
    }
}

/// Pastes of more than this many bytes skip the browser's editing path and compile after the
/// frame that lays them out.
const LARGE_PASTE: usize = 4096;

/// A paste the compiler could not read (over `MAX_SOURCE`) is refused with a note and the
/// editor keeps the user's function: laying out such a line alone would hold the page.
/// Other large pastes are put in place directly, which spares the browser's editing
/// machinery (slow on long random text); such a paste is then not a step of its own
/// in the textarea's undo history. Small pastes keep the browser's behaviour.
fn paste_large(ev: &web_sys::ClipboardEvent, source: RwSignal<String>, refused: RwSignal<String>) {
    let Some(text) = ev.clipboard_data().and_then(|d| d.get_data("text/plain").ok()) else { return };
    let Some(area) = event_target_area(ev) else { return };
    if text.len() <= LARGE_PASTE {
        return;
    }
    ev.prevent_default();
    let (start, end) =
        (area.selection_start().ok().flatten().unwrap_or(0), area.selection_end().ok().flatten().unwrap_or(0));
    let kept = area.text_length().saturating_sub(end.saturating_sub(start)) as usize;
    if text.len() + kept > MAX_SOURCE {
        refused.set(format!(
            "Not pasted: the result would be {} bytes long, and the playground reads programs up to {MAX_SOURCE} bytes (128 KiB). Your function is unchanged.",
            text.len() + kept
        ));
        return;
    }
    refused.set(String::new());
    if area.set_range_text_with_start_and_end_and_mode(&text, start, end, "end").is_ok() {
        compile_after_frame(area, source);
    }
}

fn event_target_area(ev: &web_sys::Event) -> Option<web_sys::HtmlTextAreaElement> {
    use wasm_bindgen::JsCast;
    ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
}

/// A large paste is compiled after the frame that lays it out, so that frame and the
/// compile are two waits, not one, and the longest frame shortens. Read then: the editor's
/// text, whatever was typed since. (Typed input gains nothing from the same deferral.)
fn compile_after_frame(area: web_sys::HtmlTextAreaElement, source: RwSignal<String>) {
    request_animation_frame(move || set_timeout(move || source.set(area.value()), std::time::Duration::ZERO));
}

fn error_item(src: &str, e: ErrorView) -> impl IntoView {
    let (before, marked, after) = view::error_window(src, &e);
    view! {
        <div class="error" data-testid="error" data-line=e.line data-col=e.col>
            <div class="error-msg">{format!("{}:{}: {}", e.line, e.col, e.message)}</div>
            <pre class="error-line"><span>{before}</span><mark data-testid="error-mark">{marked}</mark><span>{after}</span></pre>
        </div>
    }
}
