//! Share links. Two forms carry the same parameters:
//! - readable, `?f=<url-encoded source>&at=3,4,5` plus optional view parameters
//!   (`axes`, `views`, `pass`, `dir`, `step`, `h`, `field`, `out`, `radius`, `embed`) and,
//!   for a function with parameters, their values (`p=1,0.5`) and J's columns (`wrt`);
//! - compact, `#s=<base64url(deflate(the same pairs))>`, which the Share button makes.
//!
//! Parsing never trusts the link: every bad part becomes a plain message and is ignored.
//! Pure logic (form_urlencoded, base64 and, natively, miniz_oxide do the coding; the page
//! inflates and deflates with the browser's own streams), so hostile links are
//! tested natively; the app only reads and writes `location`.

use crate::core::compile::Wrt;
use crate::view::{FdStep, Neighbourhood};
use base64::Engine as _;

/// Links (and saved work) longer than this are refused whole. Room for the longest source
/// the compiler reads with every byte percent-encoded (3 characters each), plus the view.
pub const MAX_QUERY: usize = 3 * crate::core::parser::MAX_SOURCE + 16 * 1024;

/// The side views beside J, in page order. Each carries its key in links, its label on
/// the toolbar and its bit in `ViewChoices::views`, so adding a view is one variant here
/// (plus its component and view model), with nothing paired by position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Passes,
    Linear,
    Fd,
    Analysis,
    Export,
    Batch,
}

impl View {
    pub const ALL: [View; 6] = [View::Passes, View::Linear, View::Fd, View::Analysis, View::Export, View::Batch];
    /// Its name in a link's `views=`, and in test hooks (`view-passes`).
    pub const fn key(self) -> &'static str {
        match self {
            View::Passes => "passes",
            View::Linear => "linear",
            View::Fd => "fd",
            View::Analysis => "analysis",
            View::Export => "export",
            View::Batch => "batch",
        }
    }
    /// Its toolbar button's text.
    pub const fn label(self) -> &'static str {
        match self {
            View::Passes => "Passes",
            View::Linear => "Linearisation",
            View::Fd => "Finite differences",
            View::Analysis => "Second order & cost",
            View::Export => "Export",
            View::Batch => "Batch",
        }
    }
    /// Its bit in `ViewChoices::views`: its place in page order.
    pub const fn bit(self) -> u8 {
        1 << self as u8
    }
}

pub const ALL_VIEWS: u8 = (1 << View::ALL.len()) - 1;

/// How the page is looked at, beyond the function and the point. `None` = the default.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ViewChoices {
    /// The pad's two inputs.
    pub axes: Option<(usize, usize)>,
    /// `View::bit` set = that view open.
    pub views: Option<u8>,
    pub reverse: Option<bool>,
    /// The pass's input (forward) or output (reverse), and the steps taken.
    pub dir: Option<usize>,
    pub step: Option<usize>,
    /// The finite-difference heat maps' step.
    pub h: Option<FdStep>,
    /// The field behind the pad, as `FieldKind::key` spells it.
    pub field: Option<String>,
    /// The linearisation's two outputs and its neighbourhood.
    pub outputs: Option<(usize, usize)>,
    pub radius: Option<Neighbourhood>,
    /// A gallery example whose program is a file beside the page (`examples::DIGITS`):
    /// the link names it (`example=digits`) instead of carrying its weights.
    pub example: Option<String>,
    /// The number parameters' values in signature order (`p=`), and J's columns as an
    /// index into `Wrt::ALL` (`Wrt::nth`; `wrt=params` or `all`).
    pub params: Option<Vec<f64>>,
    pub wrt: Option<u8>,
    /// The Batch view's points as typed (`batch=`, one a line).
    pub batch: Option<String>,
    /// Newton's method's target y* as typed (`y=`).
    pub newton: Option<String>,
    /// Entries of vector and matrix parameters set off their defaults, by name
    /// (`pe=W[0, 1]=3;b[2]=0.5`).
    pub entries: Option<Vec<(String, f64)>>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct LinkState {
    pub source: Option<String>,
    pub at: Option<Vec<f64>>,
    pub view: ViewChoices,
    pub embed: bool,
    /// Plain messages about what in the link was ignored, and why.
    pub problems: Vec<String>,
}

impl LinkState {
    pub fn is_empty(&self) -> bool {
        self.source.is_none() && self.at.is_none() && self.view == ViewChoices::default()
    }
}

