//! Every rule case in testdata/rules/<CODE>-<name>/{fail,pass}: the rule fires on `fail` and
//! stays quiet on `pass` (Terraform `main.tf` and/or eksctl `cluster.yaml` in each).

use eks_lint::settings::Settings;
use std::path::{Path, PathBuf};

fn settings() -> Settings {
    Settings {
        read_env_vars: false,
        ..Settings::default()
    }
}

fn codes(dir: &Path) -> Vec<String> {
    let r = eks_lint::check(&[dir.to_path_buf()], &settings());
    assert!(
        r.input_errors.is_empty(),
        "{}: {:?}",
        dir.display(),
        r.input_errors
    );
    r.diagnostics
        .iter()
        .map(|d| format!("{} {}", d.code, d.message))
        .collect()
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
    assert!(cases.len() >= 20, "{} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let code = &name[..6];
        assert!(
            eks_lint::rules::meta(code).is_some_and(|m| name == format!("{code}-{}", m.name)),
            "{name}: not <CODE>-<name>"
        );
        let fail = codes(&case.join("fail"));
        if !fail.iter().any(|c| c.starts_with(code)) {
            failures.push(format!("{name}/fail: no {code} in {fail:#?}"));
        }
        let pass = codes(&case.join("pass"));
        if let Some(c) = pass.iter().find(|c| c.starts_with(code)) {
            failures.push(format!("{name}/pass: {c}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
