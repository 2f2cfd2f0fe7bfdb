//! The one rule for reading a point, shared by the command line (`--at`), links (`at=`)
//! and the page's coordinate fields: comma-separated finite numbers. `nan`, `inf` and
//! `1e999` parse as floats but are not points one can differentiate at, so every
//! reader refuses them with the same words.

/// Links and the command line refuse points with more coordinates than this before
/// reading any of them. It is past any function the page runs comfortably (a batch of 64
/// 28×28 images is 50 176 inputs), so a point is refused only where it is hostile; a
/// link's length bounds it too (`share::MAX_QUERY`).
pub const MAX_COORDINATES: usize = 100_000;

/// One coordinate: a finite number (`−` is read as `-`).
pub fn parse_coordinate(text: &str) -> Result<f64, String> {
    read(text).map_err(|(shown, what)| format!("'{shown}' is not {what}"))
}

/// A comma-separated point. The error names the coordinate (1-based) and shows it.
pub fn parse_point(text: &str) -> Result<Vec<f64>, String> {
    let count = text.split(',').count();
    if count > MAX_COORDINATES {
        return Err(format!("{count} coordinates, more than the {MAX_COORDINATES} a point may have"));
    }
    text.split(',')
        .enumerate()
        .map(|(k, part)| read(part).map_err(|(shown, what)| format!("coordinate {} ('{shown}') is not {what}", k + 1)))
        .collect()
}

/// The value, or the text as shown in a message and what it is not.
fn read(text: &str) -> Result<f64, (String, &'static str)> {
    let t = text.trim();
    match super::decimal::parse(&t.replace('−', "-")) {
        Some(v) if v.is_finite() => Ok(v),
        Some(_) => Err((shown(t, 40), "a finite number")),
        None => Err((shown(t, 40), "a number")),
    }
}

/// `text` cut to `max` characters, with control characters written as escapes (`\u{0}`),
/// so a message never hides or garbles what it quotes.
pub fn shown(text: &str, max: usize) -> String {
    let mut out = String::new();
    for (k, c) in text.chars().enumerate() {
        if k == max {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// "a, b, c", or the first few and how many more, so a message about a 10 000-input
/// function stays a line long.
pub fn name_list(names: &[String], max: usize) -> String {
    if names.len() <= max {
        return names.join(", ");
    }
    format!("{}, … and {} more", names[..max].join(", "), names.len() - max)
}

/// What a link's point with the wrong number of coordinates becomes, said plainly (None
/// when the count fits): the extra ones are dropped, missing ones start at 1.
pub fn count_mismatch(given: usize, names: &[String]) -> Option<String> {
    let n = names.len();
    let what = match given.cmp(&n) {
        std::cmp::Ordering::Equal => return None,
        std::cmp::Ordering::Greater if given - n == 1 => "the last was ignored".to_string(),
        std::cmp::Ordering::Greater => format!("the last {} were ignored", given - n),
        std::cmp::Ordering::Less => {
            format!("{} {} at 1", name_list(&names[given..], 6), if n - given == 1 { "starts" } else { "start" })
        }
    };
    let plural = |k: usize, word: &str| if k == 1 { format!("1 {word}") } else { format!("{k} {word}s") };
    Some(format!(
        "The link's point has {} but the function has {} ({}): {what}.",
        plural(given, "coordinate"),
        plural(n, "input"),
        name_list(names, 6)
    ))
}

/// The most points a batch may hold.
pub const MAX_POINTS: usize = 10_000;

/// A batch of points, one a line (commas or spaces between coordinates), each with `n`
/// coordinates; blank lines and `#` comments are skipped. An error names its line.
pub fn parse_points(text: &str, n: usize) -> Result<Vec<Vec<f64>>, String> {
    let mut points = Vec::new();
    for (k, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if points.len() == MAX_POINTS {
            return Err(format!("more than the {MAX_POINTS} points a batch may hold"));
        }
        let commas =
            if line.contains(',') { line.to_string() } else { line.split_whitespace().collect::<Vec<_>>().join(",") };
        let p = parse_point(&commas).map_err(|e| format!("line {}: {e}", k + 1))?;
        if p.len() != n {
            return Err(format!(
                "line {}: {} coordinate{} where f has {n}",
                k + 1,
                p.len(),
                if p.len() == 1 { "" } else { "s" }
            ));
        }
        points.push(p);
    }
    Ok(points)
}
