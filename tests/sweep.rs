//! Sweep of the capacity engine against an independent step-by-step simulation of ipamd's
//! warm-pool decisions (aws/amazon-vpc-cni-k8s `pkg/ipamd/ipamd.go` at 23ad9cd2:
//! `isDatastorePoolTooLow`, `datastoreTargetState`, `datastorePrefixTargetState`,
//! `tryAssignIPs`, `tryAssignPrefixes`, `GetENIResourcesToAllocate`, `getPrefixesNeeded`,
//! `tryUnassignCidrsFromAll`), written here without the engine's closed forms.
//!
//! Every instance type × 7 CNI configurations × 3 launchers × pods {1, half, max}: the engine's
//! addresses per node (`capacity::analyze`, node subnet + pod subnet) must equal the
//! simulation's. Max pods is derived here too, from each launcher's own rule: EKS's calculator
//! for managed node groups (custom networking, prefixes on Nitro, 110/250 by vCPUs), the ENI
//! table's E·(L−1)+2 for nodeadm and Karpenter (RESERVED_ENIS = 0).

use eks_lint::aws::instances::{self, Hypervisor, InstanceType};
use eks_lint::capacity::{self, CapacityOptions};
use eks_lint::model::{Cluster, NodeGroup, NodeGroupKind, Origin, SourceKind, Value};
use eks_lint::source::Span;

/// One VPC CNI configuration as env settings.
struct Config {
    name: &'static str,
    env: &'static [(&'static str, &'static str)],
}

const CONFIGS: &[Config] = &[
    Config {
        name: "default",
        env: &[],
    },
    Config {
        name: "WARM_ENI_TARGET=2",
        env: &[("WARM_ENI_TARGET", "2")],
    },
    Config {
        name: "WARM_IP_TARGET=3 MINIMUM_IP_TARGET=10",
        env: &[("WARM_IP_TARGET", "3"), ("MINIMUM_IP_TARGET", "10")],
    },
    Config {
        name: "WARM_IP_TARGET=3",
        env: &[("WARM_IP_TARGET", "3")],
    },
    Config {
        name: "MINIMUM_IP_TARGET=10",
        env: &[("MINIMUM_IP_TARGET", "10")],
    },
    Config {
        name: "prefix delegation",
        env: &[
            ("ENABLE_PREFIX_DELEGATION", "true"),
            ("WARM_PREFIX_TARGET", "1"),
        ],
    },
    Config {
        name: "custom networking",
        env: &[("AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG", "true")],
    },
];

#[derive(Clone, Copy, Debug, PartialEq)]
enum Launcher {
    Managed,
    SelfManagedAl2023,
    Karpenter,
}

/// The settings the simulation reads, parsed here from the env (not by the engine).
#[derive(Clone, Copy)]
struct Sim {
    warm_eni: u32,
    warm_ip: u32,
    min_ip: u32,
    warm_prefix: u32,
    pd: bool,
    cn: bool,
}

impl Sim {
    fn from(env: &[(&str, &str)]) -> Sim {
        let get = |k: &str| env.iter().find(|(n, _)| *n == k).map(|(_, v)| *v);
        let num = |k: &str, d: u32| get(k).map_or(d, |v| v.parse().unwrap());
        Sim {
            warm_eni: num("WARM_ENI_TARGET", 1),
            warm_ip: num("WARM_IP_TARGET", 0),
            min_ip: num("MINIMUM_IP_TARGET", 0),
            // The add-on and manifest set WARM_PREFIX_TARGET=1.
            warm_prefix: num("WARM_PREFIX_TARGET", 1),
            pd: get("ENABLE_PREFIX_DELEGATION") == Some("true"),
            cn: get("AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG") == Some("true"),
        }
    }
}

/// Max pods as each launcher computes it (see the module comment).
fn max_pods(it: &InstanceType, l: Launcher, s: &Sim) -> u32 {
    let e = u32::from(it.max_enis);
    let ips = u32::from(it.ipv4_per_eni) - 1;
    match l {
        Launcher::Managed => {
            let enis = if s.cn { e - 1 } else { e };
            let nitro = it.hypervisor == Hypervisor::Nitro;
            let raw = enis * ips * if s.pd && nitro { 16 } else { 1 } + 2;
            match it.vcpus {
                Some(v) if v > 30 => raw.min(250),
                Some(_) => raw.min(110),
                // No vCPU count (data/SOURCE.md): the cap is 110 or 250, so at most 250.
                None => raw.min(250),
            }
        }
        Launcher::SelfManagedAl2023 | Launcher::Karpenter => e * ips + 2,
    }
}

