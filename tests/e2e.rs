//! End-to-end snapshots: every case directory under `testdata/` is run through the built
//! binary, and its human, JSON and SARIF output (plus exit code) is compared with the
//! snapshots in `<case>/snapshots/`. Every SARIF output is validated against the OASIS schema.
//!
//! A case directory is the topmost directory under `testdata/` that holds configuration files
//! (`*.tf`, `*.tf.json`, `*.tfvars`, `*.tfvars.json`, `*.yaml`, `*.yml`) or an `args` file.
//! Optional files in it:
//! - `args`: extra command-line arguments (whitespace-separated; `#` starts a comment line),
//!   e.g. `--fail-on warning` or the paths to scan; the binary runs with the case directory
//!   as working directory, so paths are relative to it.
//! - `formats`: further outputs to snapshot: `github` (also snapshots the step summary it
//!   writes), `markdown`, `junit`, `concise`, and `capacity`, `capacity-json`,
//!   `capacity-markdown` (the `capacity` command, with the arguments in `capacity-args`).
//!
//! SARIF is produced, schema-validated and (with `EKS_LINT_SARIF_DIR=dir`) copied for every
//! case (CI validates the copies with Microsoft's SARIF multitool), but snapshotted only for
//! the areas in [`SARIF_SNAPSHOT_AREAS`]: elsewhere the human and JSON snapshots already hold
//! the findings, and SARIF snapshots were half of all snapshot lines.
//!
//! New cases need no registration: `INSTA_UPDATE=always cargo test --test e2e` writes their
//! snapshots; review them before committing. A new area of `testdata/` needs a line in
//! [`CASE_FLOORS`].

use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_eks-lint");
const CONFIG_SUFFIXES: &[&str] = &[
    ".tf",
    ".tf.json",
    ".tfvars",
    ".tfvars.json",
    ".yaml",
    ".yml",
];

/// The fewest cases each area of `testdata/` must have (the counts when the floor was set), so
/// deleting fixtures or breaking case discovery fails instead of checking less.
const CASE_FLOORS: &[(&str, usize)] = &[
    ("auto-mode", 4),
    ("compute", 6),
    ("eksctl", 21),
    ("examples", 2),
    ("instance-data", 4),
    ("karpenter", 8),
    ("outputs", 6),
    ("plan", 8),
    ("pod-network", 9),
    ("precommit", 1),
    ("rules", 46),
    ("terraform", 23),
    ("terraform-modules", 13),
    ("terraspace", 1),
    ("terragrunt", 1),
];

/// The fewest further outputs (`formats` files) checked over all cases.
const EXTRA_FORMATS_FLOOR: usize = 10;

/// Areas whose cases also snapshot their SARIF: the output-format cases, and the bundled
/// examples (the only SARIF snapshot of eksctl input).
const SARIF_SNAPSHOT_AREAS: &[&str] = &["outputs", "examples"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn is_case(dir: &Path) -> bool {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return false;
    };
    rd.filter_map(|e| e.ok()).any(|e| {
        let name = e.file_name().to_string_lossy().to_string();
        e.file_type().is_ok_and(|t| t.is_file())
            && (name == "args" || CONFIG_SUFFIXES.iter().any(|s| name.ends_with(s)))
    })
}

fn collect_cases(dir: &Path, out: &mut Vec<PathBuf>) {
    if is_case(dir) {
        out.push(dir.to_path_buf());
        return;
    }
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut subdirs: Vec<PathBuf> = rd
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .filter(|p| p.file_name().is_some_and(|n| n != "snapshots"))
        .collect();
    subdirs.sort();
    for d in subdirs {
        collect_cases(&d, out);
    }
}

pub fn cases() -> Vec<PathBuf> {
    let mut out = Vec::new();
    collect_cases(&root().join("testdata"), &mut out);
    out
}

