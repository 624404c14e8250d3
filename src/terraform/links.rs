//! Links between the roots of one scan (issue 16 item 10): a network root hands subnets to a
//! cluster root through an `aws_ssm_parameter` that the cluster root reads as
//! `data.aws_ssm_parameter` of the same name, or the cluster root finds them with
//! `data.aws_subnets` / `data.aws_subnet` tag filters that match subnets another root creates.
//!
//! Roots are evaluated independently (in parallel), so this is a second phase. Wave 1
//! evaluates every root; each records what it produces ([`Produced`]: its SSM parameters of
//! subnet ids, its tagged subnets) and what its data sources asked for ([`Query`]). Then
//! [`resolve`] answers each root's queries from the other roots' products, and a root with
//! at least one answer is evaluated again with them ([`Answers`]): a linked data source then
//! evaluates to the producer's value, so it flows through `jsondecode`, `split`, locals and
//! module arguments like any other value, and its subnets are the producer's (named after
//! their root, with the producer's lines as their location). A query no other root answers
//! stays unknown, and in a root evaluated again its reason says that no scanned root produces
//! it.

use crate::model::Subnet;
use crate::source::Span;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What a data source of a root asks for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Query {
    /// `data.aws_ssm_parameter` with this `name`.
    Ssm(String),
    /// `data.aws_subnets` / `data.aws_subnet`: every `filter` (name → accepted values) and
    /// every `tags` entry (as `tag:<key>`), all of which must hold.
    Subnets(Vec<(String, Vec<String>)>),
}

impl Query {
    /// How messages name it.
    pub fn describe(&self) -> String {
        match self {
            Query::Ssm(n) => format!("SSM parameter `{n}`"),
            Query::Subnets(f) => {
                let parts: Vec<String> = f
                    .iter()
                    .filter(|(k, _)| k != "vpc-id")
                    .map(|(k, v)| format!("{k}={}", v.join("|")))
                    .collect();
                format!("the filter {}", parts.join(", "))
            }
        }
    }
}

/// A subnet one root produces, with the VPC it is in (its address in that root), if known.
#[derive(Debug, Clone)]
pub struct ProducedSubnet {
    pub subnet: Subnet,
    pub vpc: Option<String>,
}

/// An `aws_ssm_parameter` whose value is made of subnet ids: its text with each subnet's
/// [`token`] in place of the id (`jsonencode`, `join` or one id), and those subnets with
/// their tokens.
#[derive(Debug, Clone)]
pub struct SsmParameter {
    pub name: String,
    pub text: String,
    pub subnets: Vec<(String, ProducedSubnet)>,
    pub span: Span,
}

/// What one root produces for the others.
#[derive(Debug, Clone, Default)]
pub struct Produced {
    /// How messages name the root: its directory as displayed.
    pub root: String,
    pub ssm: Vec<SsmParameter>,
    pub subnets: Vec<ProducedSubnet>,
}

/// The answer to a query, for a root evaluated again.
#[derive(Debug, Clone)]
pub enum Answer {
    /// An SSM parameter: its text (ids as tokens), each token with its subnet, and where
    /// the parameter is written.
    Text(String, Vec<(String, Subnet)>, Span),
    /// The subnets that match a filter.
    Subnets(Vec<Subnet>),
    /// No other scanned root produces it: why, for the unknown value.
    Missing(String),
}

/// The answers for one root.
pub type Answers = BTreeMap<Query, Answer>;

/// The text that stands for a subnet's id in a linked SSM parameter's value: it survives
/// `jsonencode`/`jsondecode`, `join`/`split` and string functions, and the extractor turns it
/// back into the subnet.
pub fn token(parameter: &str, subnet: &str) -> String {
    format!("subnet-of({parameter}:{subnet})")
}

/// A produced subnet as the consuming root shows it: named after its root.
fn shown(root: &str, p: &ProducedSubnet) -> Subnet {
    let mut s = p.subnet.clone();
    s.name = format!("{} (root {root})", s.name);
    s
}

