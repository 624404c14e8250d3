//! NodePool and node class documents to the model, from JSON-shaped values (YAML files,
//! `kubectl_manifest` `yaml_body`, `kubernetes_manifest` `manifest`).
//!
//! Fields (kubernetes-sigs/karpenter `pkg/apis/v1/nodepool.go` and aws/karpenter-provider-aws
//! `pkg/apis/v1/ec2nodeclass.go`, both v1 and v1beta1): NodePool `spec.template.spec`
//! `requirements` and `nodeClassRef`, `spec.limits`, `spec.replicas`; v1beta1 keeps `kubelet`
//! on the NodePool, v1 on the EC2NodeClass (`spec.kubelet.maxPods`, `podsPerCore`), with
//! `subnetSelectorTerms` (`id`, `tags`), `amiFamily` and `amiSelectorTerms[].alias`. The EKS
//! Auto Mode `eks.amazonaws.com` NodeClass has `subnetSelectorTerms` and
//! `podSubnetSelectorTerms`.

use crate::model::{NodeClassKind, NodePool, Operator, Requirement, SubnetTerm, Value};
use crate::source::Span;
use serde_json::Value as J;

/// The prefix a front end gives a string standing for a value it could not know, followed by
/// why (Terraform values that stay unknown).
pub const UNKNOWN_MARK: char = '\u{1}';

/// A node class document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeClass {
    pub name: String,
    pub kind: NodeClassKind,
    pub span: Span,
    pub subnet_terms: Value<Vec<SubnetTerm>>,
    pub pod_subnet_terms: Value<Vec<SubnetTerm>>,
    pub max_pods: Value<i64>,
    pub pods_per_core: Value<i64>,
    pub ami_family: Value<String>,
    /// Cluster names the class names (`karpenter.sh/discovery` selector tags, the node role).
    pub cluster_hints: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Doc {
    Pool(Box<NodePool>),
    Class(Box<NodeClass>),
    /// A manifest that looks like a NodePool or node class but could not be read (a
    /// Terraform `yaml_body` whose value is not known): what it is, why, where.
    Unreadable {
        what: String,
        reason: String,
        span: Span,
    },
}

/// A document and how to find the span of a field path in it.
pub struct Located<'a> {
    pub doc: &'a J,
    /// The span of a path (`["spec", "limits"]`), or the document's when not precise.
    pub span: &'a dyn Fn(&[&str]) -> Span,
}

impl Located<'_> {
    fn at(&self, path: &[&str]) -> Option<&J> {
        path.iter().try_fold(self.doc, |v, k| v.get(k))
    }
}

fn unknown_of(v: &J) -> Option<String> {
    v.as_str()
        .and_then(|s| s.strip_prefix(UNKNOWN_MARK))
        .map(str::to_string)
}

