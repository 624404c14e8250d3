//! `eks-lint instance TYPE`: max pods in every mode and the addresses a node holds, from the
//! capacity engine (`aws::cni`).

use crate::aws::cni::{self, CniSettings, MaxPodsMode, NodeAddresses};
use crate::aws::instances::{self, Hypervisor, InstanceType};
use crate::model::{CniConfig, Origin};
use std::fmt::Write as _;

/// One CNI configuration's address table.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AddressTable {
    /// `default` or the `--env` settings.
    pub settings: String,
    pub env: Vec<(String, String)>,
    /// Max pods used for the table (the AMI value without the managed-node-group ceiling).
    pub max_pods: u32,
    /// Pods the ENIs can address.
    pub eni_pod_limit: u32,
    pub rows: Vec<AddressRow>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct AddressRow {
    pub pods: u32,
    #[serde(flatten)]
    pub addresses: NodeAddresses,
    pub total: u32,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct MaxPodsRow {
    pub mode: &'static str,
    pub max_pods: u32,
    /// With the managed node group / calculator ceiling (110 up to 30 vCPUs, else 250).
    pub managed_node_group: Option<u32>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct InstanceReport {
    pub instance_type: &'static str,
    pub max_enis: u16,
    pub ipv4_per_eni: u16,
    pub vcpus: Option<u16>,
    pub nitro: bool,
    pub prefix_delegation_supported: bool,
    pub max_pods: Vec<MaxPodsRow>,
    pub addresses: Vec<AddressTable>,
    /// Where the instance table comes from (`data/instance-data.txt`).
    pub data: DataVersion,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct DataVersion {
    /// Date of the VPC CNI limits file the table was generated from.
    pub date: &'static str,
    pub vpc_cni_commit: &'static str,
    pub nodeadm_commit: &'static str,
}

pub const DATA: DataVersion = DataVersion {
    date: instances::DATA_DATE,
    vpc_cni_commit: instances::DATA_VPC_CNI_COMMIT,
    nodeadm_commit: instances::DATA_NODEADM_COMMIT,
};

fn table(
    it: &InstanceType,
    s: &CniSettings,
    label: String,
    env: Vec<(String, String)>,
) -> AddressTable {
    let m = cni::default_max_pods(it, MaxPodsMode::from_settings(s, false));
    let mut pods = vec![0, 1, m / 2, m];
    pods.dedup();
    AddressTable {
        settings: label,
        env,
        max_pods: m,
        eni_pod_limit: cni::eni_pod_limit(it, s),
        rows: pods
            .into_iter()
            .map(|p| {
                let a = cni::node_addresses(it, s, m, p);
                AddressRow {
                    pods: p,
                    total: a.total(),
                    addresses: a,
                }
            })
            .collect(),
    }
}

/// Build the report. Errors are usage errors (unknown type, bad `--env`).
pub fn report(name: &str, env: &[String]) -> Result<InstanceReport, String> {
    let Some(it) = instances::lookup(name) else {
        if let instances::Missing::Newer { family } = instances::classify_missing(name) {
            return Err(format!(
                "`{name}` is not in eks-lint's instance table (VPC CNI limits of {}); it is well-formed for the {family} family, so it is most likely newer than the table: see `[instance-types]` in docs/configuration.md",
                instances::DATA_DATE
            ));
        }
        let near = instances::suggest(name, 3);
        return Err(if near.is_empty() {
            format!("`{name}` is not a known EC2 instance type")
        } else {
            format!(
                "`{name}` is not a known EC2 instance type; did you mean {}?",
                near.join(", ")
            )
        });
    };
    let mut pairs = Vec::new();
    let mut cfg = CniConfig::default();
    for e in env {
        let (k, v) = e
            .split_once('=')
            .ok_or_else(|| format!("--env {e}: expected NAME=VALUE"))?;
        CniSettings::check_what_if_name(k.trim())?;
        cfg.set(k.trim(), v.trim(), Origin::default());
        pairs.push((k.trim().to_string(), v.trim().to_string()));
    }
    let (custom, issues) = CniSettings::from_config(&cfg);
    if let Some(i) = issues.first() {
        return Err(format!("--env {}={}: {}", i.name, i.value, i.problem));
    }
    let modes = [
        ("secondary IPs", false, false),
        ("custom networking", true, false),
        ("prefix delegation", false, true),
        ("prefix delegation + custom networking", true, true),
    ];
    let max_pods = modes
        .iter()
        .map(|&(mode, cn, pd)| {
            let m = |ceiling| {
                cni::default_max_pods(
                    it,
                    MaxPodsMode {
                        custom_networking: cn,
                        prefix_delegation: pd,
                        max_eni: None,
                        ceiling,
                    },
                )
            };
            MaxPodsRow {
                mode,
                max_pods: m(false),
                managed_node_group: it.pod_ceiling().map(|_| m(true)),
            }
        })
        .collect();
    let mut addresses = vec![table(
        it,
        &CniSettings::default(),
        "default".to_string(),
        Vec::new(),
    )];
    if !pairs.is_empty() {
        let label = pairs
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(" ");
        addresses.push(table(it, &custom, label, pairs));
    }
    Ok(InstanceReport {
        instance_type: it.name,
        max_enis: it.max_enis,
        ipv4_per_eni: it.ipv4_per_eni,
        vcpus: it.vcpus,
        nitro: it.hypervisor == Hypervisor::Nitro,
        prefix_delegation_supported: it.ipamd_supports_prefix_delegation(),
        max_pods,
        addresses,
        data: DATA,
    })
}

pub fn render_json(r: &InstanceReport) -> String {
    serde_json::to_string_pretty(r).unwrap_or_default()
}

pub fn render_human(r: &InstanceReport) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{}: E = {} ENIs, L = {} IPv4 addresses per ENI, {} vCPUs, {}{}",
        r.instance_type,
        r.max_enis,
        r.ipv4_per_eni,
        r.vcpus.map_or("?".to_string(), |v| v.to_string()),
        if r.nitro { "Nitro" } else { "not Nitro" },
        if r.prefix_delegation_supported {
            ""
        } else {
            " (no prefix delegation)"
        }
    );
    let _ = writeln!(
        o,
        "\nmax pods                                  AMI / self-managed   managed node group"
    );
    for m in &r.max_pods {
        let _ = writeln!(
            o,
            "  {:<40} {:>18}   {:>18}",
            m.mode,
            m.max_pods,
            m.managed_node_group
                .map_or("-".to_string(), |v| v.to_string())
        );
    }
    for t in &r.addresses {
        let _ = writeln!(
            o,
            "\naddresses held from the subnet, {} settings (max pods {}, ENIs address {} pods)",
            t.settings, t.max_pods, t.eni_pod_limit
        );
        let _ = writeln!(
            o,
            "  {:>6} {:>6} {:>13} {:>9} {:>12} {:>11} {:>6}",
            "pods", "ENIs", "secondary IPs", "prefixes", "node subnet", "pod subnet", "total"
        );
        for row in &t.rows {
            let a = &row.addresses;
            let _ = writeln!(
                o,
                "  {:>6} {:>6} {:>13} {:>9} {:>12} {:>11} {:>6}",
                row.pods,
                a.enis,
                a.secondary_ips,
                a.prefixes,
                a.node_subnet,
                a.pod_subnet,
                row.total
            );
        }
    }
    let _ = writeln!(
        o,
        "\nFigures are packed steady states (a lower bound after pod churn)."
    );
    let short = |c: &str| c.get(..12).unwrap_or(c).to_string();
    let _ = writeln!(
        o,
        "Instance data: VPC CNI limits of {} (aws/amazon-vpc-cni-k8s {}, awslabs/amazon-eks-ami {}).",
        r.data.date,
        short(r.data.vpc_cni_commit),
        short(r.data.nodeadm_commit)
    );
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn m5_8xlarge_report_matches_the_engine() {
        let r = report("m5.8xlarge", &[]).unwrap();
        assert_eq!(r.max_pods[0].max_pods, 234);
        let t = &r.addresses[0];
        let totals: Vec<(u32, u32)> = t.rows.iter().map(|x| (x.pods, x.total)).collect();
        assert_eq!(totals, vec![(0, 30), (1, 60), (117, 180), (234, 240)]);
        let h = render_human(&r);
        assert!(h.contains("E = 8 ENIs, L = 30"));
    }

    #[test]
    fn env_adds_a_table_and_bad_input_is_an_error() {
        let r = report(
            "m5.8xlarge",
            &["WARM_IP_TARGET=2".into(), "MINIMUM_IP_TARGET=12".into()],
        )
        .unwrap();
        assert_eq!(r.addresses.len(), 2);
        let ten = cni::node_addresses(
            instances::lookup("m5.8xlarge").unwrap(),
            &CniSettings {
                warm_ip_target: 2,
                minimum_ip_target: 12,
                ..CniSettings::default()
            },
            234,
            1,
        );
        assert_eq!(r.addresses[1].rows[1].total, ten.total());
        assert!(report("m5.8xlarg", &[]).unwrap_err().contains("m5.8xlarge"));
        let newer = report("r7i-flex.large", &[]).unwrap_err();
        assert!(newer.contains(&format!("VPC CNI limits of {}", instances::DATA_DATE)));
        assert!(render_human(&report("t3.micro", &[]).unwrap())
            .contains("Instance data: VPC CNI limits of"));
        assert!(report("m5.large", &["WARM_IP_TARGET=x".into()]).is_err());
        let j: serde_json::Value =
            serde_json::from_str(&render_json(&report("t3.micro", &[]).unwrap())).unwrap();
        assert_eq!(j["max_pods"][0]["max_pods"], 4);
    }
}
