//! Which suppression silences a finding: of the active suppressions whose lines cover one of
//! the finding's lines and whose selectors match its code, the first (in file and comment
//! order). One sweep over the lines of each file keeps, per rule code, a min-heap of the
//! suppressions open at the current line, so 100 000 comments and 10 000 findings cost
//! (n + m) log n steps, not n × m.

use super::selector::{matches, Suppression};
use crate::source::FileId;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

/// Rule codes by index (every rule's, then any other code a finding has), and the codes each
/// distinct selector matches.
pub struct Codes<'a> {
    pub codes: Vec<&'a str>,
    by_code: HashMap<&'a str, usize>,
    by_selector: HashMap<&'a str, Vec<usize>>,
}

impl<'a> Codes<'a> {
    pub fn new(extra: impl IntoIterator<Item = &'a str>) -> Self {
        let mut c = Codes {
            codes: Vec::new(),
            by_code: HashMap::new(),
            by_selector: HashMap::new(),
        };
        for code in crate::rules::meta::RULES
            .iter()
            .map(|r| r.code.as_str())
            .chain(extra)
        {
            if !c.by_code.contains_key(code) {
                c.by_code.insert(code, c.codes.len());
                c.codes.push(code);
            }
        }
        c
    }

    pub fn index(&self, code: &str) -> Option<usize> {
        self.by_code.get(code).copied()
    }

    /// Indexes of the codes `selector` matches (computed once per distinct selector).
    pub fn matched(&mut self, selector: &'a str) -> &[usize] {
        let codes = &self.codes;
        self.by_selector.entry(selector).or_insert_with(|| {
            (0..codes.len())
                .filter(|&c| matches(selector, codes[c]))
                .collect()
        })
    }
}

/// One line a finding is on (its own line, or its entity's first line).
#[derive(Debug, Clone, Copy)]
pub struct Spot {
    pub file: FileId,
    pub line: u32,
    /// The finding, and the index of its code in [`Codes`].
    pub finding: usize,
    pub code: usize,
}

/// For each of `findings` findings, the suppression that silences it, if any.
pub fn first_matches<'a>(
    sups: &'a [Suppression],
    active: &dyn Fn(&Suppression) -> bool,
    spots: &[Spot],
    findings: usize,
    codes: &mut Codes<'a>,
) -> Vec<Option<usize>> {
    // Events in file and line order: a suppression opens before and closes after the lookups
    // on its first and last lines.
    const OPEN: u8 = 0;
    const LOOKUP: u8 = 1;
    const CLOSE: u8 = 2;
    let mut events: Vec<(FileId, u32, u8, usize)> =
        Vec::with_capacity(2 * sups.len() + spots.len());
    for (i, s) in sups.iter().enumerate() {
        if active(s) && !s.selectors.is_empty() {
            events.push((s.file, s.lines.0, OPEN, i));
            events.push((s.file, s.lines.1, CLOSE, i));
        }
    }
    for (k, sp) in spots.iter().enumerate() {
        events.push((sp.file, sp.line, LOOKUP, k));
    }
    events.sort_unstable();

    let mut open: Vec<BinaryHeap<Reverse<usize>>> = vec![BinaryHeap::new(); codes.codes.len()];
    let mut closed = vec![false; sups.len()];
    let mut pushed = vec![usize::MAX; codes.codes.len()];
    let mut found: Vec<Option<usize>> = vec![None; findings];
    for (_, _, kind, x) in events {
        match kind {
            OPEN => {
                for sel in &sups[x].selectors {
                    for &c in codes.matched(sel) {
                        // Once per suppression and code, however many selectors repeat it.
                        if pushed[c] != x {
                            pushed[c] = x;
                            open[c].push(Reverse(x));
                        }
                    }
                }
            }
            LOOKUP => {
                let sp = spots[x];
                let heap = &mut open[sp.code];
                // Closed suppressions leave the heap when they reach its top.
                while heap.peek().is_some_and(|&Reverse(i)| closed[i]) {
                    heap.pop();
                }
                if let Some(&Reverse(i)) = heap.peek() {
                    let f = &mut found[sp.finding];
                    *f = Some(f.map_or(i, |j| j.min(i)));
                }
            }
            _ => closed[x] = true,
        }
    }
    found
}
