//! The rule-facing command line: configuration files, selection, suppressions, `rule` and
//! `instance` subcommands, exit codes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn eks_lint(args: &[&str], cwd: &Path) -> Output {
    let mut args: Vec<&str> = args.to_vec();
    // Checks print one line per finding, whatever the default format becomes.
    if !matches!(args.first(), Some(&"rule") | Some(&"instance")) {
        args.extend(["--format", "concise"]);
    }
    Command::new(env!("CARGO_BIN_EXE_eks-lint"))
        .args(&args)
        .current_dir(cwd)
        .env_remove("NO_COLOR")
        .output()
        .expect("run eks-lint")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn case(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/rules")
        .join(name)
}

/// A temporary copy of a rule case, to add configuration files next to it.
fn copy_case(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = case(name).join("fail/main.tf");
    std::fs::write(dir.path().join("main.tf"), std::fs::read(src).unwrap()).unwrap();
    dir
}

#[test]
fn rule_subcommand_prints_pages_and_lists() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let o = eks_lint(&["rule", "EKS101"], here);
    assert!(o.status.success());
    assert!(text(&o).contains("## How the number is computed"));
    let o = eks_lint(&["rule", "--all", "--format", "json"], here);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["rules"].as_array().map(Vec::len),
        Some(eks_lint::rules::RULES.len())
    );
    let o = eks_lint(&["rule", "EKS999"], here);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn instance_subcommand() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let o = eks_lint(&["instance", "t3.micro"], here);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("E = 2 ENIs, L = 2"));
    let o = eks_lint(
        &[
            "instance",
            "m5.8xlarge",
            "--env",
            "WARM_IP_TARGET=2",
            "-f",
            "json",
        ],
        here,
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["addresses"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        eks_lint(&["instance", "m5.8xlarg"], here).status.code(),
        Some(2)
    );
}

#[test]
fn config_file_selects_rules_and_sets_levels() {
    let dir = copy_case("EKS101-subnet-exhaustion");
    let o = eks_lint(&["."], dir.path());
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("error[EKS101]"));

    std::fs::write(
        dir.path().join("eks-lint.toml"),
        "ignore = [\"warm-eni-waste\"]\n[rules.EKS101]\nlevel = \"warning\"\n",
    )
    .unwrap();
    let o = eks_lint(&["."], dir.path());
    let t = text(&o);
    assert!(t.contains("warning[EKS101]"), "{t}");
    assert!(!t.contains("EKS301"), "{t}");
    assert_eq!(
        o.status.code(),
        Some(0),
        "warnings do not fail by default: {t}"
    );
    assert_eq!(
        eks_lint(&[".", "--fail-on", "warning"], dir.path())
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        eks_lint(&[".", "--isolated"], dir.path()).status.code(),
        Some(1)
    );

    // --select replaces the configured selection; the configured ignore still applies.
    let o = eks_lint(&[".", "--select", "EKS3,EKS10"], dir.path());
    let t = text(&o);
    assert!(t.contains("EKS101") && !t.contains("EKS301"), "{t}");
    let o = eks_lint(&[".", "--isolated", "--select", "EKS3"], dir.path());
    let t = text(&o);
    assert!(t.contains("EKS301") && !t.contains("EKS101"), "{t}");

    let o = eks_lint(&[".", "--show-settings"], dir.path());
    let t = text(&o);
    assert!(t.contains("EKS101 on  warning"), "{t}");
    assert!(t.contains("EKS301 off"), "{t}");
}

