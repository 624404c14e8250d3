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

fn head(region: &str) -> String {
    format!(
        "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: demo\n{region}"
    )
}

#[test]
fn chosen_zone_count_follows_the_region() {
    // eksctl pkg/az/az.go: two zones in us-east-1 (and us-west-1, which has two), else three.
    for (region, subnets) in [("us-east-1", 4), ("us-west-1", 4), ("eu-west-1", 6)] {
        let l = load_str(&head(&format!("  region: {region}\n")));
        assert_eq!(l.clusters[0].subnets.len(), subnets, "{region}");
        assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
    }
    // No region: three zones and one note saying so.
    let l = load_str(&head(""));
    assert_eq!(l.clusters[0].subnets.len(), 6);
    assert_eq!(l.diagnostics.len(), 1, "{:?}", l.diagnostics);
    assert!(l.diagnostics[0].message.contains("`metadata.region`"));
    // The node groups' zones tell the region: us-east-1, two zones, no note.
    let l = load_str(&head(
        "managedNodeGroups:\n  - name: a\n    availabilityZones: [us-east-1a]\n",
    ));
    assert_eq!(l.clusters[0].subnets.len(), 4);
    assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
}

#[test]
fn node_group_zones_name_the_zones_eksctl_chooses() {
    // us-west-2: three chosen zones; `a` names two, `b` one of them and a third: all bound.
    let l = load_str(&head(
        "  region: us-west-2\nnodeGroups:\n  - name: a\n    availabilityZones: [us-west-2a, us-west-2b]\n  - name: b\n    availabilityZones: [us-west-2b, us-west-2c]\n  - name: all\n",
    ));
    let c = &l.clusters[0];
    let names = |g: usize| -> Vec<&str> {
        c.node_groups[g]
            .subnets
            .get()
            .unwrap()
            .iter()
            .map(|&i| c.subnets[i].name.as_str())
            .collect()
    };
    assert_eq!(names(0), ["public/us-west-2a", "public/us-west-2b"]);
    assert_eq!(names(1), ["public/us-west-2b", "public/us-west-2c"]);
    assert_eq!(names(2).len(), 3);
    // Four distinct zones for three chosen ones: the fourth cannot be placed, and says why.
    let l = load_str(&head(
        "  region: us-west-2\nnodeGroups:\n  - name: a\n    availabilityZones: [us-west-2a, us-west-2b, us-west-2c]\n  - name: d\n    availabilityZones: [us-west-2d]\n",
    ));
    let c = &l.clusters[0];
    assert!(c.node_groups[0].subnets.get().is_some());
    let u = c.node_groups[1]
        .subnets
        .unknown_reason()
        .expect("unknown subnets");
    assert!(
        u.reason.contains("eksctl chooses 3 zones for the cluster"),
        "{}",
        u.reason
    );
    // Written cluster zones that miss the node group's zone: unknown, not an empty list.
    let l = load_str(&head(
        "  region: us-west-2\navailabilityZones: [us-west-2a, us-west-2b]\nnodeGroups:\n  - name: c\n    availabilityZones: [us-west-2c]\n",
    ));
    let u = l.clusters[0].node_groups[0]
        .subnets
        .unknown_reason()
        .expect("unknown subnets");
    assert!(u.reason.contains("no subnet"), "{}", u.reason);
}

#[test]
fn local_zones_add_subnets_for_their_node_groups_only() {
    // Two AZs + one local zone: 6 subnets of 8 /19 blocks; AZ i public i, private i + 3; the
    // local zone public 2, private 5 (eksctl SetSubnets).
    let l = load_str(&head(
        "  region: us-west-2\navailabilityZones: [us-west-2a, us-west-2b]\nlocalZones: [us-west-2-lax-1a]\nnodeGroups:\n  - name: lz\n    localZones: [us-west-2-lax-1a]\n    privateNetworking: true\n  - name: az\n    privateNetworking: true\n",
    ));
    let c = &l.clusters[0];
    let cidr = |i: usize| c.subnets[i].cidr.get().unwrap().text.clone();
    assert_eq!(c.subnets.len(), 6);
    assert_eq!(
        (cidr(2).as_str(), cidr(5).as_str()),
        ("192.168.64.0/19", "192.168.160.0/19")
    );
    assert_eq!(c.subnets[5].name, "private/us-west-2-lax-1a");
    assert_eq!(c.node_groups[0].subnets.get().unwrap(), &vec![5]);
    assert_eq!(c.node_groups[1].subnets.get().unwrap(), &vec![3, 4]);
    assert_eq!(c.control_plane_subnets.get().unwrap(), &vec![0, 1, 3, 4]);
}