fn words(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .flat_map(|l| l.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .collect()
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Run the binary in `case` with a clean, fixed environment.
fn run(case: &Path, args: &[String], envs: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(case)
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run eks-lint");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn sarif_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("tests/schemas/sarif-schema-2.1.0.json"))
        .expect("vendored SARIF schema");
    let schema: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::validator_for(&schema).expect("schema compiles")
}

/// Replace what legitimately differs between machines and releases.
fn redact_sarif(v: &mut serde_json::Value) {
    if let Some(runs) = v["runs"].as_array_mut() {
        for run in runs {
            if let Some(bases) = run["originalUriBaseIds"].as_object_mut() {
                for b in bases.values_mut() {
                    if b.get("uri").is_some() {
                        b["uri"] = "file:///[SRCROOT]/".into();
                    }
                }
            }
            let driver = &mut run["tool"]["driver"];
            driver["version"] = "[VERSION]".into();
            driver["semanticVersion"] = "[VERSION]".into();
            // Rule documentation changes with the rule pages; the snapshot keeps the ids only
            // (ruleIndex must still point at the same id).
            if let Some(rules) = driver["rules"].as_array_mut() {
                for r in rules.iter_mut() {
                    *r = r["id"].clone();
                }
            }
        }
    }
}

fn case_name(case: &Path) -> String {
    case.strip_prefix(root().join("testdata"))
        .unwrap_or(case)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The area of a case: its first directory under `testdata/`.
fn area(name: &str) -> &str {
    name.split('/').next().unwrap_or(name)
}

/// Check one case; returns how many further formats (`formats`) it checked.
fn check_case(case: &Path, validator: &jsonschema::Validator) -> usize {
    let name = case_name(case);
    let extra = words(&case.join("args"));
    let with = |fmt: &str| {
        let mut a = extra.clone();
        a.extend(["--format".to_string(), fmt.to_string()]);
        a
    };
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(case.join("snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_description(
        format!("eks-lint {}", extra.join(" "))
            .trim_end()
            .to_string()
            + &format!(" (in testdata/{name})"),
    );
    let _guard = settings.bind_to_scope();

    let human = run(case, &with("human"), &[]);
    insta::assert_snapshot!(
        "human",
        format!(
            "exit code: {}\n--- stdout\n{}--- stderr\n{}",
            human.code, human.stdout, human.stderr
        )
    );

    let json = run(case, &with("json"), &[]);
    assert_eq!(
        json.code, human.code,
        "{name}: exit code differs between formats"
    );
    let mut doc: serde_json::Value = serde_json::from_str(&json.stdout)
        .unwrap_or_else(|e| panic!("{name}: JSON output does not parse: {e}"));
    assert_eq!(doc["version"], 1, "{name}: JSON version");
    doc["tool"]["version"] = "[VERSION]".into();
    let again = run(case, &with("json"), &[]);
    assert_eq!(
        json.stdout, again.stdout,
        "{name}: output is not deterministic"
    );
    insta::assert_snapshot!(
        "json",
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    );

    let sarif = run(case, &with("sarif"), &[]);
    assert_eq!(
        sarif.code, human.code,
        "{name}: exit code differs between formats"
    );
    let mut log: serde_json::Value = serde_json::from_str(&sarif.stdout)
        .unwrap_or_else(|e| panic!("{name}: SARIF output does not parse: {e}"));
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "{name}: SARIF schema errors:\n{}",
        errors.join("\n")
    );
    if let Some(dir) = std::env::var_os("EKS_LINT_SARIF_DIR") {
        let file = PathBuf::from(dir).join(format!("{}.sarif", name.replace('/', "__")));
        std::fs::write(file, &sarif.stdout).expect("write SARIF copy");
    }
    if SARIF_SNAPSHOT_AREAS.contains(&area(&name)) {
        redact_sarif(&mut log);
        insta::assert_snapshot!(
            "sarif",
            serde_json::to_string_pretty(&log).unwrap_or_default()
        );
    } else {
        assert!(
            !case.join("snapshots/sarif.snap").exists(),
            "{name}: SARIF is snapshotted only in {SARIF_SNAPSHOT_AREAS:?}: remove snapshots/sarif.snap"
        );
    }

    let formats = words(&case.join("formats"));
    for fmt in &formats {
        let dir = tempfile::tempdir().expect("tempdir");
        let summary = dir.path().join("step-summary.md");
        let summary_s = summary.to_string_lossy().to_string();
        let envs: Vec<(&str, &str)> = if fmt == "github" {
            vec![("GITHUB_STEP_SUMMARY", summary_s.as_str())]
        } else {
            vec![]
        };
        let r = if let Some(cfmt) = fmt.strip_prefix("capacity") {
            let mut a = vec!["capacity".to_string()];
            a.extend(words(&case.join("capacity-args")));
            if let Some(f) = cfmt.strip_prefix('-') {
                a.extend(["--format".to_string(), f.to_string()]);
            }
            run(case, &a, &envs)
        } else {
            run(case, &with(fmt), &envs)
        };
        let mut snap = format!("exit code: {}\n--- stdout\n{}", r.code, r.stdout);
        if !r.stderr.is_empty() {
            snap.push_str(&format!("--- stderr\n{}", r.stderr));
        }
        if fmt == "github" {
            let s = std::fs::read_to_string(&summary).unwrap_or_default();
            snap.push_str(&format!("--- $GITHUB_STEP_SUMMARY\n{s}"));
        }
        insta::assert_snapshot!(fmt.clone(), snap);
    }
    formats.len()
}

#[test]
fn every_testdata_case_matches_its_snapshots() {
    let cases = cases();
    let mut per_area: std::collections::BTreeMap<String, usize> = Default::default();
    for c in &cases {
        *per_area.entry(area(&case_name(c)).to_string()).or_default() += 1;
    }
    for a in per_area.keys() {
        let floor = CASE_FLOORS.iter().find(|(f, _)| f == a).map(|x| x.1);
        assert!(
            floor.is_some(),
            "testdata/{a}: a new area needs a line in CASE_FLOORS"
        );
    }
    for (a, floor) in CASE_FLOORS {
        let n = per_area.get(*a).copied().unwrap_or(0);
        assert!(
            n >= *floor,
            "testdata/{a}: {n} cases, fewer than the {floor} of CASE_FLOORS"
        );
    }
    let validator = sarif_validator();
    let mut failed = Vec::new();
    let mut extra_formats = 0;
    for case in &cases {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            check_case(case, &validator)
        }));
        match result {
            Ok(n) => extra_formats += n,
            Err(_) => failed.push(case_name(case)),
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} cases failed: {}\n(new or changed output? write the snapshots with \
         `INSTA_UPDATE=always cargo test --test e2e`, then review every number in them)",
        failed.len(),
        cases.len(),
        failed.join(", ")
    );
    assert!(
        extra_formats >= EXTRA_FORMATS_FLOOR,
        "{extra_formats} further formats checked, fewer than {EXTRA_FORMATS_FLOOR}"
    );
    eprintln!("{} e2e cases checked", cases.len());
}

