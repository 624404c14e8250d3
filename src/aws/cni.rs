//! The VPC CNI address model (DESIGN.md §5): max pods per node and the addresses a node takes
//! from its subnet(s) for `p` pods. Pure functions; every figure eks-lint prints comes from here.
//!
//! Notation: E = ENI limit of the default network card, L = IPv4 addresses per ENI (with the
//! ENI's primary), m = L − 1, U = usable ENIs for pods, M = kubelet max pods, p = pods that need
//! a pod IP. Sources: amazon-vpc-cni-k8s `pkg/ipamd/ipamd.go`, `docs/eni-and-ip-target.md`,
//! `docs/prefix-and-ip-target.md`; amazon-eks-ami `max-pods-calculator.sh`.

use crate::aws::instances::InstanceType;
use crate::model::{CniConfig, EnvSetting, Origin};

/// Addresses in one /28 prefix.
pub const PREFIX_SIZE: u32 = 16;

/// The CNI defaults of the EKS add-on / manifest.
pub const DEFAULT_WARM_ENI_TARGET: u32 = 1;
pub const DEFAULT_WARM_PREFIX_TARGET: u32 = 1;

/// The env settings eks-lint understands, with the add-on defaults applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CniSettings {
    pub warm_eni_target: u32,
    /// WARM_IP_TARGET; 0 = unset.
    pub warm_ip_target: u32,
    /// MINIMUM_IP_TARGET; 0 = unset.
    pub minimum_ip_target: u32,
    pub warm_prefix_target: u32,
    pub prefix_delegation: bool,
    pub custom_networking: bool,
    /// ENABLE_POD_ENI (security groups for pods): a trunk ENI takes one ENI slot.
    pub pod_eni: bool,
    pub max_eni: Option<u32>,
    pub ipv6: bool,
    pub ipv4: bool,
    pub subnet_discovery: bool,
}

impl Default for CniSettings {
    fn default() -> Self {
        CniSettings {
            warm_eni_target: DEFAULT_WARM_ENI_TARGET,
            warm_ip_target: 0,
            minimum_ip_target: 0,
            warm_prefix_target: DEFAULT_WARM_PREFIX_TARGET,
            prefix_delegation: false,
            custom_networking: false,
            pod_eni: false,
            max_eni: None,
            ipv6: false,
            ipv4: true,
            subnet_discovery: true,
        }
    }
}

/// An env value ipamd cannot parse or rejects (EKS306). ipamd falls back to the default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CniIssue {
    pub name: String,
    pub value: String,
    pub problem: String,
    pub origin: Origin,
}

/// Go's `strconv.ParseBool`, which ipamd uses for boolean env vars.
pub fn parse_go_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

