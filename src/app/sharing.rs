//! The toolbar above the panels: which views are open, Share and Embed.

use super::{copy_text, link, text, State};
use crate::share::{self, View};
use leptos::prelude::*;

/// Is `view` closed, or not yet shown (before the first paint)? What its section's
/// `hidden` reads; the toolbar shows the choice itself.
pub fn view_closed(state: State, view: View) -> Signal<bool> {
    Signal::derive(move || !state.side_shown.get() || state.views.get() & view.bit() == 0)
}

#[component]
pub fn Toolbar() -> impl IntoView {
    let state = expect_context::<State>();
    // 0 closed, 1 share, 2 embed.
    let dialog = RwSignal::new(0u8);
    let toggle = move |d: u8| dialog.update(|o| *o = if *o == d { 0 } else { d });
    view! {
        <nav class="toolbar" aria-label="Views and sharing">
            <div class="seg views" role="group" aria-label="Views shown">
                {View::ALL.into_iter().map(|v| view! {
                    <button data-testid=format!("view-{}", v.key()) aria-pressed=text(move || (state.views.get() & v.bit() != 0).to_string())
                        on:click=move |_| state.views.update(|bits| *bits ^= v.bit())>{v.label()}</button>
                }).collect_view()}
            </div>
            <div class="seg">
                <button data-testid="share" aria-expanded=text(move || (dialog.get() == 1).to_string()) on:click=move |_| toggle(1)>"Share"</button>
                <button data-testid="embed" aria-expanded=text(move || (dialog.get() == 2).to_string()) on:click=move |_| toggle(2)>"Embed"</button>
            </div>
        </nav>
        {move || match dialog.get() {
            0 => None,
            mode => Some(view! { <ShareDialog embed=mode == 2 close=move || dialog.set(0)/> }),
        }}
    }
}

/// Share: the compact link (copied by the button) and the readable one. Embed: an
/// `<iframe>` snippet with a live preview. Both follow the page while open (once a drag
/// ends, not per move); the browser compresses the link meanwhile (readable where it
/// cannot), and only the newest compression is shown.
#[component]
fn ShareDialog(embed: bool, close: impl Fn() + 'static) -> impl IntoView {
    let state = expect_context::<State>();
    let url = RwSignal::new(String::new());
    let readable = RwSignal::new(String::new());
    let generation = StoredValue::new(0u32);
    Effect::new(move |_| {
        state.source.track();
        state.panels_at.track();
        // Read only to subscribe: the addresses read the view as it is now.
        let _ = link::current_view(&state);
        if state.dragging.get() {
            return;
        }
        let addr = link::addresses(&state);
        let (base, fallback) = (addr.base.clone(), addr.readable.clone());
        readable.set(fallback.clone());
        generation.update_value(|g| *g += 1);
        let gen = generation.get_value();
        addr.with_fragment(Box::new(move |fragment| {
            if generation.get_value() != gen {
                return;
            }
            url.set(match fragment {
                Some(frag) if embed => share::embed_url(&base, &frag),
                Some(frag) => format!("{base}#{frag}"),
                None if embed => share::embed_url(&fallback, ""),
                None => fallback,
            });
        }));
    });
    let ready = Memo::new(move |_| url.with(|u| !u.is_empty()));
    let width = RwSignal::new(720u32);
    let height = RwSignal::new(560u32);
    let title = RwSignal::new("Jacobian Playground".to_string());
    let status = RwSignal::new(String::new());
    let area = NodeRef::<leptos::html::Textarea>::new();
    let snippet = text(move || {
        url.with(|u| if embed { share::embed_snippet(u, width.get(), height.get(), &title.get()) } else { u.clone() })
    });
    let copy = move |_| {
        copy_text(
            snippet.get_untracked(),
            Box::new(move || {
                if let Some(el) = area.get_untracked() {
                    el.select();
                }
            }),
            status,
        )
    };
    let number = move |sig: RwSignal<u32>| {
        move |ev| {
            if let Ok(v) = event_target_value(&ev).parse::<u32>() {
                sig.set(v.clamp(240, 2000));
            }
        }
    };
    let (heading, label, testid) = if embed {
        ("Embed in a course page", "iframe snippet", "embed")
    } else {
        ("Share this view", "Link (function, point and views, compressed)", "share")
    };
    view! {
        <section class="dialog panel" role="dialog" aria-label=heading data-testid=format!("{testid}-dialog")>
            <h2>{heading}</h2>
            <div class="embed-size" hidden=!embed>
                <label>"Width " <input type="number" min="240" max="2000" data-testid="embed-width" value="720" on:change=number(width)/></label>
                <label>"Height " <input type="number" min="240" max="2000" data-testid="embed-height" value="560" on:change=number(height)/></label>
                <label>"Title " <input data-testid="embed-title" prop:value=title on:input=move |ev| title.set(event_target_value(&ev))/></label>
            </div>
            <label class="label" for="share-text">{label}</label>
            <textarea id="share-text" class="export-text source" data-testid=format!("{testid}-link") node_ref=area readonly rows=if embed { "4" } else { "2" }
                spellcheck="false" prop:value=snippet></textarea>
            <button data-testid=format!("{testid}-copy") on:click=copy>{if embed { "Copy snippet" } else { "Copy link" }}</button>
            <span class="muted" data-testid=format!("{testid}-status") role="status">{status}</span>
            <label class="label" for="share-readable" hidden=embed>"The same, readable (edit it by hand)"</label>
            <input id="share-readable" class="source" data-testid="share-readable" readonly prop:value=readable hidden=embed/>
            <button on:click=move |_| close()>"Close"</button>
            {embed.then(|| view! {
                <p class="muted">"Preview, as a course page would show it:"</p>
                // Made once the first link is ready; its src follows the link after that.
                {move || ready.get().then(|| view! {
                    <iframe class="embed-preview" data-testid="embed-preview" src=url title=text(move || title.get())
                        width=text(move || width.get().to_string()) height=text(move || height.get().to_string())></iframe>
                })}
            })}
        </section>
    }
}
