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

fn run_in(dir: &str, args: &[&str]) -> (Option<i32>, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_eks-lint"))
        .args(["--format", "concise", "--isolated", "--affected-roots"])
        .args(args)
        .current_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(dir))
        .output()
        .expect("run eks-lint");
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
    )
}

#[test]
fn a_changed_module_is_checked_through_the_terragrunt_units_that_run_it() {
    // live/prod/eks names it literally, live/dev/eks through a template; prod's 60 nodes
    // overflow, dev's 3 fit: both units are analysed (2 clusters), and only prod fails.
    let (code, out) = run_in("testdata/terragrunt/units", &["modules/eks/main.tf"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("grow to 60") && out.contains("2 clusters"),
        "{out}"
    );
    assert!(!out.contains("legacy"), "{out}");
}

#[test]
fn a_changed_terraspace_layer_is_checked_with_its_stack() {
    // Only config/stacks/eks/tfvars/prod.tfvars changed: the stack runs with every layer
    // (the project-wide base sets m5.xlarge), once per environment.
    for changed in [
        "config/stacks/eks/tfvars/prod.tfvars",
        "config/terraform/tfvars/base.tfvars",
        "app/stacks/eks/main.tf",
    ] {
        let (code, out) = run_in("testdata/terraspace/stacks", &[changed]);
        assert_eq!(code, Some(1), "{changed}: {out}");
        assert!(out.contains("grow to 20 m5.xlarge"), "{changed}: {out}");
    }
}

#[test]
fn a_changed_var_file_is_checked_by_the_roots_that_declare_its_variables() {
    // Without --isolated: the case's eks-lint.toml names env/prod.tfvars in var-files.
    let o = Command::new(env!("CARGO_BIN_EXE_eks-lint"))
        .args(["--format", "concise", "--affected-roots", "env/prod.tfvars"])
        .current_dir(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/precommit/tfvars-only"),
        )
        .output()
        .expect("run eks-lint");
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("live/cluster/main.tf") && out.contains("grow to 40"),
        "{out}"
    );
    assert!(!out.contains("live/other"), "{out}");
}
