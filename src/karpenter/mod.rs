//! Karpenter and EKS Auto Mode node pools (issue 15): reading NodePool and node class
//! documents (`manifest`, `yaml`), solving requirements into candidate instance types
//! (`requirements`), and tying each pool to its cluster, node class and subnets ([`attach`]).
//! Each pool becomes a node group of kind `Karpenter` whose `pool` points at the
//! [`NodePool`], so the capacity engine and the rules see it as they see node groups.

pub mod manifest;
pub mod requirements;
pub mod yaml;

use crate::code::Code;
use crate::diag::{Diagnostic, Level};
use crate::model::{Cluster, NodeGroup, NodeGroupKind, NodePool, SubnetTerm, Value};
use crate::source::{SourceMap, Span};
use manifest::{Doc, NodeClass};

/// A document found by a front end, with the cluster it sits next to when the front end
/// knows (a Terraform module with one cluster).
#[derive(Debug, Clone)]
pub struct Found {
    pub doc: Doc,
    /// The display name of the cluster of the same Terraform module, if any.
    pub cluster: Option<String>,
}

/// Whether a subnet term matches a subnet: every tag (`*` any value) and the id.
fn term_matches(t: &SubnetTerm, s: &crate::model::Subnet) -> bool {
    let id_ok =
        t.id.as_ref()
            .is_none_or(|id| s.name == *id || s.tags.get("Name") == Some(id));
    id_ok
        && t.tags
            .iter()
            .all(|(k, v)| s.tags.get(k).is_some_and(|sv| glob(v, sv)))
}

/// EC2 filter values, which Karpenter's tag selectors become: `*` matches any run of
/// characters, `?` one character (DescribeSubnets filters).
pub(crate) fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    // Iterative matching with one backtrack point for the last `*`.
    let (mut i, mut j, mut star, mut mark) = (0, 0, None, 0);
    while j < t.len() {
        if i < p.len() && (p[i] == '?' || p[i] == t[j]) {
            i += 1;
            j += 1;
        } else if i < p.len() && p[i] == '*' {
            star = Some(i);
            mark = j;
            i += 1;
        } else if let Some(s) = star {
            i = s + 1;
            mark += 1;
            j = mark;
        } else {
            return false;
        }
    }
    p[i..].iter().all(|&c| c == '*')
}

/// A tag of the term the subnet has with a value not known statically: (key, why), when the
/// term's other fields match.
fn term_maybe(t: &SubnetTerm, s: &crate::model::Subnet) -> Option<(String, String)> {
    if t.id.is_some() {
        return None;
    }
    let mut unknown = None;
    for (k, v) in &t.tags {
        match (s.tags.get(k), s.unknown_tags.get(k)) {
            (Some(sv), _) if v == "*" || sv == v => {}
            (None, Some(why)) => unknown = Some((k.clone(), why.clone())),
            _ => return None,
        }
    }
    unknown
}

/// "tags karpenter.sh/discovery=prod" or "id subnet-123" for messages.
pub fn term_text(t: &SubnetTerm) -> String {
    let mut parts: Vec<String> = t.id.iter().map(|i| format!("id {i}")).collect();
    if !t.tags.is_empty() {
        let tags: Vec<String> = t.tags.iter().map(|(k, v)| format!("{k}={v}")).collect();
        parts.push(format!("tags {}", tags.join(", ")));
    }
    parts.join(" and ")
}

fn dir_of(sources: &SourceMap, span: Span) -> Option<std::path::PathBuf> {
    if (span.file.0 as usize) >= sources.len() {
        return None;
    }
    sources
        .get(span.file)
        .path
        .parent()
        .map(|p| p.to_path_buf())
}

