//! eksctl ClusterConfig YAML → model (DESIGN.md §4.2).
//!
//! Defaults follow eksctl's own code (eksctl-io/eksctl `pkg/apis/eksctl.io/v1alpha5` and
//! `pkg/vpc/vpc.go`): VPC 192.168.0.0/16; when no subnets are written, eksctl carves the VPC
//! CIDR into blocks of 1/8 (1/16 above four zones): zone i gets public block i and private block
//! i+Z; three zones when none are named (`RecommendedAvailabilityZones`); node groups default
//! to m5.large and 2 nodes, and use the public subnets unless `privateNetworking: true`.

pub mod yaml;

use crate::diag::{Diagnostic, Level};
use crate::frontend::Loaded;
use crate::model::{
    Cidr, Cluster, CniConfig, IpFamily, NodeGroup, NodeGroupKind, Origin, SourceKind, Subnet,
    SubnetId, Value, Vpc,
};
use crate::source::{FileId, SourceFile, Span};
use ipnet::Ipv4Net;
use yaml::Node;

pub const DEFAULT_VPC_CIDR: &str = "192.168.0.0/16";
pub const DEFAULT_INSTANCE_TYPE: &str = "m5.large";
pub const DEFAULT_NODE_COUNT: i64 = 2;
/// `DefaultMaxSize`: a managed node group's derived maxSize of 0 becomes this.
pub const DEFAULT_MANAGED_MAX_SIZE: i64 = 1;
/// eksctl picks this many zones of the region when none are named.
pub const DEFAULT_ZONE_COUNT: usize = 3;

/// Whether the text plausibly is an eksctl config: only such files get EKS903 for YAML syntax
/// errors (a broken Helm template elsewhere in the repository is not our business).
fn looks_like_cluster_config(text: &str) -> bool {
    text.contains("eksctl.io/") && text.contains("ClusterConfig")
}

/// Parse one YAML file; non-ClusterConfig documents are skipped silently.
pub fn load(id: FileId, file: &SourceFile, limits: &crate::limits::Limits) -> Loaded {
    let _crumb = crate::breadcrumb::enter(&file.display);
    let mut out = Loaded::default();
    let text: &str = &file.text;
    if !looks_like_cluster_config(text) {
        return out;
    }
    let docs = match yaml::parse(text, limits.max_yaml_aliases) {
        Ok(d) => d,
        Err(e) => {
            out.diagnostics.push(Diagnostic::new(
                "EKS903",
                Level::Error,
                Span::new(id, e.offset, e.offset),
                format!("`{}` is not valid YAML: {}", file.display, e.message),
            ));
            return out;
        }
    };
    for doc in &docs {
        let is_eksctl = doc
            .get("apiVersion")
            .and_then(Node::scalar)
            .is_some_and(|v| v.starts_with("eksctl.io/"));
        let is_cluster = doc.get("kind").and_then(Node::scalar) == Some("ClusterConfig");
        if is_eksctl && is_cluster {
            let mut x = Extractor {
                id,
                text,
                diags: &mut out.diagnostics,
                subnet_ids: Vec::new(),
            };
            out.clusters.push(x.cluster(doc, limits.max_yaml_aliases));
        }
    }
    out
}

struct Extractor<'a> {
    id: FileId,
    text: &'a str,
    diags: &'a mut Vec<Diagnostic>,
    /// The `id` written for each subnet of the cluster being extracted (parallel to
    /// `Cluster::subnets`); node groups may select subnets by id.
    subnet_ids: Vec<Option<String>>,
}

