//! Share links: round trips, and hostile links that must give a message, never a panic.

use jacobian_playground::share::{parse_link, parse_query, to_fragment, to_query, ViewChoices, ALL_VIEWS, MAX_QUERY};
use jacobian_playground::view::{FdStep, Neighbourhood};
use proptest::prelude::*;

#[test]
fn readable_links_round_trip() {
    let src = "h = x*y # note\nf(x, y) = [h^2, x/y]";
    let q = to_query(src, &[3.0, -0.5], &ViewChoices::default());
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
        ("at=1,NaN,3", "coordinate 2 ('NaN') is not a finite number"),
        ("at=1,Infinity", "coordinate 2 ('Infinity') is not a finite number"),
        ("at=1,1e999", "coordinate 2 ('1e999') is not a finite number"),
        ("at=1,2,%3Cscript%3E", "coordinate 3 ('<script>') is not a number"),
        ("at=javascript:alert(1)", "coordinate 1 ('javascript:alert(1)') is not a number"),
        // A NUL is shown, not dropped: '1\0,2,3' is not the point 1,2,3.
        ("at=1%00,2,3", "coordinate 1 ('1\\u{0}') is not a number"),
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
    // A link with CR-only line breaks reads as the lines the editor shows.
    let s = parse_query("f=h%3D2%0Df(x)%3Dx%2Bh%0D%0A");
    assert_eq!(s.source.as_deref(), Some("h=2\nf(x)=x+h\n"));
    let s = parse_query("f=a%00b");
    assert_eq!(s.source.as_deref(), Some("a\u{FFFD}b"), "null bytes are replaced");
}

fn full_view() -> ViewChoices {
    ViewChoices {
        axes: Some((2, 0)),
        views: Some(0b10101),
        reverse: Some(true),
        dir: Some(1),
        step: Some(4),
        h: Some(FdStep::Fixed(1e-6)),
        field: Some("J1.2".into()),
        outputs: Some((1, 2)),
        radius: Some(Neighbourhood::Large),
        example: None,
        params: Some(vec![2.5, -0.125]),
        wrt: Some(2),
        batch: Some("1, 2\n3, 4".into()),
        newton: Some("1, 1".into()),
        entries: Some(vec![("W[0, 1]".into(), 3.0), ("b[2]".into(), -0.5)]),
    }
}

#[test]
fn parameters_and_the_choice_of_columns_travel_in_links() {
    let view = ViewChoices {
        params: Some(vec![3.0, 0.25]),
        wrt: Some(1),
        batch: Some("1\n2.5".into()),
        newton: Some("4".into()),
        ..Default::default()
    };
    let q = to_query("f(x; a = 1, b = 2) = a*x + b", &[1.5], &view);
    assert!(q.ends_with("&at=1.5&p=3%2C0.25&batch=1%0A2.5&y=4&wrt=params"), "{q}");
    let back = parse_query(&q);
    assert_eq!(
        (back.view.params, back.view.wrt, back.view.batch, back.view.newton),
        (Some(vec![3.0, 0.25]), Some(1), Some("1\n2.5".into()), Some("4".into()))
    );
    // Defaults are left out; bad values are said and ignored.
    let plain = to_query("f(x) = x", &[1.0], &ViewChoices { params: Some(vec![]), wrt: Some(0), ..Default::default() });
    assert_eq!(plain, "f=f%28x%29+%3D+x&at=1");
    let bad = parse_query("f=f(x;a=1)=a*x&at=1&p=zz&wrt=weights");
    assert_eq!((bad.view.params, bad.view.wrt, bad.problems.len()), (None, None, 2), "{:?}", bad.problems);
    // A vector or matrix parameter's entries set off their defaults travel by name.
    let view =
        ViewChoices { entries: Some(vec![("W[1, 0]".into(), 0.25), ("b[2]".into(), -3.0)]), ..Default::default() };
    let q = to_query("f(x; W[2, 2] = 1, b[3] = 0) = x", &[1.0], &view);
    assert!(q.ends_with("&pe=W%5B1%2C+0%5D%3D0.25%3Bb%5B2%5D%3D-3"), "{q}");
    assert_eq!(parse_query(&q).view.entries, view.entries);
    for bad in ["pe=W[0]=x", "pe=W=2", "pe=[1]=2", "pe=W[0]=inf", "pe=W[0]"] {
        let b = parse_query(&format!("f=f(x)=x&at=1&{bad}"));
        assert_eq!((b.view.entries, b.problems.len()), (None, 1), "{bad}");
    }
}

