//! The personal-data corpus: true positives of each kind, and the dates,
//! times, money, codes and numbers that must not fire.

use super::detect::{AREAS, is_area, luhn};
use super::reference::MAX_TAIL;
use super::*;

fn plain() -> Scanner {
    Scanner::default()
}

/// The kinds and matched texts of the findings in `text`.
fn found(scanner: &Scanner, text: &str) -> Vec<(Kind, String)> {
    scanner
        .scan(text)
        .into_iter()
        .map(|f| (f.kind, text[f.start..f.end].to_string()))
        .collect()
}

#[test]
fn true_positives() {
    let cases: &[(Kind, &str, &str)] = &[
        (
            Kind::Email,
            "Mail jo.bloggs@example.co.uk today",
            "jo.bloggs@example.co.uk",
        ),
        (
            Kind::Email,
            "<sam+refunds@brightwater.example>",
            "sam+refunds@brightwater.example",
        ),
        (
            Kind::Email,
            "From: A.Khan@Northgate-Training.org.",
            "A.Khan@Northgate-Training.org",
        ),
        (
            Kind::Email,
            "customer_99@mail.example.com wrote",
            "customer_99@mail.example.com",
        ),
        (Kind::Email, "(mailto:x@y.io)", "x@y.io"),
        (Kind::Phone, "Please call 07700 900123 before five.", "07700 900123"),
        (Kind::Phone, "mobile 07700-900-123", "07700-900-123"),
        (Kind::Phone, "tel: +44 7700 900123", "+44 7700 900123"),
        (Kind::Phone, "ring +44 (0)113 496 0000.", "+44 (0)113 496 0000"),
        (Kind::Phone, "ring (0113) 496 0000 now", "(0113) 496 0000"),
        (Kind::Phone, "landline 0113 496 0000", "0113 496 0000"),
        (Kind::Phone, "London 020 7946 0000", "020 7946 0000"),
        (Kind::Phone, "+447700900123", "+447700900123"),
        (Kind::Phone, "call 01632 960001, then", "01632 960001"),
        (Kind::Phone, "0300-123-4567", "0300-123-4567"),
        (Kind::Phone, "+44 20 7946 0000", "+44 20 7946 0000"),
        (Kind::Postcode, "lives at LS1 4AP near", "LS1 4AP"),
        (Kind::Postcode, "SW1A 1AA", "SW1A 1AA"),
        (Kind::Postcode, "Manchester M1 1AE.", "M1 1AE"),
        (Kind::Postcode, "B33 8TH", "B33 8TH"),
        (Kind::Postcode, "ec1a 1bb", "ec1a 1bb"),
        (Kind::Postcode, "(CR2 6XH)", "CR2 6XH"),
        (Kind::Postcode, "W1A 0AX", "W1A 0AX"),
        (Kind::Postcode, "postcode LS14AP", "LS14AP"),
        (
            Kind::CardNumber,
            "card 4111 1111 1111 1111 expires",
            "4111 1111 1111 1111",
        ),
        (Kind::CardNumber, "4111-1111-1111-1111", "4111-1111-1111-1111"),
        (Kind::CardNumber, "paid with 5555555555554444.", "5555555555554444"),
        (Kind::CardNumber, "Amex 3782 822463 10005", "3782 822463 10005"),
        (Kind::CardNumber, "6011 1111 1111 1117", "6011 1111 1111 1117"),
        (Kind::CardNumber, "old Visa 4222222222222", "4222222222222"),
        (Kind::NiNumber, "NI AB 12 34 56 C on file", "AB 12 34 56 C"),
        (Kind::NiNumber, "JG103759A", "JG103759A"),
        (Kind::NiNumber, "number PE 123456 B.", "PE 123456 B"),
        (Kind::NiNumber, "ce123456d", "ce123456d"),
        (Kind::NiNumber, "(HZ123456A)", "HZ123456A"),
    ];
    for (kind, text, expected) in cases {
        assert_eq!(found(&plain(), text), vec![(*kind, expected.to_string())], "{text}");
    }
}

