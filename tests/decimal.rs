//! core::decimal reads exactly the strings the standard library's f64 parser reads, to the
//! same value (the page converts them with the browser's parser; natively this compares
//! the grammar check with std itself).
use jacobian_playground::core::decimal::parse;
use proptest::prelude::*;

fn same(s: &str) {
    let want = s.parse::<f64>().ok();
    let got = parse(s);
    match (got, want) {
        (Some(a), Some(b)) => assert!(a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()), "{s:?}: {a} vs {b}"),
        (a, b) => assert_eq!(a.is_some(), b.is_some(), "{s:?}: {a:?} vs {b:?}"),
    }
}

#[test]
fn the_grammar_is_std_s() {
    for s in [
        "",
        "+",
        "-",
        ".",
        "e5",
        "1e",
        "1e+",
        ".e1",
        "1.",
        ".5",
        "-.5e-3",
        "+1E+05",
        "007",
        "1_000",
        " 1",
        "1 ",
        "0x10",
        "1e999",
        "-1e999",
        "inf",
        "-INF",
        "Infinity",
        "+infinity",
        "nan",
        "NaN",
        "-nan",
        "infinit",
        "in",
        "1.2.3",
        "1e5.5",
        "--1",
        "4.9e-324",
        "2.2250738585072014e-308",
        "0.30000000000000004",
        "123456789012345678901234567890",
        "1e-400",
        "٣",
    ] {
        same(s);
    }
}

proptest! {
    #[test]
    fn random_text_reads_as_std_reads_it(s in "[0-9.eE+\\-infatyINFATY]{0,10}") {
        same(&s);
    }

    #[test]
    fn every_float_the_page_writes_reads_back(bits in any::<u64>()) {
        let v = f64::from_bits(bits);
        for s in [format!("{v}"), format!("{v:e}"), format!("{v:.3e}"), jacobian_playground::core::syntax::format_number(v)] {
            same(&s);
        }
    }
}
