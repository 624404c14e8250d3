//! Self-managed node groups: `aws_autoscaling_group` with a launch template, linked to a
//! cluster by its `kubernetes.io/cluster/<name>` tag or by name.

use super::core::*;
use crate::model::{Cluster, NodeGroup, NodeGroupKind, Unknown};
use crate::source::Span;
use crate::terraform::eval::Block;
use crate::terraform::value::{InstRef, Val, V};

impl<'e, 'm, 'a> Extractor<'e, 'm, 'a> {
    pub(super) fn self_managed(&self, clusters: &mut Vec<(Option<InstRef>, Cluster)>) {
        for i in self.instances("aws_autoscaling_group") {
            let body = &i.r.block.body;
            let span = self.block_span(&i);
            // The first reason some of the blocks naming the instance types are not known.
            let mut unknown: Option<Val> = None;
            let mut blocks = |parent: &Block<'m>, ty: &str| {
                self.ev.blocks(&i.id, parent, ty).unwrap_or_else(|u| {
                    unknown.get_or_insert(u);
                    Vec::new()
                })
            };
            let root = i.root();
            let mut lt_block = blocks(&root, "launch_template").into_iter().next();
            let mut overrides: Vec<(Val, Span)> = Vec::new();
            if let Some(mip) = blocks(&root, "mixed_instances_policy").first() {
                if let Some(l) = blocks(mip, "launch_template").first() {
                    if let Some(spec) = blocks(l, "launch_template_specification")
                        .into_iter()
                        .next()
                    {
                        lt_block = Some(spec);
                    }
                    for o in blocks(l, "override") {
                        if let Some(x) = self.ev.block_attr(&i.id, &o, "instance_type") {
                            overrides.push(x);
                        }
                    }
                }
            }
            let lt = lt_block.and_then(|b| self.launch_template(&i, &b));
            let cluster_tag = self.cluster_tag(&i);
            let eks_like = cluster_tag.is_some()
                || lt.as_ref().is_some_and(|l| !l.max_pods.is_absent())
                || self.mentions_eks(&i);
            if !eks_like {
                continue;
            }
            let name = self
                .get(&i, body, "name")
                .and_then(|(v, _)| str_of(&v))
                .unwrap_or_else(|| self.ev.address(&i.id));
            let mut ng = NodeGroup::new(name, span, NodeGroupKind::SelfManaged);
            if !overrides.is_empty() {
                ng.instance_types = overrides
                    .iter()
                    .map(|(v, a)| self.to_value(v, *a, str_of))
                    .collect();
            } else if let Some(u) = &unknown {
                ng.instance_types_unknown = Some(why(u));
            } else if let Some(l) = lt.as_ref().filter(|l| !l.instance_type.is_absent()) {
                ng.instance_types = vec![l.instance_type.clone()];
            } else if lt.is_some() {
                ng.instance_types_unknown = Some(Unknown {
                    reason: "neither the launch template nor the auto scaling group names an instance type (attribute-based selection?)".into(),
                    span,
                });
            } else {
                ng.instance_types_unknown = Some(Unknown {
                    reason: "the launch template of this auto scaling group is not in the module"
                        .into(),
                    span,
                });
            }
            ng.min_size = self.value(self.get(&i, body, "min_size"), int_of);
            ng.max_size = self.value(self.get(&i, body, "max_size"), int_of);
            ng.desired_size = self.value(self.get(&i, body, "desired_capacity"), int_of);
            ng.subnets = self.subnet_list(self.get(&i, body, "vpc_zone_identifier"));
            if let Some(l) = lt {
                ng.max_pods = l.max_pods;
                ng.max_pods_expression = l.max_pods_expression;
                ng.custom_ami = l.custom_ami;
            }
            let c = match cluster_tag {
                Some((v, s)) => self.attach(clusters, &i, Some((v, s)), span),
                None => self.attach(clusters, &i, None, span),
            };
            clusters[c].1.node_groups.push(ng);
        }
    }

    /// `kubernetes.io/cluster/<name>` in `tag` blocks or `tags`: the cluster name.
    pub(super) fn cluster_tag(&self, i: &Inst) -> Option<(Val, Span)> {
        const PREFIX: &str = "kubernetes.io/cluster/";
        // The tag is only one way to find the cluster: unknown `tag` blocks leave the others.
        let tags = self.ev.blocks(&i.id, &i.root(), "tag").unwrap_or_default();
        for t in tags {
            if let Some((k, s)) = self.ev.block_attr(&i.id, &t, "key") {
                if let Some(n) = str_of(&k).and_then(|k| k.strip_prefix(PREFIX).map(String::from)) {
                    return Some((Val::str(n, s), s));
                }
            }
        }
        let (tags, s) = self.get(i, &i.r.block.body, "tags")?;
        let items: Vec<Val> = match tags.v {
            V::List(l) => l,
            V::Map(m) => m.into_keys().map(|k| Val::str(k, s)).collect(),
            _ => Vec::new(),
        };
        for t in items {
            let key = match &t.v {
                V::Map(m) => m.get("key").and_then(str_of),
                _ => str_of(&t),
            };
            if let Some(n) = key.and_then(|k| k.strip_prefix(PREFIX).map(String::from)) {
                return Some((Val::str(n, s), s));
            }
        }
        None
    }

    pub(super) fn mentions_eks(&self, i: &Inst) -> bool {
        let span = self.block_span(i);
        let text = self.sources.get(span.file).slice(span);
        text.contains("eks") || text.contains("kubernetes")
    }
}