impl CniSettings {
    /// The aws-node settings the model reads (`from_config`); what-if `--env` options accept
    /// only these.
    pub const MODELLED: &'static [&'static str] = &[
        "WARM_ENI_TARGET",
        "WARM_IP_TARGET",
        "MINIMUM_IP_TARGET",
        "WARM_PREFIX_TARGET",
        "MAX_ENI",
        "ENABLE_PREFIX_DELEGATION",
        "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG",
        "ENABLE_POD_ENI",
        "ENABLE_IPv6",
        "ENABLE_IPv4",
        "ENABLE_SUBNET_DISCOVERY",
    ];

    /// A what-if `--env NAME=...` must name a modelled setting: an unknown (or misspelled) one
    /// would otherwise change nothing, silently.
    pub fn check_what_if_name(name: &str) -> Result<(), String> {
        if Self::MODELLED.contains(&name) {
            return Ok(());
        }
        let close = Self::MODELLED
            .iter()
            .map(|k| {
                (
                    strsim::jaro_winkler(&name.to_ascii_uppercase(), &k.to_ascii_uppercase()),
                    *k,
                )
            })
            .filter(|(score, _)| *score > 0.85)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        let hint = close.map_or(String::new(), |(_, k)| format!("; did you mean {k}?"));
        Err(format!(
            "--env {name}: not a VPC CNI setting eks-lint models{hint} (known: {})",
            Self::MODELLED.join(", ")
        ))
    }

    /// Interpret the env as ipamd does. Invalid values keep the default and are reported.
    pub fn from_config(cfg: &CniConfig) -> (CniSettings, Vec<CniIssue>) {
        let mut s = CniSettings::default();
        let mut issues = Vec::new();
        let mut issue = |e: &EnvSetting, name: &str, problem: String| {
            issues.push(CniIssue {
                name: name.to_string(),
                value: e.value.clone(),
                problem,
                origin: e.origin.clone(),
            })
        };
        for (name, e) in &cfg.env {
            let v = e.value.trim();
            match name.as_str() {
                "WARM_ENI_TARGET" | "WARM_IP_TARGET" | "MINIMUM_IP_TARGET"
                | "WARM_PREFIX_TARGET" | "MAX_ENI" => match v.parse::<i64>() {
                    Ok(n) if n < 0 => issue(
                        e,
                        name,
                        "must not be negative; ipamd ignores it".to_string(),
                    ),
                    Ok(n) => {
                        let n = n.min(i64::from(u32::MAX)) as u32;
                        match name.as_str() {
                            "WARM_ENI_TARGET" => s.warm_eni_target = n,
                            "WARM_IP_TARGET" => s.warm_ip_target = n,
                            "MINIMUM_IP_TARGET" => s.minimum_ip_target = n,
                            "WARM_PREFIX_TARGET" => s.warm_prefix_target = n,
                            _ => s.max_eni = Some(n),
                        }
                    }
                    Err(_) => issue(
                        e,
                        name,
                        "is not an integer; ipamd ignores it and uses the default".to_string(),
                    ),
                },
                "ENABLE_PREFIX_DELEGATION"
                | "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG"
                | "ENABLE_POD_ENI"
                | "ENABLE_IPv6"
                | "ENABLE_IPv4"
                | "ENABLE_SUBNET_DISCOVERY" => match parse_go_bool(v) {
                    Some(b) => match name.as_str() {
                        "ENABLE_PREFIX_DELEGATION" => s.prefix_delegation = b,
                        "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG" => s.custom_networking = b,
                        "ENABLE_POD_ENI" => s.pod_eni = b,
                        "ENABLE_IPv6" => s.ipv6 = b,
                        "ENABLE_IPv4" => s.ipv4 = b,
                        _ => s.subnet_discovery = b,
                    },
                    None => issue(
                        e,
                        name,
                        "is not a boolean (true/false); ipamd treats it as false".to_string(),
                    ),
                },
                _ => {}
            }
        }
        if s.ipv6 && s.ipv4 && cfg.env.contains_key("ENABLE_IPv6") {
            if let Some(e) = cfg.env.get("ENABLE_IPv6") {
                if cfg
                    .env
                    .get("ENABLE_IPv4")
                    .and_then(|e| parse_go_bool(e.value.trim()))
                    == Some(true)
                {
                    issue(
                        e,
                        "ENABLE_IPv6",
                        "together with ENABLE_IPv4=true is rejected: ipamd supports one address family"
                            .to_string(),
                    );
                }
            }
        }
        // ipamd's isConfigValid: IPv6 runs only in prefix mode and without custom networking
        // (pkg/ipamd/ipamd.go). Only explicit contradictions are reported: the EKS add-on sets
        // prefix delegation itself for IPv6 clusters.
        let explicit = |k: &str| cfg.env.get(k).and_then(|e| parse_go_bool(e.value.trim()));
        if s.ipv6 {
            if let Some(e) = cfg.env.get("ENABLE_IPv6") {
                if explicit("ENABLE_PREFIX_DELEGATION") == Some(false) {
                    issue(
                        e,
                        "ENABLE_IPv6",
                        "with ENABLE_PREFIX_DELEGATION=false is rejected: ipamd supports IPv6 only in prefix delegation mode".to_string(),
                    );
                }
                if explicit("AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG") == Some(true) {
                    issue(
                        e,
                        "ENABLE_IPv6",
                        "with custom networking is rejected: ipamd does not support custom networking in IPv6 mode".to_string(),
                    );
                }
            }
        }
        if !s.ipv6 && explicit("ENABLE_IPv4") == Some(false) {
            if let Some(e) = cfg.env.get("ENABLE_IPv4") {
                issue(
                    e,
                    "ENABLE_IPv4",
                    "=false without ENABLE_IPv6=true is rejected: one address family must be enabled".to_string(),
                );
            }
        }
        (s, issues)
    }

    /// WARM_IP_TARGET or MINIMUM_IP_TARGET is set: they replace WARM_ENI_TARGET.
    pub fn uses_ip_targets(&self) -> bool {
        self.warm_ip_target > 0 || self.minimum_ip_target > 0
    }

    /// MINIMUM_IP_TARGET without WARM_IP_TARGET: ipamd stops growing the pool once it holds
    /// MINIMUM_IP_TARGET addresses (`datastoreTargetState`: the short-fall is then 0).
    pub fn pool_frozen(&self) -> bool {
        self.warm_ip_target == 0 && self.minimum_ip_target > 0
    }

    /// Prefix delegation is actually in effect on this instance type (ipamd falls back to
    /// secondary IPs on non-Nitro types).
    pub fn prefix_mode_on(&self, it: &InstanceType) -> bool {
        self.prefix_delegation && it.ipamd_supports_prefix_delegation()
    }
}

