//! Subnet arithmetic: what AWS lets the CNI use.

/// Addresses AWS reserves in every subnet: the first four and the last.
pub const AWS_RESERVED_PER_SUBNET: u64 = 5;

/// Usable addresses in an IPv4 subnet of the given prefix length (2^(32−n) − 5).
pub fn usable_addresses(prefix_len: u8) -> u64 {
    let total = 1u64 << (32 - u32::from(prefix_len.min(32)));
    total.saturating_sub(AWS_RESERVED_PER_SUBNET)
}

/// Whole /28 prefixes an empty subnet can hand out: 2^(28−n) − 2 (the first and last /28
/// contain reserved addresses). Zero for subnets smaller than a /28... or equal to it.
pub fn whole_prefixes(prefix_len: u8) -> u64 {
    if prefix_len > 28 {
        return 0;
    }
    (1u64 << (28 - u32::from(prefix_len))).saturating_sub(2)
}

/// The smallest subnet (largest prefix length, /16 to /28) with at least `addresses` usable
/// addresses; None when even a /16 is too small.
pub fn smallest_prefix_holding(addresses: u64) -> Option<u8> {
    (16..=28u8)
        .rev()
        .find(|&p| usable_addresses(p) >= addresses)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usable_matches_aws_reservation() {
        assert_eq!(usable_addresses(22), 1019);
        assert_eq!(usable_addresses(19), 8187);
        assert_eq!(usable_addresses(20), 4091);
        assert_eq!(usable_addresses(28), 11);
        assert_eq!(usable_addresses(32), 0);
        assert_eq!(usable_addresses(16), 65531);
    }

    #[test]
    fn smallest_prefix_holding_picks_the_tightest_fit() {
        assert_eq!(smallest_prefix_holding(1019), Some(22));
        assert_eq!(smallest_prefix_holding(1020), Some(21));
        assert_eq!(smallest_prefix_holding(0), Some(28));
        assert_eq!(smallest_prefix_holding(65_532), None);
    }

    #[test]
    fn whole_prefixes_skip_the_reserved_blocks() {
        assert_eq!(whole_prefixes(24), 14);
        assert_eq!(whole_prefixes(22), 62);
        assert_eq!(whole_prefixes(28), 0);
        assert_eq!(whole_prefixes(29), 0);
    }
}
