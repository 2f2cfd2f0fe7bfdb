//! The app's state: the signals every component shares through context, and the memos
//! derived from them (compile, the point, J, the side panels, the pass).

use super::dom::always_changed;
use super::schedule;
use crate::core::compile::Wrt;
use crate::core::{Tape, Workspace};
use crate::examples::{Example, CLASSIC};
use crate::view::editor::Compiled;
use crate::view::field::FieldKind;
use crate::view::{self, ErrorView, Snapshot};
use leptos::prelude::*;

/// The point as named coordinates, so editing the function keeps values by input name.
pub type NamedPoint = Vec<(String, f64)>;

/// App-wide state, shared with components through context.
#[derive(Clone, Copy)]
pub struct State {
    pub source: RwSignal<String>,
    /// The inputs' values by entry name.
    pub point: RwSignal<NamedPoint>,
    /// The parameters' values the user set, by entry name (the others keep their
    /// defaults).
    pub params: RwSignal<NamedPoint>,
    /// J's columns: `Wrt::nth(wrt)` (the inputs, the parameters, or both).
    pub wrt: RwSignal<u8>,
    /// Slider steps set by the user, by name (a slider without one has 1000 positions).
    pub steps: RwSignal<NamedPoint>,
    /// The Batch view's points, as typed (one a line).
    pub batch: RwSignal<String>,
    /// Newton's method's target y* as typed (empty: not run). The digits check's request
    /// carries it, so the worker answers both for the same point.
    pub newton: RwSignal<String>,
    /// Where Home returns to and what slider ranges are centred on.
    pub home: RwSignal<NamedPoint>,
    /// The pad's (and the sliders') range per input, where it was zoomed or has followed
    /// the point: its low and its high end (the point's own type: no new signal type in
    /// the page). Other inputs' ranges come from `home`.
    pub ranges: RwSignal<NamedPoint>,
    /// The two inputs the pad shows (indices into the inputs).
    pub axes: RwSignal<(usize, usize)>,
    pub note: RwSignal<String>,
    /// The pass being stepped through: direction, which input/output, steps taken.
    pub pass_kind: RwSignal<view::PassKind>,
    pub pass_dir: RwSignal<usize>,
    pub pass_step: RwSignal<usize>,
    /// True while the pad is being dragged.
    pub dragging: RwSignal<bool>,
    /// What the pad's background shows.
    pub field_kind: RwSignal<FieldKind>,
    /// The two outputs the linearisation view plots, and its radius as a fraction of the
    /// input range.
    pub lin_outputs: RwSignal<(usize, usize)>,
    /// The finite-difference heat maps' step and the linearisation's neighbourhood.
    pub menus: RwSignal<view::PanelMenus>,
    /// Which side views are open (`share::View::bit`).
    pub views: RwSignal<u8>,
    /// False until the first paint: the side views stay hidden (unlaid-out) until then, so
    /// the first frame lays out the function, the point and J only.
    pub side_shown: RwSignal<bool>,
    /// Embedded in another page (`embed=1`, or framed): compact, saves nothing.
    pub embed: bool,
    /// The source compiled, or its errors: the echo and the export print its syntax tree.
    pub compiled: Memo<Result<Compiled, Vec<ErrorView>>>,
    /// The last function that compiled (a broken edit never blanks the results).
    pub tape: Memo<Tape>,
    pub at: Memo<Vec<f64>>,
    /// `at`, but while dragging it follows once per animation frame: the heavy panels
    /// (finite differences, cost, second order, linearisation) read this, so a pointer
    /// move only pays for the Jacobian, the pad and the pass view.
    pub panels_at: RwSignal<Vec<f64>>,
    /// `panels_at` one task later (the same frame while dragging): the pass view and the
    /// field follow it, so for a big function no one task computes every view.
    pub pass_and_field_at: RwSignal<Vec<f64>>,
    pub snap: Memo<Snapshot>,
    /// The panels beside J (finite differences, second order, linearisation, cost) at
    /// `panels_at`; None only before the first point.
    pub panels: Memo<Option<view::Panels>>,
    /// The pass being stepped through, at `pass_and_field_at`: the pass view shows it, and J shows
    /// the entries it has filled while it is under way.
    pub pass: Memo<view::PassState>,
}

