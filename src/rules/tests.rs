//! The catalogue, the pages and the code must agree.

use super::pages::{self, SECTIONS};
use super::{implemented_codes, meta, CHECKS, RULES};
use crate::code::Code;

/// The fewest rule pages (`rules/*.md`, read by `build.rs`): the tests below loop over them.
const PAGES_FLOOR: usize = 24;

#[test]
fn every_page_is_registered_once_and_every_check_has_a_page() {
    assert!(RULES.len() >= PAGES_FLOOR, "{} rule pages", RULES.len());
    assert_eq!(RULES.len(), Code::ALL.len());
    // A check's code is a `Code`, so it has a page; the page must say it is a check's.
    for r in RULES {
        let n = CHECKS.iter().filter(|(c, _)| *c == r.code).count();
        let want = usize::from(r.check);
        assert_eq!(
            n,
            want,
            "{}: {n} entries in rules::CHECKS, want {want} (front matter emitted-by: {})",
            r.file,
            if r.check { "check" } else { "pipeline" }
        );
    }
    assert!(
        CHECKS.windows(2).all(|w| w[0].0 < w[1].0),
        "CHECKS in code order"
    );
    assert!(CHECKS.len() >= 20, "{} checks", CHECKS.len());
    assert_eq!(implemented_codes(), Code::ALL);
    let pipeline: Vec<Code> = RULES.iter().filter(|r| !r.check).map(|r| r.code).collect();
    assert_eq!(pipeline, [Code::EKS901, Code::EKS902, Code::EKS903]);
}

#[test]
fn every_page_has_every_section_in_order() {
    for r in RULES {
        let s = pages::sections(r);
        let mut at = 0;
        for want in SECTIONS {
            let pos = s[at..].iter().position(|h| h == want);
            assert!(
                pos.is_some(),
                "{}: section `{want}` missing or out of order ({s:?})",
                r.file
            );
            at += pos.unwrap_or(0) + 1;
            let text = pages::section(r, want).unwrap_or("");
            assert!(!text.is_empty(), "{}: section `{want}` is empty", r.file);
        }
        let ex = pages::section(r, "Example").unwrap_or("");
        if r.category != "meta" {
            // Failing and fixed, in Terraform and in eksctl.
            assert!(
                ex.matches("```hcl").count() >= 2 && ex.matches("```yaml").count() >= 2,
                "{}: Example needs failing and fixed Terraform and eksctl",
                r.file
            );
            assert!(ex.contains("Failing") && ex.contains("Fixed"), "{}", r.file);
        }
    }
}

#[test]
fn front_matter_is_consistent() {
    let mut prev = "";
    for (i, r) in RULES.iter().enumerate() {
        assert!(r.code.as_str() > prev, "codes sorted and unique");
        prev = r.code.as_str();
        // `Code::meta` indexes the table by the enum's position.
        assert_eq!((r.code, r.code.meta().code), (Code::ALL[i], r.code));
        assert_eq!(r.file, format!("{}-{}.md", r.code, r.name));
        assert!(
            r.name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
            "{}",
            r.name
        );
        assert!(!r.summary.is_empty());
        assert_eq!(r.since, "0.1.0");
        assert!(
            ["capacity", "instance", "cni", "network", "meta"].contains(&r.category),
            "{}",
            r.category
        );
        assert_eq!(meta(r.name).map(|m| m.code), Some(r.code));
        assert_eq!(
            meta(&r.code.as_str().to_lowercase()).map(|m| m.code),
            Some(r.code)
        );
    }
    assert_eq!(
        meta("EKS101").map(|m| m.level),
        Some(crate::diag::Level::Error)
    );
}

#[test]
fn readme_rule_table_is_current() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let updated =
        pages::update_readme(&readme).expect("README.md lacks the rules:start/end markers");
    assert!(
        updated == readme,
        "README rule table is stale: run `cargo test -- --ignored regenerate_readme_table`"
    );
}

/// Rewrites the README table from the pages.
#[test]
#[ignore]
fn regenerate_readme_table() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).expect("README.md");
    let updated = pages::update_readme(&readme).expect("markers");
    std::fs::write(path, updated).expect("write README.md");
}

#[test]
fn rule_command_prints_pages_and_lists() {
    let p = pages::rule_command(Some("EKS101"), false, false).unwrap();
    assert!(p.starts_with("EKS101 subnet-exhaustion (error"));
    assert!(p.contains("## How to fix"));
    assert!(pages::rule_command(Some("subnet-headroom"), false, false)
        .unwrap()
        .starts_with("EKS102"));
    let all: serde_json::Value =
        serde_json::from_str(&pages::rule_command(None, true, true).unwrap()).unwrap();
    assert_eq!(all["rules"].as_array().map(Vec::len), Some(RULES.len()));
    assert_eq!(
        pages::rule_command(Some("EKS999"), false, false).unwrap_err(),
        "unknown rule `EKS999` (see `eks-lint rule --all`)"
    );
    assert!(pages::rule_command(Some("subnet-exhaustin"), false, false)
        .unwrap_err()
        .starts_with("unknown rule `subnet-exhaustin`; did you mean EKS101, "));
    assert!(pages::rule_command(Some("EKS10"), false, false)
        .unwrap_err()
        .contains("did you mean EKS101, EKS102, EKS103, EKS104?"));
}

#[test]
fn rule_codes_mentioned_in_pages_exist() {
    for r in RULES {
        let b = pages::body(r);
        for (i, _) in b.match_indices("EKS") {
            let code: String = b[i..].chars().take(6).collect();
            if code.len() == 6 && code[3..].chars().all(|c| c.is_ascii_digit()) {
                assert!(meta(&code).is_some(), "{} mentions unknown {code}", r.file);
            }
        }
    }
}
