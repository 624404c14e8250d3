use super::demand::Demand;
use super::*;
use crate::model::*;
use crate::source::Span;

pub(crate) fn cluster_with(
    cidrs: &[&str],
    types: &[&str],
    max: i64,
    kind: NodeGroupKind,
) -> Cluster {
    let s = Span::default();
    let mut c = Cluster::new(Value::known("c".to_string(), s), s, SourceKind::Eksctl);
    for (i, cidr) in cidrs.iter().enumerate() {
        c.subnets.push(Subnet {
            name: format!("s{i}"),
            cidr: Value::known(Cidr::parse(cidr), s),
            az: Value::known(format!("az{i}"), s),
            ..Default::default()
        });
    }
    let mut ng = NodeGroup::new("ng", s, kind);
    ng.instance_types = types
        .iter()
        .map(|t| Value::known(t.to_string(), s))
        .collect();
    ng.max_size = Value::known(max, s);
    ng.subnets = Value::known((0..cidrs.len()).collect(), s);
    c.node_groups.push(ng);
    c
}

#[test]
fn three_slash_22_with_m5_8xlarge_hold_48_nodes() {
    let c = cluster_with(
        &["10.0.0.0/22", "10.0.4.0/22", "10.0.8.0/22"],
        &["m5.8xlarge"],
        80,
        NodeGroupKind::Managed,
    );
    let f = analyze(&c, CapacityOptions::default());
    let g = &f.node_groups[0];
    assert_eq!(g.sizing_type(false).unwrap().one_pod.total(), 60);
    assert_eq!(g.nodes_fit_one_pod(), Some(48));
    assert!(g
        .fit
        .as_ref()
        .unwrap()
        .iter()
        .all(|s| s.usable == 1019 && s.nodes_one_pod == 16));
}

#[test]
fn managed_group_with_mixed_types_uses_the_smallest_max_pods() {
    let c = cluster_with(
        &["10.0.0.0/20"],
        &["m5.large", "m5.8xlarge"],
        3,
        NodeGroupKind::Managed,
    );
    let f = analyze(&c, CapacityOptions::default());
    assert!(f.node_groups[0].types.iter().all(|t| t.max_pods == 29));
}

#[test]
fn unknown_subnet_cidr_gives_no_fit_and_a_reason() {
    let mut c = cluster_with(&["10.0.0.0/22"], &["m5.large"], 3, NodeGroupKind::Managed);
    c.subnets[0].cidr = Value::unknown("it comes from a data source", Span::default());
    let f = analyze(&c, CapacityOptions::default());
    assert_eq!(f.node_groups[0].fit, None);
    assert_eq!(f.node_groups[0].unknowns.len(), 1);
}

#[test]
fn spread_is_even_and_complete() {
    assert_eq!(spread(80, 3), vec![27, 27, 26]);
    assert_eq!(spread(2, 3), vec![1, 1, 0]);
    assert!(spread(5, 0).is_empty());
}

#[test]
fn shared_subnets_split_between_groups() {
    let mut c = cluster_with(
        &["10.0.0.0/22", "10.0.4.0/22", "10.0.8.0/22"],
        &["m5.8xlarge"],
        30,
        NodeGroupKind::Managed,
    );
    let mut other = c.node_groups[0].clone();
    other.name = "other".into();
    c.node_groups.push(other);
    let f = analyze(&c, CapacityOptions::default());
    // The other group's 30 nodes (10 per subnet × 60) leave 419 per subnet: 6 nodes each.
    let d = Demand::new(&c, &f, false);
    let s = d.shared_fit(&c, &f, 0).unwrap();
    assert!(s.subnets.iter().all(|x| x.others == 600 && x.nodes == 6));
    assert_eq!(s.nodes, 18);
    let shared = d.sharing(&s.subnet_ids(), 0, 8);
    assert_eq!(
        (shared.first, shared.count, shared.exact),
        (vec![1], 1, true)
    );
    // Alone it is the plain fit.
    c.node_groups.pop();
    let f = analyze(&c, CapacityOptions::default());
    let d = Demand::new(&c, &f, false);
    assert_eq!(d.shared_fit(&c, &f, 0).unwrap().nodes, 48);
    let (used, usable) = d.fleet_usage(&c, &[0, 1, 2], 0).unwrap();
    assert_eq!((used, usable), (30 * 60, 3 * 1019));
}