/// Which cluster a pool belongs to, and a sentence when that is a guess.
fn link(
    clusters: &[Cluster],
    sources: &SourceMap,
    found: &Found,
    pool: &NodePool,
    class: Option<&NodeClass>,
) -> Option<(usize, Option<String>)> {
    let by_name = |n: &str| {
        clusters
            .iter()
            .position(|c| c.name.get().is_some_and(|x| x == n))
    };
    if let Some(i) = found.cluster.as_deref().and_then(by_name) {
        return Some((i, None));
    }
    if let Some(i) = class.and_then(|c| c.cluster_hints.iter().find_map(|h| by_name(h))) {
        return Some((i, None));
    }
    // An Auto Mode pool runs only on a cluster with Auto Mode on.
    let auto: Vec<usize> = (0..clusters.len())
        .filter(|&i| clusters[i].auto_mode_enabled())
        .collect();
    if let (true, [i]) = (pool.class.is_auto_mode(), &auto[..]) {
        return Some((
            *i,
            Some(format!(
                "it is tied to cluster `{}`, the only cluster with EKS Auto Mode on",
                clusters[*i].display_name()
            )),
        ));
    }
    let dir = dir_of(sources, pool.span);
    let same_dir: Vec<usize> = (0..clusters.len())
        .filter(|&i| dir.is_some() && dir_of(sources, clusters[i].span) == dir)
        .collect();
    if let [i] = same_dir[..] {
        return Some((
            i,
            Some(format!(
                "it is tied to cluster `{}`, the one defined in the same directory",
                clusters[i].display_name()
            )),
        ));
    }
    if clusters.len() == 1 {
        return Some((
            0,
            Some(format!(
                "it is tied to cluster `{}`, the only cluster in the scan: nothing in the manifest names a cluster",
                clusters[0].display_name()
            )),
        ));
    }
    None
}

/// Fill a pool from its node class and cluster: subnets, kubelet settings, candidates.
fn resolve(pool: &mut NodePool, class: Option<&NodeClass>, cluster: &Cluster) {
    if let Some(c) = class {
        pool.class_span = Some(c.span);
        pool.subnet_terms = c.subnet_terms.clone();
        pool.pod_subnet_terms = c.pod_subnet_terms.clone();
        pool.ami_family = c.ami_family.clone();
        // v1 keeps kubelet on the EC2NodeClass; a v1beta1 pool's own settings win.
        if pool.max_pods.is_absent() {
            pool.max_pods = c.max_pods.clone();
        }
        if pool.pods_per_core.is_absent() {
            pool.pods_per_core = c.pods_per_core.clone();
        }
    } else if pool.class.is_auto_mode() && pool.class_name.get().is_none_or(|n| n == "default") {
        // EKS Auto Mode's built-in `default` NodeClass is not in the configuration.
        pool.subnets = default_class_subnets(cluster, pool.span);
    } else {
        let what = match &pool.class_name {
            Value::Known(n, _) => format!("its node class `{n}` is not in the scanned files"),
            _ => "it names no node class eks-lint could read".to_string(),
        };
        pool.subnet_terms = Value::unknown(what, pool.class_name.span().unwrap_or(pool.span));
    }
    let default_class = pool.class.is_auto_mode() && class.is_none();
    let windows = pool
        .ami_family
        .get()
        .is_some_and(|f| f.to_ascii_lowercase().starts_with("windows"));
    let solved = requirements::solve(&pool.requirements, windows.then_some("windows"));
    pool.candidates = solved.candidates;
    pool.unknown_keys = solved.unknown_keys;
    match &pool.subnet_terms {
        _ if default_class => {}
        Value::Known(terms, o) => {
            let mut ids: Vec<usize> = Vec::new();
            // A subnet whose tag value is unknown may or may not be selected.
            let maybe = terms.iter().find_map(|t| {
                cluster
                    .subnets
                    .iter()
                    .find_map(|s| term_maybe(t, s).map(|(k, why)| (s.name.clone(), k, why)))
            });
            if let Some((subnet, key, why)) = maybe {
                pool.subnets = Value::unknown(
                    format!("whether its subnetSelectorTerms select subnet `{subnet}` depends on its tag `{key}`, whose value is not known statically ({why})"),
                    o.span,
                );
                return;
            }
            for t in terms {
                let hits: Vec<usize> = (0..cluster.subnets.len())
                    .filter(|&i| term_matches(t, &cluster.subnets[i]))
                    .collect();
                if hits.is_empty() {
                    pool.unmatched_terms.push(t.clone());
                }
                for h in hits {
                    if !ids.contains(&h) {
                        ids.push(h);
                    }
                }
            }
            pool.subnets = if ids.is_empty() {
                let list: Vec<String> = terms.iter().map(term_text).collect();
                Value::unknown(
                    format!(
                        "its subnetSelectorTerms ({}) match none of the cluster's {} modelled subnet(s)",
                        list.join("; "),
                        cluster.subnets.len()
                    ),
                    o.span,
                )
            } else {
                Value::known(ids, o.span)
            };
        }
        Value::Unknown(u) => pool.subnets = Value::Unknown(u.clone()),
        Value::Absent => {
            pool.subnets = Value::unknown(
                "its node class has no subnetSelectorTerms",
                pool.class_span.unwrap_or(pool.span),
            )
        }
    }
}

