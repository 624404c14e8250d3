//! Which entity (cluster, node group, subnet) a finding's key belongs to: the longest
//! registered key it extends at a `/` or `+` boundary. Keys are split into segments at those
//! characters and kept in a tree, so registering and resolving a key cost its length, not the
//! number of entities (a cluster may have 10 000 node groups).

use crate::source::Span;
use std::collections::HashMap;

#[derive(Debug, Default)]
pub struct Entities {
    /// Node 0 is the root; each node's children by segment (with its leading separator).
    children: Vec<HashMap<Box<str>, usize>>,
    span: Vec<Option<Span>>,
}

/// `a/b+c` → `a`, `/b`, `+c`.
fn segments(key: &str) -> impl Iterator<Item = &str> {
    let mut rest = key;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        // The first character is the segment's own separator (or the key's first character).
        let skip = rest.chars().next().map_or(0, char::len_utf8);
        let cut = rest[skip..]
            .find(['/', '+'])
            .map_or(rest.len(), |i| i + skip);
        let (seg, tail) = rest.split_at(cut);
        rest = tail;
        Some(seg)
    })
}

impl Entities {
    /// Record the block of `key`; the first registration wins.
    pub fn register(&mut self, key: &str, span: Span) {
        if self.children.is_empty() {
            self.children.push(HashMap::new());
            self.span.push(None);
        }
        let mut node = 0;
        for seg in segments(key) {
            node = match self.children[node].get(seg) {
                Some(&n) => n,
                None => {
                    let n = self.children.len();
                    self.children.push(HashMap::new());
                    self.span.push(None);
                    self.children[node].insert(seg.into(), n);
                    n
                }
            };
        }
        self.span[node].get_or_insert(span);
    }

    /// The block of the longest registered key that `key` equals or extends.
    pub fn of(&self, key: &str) -> Option<Span> {
        let mut node = 0;
        let mut best = None;
        if self.children.is_empty() {
            return None;
        }
        for seg in segments(key) {
            match self.children[node].get(seg) {
                Some(&n) => node = n,
                None => break,
            }
            best = self.span[node].or(best);
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileId, Span};

    fn sp(n: usize) -> Span {
        Span::new(FileId(0), n, n + 1)
    }

    #[test]
    fn longest_registered_prefix_at_a_boundary() {
        let mut e = Entities::default();
        e.register("cluster/prod", sp(1));
        e.register("cluster/prod/nodegroup/a", sp(2));
        e.register("cluster/prod/subnet/x+y", sp(3));
        e.register("cluster/prod", sp(9)); // first registration wins
        assert_eq!(e.of("cluster/prod"), Some(sp(1)));
        assert_eq!(e.of("cluster/prod/cni/WARM_IP_TARGET"), Some(sp(1)));
        assert_eq!(e.of("cluster/prod/nodegroup/a/m5.large"), Some(sp(2)));
        assert_eq!(e.of("cluster/prod/nodegroup/a+b"), Some(sp(2)));
        assert_eq!(e.of("cluster/prod/nodegroup/ab"), Some(sp(1)));
        assert_eq!(e.of("cluster/prod/subnet/x"), Some(sp(1)));
        assert_eq!(e.of("cluster/prod/subnet/x+y/reservation"), Some(sp(3)));
        assert_eq!(e.of("cluster/prodx"), None);
        assert_eq!(e.of(""), None);
        assert_eq!(Entities::default().of("cluster/prod"), None);
    }

    #[test]
    fn segments_keep_their_separator() {
        let s: Vec<&str> = segments("a/b+c//d").collect();
        assert_eq!(s, vec!["a", "/b", "+c", "/", "/d"]);
        assert_eq!(segments("/a").collect::<Vec<_>>(), vec!["/a"]);
        assert_eq!(segments("é/ü").collect::<Vec<_>>(), vec!["é", "/ü"]);
    }
}