#[test]
fn prefix_usage_counts_prefixes_and_primaries() {
    let mut c = cluster_with(&["10.0.0.0/24"], &["m5.large"], 2, NodeGroupKind::Managed);
    c.cni
        .set("ENABLE_PREFIX_DELEGATION", "true", Origin::default());
    let f = analyze(&c, CapacityOptions::default());
    let u = &prefix_usage(&c, &f, true)[&0];
    // 110 pods: 7 prefixes on 1 ENI per node.
    assert_eq!((u.prefixes, u.non_prefix), (14, 2));
    assert_eq!(u.prefix_groups, vec![0]);
}

#[test]
fn ip_target_suggestion_for_m5_8xlarge() {
    let c = cluster_with(
        &["10.0.0.0/22", "10.0.4.0/22", "10.0.8.0/22"],
        &["m5.8xlarge"],
        80,
        NodeGroupKind::Managed,
    );
    let f = analyze(&c, CapacityOptions::default());
    let s = suggest_ip_targets(&c, &f, 0, None).unwrap();
    assert_eq!((s.warm_ip_target, s.minimum_ip_target), (3, 29));
    assert_eq!((s.one_pod.total(), s.at_minimum.total()), (30, 34));
    assert_eq!((s.nodes_one_pod, s.nodes_at_minimum), (99, 87));
    let s = suggest_ip_targets(&c, &f, 0, Some(10)).unwrap();
    assert_eq!((s.warm_ip_target, s.minimum_ip_target), (2, 10));
}

/// Issue 14: six self-managed m5.24xlarge (15 × 50) with prefixes on three /20s. nodeadm
/// sets 15 × 49 + 2 = 737 (not 11 762); at 737 pods a node holds
/// min(⌈737/16⌉ + 1, 735, ⌈737/16⌉) = 47 prefixes + 1 ENI = 753; ⌊4091 / 753⌋ = 5 per /20.
#[test]
fn self_managed_prefix_delegation_keeps_the_eni_table_max_pods() {
    let mut c = cluster_with(
        &["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20"],
        &["m5.24xlarge"],
        6,
        NodeGroupKind::SelfManaged,
    );
    c.cni
        .set("ENABLE_PREFIX_DELEGATION", "true", Origin::default());
    let f = analyze(&c, CapacityOptions::default());
    let g = &f.node_groups[0];
    let t = g.sizing_type(true).unwrap();
    assert_eq!(
        (t.max_pods, t.full.prefixes, t.full.total()),
        (737, 47, 753)
    );
    assert_eq!(t.mode_max_pods, 15 * 49 * 16 + 2);
    assert_eq!(g.launcher, Launcher::Nodeadm);
    assert_eq!(g.nodes_fit_full(), Some(15));
}

/// A self-managed group of m5.large (29 max pods: 2 ENIs × 10 = 20 with one pod) and
/// m5.8xlarge (234: 2 ENIs × 30 = 60) is sized with m5.8xlarge: ⌊251 / 60⌋ = 4 per /24.
#[test]
fn mixed_types_are_sized_with_the_worst_case() {
    let c = cluster_with(
        &["10.0.0.0/24"],
        &["m5.large", "m5.8xlarge"],
        20,
        NodeGroupKind::SelfManaged,
    );
    let f = analyze(&c, CapacityOptions::default());
    let g = &f.node_groups[0];
    let one = g.sizing_type(false).unwrap();
    assert_eq!((one.instance.name, one.one_pod.total()), ("m5.8xlarge", 60));
    assert_eq!(g.sizing_type(true).unwrap().full.total(), 240);
    assert_eq!(g.nodes_fit_one_pod(), Some(4));
    assert!(!g.sizing_note(false).is_empty());
    // Each node keeps its own type's max pods outside managed node groups.
    assert_eq!(
        g.types.iter().map(|t| t.max_pods).collect::<Vec<_>>(),
        vec![29, 234]
    );
}