/// The subnets of EKS Auto Mode's built-in `default` NodeClass: the cluster's own
/// (`vpc_config.subnet_ids`), an assumption the Auto Mode note states.
fn default_class_subnets(cluster: &Cluster, span: Span) -> Value<Vec<usize>> {
    match &cluster.control_plane_subnets {
        Value::Known(ids, o) => Value::Known(ids.clone(), o.clone()),
        Value::Unknown(u) => Value::Unknown(u.clone()),
        Value::Absent => Value::unknown("the cluster names no subnets", span),
    }
}

/// EKS Auto Mode's built-in pools, as AWS documents them (Amazon EKS User Guide, "Enable or
/// Disable Built-in NodePools", set-builtin-node-pools.html): both use the `default` NodeClass,
/// on-demand capacity, the C, M and R families of generation 5 or newer; `general-purpose`
/// amd64 only, `system` amd64 and arm64. No limits are documented.
fn builtin_pool(cluster: &Cluster, name: &str, span: Span) -> Option<NodePool> {
    use crate::model::{NodeClassKind, Operator, Requirement};
    let req = |key: &str, op, values: &[&str]| Requirement {
        key: key.to_string(),
        op,
        values: values.iter().map(|v| v.to_string()).collect(),
        span,
    };
    let arch: &[&str] = match name {
        "general-purpose" => &["amd64"],
        "system" => &["amd64", "arm64"],
        _ => return None,
    };
    let mut p = NodePool::new(name, span, NodeClassKind::AutoModeBuiltIn);
    p.api_version = "eks.amazonaws.com".to_string();
    p.class_name = Value::known("default".to_string(), span);
    p.requirements = vec![
        req(
            "eks.amazonaws.com/instance-category",
            Operator::In,
            &["c", "m", "r"],
        ),
        req(
            "eks.amazonaws.com/instance-generation",
            Operator::Gt,
            &["4"],
        ),
        req("kubernetes.io/arch", Operator::In, arch),
    ];
    p.candidates = requirements::solve(&p.requirements, None).candidates;
    p.subnets = default_class_subnets(cluster, span);
    Some(p)
}

/// Add the built-in pools of every cluster with Auto Mode on; notes for what is unknown.
fn builtin_pools(clusters: &mut [Cluster], out: &mut Vec<Diagnostic>) {
    for c in clusters.iter_mut() {
        let Some(a) = c.auto_mode.clone() else {
            continue;
        };
        let label = format!("EKS Auto Mode of cluster `{}`", c.display_name());
        let names = match (&a.enabled, &a.node_pools) {
            (Value::Known(false, _), _) => continue,
            (Value::Unknown(u), _) | (_, Value::Unknown(u)) => {
                out.push(
                    Diagnostic::new(
                        Code::EKS901,
                        Level::Note,
                        u.span,
                        format!(
                            "{label}: whether it is on, or which built-in node pools it runs, is not known statically ({}); its compute was not checked",
                            u.reason
                        ),
                    )
                    .with_key(format!("{}/auto-mode", c.display_name())),
                );
                continue;
            }
            (_, Value::Known(n, _)) => n.clone(),
            (_, Value::Absent) => Vec::new(),
        };
        // Auto Mode on with no built-in pool and no custom pool in the files: the compute is
        // in NodePools eks-lint did not see.
        if names.is_empty() && !c.node_pools.iter().any(|p| p.class.is_auto_mode()) {
            out.push(
                Diagnostic::new(
                    Code::EKS901,
                    Level::Note,
                    a.span,
                    format!(
                        "{label} runs no built-in node pool and no Auto Mode NodePool is in the scanned files; its compute was not checked"
                    ),
                )
                .with_key(format!("{}/auto-mode/no-pools", c.display_name())),
            );
        }
        for n in names {
            if c.node_pools.iter().any(|p| p.name == n) {
                continue;
            }
            let Some(p) = builtin_pool(c, &n, a.span) else {
                out.push(
                    Diagnostic::new(
                        Code::EKS901,
                        Level::Note,
                        a.span,
                        format!("{label}: `{n}` is not a built-in node pool (general-purpose, system); it was not checked"),
                    )
                    .with_key(format!("{}/auto-mode/{n}", c.display_name())),
                );
                continue;
            };
            let index = c.node_pools.len();
            c.node_groups.push(node_group(&p, index));
            c.node_pools.push(p);
        }
    }
}

