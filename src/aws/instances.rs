//! The EC2 instance table, compiled in by `build.rs` from `data/` (see `data/SOURCE.md`).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hypervisor {
    Nitro,
    Xen,
    /// EC2 reports no hypervisor: every bare-metal type, plus a few old ones.
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InstanceType {
    pub name: &'static str,
    /// ENI limit of the default network card (E).
    pub max_enis: u16,
    /// IPv4 addresses per ENI, including the ENI's primary (L).
    pub ipv4_per_eni: u16,
    pub hypervisor: Hypervisor,
    pub bare_metal: bool,
    pub network_cards: u16,
    pub total_enis_all_cards: u16,
    /// Default vCPUs (None for the few types the source does not list).
    pub vcpus: Option<u16>,
}

include!(concat!(env!("OUT_DIR"), "/instance_table.rs"));

impl InstanceType {
    /// Prefix delegation as ipamd decides it (`IsPrefixDelegationSupported`): Nitro or metal.
    pub fn ipamd_supports_prefix_delegation(&self) -> bool {
        self.hypervisor == Hypervisor::Nitro || self.bare_metal
    }

    /// Prefix delegation as the max-pods calculator decides it: hypervisor == nitro only.
    pub fn calculator_prefix_eligible(&self) -> bool {
        self.hypervisor == Hypervisor::Nitro
    }

    /// The managed-node-group / calculator ceiling: 110 up to 30 vCPUs, else 250. None when
    /// the vCPU count is not in the table.
    pub fn pod_ceiling(&self) -> Option<u32> {
        self.vcpus.map(|v| if v > 30 { 250 } else { 110 })
    }
}

/// Every instance type of the vendored table, sorted by name.
pub fn all() -> &'static [InstanceType] {
    &INSTANCE_TYPES
}

/// Look up an instance type by exact name (case-insensitive, surrounding blanks ignored).
pub fn lookup(name: &str) -> Option<&'static InstanceType> {
    let name = name.trim();
    let found = INSTANCE_TYPES.binary_search_by(|it| it.name.cmp(name));
    match found {
        Ok(i) => Some(&INSTANCE_TYPES[i]),
        Err(_) if name.bytes().any(|b| b.is_ascii_uppercase()) => {
            let lower = name.to_ascii_lowercase();
            INSTANCE_TYPES
                .binary_search_by(|it| it.name.cmp(lower.as_str()))
                .ok()
                .map(|i| &INSTANCE_TYPES[i])
        }
        Err(_) => None,
    }
}

/// Up to `n` known names closest to `name`, best first, for "did you mean".
pub fn suggest(name: &str, n: usize) -> Vec<&'static str> {
    // A name far longer than every known type is no typo of one, and scoring it against each
    // would cost its length times the table.
    let longest = INSTANCE_TYPES
        .iter()
        .map(|it| it.name.len())
        .max()
        .unwrap_or(0);
    if name.trim().len() > 2 * longest {
        return Vec::new();
    }
    let name = name.trim().to_ascii_lowercase();
    let (family, size) = name.split_once('.').unwrap_or((name.as_str(), ""));
    let mut scored: Vec<(f64, &'static str)> = INSTANCE_TYPES
        .iter()
        .map(|it| {
            let (f, s) = it.name.split_once('.').unwrap_or((it.name, ""));
            // Weight the family more than the size: `m5.8xlarg` and `m55.8xlarge` should both
            // land on m5.8xlarge, not on another family's 8xlarge.
            let score = 0.6 * strsim::jaro_winkler(family, f) + 0.4 * strsim::jaro_winkler(size, s);
            (score, it.name)
        })
        .filter(|(s, _)| *s > 0.75)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.into_iter().take(n).map(|(_, n)| n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_complete() {
        assert!(INSTANCE_TYPES.windows(2).all(|w| w[0].name < w[1].name));
        let rows = include_str!("../../data/ec2-eni-limits.csv")
            .lines()
            .count()
            - 1;
        assert_eq!(INSTANCE_TYPES.len(), rows);
    }

    #[test]
    fn lookup_finds_known_types() {
        let it = lookup("m5.8xlarge").unwrap();
        assert_eq!((it.max_enis, it.ipv4_per_eni, it.vcpus), (8, 30, Some(32)));
        assert_eq!(lookup(" T3.Micro ").unwrap().name, "t3.micro");
        assert!(lookup("m5.8xlarg").is_none());
    }

    #[test]
    fn suggestions_prefer_the_same_family() {
        assert_eq!(suggest("m5.8xlarg", 1), vec!["m5.8xlarge"]);
        assert_eq!(suggest("m55.8xlarge", 3)[0], "m5.8xlarge");
        assert!(suggest("zzzzzz", 3).is_empty());
        assert!(suggest(&"m5.8xlarge".repeat(100_000), 3).is_empty());
    }
}