/// MINIMUM_IP_TARGET=30 alone on a managed m5.24xlarge (max pods min(737, 250) = 250): the
/// pool stays at 30 IPs + 1 ENI = 31 addresses at 1 pod and at 250 (not 250 + 6 = 256).
#[test]
fn minimum_ip_target_alone_freezes_the_pool() {
    let mut c = cluster_with(
        &["10.0.0.0/24"],
        &["m5.24xlarge"],
        20,
        NodeGroupKind::Managed,
    );
    c.cni.set("MINIMUM_IP_TARGET", "30", Origin::default());
    let f = analyze(&c, CapacityOptions::default());
    let t = f.node_groups[0].sizing_type(true).unwrap();
    assert_eq!(
        (t.max_pods, t.one_pod.total(), t.full.total()),
        (250, 31, 31)
    );
    assert_eq!(f.node_groups[0].nodes_fit_full(), Some(8));
}

/// A pool launches into what the subnets have left: a node group with a max size is counted
/// without it (its 30 m5.8xlarge nodes fit 16 per /22, 48 in all, as alone), while the pool
/// (limits.nodes 30, the same type) is counted after the group: 1019 − 600 = 419 per subnet,
/// 6 nodes of 60 addresses each, 18 in all.
#[test]
fn pools_are_counted_after_node_groups_not_before() {
    let mut c = cluster_with(
        &["10.0.0.0/22", "10.0.4.0/22", "10.0.8.0/22"],
        &["m5.8xlarge"],
        30,
        NodeGroupKind::Managed,
    );
    let mut pool = crate::model::NodePool::new(
        "p",
        Span::default(),
        crate::model::NodeClassKind::Ec2NodeClass,
    );
    pool.limits.nodes = Value::known(30, Span::default());
    c.node_pools.push(pool);
    let mut g = c.node_groups[0].clone();
    g.name = "p".into();
    g.kind = NodeGroupKind::Karpenter;
    g.pool = Some(0);
    c.node_groups.push(g);
    let f = analyze(&c, CapacityOptions::default());
    let d = Demand::new(&c, &f, false);
    let fixed = d.shared_fit(&c, &f, 0).unwrap();
    assert_eq!((fixed.nodes, fixed.subnets[0].others), (48, 0));
    assert_eq!(d.sharing(&fixed.subnet_ids(), 0, 8).count, 0);
    let (used, _) = d.fleet_usage(&c, &[0, 1, 2], 0).unwrap();
    assert_eq!(used, 30 * 60);
    let p = d.shared_fit(&c, &f, 1).unwrap();
    assert_eq!((p.nodes, p.subnets[0].others), (18, 600));
    assert_eq!(d.sharing(&p.subnet_ids(), 1, 8).first, vec![0]);
}

/// nodeadm's maxPodsExpression decides a self-managed node's default (m5.large, 3 ENIs × 10:
/// ((3 − 1) × (10 − 1)) + 2 = 20), but not a managed group's, whose NodeConfig sets maxPods
/// (EKS's 29), nor an explicit max pods.
#[test]
fn max_pods_expression_sets_the_nodeadm_default_only() {
    let expr = || {
        Value::known(
            "((default_enis - 1) * (ips_per_eni - 1)) + 2".to_string(),
            Span::default(),
        )
    };
    let mut c = cluster_with(
        &["10.0.0.0/22"],
        &["m5.large"],
        3,
        NodeGroupKind::SelfManaged,
    );
    c.node_groups[0].max_pods_expression = expr();
    let t = |c: &Cluster| analyze(c, CapacityOptions::default()).node_groups[0].types[0].max_pods;
    assert_eq!(t(&c), 20);
    c.node_groups[0].max_pods = Value::known(17, Span::default());
    assert_eq!(t(&c), 17);
    let mut m = cluster_with(&["10.0.0.0/22"], &["m5.large"], 3, NodeGroupKind::Managed);
    m.node_groups[0].max_pods_expression = expr();
    assert_eq!(t(&m), 29);
}
