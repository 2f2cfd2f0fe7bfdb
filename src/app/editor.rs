use crate::view::{self, ErrorView};
use leptos::prelude::*;
use super::text;

/// The source box, its error list, and the fully parenthesised echo. Each error shows the
/// offending line with the exact characters marked; all text goes in as text nodes.
#[component]
pub fn Editor(source: RwSignal<String>, errors: Memo<Vec<ErrorView>>) -> impl IntoView {
    let show_parsed = RwSignal::new(false);
    view! {
        <label for="source" class="label">"f(x) — one binding per line, then the signature"</label>
        <textarea
            id="source"
            data-testid="source"
            class="source"
            spellcheck="false"
            autocomplete="off"
            rows="6"
            prop:value=move || source.get()
            on:input=move |ev| source.set(event_target_value(&ev))
        ></textarea>
        <div class="errors" data-testid="errors" role="status" aria-live="polite">
            {move || {
                let src = source.get();
                errors.get().into_iter().take(5).map(|e| error_item(&src, e)).collect_view()
            }}
        </div>
        <label class="toggle">
            <input type="checkbox" data-testid="show-parsed" prop:checked=move || show_parsed.get()
                on:change=move |ev| show_parsed.set(event_target_checked(&ev))/>
            " Show how it was read (every parenthesis explicit)"
        </label>
        <pre class="parsed" data-testid="parsed" hidden=move || !show_parsed.get()>
            {text(move || if show_parsed.get() { view::explicit_form(&source.get()).unwrap_or_else(|| "(fix the error first)".into()) } else { String::new() })}
        </pre>
    }
}

fn error_item(src: &str, e: ErrorView) -> impl IntoView {
    let line_text: String = src.lines().nth(e.line.saturating_sub(1)).unwrap_or("").chars().take(200).collect();
    let chars: Vec<char> = line_text.chars().collect();
    let col = (e.col - 1).min(chars.len());
    let width = (e.end_char - e.start_char).max(1);
    let end = (col + width).min(chars.len());
    let before: String = chars[..col].iter().collect();
    let marked: String = if col < chars.len() { chars[col..end].iter().collect() } else { " ".into() };
    let after: String = chars[end..].iter().collect();
    view! {
        <div class="error" data-testid="error" data-line=e.line data-col=e.col>
            <div class="error-msg">{format!("{}:{}: {}", e.line, e.col, e.message)}</div>
            <pre class="error-line"><span>{before}</span><mark data-testid="error-mark">{marked}</mark><span>{after}</span></pre>
        </div>
    }
}