#[test]
fn unknown_config_key_is_a_usage_error_with_its_position() {
    let dir = copy_case("EKS101-subnet-exhaustion");
    std::fs::write(
        dir.path().join(".eks-lint.toml"),
        "select = [\"EKS1\"]\nheadroom = 5\n",
    )
    .unwrap();
    let o = eks_lint(&["."], dir.path());
    assert_eq!(o.status.code(), Some(2));
    let t = text(&o);
    assert!(t.contains(".eks-lint.toml:2:1"), "{t}");
    assert!(t.contains("headroom"), "{t}");
    let o = eks_lint(&[".", "--select", "EKS7"], dir.path());
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn nested_config_applies_to_its_directory() {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["a", "b"] {
        std::fs::create_dir(dir.path().join(sub)).unwrap();
        std::fs::copy(
            case("EKS201-low-pod-density").join("fail/main.tf"),
            dir.path().join(sub).join("main.tf"),
        )
        .unwrap();
    }
    std::fs::write(
        dir.path().join("b/eks-lint.toml"),
        "ignore = [\"EKS201\"]\n",
    )
    .unwrap();
    let o = eks_lint(&["."], dir.path());
    let t = text(&o);
    assert!(t.contains("a/main.tf") && t.contains("EKS201"), "{t}");
    assert!(
        !t.lines()
            .any(|l| l.starts_with("b/") && l.contains("EKS201")),
        "{t}"
    );
}

#[test]
fn suppressions_statistics_and_exit_zero() {
    let o = eks_lint(&["pass"], &case("EKS902-unused-suppression"));
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let o = eks_lint(
        &["fail", "--statistics"],
        &case("EKS902-unused-suppression"),
    );
    let t = text(&o);
    assert!(
        t.contains("EKS902") && t.contains("unused-suppression"),
        "{t}"
    );
    let o = eks_lint(&["fail", "--exit-zero"], &case("EKS101-subnet-exhaustion"));
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn suppression_above_a_node_group_silences_only_that_rule_there() {
    let dir = tempfile::tempdir().unwrap();
    let group = |name: &str, pre: &str| {
        format!(
            "{pre}resource \"aws_eks_node_group\" \"{name}\" {{\n  cluster_name    = aws_eks_cluster.this.name\n  node_group_name = \"{name}\"\n  node_role_arn   = \"arn:aws:iam::123456789012:role/node\"\n  subnet_ids      = [aws_subnet.a.id]\n  instance_types  = [\"t3.micro\"]\n  scaling_config {{\n    min_size     = 1\n    desired_size = 1\n    max_size     = 3\n  }}\n}}\n"
        )
    };
    let tf = format!(
        "resource \"aws_vpc\" \"main\" {{\n  cidr_block = \"10.0.0.0/16\"\n}}\nresource \"aws_subnet\" \"a\" {{\n  vpc_id            = aws_vpc.main.id\n  cidr_block        = \"10.0.0.0/20\"\n  availability_zone = \"us-east-1a\"\n}}\nresource \"aws_subnet\" \"b\" {{\n  vpc_id            = aws_vpc.main.id\n  cidr_block        = \"10.0.16.0/20\"\n  availability_zone = \"us-east-1b\"\n}}\nresource \"aws_eks_cluster\" \"this\" {{\n  name     = \"demo\"\n  role_arn = \"arn:aws:iam::123456789012:role/eks\"\n  vpc_config {{\n    subnet_ids = [aws_subnet.a.id, aws_subnet.b.id]\n  }}\n}}\n{}{}",
        group("quiet", "# eks-lint: ignore[low-pod-density] tooling nodes\n"),
        group("loud", "")
    );
    std::fs::write(dir.path().join("main.tf"), tf).unwrap();
    let o = eks_lint(&["."], dir.path());
    let t = text(&o);
    let lines: Vec<&str> = t.lines().collect();
    let has = |code: &str, group: &str| {
        lines
            .iter()
            .any(|l| l.contains(code) && l.contains(&format!("`{group}`")))
    };
    assert!(has("EKS201", "loud"), "{t}");
    assert!(!has("EKS201", "quiet"), "{t}");
    // Other rules on the suppressed group still report (single AZ).
    assert!(has("EKS404", "quiet") && has("EKS404", "loud"), "{t}");
    assert!(!t.contains("EKS902"), "{t}");
}

#[test]
fn switched_off_rules_leave_no_unresolved_value_notes() {
    let dir = tempfile::tempdir().unwrap();
    let tf = "variable \"region\" {}\nresource \"aws_vpc\" \"v\" {\n  cidr_block = \"10.0.0.0/16\"\n}\nresource \"aws_subnet\" \"a\" {\n  vpc_id            = aws_vpc.v.id\n  cidr_block        = \"10.0.0.0/20\"\n  availability_zone = \"${var.region}a\"\n}\nresource \"aws_eks_cluster\" \"c\" {\n  name     = \"c\"\n  role_arn = \"x\"\n  vpc_config {\n    subnet_ids = [aws_subnet.a.id]\n  }\n}\n";
    std::fs::write(dir.path().join("main.tf"), tf).unwrap();
    let t = text(&eks_lint(&["."], dir.path()));
    assert!(
        t.contains("EKS901") && t.contains("EKS404 single-az"),
        "{t}"
    );
    std::fs::write(
        dir.path().join("eks-lint.toml"),
        "ignore = [\"single-az\"]\n",
    )
    .unwrap();
    let t = text(&eks_lint(&["."], dir.path()));
    assert!(!t.contains("EKS404"), "{t}");
}

/// A configuration error stops the run, but every requested output still says why: the SARIF
/// log (a configuration notification at the error's position, execution unsuccessful) and the
/// github format (an error annotation on the file), so a CI job that uploads SARIF or reads
/// annotations sees the error instead of nothing (issue 17).
#[test]
fn config_error_still_writes_sarif_and_annotates() {
    let dir = copy_case("EKS101-subnet-exhaustion");
    std::fs::write(dir.path().join("eks-lint.toml"), "select = [\"EKS1O1\"]\n").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_eks-lint"))
        .args([
            ".",
            "--format",
            "sarif",
            "--output",
            "out.sarif",
            "--format",
            "github",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout
            .starts_with("::error file=eks-lint.toml,line=1,col=11,title=eks-lint configuration::"),
        "{stdout}"
    );
    let log: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out.sarif")).unwrap()).unwrap();
    let inv = &log["runs"][0]["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    let n = &inv["toolConfigurationNotifications"][0];
    assert_eq!(n["level"], "error");
    assert!(n["message"]["text"].as_str().unwrap().contains("EKS1O1"));
    // One typo away from a code: the code is suggested.
    assert!(
        n["message"]["text"]
            .as_str()
            .unwrap()
            .contains("did you mean EKS101?"),
        "{n}"
    );
    let region = &n["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].clone(), region["startColumn"].clone()),
        (1.into(), 11.into())
    );
    assert!(log["runs"][0]["results"].as_array().unwrap().is_empty());
    // A command-line error names the flag, not "line 0".
    let o = eks_lint(&[".", "--select", "EKS1O1"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(!text(&o).contains(":0:0"), "{}", text(&o));
    assert!(text(&o).contains("did you mean EKS101?"), "{}", text(&o));
}