/// Reads a page address: the compact fragment `#s=…` first, then the query, whose
/// parameters win where both give one (so `?embed=1#s=…` works). Natively, with
/// miniz_oxide's bounded inflate; the page inflates with the browser's own
/// (`compact_part`, then `read_link`).
#[cfg(not(target_arch = "wasm32"))]
pub fn parse_link(search: &str, hash: &str) -> LinkState {
    let inflated = compact_part(hash).map(|part| {
        part.and_then(|bytes| {
            miniz_oxide::inflate::decompress_to_vec_with_limit(&bytes, MAX_QUERY).map_err(|e| match e.status {
                miniz_oxide::inflate::TINFLStatus::HasMoreOutput => Unpack::TooBig,
                _ => Unpack::Damaged,
            })
        })
    });
    read_link(search, inflated)
}

/// Why a compact part could not be read.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Unpack {
    Damaged,
    /// The part itself is longer than `MAX_QUERY` (its length in bytes).
    TooLong(usize),
    /// It would inflate to more than `MAX_QUERY` bytes (a decompression bomb).
    TooBig,
}

/// The compact part's deflated bytes, if the fragment is one (`#s=…`; a byte-order mark
/// pasted before the key, raw or percent-encoded, is read past).
pub fn compact_part(hash: &str) -> Option<Result<Vec<u8>, Unpack>> {
    let hash = hash.strip_prefix('#').unwrap_or(hash);
    let hash = hash.strip_prefix('\u{FEFF}').or_else(|| hash.strip_prefix("%EF%BB%BF")).unwrap_or(hash);
    let packed = hash.strip_prefix("s=")?;
    if packed.len() > MAX_QUERY {
        return Some(Err(Unpack::TooLong(packed.len())));
    }
    Some(base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(packed).map_err(|_| Unpack::Damaged))
}

/// Reads the compact part's inflated bytes (if there was one) and then the query.
pub fn read_link(search: &str, inflated: Option<Result<Vec<u8>, Unpack>>) -> LinkState {
    let mut state = LinkState::default();
    let payload = inflated.map(|r| r.and_then(|raw| String::from_utf8(raw).map_err(|_| Unpack::Damaged)));
    match payload {
        Some(Ok(payload)) => {
            for pair in payload.split('\0') {
                let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                read_pair(&mut state, key, value);
            }
        }
        Some(Err(e)) => state.problems.push(match e {
            Unpack::Damaged => "The link's compact part (after #s=) is damaged, so it was ignored.".into(),
            Unpack::TooLong(n) => format!(
                "The link's compact part is {} KB long, over the {} KB limit, so it was ignored.",
                n / 1024,
                MAX_QUERY / 1024
            ),
            Unpack::TooBig => format!(
                "The link's compact part (after #s=) expands to more than {} KB, so it was ignored.",
                MAX_QUERY / 1024
            ),
        }),
        None => {}
    }
    read_query(&mut state, search);
    state
}

/// Reads `?f=…&at=…` and the view parameters (with or without the leading `?`).
pub fn parse_query(query: &str) -> LinkState {
    let mut state = LinkState::default();
    read_query(&mut state, query);
    state
}

fn read_query(state: &mut LinkState, query: &str) {
    let query = query.strip_prefix('?').unwrap_or(query);
    if query.len() > MAX_QUERY {
        state.problems.push(format!(
            "The link is {} KB long, over the {} KB limit, so it was ignored.",
            query.len() / 1024,
            MAX_QUERY / 1024
        ));
        return;
    }
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        read_pair(state, &key, &value);
    }
    plus_as_plus(state, query);
}

/// In a query `+` is a space, so a hand-typed `f=x+y` reads as "x y". Where the function
/// does not parse that way but does with each `+` read as a plus, it is read as a plus and
/// the link message says so. (Links the page writes encode a plus as %2B: they never
/// get here, as they parse.)
fn plus_as_plus(state: &mut LinkState, query: &str) {
    let Some(raw) = query.split('&').filter_map(|p| p.strip_prefix("f=")).next_back().filter(|r| r.contains('+'))
    else {
        return;
    };
    let parses = |s: &str| crate::core::parser::parse(s).1.is_empty();
    if state.source.as_deref().is_none_or(parses) {
        return;
    }
    let spelled = format!("f={}", raw.replace('+', "%2B"));
    let Some((_, literal)) = form_urlencoded::parse(spelled.as_bytes()).next() else { return };
    let literal = crate::core::span::normalize_newlines(&literal.replace('\0', "\u{FFFD}"));
    if parses(&literal) {
        state.source = Some(literal);
        state
            .problems
            .push("The link's + signs were read as plus (in a link, + means a space: write %2B for a plus).".into());
    }
}

