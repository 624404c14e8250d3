//! Every rule page's examples run through the real binary: each failing example produces the
//! page's rule, each fixed one does not (and is read as a cluster, so "no finding" is not
//! "nothing checked"). Fragments are completed by the page's hidden context
//! (`eks_lint::rules::examples` describes the convention).

use eks_lint::rules::examples::{examples, Example};
use eks_lint::rules::{RuleMeta, RULES};
use std::process::Command;

/// Pages without a fixed example, and why (every page needs a failing one).
const NO_FIXED: &[(&str, &str)] = &[
    (
        "EKS901",
        "the value is resolved outside the files (--var, --var-file), as the page says",
    ),
    (
        "EKS903",
        "the fixed file is any file that parses, as in every other page",
    ),
];

/// The floors: examples run in all, and per input kind.
const MIN_EXAMPLES: usize = 85;
const MIN_PER_KIND: usize = 40;

/// (codes found, clusters found, input errors) for one example in a fresh directory.
fn run(ex: &Example) -> (Vec<String>, u64, Vec<String>) {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join(ex.input.0), &ex.input.1).expect("write input");
    for (name, text) in &ex.files {
        std::fs::write(dir.path().join(name), text).expect("write file");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_eks-lint"))
        .args(["check", ".", "--format", "json"])
        .current_dir(dir.path())
        .env_clear()
        .output()
        .expect("run eks-lint");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "no JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let strings = |x: &serde_json::Value| -> Vec<String> {
        x.as_array()
            .map(|a| a.iter().map(|e| e.to_string()).collect())
            .unwrap_or_default()
    };
    let codes = v["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| format!("{} {}", f["code"].as_str().unwrap_or(""), f["message"]))
                .collect()
        })
        .unwrap_or_default();
    (
        codes,
        v["summary"]["clusters"].as_u64().unwrap_or(0),
        strings(&v["summary"]["input_errors"]),
    )
}

fn check_page(r: &RuleMeta, failures: &mut Vec<String>) -> Vec<Example> {
    let exs = match examples(r) {
        Ok(e) => e,
        Err(e) => {
            failures.push(e);
            return Vec::new();
        }
    };
    let code = r.code.as_str();
    let at = |ex: &Example| format!("{}:{} ({})", r.file, ex.line, ex.label);
    for ex in &exs {
        let (found, clusters, input_errors) = run(ex);
        let hit = found.iter().find(|f| f.starts_with(code));
        if std::env::var_os("RULE_PAGES_SHOW").is_some() {
            println!("{}:\n  {}", at(ex), found.join("\n  "));
        }
        if !input_errors.is_empty() {
            failures.push(format!("{}: input errors {input_errors:?}", at(ex)));
        }
        match (ex.failing, hit) {
            (true, None) => failures.push(format!("{}: no {code} in {found:#?}", at(ex))),
            (false, Some(f)) => failures.push(format!("{}: {f}", at(ex))),
            (false, None) if clusters == 0 => {
                failures.push(format!("{}: no cluster found, nothing was checked", at(ex)))
            }
            _ => {}
        }
    }
    let has = |failing: bool| exs.iter().any(|e| e.failing == failing);
    if !has(true) {
        failures.push(format!("{}: no failing example", r.file));
    }
    match (has(false), NO_FIXED.iter().any(|(c, _)| *c == code)) {
        (false, false) => failures.push(format!("{}: no fixed example", r.file)),
        (true, true) => failures.push(format!(
            "{}: has a fixed example, drop it from NO_FIXED",
            r.file
        )),
        _ => {}
    }
    exs
}

#[test]
fn every_rule_page_example_fails_or_passes_as_labelled() {
    // `RULE_PAGES=EKS101,EKS102` runs only those pages (floors apply to the full run);
    // `RULE_PAGES_SHOW=1` prints every example's findings (to check a page's figures).
    let only = std::env::var("RULE_PAGES").ok();
    let mut failures = Vec::new();
    let mut ran: Vec<Example> = Vec::new();
    for r in RULES {
        if only
            .as_deref()
            .is_some_and(|o| !o.split(',').any(|c| c == r.code.as_str()))
        {
            continue;
        }
        ran.extend(check_page(r, &mut failures));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    if only.is_none() {
        let kind = |lang: &str| ran.iter().filter(|e| e.lang == lang).count();
        assert!(ran.len() >= MIN_EXAMPLES, "only {} examples ran", ran.len());
        for lang in ["hcl", "yaml"] {
            assert!(
                kind(lang) >= MIN_PER_KIND,
                "only {} {lang} examples",
                kind(lang)
            );
        }
    }
}
