//! The readable share-link form, `?f=<url-encoded source>&at=3,4,5`: parsing that never
//! trusts the link, and writing. Pure logic (form_urlencoded does the percent coding), so
//! hostile links are tested natively; the app only reads and writes `location`.

/// Links longer than this are refused whole: no function a person shares is that long.
pub const MAX_QUERY: usize = 200_000;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct LinkState {
    pub source: Option<String>,
    pub at: Option<Vec<f64>>,
    /// Plain messages about what in the link was ignored, and why.
    pub problems: Vec<String>,
}

/// Reads `?f=…&at=…` (with or without the leading `?`). Unknown keys are ignored.
pub fn parse_query(query: &str) -> LinkState {
    let query = query.strip_prefix('?').unwrap_or(query);
    let mut state = LinkState::default();
    if query.is_empty() {
        return state;
    }
    if query.len() > MAX_QUERY {
        state.problems.push(format!("The link is {} KB long, over the {} KB limit, so it was ignored.", query.len() / 1024, MAX_QUERY / 1024));
        return state;
    }
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        match key.as_ref() {
            "f" => {
                if value.contains('\u{FFFD}') {
                    state.problems.push("The link's function had invalid percent-encoding; those characters show as �.".into());
                }
                state.source = Some(value.replace('\0', "\u{FFFD}"));
            }
            "at" => match parse_point(&value) {
                Ok(p) => state.at = Some(p),
                Err(msg) => state.problems.push(msg),
            },
            _ => {}
        }
    }
    state
}

fn parse_point(text: &str) -> Result<Vec<f64>, String> {
    let shown: String = text.chars().take(40).filter(|c| !c.is_control()).collect();
    if text.split(',').count() > 1000 {
        return Err("The link's point has more than 1000 coordinates, so it was ignored.".into());
    }
    text.split(',')
        .enumerate()
        .map(|(k, part)| match part.trim().parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            Ok(_) => Err(format!("Coordinate {} of the link's point is not finite; the point was ignored.", k + 1)),
            Err(_) => Err(format!("The link's point '{shown}' is not a list of numbers; it was ignored.")),
        })
        .collect()
}

/// The readable query for a function and point.
pub fn to_query(source: &str, at: &[f64]) -> String {
    let at: Vec<String> = at.iter().map(|v| crate::core::syntax::format_number(*v)).collect();
    form_urlencoded::Serializer::new(String::new()).append_pair("f", source).append_pair("at", &at.join(",")).finish()
}
