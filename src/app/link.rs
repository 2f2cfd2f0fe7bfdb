use super::{flag, text, NamedPoint, State};
use crate::share::{self, LinkState, ViewChoices};
use crate::view::{field::FieldKind, PassKind};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

/// The user's own last function, point and view, as a readable query string. (public/pre.js
/// reads the same key: saved work means no prerendered first screen.)
const WORK_KEY: &str = "jacobian-playground.work";

/// A readable query longer than this is written to the address bar as the compact fragment
/// (`#s=`, which the browser never sends to the server) instead: stock static servers
/// refuse request lines over 8 KB (nginx answers 414), so a reload of a long program would
/// fail. Hand-typed links are far shorter and stay readable.
const READABLE_QUERY_MAX: usize = 4096;

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// Where saved work that could not be read back is kept (the latest such copy), so a
/// damaged value is never dropped without a trace.
const DAMAGED_KEY: &str = "jacobian-playground.work.damaged";

/// The saved query, whole or damaged.
fn saved_query() -> Option<String> {
    storage()?.get_item(WORK_KEY).ok()?
}

/// Saves `query` as the user's work; false if the browser refused (storage full or
/// blocked).
fn save(query: &str) -> bool {
    storage().is_some_and(|s| s.set_item(WORK_KEY, query).is_ok())
}

/// The saved work (as stored, and read), if it holds a function. Where it does not read
/// back whole, a copy is kept under `DAMAGED_KEY` and `problems` says so; what can be read
/// of it is still returned.
fn saved_work_checked(problems: &mut Vec<String>) -> Option<(String, LinkState)> {
    let q = saved_query()?;
    let link = super::gallery::resolved(share::parse_query(&q));
    if link.source.is_none() || !link.problems.is_empty() {
        let kept = storage().is_some_and(|s| s.set_item(DAMAGED_KEY, &q).is_ok());
        let copy = if kept {
            format!("; a copy is kept in this browser's storage under '{DAMAGED_KEY}'")
        } else {
            String::new()
        };
        problems.push(format!("Your saved work could not be read back whole{copy}."));
    }
    link.source.is_some().then_some((q, link))
}

/// The page's view as link parameters (reading the signals, so an effect tracks them).
pub fn current_view(state: &State) -> ViewChoices {
    let (n, m) = state.tape.with(|t| (t.n(), t.m()));
    let field = state.field_kind.get();
    let menus = state.menus.get();
    ViewChoices {
        axes: Some(state.axes.get()),
        views: Some(state.views.get()),
        reverse: Some(state.pass_kind.get() == PassKind::Reverse),
        dir: Some(state.pass_dir.get()),
        step: Some(state.pass_step.get()),
        h: Some(menus.fd_step),
        field: (field != FieldKind::default_for(n, m)).then(|| field.key()),
        outputs: Some(state.lin_outputs.get()),
        radius: Some(menus.neighbourhood),
        example: state.source.with(|s| super::gallery::is_digits(s)).then(|| crate::examples::DIGITS.id.into()),
        params: Some(state.tape.with(|t| state.at.with(|x| crate::view::signature_values(t, x).1))),
        wrt: Some(state.wrt.get()),
        batch: Some(state.batch.get()),
        newton: Some(state.newton.get()),
        entries: Some(state.params.with(|p| p.iter().filter(|(n, _)| n.contains('[')).cloned().collect())),
    }
}

#[wasm_bindgen]
extern "C" {
    /// The browser's own raw deflate, defined by public/boot.js (a global rather than a
    /// wasm-bindgen snippet module, which would add a step to the page's load waterfall).
    /// See `share::to_fragment` for why not the crate's compressor.
    #[wasm_bindgen(catch, js_name = jpDeflateRaw)]
    fn deflate_raw(bytes: &[u8]) -> Result<js_sys::Promise, JsValue>;
    /// Its raw inflate, stopping at `limit` bytes of output (see `with_location_link`).
    #[wasm_bindgen(catch, js_name = jpInflateRaw)]
    fn inflate_raw(bytes: &[u8], limit: u32) -> Result<js_sys::Promise, JsValue>;
}

