//! `aws_eks_node_group`: sizes, instance types, launch templates, and the max pods its user
//! data sets.

use super::core::*;
use crate::model::{Cluster, NodeGroup, NodeGroupKind, Origin, Unknown, Value};
use crate::source::Span;
use crate::terraform::eval::Block;
use crate::terraform::value::{InstRef, Val, V};

pub(super) struct LaunchTemplate {
    pub(super) instance_type: Value<String>,
    pub(super) max_pods: Value<i64>,
    pub(super) max_pods_expression: Value<String>,
    pub(super) custom_ami: bool,
}

/// User data is often base64 (`base64encode(...)`); MIME multipart stays as text.
pub(super) fn decode_user_data(s: &str) -> String {
    let t = s.trim();
    if !t.is_empty()
        && !t.contains(char::is_whitespace)
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b))
    {
        if let Some(text) =
            crate::terraform::funcs::base64_decode(t).and_then(|b| String::from_utf8(b).ok())
        {
            return text;
        }
    }
    s.to_string()
}

pub use crate::userdata::parse_max_pods;

impl<'e, 'm, 'a> Extractor<'e, 'm, 'a> {
    pub(super) fn node_groups(&self, clusters: &mut Vec<(Option<InstRef>, Cluster)>) {
        for i in self.instances("aws_eks_node_group") {
            let body = &i.r.block.body;
            let span = self.block_span(&i);
            let name = self
                .get(&i, body, "node_group_name")
                .and_then(|(v, _)| str_of(&v))
                .unwrap_or_else(|| self.ev.address(&i.id));
            let mut ng = NodeGroup::new(name, span, NodeGroupKind::Managed);
            let lt_blocks = self.ev.blocks(&i.id, &i.root(), "launch_template");
            let lt = lt_blocks
                .as_ref()
                .ok()
                .and_then(|b| b.first())
                .and_then(|b| self.launch_template(&i, b));
            // `instance_types = []` (what imported and generated code writes) is the same as
            // leaving it out: the launch template's type, else the default.
            let types = self
                .get(&i, body, "instance_types")
                .filter(|(v, _)| !matches!(&v.v, V::List(l) if l.is_empty()));
            match types {
                Some(got) => self.set_types(&mut ng, got),
                None => match (lt.as_ref().map(|l| l.instance_type.clone()), &lt_blocks) {
                    (Some(t), _) if !t.is_absent() => ng.instance_types = vec![t],
                    // Whether there is a launch template is not known: nor is the type.
                    (None, Err(u)) => ng.instance_types_unknown = Some(why(u)),
                    // A launch template we cannot read may name the instance type: do not
                    // assume the t3.medium default.
                    (None, Ok(b)) if !b.is_empty() => {
                        ng.instance_types_unknown = Some(Unknown {
                            reason: "the launch template of this node group is not defined in the module, so its instance type is not known".into(),
                            span: self.ev.m.span_of(i.r.file, b[0].written),
                        })
                    }
                    _ => {
                        ng.instance_types = vec![Value::Known(
                            DEFAULT_NODE_GROUP_TYPE.to_string(),
                            Origin::defaulted(span),
                        )]
                    }
                },
            }
            match self.ev.blocks(&i.id, &i.root(), "scaling_config") {
                Ok(b) => {
                    if let Some(sc) = b.first() {
                        let get = |n| self.ev.block_attr(&i.id, sc, n);
                        ng.min_size = self.value(get("min_size"), int_of);
                        ng.max_size = self.value(get("max_size"), int_of);
                        ng.desired_size = self.value(get("desired_size"), int_of);
                    }
                }
                Err(u) => {
                    ng.min_size = unknown_of(&u);
                    ng.max_size = unknown_of(&u);
                    ng.desired_size = unknown_of(&u);
                }
            }
            ng.subnets = self.subnet_list(self.get(&i, body, "subnet_ids"));
            ng.ami_family = self.value(self.get(&i, body, "ami_type"), str_of);
            if let Some(l) = lt {
                ng.max_pods = l.max_pods;
                ng.max_pods_expression = l.max_pods_expression;
                ng.custom_ami = l.custom_ami;
            }
            let c = self.attach(clusters, &i, self.get(&i, body, "cluster_name"), span);
            clusters[c].1.node_groups.push(ng);
        }
    }