/// The datastore of the default network card: per pod ENI, its secondary IPs or prefixes.
struct Pool {
    enis: Vec<u32>,
    /// Slots (IPs or prefixes) per ENI, and addresses per slot.
    per_eni: u32,
    size: u32,
    max_enis: u32,
}

impl Pool {
    fn total_ips(&self) -> u32 {
        self.enis.iter().sum::<u32>() * self.size
    }
}

/// Run ipamd's reconcile loop to a fixed point for `pods` pods (pods take the first free
/// addresses; pods beyond the pool get none and are invisible to ipamd).
fn reconcile(pool: &mut Pool, s: &Sim, pods: u32, max_pods: u32) {
    let targets = s.warm_ip > 0 || s.min_ip > 0;
    for _ in 0..10_000 {
        let total = pool.total_ips();
        let assigned = pods.min(total);
        let available = total - assigned;
        // datastoreTargetState: the IP short-fall and surplus.
        let short_ips = s
            .warm_ip
            .saturating_sub(available)
            .max(s.min_ip.saturating_sub(total));
        let used_slots = assigned.div_ceil(pool.size);
        let free_slots = pool.enis.iter().sum::<u32>().saturating_sub(used_slots);
        let low = if total >= max_pods {
            false
        } else if targets {
            short_ips > 0
        } else if s.pd {
            available < 16 * s.warm_prefix || (s.warm_prefix == 0 && available == 0)
        } else {
            available < pool.per_eni * s.warm_eni || (s.warm_eni == 0 && available == 0)
        };
        if low {
            let to_allocate = if s.pd {
                if targets {
                    short_ips.div_ceil(16).max(1)
                } else {
                    s.warm_prefix.saturating_sub(free_slots).max(1)
                }
            } else if targets {
                short_ips
            } else {
                pool.per_eni
            };
            if let Some(e) = pool.enis.iter_mut().find(|e| **e < pool.per_eni) {
                *e += to_allocate.min(pool.per_eni - *e);
            } else if (pool.enis.len() as u32) < pool.max_enis {
                pool.enis.push(to_allocate.min(pool.per_eni));
            } else {
                return; // no room: the pool stays as it is
            }
            continue;
        }
        // isDatastorePoolTooHigh / tryUnassignCidrsFromAll: free what exceeds the targets.
        let over = if targets && !s.pd {
            available
                .saturating_sub(s.warm_ip)
                .min(total.saturating_sub(s.min_ip))
        } else if targets {
            let need_warm = (assigned + s.warm_ip).div_ceil(16);
            let need_min = s.min_ip.div_ceil(16);
            let slots = pool.enis.iter().sum::<u32>();
            free_slots
                .min(slots.saturating_sub(need_warm))
                .min(slots.saturating_sub(need_min))
        } else if s.pd {
            free_slots.saturating_sub(s.warm_prefix)
        } else {
            0
        };
        let freeable = if s.pd { free_slots } else { available };
        let free = over.min(freeable);
        if free == 0 {
            return;
        }
        // Free from the last ENI first (pods are packed on the first ones).
        let mut left = free;
        for e in pool.enis.iter_mut().rev() {
            let take = left.min(*e);
            *e -= take;
            left -= take;
        }
    }
    panic!("ipamd simulation did not settle");
}

/// Addresses the node takes from its subnets with `pods` pods arriving one at a time.
fn simulate(it: &InstanceType, s: &Sim, max_pods: u32, pods: u32) -> u32 {
    let prefix_mode = s.pd && (it.hypervisor == Hypervisor::Nitro || it.bare_metal);
    let usable = u32::from(it.max_enis) - u32::from(s.cn);
    let per_eni = u32::from(it.ipv4_per_eni) - 1;
    let mut pool = Pool {
        enis: Vec::new(),
        per_eni,
        size: if prefix_mode { 16 } else { 1 },
        max_enis: usable,
    };
    // ipamd falls back to secondary IPs where prefixes are not supported.
    let sim = Sim {
        pd: prefix_mode,
        ..*s
    };
    let pods = pods.min(max_pods);
    for p in 0..=pods {
        reconcile(&mut pool, &sim, p, max_pods);
    }
    // Without custom networking the primary ENI is the first pod ENI and always exists.
    let enis = pool.enis.iter().filter(|&&e| e > 0).count() as u32;
    let node_primary = if s.cn { 1 } else { 0 };
    let enis = if s.cn { enis } else { enis.max(1) };
    pool.total_ips() + enis + node_primary
}