#[test]
fn output_files_are_written_per_format() {
    let dir = tempfile::tempdir().expect("tempdir");
    let case = root().join("testdata/examples");
    let sarif = dir.path().join("out.sarif");
    let json = dir.path().join("out.json");
    let r = run(
        &case,
        &[
            "--format".into(),
            "concise".into(),
            "--format".into(),
            "sarif".into(),
            "--output".into(),
            sarif.to_string_lossy().into(),
            "--format".into(),
            "json".into(),
            "--output".into(),
            json.to_string_lossy().into(),
        ],
        &[],
    );
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).expect("sarif written")).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("json written")).unwrap();
    assert_eq!(doc["version"], 1);
    assert!(
        !r.stdout.contains("\"version\""),
        "only concise goes to stdout"
    );
    assert!(r.stdout.contains("checked") || r.stdout.contains("Found"));
}

#[test]
fn usage_errors_exit_2() {
    let case = root().join("testdata/examples");
    let r = run(
        &case,
        &[
            "--output".into(),
            "a".into(),
            "--format".into(),
            "json".into(),
        ],
        &[],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    let r = run(&case, &["--format".into(), "nope".into()], &[]);
    assert_eq!(r.code, 2);
    let r = run(&case, &["does-not-exist".into()], &[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("does-not-exist"), "{}", r.stderr);
}