/// The page's address as it is now (untracked): its base and readable form, and what the
/// compact form is made of (compressed only when asked for: the "open in the full
/// playground" link needs just the readable one).
pub struct Addresses {
    pub base: String,
    pub readable: String,
    source: String,
    at: Vec<f64>,
    view: ViewChoices,
}

pub fn addresses(state: &State) -> Addresses {
    let view = untrack(|| current_view(state));
    let source = state.source.get_untracked();
    // The inputs' values, whichever names are J's columns.
    let at = state.tape.with_untracked(|t| state.at.with_untracked(|x| crate::view::signature_values(t, x).0));
    let query = share::to_query(&source, &at, &view);
    let base = web_sys::window()
        .map(|w| {
            format!("{}{}", w.location().origin().unwrap_or_default(), w.location().pathname().unwrap_or_default())
        })
        .unwrap_or_default();
    Addresses { readable: format!("{base}?{query}"), base, source, at, view }
}

impl Addresses {
    /// Compresses in the background, then calls `then` with the compact fragment (without
    /// `#`; None where the browser has no CompressionStream).
    pub fn with_fragment(self, then: Box<dyn FnOnce(Option<String>)>) {
        let payload = share::fragment_payload(&self.source, &self.at, &self.view);
        match deflate_raw(payload.as_bytes()) {
            Ok(promise) => super::dom::on_promise(
                promise,
                Box::new(move |bytes| then(bytes.map(|b| share::pack(&js_sys::Uint8Array::new(&b).to_vec())))),
            ),
            Err(_) => then(None),
        }
    }
}

/// Sets the function, point and view from a parsed link (or saved work). Returns what in
/// the link does not fit the function, said plainly.
fn apply(state: &State, link: &LinkState) -> Vec<String> {
    let mut problems = Vec::new();
    let (names, n, m) = match &link.source {
        Some(src) => {
            // Read by the inputs first: the link's point is the inputs' values.
            state.wrt.set(0);
            state.params.set(Vec::new());
            state.source.set(src.clone());
            state.compiled_shape().unwrap_or((Vec::new(), usize::MAX, usize::MAX))
        }
        None => state.tape.with_untracked(|t| (t.inputs.clone(), t.n(), t.m())),
    };
    if let Some(at) = &link.at {
        // Named by the link's function where it compiles, else by position.
        let p: NamedPoint = at
            .iter()
            .enumerate()
            .map(|(j, v)| (names.get(j).cloned().unwrap_or_else(|| format!("#{j}")), *v))
            .collect();
        if link.source.is_some() {
            state.home.set(p.clone());
            state.ranges.set(Vec::new());
        }
        state.point.set(p);
        if n != usize::MAX {
            problems.extend(crate::core::point::count_mismatch(at.len(), &names));
        }
    } else if link.source.is_some() {
        // A function without a point starts at its own defaults, not at the coordinates
        // the page held for another function (kept by position where names differ).
        state.home.set(Vec::new());
        state.ranges.set(Vec::new());
        state.point.set(Vec::new());
    }
    let v = &link.view;
    if let Some(p) = &v.params {
        let names = state.tape.with_untracked(crate::view::number_params);
        state.params.set(names.into_iter().zip(p.iter().copied()).collect());
    }
    if let Some(b) = &v.batch {
        state.batch.set(b.clone());
    }
    if let Some(y) = &v.newton {
        state.newton.set(y.clone());
    }
    // After `p`, which sets the number parameters afresh.
    if let Some(e) = &v.entries {
        state.set_params(e);
    }
    if let Some(w) = v.wrt.filter(|_| state.tape.with_untracked(|t| t.variables.iter().any(|v| v.param))) {
        state.wrt.set(w);
    }
    let mut fits = |ok: bool, what: &str| {
        if !ok {
            problems.push(format!(
                "The link's {what} does not fit this function ({n} inputs, {m} outputs), so it was ignored."
            ));
        }
        ok
    };
    if let Some((a, b)) = v.axes {
        if fits(a < n && b < n && a != b, "pad axes") {
            state.axes.set((a, b));
        }
    }
    if let Some((a, b)) = v.outputs {
        if fits(a < m && b < m, "choice of outputs") {
            state.lin_outputs.set((a, b));
        }
    }
    if let Some(r) = v.reverse {
        state.pass_kind.set(if r { PassKind::Reverse } else { PassKind::Forward });
    }
    if let Some(d) = v.dir {
        let limit = if v.reverse == Some(true) { m } else { n };
        if fits(d < limit, "pass direction") {
            state.pass_dir.set(d);
        }
    }
    if let Some(s) = v.step {
        state.pass_step.set(s);
    }
    if v.h.is_some() || v.radius.is_some() {
        state.menus.update(|m| {
            m.fd_step = v.h.unwrap_or(m.fd_step);
            m.neighbourhood = v.radius.unwrap_or(m.neighbourhood);
        });
    }
    if let Some(views) = v.views {
        state.views.set(views);
    }
    if let Some(key) = &v.field {
        match FieldKind::from_key(key) {
            Some(k) if fits(k.valid(n, m), "field") => state.field_kind.set(k),
            Some(_) => {}
            None => problems.push("The link's field is not one this page knows, so it was ignored.".into()),
        }
    } else if link.source.is_some() && n != usize::MAX {
        state.field_kind.set(FieldKind::default_for(n, m));
    }
    problems
}