fn cluster(types: &[InstanceType], l: Launcher, env: &[(&str, &str)]) -> Cluster {
    let s = Span::default();
    let mut c = Cluster::new(Value::known("c".to_string(), s), s, SourceKind::Eksctl);
    for (k, v) in env {
        c.cni.set(*k, *v, Origin::at(s));
    }
    for it in types {
        let kind = match l {
            Launcher::Managed => NodeGroupKind::Managed,
            Launcher::SelfManagedAl2023 => NodeGroupKind::SelfManaged,
            Launcher::Karpenter => NodeGroupKind::Karpenter,
        };
        let mut ng = NodeGroup::new(it.name, s, kind);
        ng.instance_types = vec![Value::known(it.name.to_string(), s)];
        if l == Launcher::SelfManagedAl2023 {
            ng.ami_family = Value::known("AL2023_x86_64_STANDARD".to_string(), s);
        }
        c.node_groups.push(ng);
    }
    c
}

#[test]
fn engine_matches_a_step_by_step_ipamd_simulation() {
    let types = instances::all();
    let mut checked = 0usize;
    let mut failures = Vec::new();
    for cfg in CONFIGS {
        let sim = Sim::from(cfg.env);
        for l in [
            Launcher::Managed,
            Launcher::SelfManagedAl2023,
            Launcher::Karpenter,
        ] {
            let c = cluster(types, l, cfg.env);
            let at_max = capacity::analyze(&c, CapacityOptions::default());
            for (g, it) in at_max.node_groups.iter().zip(types) {
                let t = &g.types[0];
                let m = max_pods(it, l, &sim);
                if t.max_pods != m {
                    failures.push(format!(
                        "{} {l:?} {}: max pods {} != {m}",
                        it.name, cfg.name, t.max_pods
                    ));
                    continue;
                }
                let half = capacity::analyze(
                    &cluster(std::slice::from_ref(it), l, cfg.env),
                    CapacityOptions {
                        pods_per_node: Some(m / 2),
                        ..CapacityOptions::default()
                    },
                );
                let h = &half.node_groups[0].types[0];
                for (pods, engine) in [
                    (1, t.one_pod.total()),
                    (m / 2, h.full.total()),
                    (m, t.full.total()),
                ] {
                    checked += 1;
                    let want = simulate(it, &sim, m, pods);
                    if engine != want {
                        failures.push(format!(
                            "{} {l:?} {} pods={pods} (max pods {m}): engine {engine}, simulation {want}",
                            it.name, cfg.name
                        ));
                    }
                }
            }
        }
    }
    assert!(
        checked > 3 * 7 * 3 * 500,
        "the sweep covers every type: {checked}"
    );
    assert!(
        failures.is_empty(),
        "{} of {checked} disagree, first: {:#?}",
        failures.len(),
        &failures[..failures.len().min(20)]
    );
}

/// The simulation itself reproduces the worked figures of docs/capacity-model.md, so a bug in
/// it cannot make both sides agree on a wrong number.
#[test]
fn simulation_reproduces_the_worked_figures() {
    let it = |n| instances::lookup(n).unwrap();
    let d = Sim::from(&[]);
    // m5.8xlarge (8 × 30), defaults: p=0 → 1 ENI = 30; p=1..29 → 2 ENIs = 60; p=30 → 90.
    assert_eq!(simulate(it("m5.8xlarge"), &d, 234, 0), 30);
    assert_eq!(simulate(it("m5.8xlarge"), &d, 234, 1), 60);
    assert_eq!(simulate(it("m5.8xlarge"), &d, 234, 29), 60);
    assert_eq!(simulate(it("m5.8xlarge"), &d, 234, 30), 90);
    // WARM_IP_TARGET=2, MINIMUM_IP_TARGET=12, 10 pods: 12 IPs on 1 ENI = 13.
    let t = Sim::from(&[("WARM_IP_TARGET", "2"), ("MINIMUM_IP_TARGET", "12")]);
    assert_eq!(simulate(it("m5.8xlarge"), &t, 234, 10), 13);
    // Prefix delegation, WARM_PREFIX_TARGET=1, 10 pods: 2 prefixes + 1 ENI = 33.
    let p = Sim::from(&[("ENABLE_PREFIX_DELEGATION", "true")]);
    assert_eq!(simulate(it("m5.8xlarge"), &p, 250, 10), 33);
    // MINIMUM_IP_TARGET=30 alone on m5.24xlarge (15 × 50): frozen at 30 IPs + 1 ENI = 31
    // with 1 pod or 250.
    let f = Sim::from(&[("MINIMUM_IP_TARGET", "30")]);
    assert_eq!(simulate(it("m5.24xlarge"), &f, 250, 1), 31);
    assert_eq!(simulate(it("m5.24xlarge"), &f, 250, 250), 31);
    // Custom networking, m5.large, 1 pod: node primary + 2 pod ENIs × 10 = 21.
    let c = Sim::from(&[("AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG", "true")]);
    assert_eq!(simulate(it("m5.large"), &c, 29, 1), 21);
}
