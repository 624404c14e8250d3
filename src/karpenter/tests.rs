use super::*;
use crate::model::{Cidr, SourceKind, Subnet};
use std::collections::BTreeMap;

fn cluster(name: &str, tags: &[(&str, &str)]) -> Cluster {
    let s = Span::default();
    let mut c = Cluster::new(Value::known(name.to_string(), s), s, SourceKind::Terraform);
    c.subnets.push(Subnet {
        name: "a".into(),
        cidr: Value::known(Cidr::parse("10.0.0.0/24"), s),
        tags: tags
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..Default::default()
    });
    c
}

fn pool(name: &str, class: &str) -> Found {
    let mut p = NodePool::new(
        name,
        Span::default(),
        crate::model::NodeClassKind::Ec2NodeClass,
    );
    p.class_name = Value::known(class.to_string(), Span::default());
    Found {
        doc: Doc::Pool(Box::new(p)),
        cluster: None,
    }
}

fn class(name: &str, tags: &[(&str, &str)], hints: &[&str]) -> Found {
    let tags: BTreeMap<String, String> = tags
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Found {
        doc: Doc::Class(Box::new(NodeClass {
            name: name.to_string(),
            kind: crate::model::NodeClassKind::Ec2NodeClass,
            span: Span::default(),
            subnet_terms: Value::known(
                vec![SubnetTerm {
                    id: None,
                    tags,
                    span: Span::default(),
                }],
                Span::default(),
            ),
            pod_subnet_terms: Value::Absent,
            max_pods: Value::known(50, Span::default()),
            pods_per_core: Value::Absent,
            ami_family: Value::Absent,
            cluster_hints: hints.iter().map(|h| h.to_string()).collect(),
        })),
        cluster: None,
    }
}

#[test]
fn pools_link_by_the_class_hint_and_match_tags() {
    let mut cs = vec![
        cluster("one", &[("team", "x")]),
        cluster("two", &[("team", "x"), ("karpenter.sh/discovery", "two")]),
    ];
    let notes = attach(
        &mut cs,
        vec![
            pool("p", "c"),
            pool("p", "c"),
            class("c", &[("karpenter.sh/discovery", "two")], &["two"]),
        ],
        &SourceMap::new(),
        crate::limits::DEFAULT_MAX_NODE_GROUPS,
    );
    assert!(notes.is_empty(), "{notes:?}");
    assert!(cs[0].node_pools.is_empty());
    // The duplicate is checked once.
    assert_eq!(cs[1].node_pools.len(), 1);
    let p = &cs[1].node_pools[0];
    assert_eq!(p.subnets.get(), Some(&vec![0]));
    assert_eq!(p.max_pods.get(), Some(&50));
    assert_eq!(cs[1].node_groups[0].pool, Some(0));
    assert!(!p.is_bounded());
}

#[test]
fn a_lone_cluster_is_a_guess_and_unmatched_tags_are_unknown() {
    let mut cs = vec![cluster("solo", &[("team", "x")])];
    let notes = attach(
        &mut cs,
        vec![pool("p", "c"), class("c", &[("team", "y")], &[])],
        &SourceMap::new(),
        crate::limits::DEFAULT_MAX_NODE_GROUPS,
    );
    assert_eq!(notes.len(), 1);
    assert!(notes[0].message.contains("the only cluster in the scan"));
    let p = &cs[0].node_pools[0];
    let why = &p.subnets.unknown_reason().unwrap().reason;
    assert!(why.contains("tags team=y"), "{why}");
    assert_eq!(p.unmatched_terms.len(), 1);
    // Two clusters and no hint: not checked, with a note.
    let mut two = vec![cluster("a", &[]), cluster("b", &[])];
    let notes = attach(
        &mut two,
        vec![pool("p", "c")],
        &SourceMap::new(),
        crate::limits::DEFAULT_MAX_NODE_GROUPS,
    );
    assert!(notes[0].message.contains("names no cluster"));
    assert!(two.iter().all(|c| c.node_pools.is_empty()));
}

#[test]
fn one_note_per_cause_however_many_pools_and_the_group_limit_holds() {
    let pools = |n: usize| {
        (0..n)
            .map(|i| pool(&format!("p{i}"), "c"))
            .collect::<Vec<_>>()
    };
    // Five pools guessed onto the only cluster: one note naming the first and the count.
    let mut one = vec![cluster("a", &[])];
    let notes = attach(&mut one, pools(5), &SourceMap::new(), 3);
    let links: Vec<_> = notes
        .iter()
        .filter(|d| d.message.contains("tied to"))
        .collect();
    assert_eq!(links.len(), 1, "{notes:?}");
    assert!(links[0]
        .message
        .starts_with("Karpenter NodePool `p0` and 2 more: they are tied"));
    // Only three fit under the limit of three; the other two are one note and a coverage gap.
    assert_eq!(one[0].node_pools.len(), 3);
    let over: Vec<_> = notes
        .iter()
        .filter(|d| d.message.contains("EKS_LINT_MAX_NODE_GROUPS"))
        .collect();
    assert_eq!(over.len(), 1, "{notes:?}");
    assert!(over[0]
        .message
        .starts_with("Karpenter NodePool `p3` and 1 more were not checked"));
    assert_eq!(one[0].dropped.len(), 1);
    // Four pools tied to none of two clusters: one note.
    let mut two = vec![cluster("a", &[]), cluster("b", &[])];
    let notes = attach(&mut two, pools(4), &SourceMap::new(), 100);
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0]
        .message
        .contains("`p0` and 3 more were not checked: they name no cluster"));
}

#[test]
fn wildcard_tag_values_match_any() {
    let s = cluster("c", &[("kubernetes.io/role/internal-elb", "1")]);
    let t = SubnetTerm {
        id: None,
        tags: [(
            "kubernetes.io/role/internal-elb".to_string(),
            "*".to_string(),
        )]
        .into(),
        span: Span::default(),
    };
    assert!(term_matches(&t, &s.subnets[0]));
}

#[test]
fn an_unknown_tag_value_makes_the_subnets_unknown() {
    let mut c = cluster("c", &[]);
    c.subnets[0].unknown_tags.insert(
        "karpenter.sh/discovery".to_string(),
        "it comes from a data source".to_string(),
    );
    let mut cs = vec![c];
    attach(
        &mut cs,
        vec![
            pool("p", "k"),
            class("k", &[("karpenter.sh/discovery", "c")], &["c"]),
        ],
        &SourceMap::new(),
        crate::limits::DEFAULT_MAX_NODE_GROUPS,
    );
    let why = &cs[0].node_pools[0].subnets.unknown_reason().unwrap().reason;
    assert!(why.contains("tag `karpenter.sh/discovery`"), "{why}");
    assert!(why.contains("data source"), "{why}");
}

#[test]
fn tag_values_are_ec2_globs() {
    for (p, t, want) in [
        ("*", "anything", true),
        ("prod-private-*", "prod-private-us-east-1a", true),
        ("prod-private-*", "prod-public-us-east-1a", false),
        ("a?c", "abc", true),
        ("a?c", "ac", false),
        ("*-1a", "x-1a", true),
        ("exact", "exact", true),
        ("exact", "exactly", false),
        ("", "", true),
    ] {
        assert_eq!(glob(p, t), want, "{p} vs {t}");
    }
}