impl State {
    /// Every signal at its default and every memo wired up; `load` then sets a function
    /// and its point.
    pub fn new(embed: bool) -> State {
        let source = RwSignal::new(String::new());
        let point: RwSignal<NamedPoint> = RwSignal::new(Vec::new());
        let params: RwSignal<NamedPoint> = RwSignal::new(Vec::new());
        let wrt = RwSignal::new(0u8);
        let home: RwSignal<NamedPoint> = RwSignal::new(Vec::new());
        // Compiled again when the values of the names that are not J's columns change:
        // they are constants of the tape.
        let compiled: Memo<Result<Compiled, Vec<ErrorView>>> = Memo::new_with_compare(
            move |_| {
                let w = Wrt::nth(wrt.get());
                let given = match w {
                    Wrt::Inputs => params.get(),
                    Wrt::Params => point.get(),
                    Wrt::All => Vec::new(),
                };
                source.with(|s| view::compile_given(s, w, &given))
            },
            always_changed,
        );
        // The last function that compiled: a broken edit never blanks the results.
        let tape: Memo<Tape> = Memo::new(move |prev: Option<&Tape>| {
            compiled.with(|c| match c {
                Ok(c) => c.tape.clone(),
                Err(_) => prev.cloned().unwrap_or_else(|| match view::compile(CLASSIC.source) {
                    Ok(c) => c.tape,
                    // Not `expect`: the error type's Debug is compiled out of the page.
                    Err(_) => unreachable!("the classic example compiles"),
                }),
            })
        });
        let at = Memo::new(move |_| tape.with(|t| point.with(|p| params.with(|q| point_for(t, p, q)))));
        // One workspace while the page lives: J's buffers are reused from move to move, and
        // what `auto` measured for a function is kept until the function changes.
        let workspace = StoredValue::new(Workspace::default());
        let snap: Memo<Snapshot> = Memo::new_with_compare(
            move |_| {
                tape.with(|t| {
                    at.with(|x| {
                        workspace
                            .try_update_value(|ws| view::snapshot(t, x, ws))
                            .unwrap_or_else(|| view::snapshot(t, x, &mut Workspace::default()))
                    })
                })
            },
            always_changed,
        );
        let dragging = RwSignal::new(false);
        let panels_at = RwSignal::new(Vec::new());
        let side_shown = RwSignal::new(false);
        schedule::follow_per_frame(at, panels_at, dragging, side_shown);
        let pass_and_field_at = RwSignal::new(Vec::new());
        schedule::follow_next_task(panels_at, pass_and_field_at, dragging);
        let state = State {
            source,
            point,
            params,
            wrt,
            batch: RwSignal::new(String::new()),
            newton: RwSignal::new(String::new()),
            steps: RwSignal::new(Vec::new()),
            home,
            ranges: RwSignal::new(Vec::new()),
            dragging,
            field_kind: RwSignal::new(FieldKind::Off),
            lin_outputs: RwSignal::new((0, 1)),
            menus: RwSignal::new(view::PanelMenus::default()),
            views: RwSignal::new(if embed { 0 } else { crate::share::ALL_VIEWS }),
            side_shown,
            embed,
            panels_at,
            pass_and_field_at,
            axes: RwSignal::new((0, 1)),
            note: RwSignal::new(String::new()),
            pass_kind: RwSignal::new(view::PassKind::Forward),
            pass_dir: RwSignal::new(0),
            pass_step: RwSignal::new(0),
            compiled,
            tape,
            at,
            snap,
            panels: Memo::new_with_compare(|_| None, always_changed),
            pass: Memo::new_with_compare(|_| view::PassState::default(), always_changed),
        };
        State { panels: schedule::panels_memo(state), pass: schedule::pass_memo(state), ..state }
    }

    pub fn load(&self, ex: &Example) {
        self.load_source(ex.source.to_string(), ex.at, ex.note);
    }

    /// Sets a function, its point (by input order) and the note that goes with it.
    pub fn load_source(&self, source: String, at: &[f64], note: &str) {
        self.wrt.set(0);
        self.params.set(Vec::new());
        self.source.set(source);
        let (names, n, m) = self.compiled_shape().unwrap_or_default();
        self.field_kind.set(FieldKind::default_for(n, m));
        let p: NamedPoint = names.into_iter().zip(at.iter().copied()).collect();
        self.home.set(p.clone());
        self.ranges.set(Vec::new());
        self.point.set(p);
        self.axes.set((0, 1));
        self.lin_outputs.set((0, 1));
        self.note.set(note.to_string());
        self.pass_dir.set(0);
        self.pass_step.set(0);
        // Newton's target is one number per output of the function it was typed for.
        self.newton.set(String::new());
    }

    /// The current source's input names, n and m, if it compiles (read from the compiled
    /// memo, so a function set just before is compiled once, not again here).
    pub fn compiled_shape(&self) -> Option<(Vec<String>, usize, usize)> {
        if self.compiled.with_untracked(Result::is_err) {
            return None;
        }
        Some(self.tape.with_untracked(|t| (t.inputs.clone(), t.n(), t.m())))
    }