#[test]
fn false_positives_do_not_fire() {
    let texts = [
        "2026-03-14",
        "14/03/2026",
        "14 March 2026",
        "on 2026-03-14 at 16:52",
        "2026-03-14T16:52:00Z",
        "20260314",
        "08:45",
        "from 08:45 to 09:30, 0845-0930",
        "£250",
        "£1,250.00 refund",
        "1,000,000",
        "version 1.2.3",
        "criterion 3.2",
        "P5",
        "K11",
        "[[3.2]]",
        "cfacsb16:P5",
        "UAN T/506/2157",
        "42",
        "case 4411",
        "95% and 12.5%",
        "The customer was happy with the refund and the handover.",
        "Consumer Rights Act 2015, Equality Act 2010, Data Protection Act 2018",
        "ISO 9001:2015",
        "ULN 9000000421",
        "learner L-0042 at centre C-1234",
        "ISBN 978-1-4028-9462-6",
        "192.168.0.1",
        "room 0113",
        "ext. 4960",
        "SW1A on its own, LS1, M1",
        "a2b and b2b",
        "0800 0900 1000 1100",
        "01 02 03 04 05 06",
        "x07700900123",
        "07700900123456",
        "07700 900123x",
        "1.07700900123",
        "on L3 2nd floor",
        "@mention",
        "jo@localhost",
        "SBAR, HEAT (Hear, Empathise, Apologise, Take ownership)",
        "page 12 of 30",
        "0x7700900123",
        "NK 12 34 56 A",
    ];
    for text in texts {
        assert_eq!(found(&plain(), text), vec![], "{text}");
    }
}

#[test]
fn invalid_ni_prefixes_and_suffixes() {
    for text in [
        "QQ 12 34 56 C",
        "GB123456A",
        "BG123456A",
        "NK123456A",
        "KN123456A",
        "TN123456A",
        "NT123456A",
        "ZZ123456A",
        "DA123456A",
        "AO123456A",
        "AB123456E",
        "AB12345C",
        "AB123456CX",
    ] {
        assert_eq!(found(&plain(), text), vec![], "{text}");
    }
}

#[test]
fn luhn_rejects_a_non_card_number() {
    assert_eq!(found(&plain(), "4111 1111 1111 1112"), vec![]);
    assert_eq!(found(&plain(), "ref 4111111111111112"), vec![]);
    assert_eq!(found(&plain(), "1234 5678 9012 3452"), vec![]);
    assert!(luhn(b"4111 1111 1111 1111"));
    assert!(!luhn(b"4111 1111 1111 1112"));
}

#[test]
fn allow_list() {
    let allow = ["0113 496 0000".to_string(), "Info@Brightwater.example".to_string()];
    let scanner = Scanner::new(&[], &allow).unwrap();
    for text in [
        "0113 496 0000",
        "(0113) 496-0000",
        "+44 113 496 0000",
        "+44 (0)113 496 0000",
        "info@brightwater.example",
    ] {
        assert_eq!(found(&scanner, text), vec![], "{text}");
    }
    assert_eq!(
        found(&scanner, "0113 496 0001 or jo@brightwater.example"),
        vec![
            (Kind::Phone, "0113 496 0001".to_string()),
            (Kind::Email, "jo@brightwater.example".to_string())
        ]
    );
}

#[test]
fn declared_references() {
    let refs = ["ACC-", "CASE-######", "bw@@####", "TX-*"].map(String::from);
    let scanner = Scanner::new(&refs, &[]).unwrap();
    let r = |s: &str| vec![(Kind::Reference, s.to_string())];
    assert_eq!(found(&scanner, "see ACC-20931."), r("ACC-20931"));
    assert_eq!(found(&scanner, "acc-7F3/22 today"), r("acc-7F3/22"));
    assert_eq!(found(&scanner, "CASE-123456"), r("CASE-123456"));
    assert_eq!(found(&scanner, "BW-free BWxy2026 "), r("BWxy2026"));
    assert_eq!(found(&scanner, "TX-AB12"), r("TX-AB12"));
    for text in [
        "ACC-",
        "ACC-TEAM",
        "XACC-123",
        "ACC-123x_",
        "CASE-12345",
        "CASE-1234567",
        "BW1234",
        "case 4411",
    ] {
        assert_eq!(found(&scanner, text), vec![], "{text}");
    }
    let long = format!("ACC-{}", "1".repeat(MAX_TAIL + 1));
    assert_eq!(found(&scanner, &long), vec![]);
    // Six digits are enough to stand alone; fewer are not.
    assert!(Scanner::new(&["######".to_string()], &[]).is_ok());
    for bad in ["", "  ", "*", "AB*CD", "###", "@@@@", "AB\\", "A\tB", "é#", "**"] {
        let err = Scanner::new(&[bad.to_string()], &[]).unwrap_err();
        assert!(err.contains(&format!("\"{bad}\"")), "{err}");
    }
}

#[test]
fn redacts_every_finding() {
    let text = "Jo (jo@example.com, 07700 900123) of LS1 4AP paid by 4111 1111 1111 1111; \
                NI AB123456C, account ACC-20931, case 4411 on 14/03/2026.";
    let scanner = Scanner::new(&["ACC-".to_string()], &[]).unwrap();
    assert_eq!(
        scanner.redact(text),
        "Jo ([email removed], [phone removed]) of [postcode removed] paid by [card number removed]; \
         NI [NI number removed], account [reference removed], case 4411 on 14/03/2026."
    );
    assert_eq!(scanner.redact("nothing here"), "nothing here");
    assert_eq!(scanner.redact(""), "");
}

