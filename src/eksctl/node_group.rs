//! Node groups (`nodeGroups`, `managedNodeGroups`): instance types, sizes with eksctl's
//! defaulting, and the subnets they launch in.

use super::core::Extractor;
use super::defaults::{DEFAULT_INSTANCE_TYPE, DEFAULT_MANAGED_MAX_SIZE, DEFAULT_NODE_COUNT};
use super::yaml::Node;
use crate::model::{Cluster, NodeGroup, NodeGroupKind, Origin, SubnetId, Value};
use crate::source::Span;

impl Extractor<'_> {
    pub(super) fn node_group(&mut self, c: &Cluster, ng: &Node, kind: NodeGroupKind) -> NodeGroup {
        let name = ng
            .get("name")
            .and_then(Node::scalar)
            .unwrap_or("(unnamed)")
            .to_string();
        let span = self.span(ng);
        let mut g = NodeGroup::new(name, span, kind);

        // Instance types: instanceType, instanceTypes, instancesDistribution.instanceTypes.
        let mut types = Vec::new();
        if let Some(v) = ng.get("instanceType") {
            if let Some(s) = v.scalar().filter(|s| *s != "mixed") {
                types.push(Value::known(s.to_string(), self.span(v)));
            }
        }
        for list in [
            ng.get("instanceTypes"),
            ng.get("instancesDistribution")
                .and_then(|d| d.get("instanceTypes")),
        ]
        .into_iter()
        .flatten()
        {
            if let Some(items) = list.seq() {
                for t in items {
                    if let Some(s) = t.scalar() {
                        types.push(Value::known(s.to_string(), self.span(t)));
                    }
                }
            }
        }
        if types.is_empty() {
            if let Some(sel) = ng.get("instanceSelector") {
                g.instance_types_unknown = Some(crate::model::Unknown {
                    reason: "the instance types are chosen by `instanceSelector` when the node group is created".to_string(),
                    span: self.span(sel),
                });
            } else if let Some(lt) = ng
                .get("launchTemplate")
                .filter(|_| kind == NodeGroupKind::Managed)
            {
                // eksctl defaults a managed group to m5.large only without a launch template
                // (`NodeGroupService.Normalize`, pkg/eks/nodegroup_service.go); EKS then
                // launches the template's instance type.
                let id = lt.get("id").and_then(Node::scalar).unwrap_or("(no id)");
                g.instance_types_unknown = Some(crate::model::Unknown {
                    reason: format!("the instance type comes from launch template `{id}`, which is not in the file"),
                    span: self.entry_span(ng, "launchTemplate").unwrap_or_else(|| self.span(lt)),
                });
            } else {
                types.push(Value::Known(
                    DEFAULT_INSTANCE_TYPE.to_string(),
                    Origin::defaulted(span),
                ));
            }
        }
        g.instance_types = types;

        // Sizes, with eksctl's defaulting (`validateManagedNodeGroup` / `SetNodeGroupDefaults`).
        let desired = self.int(ng, "desiredCapacity");
        let min = self.int(ng, "minSize");
        let max = self.int(ng, "maxSize");
        let defaulted = |v: i64| Value::Known(v, Origin::defaulted(span));
        g.min_size = match (&min, &desired) {
            (Value::Absent, Value::Absent) => defaulted(DEFAULT_NODE_COUNT),
            (Value::Absent, d) => d.clone(),
            (m, _) => m.clone(),
        };
        g.max_size = match (&max, &desired) {
            (Value::Absent, Value::Absent) => g.min_size.clone(),
            (Value::Absent, d) => d.clone(),
            (m, _) => m.clone(),
        };
        // eksctl raises a derived managed maxSize of 0 to 1 (`DefaultMaxSize`).
        if kind == NodeGroupKind::Managed && max.is_absent() && g.max_size.get() == Some(&0) {
            g.max_size = defaulted(DEFAULT_MANAGED_MAX_SIZE);
        }
        g.desired_size = match &desired {
            Value::Absent => g.min_size.clone(),
            d => d.clone(),
        };
        g.max_pods = self.max_pods(ng);
        g.max_pods_expression = self.max_pods_expression(ng);
        g.ami_family = self.string(ng, "amiFamily");
        g.custom_ami = ng
            .get("ami")
            .and_then(Node::scalar)
            .is_some_and(|a| a.starts_with("ami-"));

        let private = ng
            .get("privateNetworking")
            .and_then(Node::as_bool)
            .unwrap_or(false);
        g.subnets = self.node_group_subnets(c, ng, kind, span, private);
        g
    }

    /// eksctl `SelectNodeGroupSubnets`: the subnets of the node group's `availabilityZones`
    /// (in its topology) plus each `subnets` entry, looked up by mapping key, then by id, in the
    /// node group's topology first (a private node group may also name a public subnet);
    /// with neither, every subnet of the topology.
    pub(super) fn node_group_subnets(
        &mut self,
        c: &Cluster,
        ng: &Node,
        kind: NodeGroupKind,
        span: Span,
        private: bool,
    ) -> Value<Vec<SubnetId>> {
        // eksctl `SelectNodeGroupSubnets`: a self-managed group with `localZones` launches in
        // the local-zone subnets of those zones; every other group in the cluster's AZ subnets.
        let local_zones = (kind == NodeGroupKind::EksctlUnmanaged)
            .then(|| ng.get("localZones").and_then(Node::seq))
            .flatten()
            .filter(|l| !l.is_empty());
        let of_topology = |public: bool| -> Vec<SubnetId> {
            (0..c.subnets.len())
                .filter(|&i| c.subnets[i].public == Some(public))
                .filter(|i| self.local_zone_subnets.contains(i) == local_zones.is_some())
                .collect()
        };
        let pool = of_topology(!private);
        let azs: Vec<String> = local_zones
            .or_else(|| ng.get("availabilityZones").and_then(Node::seq))
            .map(|l| {
                l.iter()
                    .filter_map(|z| z.scalar().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let listed = ng
            .get("subnets")
            .and_then(Node::seq)
            .filter(|l| !l.is_empty());

        if listed.is_none() && pool.is_empty() {
            return if c.subnets.is_empty() {
                Value::unknown("the VPC's subnets are not in the file (existing VPC)", span)
            } else {
                let kind = if private { "private" } else { "public" };
                let local = if local_zones.is_some() {
                    " local-zone"
                } else {
                    ""
                };
                Value::unknown(
                    format!("the cluster defines no {kind}{local} subnets for this node group"),
                    span,
                )
            };
        }
        let mut ids: Vec<SubnetId> = Vec::new();
        for z in &azs {
            let before = ids.len();
            for &i in &pool {
                if c.subnets[i].az.get() == Some(z) && !ids.contains(&i) {
                    ids.push(i);
                }
            }
            if ids.len() == before {
                // eksctl refuses the node group ("could not find subnets for zones").
                let at = self
                    .entry_span(
                        ng,
                        if local_zones.is_some() {
                            "localZones"
                        } else {
                            "availabilityZones"
                        },
                    )
                    .unwrap_or(span);
                let unknown_zone = pool.iter().find_map(|&i| match &c.subnets[i].az {
                    Value::Unknown(u) => Some(u.reason.clone()),
                    _ => None,
                });
                let reason = match self.chosen_zones {
                    _ if unknown_zone.is_some() => format!(
                        "which subnets are in zone `{z}` is not known: {}",
                        unknown_zone.unwrap_or_default()
                    ),
                    Some(n) if local_zones.is_none() => format!(
                        "eksctl chooses {n} zones for the cluster at create time, as it sets no `availabilityZones`, and the node groups name more zones than that: whether `{z}` is one of them is not known"
                    ),
                    _ => format!("the cluster has no subnet of this node group's topology in zone `{z}`"),
                };
                return Value::unknown(reason, at);
            }
        }
        if let Some(list) = listed {
            let fallback = if private {
                of_topology(true)
            } else {
                Vec::new()
            };
            for item in list {
                let Some(s) = item.scalar() else { continue };
                let key_of = |i: &SubnetId| c.subnets[*i].name.split_once('/').map(|(_, k)| k);
                let id_of = |i: &SubnetId| self.subnet_ids.get(*i).and_then(|x| x.as_deref());
                let found = pool
                    .iter()
                    .find(|i| key_of(i) == Some(s))
                    .or_else(|| pool.iter().find(|i| id_of(i) == Some(s)))
                    .or_else(|| fallback.iter().find(|i| key_of(i) == Some(s)))
                    .or_else(|| fallback.iter().find(|i| id_of(i) == Some(s)));
                match found {
                    Some(&i) => {
                        if !ids.contains(&i) {
                            ids.push(i)
                        }
                    }
                    None => {
                        return Value::unknown(
                            format!(
                                "subnet `{s}` is not described in the file (an existing subnet id?)"
                            ),
                            self.span(item),
                        )
                    }
                }
            }
            let list_span = self.span(ng.get("subnets").unwrap_or(ng));
            return Value::known(ids, list_span);
        }
        if azs.is_empty() {
            ids = pool;
        }
        let origin_span = self
            .entry_span(ng, "localZones")
            .filter(|_| local_zones.is_some())
            .or_else(|| self.entry_span(ng, "availabilityZones"))
            .or_else(|| self.entry_span(ng, "privateNetworking"))
            .unwrap_or(span);
        Value::Known(
            ids,
            Origin {
                span: origin_span,
                via: Vec::new(),
                defaulted: true,
            },
        )
    }
}
