//! The EC2 instance table, compiled in by `build.rs` from `data/` (see `data/SOURCE.md`), plus
//! the types a user adds or overrides (`[instance-types]`, `instance-types-json`; see
//! `aws::user_types`).

use std::sync::RwLock;

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

/// Every instance type known to this run: the user's types (which win over a compiled entry
/// of the same name) and the compiled table, sorted by name.
pub fn known() -> Vec<&'static InstanceType> {
    let user: Vec<&'static InstanceType> = USER_TYPES.read().map(|g| g.clone()).unwrap_or_default();
    let mut out: Vec<&'static InstanceType> = INSTANCE_TYPES
        .iter()
        .filter(|it| find(&user, it.name).is_none())
        .collect();
    out.extend(user);
    out.sort_by(|a, b| a.name.cmp(b.name));
    out
}

/// The user's types (sorted by name), consulted before the compiled table. One table per
/// process: set once per run from the settings, before any analysis.
static USER_TYPES: RwLock<Vec<&'static InstanceType>> = RwLock::new(Vec::new());

/// Replace the user's types. Names are lower-cased; a later entry for a name wins. The entries
/// are leaked: they live for the run, and their number is bounded by the configuration.
pub fn set_user_types(types: Vec<(String, InstanceType)>) {
    let mut v: Vec<&'static InstanceType> = Vec::with_capacity(types.len());
    for (name, t) in types {
        let name: &'static str = Box::leak(name.trim().to_ascii_lowercase().into_boxed_str());
        v.retain(|x| x.name != name);
        v.push(Box::leak(Box::new(InstanceType { name, ..t })));
    }
    v.sort_by(|a, b| a.name.cmp(b.name));
    if let Ok(mut g) = USER_TYPES.write() {
        *g = v;
    }
}

/// Whether `name` comes from the user's types rather than the compiled table.
pub fn is_user_type(name: &str) -> bool {
    let name = name.trim().to_ascii_lowercase();
    USER_TYPES
        .read()
        .is_ok_and(|g| g.binary_search_by(|it| it.name.cmp(name.as_str())).is_ok())
}

fn find(table: &[impl std::ops::Deref<Target = InstanceType>], name: &str) -> Option<usize> {
    table.binary_search_by(|it| it.name.cmp(name)).ok()
}

/// Look up an instance type by exact name (case-insensitive, surrounding blanks ignored): the
/// user's types first, then the compiled table.
pub fn lookup(name: &str) -> Option<&'static InstanceType> {
    let name = name.trim();
    let lower;
    let name = if name.bytes().any(|b| b.is_ascii_uppercase()) {
        lower = name.to_ascii_lowercase();
        lower.as_str()
    } else {
        name
    };
    if let Ok(g) = USER_TYPES.read() {
        if let Some(i) = find(&g, name) {
            return Some(g[i]);
        }
    }
    INSTANCE_TYPES
        .binary_search_by(|it| it.name.cmp(name))
        .ok()
        .map(|i| &INSTANCE_TYPES[i])
}

/// What an instance type name not in the tables is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// Well-formed for a family the table knows (`r7i-flex.large`: a variant of r7i; `i3.metal`):
    /// most likely a type newer than the table.
    Newer { family: String },
    /// Not an instance type: no such family, a size the family does not have, or a typo.
    NotAType { reason: String },
}

/// EC2 size names: `nano` … `xlarge`, `Nxlarge`, `metal`, `metal-Nxl`.
fn valid_size(size: &str) -> bool {
    let digits_then = |s: &str, suffix: &str| {
        s.strip_suffix(suffix).is_some_and(|n| {
            !n.is_empty()
                && n.len() <= 3
                && n.bytes().all(|b| b.is_ascii_digit())
                && !n.starts_with('0')
        })
    };
    matches!(
        size,
        "nano" | "micro" | "small" | "medium" | "large" | "xlarge" | "metal"
    ) || digits_then(size, "xlarge")
        || size
            .strip_prefix("metal-")
            .is_some_and(|s| digits_then(s, "xl"))
}