/// What the page opened with: a link's problems, and the user's own saved work where the
/// link set it aside (the "back to your function" offer).
pub struct Opened {
    pub problems: Vec<String>,
    pub own_work_aside: Option<String>,
}

/// Reads the page's own address, then calls `then` with it. A compact part (`#s=`) is
/// inflated by the browser (`jpInflateRaw`, public/boot.js; the browser already has an
/// inflate, so the page need not carry one), so this is asynchronous; without one, `then` runs in
/// the same task. Mounting and Back/Forward share this one future (each distinct spawned
/// future is its own copy of the executor's code).
pub fn with_location_link(then: Box<dyn FnOnce(LinkState)>) {
    let loc = web_sys::window().map(|w| w.location());
    let search = loc.as_ref().and_then(|l| l.search().ok()).unwrap_or_default();
    let part = share::compact_part(&loc.and_then(|l| l.hash().ok()).unwrap_or_default());
    // wasm-bindgen's executor directly: this first runs before Leptos sets up its own.
    wasm_bindgen_futures::spawn_local(async move {
        let inflated = match part {
            Some(Ok(bytes)) => Some(inflate(&bytes).await),
            other => other,
        };
        let mut link = share::read_link(&search, inflated);
        // A link or saved work naming a gallery example whose program is a file: fetched
        // before either is applied, so both read back whole.
        let digits = link.view.example.as_deref().map(|id| id == crate::examples::DIGITS.id);
        if digits == Some(false) {
            if let Err(why) = super::gallery::fetched().await {
                link.problems.push(why);
            }
        }
        if digits == Some(true) || saved_query().is_some_and(|q| q.contains("example=")) {
            if let Err(why) = super::gallery::digits_source().await {
                link.problems.push(why);
            }
        }
        then(super::gallery::resolved(link));
    });
}

/// The browser's bounded raw inflate: null from JS means the output would pass the limit.
async fn inflate(bytes: &[u8]) -> Result<Vec<u8>, share::Unpack> {
    let promise = inflate_raw(bytes, share::MAX_QUERY as u32).map_err(|_| share::Unpack::Damaged)?;
    let out = wasm_bindgen_futures::JsFuture::from(promise).await.map_err(|_| share::Unpack::Damaged)?;
    if out.is_null() {
        return Err(share::Unpack::TooBig);
    }
    Ok(js_sys::Uint8Array::new(&out).to_vec())
}

