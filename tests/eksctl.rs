//! eksctl front end end-to-end: testdata/eksctl/<case> through `eks_lint::check`, asserting
//! model and capacity facts (figures from DESIGN.md §5 worked checks).

use eks_lint::settings::Settings;
use eks_lint::{check, Report};
use std::path::PathBuf;

fn run(name: &str) -> Report {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/eksctl")
        .join(name);
    let s = Settings {
        base_dir: Some(PathBuf::from(env!("CARGO_MANIFEST_DIR"))),
        ..Settings::default()
    };
    check(&[dir], &s)
}

fn codes(r: &Report) -> Vec<&str> {
    r.diagnostics.iter().map(|d| d.code.as_str()).collect()
}

#[test]
fn three_slash_22_m5_8xlarge_fits_48_nodes() {
    let r = run("three-slash-22-m5-8xlarge");
    assert_eq!(r.clusters.len(), 1);
    let ng = &r.facts[0].node_groups[0];
    assert_eq!(ng.sizing_type(false).map(|t| t.one_pod.total()), Some(60));
    assert_eq!(ng.nodes_fit_one_pod(), Some(48));
    assert!(codes(&r).contains(&"EKS101"), "{:?}", codes(&r));
}

#[test]
fn default_vpc_is_carved_into_six_slash_19s() {
    let r = run("default-vpc");
    let c = &r.clusters[0];
    let nets: Vec<String> = c
        .subnets
        .iter()
        .filter_map(|s| s.cidr.get().map(|c| c.text.clone()))
        .collect();
    assert_eq!(nets.len(), 6);
    assert!(nets.iter().all(|n| n.ends_with("/19")), "{nets:?}");
    let fit = r.facts[0].node_groups[0].fit.as_ref().expect("fit known");
    assert!(fit.iter().all(|f| f.usable == 8187));
}

#[test]
fn small_instances_max_pods() {
    let r = run("small-instances");
    let max = |name: &str| {
        let i = r.clusters[0]
            .node_groups
            .iter()
            .position(|g| g.name == name)
            .expect("node group");
        r.facts[0].node_groups[i]
            .sizing_type(true)
            .map(|t| t.max_pods)
    };
    assert_eq!(max("tiny"), Some(4), "t3.micro");
    assert_eq!(max("standard"), Some(58), "m5.xlarge");
}

#[test]
fn subnet_by_id_is_a_note_not_an_error() {
    let r = run("subnet-by-id");
    let c = codes(&r);
    assert!(c.contains(&"EKS901"), "{c:?}");
    assert!(!c.contains(&"EKS101"), "{c:?}");
}

#[test]
fn custom_networking_max_pods_over_eni_limit() {
    let r = run("custom-networking-max-pods");
    assert!(codes(&r).contains(&"EKS202"), "{:?}", codes(&r));
}