/// Why `name` (not found by [`lookup`]) is missing: a newer type of a known family, or no
/// instance type at all (EKS205).
pub fn classify_missing(name: &str) -> Missing {
    let name = name.trim().to_ascii_lowercase();
    let not = |reason: String| Missing::NotAType { reason };
    let Some((family, size)) = name.split_once('.') else {
        return not("an instance type is FAMILY.SIZE, e.g. `m5.large`".to_string());
    };
    let sizes: Vec<&str> = INSTANCE_TYPES
        .iter()
        .filter_map(|it| it.name.split_once('.').filter(|(f, _)| *f == family))
        .map(|(_, s)| s)
        .collect();
    if !valid_size(size) {
        return not(format!("`{size}` is not an EC2 instance size"));
    }
    if !sizes.is_empty() {
        // A family the table lists in full: only bare-metal sizes are added to a family later
        // (i3.metal, c7i.metal-24xl); another size is one the family does not have.
        if size == "metal" || size.starts_with("metal-") {
            return Missing::Newer {
                family: family.to_string(),
            };
        }
        return not(format!(
            "the {family} family has no size `{size}` (it has {})",
            sizes.join(", ")
        ));
    }
    // A new variant of a known family (`-flex`), or a family the table does not know.
    let base = family.split_once('-').map_or(family, |(b, _)| b);
    let known_base = base != family
        && INSTANCE_TYPES
            .iter()
            .any(|it| it.name.split_once('.').is_some_and(|(f, _)| f == base));
    if known_base {
        Missing::Newer {
            family: family.to_string(),
        }
    } else {
        not(format!("there is no `{family}` instance family"))
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

    /// Issue 14 item 8: vCPUs from Karpenter's generated docs, eksnode's EC2 dump and moto's
    /// DescribeInstanceTypes dump, in that order; one type is in no source (data/SOURCE.md).
    #[test]
    fn vcpus_are_known_for_all_but_one_type() {
        let missing: Vec<&str> = INSTANCE_TYPES
            .iter()
            .filter(|t| t.vcpus.is_none())
            .map(|t| t.name)
            .collect();
        assert_eq!(missing, ["c7i.32xlarge"]);
        // moto's dump: trn2.3xlarge 6 cores × 2 threads = 12 vCPUs, so the managed cap is 110.
        let trn = lookup("trn2.3xlarge").unwrap();
        assert_eq!((trn.vcpus, trn.pod_ceiling()), (Some(12), Some(110)));
        // dl1.24xlarge: 96 vCPUs > 30, so a managed node group caps its 737 at 250.
        let dl1 = lookup("dl1.24xlarge").unwrap();
        assert_eq!((dl1.vcpus, dl1.pod_ceiling()), (Some(96), Some(250)));
        assert_eq!(lookup("p3.2xlarge").unwrap().pod_ceiling(), Some(110));
    }

    #[test]
    fn lookup_finds_known_types() {
        let it = lookup("m5.8xlarge").unwrap();
        assert_eq!((it.max_enis, it.ipv4_per_eni, it.vcpus), (8, 30, Some(32)));
        assert_eq!(lookup(" T3.Micro ").unwrap().name, "t3.micro");
        assert!(lookup("m5.8xlarg").is_none());
    }

    #[test]
    fn missing_names_are_newer_types_or_not_types() {
        let newer = |n: &str| matches!(classify_missing(n), Missing::Newer { .. });
        // i3.metal is a real type the VPC CNI table of the data date lacks; r7i-flex is a new variant
        // of a known family (as m7i-flex once was); m9i is no family at all.
        assert!(newer("r7i-flex.large") && !newer("m9i-flex.2xlarge") && newer("i3.metal"));
        assert!(lookup("i3.metal").is_none() && lookup("r7i-flex.large").is_none());
        for bad in [
            "m5.8xlarg",
            "m5.huge",
            "zz9.large",
            "m5",
            "t3.48xlarge",
            "m5.metal-0xl",
        ] {
            assert!(!newer(bad), "{bad}");
        }
        let Missing::NotAType { reason } = classify_missing("t3.48xlarge") else {
            unreachable!()
        };
        assert!(
            reason.contains("t3 family has no size `48xlarge`"),
            "{reason}"
        );
    }

    // Only made-up names: other tests run in parallel and read the same process-wide table.
    #[test]
    fn user_types_are_found_case_insensitively_and_the_last_entry_wins() {
        let base = *lookup("m5.large").unwrap();
        set_user_types(vec![
            (
                "Zz1.Large".into(),
                InstanceType {
                    vcpus: Some(2),
                    ..base
                },
            ),
            (
                "zz1.large".into(),
                InstanceType {
                    max_enis: 4,
                    ..base
                },
            ),
        ]);
        let it = lookup("ZZ1.large").unwrap();
        assert_eq!(
            (it.name, it.max_enis, it.vcpus),
            ("zz1.large", 4, base.vcpus)
        );
        assert!(is_user_type("zz1.large") && !is_user_type("m5.large"));
        assert!(known().iter().any(|t| t.name == "zz1.large"));
        assert_eq!(known().iter().filter(|t| t.name == "m5.large").count(), 1);
        set_user_types(Vec::new());
        assert!(lookup("zz1.large").is_none());
    }

    #[test]
    fn suggestions_prefer_the_same_family() {
        assert_eq!(suggest("m5.8xlarg", 1), vec!["m5.8xlarge"]);
        assert_eq!(suggest("m55.8xlarge", 3)[0], "m5.8xlarge");
        assert!(suggest("zzzzzz", 3).is_empty());
        assert!(suggest(&"m5.8xlarge".repeat(100_000), 3).is_empty());
    }
}