/// One `key=value`. Unknown keys are ignored; a key given twice takes its last value.
fn read_pair(state: &mut LinkState, key: &str, value: &str) {
    let v = &mut state.view;
    let ok = match key {
        "f" => {
            if value.contains('\u{FFFD}') {
                state
                    .problems
                    .push("The link's function had invalid percent-encoding; those characters show as �.".into());
            }
            // Line breaks as the editor shows them (a textarea reads a lone CR as one), so
            // an error's line:column matches what the user sees.
            state.source = Some(crate::core::span::normalize_newlines(&value.replace('\0', "\u{FFFD}")));
            true
        }
        "at" => {
            match parse_point(value) {
                Ok(p) => state.at = Some(p),
                Err(msg) => state.problems.push(msg),
            }
            true
        }
        "p" => set(&mut v.params, crate::core::point::parse_point(value).ok()),
        "batch" => set(&mut v.batch, Some(value.to_string())),
        "y" => set(&mut v.newton, Some(value.to_string())),
        "pe" => set(&mut v.entries, entries(value)),
        "wrt" => set(&mut v.wrt, Wrt::from_word(value).map(|w| w as u8)),
        "example" => set(&mut v.example, crate::examples::is_id(value).then(|| value.to_string())),
        "embed" => {
            state.embed = matches!(value, "1" | "true");
            state.embed || matches!(value, "0" | "false")
        }
        "axes" => set(&mut v.axes, pair(value)),
        "out" => set(&mut v.outputs, pair(value)),
        "dir" => set(&mut v.dir, small(value)),
        "step" => set(&mut v.step, small(value)),
        "pass" => set(
            &mut v.reverse,
            match value {
                "forward" => Some(false),
                "reverse" => Some(true),
                _ => None,
            },
        ),
        "views" => set(&mut v.views, parse_views(value)),
        "h" => set(&mut v.h, FdStep::from_key(value)),
        "radius" => set(&mut v.radius, Neighbourhood::from_key(value)),
        "field" => {
            let ok = value.len() <= 20 && value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.');
            set(&mut v.field, ok.then(|| value.to_string()))
        }
        _ => true,
    };
    if !ok {
        let (shown, key) = (crate::core::point::shown(value, 20), crate::core::point::shown(key, 20));
        state.problems.push(format!("The link's '{key}' value '{shown}' is not one this page knows; it was ignored."));
    }
}

fn set<T>(slot: &mut Option<T>, value: Option<T>) -> bool {
    let ok = value.is_some();
    if ok {
        *slot = value;
    }
    ok
}

/// `W[0, 1]=3;b[2]=0.5`: each an entry's name (a tensor's name and index) and its value.
fn entries(text: &str) -> Option<Vec<(String, f64)>> {
    text.split(';')
        .filter(|e| !e.trim().is_empty())
        .map(|e| {
            let (name, v) = e.split_once('=')?;
            let name = name.trim();
            let named = name.ends_with(']') && name.split('[').next().is_some_and(|n| !n.is_empty());
            Some((name.to_string(), crate::core::decimal::parse(v.trim()).filter(|v| v.is_finite() && named)?))
        })
        .collect()
}

fn small(text: &str) -> Option<usize> {
    text.parse::<usize>().ok().filter(|k| *k < 100_000)
}

fn pair(text: &str) -> Option<(usize, usize)> {
    let (a, b) = text.split_once(',')?;
    Some((small(a)?, small(b)?))
}

fn parse_views(text: &str) -> Option<u8> {
    if text == "none" {
        return Some(0);
    }
    text.split(',').try_fold(0u8, |bits, name| Some(bits | View::ALL.iter().find(|v| v.key() == name)?.bit()))
}

fn parse_point(text: &str) -> Result<Vec<f64>, String> {
    crate::core::point::parse_point(text).map_err(|e| format!("The link's point was ignored: {e}."))
}