/// A string or number as text (YAML and HCL write requirement values either way).
fn text(v: &J) -> Option<String> {
    match v {
        J::String(s) => Some(s.clone()),
        J::Number(n) => Some(n.to_string()),
        J::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn int_value(v: Option<&J>, span: Span, what: &str) -> Value<i64> {
    let Some(v) = v.filter(|v| !v.is_null()) else {
        return Value::Absent;
    };
    if let Some(why) = unknown_of(v) {
        return Value::unknown(why, span);
    }
    match text(v).and_then(|t| t.trim().parse::<i64>().ok()) {
        Some(n) => Value::known(n, span),
        None => Value::unknown(format!("{what} `{v}` is not an integer"), span),
    }
}

/// A Kubernetes quantity (`100`, `1000m`, `1000Gi`, `1e3`) times `scale` (1000 for CPU in
/// millicores, 1 for bytes), rounded down; None when it does not parse.
pub fn quantity(s: &str, scale: f64) -> Option<u64> {
    let s = s.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-'))
        .unwrap_or(s.len());
    let (num, suffix) = s.split_at(split);
    let n: f64 = num.parse().ok()?;
    let mult = match suffix {
        "" => 1.0,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        "Ki" => 1024.0,
        "Mi" => 1024f64.powi(2),
        "Gi" => 1024f64.powi(3),
        "Ti" => 1024f64.powi(4),
        "Pi" => 1024f64.powi(5),
        "Ei" => 1024f64.powi(6),
        e if e.starts_with(['e', 'E']) => 10f64.powi(e[1..].parse::<i32>().ok()?),
        _ => return None,
    };
    let v = n * mult * scale;
    (v.is_finite() && v >= 0.0).then(|| v.floor().min(u64::MAX as f64) as u64)
}

fn quantity_value(v: &J, span: Span, scale: f64, what: &str) -> Value<u64> {
    if let Some(why) = unknown_of(v) {
        return Value::unknown(why, span);
    }
    match text(v).and_then(|t| quantity(&t, scale)) {
        Some(n) => Value::known(n, span),
        None => Value::unknown(format!("{what} `{v}` is not a quantity"), span),
    }
}

fn terms(l: &Located, path: &[&str]) -> (Value<Vec<SubnetTerm>>, Vec<String>) {
    let span = (l.span)(path);
    let mut hints = Vec::new();
    let Some(v) = l.at(path).filter(|v| !v.is_null()) else {
        return (Value::Absent, hints);
    };
    if let Some(why) = unknown_of(v) {
        return (Value::unknown(why, span), hints);
    }
    let Some(items) = v.as_array() else {
        return (Value::unknown("it is not a list", span), hints);
    };
    let mut out = Vec::new();
    for item in items {
        let id = item.get("id").and_then(text);
        let mut tags = std::collections::BTreeMap::new();
        if let Some(m) = item.get("tags").and_then(J::as_object) {
            for (k, v) in m {
                let Some(t) = text(v) else { continue };
                if let Some(why) = t.strip_prefix(UNKNOWN_MARK) {
                    return (
                        Value::unknown(format!("the value of tag `{k}`: {why}"), span),
                        hints,
                    );
                }
                if k == "karpenter.sh/discovery" {
                    hints.push(t.clone());
                }
                tags.insert(k.clone(), t);
            }
        }
        if let Some(why) = id.as_deref().and_then(|i| i.strip_prefix(UNKNOWN_MARK)) {
            return (Value::unknown(format!("the subnet id: {why}"), span), hints);
        }
        if id.is_none() && tags.is_empty() {
            // Other selectors (none today) are not modelled.
            return (
                Value::unknown("a term selects subnets by neither `id` nor `tags`", span),
                hints,
            );
        }
        out.push(SubnetTerm { id, tags, span });
    }
    (Value::known(out, span), hints)
}

fn kubelet(l: &Located, base: &[&str]) -> (Value<i64>, Value<i64>) {
    let path = |k: &'static str| -> Vec<&str> {
        let mut p = base.to_vec();
        p.extend(["kubelet", k]);
        p
    };
    let mp = path("maxPods");
    let ppc = path("podsPerCore");
    (
        int_value(l.at(&mp), (l.span)(&mp), "maxPods"),
        int_value(l.at(&ppc), (l.span)(&ppc), "podsPerCore"),
    )
}

/// The AMI family an EC2NodeClass names: `amiFamily`, else the alias family (`al2023@latest`).
fn ami_family(l: &Located) -> Value<String> {
    let span = (l.span)(&["spec", "amiFamily"]);
    if let Some(f) = l.at(&["spec", "amiFamily"]).and_then(text) {
        return Value::known(f, span);
    }
    let alias = l
        .at(&["spec", "amiSelectorTerms"])
        .and_then(J::as_array)
        .and_then(|a| a.iter().find_map(|t| t.get("alias").and_then(text)));
    match alias {
        Some(a) => Value::known(
            a.split('@').next().unwrap_or_default().to_string(),
            (l.span)(&["spec", "amiSelectorTerms"]),
        ),
        None => Value::Absent,
    }
}

fn node_class(l: &Located, name: String, kind: NodeClassKind) -> NodeClass {
    let (subnet_terms, mut hints) = terms(l, &["spec", "subnetSelectorTerms"]);
    let (pod_subnet_terms, _) = terms(l, &["spec", "podSubnetSelectorTerms"]);
    let (max_pods, pods_per_core) = kubelet(l, &["spec"]);
    if let Some(role) = l.at(&["spec", "role"]).and_then(J::as_str) {
        for p in ["KarpenterNodeRole-", "Karpenter-"] {
            if let Some(c) = role.strip_prefix(p) {
                hints.push(c.to_string());
            }
        }
    }
    NodeClass {
        name,
        kind,
        span: (l.span)(&["metadata", "name"]),
        subnet_terms,
        pod_subnet_terms,
        max_pods,
        pods_per_core,
        ami_family: ami_family(l),
        cluster_hints: hints,
    }
}

fn requirements(l: &Located, pool: &mut NodePool) {
    let path = ["spec", "template", "spec", "requirements"];
    let span = (l.span)(&path);
    let Some(v) = l.at(&path).filter(|v| !v.is_null()) else {
        return;
    };
    let Some(items) = v.as_array() else {
        pool.requirements_unknown = Some(crate::model::Unknown {
            reason: unknown_of(v).unwrap_or_else(|| "it is not a list".to_string()),
            span,
        });
        return;
    };
    for r in items {
        let key = r.get("key").and_then(text);
        let op = r.get("operator").and_then(J::as_str);
        let values: Option<Vec<String>> = match r.get("values") {
            None | Some(J::Null) => Some(Vec::new()),
            Some(J::Array(a)) => a.iter().map(text).collect(),
            Some(_) => None,
        };
        let unknown = key
            .iter()
            .chain(values.iter().flatten())
            .find_map(|s| s.strip_prefix(UNKNOWN_MARK).map(str::to_string));
        match (key, op.and_then(Operator::parse), values, unknown) {
            (_, _, _, Some(why)) => {
                pool.requirements_unknown = Some(crate::model::Unknown { reason: why, span });
                return;
            }
            (Some(key), Some(op), Some(values), None) => pool.requirements.push(Requirement {
                key,
                op,
                values,
                span,
            }),
            _ => {
                pool.requirements_unknown = Some(crate::model::Unknown {
                    reason: format!("requirement `{r}` has no key, a known operator or values"),
                    span,
                });
                return;
            }
        }
    }
}

fn limits(l: &Located, pool: &mut NodePool) {
    let Some(m) = l.at(&["spec", "limits"]).and_then(J::as_object) else {
        return;
    };
    pool.limits.span = Some((l.span)(&["spec", "limits"]));
    for (k, v) in m {
        let span = (l.span)(&["spec", "limits", k]);
        match k.as_str() {
            "cpu" => pool.limits.cpu_millis = quantity_value(v, span, 1000.0, "limits.cpu"),
            "memory" => pool.limits.memory_bytes = quantity_value(v, span, 1.0, "limits.memory"),
            "nodes" => pool.limits.nodes = quantity_value(v, span, 1.0, "limits.nodes"),
            "pods" => pool.limits.pods = quantity_value(v, span, 1.0, "limits.pods"),
            _ => pool.limits.other.push((k.clone(), span)),
        }
    }
}

/// The NodePool or node class in one document, if it is one.
pub fn read(l: &Located) -> Option<Doc> {
    let api = l.doc.get("apiVersion").and_then(J::as_str)?;
    let kind = l.doc.get("kind").and_then(J::as_str)?;
    let group = api.split('/').next().unwrap_or_default();
    let name = l
        .at(&["metadata", "name"])
        .and_then(text)
        .unwrap_or_else(|| "(unnamed)".to_string());
    match (group, kind) {
        ("karpenter.k8s.aws", "EC2NodeClass") => Some(Doc::Class(Box::new(node_class(
            l,
            name,
            NodeClassKind::Ec2NodeClass,
        )))),
        ("eks.amazonaws.com", "NodeClass") => Some(Doc::Class(Box::new(node_class(
            l,
            name,
            NodeClassKind::AutoModeNodeClass,
        )))),
        ("karpenter.sh", "NodePool") => {
            let r = ["spec", "template", "spec", "nodeClassRef"];
            let class_group = l
                .at(&r)
                .and_then(|c| c.get("group").or_else(|| c.get("apiVersion")))
                .and_then(J::as_str)
                .unwrap_or("karpenter.k8s.aws");
            let class = if class_group.starts_with("eks.amazonaws.com") {
                NodeClassKind::AutoModeNodeClass
            } else {
                NodeClassKind::Ec2NodeClass
            };
            let mut pool = NodePool::new(name, (l.span)(&["metadata", "name"]), class);
            pool.api_version = api.to_string();
            let mut rn = r.to_vec();
            rn.push("name");
            pool.class_name = match l.at(&rn).and_then(text) {
                Some(n) => match n.strip_prefix(UNKNOWN_MARK) {
                    Some(why) => Value::unknown(why, (l.span)(&rn)),
                    None => Value::known(n, (l.span)(&rn)),
                },
                None => Value::Absent,
            };
            requirements(l, &mut pool);
            limits(l, &mut pool);
            if let Some(v) = l.at(&["spec", "replicas"]) {
                pool.replicas = quantity_value(v, (l.span)(&["spec", "replicas"]), 1.0, "replicas");
            }
            // v1beta1: kubelet settings on the NodePool.
            let (mp, ppc) = kubelet(l, &["spec", "template", "spec"]);
            pool.max_pods = mp;
            pool.pods_per_core = ppc;
            Some(Doc::Pool(Box::new(pool)))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities() {
        assert_eq!(quantity("100", 1000.0), Some(100_000));
        assert_eq!(quantity("1500m", 1000.0), Some(1500));
        assert_eq!(quantity("1.5", 1000.0), Some(1500));
        assert_eq!(quantity("1000Gi", 1.0), Some(1000 * 1024 * 1024 * 1024));
        assert_eq!(quantity("2G", 1.0), Some(2_000_000_000));
        assert_eq!(quantity("1e3", 1.0), Some(1000));
        assert_eq!(quantity("ten", 1.0), None);
        assert_eq!(quantity("-5", 1.0), None);
        assert_eq!(quantity("5Xi", 1.0), None);
    }

    fn read_json(j: J) -> Option<Doc> {
        let span = |_: &[&str]| Span::default();
        read(&Located {
            doc: &j,
            span: &span,
        })
    }

    #[test]
    fn v1_pool_and_class() {
        let Some(Doc::Pool(p)) = read_json(serde_json::json!({
            "apiVersion": "karpenter.sh/v1", "kind": "NodePool",
            "metadata": {"name": "default"},
            "spec": {"template": {"spec": {
                "nodeClassRef": {"group": "karpenter.k8s.aws", "kind": "EC2NodeClass", "name": "default"},
                "requirements": [{"key": "karpenter.k8s.aws/instance-cpu", "operator": "In", "values": [2, "4"]}]}},
              "limits": {"cpu": 1000, "memory": "1000Gi", "nvidia.com/gpu": 4}}
        })) else {
            panic!("not a pool")
        };
        assert_eq!(p.requirements[0].values, vec!["2", "4"]);
        assert_eq!(p.limits.cpu_millis.get(), Some(&1_000_000));
        assert_eq!(p.limits.other.len(), 1);
        assert_eq!(p.class_name.get().map(String::as_str), Some("default"));
        assert!(p.is_bounded());
        let Some(Doc::Class(c)) = read_json(serde_json::json!({
            "apiVersion": "karpenter.k8s.aws/v1", "kind": "EC2NodeClass",
            "metadata": {"name": "default"},
            "spec": {"role": "KarpenterNodeRole-prod", "amiSelectorTerms": [{"alias": "al2023@latest"}],
              "kubelet": {"maxPods": 110},
              "subnetSelectorTerms": [{"tags": {"karpenter.sh/discovery": "prod"}}, {"id": "subnet-1"}]}
        })) else {
            panic!("not a class")
        };
        assert_eq!(c.subnet_terms.get().map(Vec::len), Some(2));
        assert_eq!(c.max_pods.get(), Some(&110));
        assert_eq!(c.ami_family.get().map(String::as_str), Some("al2023"));
        assert_eq!(c.cluster_hints, vec!["prod", "prod"]);
    }

    #[test]
    fn unknown_marks_become_unknown_values() {
        let mark = format!("{UNKNOWN_MARK}it comes from a data source");
        let Some(Doc::Pool(p)) = read_json(serde_json::json!({
            "apiVersion": "karpenter.sh/v1beta1", "kind": "NodePool",
            "spec": {"limits": {"cpu": mark}, "template": {"spec": {"kubelet": {"maxPods": 50}}}}
        })) else {
            panic!("not a pool")
        };
        assert!(p.limits.cpu_millis.unknown_reason().is_some());
        assert!(!p.is_bounded());
        assert_eq!(p.max_pods.get(), Some(&50));
        assert_eq!(p.name, "(unnamed)");
        assert!(read_json(serde_json::json!({"apiVersion": "v1", "kind": "ConfigMap"})).is_none());
    }
}
