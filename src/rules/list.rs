//! Lists in messages: every rule that names node groups, subnets, zones, types or CIDRs lists
//! at most [`MAX_LISTED`] of them and counts the rest, so a message (and the related
//! locations of one kind) stays the same size however many things an input creates with
//! `count = 10000`.

use std::fmt::{Display, Write as _};

/// Most items one message lists, and most related locations of one kind one finding carries.
pub const MAX_LISTED: usize = 8;

/// How many items there are in all, when a list shows only some of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Total {
    Exact(usize),
    /// Counting them all would cost more than the run may spend; there are at least this many.
    AtLeast(usize),
}

/// "`a`, `b`, `c`" and, past [`MAX_LISTED`] items, " and 9992 more".
pub fn capped<T: Display>(items: impl ExactSizeIterator<Item = T>) -> String {
    let total = items.len();
    capped_of(items, Total::Exact(total))
}

/// [`capped`] for an iterator whose length is not known up front: `total` counts every item,
/// shown or not.
pub fn capped_of<T: Display>(items: impl Iterator<Item = T>, total: Total) -> String {
    write_list(items, total, ", ")
}

/// Like [`capped`], but "a, b and c" when nothing is cut (for prose such as EKS901's).
pub fn prose<T: Display>(items: impl ExactSizeIterator<Item = T>) -> String {
    let total = items.len();
    if total <= MAX_LISTED {
        let shown: Vec<String> = items.map(|x| x.to_string()).collect();
        return match shown.split_last() {
            None => String::new(),
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        };
    }
    write_list(items, Total::Exact(total), ", ")
}

fn write_list<T: Display>(items: impl Iterator<Item = T>, total: Total, sep: &str) -> String {
    let mut out = String::new();
    let mut shown = 0;
    for item in items.take(MAX_LISTED) {
        if shown > 0 {
            out.push_str(sep);
        }
        let _ = write!(out, "{item}");
        shown += 1;
    }
    match total {
        Total::Exact(n) if n > shown => {
            let _ = write!(out, " and {} more", n - shown);
        }
        Total::AtLeast(n) if n > shown => {
            let _ = write!(out, " and at least {} more", n - shown);
        }
        _ => {}
    }
    out
}

/// The first [`MAX_LISTED`] items: for related locations.
pub fn first<I: IntoIterator>(items: I) -> std::iter::Take<I::IntoIter> {
    items.into_iter().take(MAX_LISTED)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("`g{i}`")).collect()
    }

    #[test]
    fn short_lists_are_complete() {
        assert_eq!(capped(names(0).iter()), "");
        assert_eq!(capped(names(1).iter()), "`g0`");
        let all = names(MAX_LISTED);
        assert_eq!(capped(all.iter()), all.join(", "));
    }

    #[test]
    fn long_lists_show_the_cap_and_count_the_rest_exactly() {
        for n in [MAX_LISTED + 1, 10_000] {
            let s = capped(names(n).iter());
            let shown = names(MAX_LISTED).join(", ");
            assert_eq!(s, format!("{shown} and {} more", n - MAX_LISTED));
        }
    }

    #[test]
    fn totals_given_apart_from_the_items() {
        let s = capped_of(
            names(20).iter().filter(|n| n.ends_with("1`")),
            Total::Exact(30),
        );
        assert_eq!(s, "`g1`, `g11` and 28 more");
        let s = capped_of(names(MAX_LISTED + 1).iter(), Total::AtLeast(500));
        assert!(
            s.ends_with(&format!(" and at least {} more", 500 - MAX_LISTED)),
            "{s}"
        );
        // A lower bound below what is shown adds nothing.
        assert_eq!(capped_of(names(2).iter(), Total::AtLeast(1)), "`g0`, `g1`");
    }

    #[test]
    fn prose_joins_the_last_with_and() {
        assert_eq!(prose(names(0).iter()), "");
        assert_eq!(prose(names(1).iter()), "`g0`");
        assert_eq!(prose(names(3).iter()), "`g0`, `g1` and `g2`");
        let n = MAX_LISTED + 3;
        assert!(prose(names(n).iter()).ends_with(" and 3 more"));
    }

    #[test]
    fn first_takes_the_cap() {
        assert_eq!(first(0..100).count(), MAX_LISTED);
        assert_eq!(first(0..2).count(), 2);
    }
}
