use super::{NamedPoint, State};
use crate::share;
use crate::view;
use leptos::prelude::*;

/// Applies `?f=…&at=…` from the page's URL, if any; returns what was wrong with the link.
pub fn apply_location(state: &State) -> Vec<String> {
    let Some(search) = web_sys::window().and_then(|w| w.location().search().ok()) else { return Vec::new() };
    let link = share::parse_query(&search);
    if let Some(src) = &link.source {
        state.note.set("Opened from a link.".into());
        state.source.set(src.clone());
        let names = view::compile(src).map(|t| t.inputs).unwrap_or_default();
        if let Some(at) = &link.at {
            // Named by the link's function where it compiles, else by position.
            let p: NamedPoint = at.iter().enumerate().map(|(j, v)| (names.get(j).cloned().unwrap_or_else(|| format!("#{j}")), *v)).collect();
            state.home.set(p.clone());
            state.point.set(p);
        }
    } else if let Some(at) = &link.at {
        let names = state.tape.with_untracked(|t| t.inputs.clone());
        state.point.set(names.into_iter().zip(at.iter().copied()).collect());
    }
    link.problems
}

/// Keeps the readable link in the address bar, with replaceState: no history entry per
/// move, and at most one write per 250 ms (browsers throttle faster writers, and a write
/// costs more than a Jacobian).
pub fn mirror_to_location(state: State) {
    let pending = StoredValue::new(false);
    Effect::new(move |_| {
        state.source.track();
        state.slow_at.track();
        if pending.get_value() {
            return;
        }
        pending.set_value(true);
        set_timeout(
            move || {
                pending.set_value(false);
                let query = state.source.with_untracked(|s| state.at.with_untracked(|x| share::to_query(s, x)));
                let Some(window) = web_sys::window() else { return };
                let path = window.location().pathname().unwrap_or_default();
                if let Ok(history) = window.history() {
                    let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&format!("{path}?{query}")));
                }
            },
            std::time::Duration::from_millis(250),
        );
    });
}

/// What the link got wrong, said plainly; the page works regardless.
#[component]
pub fn LinkProblems(problems: Vec<String>) -> impl IntoView {
    (!problems.is_empty()).then(|| view! {
        <div class="link-problems" data-testid="link-problems" role="alert">
            {problems.into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
        </div>
    })
}
