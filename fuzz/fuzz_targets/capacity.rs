//! The capacity engine with arbitrary numbers: the per-node arithmetic for every instance type
//! and CNI setting, and whole clusters (VPC, subnets of any size, node groups of any size,
//! CNI env values of any text) through the eksctl front end, the rules and the renderers.
#![no_main]
#[path = "common.rs"]
mod common;

use arbitrary::Arbitrary;
use eks_lint::aws::{cni, instances, subnet};
use std::fmt::Write;

#[derive(Debug, Arbitrary)]
struct Settings {
    warm_eni_target: u32,
    warm_ip_target: u32,
    minimum_ip_target: u32,
    warm_prefix_target: u32,
    prefix_delegation: bool,
    custom_networking: bool,
    pod_eni: bool,
    max_eni: Option<u32>,
}

#[derive(Debug, Arbitrary)]
struct Group {
    instance: u16,
    managed: bool,
    min: i64,
    max: i64,
    max_pods: Option<i64>,
    subnets: Vec<u8>,
}

#[derive(Debug, Arbitrary)]
struct Input {
    cni: Settings,
    instance: u16,
    max_pods: u32,
    pods: u32,
    prefix_len: u8,
    addresses: u64,
    vpc: (u32, u8),
    subnets: Vec<(u32, u8, u8)>,
    groups: Vec<Group>,
    env: Vec<(u8, String)>,
}

const ENV: [&str; 10] = [
    "WARM_ENI_TARGET",
    "WARM_IP_TARGET",
    "MINIMUM_IP_TARGET",
    "WARM_PREFIX_TARGET",
    "ENABLE_PREFIX_DELEGATION",
    "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG",
    "ENABLE_POD_ENI",
    "MAX_ENI",
    "ENABLE_IPv6",
    "ENABLE_SUBNET_DISCOVERY",
];

fn cidr(addr: u32, len: u8) -> String {
    let len = len % 33;
    let mask = if len == 0 {
        0
    } else {
        u32::MAX << (32 - u32::from(len))
    };
    format!("{}/{len}", std::net::Ipv4Addr::from(addr & mask))
}

libfuzzer_sys::fuzz_target!(|x: Input| {
    let all = instances::all();
    let it = &all[usize::from(x.instance) % all.len()];
    let s = cni::CniSettings {
        warm_eni_target: x.cni.warm_eni_target,
        warm_ip_target: x.cni.warm_ip_target,
        minimum_ip_target: x.cni.minimum_ip_target,
        warm_prefix_target: x.cni.warm_prefix_target,
        prefix_delegation: x.cni.prefix_delegation,
        custom_networking: x.cni.custom_networking,
        pod_eni: x.cni.pod_eni,
        max_eni: x.cni.max_eni,
        ..Default::default()
    };
    for ceiling in [false, true] {
        let _ = cni::default_max_pods(it, cni::MaxPodsMode::from_settings(&s, ceiling));
    }
    let a = cni::node_addresses(it, &s, x.max_pods, x.pods);
    let _ = a.total();
    let _ = cni::eni_pod_limit(it, &s);
    let _ = eks_lint::capacity::idle_per_node(&a, x.pods);
    let _ = subnet::usable_addresses(x.prefix_len);
    let _ = subnet::whole_prefixes(x.prefix_len);
    let _ = subnet::smallest_prefix_holding(x.addresses);
    let _ = eks_lint::capacity::prefix_capacity(x.prefix_len, x.addresses);
    let _ = eks_lint::capacity::prefix_reservation_len(x.addresses);
    let _ = eks_lint::capacity::spread(x.addresses, usize::from(x.prefix_len));
    let _ = eks_lint::capacity::subnet_need(
        x.addresses,
        usize::from(x.prefix_len),
        x.pods,
        x.addresses,
    );

    // A whole cluster from the same numbers, as eksctl YAML.
    let mut y = String::from(
        "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: {name: fuzz, region: us-east-1}\n",
    );
    let _ = writeln!(y, "vpc:\n  cidr: {}", cidr(x.vpc.0, x.vpc.1));
    if !x.subnets.is_empty() {
        y.push_str("  subnets:\n    private:\n");
        for (i, (addr, len, az)) in x.subnets.iter().take(16).enumerate() {
            let _ = writeln!(
                y,
                "      s{i}: {{az: us-east-1{}, cidr: {}}}",
                char::from(b'a' + az % 6),
                cidr(*addr, *len)
            );
        }
    }
    for (i, g) in x.groups.iter().take(8).enumerate() {
        let key = if g.managed {
            "managedNodeGroups"
        } else {
            "nodeGroups"
        };
        let t = &all[usize::from(g.instance) % all.len()];
        let _ = writeln!(
            y,
            "{key}:\n  - name: ng{i}\n    instanceType: {}\n    minSize: {}\n    maxSize: {}",
            t.name, g.min, g.max
        );
        if let Some(m) = g.max_pods {
            let _ = writeln!(y, "    maxPodsPerNode: {m}");
        }
        if !g.subnets.is_empty() && !x.subnets.is_empty() {
            let names: Vec<String> = g
                .subnets
                .iter()
                .map(|k| format!("s{}", usize::from(*k) % x.subnets.len().min(16)))
                .collect();
            let _ = writeln!(y, "    subnets: [{}]", names.join(", "));
        }
    }
    if !x.env.is_empty() {
        let mut env = String::from("{\"env\": {");
        for (i, (k, v)) in x.env.iter().take(12).enumerate() {
            if i > 0 {
                env.push_str(", ");
            }
            let _ = write!(
                env,
                "{:?}: {}",
                ENV[usize::from(*k) % ENV.len()],
                common::yaml_string(v)
            );
        }
        env.push_str("}}");
        let _ = writeln!(
            y,
            "addons:\n  - name: vpc-cni\n    configurationValues: {}",
            common::yaml_string(&env)
        );
    }
    common::run(&[("cluster.yaml", y)]);
});
