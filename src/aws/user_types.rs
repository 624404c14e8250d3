//! Instance types the user adds or overrides without a new release: the `[instance-types]`
//! table of `eks-lint.toml` and the JSON that `aws ec2 describe-instance-types` prints
//! (`instance-types-json`, `--instance-types-json`). Both become entries of the same shape as
//! the compiled table (`aws::instances`), read the way the VPC CNI's generator reads EC2
//! (`scripts/gen_vpc_ip_limits.go` in aws/amazon-vpc-cni-k8s): E = the default network card's
//! `MaximumNetworkInterfaces` when there are several cards, else
//! `NetworkInfo.MaximumNetworkInterfaces`; L = `Ipv4AddressesPerInterface`; vCPUs =
//! `VCpuInfo.DefaultVCpus`.

use crate::aws::instances::{all, Hypervisor, InstanceType};

/// The compiled table's entry (not the user's: they are being built).
fn compiled(name: &str) -> Option<InstanceType> {
    let name = name.trim().to_ascii_lowercase();
    let t = all();
    t.binary_search_by(|it| it.name.cmp(name.as_str()))
        .ok()
        .map(|i| t[i])
}
use serde_json::Value as J;

/// One `[instance-types."NAME"]` entry. Fields left out keep the compiled table's value when
/// the type is in it; a new type needs `enis` and `ipv4-per-eni`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TypeConfig {
    pub enis: Option<u16>,
    pub ipv4_per_eni: Option<u16>,
    pub vcpus: Option<u16>,
    /// `nitro` (default for a new type), `xen` or `unknown`.
    pub hypervisor: Option<String>,
    pub bare_metal: Option<bool>,
}

fn hypervisor(s: &str) -> Option<Hypervisor> {
    match s.to_ascii_lowercase().as_str() {
        "nitro" => Some(Hypervisor::Nitro),
        "xen" => Some(Hypervisor::Xen),
        "unknown" | "" => Some(Hypervisor::Unknown),
        _ => None,
    }
}

/// The entry for `name` from its configuration, over `base` (an earlier user entry of the same
/// name), else the compiled table's entry.
pub fn from_config(
    name: &str,
    c: &TypeConfig,
    base: Option<&InstanceType>,
) -> Result<InstanceType, String> {
    let base = base.copied().or_else(|| compiled(name));
    let need = |v: Option<u16>, b: Option<u16>, key: &str| {
        v.or(b)
            .ok_or_else(|| format!("`{name}` is not in the instance table, so `{key}` is required"))
    };
    let max_enis = need(c.enis, base.map(|b| b.max_enis), "enis")?;
    let ipv4_per_eni = need(c.ipv4_per_eni, base.map(|b| b.ipv4_per_eni), "ipv4-per-eni")?;
    if max_enis == 0 || ipv4_per_eni == 0 {
        return Err(format!(
            "`{name}`: enis and ipv4-per-eni must be at least 1"
        ));
    }
    let hv = match &c.hypervisor {
        Some(h) => hypervisor(h).ok_or_else(|| {
            format!("`{name}`: hypervisor must be nitro, xen or unknown, not `{h}`")
        })?,
        None => base.map_or(Hypervisor::Nitro, |b| b.hypervisor),
    };
    let cards = base.map_or(1, |b| b.network_cards);
    Ok(InstanceType {
        name: "",
        max_enis,
        ipv4_per_eni,
        hypervisor: hv,
        bare_metal: c.bare_metal.or(base.map(|b| b.bare_metal)).unwrap_or(false),
        network_cards: cards,
        total_enis_all_cards: if cards > 1 {
            base.map_or(max_enis, |b| b.total_enis_all_cards)
        } else {
            max_enis
        },
        vcpus: c.vcpus.or(base.and_then(|b| b.vcpus)),
    })
}

fn num(v: &J, path: &[&str]) -> Option<u16> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    cur.as_u64().and_then(|n| u16::try_from(n).ok())
}

