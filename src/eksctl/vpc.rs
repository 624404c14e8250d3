//! The VPC and its subnets: as written, or carved by eksctl from the VPC CIDR.

use super::core::Extractor;
use super::defaults::{DEFAULT_VPC_CIDR, DEFAULT_ZONE_COUNT};
use super::yaml::Node;
use crate::model::{Cidr, Cluster, Origin, Subnet, Value, Vpc};
use crate::source::Span;
use ipnet::Ipv4Net;

impl Extractor<'_> {
    /// `availabilityZones` as written (name + span).
    pub(super) fn zones(&self, doc: &Node) -> Vec<(String, Span)> {
        doc.get("availabilityZones")
            .and_then(Node::seq)
            .map(|zs| {
                zs.iter()
                    .filter_map(|z| Some((z.scalar()?.to_string(), self.span(z))))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub(super) fn vpc_and_subnets(
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

    /// eksctl's default subnets: `SetSubnets` in eksctl `pkg/vpc/vpc.go`.
    pub(super) fn carve(
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