    pub(super) fn set_types(&self, ng: &mut NodeGroup, (v, attr): (Val, Span)) {
        match &v.v {
            V::List(items) => {
                ng.instance_types = items
                    .iter()
                    .map(|x| self.to_value(x, attr, str_of))
                    .collect();
            }
            V::Unknown(u) => {
                ng.instance_types_unknown = Some(Unknown {
                    reason: u.reason.clone(),
                    span: v.span,
                })
            }
            _ => ng.instance_types = vec![self.to_value(&v, attr, str_of)],
        }
    }

    /// Resolve a `launch_template { id | name }` block to the `aws_launch_template` it names.
    pub(super) fn launch_template(&self, i: &Inst, b: &Block) -> Option<LaunchTemplate> {
        let by = |keys: &[&str]| {
            keys.iter()
                .find_map(|k| self.ev.block_attr(&i.id, b, k))
                .map(|x| x.0)
        };
        let target = match by(&["id", "launch_template_id"]).map(|v| v.v) {
            Some(V::Ref(inst, _)) | Some(V::Resource(inst)) => Some(inst),
            _ => None,
        };
        let target = target.or_else(|| {
            let name = str_of(&by(&["name", "launch_template_name"])?)?;
            self.instances("aws_launch_template")
                .into_iter()
                .find_map(|lt| {
                    let n = self.get(&lt, &lt.r.block.body, "name")?.0;
                    (str_of(&n)? == name).then_some(lt.id)
                })
        })?;
        let lt = self
            .instances("aws_launch_template")
            .into_iter()
            .find(|l| l.id == target)?;
        let body = &lt.r.block.body;
        let instance_type = self.value(self.get(&lt, body, "instance_type"), str_of);
        let custom_ami = body.get_attribute("image_id").is_some();
        let (max_pods, max_pods_expression) = match self.get(&lt, body, "user_data") {
            Some((v, attr)) => (self.max_pods(&v, attr), self.max_pods_expression(&v, attr)),
            None => (Value::Absent, Value::Absent),
        };
        Some(LaunchTemplate {
            instance_type,
            max_pods,
            max_pods_expression,
            custom_ami,
        })
    }

    /// nodeadm's `maxPodsExpression` from user data; unknown user data that visibly holds one
    /// is unknown (its literal is read from the source when there is exactly one).
    pub(crate) fn max_pods_expression(&self, v: &Val, attr: Span) -> Value<String> {
        let (text, base) = match &v.v {
            V::Str(s) => (decode_user_data(s), None),
            _ => {
                let src = self.sources.get(attr.file).slice(attr);
                if !src.contains("maxPodsExpression") {
                    return Value::Absent;
                }
                if src.matches("maxPodsExpression").count() == 1 && !src.contains("${") {
                    (src.to_string(), Some(attr.start as usize))
                } else {
                    return match v.first_unknown() {
                        Some((u, s)) => Value::unknown(u.reason.clone(), s),
                        None => Value::unknown("the user data is not a known string", attr),
                    };
                }
            }
        };
        match crate::userdata::find_max_pods_expression(&text) {
            Some((e, r)) => {
                let origin = match base {
                    Some(b) => Origin::at(Span::new(attr.file, b + r.start, b + r.end)),
                    None => self.origin(v, attr),
                };
                Value::Known(e, origin)
            }
            None => Value::Absent,
        }
    }

    /// Max pods from user data: bootstrap.sh `--max-pods`, `--use-max-pods false`, kubelet
    /// `--max-pods`, nodeadm `maxPods`.
    pub(crate) fn max_pods(&self, v: &Val, attr: Span) -> Value<i64> {
        let text = match &v.v {
            V::Str(s) => decode_user_data(s),
            _ => {
                // A template with unknown parts may still hold a literal max pods: read it
                // from the source as written.
                let src = self.sources.get(attr.file).slice(attr);
                if let Some((n, r)) = crate::userdata::literal_max_pods(src) {
                    let base = attr.start as usize;
                    let at = Span::new(attr.file, base + r.start, base + r.end);
                    return Value::Known(n, Origin::at(at));
                }
                // Unknown user data only matters when it visibly sets max pods.
                if crate::userdata::mentions_max_pods(src) {
                    if let Some((u, s)) = v.first_unknown() {
                        return Value::unknown(u.reason.clone(), s);
                    }
                    return Value::unknown("the user data is not a known string", attr);
                }
                return Value::Absent;
            }
        };
        match parse_max_pods(&text) {
            Some(Ok(n)) => Value::Known(n, self.origin(v, attr)),
            Some(Err(())) => Value::unknown(
                "the user data sets max pods to a value eks-lint cannot read",
                attr,
            ),
            None => Value::Absent,
        }
    }
}