/// Whether subnet `s` passes every filter of `q`. `vpc-id` is not checked here (see
/// [`resolve`]); a filter eks-lint does not evaluate matches nothing.
fn passes(filters: &[(String, Vec<String>)], s: &Subnet) -> bool {
    let any = |vals: &[String], x: &str| vals.iter().any(|v| crate::karpenter::glob(v, x));
    filters.iter().all(|(name, vals)| {
        if let Some(k) = name.strip_prefix("tag:") {
            return s.tags.get(k).is_some_and(|x| any(vals, x));
        }
        match name.as_str() {
            "tag-key" => vals.iter().any(|k| s.tags.contains_key(k)),
            "availability-zone" | "availability-zone-id" => {
                s.az.get().is_some_and(|az| any(vals, az))
            }
            "cidr-block" | "cidr" | "cidrBlock" => s.cidr.get().is_some_and(|c| any(vals, &c.text)),
            "vpc-id" => true,
            _ => false,
        }
    })
}

/// The answers to `queries` of the root `own` from what the other roots produce. Subnet
/// filters need a tag filter (a filter by VPC or zone alone would take every scanned subnet)
/// and, with a `vpc-id` filter, every match in one VPC (the filter names the VPC the
/// producer's subnets are in, or the configuration would find none).
pub fn resolve(own: &Path, queries: &[Query], produced: &[(PathBuf, Produced)]) -> Answers {
    let others = || produced.iter().filter(|(r, _)| r != own);
    let mut out = Answers::new();
    for q in queries {
        let answer = match q {
            Query::Ssm(name) => others()
                .flat_map(|(_, p)| p.ssm.iter().map(move |s| (p.root.as_str(), s)))
                .find(|(_, s)| s.name == *name)
                .map(|(r, s)| {
                    Answer::Text(
                        s.text.clone(),
                        s.subnets
                            .iter()
                            .map(|(t, p)| (t.clone(), shown(r, p)))
                            .collect(),
                        s.span,
                    )
                })
                .unwrap_or_else(|| {
                    Answer::Missing(format!("no scanned root writes SSM parameter `{name}`"))
                }),
            Query::Subnets(filters) => {
                let tagged = filters
                    .iter()
                    .any(|(n, _)| n.starts_with("tag:") || n == "tag-key");
                let found: Vec<(&str, &ProducedSubnet)> = others()
                    .flat_map(|(_, p)| p.subnets.iter().map(move |s| (p.root.as_str(), s)))
                    .filter(|(_, s)| passes(filters, &s.subnet))
                    .collect();
                let by_vpc = filters.iter().any(|(n, _)| n == "vpc-id");
                let vpcs: std::collections::BTreeSet<_> =
                    found.iter().map(|(r, s)| (*r, s.vpc.as_deref())).collect();
                if !tagged {
                    Answer::Missing(
                        "the filter names no tag to match against scanned subnets".into(),
                    )
                } else if found.is_empty() {
                    Answer::Missing(format!(
                        "no subnet of another scanned root matches {}",
                        q.describe()
                    ))
                } else if by_vpc && (vpcs.len() > 1 || vpcs.iter().any(|(_, v)| v.is_none())) {
                    Answer::Missing(format!(
                        "subnets of several VPCs in the scan match {}, and its `vpc-id` filter is not matched across roots",
                        q.describe()
                    ))
                } else {
                    Answer::Subnets(found.into_iter().map(|(r, s)| shown(r, s)).collect())
                }
            }
        };
        out.insert(q.clone(), answer);
    }
    out
}