/// Applies the page's link (`?f=…&at=…`, `#s=…`); without one, brings back the user's own
/// last function from localStorage. A link never overwrites saved work: while the link's
/// function is unchanged nothing is saved over it.
pub fn open(state: &State, link: &LinkState, link_source: StoredValue<Option<String>>) -> Opened {
    let mut problems = link.problems.clone();
    let saved = if state.embed { None } else { saved_work_checked(&mut problems) };
    if !link.is_empty() {
        state.note.set("Opened from a link.".into());
        // A link without a function (only a point or view choices) applies to the user's
        // own function, which then stays saved as it was until they change it.
        let own = saved.as_ref().map(|(_, s)| s).filter(|_| link.source.is_none());
        if let Some(own) = own {
            apply(state, own);
            problems.push("The link has no function, so it was applied to your own.".into());
        }
        problems.extend(apply(state, link));
        // An example's note only over its own program (a link may name it and carry
        // another function).
        if let Some(note) = link.source.as_deref().and_then(super::gallery::note_of) {
            state.note.set(note.into());
        }
        link_source.set_value(link.source.clone().or_else(|| own.and_then(|o| o.source.clone())));
        let aside = matches!((&saved, &link.source), (Some((_, s)), Some(l)) if s.source.as_ref() != Some(l));
        Opened { problems, own_work_aside: saved.filter(|_| aside).map(|(q, _)| q) }
    } else {
        if let Some((_, saved)) = saved {
            state.note.set("Your last function, as you left it.".into());
            apply(state, &saved);
        }
        Opened { problems, own_work_aside: None }
    }
}

/// The page's state with `source` as a query, read now (untracked).
fn query_of(state: &State, source: &str) -> String {
    let view = untrack(|| current_view(state));
    state.at.with_untracked(|x| share::to_query(source, x, &view))
}

/// The page's state as a query, read now: called before any link or saved work applies,
/// it is the untouched page's (which the prerendered first screen shows).
pub fn pristine_query(state: &State) -> String {
    query_of(state, &state.source.get_untracked())
}

/// Keeps the address bar and localStorage in step with the page, at most once per 250 ms
/// (browsers throttle faster history writers). A changed function that compiles gets a new
/// history entry (pushState); moving the point or changing the view replaces the current
/// one. Back and Forward bring that entry's state back. Embedded, the page only replaces
/// its own entry (a new one would add to the host page's Back button) and saves nothing.
/// The untouched page (`pristine`) keeps the plain address and has nothing saved, so a
/// reload or a return visit paints the prerendered first screen again.
pub fn mirror(state: State, link_source: StoredValue<Option<String>>, pristine: String, offer: Offer) {
    let pristine = StoredValue::new(pristine);
    let pending = StoredValue::new(false);
    let last_source = StoredValue::new(state.source.get_untracked());
    let written = StoredValue::new(0u64);
    let last_saved = StoredValue::new(saved_query());
    Effect::new(move |_| {
        state.source.track();
        state.panels_at.track();
        // Read only to subscribe: the write below reads the view as it is then.
        let _ = current_view(&state);
        if pending.get_value() {
            return;
        }
        pending.set_value(true);
        set_timeout(
            move || {
                pending.set_value(false);
                let source = state.source.get_untracked();
                // A source over the compiler's limit is neither linked nor saved: the address
                // and the saved work keep the last function that could be read back.
                if source.len() > crate::core::parser::MAX_SOURCE {
                    return;
                }
                let query = query_of(&state, &source);
                let Some(window) = web_sys::window() else { return };
                let embed = if state.embed { "embed=1&" } else { "" };
                let untouched = !state.embed && pristine.with_value(|p| *p == query);
                let path = window.location().pathname().unwrap_or_default();
                let url = if untouched { path.clone() } else { format!("{path}?{embed}{query}") };
                let compiles = state.compiled.with_untracked(Result::is_ok);
                let push = compiles && !state.embed && last_source.with_value(|s| *s != source);
                if push {
                    last_source.set_value(source.clone());
                }
                let generation = written.get_value() + 1;
                written.set_value(generation);
                if untouched || query.len() <= READABLE_QUERY_MAX {
                    write_address(&url, push);
                } else {
                    // Compressing is asynchronous: a later write wins over this one.
                    let compact = addresses(&state);
                    let embed = if state.embed { "?embed=1" } else { "" };
                    compact.with_fragment(Box::new(move |fragment| {
                        let url = match fragment {
                            Some(fragment) => format!("{path}{embed}#s={fragment}"),
                            None => url,
                        };
                        if written.get_value() == generation {
                            write_address(&url, push);
                        }
                    }));
                }
                let from_link_unchanged = link_source.with_value(|l| l.as_ref() == Some(&source));
                if !from_link_unchanged && !state.embed {
                    link_source.set_value(None);
                    let saved = if untouched {
                        storage().is_some_and(|s| s.remove_item(WORK_KEY).is_ok())
                    } else {
                        save(&query)
                    };
                    if saved {
                        last_saved.set_value((!untouched).then_some(query));
                    } else {
                        state.note.set("This browser refused to save your work (its storage is full or blocked): copy the link to keep it.".into());
                    }
                }
            },
            std::time::Duration::from_millis(250),
        );
    });
    let on_pop = Closure::<dyn Fn()>::new(move || {
        with_location_link(Box::new(move |link| {
            // The plain address is the untouched page.
            let link =
                Some(link).filter(|l| !l.is_empty()).unwrap_or_else(|| pristine.with_value(|p| share::parse_query(p)));
            if let Some(src) = &link.source {
                last_source.set_value(src.clone());
            }
            apply(&state, &link);
        }));
    });
    // Another tab of this page saved its work over this one's: the banner offers it (this
    // tab's own stays in the page and is saved again at its next change).
    let on_storage = Closure::<dyn Fn()>::new(move || {
        let now = saved_query();
        if now.is_some() && now != last_saved.get_value() && !state.embed {
            last_saved.set_value(now.clone());
            offer.from_tab.set(true);
            offer.query.set(now.unwrap_or_default());
        }
    });
    if let Some(w) = web_sys::window() {
        let _ = w.add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
        let _ = w.add_event_listener_with_callback("storage", on_storage.as_ref().unchecked_ref());
    }
    on_pop.forget();
    on_storage.forget();
}

