//! Share links: round trips, and hostile links that must give a message, never a panic.

use jacobian_playground::share::{parse_query, to_query, MAX_QUERY};

#[test]
fn readable_links_round_trip() {
    let src = "h = x*y # note\nf(x, y) = [h^2, x/y]";
    let q = to_query(src, &[3.0, -0.5]);
    assert!(q.starts_with("f=h+%3D+x*y+%23+note%0Af%28x"), "{q}");
    let back = parse_query(&format!("?{q}"));
    assert_eq!(back.source.as_deref(), Some(src));
    assert_eq!(back.at, Some(vec![3.0, -0.5]));
    assert!(back.problems.is_empty());
    // A teacher typing by hand.
    let typed = parse_query("f=f(x1,x2,x3)%3D[x1%2Bx2,x1*x3,x2^3]&at=3,4,5");
    assert_eq!(typed.source.as_deref(), Some("f(x1,x2,x3)=[x1+x2,x1*x3,x2^3]"));
    assert_eq!(typed.at, Some(vec![3.0, 4.0, 5.0]));
}

#[test]
fn hostile_links_give_messages() {
    let cases = [
        ("at=1,NaN,3", "not finite"),
        ("at=1,Infinity", "not finite"),
        ("at=1,2,%3Cscript%3E", "not a list of numbers"),
        ("at=javascript:alert(1)", "not a list of numbers"),
        ("f=%E0%A4%A&at=1", "invalid percent-encoding"),
        ("f=%FF%FE", "invalid percent-encoding"),
    ];
    for (q, want) in cases {
        let s = parse_query(q);
        assert!(s.problems.iter().any(|p| p.contains(want)), "{q}: {:?}", s.problems);
    }
    let huge = format!("f={}", "x".repeat(MAX_QUERY + 1));
    let s = parse_query(&huge);
    assert!(s.source.is_none() && s.problems[0].contains("over the"));
    // Markup stays text: it reaches the editor as characters, never as HTML.
    let s = parse_query("f=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E");
    assert_eq!(s.source.as_deref(), Some("\"><img src=x onerror=alert(1)>"));
    let s = parse_query("f=a%00b");
    assert_eq!(s.source.as_deref(), Some("a\u{FFFD}b"), "null bytes are replaced");
}
