//! Tests of the eksctl front end.

use super::carve_blocks;
use super::core::load;
use super::vpc::looks_like_az;
use crate::aws::subnet::usable_addresses;
use crate::frontend::Loaded;
use crate::model::{IpFamily, NodeGroupKind};
use crate::source::{FileId, SourceFile};
use ipnet::Ipv4Net;

fn load_str(text: &str) -> Loaded {
    let f = SourceFile::new("c.yaml".into(), "c.yaml".into(), text);
    load(FileId(0), &f, &Default::default())
}

const HEAD: &str = "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: demo\n  region: us-west-2\n";

#[test]
fn default_vpc_with_three_zones_gives_six_slash_19s() {
    let l = load_str(&format!(
        "{HEAD}availabilityZones: [us-west-2a, us-west-2b, us-west-2c]\n"
    ));
    let c = &l.clusters[0];
    assert_eq!(c.subnets.len(), 6);
    let nets: Vec<String> = c
        .subnets
        .iter()
        .map(|s| s.cidr.get().unwrap().text.clone())
        .collect();
    assert_eq!(nets[0], "192.168.0.0/19");
    assert_eq!(nets[3], "192.168.96.0/19");
    assert_eq!(nets[5], "192.168.160.0/19");
    for s in &c.subnets {
        let n = s.cidr.get().unwrap().ipv4().unwrap();
        assert_eq!(usable_addresses(n.prefix_len()), 8187);
    }
    assert_eq!(c.subnets[3].az.get().unwrap(), "us-west-2a");
    assert_eq!(c.subnets[3].public, Some(false));
}

#[test]
fn carving_by_zone_count() {
    let vpc: Ipv4Net = "10.0.0.0/16".parse().unwrap();
    assert_eq!(carve_blocks(vpc, 1).unwrap().len(), 2);
    assert_eq!(carve_blocks(vpc, 1).unwrap()[1].to_string(), "10.0.32.0/19");
    assert_eq!(carve_blocks(vpc, 4).unwrap().len(), 8);
    let five = carve_blocks(vpc, 5).unwrap();
    assert_eq!(
        (five.len(), five[15].to_string().as_str()),
        (16, "10.0.240.0/20")
    );
    assert!(carve_blocks(vpc, 9).is_none());
    assert!(carve_blocks("10.0.0.0/25".parse().unwrap(), 3).is_none());
}

#[test]
fn no_zones_means_three_distinct_unnamed_zones() {
    let l = load_str(HEAD);
    let c = &l.clusters[0];
    assert_eq!(c.subnets.len(), 6);
    assert!(c
        .subnets
        .iter()
        .all(|s| s.az.origin().is_some_and(|o| o.defaulted)));
    let zones: std::collections::BTreeSet<_> =
        c.subnets.iter().filter_map(|s| s.az.get()).collect();
    assert_eq!(zones.len(), 3);
}

#[test]
fn explicit_subnets_node_groups_and_spans() {
    let text = format!(
        "{HEAD}vpc:\n  cidr: 10.10.0.0/16\n  subnets:\n    private:\n      us-west-2a: {{ cidr: 10.10.0.0/22 }}\n      b:\n        az: us-west-2b\n        cidr: 10.10.4.0/22\n      c:\n        id: subnet-0abc\nmanagedNodeGroups:\n  - name: big\n    instanceType: m5.8xlarge\n    maxSize: 80\n    privateNetworking: true\n    subnets: [us-west-2a, b]\n  - name: all\n    instanceTypes: [m5.large, m5.xlarge]\n    desiredCapacity: 4\n    privateNetworking: true\nnodeGroups:\n  - name: pub\n"
    );
    let l = load_str(&text);
    assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
    let c = &l.clusters[0];
    assert_eq!(c.subnets.len(), 3);
    assert_eq!(c.subnets[1].az.get().unwrap(), "us-west-2b");
    assert!(c.subnets[2]
        .cidr
        .unknown_reason()
        .unwrap()
        .reason
        .contains("given only by id"));
    let by = |n: &str| c.node_groups.iter().find(|g| g.name == n).unwrap();
    let big = by("big");
    assert_eq!(big.kind, NodeGroupKind::Managed);
    assert_eq!(big.subnets.get().unwrap(), &vec![0, 1]);
    let span = big.max_size.origin().unwrap().span;
    assert_eq!(&text[span.range()], "maxSize: 80");
    let all = by("all");
    assert_eq!(all.instance_types.len(), 2);
    assert_eq!(
        (
            all.min_size.get(),
            all.max_size.get(),
            all.desired_size.get()
        ),
        (Some(&4), Some(&4), Some(&4))
    );
    assert_eq!(all.subnets.get().unwrap(), &vec![0, 1, 2]);
    let pubg = by("pub");
    assert_eq!(pubg.kind, NodeGroupKind::EksctlUnmanaged);
    assert!(pubg.instance_types[0].origin().unwrap().defaulted);
    assert!(
        pubg.subnets.unknown_reason().is_some(),
        "no public subnets written"
    );
}