impl Extractor<'_> {
    fn span(&self, n: &Node) -> Span {
        Span::new(self.id, n.start, n.end)
    }

    /// The span of `key: value` (from key start to value end) — what a finding should underline.
    fn entry_span(&self, map: &Node, key: &str) -> Option<Span> {
        map.entry(key)
            .map(|(k, v)| Span::new(self.id, k.start, v.end.max(k.end)))
    }

    fn string(&self, map: &Node, key: &str) -> Value<String> {
        match map.get(key) {
            Some(v) => match v.scalar() {
                Some(s) => Value::known(s.to_string(), self.span(v)),
                None => Value::Absent,
            },
            None => Value::Absent,
        }
    }

    /// An integer field; a non-integer is reported (EKS903) and becomes unknown.
    fn int(&mut self, map: &Node, key: &str) -> Value<i64> {
        let Some(v) = map.get(key) else {
            return Value::Absent;
        };
        let Some(s) = v.scalar() else {
            return Value::Absent;
        };
        let span = self.entry_span(map, key).unwrap_or_else(|| self.span(v));
        match s.trim().parse::<i64>() {
            Ok(n) => Value::Known(n, Origin::at(span)),
            Err(_) => {
                self.diags.push(Diagnostic::new(
                    "EKS903",
                    Level::Error,
                    self.span(v),
                    format!("`{key}` must be an integer, not `{s}`"),
                ));
                Value::unknown(format!("`{key}` is not an integer"), self.span(v))
            }
        }
    }

    fn cluster(&mut self, doc: &Node, max_aliases: u64) -> Cluster {
        let doc_span = self.span(doc);
        let meta = doc.get("metadata");
        let name = meta.map_or(Value::Absent, |m| self.string(m, "name"));
        let mut c = Cluster::new(name, doc_span, SourceKind::Eksctl);

        if let Some(knc) = doc.get("kubernetesNetworkConfig") {
            if let Some(v) = knc.get("ipFamily") {
                if let Some(s) = v.scalar() {
                    let fam = if s.eq_ignore_ascii_case("ipv6") {
                        IpFamily::Ipv6
                    } else {
                        IpFamily::Ipv4
                    };
                    c.ip_family = Value::known(fam, self.span(v));
                }
            }
            if let Some(v) = knc.get("serviceIPv4CIDR") {
                if let Some(s) = v.scalar() {
                    c.service_cidr = Value::known(Cidr::parse(s), self.span(v));
                }
            }
        }

        let vpc_node = doc.get("vpc");
        let zones = self.zones(doc);
        self.vpc_and_subnets(&mut c, vpc_node, &zones, doc_span);
        let all: Vec<SubnetId> = (0..c.subnets.len()).collect();
        c.control_plane_subnets = if c.subnets.is_empty() {
            Value::Absent
        } else {
            Value::Known(
                all,
                Origin::defaulted(vpc_node.map_or(doc_span, |v| self.span(v))),
            )
        };

        c.cni = self.cni(doc, max_aliases);

        for (key, kind) in [
            ("nodeGroups", NodeGroupKind::EksctlUnmanaged),
            ("managedNodeGroups", NodeGroupKind::Managed),
        ] {
            if let Some(list) = doc.get(key).and_then(Node::seq) {
                for ng in list {
                    let group = self.node_group(&c, ng, kind);
                    c.node_groups.push(group);
                }
            }
        }
        c
    }

    /// `availabilityZones` as written (name + span).
    fn zones(&self, doc: &Node) -> Vec<(String, Span)> {
        doc.get("availabilityZones")
            .and_then(Node::seq)
            .map(|zs| {
                zs.iter()
                    .filter_map(|z| Some((z.scalar()?.to_string(), self.span(z))))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn vpc_and_subnets(
        &mut self,
        c: &mut Cluster,
        vpc: Option<&Node>,
        zones: &[(String, Span)],
        doc_span: Span,
    ) {
        let vpc_span = vpc.map_or(doc_span, |v| self.span(v));
        let cidr: Value<Cidr> = match vpc.and_then(|v| v.get("cidr")) {
            Some(n) => match n.scalar() {
                Some(s) => Value::known(Cidr::parse(s), self.span(n)),
                None => Value::Known(Cidr::parse(DEFAULT_VPC_CIDR), Origin::defaulted(vpc_span)),
            },
            None => Value::Known(Cidr::parse(DEFAULT_VPC_CIDR), Origin::defaulted(vpc_span)),
        };
        let existing_vpc_id = vpc
            .and_then(|v| v.get("id"))
            .and_then(Node::scalar)
            .map(str::to_string);
        c.vpc = Some(Vpc {
            name: existing_vpc_id.clone().unwrap_or_else(|| "vpc".to_string()),
            span: vpc_span,
            cidrs: if existing_vpc_id.is_some() && vpc.and_then(|v| v.get("cidr")).is_none() {
                vec![Value::unknown(
                    format!(
                        "the VPC is the existing `{}`; its CIDR is not in the file",
                        existing_vpc_id.as_deref().unwrap_or("")
                    ),
                    vpc_span,
                )]
            } else {
                vec![cidr.clone()]
            },
        });

        let subnets_node = vpc.and_then(|v| v.get("subnets"));
        if let Some(sn) = subnets_node {
            for (topology, public) in [("private", false), ("public", true)] {
                let Some(entries) = sn.get(topology).and_then(Node::map) else {
                    continue;
                };
                for (k, v) in entries {
                    let key = k.scalar().unwrap_or("").to_string();
                    let az = match v.get("az").and_then(Node::scalar) {
                        Some(a) => Value::known(a.to_string(), self.span(v.get("az").unwrap_or(k))),
                        // The mapping key is the AZ unless `az` is given.
                        None if v.get("id").is_some() && !looks_like_az(&key) => Value::unknown(
                            format!(
                                "subnet `{key}` is given by id only; its zone is not in the file"
                            ),
                            self.span(k),
                        ),
                        None => Value::known(key.clone(), self.span(k)),
                    };
                    let cidr = match v.get("cidr") {
                        Some(n) => match n.scalar() {
                            Some(s) => Value::known(Cidr::parse(s), self.span(n)),
                            None => Value::Absent,
                        },
                        None => match v.get("id").and_then(Node::scalar) {
                            Some(id) => Value::unknown(
                                format!("subnet `{key}` is given only by id `{id}`; its CIDR is not in the file"),
                                self.span(v),
                            ),
                            None => Value::unknown(format!("subnet `{key}` has no `cidr`"), self.span(v)),
                        },
                    };
                    self.subnet_ids
                        .push(v.get("id").and_then(Node::scalar).map(str::to_string));
                    c.subnets.push(Subnet {
                        name: format!("{topology}/{key}"),
                        span: Span::new(self.id, k.start, v.end.max(k.end)),
                        cidr,
                        az,
                        public: Some(public),
                        ..Default::default()
                    });
                }
            }
            return;
        }
        if existing_vpc_id.is_some() {
            // An existing VPC without listed subnets: eksctl discovers them from AWS.
            return;
        }
        self.carve(c, &cidr, zones, vpc_span);
    }

    /// eksctl's default subnets: `SetSubnets` in eksctl `pkg/vpc/vpc.go`.
    fn carve(
        &mut self,
        c: &mut Cluster,
        cidr: &Value<Cidr>,
        zones: &[(String, Span)],
        vpc_span: Span,
    ) {
        let Value::Known(cidr_v, origin) = cidr else {
            return;
        };
        let Some(net) = cidr_v.ipv4() else { return };
        let zone_list: Vec<Value<String>> = if zones.is_empty() {
            // eksctl picks three distinct zones of the region at create time: their names are
            // unknown, but that they differ is known (so single-AZ checks need no note).
            (0..DEFAULT_ZONE_COUNT)
                .map(|i| {
                    Value::Known(
                        format!("zone {} (chosen by eksctl)", i + 1),
                        Origin::defaulted(vpc_span),
                    )
                })
                .collect()
        } else {
            zones
                .iter()
                .map(|(z, s)| Value::known(z.clone(), *s))
                .collect()
        };
        let Some(blocks) = carve_blocks(net, zone_list.len()) else {
            return;
        };
        let z = zone_list.len();
        for (topology, public, offset) in [("public", true, 0), ("private", false, z)] {
            for (i, az) in zone_list.iter().enumerate() {
                let block = blocks[i + offset];
                let label = az
                    .get()
                    .cloned()
                    .unwrap_or_else(|| format!("zone{}", i + 1));
                self.subnet_ids.push(None);
                c.subnets.push(Subnet {
                    name: format!("{topology}/{label}"),
                    span: origin.span,
                    cidr: Value::Known(
                        Cidr::parse(&block.to_string()),
                        Origin {
                            span: origin.span,
                            via: Vec::new(),
                            defaulted: true,
                        },
                    ),
                    az: az.clone(),
                    public: Some(public),
                    ..Default::default()
                });
            }
        }
    }

    fn cni(&mut self, doc: &Node, max_aliases: u64) -> CniConfig {
        let mut cfg = CniConfig::default();
        let Some(addons) = doc.get("addons").and_then(Node::seq) else {
            return cfg;
        };
        let Some(addon) = addons
            .iter()
            .find(|a| a.get("name").and_then(Node::scalar) == Some("vpc-cni"))
        else {
            return cfg;
        };
        cfg.span = Some(self.span(addon));
        let Some(cv) = addon.get("configurationValues") else {
            return cfg;
        };
        let Some(raw) = cv.scalar() else {
            return cfg;
        };
        let inner = match yaml::parse(raw, max_aliases) {
            Ok(d) => d,
            Err(e) => {
                self.diags.push(Diagnostic::new(
                    "EKS903",
                    Level::Error,
                    self.span(cv),
                    format!(
                        "`configurationValues` of the vpc-cni addon is not valid JSON or YAML: {}",
                        e.message
                    ),
                ));
                cfg.unknown = Some(crate::model::Unknown {
                    reason: "the vpc-cni `configurationValues` could not be parsed".to_string(),
                    span: self.span(cv),
                });
                return cfg;
            }
        };
        let Some(env) = inner.first().and_then(|d| d.get("env")).and_then(Node::map) else {
            return cfg;
        };
        let region = (cv.start, cv.end);
        for (k, v) in env {
            let Some(name) = k.scalar() else { continue };
            let value = v.scalar().unwrap_or("").to_string();
            let span = self
                .locate_in(region, name, &value)
                .unwrap_or_else(|| self.span(cv));
            cfg.set(name, value, Origin::at(span));
        }
        cfg
    }

    /// Point at `NAME ... value` inside the configurationValues scalar's source text (the inner
    /// document's own offsets do not map 1:1 through quoting and block indentation).
    fn locate_in(&self, (start, end): (usize, usize), name: &str, value: &str) -> Option<Span> {
        let region = self.text.get(start..end)?;
        let k = find_key(region, name)?;
        let after = &region[k + name.len()..];
        let line_end = after.find('\n').unwrap_or(after.len());
        let v_rel = if value.is_empty() {
            None
        } else {
            after[..line_end].find(value)
        };
        let end_rel = v_rel.map_or(k + name.len(), |v| k + name.len() + v + value.len());
        Some(Span::new(self.id, start + k, start + end_rel))
    }

    fn node_group(&mut self, c: &Cluster, ng: &Node, kind: NodeGroupKind) -> NodeGroup {
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
        g.max_pods = self.int(ng, "maxPodsPerNode");
        g.ami_family = self.string(ng, "amiFamily");
        g.custom_ami = ng
            .get("ami")
            .and_then(Node::scalar)
            .is_some_and(|a| a.starts_with("ami-"));

        g.subnets = self.node_group_subnets(c, ng, span);
        g
    }

    /// eksctl `SelectNodeGroupSubnets`: the subnets of the node group's `availabilityZones`
    /// (in its topology) plus each `subnets` entry, looked up by mapping key, then by id, in the
    /// node group's topology first (a private node group may also name a public subnet);
    /// with neither, every subnet of the topology.
    fn node_group_subnets(&mut self, c: &Cluster, ng: &Node, span: Span) -> Value<Vec<SubnetId>> {
        let private = ng
            .get("privateNetworking")
            .and_then(Node::as_bool)
            .unwrap_or(false);
        let of_topology = |public: bool| -> Vec<SubnetId> {
            (0..c.subnets.len())
                .filter(|&i| c.subnets[i].public == Some(public))
                .collect()
        };
        let pool = of_topology(!private);
        let azs: Vec<String> = ng
            .get("availabilityZones")
            .and_then(Node::seq)
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
                Value::unknown(
                    format!("the cluster defines no {kind} subnets for this node group"),
                    span,
                )
            };
        }
        let mut ids: Vec<SubnetId> = Vec::new();
        if !azs.is_empty() {
            ids.extend(
                pool.iter()
                    .copied()
                    .filter(|&i| c.subnets[i].az.get().is_some_and(|a| azs.contains(a))),
            );
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
            .entry_span(ng, "availabilityZones")
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

fn looks_like_az(s: &str) -> bool {
    // Zone ids: `use1-az1`; zone names: `us-west-2a`, `us-gov-west-1a`, local zones
    // `us-west-2-lax-1a`. Not a name like `outpost-subnet-1` or `private-a`.
    if let Some((pre, n)) = s.rsplit_once("-az") {
        return pre.len() >= 3
            && pre
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            && !n.is_empty()
            && n.chars().all(|c| c.is_ascii_digit());
    }
    let parts: Vec<&str> = s.split('-').collect();
    let Some(last) = parts.last() else {
        return false;
    };
    let letter = last.chars().last().is_some_and(|c| c.is_ascii_lowercase());
    let digits = &last[..last.len().saturating_sub(1)];
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[0].chars().all(|c| c.is_ascii_lowercase())
        && letter
        && !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
}

/// Byte offset of `name` used as a key (`"NAME"`, `'NAME'` or `NAME:`) in `region`.
fn find_key(region: &str, name: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(pos) = region[from..].find(name).filter(|_| !name.is_empty()) {
        let at = from + pos;
        let before = region[..at].chars().next_back();
        let after = region[at + name.len()..].chars().next();
        let quoted = matches!(before, Some('"' | '\'')) && matches!(after, Some('"' | '\''));
        let bare = !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            && matches!(after, Some(':'));
        if quoted || bare {
            return Some(if quoted { at - 1 } else { at });
        }
        from = at + name.len();
    }
    None
}

/// eksctl's split of the VPC CIDR (`getSubnetNetworkSize` + `SplitInto`): blocks of
/// prefix+3 (two of them for one zone, eight up to four zones), or prefix+4 (sixteen) up to
/// eight zones. None when eksctl would refuse (more than 16 subnets, or a VPC outside /16–/24).
pub fn carve_blocks(vpc: Ipv4Net, zones: usize) -> Option<Vec<Ipv4Net>> {
    let prefix = vpc.prefix_len();
    if !(16..=24).contains(&prefix) || zones == 0 {
        return None;
    }
    let subnets_total = zones * 2;
    let (count, len) = match subnets_total {
        2 => (2, prefix + 3),
        t if t <= 8 => (8, prefix + 3),
        t if t <= 16 => (16, prefix + 4),
        _ => return None,
    };
    let blocks: Vec<Ipv4Net> = vpc.subnets(len).ok()?.take(count).collect();
    (blocks.len() == count).then_some(blocks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::subnet::usable_addresses;

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
            .contains("subnet-0abc"));
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
        assert_eq!(l.diagnostics[0].code, "EKS903");
        let l = load_str("apiVersion: v1\nkind: ConfigMap\n---\napiVersion: eksctl.io/v1alpha5\nkind: Other\n# ClusterConfig\n");
        assert!(l.clusters.is_empty() && l.diagnostics.is_empty());
        let l = load_str(&format!(
            "{HEAD}managedNodeGroups:\n  - name: x\n    maxSize: lots\n"
        ));
        assert_eq!(l.diagnostics[0].code, "EKS903");
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
}
