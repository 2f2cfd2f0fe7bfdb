use super::NamedPoint;
use crate::view::{self, Snapshot};
use leptos::prelude::*;

/// One text field per input. A field that doesn't parse keeps the last good value.
#[component]
pub fn PointFields(snap: Memo<Snapshot>, point: RwSignal<NamedPoint>) -> impl IntoView {
    let inputs = Memo::new(move |_| snap.with(|s| s.inputs.clone()));
    view! {
        <h2>"Point"</h2>
        <div class="coords">
            {move || {
                inputs.get().into_iter().enumerate().map(|(j, name)| {
                    let label = name.clone();
                    let value = move || snap.with(|s| s.at.get(j).map(|v| view::format_full(*v)).unwrap_or_default());
                    let problem = RwSignal::new(String::new());
                    let id = format!("coord-{name}");
                    view! {
                        <label class="coord">
                            <span class="coord-name">{label}</span>
                            <input
                                type="text"
                                inputmode="decimal"
                                id=id.clone()
                                data-testid=id
                                prop:value=value
                                on:input=move |ev| match view::parse_coordinate(&event_target_value(&ev)) {
                                    Ok(v) => {
                                        problem.set(String::new());
                                        point.update(|p| set_coordinate(p, &name, v));
                                    }
                                    Err(msg) => problem.set(msg),
                                }
                            />
                            <span class="coord-problem" role="alert">{move || problem.get()}</span>
                        </label>
                    }
                }).collect_view()
            }}
        </div>
    }
}

fn set_coordinate(p: &mut NamedPoint, name: &str, v: f64) {
    match p.iter_mut().find(|(n, _)| n == name) {
        Some(entry) => entry.1 = v,
        None => p.push((name.to_string(), v)),
    }
}
