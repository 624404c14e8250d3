//! A panic inside the pipeline is caught at the top: one `internal error while processing
//! FILE` line on stderr, exit code 2 (issue 8). `EKS_LINT_TEST_PANIC=1` makes the library
//! panic where it starts processing a file.

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_eks-lint");

fn run_with_panic(file: &str, text: &str) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(file), text).unwrap();
    let out = Command::new(BIN)
        .arg("check")
        .arg(dir.path().join(file))
        .env("EKS_LINT_TEST_PANIC", "1")
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn panic_in_terraform_parse_is_an_internal_error_naming_the_file() {
    let (code, stderr) = run_with_panic("main.tf", "locals {\n  a = 1\n}\n");
    assert_eq!(code, Some(2), "stderr: {stderr}");
    assert!(
        stderr.contains("internal error while processing ") && stderr.contains("main.tf: "),
        "stderr: {stderr}"
    );
    assert!(stderr.contains("EKS_LINT_TEST_PANIC"), "stderr: {stderr}");
    // One report, not the default `thread '...' panicked` text.
    assert_eq!(stderr.matches("internal error").count(), 1, "{stderr}");
    assert!(!stderr.contains("panicked at"), "stderr: {stderr}");
}

#[test]
fn panic_in_eksctl_load_is_an_internal_error_naming_the_file() {
    let yaml = "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: a\n";
    let (code, stderr) = run_with_panic("cluster.yaml", yaml);
    assert_eq!(code, Some(2), "stderr: {stderr}");
    assert!(
        stderr.contains("internal error while processing ") && stderr.contains("cluster.yaml: "),
        "stderr: {stderr}"
    );
}

#[test]
fn without_the_variable_the_same_input_runs_normally() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), "locals {\n  a = 1\n}\n").unwrap();
    let out = Command::new(BIN)
        .arg("check")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("internal error"));
}