#[test]
fn managed_group_with_a_launch_template_has_unknown_types() {
    let l = load_str(&head(
        "  region: us-west-2\nmanagedNodeGroups:\n  - name: lt\n    launchTemplate: { id: lt-0123, version: \"2\" }\n  - name: lt-types\n    launchTemplate: { id: lt-0123 }\n    instanceTypes: [c5.large]\n  - name: plain\n",
    ));
    let g = &l.clusters[0].node_groups;
    assert!(g[0].instance_types.is_empty());
    let u = g[0].instance_types_unknown.as_ref().expect("unknown types");
    assert!(
        u.reason.contains("launch template `lt-0123`"),
        "{}",
        u.reason
    );
    assert_eq!(
        g[1].instance_types[0].get().map(String::as_str),
        Some("c5.large")
    );
    assert_eq!(
        g[2].instance_types[0].get().map(String::as_str),
        Some("m5.large")
    );
}

#[test]
fn merged_node_group_settings_are_read() {
    let l = load_str(&head(
        "  region: us-west-2\nx-defaults: &ng\n  instanceType: m5.large\n  maxPodsPerNode: 110\n  maxSize: 4\nnodeGroups:\n  - <<: *ng\n    name: merged\n  - <<: *ng\n    name: own\n    maxPodsPerNode: 29\n",
    ));
    let g = &l.clusters[0].node_groups;
    assert_eq!(
        (g[0].max_pods.get(), g[0].max_size.get()),
        (Some(&110), Some(&4))
    );
    assert_eq!(g[1].max_pods.get(), Some(&29));
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

#[test]
fn control_plane_subnets_follow_ids_and_private_only() {
    // Listed subnets are pushed private first, then public: private/a 0, private/b 1,
    // public/a 2, public/b 3 (vpc.rs). eksctl's default is public + private: all four.
    let vpc = "vpc:\n  id: vpc-1\n  cidr: 10.0.0.0/16\n  subnets:\n    private:\n      us-west-2a: {id: subnet-a, cidr: 10.0.0.0/19}\n      us-west-2b: {id: subnet-b, cidr: 10.0.32.0/19}\n    public:\n      us-west-2a: {id: subnet-c, cidr: 10.0.255.0/28}\n      us-west-2b: {id: subnet-d, cidr: 10.0.255.16/28}\n";
    let cp = |extra: &str| {
        let l = load_str(&format!("{HEAD}{vpc}{extra}"));
        l.clusters[0].control_plane_subnets.clone()
    };
    assert_eq!(cp("").get().unwrap(), &vec![0, 1, 2, 3]);
    // controlPlaneOnPrivateSubnets: the private ones only.
    assert_eq!(
        cp("  controlPlaneOnPrivateSubnets: true\n").get().unwrap(),
        &vec![0, 1]
    );
    // controlPlaneSubnetIDs in the order given: subnet-d is 3, subnet-a is 0.
    assert_eq!(
        cp("  controlPlaneSubnetIDs: [subnet-d, subnet-a]\n")
            .get()
            .unwrap(),
        &vec![3, 0]
    );
    // An id not listed in the file: its CIDR is unknown, so the control plane subnets are.
    let u = cp("  controlPlaneSubnetIDs: [subnet-x]\n");
    assert!(u
        .unknown_reason()
        .is_some_and(|u| u.reason.contains("controlPlaneSubnetIDs")));
}
