use super::{flag, text};
use crate::view::format_full;
use crate::view::heat::{self, HeatImage, WINDOW};
use leptos::prelude::*;

/// Something of entry (i, j), read reactively. The matrix views live as long as the page,
/// so their closures are leaked once when the page is built: plain references are `Copy`
/// into every cell's closure, where leptos' arena-stored `Callback` costs wasm per type.
pub type Entry<T> = &'static (dyn Fn(usize, usize) -> T + Send + Sync);

/// Leaks a closure for the page's lifetime (see `Entry`).
pub fn leak<F: Send + Sync + 'static>(f: F) -> &'static F {
    Box::leak(Box::new(f))
}

/// `hover` while the pointer is not over the picture (a sentinel rather than an Option: the
/// page already has a `(usize, usize)` signal type).
const NO_HOVER: (usize, usize) = (usize::MAX, 0);

/// What a matrix view shows and how: the one table of J, H and the FD error maps.
#[derive(Clone, Copy)]
pub struct MatrixSpec {
    pub row_names: Memo<Vec<String>>,
    pub col_names: Memo<Vec<String>>,
    /// Entry (i, j): read out under the pointer and in the cells' tooltips.
    pub value: Entry<f64>,
    /// A cell's text (J shows "…" for an entry its pass has not reached).
    pub show: Entry<String>,
    /// A cell's classes.
    pub class: Entry<String>,
    /// A cell's tooltip, where it says more than the entry to full precision (J: what the
    /// digits check found).
    pub title: Option<Entry<String>>,
    /// The picture of the whole matrix, at most this many pixels along a side (more as
    /// the picture is zoomed), asked for only when it is big.
    pub image: &'static (dyn Fn(usize) -> HeatImage + Send + Sync),
    /// A column's header from its name (`∂/∂x`).
    pub col_header: fn(&str) -> String,
    /// An entry's name from its row's and column's names (`∂f/∂x`).
    pub entry_name: fn(&str, &str) -> String,
    /// Test hooks: `{testid}-{i}-{j}` on cells, `{testid}-picture` on the picture.
    pub testid: &'static str,
    /// The table's own hook and accessible name.
    pub table_testid: &'static str,
    pub label: &'static str,
    /// The header's corner cell.
    pub corner: &'static str,
}

/// A matrix as a table while a person can read it whole (up to `TABLE_MAX` rows and
/// columns); beyond that, one picture (a pixel per entry, stretched to the panel) with the
/// entry under the pointer or the keyboard cursor read out, and the table as a window of
/// WINDOW × WINDOW entries around the cursor: the text alternative. The DOM is the same size
/// for 13 columns as for 2 000, and the picture is drawn once per change.
pub fn matrix_view(spec: MatrixSpec, table_class: Signal<String>) -> impl IntoView {
    let MatrixSpec { row_names, col_names, value, show, class, title, col_header, testid, .. } = spec;
    let cursor = RwSignal::new((0usize, 0usize));
    let hover = RwSignal::new(NO_HOVER);
    let legend = RwSignal::new(String::new());
    let dims = move || (row_names.with(Vec::len), col_names.with(Vec::len));
    let big = Memo::new(move |_| {
        let (m, n) = dims();
        heat::is_big(m, n)
    });
    // A cursor past the matrix's end (after an edit shrank it) is read as its last entry.
    let at = Memo::new(move |_| {
        let (m, n) = dims();
        let (i, j) = cursor.get();
        (i.min(m.saturating_sub(1)), j.min(n.saturating_sub(1)))
    });
    // Where the table's window starts; the table is rebuilt only when it moves.
    let start = Memo::new(move |_| {
        let ((m, n), (i, j)) = (dims(), at.get());
        (heat::window(m, i, WINDOW).start, heat::window(n, j, WINDOW).start)
    });
    let table = move || {
        let (rs, cs) = ranges(big.get(), dims(), start.get());
        let header =
            cs.clone().map(|j| view! { <th scope="col">{col_header(&name(j, col_names))}</th> }).collect_view();
        let body = rs
            .map(|i| {
                let cells = cs
                    .clone()
                    .map(|j| {
                        // data-d labels the entry where narrow screens wrap a row (style/main.css).
                        view! {
                            <td data-testid=format!("{testid}-{i}-{j}") data-d=col_header(&name(j, col_names))
                                class=text(move || if big.get() && at.get() == (i, j) { format!("{} cursor", class(i, j)) } else { class(i, j) })
                                title=text(move || match title {
                                    Some(t) => t(i, j),
                                    None => format_full(value(i, j)),
                                })>
                                {text(move || show(i, j))}
                            </td>
                        }
                    })
                    .collect_view();
                view! { <tr><th scope="row">{name(i, row_names)}</th>{cells}</tr> }
            })
            .collect_view();
        view! {
            <thead><tr><th scope="col" style:width=head_width(row_names)>{spec.corner}</th>{header}</tr></thead>
            <tbody>{body}</tbody>
        }
    };
    view! {
        <div hidden=flag(move || !big.get())>{picture(spec, cursor, hover, legend, at, big)}</div>
        // Focusable: a table wider than its panel scrolls, and the keyboard must reach it.
        <div class="jscroll" tabindex="0">
            <table class=table_class data-testid=spec.table_testid aria-label=spec.label>{table}</table>
        </div>
    }
}

/// The row names' column, widened (up to 16 characters) where a name would not fit the
/// stylesheet's width whole: `softmax1` is not to be broken in two.
fn head_width(row_names: Memo<Vec<String>>) -> Option<String> {
    let longest = row_names.with(|r| r.iter().map(|n| n.chars().count()).max().unwrap_or(0));
    (longest > 7).then(|| format!("calc({}ch + 0.8rem)", longest.min(16) + 1))
}

