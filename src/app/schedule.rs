//! When each part of the page is computed: the side panels and the pass view follow the
//! point in tasks of their own (once per frame while dragging), and the screen reader
//! hears the result once things are still.

use super::dom::always_changed;
use super::State;
use crate::core::Workspace;
use crate::view;
use leptos::prelude::*;

pub fn panels_memo(state: State) -> Memo<Option<view::Panels>> {
    Memo::new_with_compare(
        move |prev: Option<&Option<view::Panels>>| {
            let (inputs, outputs) = (state.axes.get(), state.lin_outputs.get());
            let view::PanelMenus { fd_step, neighbourhood } = state.menus.get();
            let now = state.tape.with(|t| {
                state.panels_at.with(|x| {
                    if x.len() != t.n() {
                        return None;
                    }
                    let range = |k: usize| state.range(&t.inputs[k.min(t.n() - 1)]);
                    let radius =
                        view::neighbourhood_radius(neighbourhood.fraction(), [range(inputs.0), range(inputs.1)]);
                    let choices = view::PanelChoices { fd_step, inputs, outputs, radius };
                    // J's own view has the exact J at this point already (unless the
                    // panels lag behind a drag): it is not computed again. Else the same
                    // strategy computes it, so the cost table's errors share one reference.
                    let mut ws = Workspace::default();
                    let shown =
                        state.snap.with_untracked(|s| (s.at == *x).then(|| view::panels(t, x, &s.j, choices, &mut ws)));
                    Some(shown.unwrap_or_else(|| {
                        let j = crate::core::jacobian(t, x, crate::core::choose(t).0, &mut ws).j;
                        view::panels(t, x, &j, choices, &mut ws)
                    }))
                })
            });
            // While the function and the point disagree for a moment, keep the last picture.
            now.or_else(|| prev.cloned().flatten())
        },
        always_changed,
    )
}

pub fn pass_memo(state: State) -> Memo<view::PassState> {
    Memo::new_with_compare(
        move |_| {
            let (kind, dir, taken) = (state.pass_kind.get(), state.pass_dir.get(), state.pass_step.get());
            // At `pass_and_field_at`, in a task after an edit's own and the panels', and once per frame
            // while dragging. Until it catches up with a new function, at `at`.
            state.tape.with(|t| {
                state.pass_and_field_at.with(|x| {
                    if x.len() == t.n() {
                        view::pass_state(t, x, kind, dir, taken)
                    } else {
                        state.at.with_untracked(|x| view::pass_state(t, x, kind, dir, taken))
                    }
                })
            })
        },
        always_changed,
    )
}

/// What a screen reader hears after the point or function changes: the point and J, once
/// things have been still for 0.6 s (never per pointer move).
pub fn announcements(state: State) -> RwSignal<String> {
    let said = RwSignal::new(String::new());
    let generation = StoredValue::new(0usize);
    Effect::new(move |_| {
        state.panels_at.track();
        if state.dragging.get() {
            return;
        }
        generation.update_value(|g| *g += 1);
        let gen = generation.get_value();
        set_timeout(
            move || {
                if generation.get_value() == gen {
                    said.set(state.snap.with_untracked(view::announce));
                }
            },
            std::time::Duration::from_millis(600),
        );
    });
    said
}

/// Copies `at` into `panels_at` in a task of its own, or, while dragging, at most once per
/// animation frame; the first copy waits for the first paint, and the side views are shown
/// in the task before it. (A coarser rhythm would not help: the side panels are not what
/// a move waits on.)
pub fn follow_per_frame(
    at: Memo<Vec<f64>>,
    panels_at: RwSignal<Vec<f64>>,
    dragging: RwSignal<bool>,
    side_shown: RwSignal<bool>,
) {
    let pending = StoredValue::new(false);
    let first = StoredValue::new(true);
    Effect::new(move |_| {
        at.track();
        if first.get_value() {
            // The first time, after the first paint: J shows before the side panels.
            first.set_value(false);
            request_animation_frame(move || {
                set_timeout(move || side_shown.set(true), std::time::Duration::ZERO);
                set_timeout(move || panels_at.set(at.get_untracked()), std::time::Duration::ZERO);
            });
            return;
        }
        if !dragging.get() {
            // A task of its own: an edit's compile and the side panels never share one.
            set_timeout(move || panels_at.set(at.get_untracked()), std::time::Duration::ZERO);
            return;
        }
        if !pending.get_value() {
            pending.set_value(true);
            request_animation_frame(move || {
                pending.set_value(false);
                panels_at.set(at.get_untracked());
            });
        }
    });
}

/// Copies `panels_at` into `pass_and_field_at` in the next task, or at once while dragging
/// (a frame's views then update together).
pub fn follow_next_task(
    panels_at: RwSignal<Vec<f64>>,
    pass_and_field_at: RwSignal<Vec<f64>>,
    dragging: RwSignal<bool>,
) {
    Effect::new(move |_| {
        panels_at.track();
        if dragging.get_untracked() {
            pass_and_field_at.set(panels_at.get_untracked());
        } else {
            set_timeout(move || pass_and_field_at.set(panels_at.get_untracked()), std::time::Duration::ZERO);
        }
    });
}