#[test]
fn a_gallery_network_travels_by_name_with_its_painted_image() {
    // The digit classifier's weights are a file beside the page: its link names it.
    let view = ViewChoices { example: Some("digits".into()), ..Default::default() };
    let image: Vec<f64> = (0..64).map(|k| if k % 9 == 0 { 1.0 } else { 0.0 }).collect();
    let q = to_query("(the 11 KB program)", &image, &view);
    assert!(q.starts_with("example=digits&at=1%2C0%2C0"), "{q}");
    assert!(q.len() < 400, "{} bytes", q.len());
    let back = parse_query(&q);
    assert_eq!((&back.source, &back.at, back.view.example.as_deref()), (&None, &Some(image), Some("digits")));
    assert!(back.problems.is_empty() && !back.is_empty());
    // Any gallery example travels by name too (the page fetches its program and point).
    for id in ["classic", "softmax", "decoder"] {
        assert_eq!(parse_query(&format!("example={id}")).view.example.as_deref(), Some(id));
    }
    // An example this page does not know is said, and the link is then empty.
    let unknown = parse_query("example=<img src=x>");
    assert_eq!(unknown.view.example, None);
    assert!(
        unknown.problems[0].contains("'example' value '<img src=x>' is not one this page knows"),
        "{:?}",
        unknown.problems
    );
}

#[test]
fn view_parameters_round_trip_in_both_forms() {
    let src = "f(x1, x2, x3) = [x1 + x2, x1*x3, x2^3]";
    let view = full_view();
    let q = to_query(src, &[3.0, 4.0, 5.0], &view);
    assert!(
        q.ends_with(
            "&axes=2%2C0&views=passes%2Cfd%2Cexport&pass=reverse&dir=1&step=4&h=1e-6&field=J1.2&out=1%2C2&radius=large"
        ),
        "{q}"
    );
    let back = parse_link(&format!("?{q}"), "");
    assert_eq!((back.source.as_deref(), back.at.clone(), &back.view), (Some(src), Some(vec![3.0, 4.0, 5.0]), &view));
    assert!(back.problems.is_empty(), "{:?}", back.problems);
    // Defaults are left out of the readable form.
    let plain = to_query(
        src,
        &[1.0],
        &ViewChoices {
            axes: Some((0, 1)),
            views: Some(ALL_VIEWS),
            h: Some(FdStep::Tuned),
            radius: Some(Neighbourhood::Small),
            ..Default::default()
        },
    );
    assert_eq!(plain, "f=f%28x1%2C+x2%2C+x3%29+%3D+%5Bx1+%2B+x2%2C+x1*x3%2C+x2%5E3%5D&at=1");
    // The compact form carries the same state; the query wins where both speak.
    let frag = to_fragment(src, &[3.0, 4.0, 5.0], &view);
    assert!(
        frag.starts_with("s=") && frag[2..].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
        "{frag}"
    );
    let compact = parse_link("", &format!("#{frag}"));
    assert_eq!((compact.source.as_deref(), &compact.view, compact.embed), (Some(src), &view, false));
    let embedded = parse_link("?embed=1&dir=2", &format!("#{frag}"));
    assert!(embedded.embed);
    assert_eq!(embedded.view.dir, Some(2));
    assert_eq!(embedded.source.as_deref(), Some(src));
    // No views open is said as "none", not left out.
    let none = to_query("f(x)=x", &[1.0], &ViewChoices { views: Some(0), ..Default::default() });
    assert_eq!(parse_query(&none).view.views, Some(0), "{none}");
}

#[test]
fn compact_form_is_shorter_for_real_programs() {
    let src = jacobian_playground::examples::EXAMPLES.iter().find(|e| e.id == "network").unwrap().source;
    let q = to_query(src, &[0.3, -0.7], &full_view());
    let frag = to_fragment(src, &[0.3, -0.7], &full_view());
    assert!(frag.len() < q.len(), "{} vs {}", frag.len(), q.len());
}