/// Secondary addresses (or /28 prefix slots) per ENI: m = L − 1.
pub fn slots_per_eni(it: &InstanceType) -> u32 {
    u32::from(it.ipv4_per_eni).saturating_sub(1)
}

/// ENIs the node can use for pods: U = min(E, MAX_ENI) − c − t.
pub fn usable_enis(it: &InstanceType, s: &CniSettings) -> u32 {
    let e = u32::from(it.max_enis);
    let e = s.max_eni.map_or(e, |m| e.min(m));
    e.saturating_sub(u32::from(s.custom_networking))
        .saturating_sub(u32::from(s.pod_eni))
}

/// Pods the ENIs can address (without any kubelet cap): U·(L−1)+2, or ·16 in prefix mode.
/// This is the hard limit EKS202 compares an explicit max pods against.
pub fn eni_pod_limit(it: &InstanceType, s: &CniSettings) -> u32 {
    let m = u32::from(it.ipv4_per_eni).saturating_sub(1);
    let per_slot = if s.prefix_mode_on(it) { PREFIX_SIZE } else { 1 };
    usable_enis(it, s) * m * per_slot + 2
}

/// Which modes the calculator is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MaxPodsMode {
    pub custom_networking: bool,
    pub prefix_delegation: bool,
    pub max_eni: Option<u32>,
    /// Apply the 110 / 250 vCPU ceiling (managed node groups, the calculator's default).
    pub ceiling: bool,
}

impl MaxPodsMode {
    pub fn from_settings(s: &CniSettings, ceiling: bool) -> Self {
        MaxPodsMode {
            custom_networking: s.custom_networking,
            prefix_delegation: s.prefix_delegation,
            max_eni: s.max_eni,
            ceiling,
        }
    }
}

/// Max pods as the EKS AMIs / managed node groups configure it when nothing overrides it
/// (max-pods-calculator.sh): (E−c)·(L−1)·(16 if PD)+2, optionally capped at 110/250.
/// The trunk ENI is not part of this figure (the calculator ignores it).
pub fn default_max_pods(it: &InstanceType, mode: MaxPodsMode) -> u32 {
    let e = u32::from(it.max_enis);
    let e = mode.max_eni.map_or(e, |m| e.min(m));
    let e = e.saturating_sub(u32::from(mode.custom_networking));
    let m = u32::from(it.ipv4_per_eni).saturating_sub(1);
    let per_slot = if mode.prefix_delegation && it.calculator_prefix_eligible() {
        PREFIX_SIZE
    } else {
        1
    };
    let raw = e * m * per_slot + 2;
    match (mode.ceiling, it.pod_ceiling()) {
        (true, Some(c)) => raw.min(c),
        // Without a vCPU count the cap is 110 or 250: at most 250 either way (and an EKS901
        // note says the cap is not known, `capacity::vcpus`).
        (true, None) => raw.min(250),
        _ => raw,
    }
}

/// How a node's addresses split over subnets, for `p` pods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct NodeAddresses {
    /// ENIs that carry pod addresses (with custom networking: the secondary ENIs only).
    pub enis: u32,
    /// Secondary IPs held for pods (secondary mode) — 0 in prefix mode.
    pub secondary_ips: u32,
    /// /28 prefixes held (prefix mode).
    pub prefixes: u32,
    /// Addresses taken from the node's own subnet.
    pub node_subnet: u32,
    /// Addresses taken from the ENIConfig pod subnet (custom networking), else 0.
    pub pod_subnet: u32,
}

impl NodeAddresses {
    pub fn total(&self) -> u32 {
        self.node_subnet + self.pod_subnet
    }
}

fn div_ceil(a: u32, b: u32) -> u32 {
    if b == 0 {
        0
    } else {
        a.div_ceil(b)
    }
}