/// The answers for a root evaluated again: None when no other root answers any of its
/// queries (its first evaluation stands).
pub fn answers(own: &Path, queries: &[Query], produced: &[(PathBuf, Produced)]) -> Option<Answers> {
    if queries.is_empty() {
        return None;
    }
    let a = resolve(own, queries, produced);
    a.values()
        .any(|x| !matches!(x, Answer::Missing(_)))
        .then_some(a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Value;

    fn subnet(name: &str, tags: &[(&str, &str)]) -> ProducedSubnet {
        ProducedSubnet {
            subnet: Subnet {
                name: name.into(),
                span: Span::default(),
                cidr: Value::Absent,
                az: Value::known("us-east-1a".to_string(), Span::default()),
                public: None,
                tags: tags
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
                unknown_tags: BTreeMap::new(),
                prefix_reservations: Vec::new(),
                explicit_reservations: Vec::new(),
            },
            vpc: Some("aws_vpc.main".into()),
        }
    }

    fn produced(root: &str, subnets: Vec<ProducedSubnet>) -> (PathBuf, Produced) {
        (
            PathBuf::from(root),
            Produced {
                root: root.into(),
                subnets,
                ..Produced::default()
            },
        )
    }

    fn filters(f: &[(&str, &[&str])]) -> Query {
        Query::Subnets(
            f.iter()
                .map(|(k, v)| (k.to_string(), v.iter().map(|x| x.to_string()).collect()))
                .collect(),
        )
    }

    fn names(a: &Answer) -> Vec<String> {
        match a {
            Answer::Subnets(s) => s.iter().map(|s| s.name.clone()).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn tag_filters_match_other_roots_only() {
        let all = [
            produced(
                "net",
                vec![
                    subnet("a", &[("Tier", "private-a")]),
                    subnet("b", &[("Tier", "public")]),
                ],
            ),
            produced("eks", vec![subnet("own", &[("Tier", "private-x")])]),
        ];
        let q = filters(&[("tag:Tier", &["private-*"]), ("vpc-id", &[])]);
        let a = resolve(Path::new("eks"), std::slice::from_ref(&q), &all);
        assert_eq!(names(&a[&q]), ["a (root net)"]);
        // A zone filter alone would take every scanned subnet: no link.
        let z = filters(&[("availability-zone", &["us-east-1a"])]);
        assert!(answers(Path::new("eks"), &[z], &all).is_none());
        // A filter eks-lint does not evaluate matches nothing.
        let odd = filters(&[("tag:Tier", &["public"]), ("state", &["available"])]);
        assert!(answers(Path::new("eks"), &[odd], &all).is_none());
    }

    #[test]
    fn a_vpc_filter_needs_one_vpc_among_the_matches() {
        let mut other = subnet("c", &[("Tier", "private")]);
        other.vpc = Some("aws_vpc.other".into());
        let all = [produced(
            "net",
            vec![subnet("a", &[("Tier", "private")]), other],
        )];
        let q = filters(&[("tag:Tier", &["private"]), ("vpc-id", &[])]);
        let a = resolve(Path::new("eks"), std::slice::from_ref(&q), &all);
        assert!(matches!(&a[&q], Answer::Missing(m) if m.contains("several VPCs")));
        // Without the VPC filter both are the data source's subnets.
        let q = filters(&[("tag:Tier", &["private"])]);
        let a = resolve(Path::new("eks"), std::slice::from_ref(&q), &all);
        assert_eq!(names(&a[&q]).len(), 2);
    }

    #[test]
    fn ssm_parameters_answer_by_name() {
        let mut p = produced("net", Vec::new());
        p.1.ssm.push(SsmParameter {
            name: "/x".into(),
            text: "[\"t\"]".into(),
            subnets: vec![("t".into(), subnet("a", &[]))],
            span: Span::default(),
        });
        let q = Query::Ssm("/x".into());
        let a = resolve(Path::new("eks"), std::slice::from_ref(&q), &[p.clone()]);
        assert!(
            matches!(&a[&q], Answer::Text(t, s, _) if t == "[\"t\"]" && s[0].1.name == "a (root net)")
        );
        // A root does not answer its own queries.
        let a = resolve(Path::new("net"), std::slice::from_ref(&q), &[p]);
        assert!(matches!(&a[&q], Answer::Missing(_)));
    }
}
