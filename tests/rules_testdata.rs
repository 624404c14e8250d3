//! Every rule case in testdata/rules/<CODE>-<name>/{fail,pass}: the rule fires on `fail` and
//! stays quiet on `pass`. Each input file (Terraform `main.tf`, eksctl `cluster.yaml`) is
//! checked on its own, so one front end cannot hide a regression in the other.

use eks_lint::settings::Settings;
use std::path::{Path, PathBuf};

/// The fewest rule cases, and inputs of each kind, that must be checked (the counts when the
/// floors were set): deleting fixtures or a broken glob fails instead of checking less.
const CASES_FLOOR: usize = 23;
const TF_FLOOR: usize = 46;
const YAML_FLOOR: usize = 44;

fn settings() -> Settings {
    Settings {
        base_dir: Some(PathBuf::from(env!("CARGO_MANIFEST_DIR"))),
        ..Settings::default()
    }
}

/// (findings as "CODE message", clusters found).
fn run(file: &Path) -> (Vec<String>, usize) {
    let r = eks_lint::check(&[file.to_path_buf()], &settings());
    assert!(
        r.input_errors.is_empty(),
        "{}: {:?}",
        file.display(),
        r.input_errors
    );
    let found = r
        .diagnostics
        .iter()
        .map(|d| format!("{} {}", d.code, d.message))
        .collect();
    (found, r.clusters.len())
}

fn inputs(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    v.retain(|p| {
        p.extension()
            .is_some_and(|x| x == "tf" || x == "yaml" || x == "yml")
    });
    v.sort();
    v
}

#[test]
fn every_rule_case_fires_on_fail_and_not_on_pass() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/rules");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("testdata/rules")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= CASES_FLOOR,
        "{} rule cases, fewer than {CASES_FLOOR}",
        cases.len()
    );
    let mut failures = Vec::new();
    let (mut tf, mut yaml) = (0, 0);
    for case in &cases {
        let name = case.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let code = &name[..6];
        assert!(
            eks_lint::rules::meta(code).is_some_and(|m| name == format!("{code}-{}", m.name)),
            "{name}: not <CODE>-<name>"
        );
        for (kind, want) in [("fail", true), ("pass", false)] {
            let files = inputs(&case.join(kind));
            assert!(!files.is_empty(), "{name}/{kind} has no input");
            for f in files {
                if f.extension().is_some_and(|x| x == "tf") {
                    tf += 1;
                } else {
                    yaml += 1;
                }
                let (found, clusters) = run(&f);
                let rel = f.strip_prefix(&root).unwrap_or(&f).display().to_string();
                if clusters == 0 {
                    failures.push(format!("{rel}: no cluster found"));
                }
                let hit = found.iter().find(|c| c.starts_with(code));
                match (want, hit) {
                    (true, None) => failures.push(format!("{rel}: no {code} in {found:#?}")),
                    (false, Some(c)) => failures.push(format!("{rel}: {c}")),
                    _ => {}
                }
            }
        }
    }
    assert!(
        tf >= TF_FLOOR && yaml >= YAML_FLOOR,
        "{tf} Terraform and {yaml} eksctl inputs checked, fewer than {TF_FLOOR} and {YAML_FLOOR}"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
