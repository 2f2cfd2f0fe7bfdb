use super::{flag, text, State};
use crate::view::{self, format_entry, PassKind};
use leptos::prelude::*;

/// Step through one forward pass (a column of J) or one reverse pass (a row): the graph
/// with the current node lit, and a table of every node's value and tangent / adjoint.
#[component]
pub fn PassView() -> impl IntoView {
    let state = expect_context::<State>();
    // Graph and rows follow the tape alone: these closures re-run only when it changes.
    let graph = move || state.tape.with(view::graph_layout);
    let playing = RwSignal::new(false);
    let timer: StoredValue<Option<IntervalHandle>> = StoredValue::new(None);
    let stop = move || {
        if let Some(h) = timer.get_value() {
            h.clear();
        }
        timer.set_value(None);
        playing.set(false);
    };
    let pass = state.pass;
    // The rows shown: rebuilt only when the window moves (long tapes) or the tape changes.
    // A row is a node, or in a network one tensor operation (`view::pass_state`).
    let window = Memo::new(move |_| pass.with(|p| (p.window.start, p.window.end)));
    let rows = move || {
        window.track();
        state.tape.track();
        pass.with_untracked(|p| p.rows.iter().map(|r| (r.node, r.name.clone(), r.op.clone())).collect::<Vec<_>>())
    };
    // Play steps every 0.4 s until the pass ends; any other control stops it.
    let play = move || {
        if playing.get_untracked() {
            stop();
            return;
        }
        if pass.with_untracked(|p| p.taken == p.steps) {
            state.pass_step.set(0);
        }
        playing.set(true);
        let h = set_interval_with_handle(
            move || {
                let (taken, steps) = pass.with_untracked(|p| (p.taken, p.steps));
                if taken < steps {
                    state.pass_step.set(taken + 1);
                }
                if taken + 1 >= steps {
                    stop();
                }
            },
            std::time::Duration::from_millis(400),
        );
        timer.set_value(h.ok());
    };
    let set_kind = move |k: PassKind| {
        stop();
        state.pass_kind.set(k);
        state.pass_dir.set(0);
        state.pass_step.set(0);
    };
    let step = move |delta: i64| {
        let max = pass.with(|p| p.steps) as i64;
        state.pass_step.update(|s| *s = (*s as i64 + delta).clamp(0, max) as usize);
    };
    let on_key = move |ev: web_sys::KeyboardEvent| match ev.key().as_str() {
        "ArrowRight" => {
            step(1);
            ev.prevent_default();
        }
        "ArrowLeft" => {
            step(-1);
            ev.prevent_default();
        }
        _ => {}
    };
    let dir_options = move || {
        let kind = state.pass_kind.get();
        let names =
            state.tape.with(|t| if kind == PassKind::Forward { t.inputs.clone() } else { t.output_names.clone() });
        let sel = state.pass_dir.get();
        crate::view::menu_choices(names.len(), sel)
            .into_iter()
            .map(|k| view! { <option value=k.to_string() selected=k == sel>{names[k].clone()}</option> })
            .collect_view()
    };
    view! {
        <h2>"Watch a pass"</h2>
        <div class="pass-controls" on:keydown=on_key>
            <div role="radiogroup" aria-label="pass direction" class="seg">
                <button data-testid="pass-forward" aria-pressed=text(move || (state.pass_kind.get() == PassKind::Forward).to_string())
                    on:click=move |_| set_kind(PassKind::Forward)>"Forward (a column)"</button>
                <button data-testid="pass-reverse" aria-pressed=text(move || (state.pass_kind.get() == PassKind::Reverse).to_string())
                    on:click=move |_| set_kind(PassKind::Reverse)>"Reverse (a row)"</button>
            </div>
            <label>
                {text(move || if state.pass_kind.get() == PassKind::Forward { " input " } else { " output " })}
                <select data-testid="pass-dir" on:change=move |ev| {
                    if let Ok(k) = event_target_value(&ev).parse::<usize>() {
                        state.pass_dir.set(k);
                        state.pass_step.set(0);
                    }
                }>{dir_options}</select>
            </label>
            <button data-testid="play" aria-pressed=move || playing.get().to_string() on:click=move |_| play()>
                {text(move || if playing.get() { "Pause" } else { "Play" })}</button>
            <button data-testid="step-back" on:click=move |_| step(-1) aria-label="step back" disabled=flag(move || pass.with(|p| p.taken == 0))>"◀"</button>
            <button data-testid="step" on:click=move |_| step(1) aria-label="step" disabled=flag(move || pass.with(|p| p.taken >= p.steps))>"Step ▶"</button>
            <button data-testid="step-all" on:click=move |_| step(i64::MAX / 2) disabled=flag(move || pass.with(|p| p.taken >= p.steps))>"Run to end"</button>
            <button data-testid="step-reset" on:click=move |_| { stop(); state.pass_step.set(0) }>"Reset"</button>
            <span data-testid="step-count" class="muted">{text(move || pass.with(|p| format!("step {} of {}", p.taken, p.steps)))}</span>
        </div>
        <p class="muted" data-testid="pass-explain">{text(move || pass.with(|p| p.explain.clone()))}</p>
        <p class="pass-last" data-testid="pass-last">{text(move || pass.with(|p| p.last.clone()))}</p>
        {move || graph().map(|g| {
            // Drawn graphs are small (≤ MAX_DRAWN_NODES), so their trace rows are all there.
            let lit = move |id: usize| pass.with(|p| p.rows.get(id).is_some_and(|r| r.current));
            let live = move |id: usize| pass.with(|p| p.rows.get(id).is_some_and(|r| r.deriv.is_some_and(|d| d != 0.0)));
            let pos = |id: usize| g.nodes.iter().find(|n| n.id == id).map(|n| (n.x, n.y)).unwrap_or((0.0, 0.0));
            let edges = g.edges.iter().map(|&(a, b)| {
                let ((x1, y1), (x2, y2)) = (pos(a), pos(b));
                view! { <line class="edge" x1=x1 + 34.0 y1=y1 x2=x2 - 34.0 y2=y2/> }
            }).collect_view();
            let nodes = g.nodes.iter().map(|n| {
                let id = n.id;
                view! {
                    <g class="gnode" class:current=flag(move || lit(id)) class:live=flag(move || !lit(id) && live(id)) data-testid=format!("gnode-{id}")>
                        <rect x=n.x - 34.0 y=n.y - 18.0 width="68" height="36" rx="6"/>
                        <text x=n.x y=n.y - 3.0 text-anchor="middle">{n.name.clone()}</text>
                        <text x=n.x y=n.y + 12.0 text-anchor="middle" class="op">{n.op.clone()}</text>
                    </g>
                }
            }).collect_view();
            view! {
                <div class="graph-wrap">
                    <svg class="graph" data-testid="graph" role="img" aria-label="computation graph of the tape"
                        viewBox=format!("0 0 {} {}", g.width, g.height) width=g.width height=g.height>
                        {edges}{nodes}
                    </svg>
                </div>
            }
        })}
        <table class="matrix trace" data-testid="trace">
            <caption>{text(move || if state.pass_kind.get() == PassKind::Forward { "Tape, with each node's tangent ẋ" } else { "Tape, with each node's adjoint x̄" })}</caption>
            <thead><tr><th scope="col">"node"</th><th scope="col">"operation"</th><th scope="col">"value"</th>
                <th scope="col">{text(move || if state.pass_kind.get() == PassKind::Forward { "tangent" } else { "adjoint" })}</th></tr></thead>
            <tbody>
                // Rows follow the tape; only their numbers change as the point moves.
                {move || rows().into_iter().map(|(k, name, op)| {
                    let row = move |f: fn(&view::TraceRow) -> String| pass.with(|p| p.rows.get(k.wrapping_sub(p.window.start)).map(f).unwrap_or_default());
                    view! {
                        <tr class:current=flag(move || pass.with(|p| p.rows.get(k.wrapping_sub(p.window.start)).is_some_and(|r| r.current))) data-testid=format!("trace-{k}")>
                            <th scope="row">{name}</th>
                            <td class="op-cell">{op}</td>
                            <td>{text(move || row(|r| format_entry(r.value)))}</td>
                            <td data-testid=format!("deriv-{k}")>
                                <span class="strip" prop:style=text(move || row(|r| r.strip.clone()))/>
                                {text(move || row(|r| r.deriv.map(format_entry).unwrap_or_else(|| "·".into())))}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <p class="muted" data-testid="trace-window">{text(move || {
            let (a, b) = window.get();
            // Only a node-by-node pass of a long tape fills the window (a network's rows are
            // its few operations).
            let n = state.tape.with(|t| t.len());
            if b - a == view::MAX_TRACE_ROWS { format!("Showing nodes {}–{} of {} around the current step.", a, b - 1, n) } else { String::new() }
        })}</p>
        <p data-testid="pass-result">{text(move || pass.with(|p| match &p.result {
            Some(v) => {
                let what = if state.pass_kind.get() == PassKind::Forward { "column" } else { "row" };
                format!("Done: this {what} of J is ({}).", view::entries(v, format_entry))
            }
            None => "Step through the pass to fill in J.".to_string(),
        }))}</p>
    }
}
