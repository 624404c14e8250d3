//! The instance table in `data/` is exactly what `scripts/gen-instance-data.py` produces from
//! the upstream copies in `data/upstream/` (and `aws::instances` tests check that the compiled
//! table equals `data/`), so updating the table is one command and nothing in it is edited by
//! hand. Needs python3 (a CI prerequisite, see .ci/run).

use std::path::Path;
use std::process::Command;

#[test]
fn data_equals_what_the_script_generates_from_the_upstream_copies() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let status = Command::new("python3")
        .arg(root.join("scripts/gen-instance-data.py"))
        .arg("--upstream")
        .arg(root.join("data/upstream"))
        .arg("--out")
        .arg(out.path())
        .status()
        .expect("python3 must be installed to check the instance table");
    assert!(status.success(), "gen-instance-data.py failed");
    let mut names: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "ec2-eni-limits.csv",
            "eni-max-pods.csv",
            "instance-data.txt",
            "instance-vcpus.csv",
            "karpenter-labels.csv",
            "max-pods-prefix-delegation.csv"
        ]
    );
    for n in &names {
        let want = std::fs::read_to_string(root.join("data").join(n)).unwrap();
        let got = std::fs::read_to_string(out.path().join(n)).unwrap();
        assert!(
            want == got,
            "data/{n} differs from the script's output: run scripts/gen-instance-data.py"
        );
    }
}

/// The script refuses upstream files that disagree (nodeadm vs the VPC CNI), so a bad copy
/// cannot slip into the table.
#[test]
fn the_script_rejects_disagreeing_sources() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let up = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(root.join("data/upstream")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), up.path().join(e.file_name())).unwrap();
    }
    // nodeadm's line for m5.large with 4 ENIs instead of 3.
    let nodeadm = up.path().join("instance-info.jsonl.gz");
    std::fs::remove_file(&nodeadm).unwrap();
    std::fs::write(
        up.path().join("instance-info.jsonl"),
        "{\"instanceType\":\"m5.large\",\"defaultMaxENIs\":4,\"ipv4AddressesPerInterface\":10}\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = Command::new("python3")
        .arg(root.join("scripts/gen-instance-data.py"))
        .arg("--upstream")
        .arg(up.path())
        .arg("--out")
        .arg(out.path())
        .output()
        .expect("python3");
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("m5.large: VPC CNI says 3x10, nodeadm 4x10"),
        "{err}"
    );
}

/// `eks-lint --version` names the table's date and upstream commits (data/instance-data.txt).
#[test]
fn version_names_the_instance_data() {
    let o = Command::new(env!("CARGO_BIN_EXE_eks-lint"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(o.status.success());
    let out = String::from_utf8_lossy(&o.stdout);
    let meta = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/instance-data.txt"),
    )
    .unwrap();
    let get = |k: &str| {
        meta.lines()
            .find_map(|l| l.strip_prefix(&format!("{k}=")))
            .unwrap()
            .to_string()
    };
    assert!(
        out.contains(&format!("instance data of {}", get("date"))),
        "{out}"
    );
    assert!(out.contains(&get("vpc_cni_commit")[..12]), "{out}");
    assert!(out.contains(&format!("{} types", get("types"))), "{out}");
}
