//! `--affected-roots` (the pre-commit hook, issue 17): a changed shared module is checked
//! through the roots that call it, not alone with its defaults.

use std::path::PathBuf;
use std::process::Command;

fn case() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/precommit/shared-module")
}

fn run(args: &[&str]) -> (Option<i32>, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_eks-lint"))
        .args(["--format", "concise", "--isolated"])
        .args(args)
        .current_dir(case())
        .output()
        .expect("run eks-lint");
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
    )
}

#[test]
fn a_changed_shared_module_is_checked_through_its_callers() {
    // Alone, the module's default of 3 nodes fits: nothing to report.
    let (code, out) = run(&["modules/cluster/main.tf"]);
    assert_eq!(code, Some(0), "{out}");
    // As the hook runs it, live/prod calls the module with 80 nodes, of which 48 fit.
    let (code, out) = run(&["--affected-roots", "modules/cluster/main.tf"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("error[EKS101]") && out.contains("hold 48"),
        "{out}"
    );
    // A change elsewhere does not pull in unrelated roots.
    let (code, out) = run(&["--affected-roots", "live/prod/main.tf"]);
    assert_eq!(code, Some(1), "{out}");
}