/// The parameters for a function, point and view, in link order; view parameters only
/// where they differ from the page's defaults.
fn pairs(source: &str, at: &[f64], view: &ViewChoices) -> Vec<(&'static str, String)> {
    let at: Vec<String> = at.iter().map(|v| crate::core::syntax::format_number(*v)).collect();
    let function = match &view.example {
        Some(id) => ("example", id.clone()),
        None => ("f", source.to_string()),
    };
    let mut q = vec![function, ("at", at.join(","))];
    if let Some(p) = view.params.as_ref().filter(|p| !p.is_empty()) {
        q.push(("p", p.iter().map(|v| crate::core::syntax::format_number(*v)).collect::<Vec<_>>().join(",")));
    }
    if let Some(b) = view.batch.as_ref().filter(|b| !b.is_empty()) {
        q.push(("batch", b.clone()));
    }
    if let Some(y) = view.newton.as_ref().filter(|y| !y.is_empty()) {
        q.push(("y", y.clone()));
    }
    if let Some(e) = view.entries.as_ref().filter(|e| !e.is_empty()) {
        let list: Vec<String> =
            e.iter().map(|(n, v)| format!("{n}={}", crate::core::syntax::format_number(*v))).collect();
        q.push(("pe", list.join(";")));
    }
    if let Some(w) = view.wrt.filter(|w| *w != 0) {
        q.push(("wrt", Wrt::nth(w).word().into()));
    }
    if let Some((a, b)) = view.axes.filter(|a| *a != (0, 1)) {
        q.push(("axes", format!("{a},{b}")));
    }
    if let Some(bits) = view.views.filter(|b| *b != ALL_VIEWS) {
        let names: Vec<&str> = View::ALL.iter().filter(|v| bits & v.bit() != 0).map(|v| v.key()).collect();
        q.push(("views", if names.is_empty() { "none".into() } else { names.join(",") }));
    }
    if view.reverse == Some(true) {
        q.push(("pass", "reverse".into()));
    }
    if let Some(d) = view.dir.filter(|d| *d != 0) {
        q.push(("dir", d.to_string()));
    }
    if let Some(s) = view.step.filter(|s| *s != 0) {
        q.push(("step", s.to_string()));
    }
    if let Some(h) = view.h.filter(|h| *h != FdStep::Tuned) {
        q.push(("h", h.key()));
    }
    if let Some(f) = view.field.as_ref() {
        q.push(("field", f.clone()));
    }
    if let Some((a, b)) = view.outputs.filter(|o| *o != (0, 1)) {
        q.push(("out", format!("{a},{b}")));
    }
    if let Some(r) = view.radius.filter(|r| *r != Neighbourhood::default()) {
        q.push(("radius", r.key().to_string()));
    }
    q
}

/// The readable query (without `?`).
pub fn to_query(source: &str, at: &[f64], view: &ViewChoices) -> String {
    let mut q = String::new();
    for (key, value) in pairs(source, at, view) {
        if !q.is_empty() {
            q.push('&');
        }
        form_encode(&mut q, key);
        q.push('=');
        form_encode(&mut q, &value);
    }
    q
}

/// application/x-www-form-urlencoded, as `form_urlencoded::byte_serialize` writes it
/// (tested against it), without its 768-byte table of escapes in the page.
fn form_encode(q: &mut String, s: &str) {
    for &b in s.as_bytes() {
        match b {
            b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' | b'*' | b'-' | b'.' | b'_' => q.push(b as char),
            b' ' => q.push('+'),
            _ => {
                q.push('%');
                q.push(b"0123456789ABCDEF"[usize::from(b >> 4)] as char);
                q.push(b"0123456789ABCDEF"[usize::from(b & 15)] as char);
            }
        }
    }
}

/// The compact fragment's payload: the same pairs, unescaped and separated by NUL
/// (percent-escapes would only cost compression).
pub fn fragment_payload(source: &str, at: &[f64], view: &ViewChoices) -> String {
    let payload: Vec<String> =
        pairs(&source.replace('\0', "\u{FFFD}"), at, view).into_iter().map(|(k, v)| format!("{k}={v}")).collect();
    payload.join("\0")
}

/// The compact fragment (without `#`) from the payload's raw deflate: `s=` + base64url.
pub fn pack(deflated: &[u8]) -> String {
    format!("s={}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(deflated))
}

/// The compact fragment (without `#`): raw deflate of the payload, base64url. (lz4 was
/// tried first: on a 250-character program its output was longer than the readable link.)
/// The page itself deflates with the browser's own CompressionStream (the same format:
/// the page need not carry miniz_oxide's compressor); every
/// link is read back with a bounded inflate (the browser's in the page, miniz_oxide's here).
#[cfg(not(target_arch = "wasm32"))]
pub fn to_fragment(source: &str, at: &[f64], view: &ViewChoices) -> String {
    pack(&miniz_oxide::deflate::compress_to_vec(fragment_payload(source, at, view).as_bytes(), 9))
}

/// The `<iframe>` snippet for a course page. The title is escaped for an attribute value:
/// the snippet is meant to be pasted into HTML.
pub fn embed_snippet(url: &str, width: u32, height: u32, title: &str) -> String {
    let title = if title.trim().is_empty() { "Jacobian Playground" } else { title.trim() };
    format!(
        "<iframe src=\"{}\" width=\"{width}\" height=\"{height}\" title=\"{}\" loading=\"lazy\" style=\"border:0;max-width:100%\"></iframe>",
        attribute(url),
        attribute(title)
    )
}

fn attribute(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).fold(String::new(), |mut s, c| {
        match c {
            '&' => s.push_str("&amp;"),
            '"' => s.push_str("&quot;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            _ => s.push(c),
        }
        s
    })
}

/// The embed address: `embed=1` added to `base` (which may already carry a query), then
/// the compact fragment if there is one.
pub fn embed_url(base: &str, fragment: &str) -> String {
    let sep = if base.contains('?') { '&' } else { '?' };
    if fragment.is_empty() {
        format!("{base}{sep}embed=1")
    } else {
        format!("{base}{sep}embed=1#{fragment}")
    }
}
