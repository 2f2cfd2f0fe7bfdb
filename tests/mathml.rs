//! J as MathML (#20 parts 1 and 5): the worked example's formulas as a matrix in MathML,
//! the point substituted, the reason where there are no formulas, and only tags and
//! attributes the page's builder (public/boot.js `jpBuild`) accepts.

mod common;
use common::*;
use jacobian_playground::core::Strategy;
use jacobian_playground::examples::EXAMPLES;
use jacobian_playground::view::markup::{outline, Markup, SEP};
use jacobian_playground::view::mathml::j_markup;

fn markup(src: &str, at: &[f64]) -> String {
    let t = tape(src);
    let j = jac(&t, at, Strategy::Forward);
    j_markup(src, &t, at, &j)
}

/// The `<mtd>` cells of the `math` element with this test id, in order.
fn cells(tokens: &str, testid: &str) -> Vec<String> {
    let all = outline(tokens);
    let start = all.find(&format!("data-testid=\"{testid}\"")).unwrap_or_else(|| panic!("no {testid} in {all}"));
    let body = &all[start..all[start..].find("</math>").unwrap() + start];
    body.split("<mtd>").skip(1).map(|c| c.split("</mtd>").next().unwrap().to_string()).collect()
}

const SUB: fn(&str, &str) -> String = |x, k| format!("<msub><mi>{x}</mi><mn>{k}</mn></msub>");

#[test]
fn the_worked_example_is_a_matrix_of_formulas_then_of_numbers() {
    let tokens = markup("f(x1, x2, x3) = [x1 + x2, x1*x3, x2^3]", &[1.0, 2.0, 3.0]);
    let x = |k| SUB("x", k);
    let want = [
        "<mn>1</mn>".to_string(),
        "<mn>1</mn>".into(),
        "<mn>0</mn>".into(),
        x("3"),
        "<mn>0</mn>".into(),
        x("1"),
        "<mn>0</mn>".into(),
        format!("<mrow><mn>3</mn><mo>·</mo><msup>{}<mn>2</mn></msup></mrow>", x("2")),
        "<mn>0</mn>".into(),
    ];
    assert_eq!(cells(&tokens, "j-symbolic"), want);
    let numbers: Vec<String> = ["1", "1", "0", "3", "0", "1", "0", "12", "0"].iter().map(|v| format!("<mn>{v}</mn>")).collect();
    assert_eq!(cells(&tokens, "j-numeric"), numbers);
    let all = outline(&tokens);
    assert!(all.contains("<summary>Substitute the point (1, 2, 3)</summary>"), "{all}");
    assert!(all.contains("<mi>J(1, 2, 3)</mi>"), "{all}");
}

#[test]
fn bindings_stay_names_and_are_given_below() {
    let all = outline(&markup("h = x*y\nf(x, y) = sin(h)", &[0.5, 2.0]));
    // ∂/∂x = cos(h)·y, and the binding's own formula follows the matrix.
    assert!(all.contains("<mi>cos</mi><mo>\u{2061}</mo><mrow><mo>(</mo><mi>h</mi><mo>)</mo></mrow></mrow><mo>·</mo><mi>y</mi>"), "{all}");
    assert!(all.contains("<mtext>where</mtext><mspace></mspace><mi>h</mi><mo>=</mo><mrow><mi>x</mi><mo>·</mo><mi>y</mi></mrow>"), "{all}");
}

#[test]
fn quotients_roots_and_negatives_are_built_as_maths() {
    let all = outline(&markup("f(x) = [1/(1 + x^2), sqrt(x), -2*x]", &[2.0]));
    assert!(all.contains("<mfrac>"), "{all}");
    assert!(all.contains("<msqrt>"), "{all}");
    // −2 is "minus 2", an operator and a number.
    assert!(all.contains("<mrow><mo>−</mo><mn>2</mn></mrow>"), "{all}");
}

#[test]
fn without_formulas_it_says_why_and_still_gives_j_in_numbers() {
    let all = outline(&markup("f(x[3]) = [sum(x * x)]", &[1.0, 2.0, 3.0]));
    assert!(all.contains("<p>No formulas: "), "{all}");
    assert_eq!(cells(&markup("f(x[3]) = [sum(x * x)]", &[1.0, 2.0, 3.0]), "j-numeric").len(), 3);
    // Past the table's worth of entries, nothing: the table and the picture serve.
    let wide = "f(x[13], y[12]) = outer(x, y)";
    let at: Vec<f64> = (0..25).map(f64::from).collect();
    assert_eq!(markup(wide, &at), "");
}

#[test]
fn text_cannot_break_out_of_its_token() {
    let mut m = Markup::default();
    m.open("mi").text(&format!("a{SEP}<script")).close();
    assert_eq!(outline(&m.into_string()), "<mi>a<script</mi>");
}

/// Every tag and attribute the worker writes for the gallery is one the page builds:
/// read from public/boot.js's own lists.
#[test]
fn the_page_builds_every_tag_and_attribute_the_worker_writes() {
    let boot = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/public/boot.js")).unwrap();
    let list = |name: &str| -> Vec<String> {
        let line = boot.lines().find(|l| l.starts_with(&format!("const {name} = /^("))).unwrap();
        let inner = &line[line.find("/^(").unwrap() + 3..line.find(")$/").unwrap()];
        inner.split('|').map(String::from).collect()
    };
    let (tags, attrs) = (list("TAGS"), list("ATTRS"));
    let mut seen = 0;
    for e in EXAMPLES.iter() {
        let t = tape(e.source);
        let at = t.point_from(&[]);
        let j = jac(&t, &at, Strategy::Forward);
        let tokens = j_markup(e.source, &t, &at, &j);
        for tok in tokens.split(SEP).filter(|t| !t.is_empty()) {
            match tok.split_at(1) {
                ("<", tag) => assert!(tags.iter().any(|t| t == tag), "{}: <{tag}> is not built", e.title),
                ("@", a) => {
                    let name = a.split('=').next().unwrap();
                    assert!(attrs.iter().any(|t| t == name), "{}: {name}= is not set", e.title)
                }
                _ => {}
            }
            seen += 1;
        }
    }
    assert!(seen > 1000, "{seen}");
}