/// The packed steady state of addresses a node holds with `p` pods (a lower bound: after churn
/// ENIs and prefixes are freed only when empty). `max_pods` is the kubelet's M. Each branch
/// follows one of ipamd's pool decisions (`pkg/ipamd/ipamd.go`: `isDatastorePoolTooLow`,
/// `datastoreTargetState`, `tryAssignIPs`, `tryAssignPrefixes`), for pods that arrive one at a
/// time: the pool grows while it is "too low" and stops once it holds M addresses.
pub fn node_addresses(it: &InstanceType, s: &CniSettings, max_pods: u32, p: u32) -> NodeAddresses {
    let l = u32::from(it.ipv4_per_eni);
    let m = l.saturating_sub(1);
    let u = usable_enis(it, s);
    let c = u32::from(s.custom_networking);
    let t = u32::from(s.pod_eni);
    let p = p.min(max_pods);
    let mut out = NodeAddresses::default();
    if u == 0 || m == 0 {
        out.node_subnet = 1 + t;
        return out;
    }
    let (pool_addresses, enis) = if s.prefix_mode_on(it) {
        let prefixes = if s.uses_ip_targets() {
            ip_target_pool(s, p, PREFIX_SIZE, m, u, max_pods)
        } else {
            // Too low while available < 16·k, or (k = 0) while nothing is available.
            let want = match s.warm_prefix_target {
                0 => p / PREFIX_SIZE + 1,
                k => div_ceil(p, PREFIX_SIZE).saturating_add(k),
            };
            want.min(u * m)
                .min(div_ceil(max_pods, PREFIX_SIZE).max(div_ceil(p, PREFIX_SIZE)))
        };
        out.prefixes = prefixes;
        (prefixes * PREFIX_SIZE, div_ceil(prefixes, m).max(1))
    } else if s.uses_ip_targets() {
        let ips = ip_target_pool(s, p, 1, m, u, max_pods);
        out.secondary_ips = ips;
        (ips, div_ceil(ips, m).max(1))
    } else {
        // Too low while available < m·W, or (W = 0) while nothing is available; each step
        // fills one ENI.
        let want = match s.warm_eni_target {
            0 => p / m + 1,
            w => div_ceil(p, m).saturating_add(w),
        };
        let enis = want
            .min(u)
            .min(div_ceil(max_pods, m).max(div_ceil(p, m)))
            .max(1);
        out.secondary_ips = enis * m;
        (enis * m, enis)
    };
    out.enis = enis;
    // Each pod ENI also holds its own primary address.
    let pod_side = pool_addresses + enis;
    if s.custom_networking {
        out.node_subnet = c + t;
        out.pod_subnet = pod_side;
    } else {
        out.node_subnet = pod_side + t;
    }
    out
}