#[test]
fn vpc_cni_env_from_json_and_yaml_configuration_values() {
    let json = format!(
        "{HEAD}addons:\n  - name: vpc-cni\n    configurationValues: '{{\"env\":{{\"WARM_IP_TARGET\":\"2\",\"MINIMUM_IP_TARGET\":\"12\"}}}}'\n"
    );
    let l = load_str(&json);
    let env = &l.clusters[0].cni.env;
    assert_eq!(env["WARM_IP_TARGET"].value, "2");
    let sp = env["MINIMUM_IP_TARGET"].origin.span;
    assert_eq!(&json[sp.range()], "\"MINIMUM_IP_TARGET\":\"12");

    let yml = format!(
        "{HEAD}addons:\n  - name: vpc-cni\n    configurationValues: |\n      env:\n        ENABLE_PREFIX_DELEGATION: \"true\"\n        WARM_PREFIX_TARGET: 1\n"
    );
    let l = load_str(&yml);
    let env = &l.clusters[0].cni.env;
    assert_eq!(env["WARM_PREFIX_TARGET"].value, "1");
    let sp = env["ENABLE_PREFIX_DELEGATION"].origin.span;
    assert!(yml[sp.range()].starts_with("ENABLE_PREFIX_DELEGATION: \"true"));
}

#[test]
fn broken_and_foreign_yaml() {
    assert!(
        load_str("a: [1, 2\n").diagnostics.is_empty(),
        "not a ClusterConfig: ignored"
    );
    let l = load_str(&format!("{HEAD}vpc: [\n"));
    assert_eq!(l.diagnostics[0].code, crate::code::Code::EKS903);
    let l = load_str("apiVersion: v1\nkind: ConfigMap\n---\napiVersion: eksctl.io/v1alpha5\nkind: Other\n# ClusterConfig\n");
    assert!(l.clusters.is_empty() && l.diagnostics.is_empty());
    let l = load_str(&format!(
        "{HEAD}managedNodeGroups:\n  - name: x\n    maxSize: lots\n"
    ));
    assert_eq!(l.diagnostics[0].code, crate::code::Code::EKS903);
    assert!(l.clusters[0].node_groups[0]
        .max_size
        .unknown_reason()
        .is_some());
}

#[test]
fn zone_names_are_recognised() {
    for az in [
        "us-west-2a",
        "us-gov-west-1b",
        "use1-az1",
        "us-west-2-lax-1a",
    ] {
        assert!(looks_like_az(az), "{az}");
    }
    for name in [
        "outpost-subnet-1",
        "private-a",
        "a",
        "subnet-0abc",
        "eu-west",
    ] {
        assert!(!looks_like_az(name), "{name}");
    }
}