/// The node group the capacity engine sizes for pool `index` of `cluster`.
fn node_group(pool: &NodePool, index: usize) -> NodeGroup {
    let kind = if pool.class.is_auto_mode() {
        NodeGroupKind::AutoMode
    } else {
        NodeGroupKind::Karpenter
    };
    let mut ng = NodeGroup::new(pool.name.clone(), pool.span, kind);
    let span = pool.requirements.first().map_or(pool.span, |r| r.span);
    ng.instance_types = pool
        .candidates
        .iter()
        .map(|c| Value::known(c.to_string(), span))
        .collect();
    if let Some(u) = &pool.requirements_unknown {
        ng.instance_types_unknown = Some(u.clone());
    } else if pool.candidates.is_empty() {
        ng.instance_types_unknown = Some(crate::model::Unknown {
            reason: "its requirements allow no instance type of eks-lint's table".to_string(),
            span,
        });
    }
    ng.max_pods = pool.max_pods.clone();
    ng.subnets = pool.subnets.clone();
    ng.ami_family = pool.ami_family.clone();
    ng.pool = Some(index);
    ng
}

/// The same note for many pools, said once: where the first is, its name, how many.
struct Grouped {
    span: Span,
    label: &'static str,
    first: String,
    count: usize,
}

impl Grouped {
    fn subject(&self) -> String {
        match self.count {
            1 => format!("{} `{}`", self.label, self.first),
            n => format!("{} `{}` and {} more", self.label, self.first, n - 1),
        }
    }
}

/// Add `pool` to the group of notes under `key`.
fn group(groups: &mut Vec<(String, Grouped)>, key: String, pool: &NodePool) {
    match groups.iter_mut().find(|(k, _)| *k == key) {
        Some((_, g)) => g.count += 1,
        None => groups.push((
            key,
            Grouped {
                span: pool.span,
                label: pool.class.label(),
                first: pool.name.clone(),
                count: 1,
            },
        )),
    }
}

/// The notes of pools grouped by cause (guessed links, pools tied to no cluster, pools past
/// the limit, which also become coverage gaps of their cluster).
fn grouped_notes(
    clusters: &mut [Cluster],
    [guesses, unlinked, over]: [Vec<(String, Grouped)>; 3],
    max_groups: usize,
    out: &mut Vec<Diagnostic>,
) {
    for (key, g) in guesses {
        let (ci, guess) = key.split_once('\u{0}').unwrap_or_default();
        let Some(c) = ci.parse::<usize>().ok().and_then(|i| clusters.get(i)) else {
            continue;
        };
        // One note per cause; a cause that holds for many pools says it in the plural.
        let guess = if g.count > 1 {
            guess.replacen("it is tied", "they are tied", 1)
        } else {
            guess.to_string()
        };
        out.push(
            Diagnostic::new(
                Code::EKS901,
                Level::Note,
                g.span,
                format!("{}: {guess}", g.subject()),
            )
            .with_key(format!("{}/node-pool/{}/link", c.display_name(), g.first)),
        );
    }
    for (_, g) in unlinked {
        let (verb, cause) = if g.count > 1 {
            ("were", "they name")
        } else {
            ("was", "it names")
        };
        out.push(
            Diagnostic::new(
                Code::EKS901,
                Level::Note,
                g.span,
                format!(
                    "{} {verb} not checked: {cause} no cluster of the scan and the scan has {} clusters",
                    g.subject(),
                    clusters.len()
                ),
            )
            .with_key(format!("node-pool/{}/unlinked", g.first)),
        );
    }
    for (ci, g) in over {
        let Some(c) = ci.parse::<usize>().ok().and_then(|i| clusters.get_mut(i)) else {
            continue;
        };
        let why = format!(
            "{} {} not checked: cluster `{}` already has {max_groups} node groups and pools (EKS_LINT_MAX_NODE_GROUPS)",
            g.subject(),
            if g.count > 1 { "were" } else { "was" },
            c.display_name()
        );
        c.dropped.push(crate::model::Unknown {
            reason: why.clone(),
            span: g.span,
        });
        out.push(
            Diagnostic::new(Code::EKS901, Level::Note, g.span, why)
                .with_label("not checked")
                .with_key(format!("limit/node-pools/{}", c.display_name())),
        );
    }
}

