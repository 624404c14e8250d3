//! EKS403 subnet-overlap: a subnet whose CIDR overlaps subnets defined before it (AWS rejects
//! it). One finding per subnet, however many it overlaps.

use super::ctx::Ctx;
use super::list;
use crate::code::Code;
use crate::diag::Diagnostic;
use ipnet::Ipv4Net;
use std::collections::{BTreeSet, HashMap, HashSet};

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let subs = &ctx.cluster.subnets;
    // A subnet listed twice under one name (seen from two files) is checked once.
    let mut names = HashSet::new();
    let nets: Vec<Option<Ipv4Net>> = subs
        .iter()
        .map(|s| {
            let net = s.cidr.get()?.ipv4()?;
            s.cidr.span()?;
            names.insert(s.name.as_str()).then_some(net)
        })
        .collect();
    for (j, o) in earlier_overlaps(&nets, list::MAX_LISTED)
        .into_iter()
        .enumerate()
    {
        let (Some(net), Some(span)) = (nets[j], subs[j].cidr.span()) else {
            continue;
        };
        if o.count == 0 {
            continue;
        }
        let shown = o.first.iter().map(|&i| {
            format!(
                "`{}` ({})",
                subs[i].name,
                nets[i].map_or_else(String::new, |n| n.to_string())
            )
        });
        let what = if o.count == 1 { "subnet" } else { "subnets" };
        let mut d = ctx
            .diag(
                Code::EKS403,
                span,
                format!(
                    "subnet `{}` ({net}) overlaps {what} {}; AWS rejects overlapping subnets in a VPC",
                    subs[j].name,
                    list::capped_of(shown, list::Total::Exact(o.count))
                ),
            )
            .with_label("overlaps")
            .with_key(ctx.subnet_key(j))
            .with_help("give each subnet its own block, e.g. cidrsubnets(var.vpc_cidr, 4, 4, 4) for three /20s of a /16");
        for &i in &o.first {
            if let Some(si) = subs[i].cidr.span() {
                d.push_related(si, format!("subnet `{}`", subs[i].name));
            }
        }
        out.push(d);
    }
}

/// The earlier blocks one block overlaps.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Overlaps {
    pub count: usize,
    /// The first few in address order (then by index).
    pub first: Vec<usize>,
}

/// For each block, the blocks before it (by index) that overlap it: how many, and the first
/// `first` of them. CIDR blocks are nested or disjoint, so the blocks containing one are found
/// by masking its address to each shorter prefix (at most 33 look-ups), and the blocks inside
/// it are the range of addresses it spans: a Fenwick tree over the sorted addresses counts
/// them and an ordered set lists them, so 10 000 blocks that all overlap cost n log n, not
/// the n² pairs.
pub(crate) fn earlier_overlaps(nets: &[Option<Ipv4Net>], first: usize) -> Vec<Overlaps> {
    let key = |n: &Ipv4Net| (u32::from(n.network()), n.prefix_len());
    let mut starts: Vec<u32> = nets.iter().flatten().map(|n| key(n).0).collect();
    starts.sort_unstable();
    starts.dedup();
    let mut inserted = Fenwick::new(starts.len());
    // Blocks seen so far: their indexes by block, and the blocks in address order.
    let mut by_block: HashMap<(u32, u8), Vec<usize>> = HashMap::new();
    let mut ordered: BTreeSet<(u32, u8)> = BTreeSet::new();
    let mut out = Vec::with_capacity(nets.len());
    for (j, n) in nets.iter().enumerate() {
        let Some(n) = n else {
            out.push(Overlaps::default());
            continue;
        };
        let (start, len) = key(n);
        let end = u32::from(n.broadcast());
        let mut o = Overlaps::default();
        // Blocks containing this one (itself included, when repeated), widest first.
        let mut same_start = 0;
        for l in 0..=len {
            let Some(v) = by_block.get(&(start & mask(l), l)) else {
                continue;
            };
            o.count += v.len();
            if start & mask(l) == start {
                same_start += v.len();
            }
            o.first
                .extend(v.iter().take(first.saturating_sub(o.first.len())));
        }
        // Blocks inside it: every block seen that starts in its range, but those that start
        // where it does and are at least as wide (counted above).
        let lo = starts.partition_point(|&s| s < start);
        let hi = starts.partition_point(|&s| s <= end);
        o.count += inserted.sum(hi) - inserted.sum(lo) - same_start;
        if len < 32 {
            for b in ordered.range((start, len + 1)..=(end, 32)) {
                if o.first.len() >= first {
                    break;
                }
                let v = &by_block[b];
                o.first
                    .extend(v.iter().take(first.saturating_sub(o.first.len())));
            }
        }
        by_block.entry((start, len)).or_default().push(j);
        ordered.insert((start, len));
        inserted.add(lo);
        out.push(o);
    }
    out
}