/// WARM_IP_TARGET = w and/or MINIMUM_IP_TARGET = n: slots (IPs, or /28 prefixes of `size`
/// addresses) held with `p` pods. ipamd's short-fall is max(w − available, n − total): at
/// start the pool grows towards max(w, n) in steps that fill one ENI at a time, stopping once
/// it holds M addresses; then each new pod adds what w asks for. With w = 0 the short-fall is
/// 0 as soon as the pool holds n: the pool stays frozen there whatever the pods.
fn ip_target_pool(s: &CniSettings, p: u32, size: u32, m: u32, u: u32, max_pods: u32) -> u32 {
    let slots = |addresses: u32| div_ceil(addresses, size);
    // The first whole-ENI step at or past M addresses.
    let step_cap = div_ceil(slots(max_pods), m).saturating_mul(m);
    let initial = slots(s.warm_ip_target.max(s.minimum_ip_target))
        .min(u * m)
        .min(step_cap);
    if s.pool_frozen() {
        return initial;
    }
    let grown = slots(p.saturating_add(s.warm_ip_target))
        .min(u * m)
        .min(slots(max_pods).max(slots(p)));
    initial.max(grown)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::instances::{lookup, INSTANCE_TYPES};
    use crate::source::Span;
    use std::collections::HashMap;

    fn it(name: &str) -> &'static InstanceType {
        lookup(name).unwrap()
    }

    fn settings(env: &[(&str, &str)]) -> CniSettings {
        let mut cfg = CniConfig::default();
        for (k, v) in env {
            cfg.set(*k, *v, Origin::at(Span::default()));
        }
        let (s, issues) = CniSettings::from_config(&cfg);
        assert!(issues.is_empty(), "{issues:?}");
        s
    }

    fn csv(text: &str) -> (Vec<String>, Vec<HashMap<String, String>>) {
        let mut lines = text.lines();
        let header: Vec<String> = lines.next().unwrap().split(',').map(String::from).collect();
        let rows = lines
            .filter(|l| !l.is_empty())
            .map(|l| {
                header
                    .iter()
                    .cloned()
                    .zip(l.split(',').map(String::from))
                    .collect()
            })
            .collect();
        (header, rows)
    }

    /// Every row of the VPC CNI's own eni-max-pods table.
    #[test]
    fn max_pods_matches_every_row_of_eni_max_pods() {
        let (_, rows) = csv(include_str!("../../data/eni-max-pods.csv"));
        assert_eq!(rows.len(), INSTANCE_TYPES.len());
        for r in &rows {
            let t = it(&r["instance_type"]);
            let want: u32 = r["max_pods"].parse().unwrap();
            assert_eq!(
                default_max_pods(t, MaxPodsMode::default()),
                want,
                "{}",
                t.name
            );
            assert_eq!(
                eni_pod_limit(t, &CniSettings::default()),
                want,
                "{}",
                t.name
            );
        }
    }

    /// Every column of every row of the calculator table.
    #[test]
    fn max_pods_matches_every_column_of_the_calculator_table() {
        let (_, rows) = csv(include_str!("../../data/max-pods-prefix-delegation.csv"));
        assert_eq!(rows.len(), INSTANCE_TYPES.len());
        let n = |s: &str| -> Option<u32> {
            if s.is_empty() {
                None
            } else {
                Some(s.parse().unwrap())
            }
        };
        for r in &rows {
            let t = it(&r["instance_type"]);
            let name = t.name;
            assert_eq!(n(&r["vcpus"]), t.vcpus.map(u32::from), "{name} vcpus");
            assert_eq!(
                r["calculator_pd_eligible"] == "true",
                t.calculator_prefix_eligible(),
                "{name}"
            );
            assert_eq!(
                r["ipamd_pd_supported"] == "true",
                t.ipamd_supports_prefix_delegation(),
                "{name}"
            );
            assert_eq!(n(&r["max_enis"]), Some(u32::from(t.max_enis)));
            assert_eq!(n(&r["ipv4_per_eni"]), Some(u32::from(t.ipv4_per_eni)));
            let mode = |cn, pd, ceiling| MaxPodsMode {
                custom_networking: cn,
                prefix_delegation: pd,
                max_eni: None,
                ceiling,
            };
            assert_eq!(
                n(&r["max_pods_secondary"]),
                Some(default_max_pods(t, mode(false, false, false))),
                "{name}"
            );
            assert_eq!(
                n(&r["max_pods_secondary_custom_networking"]),
                Some(default_max_pods(t, mode(true, false, false))),
                "{name}"
            );
            assert_eq!(
                n(&r["max_pods_pd_max_allowed"]),
                Some(default_max_pods(t, mode(false, true, false))),
                "{name}"
            );
            assert_eq!(
                n(&r["max_pods_pd_custom_networking_max_allowed"]),
                Some(default_max_pods(t, mode(true, true, false))),
                "{name}"
            );
            assert_eq!(n(&r["pod_ceiling_by_vcpu"]), t.pod_ceiling(), "{name}");
            if t.pod_ceiling().is_some() {
                assert_eq!(
                    n(&r["max_pods_secondary_recommended"]),
                    Some(default_max_pods(t, mode(false, false, true))),
                    "{name}"
                );
                assert_eq!(
                    n(&r["max_pods_pd_recommended"]),
                    Some(default_max_pods(t, mode(false, true, true))),
                    "{name}"
                );
                assert_eq!(
                    n(&r["max_pods_pd_custom_networking_recommended"]),
                    Some(default_max_pods(t, mode(true, true, true))),
                    "{name}"
                );
            } else {
                assert_eq!(r["max_pods_secondary_recommended"], "", "{name}");
            }
        }
    }

    // The worked checks of DESIGN.md §5.
    #[test]
    fn worked_max_pods() {
        let plain = MaxPodsMode::default();
        let mng = MaxPodsMode {
            ceiling: true,
            ..plain
        };
        assert_eq!(default_max_pods(it("t3.micro"), plain), 4);
        assert_eq!(default_max_pods(it("m5.xlarge"), plain), 58);
        assert_eq!(default_max_pods(it("m5.8xlarge"), plain), 234);
        assert_eq!(default_max_pods(it("m5.8xlarge"), mng), 234);
        assert_eq!(default_max_pods(it("m5.4xlarge"), plain), 234);
        assert_eq!(default_max_pods(it("m5.4xlarge"), mng), 110);
    }

    #[test]
    fn worked_m5_8xlarge_warm_eni_steps() {
        let t = it("m5.8xlarge");
        let s = CniSettings::default();
        let a = |p| node_addresses(t, &s, 234, p).total();
        assert_eq!(a(0), 30);
        assert!((1..=29).all(|p| a(p) == 60));
        assert!((30..=58).all(|p| a(p) == 90));
    }

    #[test]
    fn worked_m6a_32xlarge_one_pod_holds_100() {
        let t = it("m6a.32xlarge");
        assert_eq!((t.max_enis, t.ipv4_per_eni), (15, 50));
        let m = default_max_pods(t, MaxPodsMode::default());
        let a = node_addresses(t, &CniSettings::default(), m, 1);
        assert_eq!(a.secondary_ips, 98);
        assert_eq!(a.total(), 100);
    }

    #[test]
    fn worked_ip_targets() {
        let s = settings(&[("WARM_IP_TARGET", "2"), ("MINIMUM_IP_TARGET", "12")]);
        let a = node_addresses(it("m5.8xlarge"), &s, 234, 10);
        assert_eq!((a.secondary_ips, a.enis, a.total()), (12, 1, 13));
        // at one pod the minimum still holds 12
        assert_eq!(node_addresses(it("m5.8xlarge"), &s, 234, 1).total(), 13);
        // 40 pods + 2 warm = 42 IPs on two ENIs
        assert_eq!(node_addresses(it("m5.8xlarge"), &s, 234, 40).total(), 44);
    }

    #[test]
    fn worked_prefix_delegation() {
        let s = settings(&[
            ("ENABLE_PREFIX_DELEGATION", "true"),
            ("WARM_PREFIX_TARGET", "1"),
        ]);
        let t = it("m5.8xlarge");
        let a = node_addresses(t, &s, 250, 10);
        assert_eq!((a.prefixes, a.enis, a.total()), (2, 1, 33));
        // non-Nitro falls back to secondary IPs
        let xen = it("m4.large");
        assert!(!s.prefix_mode_on(xen));
        assert_eq!(node_addresses(xen, &s, 20, 1).prefixes, 0);
    }

    #[test]
    fn custom_networking_splits_addresses() {
        let s = settings(&[("AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG", "true")]);
        let t = it("m5.large");
        assert_eq!(eni_pod_limit(t, &s), 20);
        assert_eq!(
            default_max_pods(t, MaxPodsMode::from_settings(&s, false)),
            20
        );
        let a = node_addresses(t, &s, 20, 1);
        assert_eq!((a.node_subnet, a.pod_subnet), (1, 20));
    }

    #[test]
    fn trunk_eni_and_max_eni_reduce_usable_enis() {
        let t = it("m5.large");
        assert_eq!(usable_enis(t, &settings(&[("ENABLE_POD_ENI", "true")])), 2);
        assert_eq!(usable_enis(t, &settings(&[("MAX_ENI", "1")])), 1);
        assert_eq!(eni_pod_limit(t, &settings(&[("MAX_ENI", "2")])), 20);
        assert_eq!(
            default_max_pods(
                t,
                MaxPodsMode {
                    max_eni: Some(2),
                    ..Default::default()
                }
            ),
            20
        );
        let sgp = settings(&[("ENABLE_POD_ENI", "true")]);
        assert_eq!(node_addresses(t, &sgp, 29, 1).total(), 2 * 10 + 1);
    }

    #[test]
    fn max_pods_bounds_the_pool() {
        // t3.micro: M = 4, 2 ENIs × 1 secondary; even with WARM_ENI_TARGET=5 it holds 2 ENIs.
        let s = settings(&[("WARM_ENI_TARGET", "5")]);
        assert_eq!(node_addresses(it("t3.micro"), &s, 4, 1).total(), 4);
        // explicit max pods 10 on m5.8xlarge: 1 ENI covers it.
        assert_eq!(
            node_addresses(it("m5.8xlarge"), &CniSettings::default(), 10, 1).total(),
            30
        );
    }

    #[test]
    fn invalid_env_values_are_reported_and_ignored() {
        let mut cfg = CniConfig::default();
        cfg.set("WARM_IP_TARGET", "ten", Origin::default());
        cfg.set("WARM_ENI_TARGET", "-1", Origin::default());
        cfg.set("ENABLE_PREFIX_DELEGATION", "yes", Origin::default());
        let (s, issues) = CniSettings::from_config(&cfg);
        assert_eq!(s, CniSettings::default());
        assert_eq!(issues.len(), 3);
    }

    #[test]
    fn ipamd_rejects_contradictory_address_families() {
        let mut cfg = CniConfig::default();
        cfg.set("ENABLE_IPv6", "true", Origin::default());
        cfg.set("ENABLE_PREFIX_DELEGATION", "false", Origin::default());
        cfg.set(
            "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG",
            "true",
            Origin::default(),
        );
        assert_eq!(CniSettings::from_config(&cfg).1.len(), 2);
        let mut cfg = CniConfig::default();
        cfg.set("ENABLE_IPv4", "false", Origin::default());
        assert_eq!(CniSettings::from_config(&cfg).1.len(), 1);
        let mut cfg = CniConfig::default();
        cfg.set("ENABLE_IPv6", "true", Origin::default());
        cfg.set("ENABLE_IPv4", "false", Origin::default());
        assert!(CniSettings::from_config(&cfg).1.is_empty());
    }

    /// Found by the `capacity` fuzz target: warm targets near u32::MAX overflowed the sums.
    /// Any target beyond the node's slots means "every slot", as a large finite one does.
    #[test]
    fn huge_warm_targets_saturate() {
        let t = it("m5.8xlarge");
        for pd in [false, true] {
            for (name, set) in [
                ("WARM_ENI_TARGET", 0usize),
                ("WARM_IP_TARGET", 1),
                ("WARM_PREFIX_TARGET", 2),
            ] {
                let mk = |v: u32| {
                    let mut s = CniSettings {
                        prefix_delegation: pd,
                        ..CniSettings::default()
                    };
                    match set {
                        0 => s.warm_eni_target = v,
                        1 => s.warm_ip_target = v,
                        _ => s.warm_prefix_target = v,
                    }
                    s
                };
                for p in [0, 1, 234] {
                    assert_eq!(
                        node_addresses(t, &mk(u32::MAX), 234, p),
                        node_addresses(t, &mk(100_000), 234, p),
                        "{name} pd={pd} p={p}"
                    );
                }
            }
        }
    }

    /// WARM_ENI_TARGET=0 / WARM_PREFIX_TARGET=0: ipamd grows only when nothing is available
    /// (`isDatastorePoolTooLow`), so a node whose pods fill its pool exactly takes one more.
    /// m5.8xlarge (m = 29): 29 pods fill one ENI, so 2 ENIs × 30 = 60; 28 pods: 30.
    #[test]
    fn zero_warm_targets_grow_when_nothing_is_free() {
        let t = it("m5.8xlarge");
        let w0 = settings(&[("WARM_ENI_TARGET", "0")]);
        assert_eq!(node_addresses(t, &w0, 234, 28).total(), 30);
        assert_eq!(node_addresses(t, &w0, 234, 29).total(), 60);
        let k0 = settings(&[
            ("ENABLE_PREFIX_DELEGATION", "true"),
            ("WARM_PREFIX_TARGET", "0"),
        ]);
        assert_eq!(node_addresses(t, &k0, 250, 0).prefixes, 1);
        assert_eq!(node_addresses(t, &k0, 250, 16).prefixes, 2);
    }

    /// MINIMUM_IP_TARGET alone: 12 IPs on m5.8xlarge whatever the pods; in prefix mode
    /// ⌈12/16⌉ = 1 prefix.
    #[test]
    fn minimum_ip_target_alone_freezes_the_pool() {
        let t = it("m5.8xlarge");
        let s = settings(&[("MINIMUM_IP_TARGET", "12")]);
        assert!(s.pool_frozen());
        for p in [1, 12, 40, 234] {
            assert_eq!(node_addresses(t, &s, 234, p).total(), 13, "{p} pods");
        }
        let pd = settings(&[
            ("MINIMUM_IP_TARGET", "12"),
            ("ENABLE_PREFIX_DELEGATION", "true"),
        ]);
        assert_eq!(node_addresses(t, &pd, 250, 200).prefixes, 1);
    }
}