/// Tie every NodePool to its cluster and node class, resolve it, and add its node group.
/// Returns the notes: guessed links and pools tied to no cluster (one note per cause, however
/// many pools), selectors that match nothing, pools past the node-group limit. A cluster takes
/// at most `max_groups` node groups and pools together, like the node-group limit.
pub fn attach(
    clusters: &mut [Cluster],
    found: Vec<Found>,
    sources: &SourceMap,
    max_groups: u64,
) -> Vec<Diagnostic> {
    let max_groups = crate::limits::as_usize(max_groups);
    let mut out = Vec::new();
    // (cluster index or none, the cause) → the pools it holds for.
    let mut guesses: Vec<(String, Grouped)> = Vec::new();
    let mut unlinked: Vec<(String, Grouped)> = Vec::new();
    let mut over: Vec<(String, Grouped)> = Vec::new();
    let classes: Vec<&NodeClass> = found
        .iter()
        .filter_map(|f| match &f.doc {
            Doc::Class(c) => Some(&**c),
            Doc::Pool(_) | Doc::Unreadable { .. } => None,
        })
        .collect();
    for f in &found {
        if let Doc::Unreadable { what, reason, span } = &f.doc {
            // Its cluster: the one it names, else the one of its directory, else the only one.
            let named = clusters
                .iter()
                .position(|c| f.cluster.is_some() && c.name.get() == f.cluster.as_ref());
            let dir = dir_of(sources, *span);
            let same_dir: Vec<usize> = (0..clusters.len())
                .filter(|&i| dir.is_some() && dir_of(sources, clusters[i].span) == dir)
                .collect();
            let owner = named
                .or(match same_dir[..] {
                    [i] => Some(i),
                    _ => None,
                })
                .or((clusters.len() == 1).then_some(0));
            if let Some(c) = owner.and_then(|i| clusters.get_mut(i)) {
                c.unread_pools.push((
                    what.clone(),
                    crate::model::Unknown {
                        reason: reason.clone(),
                        span: *span,
                    },
                ));
            }
            out.push(
                Diagnostic::new(
                    Code::EKS901,
                    Level::Note,
                    *span,
                    format!(
                        "{what} looks like a Karpenter NodePool or node class, but its YAML is not known statically ({reason}); the pools it defines were not checked"
                    ),
                )
                .with_key(format!("node-pool/unreadable/{what}")),
            );
            continue;
        }
        let Doc::Pool(pool) = &f.doc else { continue };
        let class = pool.class_name.get().and_then(|n| {
            let same_kind = |c: &&&NodeClass| c.name == *n && c.kind == pool.class;
            // One whose selectors are known first (a template's rendered copy, by
            // templatefile() or kubectl_path_documents, over the raw file with its
            // placeholders), of the same file if there is one; then the same file; then any.
            let known = |c: &&&NodeClass| c.subnet_terms.is_known();
            let same_file = |c: &&&NodeClass| c.span.file == pool.span.file;
            classes
                .iter()
                .filter(same_kind)
                .filter(known)
                .find(same_file)
                .or_else(|| classes.iter().filter(same_kind).find(known))
                .or_else(|| classes.iter().filter(same_kind).find(same_file))
                .or_else(|| classes.iter().find(same_kind))
                .copied()
        });
        let Some((ci, guess)) = link(clusters, sources, f, pool, class) else {
            group(&mut unlinked, String::new(), pool);
            continue;
        };
        let cluster = &mut clusters[ci];
        // NodePool names are unique in a cluster: the same pool read twice (a YAML file that
        // Terraform also applies with file()) is checked once.
        if cluster.node_pools.iter().any(|p| p.name == pool.name) {
            continue;
        }
        if cluster.node_groups.len() >= max_groups {
            group(&mut over, ci.to_string(), pool);
            continue;
        }
        let mut pool = NodePool::clone(pool);
        pool.link_guess = guess;
        resolve(&mut pool, class, cluster);
        if let Some(g) = &pool.link_guess {
            group(&mut guesses, format!("{ci}\u{0}{g}"), &pool);
        }
        if pool.subnets.is_known() {
            for t in &pool.unmatched_terms {
                out.push(
                    Diagnostic::new(
                        Code::EKS901,
                        Level::Note,
                        t.span,
                        format!(
                            "{} `{}`: its subnet selector term ({}) matches none of the cluster's modelled subnets; the pool was checked with the subnets its other terms select",
                            pool.class.label(),
                            pool.name,
                            term_text(t)
                        ),
                    )
                    .with_key(format!("{}/node-pool/{}/term", cluster.display_name(), pool.name)),
                );
            }
        }
        let index = cluster.node_pools.len();
        cluster.node_groups.push(node_group(&pool, index));
        cluster.node_pools.push(pool);
    }
    grouped_notes(clusters, [guesses, unlinked, over], max_groups, &mut out);
    builtin_pools(clusters, &mut out);
    out
}

#[cfg(test)]
mod tests;
