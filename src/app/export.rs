use super::{copy_text, text, State};
use crate::view::export::{csv, json, latex, python, shown_part, Exportable, Framework};
use leptos::prelude::*;

const FORMATS: [(&str, &str); 5] =
    [("pytorch", "PyTorch"), ("jax", "JAX"), ("latex", "LaTeX"), ("csv", "CSV"), ("json", "JSON")];

/// The most entries of J written out here (all of them, at every point).
const EXPORT_ENTRIES: usize = 40_000;

/// The function and J as PyTorch / JAX code, LaTeX, CSV or JSON, with a copy button. The
/// text is a textarea's value: never markup.
#[component]
pub fn ExportPanel() -> impl IntoView {
    let state = expect_context::<State>();
    let format = RwSignal::new(0usize);
    let status = RwSignal::new(String::new());
    let area = NodeRef::<leptos::html::Textarea>::new();
    // Rewritten in a task of its own after each change: writing out a 100 000-node program
    // must not lengthen the task that compiles it.
    let settled = RwSignal::new(0u32);
    Effect::new(move |_| {
        state.source.track();
        state.snap.track();
        set_timeout(move || settled.update(|n| *n += 1), std::time::Duration::ZERO);
    });
    // Nothing is written out while the Export view is closed (embed mode starts so).
    let closed = super::sharing::view_closed(state, crate::share::View::Export);
    // The whole text (Copy takes it); the box shows `shown_part` of it.
    let full = move || {
        let k = format.get();
        settled.track();
        if closed.get() {
            return String::new();
        }
        state.source.with_untracked(|src| {
            state.snap.with_untracked(|s| {
                let entries = s.inputs.len() * s.outputs.len();
                if entries > EXPORT_ENTRIES {
                    return format!("# J has {entries} entries, over the {EXPORT_ENTRIES} written here.\n# The command-line tool prints any J as JSON: jacobian --at x1,x2,... program.txt");
                }
                let variables = state.tape.with_untracked(|t| t.variables.clone());
                let e = Exportable { source: src, variables: &variables, inputs: &s.inputs, outputs: &s.outputs, at: &s.at, f: &s.f, j: &s.j };
                let py = |fw| state.compiled.with_untracked(|c| c.as_ref().ok().map(|c| python(&e, &c.program, fw)));
                let code = match k {
                    0 => py(Framework::PyTorch),
                    1 => py(Framework::Jax),
                    2 => Some(latex(&s.j)),
                    3 => Some(csv(&e)),
                    _ => Some(json(&e)),
                };
                code.unwrap_or_else(|| "# The function has an error; fix it to export code.".into())
            })
        })
    };
    let body = text(move || shown_part(full()));
    let copy = move |_| {
        copy_text(
            untrack(full),
            Box::new(move || {
                if let Some(el) = area.get_untracked() {
                    el.select();
                }
            }),
            status,
        )
    };
    view! {
        <h2>"Export"</h2>
        <div class="seg" role="group" aria-label="export format">
            {FORMATS.iter().enumerate().map(|(k, &(key, label))| view! {
                <button data-testid=format!("export-{key}") aria-pressed=text(move || (format.get() == k).to_string())
                    on:click=move |_| { format.set(k); status.set(String::new()) }>{label}</button>
            }).collect_view()}
        </div>
        <textarea class="export-text source" data-testid="export-text" node_ref=area readonly rows="12" spellcheck="false"
            aria-label="exported text" prop:value=body></textarea>
        <button data-testid="export-copy" on:click=copy>"Copy"</button>
        <span class="muted" data-testid="export-status" role="status">{status}</span>
    }
}