#[test]
fn hostile_fragments_and_view_values_give_messages() {
    let bomb = {
        // Deflate of 10 MB of zeros: a few KB that would inflate far past the limit.
        use base64::Engine as _;
        let z = miniz_oxide::deflate::compress_to_vec(&vec![b'a'; 10_000_000], 9);
        format!("s={}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(z))
    };
    let truncated = {
        let f = to_fragment("f(x) = x", &[1.0], &ViewChoices::default());
        f[..f.len() - 3].to_string()
    };
    for hash in [
        "#s=%%%",
        "#s=<script>",
        "#s=AAAA",
        "#s=",
        &format!("#{bomb}"),
        &format!("#{truncated}"),
        &format!("#s={}", "A".repeat(MAX_QUERY + 4)),
    ] {
        let s = parse_link("", hash);
        assert!(s.source.is_none(), "{hash}");
        assert!(s.problems.iter().any(|p| p.contains("compact part")), "{hash}: {:?}", s.problems);
    }
    // A fragment that decodes to bytes that are not UTF-8.
    let not_utf8 = {
        use base64::Engine as _;
        let z = miniz_oxide::deflate::compress_to_vec(&[b'f', b'=', 0xff, 0xfe], 9);
        format!("#s={}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(z))
    };
    assert!(parse_link("", &not_utf8).problems[0].contains("damaged"));
    for q in [
        "axes=1",
        "axes=a,b",
        "dir=-1",
        "step=1e99",
        "pass=sideways",
        "views=passes,evil",
        "h=0.5",
        "radius=huge",
        "field=%3Cimg%3E",
        "out=1,2,3",
    ] {
        let s = parse_query(q);
        assert!(s.problems.iter().any(|p| p.contains("not one this page knows")), "{q}: {:?}", s.problems);
        assert_eq!(s.view, ViewChoices::default(), "{q}");
    }
    // Other fragments (an anchor) are not links.
    assert!(parse_link("", "#top").is_empty());
    // A byte-order mark before the key, raw or as the address bar encodes it, is read past.
    let f = to_fragment("f(x) = x", &[2.0], &ViewChoices::default());
    for hash in [format!("#\u{FEFF}{f}"), format!("#%EF%BB%BF{f}")] {
        let s = parse_link("", &hash);
        assert_eq!((s.source.as_deref(), s.at.as_deref()), (Some("f(x) = x"), Some(&[2.0][..])), "{hash}");
    }
    // Every rejected parameter is named, `embed` too.
    for (q, embed) in [("embed=1", true), ("embed=true", true), ("embed=0", false), ("embed=false", false)] {
        let s = parse_query(q);
        assert_eq!((s.embed, s.problems.len()), (embed, 0), "{q}");
    }
    let s = parse_query("embed=%3Cscript%3E");
    assert!(!s.embed && s.problems.iter().any(|p| p.contains("'embed' value '<script>'")), "{:?}", s.problems);
}

proptest! {
    #[test]
    fn any_source_and_point_survive_the_compact_form(src in "\\PC{0,200}", at in proptest::collection::vec(-1e6f64..1e6, 0..6)) {
        let src = src.replace('\0', "");
        let back = parse_link("", &format!("#{}", to_fragment(&src, &at, &ViewChoices::default())));
        prop_assert_eq!(back.source.as_deref(), Some(src.as_str()));
        if !at.is_empty() {
            prop_assert_eq!(back.at, Some(at));
        }
    }

    #[test]
    fn the_readable_link_is_encoded_as_form_urlencoded_would(src in "\\PC{0,200}", x in -1e6f64..1e6) {
        let q = to_query(&src, &[x], &ViewChoices::default());
        let want = form_urlencoded::Serializer::new(String::new())
            .append_pair("f", &src)
            .append_pair("at", &jacobian_playground::view::format_full(x))
            .finish();
        prop_assert_eq!(q, want);
    }

    #[test]
    fn random_fragments_never_panic(s in "[A-Za-z0-9_-]{0,400}") {
        let _ = parse_link("", &format!("#s={s}"));
    }
}

#[test]
fn embed_snippet_is_safe_html() {
    use jacobian_playground::share::{embed_snippet, embed_url};
    let url = embed_url("https://example.org/playground/", "s=abc-_");
    assert_eq!(url, "https://example.org/playground/?embed=1#s=abc-_");
    let s = embed_snippet(&url, 720, 560, "Polar \"maps\" <b>&</b>\n");
    assert_eq!(
        s,
        "<iframe src=\"https://example.org/playground/?embed=1#s=abc-_\" width=\"720\" height=\"560\" title=\"Polar &quot;maps&quot; &lt;b&gt;&amp;&lt;/b&gt;\" loading=\"lazy\" style=\"border:0;max-width:100%\"></iframe>"
    );
    assert!(embed_snippet(&url, 1, 1, "  ").contains("title=\"Jacobian Playground\""));
    assert_eq!(embed_url("https://e.org/?f=x&at=1", ""), "https://e.org/?f=x&at=1&embed=1");
}

#[test]
fn the_readme_examples_open_as_documented() {
    let readme = include_str!("../README.md");
    let readable = readme.lines().find(|l| l.contains("?f=f%28r%2C+theta")).expect("readable example");
    let compact = readme.lines().find(|l| l.starts_with("http") && l.contains("/#s=")).expect("compact example");
    let embed = readme.lines().find(|l| l.starts_with("<iframe")).expect("embed example");
    let a = parse_link(&readable[readable.find('?').unwrap()..], "");
    let b = parse_link("", &compact[compact.find('#').unwrap()..]);
    let src = &embed[embed.find("src=\"").unwrap() + 5..];
    let src = &src[..src.find('"').unwrap()];
    let c = parse_link(&src[src.find('?').unwrap()..src.find('#').unwrap()], &src[src.find('#').unwrap()..]);
    assert!(a.problems.is_empty() && b.problems.is_empty() && c.problems.is_empty());
    assert_eq!(a.source.as_deref(), Some("f(r, theta) = [r*cos(theta), r*sin(theta)]"));
    assert_eq!((&a.source, &a.at, &a.view), (&b.source, &b.at, &b.view));
    assert_eq!((&b.source, &b.view, c.embed), (&c.source, &c.view, true));
    assert_eq!(a.view.reverse, Some(true));
    assert_eq!(a.view.step, Some(2));
}

#[test]
fn a_decompression_bomb_is_called_what_it_is() {
    use base64::Engine;
    // 10 MB of one byte deflates to ~10 KB: under the fragment's length limit.
    let bomb = miniz_oxide::deflate::compress_to_vec(&vec![b'x'; 10 << 20], 9);
    let packed = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bomb);
    let s = parse_link("", &format!("#s={packed}"));
    assert!(s.source.is_none());
    assert!(s.problems.iter().any(|p| p.contains("expands to more than")), "{:?}", s.problems);
    let s = parse_link("", "#s=AAAA");
    assert!(s.problems.iter().any(|p| p.contains("damaged")), "{:?}", s.problems);
}

#[test]
fn a_point_of_the_wrong_length_is_said_not_adapted_silently() {
    use jacobian_playground::core::point::count_mismatch;
    let names: Vec<String> = ["x", "y", "z"].iter().map(|s| s.to_string()).collect();
    assert_eq!(count_mismatch(3, &names), None);
    assert_eq!(
        count_mismatch(2, &names).unwrap(),
        "The link's point has 2 coordinates but the function has 3 inputs (x, y, z): z starts at 1."
    );
    assert!(count_mismatch(1, &names).unwrap().ends_with("(x, y, z): y, z start at 1."));
    assert_eq!(
        count_mismatch(5, &names).unwrap(),
        "The link's point has 5 coordinates but the function has 3 inputs (x, y, z): the last 2 were ignored."
    );
    // Counts of one read as English.
    assert_eq!(
        count_mismatch(1, &names[..2]).unwrap(),
        "The link's point has 1 coordinate but the function has 2 inputs (x, y): y starts at 1."
    );
    assert_eq!(
        count_mismatch(2, &names[..1]).unwrap(),
        "The link's point has 2 coordinates but the function has 1 input (x): the last was ignored."
    );
    // A thousand inputs: the message stays a line long.
    let many: Vec<String> = (0..1000).map(|k| format!("x{k}")).collect();
    let msg = count_mismatch(1, &many).unwrap();
    assert!(msg.contains("… and 993 more") && msg.len() < 200, "{msg}");
}

#[test]
fn a_hand_typed_plus_reads_as_plus_where_a_space_would_not_parse() {
    let s = parse_query("f=f(x,y)=[x+y,x*y]&at=1,2");
    assert_eq!(s.source.as_deref(), Some("f(x,y)=[x+y,x*y]"));
    assert!(s.problems.iter().any(|p| p.contains("read as plus") && p.contains("%2B")), "{:?}", s.problems);
    // Where the spaces parse, they are spaces (the page's own links encode a plus as %2B).
    let s = parse_query("f=f(x%2C+y)+%3D+x+%2B+y");
    assert_eq!(s.source.as_deref(), Some("f(x, y) = x + y"));
    assert!(s.problems.is_empty(), "{:?}", s.problems);
    // A function broken either way is left as written, with no word about plus signs.
    let s = parse_query("f=f(x)+%3D+x+*");
    assert_eq!(s.source.as_deref(), Some("f(x) = x *"));
    assert!(s.problems.is_empty(), "{:?}", s.problems);
}

#[test]
fn each_view_has_its_own_key_label_and_bit_and_a_link_opens_it_alone() {
    use jacobian_playground::share::View;
    let mut seen_bits = 0u8;
    for (k, v) in View::ALL.into_iter().enumerate() {
        assert_eq!(v.bit(), 1 << k, "{v:?}: bits follow page order");
        assert_eq!(seen_bits & v.bit(), 0);
        seen_bits |= v.bit();
        for w in &View::ALL[..k] {
            assert!(w.key() != v.key() && w.label() != v.label(), "{v:?} and {w:?}");
        }
        let q = to_query("f(x)=x", &[1.0], &ViewChoices { views: Some(v.bit()), ..Default::default() });
        assert!(q.contains(&format!("views={}", v.key())), "{q}");
        assert_eq!(parse_query(&q).view.views, Some(v.bit()), "{q}");
    }
    assert_eq!(seen_bits, ALL_VIEWS);
}