/// Work the banner offers to return to: the user's own, set aside for a link, or what
/// another tab saved (`from_tab`). Empty `query`: no offer.
#[derive(Clone, Copy)]
pub struct Offer {
    pub query: RwSignal<String>,
    pub from_tab: RwSignal<bool>,
}

/// A new history entry for a new function (`push`), else the current one replaced.
fn write_address(url: &str, push: bool) {
    let Some(history) = web_sys::window().and_then(|w| w.history().ok()) else { return };
    let _ = if push {
        history.push_state_with_url(&JsValue::NULL, "", Some(url))
    } else {
        history.replace_state_with_url(&JsValue::NULL, "", Some(url))
    };
}

/// What the link got wrong, said plainly, and the way back to other work (`Offer`).
#[component]
pub fn LinkBanner(opened: Opened, link_source: StoredValue<Option<String>>, offer: Offer) -> impl IntoView {
    let state = expect_context::<State>();
    if let Some(own) = opened.own_work_aside {
        offer.query.set(own);
    }
    let from_tab = offer.from_tab;
    let back = move |_| {
        link_source.set_value(None);
        apply(&state, &super::gallery::resolved(share::parse_query(&offer.query.get_untracked())));
        state.note.set(
            if from_tab.get_untracked() { "The other tab's work." } else { "Your function, as you left it." }.into(),
        );
        offer.query.set(String::new());
    };
    let problems = (!opened.problems.is_empty()).then(|| {
        view! {
            <div class="link-problems" data-testid="link-problems" role="alert">
                {opened.problems.into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
            </div>
        }
    });
    view! {
        {problems}
        <div class="link-aside" data-testid="own-work" role="status" hidden=flag(move || offer.query.with(String::is_empty))>
            {text(move || if from_tab.get() { "Another tab saved different work; this tab's stays here: " } else { "This page opened a shared link. Your own function is saved: " })}
            <button data-testid="back-to-own" on:click=back>{text(move || if from_tab.get() { "Open the other tab's work" } else { "Back to your function" })}</button>
        </div>
    }
}