    /// Reads the side panels without a memo per panel: each memo type costs wasm, and
    /// these all change together anyway.
    pub fn with_panels<R>(&self, f: impl FnOnce(Option<&view::Panels>) -> R) -> R {
        self.panels.with(|p| f(p.as_ref()))
    }

    /// Sets a coordinate; the view follows it off the pad (`view::follow`), or, for a
    /// typed one (`margin` 0.1), off the pad's middle.
    pub fn set_coordinate(&self, name: &str, v: f64) {
        self.set_coordinate_within(name, v, 0.0)
    }

    pub fn set_coordinate_within(&self, name: &str, v: f64, margin: f64) {
        let range = self.range_untracked(name);
        let followed = view::follow(range, v, margin);
        if followed != range {
            self.set_range(name, followed);
        }
        let values = if self.is_param(name) { self.params } else { self.point };
        values.update(|p| match p.iter_mut().find(|(n, _)| n == name) {
            Some(entry) => entry.1 = v,
            None => p.push((name.to_string(), v)),
        });
    }

    /// Sets parameters (or their entries) by name, the others kept.
    pub fn set_params(&self, entries: &[(String, f64)]) {
        self.params.update(|p| {
            for (name, value) in entries {
                match p.iter_mut().find(|(n, _)| n == name) {
                    Some(entry) => entry.1 = *value,
                    None => p.push((name.clone(), *value)),
                }
            }
        });
    }

    /// The step the user set for `name`'s slider.
    pub fn step(&self, name: &str) -> Option<f64> {
        self.steps.with(|s| s.iter().find(|(n, _)| n == name).map(|e| e.1))
    }

    /// Whether `entry` is an entry of a parameter.
    pub fn is_param(&self, entry: &str) -> bool {
        self.tape.with_untracked(|t| t.variables.iter().any(|v| v.param && view::is_entry_of(entry, &v.name)))
    }

    /// An entry's value: J's point for a column, else the value it was compiled with.
    pub fn value(&self, entry: &str) -> f64 {
        self.tape
            .with(|t| match t.inputs.iter().position(|n| n == entry) {
                Some(j) => self.at.with(|x| x.get(j).copied()),
                // Only the variable the entry belongs to is searched: a held weight matrix
                // has thousands of entries to name.
                None => t.variables.iter().filter(|v| !v.column && view::is_entry_of(entry, &v.name)).find_map(|v| {
                    (0..v.values.len())
                        .position(|e| crate::core::tensor::entry_name(&v.name, &v.dims, e) == entry)
                        .map(|e| v.values[e])
                }),
            })
            .unwrap_or(f64::NAN)
    }

    /// Slider / pad range of the input called `name`.
    pub fn range(&self, name: &str) -> (f64, f64) {
        self.ranges.track();
        self.home.track();
        self.range_untracked(name)
    }

    fn range_untracked(&self, name: &str) -> (f64, f64) {
        // Entries come in pairs: (name, low), (name, high).
        if let Some(r) = self.ranges.with_untracked(|r| r.chunks(2).find(|e| e[0].0 == name).map(|e| (e[0].1, e[1].1)))
        {
            return r;
        }
        let home = self.home.with_untracked(|h| h.iter().find(|(n, _)| n == name).map(|e| e.1));
        // A parameter's slider is centred on its value as written.
        let default = || {
            self.tape.with_untracked(|t| {
                t.variables.iter().find(|v| v.param && v.name == name).and_then(|v| v.values.first().copied())
            })
        };
        view::input_range(home.or_else(default).unwrap_or(1.0))
    }

    pub fn set_range(&self, name: &str, (lo, hi): (f64, f64)) {
        self.ranges.update(|r| {
            r.retain(|(n, _)| n != name);
            r.extend([(name.to_string(), lo), (name.to_string(), hi)]);
        });
    }
}

/// J's point: the columns' values by name (a parameter not set keeps its default); for a
/// function without parameters, an input renamed keeps its value by position.
pub fn point_for(tape: &Tape, point: &NamedPoint, params: &NamedPoint) -> Vec<f64> {
    if tape.variables.iter().any(|v| v.param) {
        return tape.point_from(&[point.as_slice(), params].concat());
    }
    let names: Vec<String> = point.iter().map(|(n, _)| n.clone()).collect();
    let vals: Vec<f64> = point.iter().map(|(_, v)| *v).collect();
    view::adapt_point(&names, &vals, &tape.inputs)
}