fn mask(len: u8) -> u32 {
    u32::MAX.checked_shl(32 - u32::from(len)).unwrap_or(0)
}

/// Counts per position with prefix sums, both in O(log n).
struct Fenwick(Vec<usize>);

impl Fenwick {
    fn new(n: usize) -> Self {
        Fenwick(vec![0; n + 1])
    }

    fn add(&mut self, pos: usize) {
        let mut i = pos + 1;
        while i < self.0.len() {
            self.0[i] += 1;
            i += i & i.wrapping_neg();
        }
    }

    /// The count at positions `0..pos`.
    fn sum(&self, pos: usize) -> usize {
        let mut i = pos;
        let mut s = 0;
        while i > 0 {
            s += self.0[i];
            i -= i & i.wrapping_neg();
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testutil::*;

    #[test]
    fn fires_for_overlap() {
        let c = B::new().subnets(&["10.0.0.0/22", "10.0.2.0/24"]).build();
        let ds = only(&run(&c), Code::EKS403);
        assert_eq!(ds.len(), 1);
        assert_eq!(
            ds[0].message,
            "subnet `private-1` (10.0.2.0/24) overlaps subnet `private-0` (10.0.0.0/22); AWS rejects overlapping subnets in a VPC"
        );
        assert_eq!(ds[0].key, "cluster/prod/subnet/private-1");
    }

    #[test]
    fn quiet_for_disjoint() {
        let c = B::new().subnets(&["10.0.0.0/22", "10.0.4.0/22"]).build();
        assert!(only(&run(&c), Code::EKS403).is_empty());
    }

    #[test]
    fn one_finding_per_subnet_with_a_capped_list() {
        let n = list::MAX_LISTED + 5;
        let cidrs = vec!["10.0.0.0/24"; n];
        let ds = only(&run(&B::new().subnets(&cidrs).build()), Code::EKS403);
        assert_eq!(ds.len(), n - 1);
        let last = ds
            .iter()
            .find(|d| {
                d.message
                    .starts_with(&format!("subnet `private-{}`", n - 1))
            })
            .unwrap();
        let shown: Vec<String> = (0..list::MAX_LISTED)
            .map(|i| format!("`private-{i}` (10.0.0.0/24)"))
            .collect();
        assert!(
            last.message.contains(&format!(
                "overlaps subnets {} and {} more;",
                shown.join(", "),
                n - 1 - list::MAX_LISTED
            )),
            "{}",
            last.message
        );
        assert_eq!(last.related.len(), list::MAX_LISTED);
    }

    /// Pseudo-random blocks of mixed sizes against the pairwise definition.
    #[test]
    fn sweep_matches_every_pair() {
        let mut x: u32 = 1;
        let mut next = || {
            x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            x
        };
        for round in 0..20 {
            let nets: Vec<Option<Ipv4Net>> = (0..200)
                .map(|i| {
                    if i % 17 == 5 {
                        return None;
                    }
                    // Few distinct addresses and sizes, so blocks nest and repeat.
                    let len = [0u8, 8, 16, 20, 22, 24, 28, 32][(next() % 8) as usize];
                    let addr = (next() % 64) << 20 | (next() % 4) << 8;
                    Some(
                        Ipv4Net::new(std::net::Ipv4Addr::from(addr), len)
                            .unwrap()
                            .trunc(),
                    )
                })
                .collect();
            let got = earlier_overlaps(&nets, 3 + round % 5);
            for (j, o) in got.iter().enumerate() {
                let Some(b) = nets[j] else {
                    assert_eq!(*o, Overlaps::default());
                    continue;
                };
                let mut want: Vec<usize> = (0..j)
                    .filter(|&i| nets[i].is_some_and(|a| a.contains(&b) || b.contains(&a)))
                    .collect();
                assert_eq!(o.count, want.len(), "round {round}, block {j}");
                want.sort_by_key(|&i| (nets[i].map(|n| (n.network(), n.prefix_len())), i));
                want.truncate(3 + round % 5);
                assert_eq!(o.first, want, "round {round}, block {j}");
            }
        }
    }

    #[test]
    fn masks() {
        assert_eq!(mask(0), 0);
        assert_eq!(mask(8), 0xff00_0000);
        assert_eq!(mask(32), u32::MAX);
    }
}