#[test]
fn overlapping_and_adjacent_findings() {
    // Adjacent: an e-mail address straight into a bracketed phone number.
    let text = "jo@x.uk(0113) 496 0000";
    assert_eq!(
        plain().scan(text),
        vec![
            Finding {
                kind: Kind::Email,
                start: 0,
                end: 7
            },
            Finding {
                kind: Kind::Phone,
                start: 7,
                end: text.len()
            },
        ]
    );
    // Overlapping addresses merge into one finding covering both.
    assert_eq!(
        found(&plain(), "a@b.com@c.com"),
        vec![(Kind::Email, "a@b.com@c.com".to_string())]
    );
    // A declared reference and an NI number on the same span: one finding.
    let scanner = Scanner::new(&["AB######C".to_string()], &[]).unwrap();
    assert_eq!(
        found(&scanner, "AB123456C"),
        vec![(Kind::Reference, "AB123456C".to_string())]
    );
    // A phone number inside an e-mail address is covered by the address.
    assert_eq!(
        found(&plain(), "x.07700900123@example.com"),
        vec![(Kind::Email, "x.07700900123@example.com".to_string())]
    );
    // Two numbers in a row stay two findings.
    assert_eq!(
        found(&plain(), "0113 496 0000 0113 496 0001"),
        vec![
            (Kind::Phone, "0113 496 0000".to_string()),
            (Kind::Phone, "0113 496 0001".to_string())
        ]
    );
}

fn check_invariants(scanner: &Scanner, text: &str) {
    let findings = scanner.scan(text);
    for pair in findings.windows(2) {
        assert!(pair[0].end <= pair[1].start, "{text:?}: {findings:?}");
    }
    for f in &findings {
        assert!(f.start < f.end && text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
    }
    scanner.redact(text);
}

#[test]
fn never_panics() {
    let scanner = Scanner::new(&["ACC-".to_string(), "X*".to_string(), "######".to_string()], &[]).unwrap();
    let awkward = [
        "",
        "@",
        "@@@",
        "a@",
        "@b.c",
        ".@.",
        "+",
        "+4",
        "+44",
        "+44 ",
        "+44 (0)",
        "(",
        "(0",
        "(0113",
        "(0113)",
        "0",
        "07700 ",
        "07700 9001",
        "4",
        "4111 ",
        "4111 1111 1111 111",
        "A",
        "AB",
        "AB 12",
        "AB 12 34 56",
        "AB 12 34 56 ",
        "L",
        "LS1",
        "LS1 ",
        "LS1 4",
        "LS1 4A",
        "é@é.é",
        "日本語07700 900123",
        "07700 900123日本",
        "\u{0}\u{1}@\u{7f}",
        "ACC",
        "ACC-",
        "X",
        "£",
        "¼½",
        "\u{feff}07700900123",
        "🙂LS1 4AP🙂",
        "jo@example.com\u{301}",
        "Ω4111111111111111",
        "a@b.c-",
        "x@-y.com",
        "x@y..com",
    ];
    for text in awkward {
        check_invariants(&scanner, text);
    }
    // Long and repetitive inputs, including ones built to make a naive
    // matcher backtrack.
    let units = [
        "a.", "a@", "@a.", "0", "07700 ", "4111 ", "ACC-A", "ACC-1-", "AB 12 ", "LS1 ", "+44 ", "(0", "é", "x@y.",
    ];
    for unit in units {
        let text = unit.repeat(20_000);
        check_invariants(&scanner, &text);
    }
}

#[test]
fn finds_items_in_a_long_line() {
    let mut text = "word 2026-03-14 £1,250.00 ".repeat(10_000);
    text.push_str("jo@example.com");
    let findings = plain().scan(&text);
    assert_eq!(findings.len(), 1);
    assert_eq!(&text[findings[0].start..], "jo@example.com");
}

#[test]
fn postcode_areas() {
    for area in AREAS {
        assert!(is_area(area.as_bytes()), "{area}");
    }
    for not in ["A", "C", "GB", "LX", "Q", "ZZ", "", "ABC", "a", "["] {
        assert!(!is_area(not.as_bytes()), "{not}");
    }
}

#[test]
fn kind_ids_labels_and_masks() {
    assert_eq!(Kind::CardNumber.id(), "card-number");
    assert_eq!(Kind::NiNumber.label(), "a National Insurance number");
    assert_eq!(Kind::Reference.mask(), "[reference removed]");
}
