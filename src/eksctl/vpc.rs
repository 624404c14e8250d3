//! The VPC and its subnets: as written, or carved by eksctl from the VPC CIDR.

use super::core::Extractor;
use super::defaults::{chosen_zone_count, DEFAULT_VPC_CIDR, DEFAULT_ZONE_COUNT, MIN_ZONE_COUNT};
use super::yaml::Node;
use crate::code::Code;
use crate::diag::{Diagnostic, Level};
use crate::model::{Cidr, Cluster, Origin, Subnet, SubnetId, Value, Vpc};
use crate::source::Span;
use ipnet::Ipv4Net;

/// The zones a ClusterConfig gives eksctl to carve subnets for.
pub(super) struct Zones {
    /// `availabilityZones` as written (name + span).
    pub written: Vec<(String, Span)>,
    /// `localZones`: eksctl carves a public and a private subnet in each too (`SetSubnets`).
    pub local: Vec<(String, Span)>,
    /// `metadata.region`.
    pub region: Option<(String, Span)>,
    /// Zones the node groups name in their `availabilityZones`, distinct, in order of first
    /// mention: when eksctl chooses the cluster's zones, a node group can only be created if
    /// its zones are among them, so they name the chosen zones in that order.
    pub node_group: Vec<String>,
}

impl Extractor<'_> {
    /// The list of zone names under `key` (name + span).
    fn zone_list(&self, map: &Node, key: &str) -> Vec<(String, Span)> {
        map.get(key)
            .and_then(Node::seq)
            .map(|zs| {
                zs.iter()
                    .filter_map(|z| Some((z.scalar()?.to_string(), self.span(z))))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub(super) fn zones(&self, doc: &Node) -> Zones {
        let mut node_group: Vec<String> = Vec::new();
        for key in ["nodeGroups", "managedNodeGroups"] {
            for ng in doc.get(key).and_then(Node::seq).unwrap_or_default() {
                for (z, _) in self.zone_list(ng, "availabilityZones") {
                    if !node_group.contains(&z) {
                        node_group.push(z);
                    }
                }
            }
        }
        Zones {
            written: self.zone_list(doc, "availabilityZones"),
            local: self.zone_list(doc, "localZones"),
            region: doc
                .get("metadata")
                .and_then(|m| m.get("region"))
                .and_then(|r| Some((r.scalar()?.to_string(), self.span(r)))),
            node_group,
        }
    }

    /// The zones of eksctl's carved subnets when the file names none: eksctl chooses them at
    /// create time, their number from the region ([`chosen_zone_count`]); the node groups'
    /// zones name the first ones. A missing region is noted and three zones assumed: two more
    /// subnets can only hide findings, never make them.
    fn chosen_zones(&mut self, zones: &Zones, vpc_span: Span) -> Vec<Value<String>> {
        let region = zones.region.as_ref().map(|(r, _)| r.clone()).or_else(|| {
            zones
                .node_group
                .iter()
                .find_map(|z| region_of(z).map(str::to_string))
        });
        let count = match &region {
            Some(r) => chosen_zone_count(r),
            None => {
                self.diags.push(
                    Diagnostic::new(
                        Code::EKS901,
                        Level::Note,
                        vpc_span,
                        format!(
                            "`metadata.region` is not in the file, so how many zones eksctl chooses for cluster `{}` is not known ({MIN_ZONE_COUNT} in us-east-1 and us-west-1, {DEFAULT_ZONE_COUNT} elsewhere); its subnets are modelled for {DEFAULT_ZONE_COUNT}, which can hide a subnet finding but not make one",
                            self.cluster_name
                        ),
                    )
                    .with_label("zone count assumed")
                    .with_key(format!("cluster/{}/zones", self.cluster_name)),
                );
                DEFAULT_ZONE_COUNT
            }
        };
        self.chosen_zones = Some(count);
        (0..count)
            .map(|i| {
                let name = zones.node_group.get(i).cloned().unwrap_or_else(|| {
                    // Distinct, though their names are unknown: single-AZ checks need no note.
                    format!("zone {} (chosen by eksctl)", i + 1)
                });
                Value::Known(name, Origin::defaulted(vpc_span))
            })
            .collect()
    }

    pub(super) fn vpc_and_subnets(
        &mut self,
        c: &mut Cluster,
        vpc: Option<&Node>,
        zones: &Zones,
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
            // The first subnet given only by id: where the notes about all of them point.
            let mut id_only: Option<Span> = None;
            for (topology, public) in [("private", false), ("public", true)] {
                let Some(entries) = sn.get(topology).and_then(Node::map) else {
                    continue;
                };
                for (k, v) in entries {
                    let key = k.scalar().unwrap_or("").to_string();
                    let az = match v.get("az").and_then(Node::scalar) {
                        Some(a) => Value::known(a.to_string(), self.span(v.get("az").unwrap_or(k))),
                        // The mapping key is the AZ unless `az` is given.
                        // One root cause for every such subnet: one EKS901 note.
                        None if v.get("id").is_some() && !looks_like_az(&key) => Value::unknown(
                            "subnets are given by id only; their zones are not in the file",
                            *id_only.get_or_insert(self.span(v)),
                        ),
                        None => Value::known(key.clone(), self.span(k)),
                    };
                    let cidr = match v.get("cidr") {
                        Some(n) => match n.scalar() {
                            Some(s) => Value::known(Cidr::parse(s), self.span(n)),
                            None => Value::Absent,
                        },
                        None => match v.get("id").and_then(Node::scalar) {
                            Some(_) => Value::unknown(
                                "subnets are given only by id (an existing VPC); their CIDRs are not in the file",
                                *id_only.get_or_insert(self.span(v)),
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

    /// The subnets EKS places the control plane's ENIs in (eksctl 99984adb):
    /// `vpc.controlPlaneSubnetIDs` when given (`pkg/cfn/builder/cluster.go:338-342`), else
    /// only the private subnets when `vpc.controlPlaneOnPrivateSubnets` or Auto Mode is on,
    /// else public and private (`pkg/cfn/builder/vpc_ipv4.go:168-181`, `ControlPlaneSubnetRefs`).
    /// Local Zone subnets are never among them.
    pub(super) fn control_plane_subnets(
        &self,
        c: &Cluster,
        vpc: Option<&Node>,
        doc_span: Span,
    ) -> Value<Vec<SubnetId>> {
        let vpc_span = vpc.map_or(doc_span, |v| self.span(v));
        if let Some(n) = vpc.and_then(|v| v.get("controlPlaneSubnetIDs")) {
            let ids: Vec<&str> = n
                .seq()
                .unwrap_or_default()
                .iter()
                .filter_map(Node::scalar)
                .collect();
            if !ids.is_empty() {
                let found: Option<Vec<SubnetId>> = ids
                    .iter()
                    .map(|id| {
                        self.subnet_ids
                            .iter()
                            .position(|s| s.as_deref() == Some(*id))
                    })
                    .collect();
                return match found {
                    Some(v) => Value::known(v, self.span(n)),
                    None => Value::unknown(
                        "`vpc.controlPlaneSubnetIDs` names subnets that are not listed in the file; their CIDRs and zones are not known",
                        self.span(n),
                    ),
                };
            }
        }
        if c.subnets.is_empty() {
            return Value::Absent;
        }
        let private_only = vpc
            .and_then(|v| v.get("controlPlaneOnPrivateSubnets"))
            .and_then(Node::as_bool)
            .unwrap_or(false)
            || c.auto_mode
                .as_ref()
                .is_some_and(|a| a.enabled.get() == Some(&true));
        let picked: Vec<SubnetId> = (0..c.subnets.len())
            .filter(|i| !self.local_zone_subnets.contains(i))
            .filter(|i| !private_only || c.subnets[*i].public != Some(true))
            .collect();
        Value::Known(picked, Origin::defaulted(vpc_span))
    }

    /// eksctl's default subnets: `SetSubnets` in eksctl `pkg/vpc/vpc.go`.
    pub(super) fn carve(
        &mut self,
        c: &mut Cluster,
        cidr: &Value<Cidr>,
        zones: &Zones,
        vpc_span: Span,
    ) {
        let Value::Known(cidr_v, origin) = cidr else {
            return;
        };
        let Some(net) = cidr_v.ipv4() else { return };
        let mut zone_list: Vec<Value<String>> = if zones.written.is_empty() {
            self.chosen_zones(zones, vpc_span)
        } else {
            zones
                .written
                .iter()
                .map(|(z, s)| Value::known(z.clone(), *s))
                .collect()
        };
        let first_local = zone_list.len();
        zone_list.extend(zones.local.iter().map(|(z, s)| Value::known(z.clone(), *s)));
        let Some(blocks) = carve_blocks(net, zone_list.len()) else {
            return;
        };
        // Zone i gets public block i and private block i + Z, local zones after the AZs.
        let z = zone_list.len();
        for (topology, public, offset) in [("public", true, 0), ("private", false, z)] {
            for (i, az) in zone_list.iter().enumerate() {
                let block = blocks[i + offset];
                let label = az
                    .get()
                    .cloned()
                    .unwrap_or_else(|| format!("zone{}", i + 1));
                if i >= first_local {
                    self.local_zone_subnets.push(c.subnets.len());
                }
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
}

/// The region of a zone name (`us-east-1a` → `us-east-1`); None for zone ids and local zones.
fn region_of(zone: &str) -> Option<&str> {
    let region = zone.strip_suffix(|c: char| c.is_ascii_lowercase())?;
    (looks_like_az(zone) && region.split('-').count() == 3).then_some(region)
}

pub(super) fn looks_like_az(s: &str) -> bool {
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
