//! Subnet-side arithmetic shared by the rules: /28 prefix accounting, headroom, the subnet a
//! group needs, explicit reservations.

/// Whole /28 prefixes a subnet can still hand out when `non_prefix` addresses in it are taken
/// by secondary IPs, ENI primaries or explicit reservations: each one can spoil a /28.
pub fn prefix_capacity(prefix_len: u8, non_prefix: u64) -> u64 {
    crate::aws::subnet::whole_prefixes(prefix_len).saturating_sub(non_prefix)
}

/// The largest CIDR prefix length whose block holds `prefixes` whole /28 prefixes (the size of
/// a prefix reservation for them); None when even a /16 is too small.
pub fn prefix_reservation_len(prefixes: u64) -> Option<u8> {
    (16..=28u8)
        .rev()
        .find(|&len| (1u64 << (28 - u32::from(len))) >= prefixes)
}

/// `part` as a whole percentage of `whole` (0 when `whole` is 0).
pub fn percent(part: impl Into<u128>, whole: impl Into<u128>) -> u128 {
    // u128: a part near u64::MAX (absurd max sizes) times 100 must not saturate.
    (part.into() * 100).checked_div(whole.into()).unwrap_or(0)
}

/// Free addresses of a set of subnets at max size (EKS102, EKS103).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Headroom {
    pub used: u64,
    pub usable: u64,
    /// 0 when over-committed.
    pub free: u64,
}

impl Headroom {
    pub fn new(used: u64, usable: u64) -> Self {
        Headroom {
            used,
            usable,
            free: usable.saturating_sub(used),
        }
    }

    pub fn over_committed(&self) -> bool {
        self.used > self.usable
    }

    pub fn percent_free(&self) -> u128 {
        percent(self.free, self.usable)
    }

    /// Less than `threshold` percent stays free (exact, no rounding).
    pub fn below(&self, threshold: u32) -> bool {
        self.usable > 0
            && u128::from(self.free) * 100 < u128::from(threshold) * u128::from(self.usable)
    }
}

/// What each of a group's subnets must hold for it at max size (the EKS101 help).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SubnetNeed {
    /// Nodes in the fullest subnet (even spread).
    pub nodes: u64,
    /// Addresses they take, plus what other groups take there.
    pub addresses: u64,
    /// The smallest subnet (/16–/28) that holds them.
    pub prefix_len: Option<u8>,
}

pub fn subnet_need(max: u64, subnets: usize, per_node: u32, others: u64) -> SubnetNeed {
    let nodes = max.div_ceil(subnets.max(1) as u64);
    let addresses = nodes
        .saturating_mul(u64::from(per_node))
        .saturating_add(others);
    SubnetNeed {
        nodes,
        addresses,
        prefix_len: crate::aws::subnet::smallest_prefix_holding(addresses),
    }
}

/// Addresses a subnet's explicit (non-prefix) CIDR reservations take.
pub fn explicit_reserved(subnet: &crate::model::Subnet) -> u64 {
    subnet
        .explicit_reservations
        .iter()
        .filter_map(|r| r.get()?.ipv4())
        .map(|n| 1u64 << (32 - u32::from(n.prefix_len())))
        .sum()
}

/// Whole /28 prefixes in a block of the given prefix length.
pub fn prefixes_in_block(prefix_len: u8) -> u64 {
    if prefix_len > 28 {
        0
    } else {
        1u64 << (28 - u32::from(prefix_len))
    }
}

/// How `nodes` spread evenly over `k` subnets (one per AZ, as the ASG balances them): the
/// first `nodes % k` subnets get one more.
pub fn spread(nodes: u64, k: usize) -> Vec<u64> {
    if k == 0 {
        return Vec::new();
    }
    let k64 = k as u64;
    (0..k64)
        .map(|i| nodes / k64 + u64::from(i < nodes % k64))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::cni::NodeAddresses;
    use crate::capacity::idle_per_node;
    use crate::model::{Cidr, Subnet, Value};
    use crate::source::Span;

    #[test]
    fn prefix_reservation_sizes() {
        assert_eq!(prefix_reservation_len(1), Some(28));
        assert_eq!(prefix_reservation_len(8), Some(25));
        assert_eq!(prefix_reservation_len(9), Some(24));
        assert_eq!(prefix_reservation_len(5000), None);
    }

    #[test]
    fn prefix_capacity_subtracts_spoilers() {
        assert_eq!(prefix_capacity(24, 0), 14);
        assert_eq!(prefix_capacity(24, 3), 11);
        assert_eq!(prefix_capacity(24, 100), 0);
        assert_eq!(prefix_capacity(20, 10), 244);
    }

    #[test]
    fn headroom_and_need_arithmetic() {
        let h = Headroom::new(2400, 3057);
        assert_eq!((h.free, h.percent_free()), (657, 21));
        assert!(h.below(25) && !h.below(21) && !h.over_committed());
        assert!(Headroom::new(10, 5).over_committed());
        assert_eq!(Headroom::new(10, 5).free, 0);
        assert!(!Headroom::new(0, 0).below(10));
        let n = subnet_need(80, 3, 60, 0);
        assert_eq!((n.nodes, n.addresses, n.prefix_len), (27, 1620, Some(21)));
        assert_eq!(subnet_need(80, 3, 60, 500).addresses, 2120);
        assert_eq!(prefixes_in_block(25), 8);
        assert_eq!(prefixes_in_block(29), 0);
        assert_eq!(percent(4560u64, 3057u64), 149);
        let a = NodeAddresses {
            secondary_ips: 58,
            ..Default::default()
        };
        assert_eq!(idle_per_node(&a, 1), 57);
    }

    #[test]
    fn explicit_reservations_count_their_addresses() {
        let mut sub = Subnet::default();
        sub.explicit_reservations
            .push(Value::known(Cidr::parse("10.0.0.0/28"), Span::default()));
        sub.explicit_reservations
            .push(Value::unknown("x", Span::default()));
        assert_eq!(explicit_reserved(&sub), 16);
    }
}
