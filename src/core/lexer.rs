//! Turns source text into tokens. Never fails: bad characters and malformed numbers
//! become diagnostics and the lexer carries on, so the parser can report more than one error.

use super::span::{Diagnostic, Span};

#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Ident(String),
    Num(f64),
    Plus,
    Minus,
    Star,
    Slash,
    Caret,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Eq,
    /// Python's `def f(x):` and `lambda x:`.
    Colon,
    /// `√`, a prefix square root.
    Root,
    /// `@`, the matrix product.
    At,
    /// `;`, before a signature's parameters: `f(x; a = 1)`.
    Semi,
    /// `.`, NumPy's and PyTorch's: `W.T`, `x.sum()`, `torch.tanh(x)`.
    Dot,
    Newline,
    Eof,
}

impl Tok {
    pub fn describe(&self) -> String {
        // One conversion for every fixed token, not one per match arm.
        let fixed = match self {
            Tok::Ident(name) => return format!("name '{name}'"),
            Tok::Num(_) => "a number",
            Tok::Plus => "'+'",
            Tok::Minus => "'-'",
            Tok::Star => "'*'",
            Tok::Slash => "'/'",
            Tok::Caret => "'^'",
            Tok::LParen => "'('",
            Tok::RParen => "')'",
            Tok::LBracket => "'['",
            Tok::RBracket => "']'",
            Tok::Comma => "','",
            Tok::Eq => "'='",
            Tok::Colon => "':'",
            Tok::Root => "'√'",
            Tok::At => "'@'",
            Tok::Dot => "'.'",
            Tok::Semi => "';' (one binding per line; in a signature, ';' starts the parameters, as in f(x; a = 1))",
            Tok::Newline => "end of line",
            Tok::Eof => "end of input",
        };
        fixed.to_string()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub tok: Tok,
    pub span: Span,
}

pub fn lex(src: &str) -> (Vec<Token>, Vec<Diagnostic>) {
    let mut tokens = Vec::new();
    let mut errors = Vec::new();
    let bytes = src.as_bytes();
    let mut i = 0;
    while i < src.len() {
        let c = src[i..].chars().next().unwrap_or('\0');
        let start = i;
        let single = |tok| Some((tok, start + 1));
        let simple = match c {
            '\n' => single(Tok::Newline),
            '+' => single(Tok::Plus),
            '-' => single(Tok::Minus),
            // `**` is accepted as a power for people coming from Python.
            '*' if bytes.get(i + 1) == Some(&b'*') => Some((Tok::Caret, start + 2)),
            '*' => single(Tok::Star),
            '/' => single(Tok::Slash),
            '^' => single(Tok::Caret),
            '(' => single(Tok::LParen),
            ')' => single(Tok::RParen),
            '[' => single(Tok::LBracket),
            ']' => single(Tok::RBracket),
            ',' => single(Tok::Comma),
            '=' => single(Tok::Eq),
            ':' => single(Tok::Colon),
            '@' => single(Tok::At),
            ';' => single(Tok::Semi),
            // A dot before a digit starts a number (`.5`).
            '.' if !bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => single(Tok::Dot),
            // The operators of maths typography, read as what they mean.
            '×' | '·' | '⋅' | '∗' => Some((Tok::Star, start + c.len_utf8())),
            '−' | '–' => Some((Tok::Minus, start + c.len_utf8())),
            '÷' | '∕' => Some((Tok::Slash, start + c.len_utf8())),
            '√' => Some((Tok::Root, start + c.len_utf8())),
            _ => None,
        };
        if let Some((tok, end)) = simple {
            tokens.push(Token { tok, span: Span::new(start, end) });
            i = end;
            continue;
        }
        if superscript(c).is_some() {
            i = lex_superscript(src, i, &mut tokens, &mut errors);
            continue;
        }
        if c == '#' {
            let end = src[i..].find('\n').map_or(src.len(), |n| i + n);
            // Comments may hold any text but bidirectional controls, which can make the
            // code display in another order than it is read ("Trojan Source").
            for (n, ch) in src[i..end].char_indices().filter(|&(_, ch)| is_bidi_control(ch)) {
                let at = i + n;
                errors.push(Diagnostic::new(Span::new(at, at + ch.len_utf8()), format!("bidirectional control character U+{:04X} in a comment: it can make the text show in another order than it is read", ch as u32)));
            }
            i = end;
        } else if c == ' ' || c == '\t' || c == '\r' {
            i += 1;
        } else if c.is_ascii_digit() || (c == '.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)) {
            i = lex_number(src, i, &mut tokens, &mut errors);
        } else if c.is_alphabetic() || c == '_' {
            let end = src[i..]
                .char_indices()
                .find(|&(_, ch)| !(ch.is_alphanumeric() || ch == '_') || superscript(ch).is_some())
                .map_or(src.len(), |(n, _)| i + n);
            if let Some((n, ch)) = src[i..end].char_indices().find(|&(_, ch)| is_invisible_letter(ch)) {
                let at = i + n;
                errors.push(Diagnostic::new(
                    Span::new(at, at + ch.len_utf8()),
                    format!("invisible character U+{:04X} in a name", ch as u32),
                ));
            }
            let name = &src[i..end];
            // A Latin name with a Cyrillic or Greek letter drawn alike (`sіn`) reads as a
            // name it is not. (A name wholly in another script is fine.)
            if let Some((n, ch, skeleton)) = look_alike(name).filter(|_| name.bytes().any(|b| b.is_ascii_alphabetic()))
            {
                let at = i + n;
                errors.push(Diagnostic::new(
                    Span::new(at, at + ch.len_utf8()),
                    format!("{}: it mixes scripts and reads as '{skeleton}'", not_latin(ch)),
                ));
            }
            // π is the constant pi, as written in maths.
            let name = if name == "π" { "pi" } else { name };
            tokens.push(Token { tok: Tok::Ident(name.to_string()), span: Span::new(i, end) });
            i = end;
        } else {
            let end = i + c.len_utf8();
            errors.push(Diagnostic::new(Span::new(i, end), stray_message(c)));
            i = end;
        }
    }
    tokens.push(Token { tok: Tok::Eof, span: Span::new(src.len(), src.len()) });
    (tokens, errors)
}

/// The value of a superscript digit, or 10 for the superscript minus.
fn superscript(c: char) -> Option<u32> {
    "⁰¹²³⁴⁵⁶⁷⁸⁹⁻".chars().position(|s| s == c).map(|k| k as u32)
}

/// `x²`, `x¹⁰`, `x⁻¹`: a run of superscripts is a power, `^` and its exponent.
fn lex_superscript(src: &str, start: usize, tokens: &mut Vec<Token>, errors: &mut Vec<Diagnostic>) -> usize {
    let end =
        src[start..].char_indices().find(|&(_, c)| superscript(c).is_none()).map_or(src.len(), |(n, _)| start + n);
    let run = &src[start..end];
    let span = Span::new(start, end);
    let digits = run.strip_prefix('⁻').unwrap_or(run);
    let mut value = 0f64;
    for c in digits.chars() {
        match superscript(c) {
            Some(d) if d < 10 => value = value * 10.0 + f64::from(d),
            _ => {
                errors.push(Diagnostic::new(span, format!("bad superscript exponent '{run}'")));
                return end;
            }
        }
    }
    if digits.is_empty() {
        errors.push(Diagnostic::new(span, format!("bad superscript exponent '{run}'")));
        return end;
    }
    tokens.push(Token { tok: Tok::Caret, span });
    if digits.len() < run.len() {
        tokens.push(Token { tok: Tok::Minus, span });
    }
    tokens.push(Token { tok: Tok::Num(value), span });
    end
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Letters (to Unicode) that show as nothing: Hangul fillers.
fn is_invisible_letter(c: char) -> bool {
    matches!(c, '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}')
}

/// Cyrillic and Greek letters drawn like a Latin one, each followed by that Latin letter.
/// (Greek letters used in mathematics, such as α or ν, are left out: α beside a is
/// deliberate.)
const LOOK_ALIKES: &str = "аaеeоoрpсcуyхxіiјjѕsԁdһhԛqԝwӏlАAВBЕEКKМMНHОOРPСCТTХXУYІIЈJЅSοoΑAΒBΕEΖZΗHΙIΚKΜMΝNΟOΡPΤTΥYΧX";

fn latin_twin(c: char) -> Option<char> {
    let mut pairs = LOOK_ALIKES.chars();
    while let (Some(from), Some(to)) = (pairs.next(), pairs.next()) {
        if from == c {
            return Some(to);
        }
    }
    None
}

/// For a name with a letter drawn like a Latin one: where the first such letter is, the
/// letter, and the name as it reads (every such letter replaced by its Latin twin).
pub fn look_alike(name: &str) -> Option<(usize, char, String)> {
    // Every look-alike is outside ASCII, and nearly every name is ASCII: one cheap test
    // per identifier instead of a table scan per letter.
    if name.is_ascii() {
        return None;
    }
    let (n, c) = name.char_indices().find(|&(_, c)| latin_twin(c).is_some())?;
    Some((n, c, name.chars().map(|c| latin_twin(c).unwrap_or(c)).collect()))
}

/// "'х' (U+0445) is not the Latin 'x'".
pub fn not_latin(c: char) -> String {
    format!("'{c}' (U+{:04X}) is not the Latin '{}'", c as u32, latin_twin(c).unwrap_or(c))
}

fn stray_message(c: char) -> String {
    if c.is_control() || is_bidi_control(c) || matches!(c, '\u{200B}'..='\u{200D}' | '\u{FEFF}') {
        format!("unexpected invisible character U+{:04X}", c as u32)
    } else {
        // Habits from other notations, with the spelling this language uses.
        let hint = match c {
            '|' => ": write abs(x) for |x|",
            '{' | '}' => ": the outputs go in [ ], as in f(x, y) = [x*y, x + y]",
            '∂' | '∇' => ": write the function; the playground takes its derivatives",
            _ => "",
        };
        format!("unexpected character '{c}'{hint}")
    }
}

/// Scans `digits [. digits] [(e|E) [+-] digits]`, then checks that no letter, digit or dot
/// is glued on (`2x`, `1.2.3`, `1e`), which would otherwise lex as two silent tokens.
fn lex_number(src: &str, start: usize, tokens: &mut Vec<Token>, errors: &mut Vec<Diagnostic>) -> usize {
    let b = src.as_bytes();
    let digits = |mut j: usize| {
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        j
    };
    let mut j = digits(start);
    if j < b.len() && b[j] == b'.' {
        j = digits(j + 1);
    }
    let mut bad_exponent = false;
    if j < b.len() && (b[j] == b'e' || b[j] == b'E') {
        let mut k = j + 1;
        if k < b.len() && (b[k] == b'+' || b[k] == b'-') {
            k += 1;
        }
        let after = digits(k);
        if after > k {
            j = after;
        } else if !b.get(k).is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_') || k > j + 1 {
            bad_exponent = true;
            j = k;
        }
    }
    // Glued trailing characters make the whole run one bad number (`2π` too).
    let mut end = j;
    loop {
        if end < b.len() && (b[end].is_ascii_alphanumeric() || b[end] == b'.' || b[end] == b'_') {
            end += 1;
        } else if src[end..].starts_with('π') {
            end += 'π'.len_utf8();
        } else {
            break;
        }
    }
    let span = Span::new(start, end);
    let text = &src[start..end];
    if bad_exponent {
        errors.push(Diagnostic::new(span, format!("bad number '{text}': the exponent has no digits")));
    } else if end > j {
        let glued = &src[j..end];
        let msg = if glued.starts_with(|c: char| c.is_alphabetic() || c == '_') {
            format!("bad number '{text}': write {}*{} to multiply", &src[start..j], glued)
        } else {
            format!("bad number '{text}'")
        };
        errors.push(Diagnostic::new(span, msg));
    } else {
        match super::decimal::parse(text).ok_or(()) {
            Ok(v) if v.is_finite() => tokens.push(Token { tok: Tok::Num(v), span }),
            _ => errors.push(Diagnostic::new(span, format!("number '{text}' is too large for float64"))),
        }
        return end;
    }
    // Keep a placeholder so the parser doesn't add a second, confusing error.
    tokens.push(Token { tok: Tok::Num(f64::NAN), span });
    end
}
