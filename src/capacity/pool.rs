//! Node ceilings of Karpenter and EKS Auto Mode pools (issue 15).
//!
//! A NodePool has no max size: its `limits` bound the fleet. Karpenter launches a type only
//! while its capacity fits in what the limits leave (kubernetes-sigs/karpenter
//! `pkg/controllers/provisioning/scheduling/scheduler.go` at
//! 2266468104f36373ed002241afaee2d3bbc26078, `filterByRemainingResources`: a type whose
//! capacity exceeds the remaining quantity of any limited resource is not launched), so a
//! fleet of one type `t` stops at ⌊limit / capacity(t)⌋ for each limited resource, and at
//! `limits.nodes`. Capacity as Karpenter computes it (aws/karpenter-provider-aws
//! `pkg/providers/instancetype/types.go` at 1d927085dd81a9df9301e613f371dac5b4d16bfe):
//! `cpu` the vCPUs; `memory` the MiB less 64 on arm64 and less ⌈7.5 %⌉ VM overhead
//! (`VM_MEMORY_OVERHEAD_PERCENT` default 0.075; Karpenter later uses the memory it observed
//! on launched nodes, which eks-lint cannot know); `pods` the max pods. `replicas` (a static
//! pool) is exactly that many nodes. Since any candidate may be launched, the pool is sized
//! with the candidate whose fleet holds the most addresses.

use crate::aws::instances::InstanceType;
use crate::model::{NodePool, Origin, Value};

/// Karpenter's default `VM_MEMORY_OVERHEAD_PERCENT`.
const VM_MEMORY_OVERHEAD: f64 = 0.075;

/// Memory capacity in bytes Karpenter gives a type before it observed one.
fn memory_capacity(name: &str) -> Option<u64> {
    let l = crate::aws::karpenter_labels::lookup(name)?;
    let mut mib = l.memory_mib?;
    if l.arch == "arm64" {
        mib = mib.saturating_sub(64);
    }
    let overhead = (mib as f64 * VM_MEMORY_OVERHEAD).ceil() as u64;
    Some(mib.saturating_sub(overhead).saturating_mul(1024 * 1024))
}

fn div(limit: u64, per_node: u64) -> u64 {
    limit.checked_div(per_node).unwrap_or(u64::MAX)
}

/// The most nodes of type `it` (at `max_pods`) the pool can have; None when nothing known
/// bounds it (no limits, or a limited resource whose capacity eks-lint does not know for it).
pub fn type_ceiling(pool: &NodePool, it: &InstanceType, max_pods: u32) -> Option<u64> {
    if let Some(&n) = pool.replicas.get() {
        return Some(n);
    }
    let l = &pool.limits;
    let mut out: Option<u64> = None;
    let mut bound = |n: Option<u64>| {
        if let Some(n) = n {
            out = Some(out.map_or(n, |o| o.min(n)));
        }
    };
    if let Some(&cpu) = l.cpu_millis.get() {
        bound(it.vcpus.map(|v| div(cpu, u64::from(v) * 1000)));
    }
    if let Some(&mem) = l.memory_bytes.get() {
        bound(memory_capacity(it.name).map(|m| div(mem, m)));
    }
    if let Some(&n) = l.nodes.get() {
        bound(Some(n));
    }
    if let Some(&pods) = l.pods.get() {
        bound(Some(div(pods, u64::from(max_pods))));
    }
    out
}

/// Where the pool's ceiling is written: `replicas`, else the limits block.
pub fn ceiling_origin(pool: &NodePool) -> Origin {
    match &pool.replicas {
        Value::Known(_, o) => o.clone(),
        _ => Origin::at(pool.limits.span.unwrap_or(pool.span)),
    }
}

/// What bounds the fleet of `it`, for messages: "limits.cpu 100 / 2 vCPUs".
pub fn ceiling_why(pool: &NodePool, it: &InstanceType, max_pods: u32) -> String {
    if let Some(n) = pool.replicas.get() {
        return format!("replicas = {n}");
    }
    let Some(n) = type_ceiling(pool, it, max_pods) else {
        return String::new();
    };
    let l = &pool.limits;
    let mut why = Vec::new();
    if let (Some(&cpu), Some(v)) = (l.cpu_millis.get(), it.vcpus) {
        if div(cpu, u64::from(v) * 1000) == n {
            why.push(format!("limits.cpu {} / {v} vCPUs", fmt_cpu(cpu)));
        }
    }
    if let (Some(&mem), Some(m)) = (l.memory_bytes.get(), memory_capacity(it.name)) {
        if div(mem, m) == n {
            why.push(format!(
                "limits.memory {} MiB / {} MiB",
                mem / (1024 * 1024),
                m / (1024 * 1024)
            ));
        }
    }
    if l.nodes.get() == Some(&n) {
        why.push(format!("limits.nodes {n}"));
    }
    if let Some(&pods) = l.pods.get() {
        if div(pods, u64::from(max_pods)) == n {
            why.push(format!("limits.pods {pods} / {max_pods} max pods"));
        }
    }
    why.join(", ")
}