fn picture(
    spec: MatrixSpec,
    cursor: RwSignal<(usize, usize)>,
    hover: RwSignal<(usize, usize)>,
    legend: RwSignal<String>,
    at: Memo<(usize, usize)>,
    big: Memo<bool>,
) -> impl IntoView {
    let MatrixSpec { row_names, col_names, value, image, entry_name, testid, label, .. } = spec;
    let dims = move || (row_names.with(Vec::len), col_names.with(Vec::len));
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let scroller = NodeRef::<leptos::html::Div>::new();
    // Zoomed 1, 2, 4, … times along the longer side, in a box that scrolls: a 10 × 784 J
    // is a thin strip at 1.
    let zoom = RwSignal::new(1usize);
    let zoomed = move || {
        let (m, n) = dims();
        heat::zoomed(zoom.get(), m, n)
    };
    // The picture is drawn in a task of its own after the frame that shows the rest: a
    // big matrix's pass over its entries would otherwise lengthen that frame. The effect
    // subscribes through one cheap read of an entry (the same source the picture reads).
    let draw = move || {
        let img = untrack(|| image(zoomed().2));
        legend.set(img.legend.clone());
        super::put_rgba(canvas, img.cols, img.rows, &img.rgba);
    };
    Effect::new(move |_| {
        // Small matrices are tables only: their picture is hidden and never drawn.
        if !big.get() {
            return;
        }
        let _ = (value(0, 0), dims(), zoom.get());
        set_timeout(draw, std::time::Duration::from_millis(0));
    });
    // A zoomed picture scrolls to keep the cursor's entry in view.
    Effect::new(move |_| {
        let ((i, j), (m, n), _) = (at.get(), dims(), zoom.get());
        if let Some(el) = scroller.get() {
            let to = |k, len, size: i32, view: i32, now: i32| {
                heat::scroll_to(heat::centre_percent(k, len), size as f64, view as f64, now as f64)
            };
            el.set_scroll_left(to(j, n, el.scroll_width(), el.client_width(), el.scroll_left()));
            el.set_scroll_top(to(i, m, el.scroll_height(), el.client_height(), el.scroll_top()));
        }
    });
    // Pointer events over the picture: the entry under the pointer (the pad's own
    // arithmetic, with y measured up).
    let cell_of = move |ev: &web_sys::MouseEvent| {
        let (u, v) = super::pad::unit_at(ev, ev.client_x() as f64, ev.client_y() as f64)?;
        let (m, n) = dims();
        Some(heat::cell_at(u, 1.0 - v, m, n))
    };
    let readout = text(move || {
        let (i, j) = if hover.get() == NO_HOVER { at.get() } else { hover.get() };
        format!("{} = {}", entry_name(&name(i, row_names), &name(j, col_names)), format_full(value(i, j)))
    });
    let zoom_by = move |up: bool| zoom.update(|z| *z = if up { (*z * 2).min(heat::ZOOM_MAX) } else { (*z / 2).max(1) });
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let (m, n) = dims();
        let key = ev.key();
        if let Some(c) = heat::step_cursor(&key, at.get(), m, n) {
            hover.set(NO_HOVER);
            cursor.set(c);
        } else if key == "+" || key == "-" {
            zoom_by(key == "+");
        } else {
            return;
        }
        ev.prevent_default();
    };
    view! {
        <div class="zoom">
            <button data-testid=format!("{testid}-zoom-out") aria-label="Zoom out" on:click=move |_| zoom_by(false)>"−"</button>
            <button data-testid=format!("{testid}-zoom-in") aria-label="Zoom in" on:click=move |_| zoom_by(true)>"+"</button>
            <span data-testid=format!("{testid}-zoom")>{text(move || format!("×{}", zoom.get()))}</span>
        </div>
        <div class="heatzoom" node_ref=scroller>
        <div class="heatpic" style:width=move || zoomed().0 style:aspect-ratio=move || zoomed().1>
            <canvas node_ref=canvas tabindex="0" data-testid=format!("{testid}-picture") role="img"
                aria-label=format!("{label} as a picture: the arrow keys move the entry read out below it, + and − zoom")
                on:pointermove=move |ev| hover.set(cell_of(&ev).unwrap_or(NO_HOVER))
                on:click=move |ev| {
                    if let Some(c) = cell_of(&ev) {
                        cursor.set(c);
                        hover.set(NO_HOVER);
                    }
                }
                on:keydown=on_key></canvas>
            // The cursor's entry marked on the picture, placed through the CSSOM (the CSP
            // refuses style attributes in markup) and only while there is a picture (the
            // first screen's prerendered copy is markup).
            <div class="heat-mark" aria-hidden="true"
                style:left=move || big.get().then(|| format!("{}%", heat::centre_percent(at.get().1, dims().1)))
                style:top=move || big.get().then(|| format!("{}%", heat::centre_percent(at.get().0, dims().0)))></div>
        </div>
        </div>
        <p class="heat-readout" data-testid=format!("{testid}-readout") aria-live="polite">{readout}</p>
        <p class="muted legend">{text(move || legend.get())}</p>
    }
}

/// Row or column `k`'s name ("" past the end, while an edit is under way).
fn name(k: usize, names: Memo<Vec<String>>) -> String {
    names.with(|v| v.get(k).cloned().unwrap_or_default())
}

/// The rows and columns the table shows: all of them, or the window from `start`.
fn ranges(
    big: bool,
    (m, n): (usize, usize),
    (i, j): (usize, usize),
) -> (std::ops::Range<usize>, std::ops::Range<usize>) {
    if big {
        (i..(i + WINDOW).min(m), j..(j + WINDOW).min(n))
    } else {
        (0..m, 0..n)
    }
}