#[test]
fn node_group_subnets_by_name_id_and_zone() {
    let text = format!(
        "{HEAD}vpc:\n  id: vpc-1\n  subnets:\n    private:\n      app-a: {{ id: subnet-a, az: us-west-2a, cidr: 10.0.0.0/20 }}\n      app-b: {{ id: subnet-b, az: us-west-2b, cidr: 10.0.16.0/20 }}\n    public:\n      us-west-2a: {{ id: subnet-p, cidr: 10.0.32.0/20 }}\nmanagedNodeGroups:\n  - name: byid\n    privateNetworking: true\n    subnets: [subnet-b]\n  - name: byzone\n    privateNetworking: true\n    availabilityZones: [us-west-2a]\n  - name: union\n    privateNetworking: true\n    availabilityZones: [us-west-2b]\n    subnets: [app-a, us-west-2a]\n  - name: missing\n    subnets: [subnet-zzz]\n  - name: zero\n    desiredCapacity: 0\n"
    );
    let l = load_str(&text);
    assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
    let c = &l.clusters[0];
    let subnets = |n: &str| {
        c.node_groups
            .iter()
            .find(|g| g.name == n)
            .unwrap()
            .subnets
            .clone()
    };
    assert_eq!(subnets("byid").get(), Some(&vec![1]));
    assert_eq!(subnets("byzone").get(), Some(&vec![0]));
    // Zones first, then the listed subnets; a private group may name a public subnet.
    assert_eq!(subnets("union").get(), Some(&vec![1, 0, 2]));
    assert!(subnets("missing").unknown_reason().is_some());
    let zero = c.node_groups.iter().find(|g| g.name == "zero").unwrap();
    assert_eq!(
        (
            zero.min_size.get(),
            zero.max_size.get(),
            zero.desired_size.get()
        ),
        (Some(&0), Some(&1), Some(&0))
    );
}

#[test]
fn ipv6_service_cidr_and_instance_selector() {
    let l = load_str(&format!(
        "{HEAD}kubernetesNetworkConfig:\n  ipFamily: IPv6\n  serviceIPv4CIDR: 10.100.0.0/16\nmanagedNodeGroups:\n  - name: s\n    instanceSelector: {{vCPUs: 2}}\n"
    ));
    let c = &l.clusters[0];
    assert_eq!(c.ip_family.get(), Some(&IpFamily::Ipv6));
    assert_eq!(c.service_cidr.get().unwrap().text, "10.100.0.0/16");
    assert!(c.node_groups[0].instance_types_unknown.is_some());
}

#[test]
fn subnets_given_only_by_id_share_one_root_cause() {
    let l = load_str(&format!(
        "{HEAD}vpc:\n  id: vpc-1\n  subnets:\n    private:\n      app-a: {{ id: subnet-a }}\n      app-b: {{ id: subnet-b }}\n      app-c: {{ id: subnet-c }}\n"
    ));
    let c = &l.clusters[0];
    let causes: Vec<_> = c
        .subnets
        .iter()
        .flat_map(|s| [s.cidr.unknown_reason(), s.az.unknown_reason()])
        .map(|u| u.cloned().unwrap())
        .collect();
    assert_eq!(causes.len(), 6);
    // One CIDR cause and one zone cause for all three: EKS901 merges each into one note.
    assert!(causes.iter().step_by(2).all(|u| *u == causes[0]));
    assert!(causes.iter().skip(1).step_by(2).all(|u| *u == causes[1]));
}

#[test]
fn fargate_profiles_take_named_or_private_subnets() {
    let l = load_str(&format!(
        "{HEAD}vpc:\n  cidr: 10.0.0.0/16\n  subnets:\n    private:\n      us-west-2a: {{ id: subnet-a, cidr: 10.0.0.0/24 }}\n      us-west-2b: {{ cidr: 10.0.1.0/24 }}\n    public:\n      us-west-2a: {{ cidr: 10.0.2.0/24 }}\nfargateProfiles:\n  - name: all\n  - name: one\n    subnets: [subnet-a]\n  - name: gone\n    subnets: [subnet-zzz]\n"
    ));
    let c = &l.clusters[0];
    let fp = |n: &str| c.fargate_profiles.iter().find(|p| p.name == n).unwrap();
    assert_eq!(fp("all").subnets.get().unwrap(), &vec![0, 1]);
    assert_eq!(fp("one").subnets.get().unwrap(), &vec![0]);
    assert!(fp("gone").subnets.unknown_reason().is_some());
}
