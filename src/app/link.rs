use super::{NamedPoint, State};
use crate::share::{self, LinkState};
use crate::view;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

/// The user's own last function and point, as a readable query string.
const WORK_KEY: &str = "jacobian-playground.work";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn saved_work() -> Option<LinkState> {
    let q = storage()?.get_item(WORK_KEY).ok()??;
    let link = share::parse_query(&q);
    link.source.is_some().then_some(link)
}

/// Sets the function and point from a parsed link (or saved work).
fn apply(state: &State, link: &LinkState) {
    if let Some(src) = &link.source {
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
}

/// What the page opened with: a link's problems, and whether the user's own saved work
/// was set aside for the link (the "back to your function" offer).
pub struct Opened {
    pub problems: Vec<String>,
    pub own_work_aside: bool,
}

/// Applies `?f=…&at=…` from the page's URL; without one, brings back the user's own last
/// function from localStorage. A link never overwrites saved work: while the link's
/// function is unchanged nothing is saved over it.
pub fn open(state: &State, link_source: StoredValue<Option<String>>) -> Opened {
    let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    let link = share::parse_query(&search);
    let saved = saved_work();
    if link.source.is_some() || link.at.is_some() {
        state.note.set("Opened from a link.".into());
        apply(state, &link);
        link_source.set_value(link.source.clone());
        let aside = matches!((&saved, &link.source), (Some(s), Some(l)) if s.source.as_ref() != Some(l));
        Opened { problems: link.problems, own_work_aside: aside }
    } else {
        if let Some(saved) = saved {
            state.note.set("Your last function, as you left it.".into());
            apply(state, &saved);
        }
        Opened { problems: link.problems, own_work_aside: false }
    }
}

/// Keeps the address bar and localStorage in step with the page, at most once per 250 ms
/// (browsers throttle faster history writers). A changed function that compiles gets a new
/// history entry (pushState); moving the point replaces the current one. Back and Forward
/// bring the function and point of that entry back.
pub fn mirror(state: State, link_source: StoredValue<Option<String>>) {
    let pending = StoredValue::new(false);
    let last_source = StoredValue::new(state.source.get_untracked());
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
                let source = state.source.get_untracked();
                let query = state.at.with_untracked(|x| share::to_query(&source, x));
                let Some(window) = web_sys::window() else { return };
                let url = format!("{}?{query}", window.location().pathname().unwrap_or_default());
                let compiles = state.errors.with_untracked(Vec::is_empty);
                if let Ok(history) = window.history() {
                    if compiles && last_source.with_value(|s| *s != source) {
                        let _ = history.push_state_with_url(&JsValue::NULL, "", Some(&url));
                        last_source.set_value(source.clone());
                    } else {
                        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
                    }
                }
                let from_link_unchanged = link_source.with_value(|l| l.as_ref() == Some(&source));
                if !from_link_unchanged {
                    link_source.set_value(None);
                    if let Some(s) = storage() {
                        let _ = s.set_item(WORK_KEY, &query);
                    }
                }
            },
            std::time::Duration::from_millis(250),
        );
    });
    let on_pop = Closure::<dyn Fn()>::new(move || {
        let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
        let link = share::parse_query(&search);
        if let Some(src) = &link.source {
            last_source.set_value(src.clone());
        }
        apply(&state, &link);
    });
    if let Some(w) = web_sys::window() {
        let _ = w.add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
    }
    on_pop.forget();
}

/// What the link got wrong, said plainly, and the way back to the user's own function.
#[component]
pub fn LinkBanner(opened: Opened, link_source: StoredValue<Option<String>>) -> impl IntoView {
    let state = expect_context::<State>();
    let aside = RwSignal::new(opened.own_work_aside);
    let back = move |_| {
        if let Some(saved) = saved_work() {
            link_source.set_value(None);
            apply(&state, &saved);
            state.note.set("Your function, as you left it.".into());
        }
        aside.set(false);
    };
    let problems = (!opened.problems.is_empty()).then(|| view! {
        <div class="link-problems" data-testid="link-problems" role="alert">
            {opened.problems.into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
        </div>
    });
    view! {
        {problems}
        <div class="link-aside" data-testid="own-work" hidden=move || !aside.get()>
            "This page opened a shared link. Your own function is saved: "
            <button data-testid="back-to-own" on:click=back>"Back to your function"</button>
        </div>
    }
}