/// The types in `aws ec2 describe-instance-types` output (`{"InstanceTypes": [...]}`, or
/// several such documents' arrays concatenated by `--output json` pagination).
pub fn from_describe_json(text: &str) -> Result<Vec<(String, InstanceType)>, String> {
    let doc: J = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let list = doc.get("InstanceTypes").and_then(J::as_array).ok_or(
        "expected the output of `aws ec2 describe-instance-types` (an object with `InstanceTypes`)",
    )?;
    let mut out = Vec::with_capacity(list.len());
    for (i, t) in list.iter().enumerate() {
        let name = t
            .get("InstanceType")
            .and_then(J::as_str)
            .ok_or_else(|| format!("InstanceTypes[{i}] has no InstanceType"))?;
        let net = t
            .get("NetworkInfo")
            .ok_or_else(|| format!("{name}: no NetworkInfo"))?;
        let cards: Vec<u16> = net
            .get("NetworkCards")
            .and_then(J::as_array)
            .map(|c| {
                let mut c: Vec<(u16, u16)> = c
                    .iter()
                    .filter_map(|x| {
                        Some((
                            num(x, &["NetworkCardIndex"])?,
                            num(x, &["MaximumNetworkInterfaces"])?,
                        ))
                    })
                    .collect();
                c.sort_unstable();
                c.into_iter().map(|(_, n)| n).collect()
            })
            .unwrap_or_default();
        let default_card = num(net, &["DefaultNetworkCardIndex"]).unwrap_or(0);
        let enis = if cards.len() > 1 {
            cards.get(usize::from(default_card)).copied()
        } else {
            num(net, &["MaximumNetworkInterfaces"])
        };
        let (Some(enis), Some(ips)) = (enis, num(net, &["Ipv4AddressesPerInterface"])) else {
            return Err(format!(
                "{name}: NetworkInfo lacks MaximumNetworkInterfaces or Ipv4AddressesPerInterface"
            ));
        };
        if enis == 0 || ips == 0 {
            return Err(format!("{name}: zero ENIs or addresses per ENI"));
        }
        let hv = t
            .get("Hypervisor")
            .and_then(J::as_str)
            .and_then(hypervisor)
            .unwrap_or(Hypervisor::Unknown);
        let total = cards.iter().copied().fold(0u16, u16::saturating_add);
        out.push((
            name.to_string(),
            InstanceType {
                name: "",
                max_enis: enis,
                ipv4_per_eni: ips,
                hypervisor: hv,
                bare_metal: t.get("BareMetal").and_then(J::as_bool).unwrap_or(false),
                network_cards: u16::try_from(cards.len().max(1)).unwrap_or(u16::MAX),
                total_enis_all_cards: if total == 0 { enis } else { total },
                vcpus: num(t, &["VCpuInfo", "DefaultVCpus"]),
            },
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shape `aws ec2 describe-instance-types --instance-types m7i-flex.large` prints
    /// (trimmed to the fields read).
    const FLEX: &str = r#"{"InstanceTypes": [{
        "InstanceType": "m7i-flex.large", "Hypervisor": "nitro", "BareMetal": false,
        "VCpuInfo": {"DefaultVCpus": 2},
        "NetworkInfo": {"MaximumNetworkInterfaces": 3, "Ipv4AddressesPerInterface": 10,
          "DefaultNetworkCardIndex": 0,
          "NetworkCards": [{"NetworkCardIndex": 0, "MaximumNetworkInterfaces": 3}]}}]}"#;

    #[test]
    fn describe_json_gives_the_table_fields() {
        let v = from_describe_json(FLEX).unwrap();
        assert_eq!(v.len(), 1);
        let (name, t) = &v[0];
        assert_eq!(name, "m7i-flex.large");
        assert_eq!((t.max_enis, t.ipv4_per_eni, t.vcpus), (3, 10, Some(2)));
        assert_eq!(t.hypervisor, Hypervisor::Nitro);
        assert!(from_describe_json("{}").is_err());
        assert!(from_describe_json("[1").is_err());
        assert!(from_describe_json(r#"{"InstanceTypes": [{"InstanceType": "x.large"}]}"#).is_err());
    }

    /// Several cards: E is the default card's limit (p5.48xlarge-like: 32 cards of 2 ENIs).
    #[test]
    fn multi_card_types_use_the_default_card() {
        let cards: Vec<String> = (0..4)
            .map(|i| {
                format!(
                    r#"{{"NetworkCardIndex": {i}, "MaximumNetworkInterfaces": {}}}"#,
                    2 + i
                )
            })
            .collect();
        let text = format!(
            r#"{{"InstanceTypes": [{{"InstanceType": "zz.48xlarge", "NetworkInfo": {{
              "MaximumNetworkInterfaces": 64, "Ipv4AddressesPerInterface": 50,
              "DefaultNetworkCardIndex": 1, "NetworkCards": [{}]}}}}]}}"#,
            cards.join(",")
        );
        let (_, t) = &from_describe_json(&text).unwrap()[0];
        assert_eq!(
            (t.max_enis, t.network_cards, t.total_enis_all_cards),
            (3, 4, 14)
        );
        assert_eq!(t.hypervisor, Hypervisor::Unknown);
    }

    #[test]
    fn config_overrides_keep_the_table_for_fields_left_out() {
        let t = from_config(
            "m5.large",
            &TypeConfig {
                vcpus: Some(64),
                ..Default::default()
            },
            None,
        )
        .unwrap();
        assert_eq!((t.max_enis, t.ipv4_per_eni, t.vcpus), (3, 10, Some(64)));
        let err = from_config("zz9.large", &TypeConfig::default(), None).unwrap_err();
        assert!(err.contains("`enis` is required"), "{err}");
        let new = TypeConfig {
            enis: Some(4),
            ipv4_per_eni: Some(15),
            ..Default::default()
        };
        let t = from_config("zz9.large", &new, None).unwrap();
        assert_eq!((t.hypervisor, t.vcpus), (Hypervisor::Nitro, None));
        let bad = TypeConfig {
            hypervisor: Some("kvm".into()),
            ..new
        };
        assert!(from_config("zz9.large", &bad, None).is_err());
        // Over an earlier entry (from JSON) of a new type, fields left out keep its values.
        let t = from_config(
            "zz9.large",
            &TypeConfig {
                vcpus: Some(8),
                ..Default::default()
            },
            Some(&t),
        )
        .unwrap();
        assert_eq!((t.max_enis, t.ipv4_per_eni, t.vcpus), (4, 15, Some(8)));
    }
}
