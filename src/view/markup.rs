//! Markup the text worker writes and the page builds (public/boot.js `jpBuild`): MathML
//! for J's formulas and SVG for the pictures the worker draws. It travels as a flat list of
//! tokens, not as markup text, so the page parses no markup: each tag and attribute is
//! checked against a short list there, and every piece of text (the user's names among
//! it) only ever becomes a text node.

/// Separates the tokens (a control character no name or number contains; text is
/// stripped of it).
pub const SEP: char = '\u{1f}';

/// Tokens: `<tag` opens an element, `@name=value` sets an attribute of the open one,
/// `=text` is a text node, `>` closes the open element.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Markup(String);

impl Markup {
    fn token(&mut self, kind: char, s: &str) -> &mut Self {
        if !self.0.is_empty() {
            self.0.push(SEP);
        }
        self.0.push(kind);
        self.0.extend(s.chars().filter(|&c| c != SEP));
        self
    }
    pub fn open(&mut self, tag: &str) -> &mut Self {
        self.token('<', tag)
    }
    pub fn attr(&mut self, name: &str, value: &str) -> &mut Self {
        self.token('@', &format!("{name}={value}"))
    }
    pub fn text(&mut self, s: &str) -> &mut Self {
        self.token('=', s)
    }
    pub fn close(&mut self) -> &mut Self {
        self.token('>', "")
    }
    /// An element holding one text node.
    pub fn leaf(&mut self, tag: &str, text: &str) -> &mut Self {
        self.open(tag).text(text).close()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn into_string(self) -> String {
        self.0
    }
}

/// The tokens as the markup they stand for (`<mi>x</mi>`, attributes in order, text
/// unescaped): for tests and for reading what the worker sent.
pub fn outline(tokens: &str) -> String {
    let mut out = String::new();
    let mut open: Vec<&str> = Vec::new();
    let mut in_tag = false;
    for t in tokens.split(SEP).filter(|t| !t.is_empty()) {
        let (kind, rest) = t.split_at(1);
        if in_tag && kind != "@" {
            out.push('>');
            in_tag = false;
        }
        match kind {
            "<" => {
                out.push_str(&format!("<{rest}"));
                open.push(rest);
                in_tag = true;
            }
            "@" => {
                let (name, value) = rest.split_once('=').unwrap_or((rest, ""));
                out.push_str(&format!(" {name}=\"{value}\""));
            }
            ">" => out.push_str(&format!("</{}>", open.pop().unwrap_or("?"))),
            _ => out.push_str(rest),
        }
    }
    if in_tag {
        out.push('>');
    }
    out
}