fn fmt_cpu(millis: u64) -> String {
    if millis.is_multiple_of(1000) {
        (millis / 1000).to_string()
    } else {
        format!("{millis}m")
    }
}

/// Max pods Karpenter gives `t`: `kubelet.maxPods` or the ENI-limited default, lowered to
/// `podsPerCore` × vCPUs when that is set (`pods` in `types.go`).
pub fn max_pods(pool: &NodePool, vcpus: Option<u16>, base: u32) -> u32 {
    match (pool.pods_per_core.get(), vcpus) {
        (Some(&ppc), Some(v)) if ppc > 0 => {
            let cap = (ppc as u64).saturating_mul(u64::from(v));
            u32::try_from(cap).unwrap_or(u32::MAX).min(base)
        }
        _ => base,
    }
}

/// The index of the fleet (ceiling, addresses per node) that holds the most addresses; ties
/// go to the first. None when no type has a ceiling.
pub fn worst(fleets: &[(Option<u64>, u32)]) -> Option<usize> {
    (0..fleets.len())
        .filter(|&i| fleets[i].0.is_some())
        .max_by_key(|&i| {
            let (n, a) = fleets[i];
            (
                n.unwrap_or(0).saturating_mul(u64::from(a)),
                std::cmp::Reverse(i),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::instances::lookup;
    use crate::source::Span;

    fn pool() -> NodePool {
        NodePool::new(
            "p",
            Span::default(),
            crate::model::NodeClassKind::Ec2NodeClass,
        )
    }

    /// m5.large: 2 vCPUs, 8192 MiB → 8192 − ⌈614.4⌉ = 7577 MiB of capacity; m6g.large (arm64):
    /// 8192 − 64 = 8128, − ⌈609.6⌉ = 7518 MiB.
    #[test]
    fn ceilings_take_the_smallest_limit() {
        let m5 = lookup("m5.large").unwrap();
        let m6g = lookup("m6g.large").unwrap();
        let mut p = pool();
        assert_eq!(type_ceiling(&p, m5, 29), None);
        p.limits.cpu_millis = Value::known(100_000, Span::default());
        assert_eq!(type_ceiling(&p, m5, 29), Some(50));
        p.limits.memory_bytes = Value::known(7577 * 1024 * 1024 * 10, Span::default());
        assert_eq!(type_ceiling(&p, m5, 29), Some(10));
        assert_eq!(type_ceiling(&p, m6g, 29), Some(10));
        assert!(ceiling_why(&p, m5, 29).contains("limits.memory"));
        p.limits.memory_bytes = Value::known(7518 * 1024 * 1024 * 10 - 1, Span::default());
        assert_eq!(type_ceiling(&p, m6g, 29), Some(9));
        p.limits.pods = Value::known(100, Span::default());
        assert_eq!(type_ceiling(&p, m5, 29), Some(3));
        p.limits.nodes = Value::known(2, Span::default());
        assert_eq!(type_ceiling(&p, m5, 29), Some(2));
        assert_eq!(ceiling_why(&p, m5, 29), "limits.nodes 2");
        p.replicas = Value::known(7, Span::default());
        assert_eq!(type_ceiling(&p, m5, 29), Some(7));
    }

    #[test]
    fn pods_per_core_lowers_max_pods() {
        let mut p = pool();
        assert_eq!(max_pods(&p, Some(2), 29), 29);
        p.pods_per_core = Value::known(4, Span::default());
        assert_eq!(max_pods(&p, Some(2), 29), 8);
        assert_eq!(max_pods(&p, None, 29), 29);
    }

    #[test]
    fn the_worst_fleet_holds_the_most_addresses() {
        // 100 nodes × 20 = 2000 beats 50 × 30 = 1500; unbounded fleets are not candidates.
        assert_eq!(
            worst(&[(Some(50), 30), (Some(100), 20), (None, 99)]),
            Some(1)
        );
        assert_eq!(worst(&[(Some(10), 10), (Some(10), 10)]), Some(0));
        assert_eq!(worst(&[(None, 10)]), None);
    }
}
