//! A rule's code as a type. `build.rs` generates [`Code`] from the pages in `rules/` (one
//! variant per page), so a mistyped code does not compile and a page is the one declaration
//! of a rule. Codes are strings only where users write them (settings, suppression comments,
//! `eks-lint rule`: see [`crate::rules::meta`]) and where output is rendered.

include!(concat!(env!("OUT_DIR"), "/codes.rs"));

impl Code {
    /// The code written exactly (any case), e.g. `eks101`; rule names and prefixes are
    /// resolved by [`crate::rules::meta::lookup`].
    pub fn from_code(s: &str) -> Option<Code> {
        let s = s.trim();
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(s))
    }

    /// Position in [`Code::ALL`] (and in the rule table).
    pub const fn index(self) -> usize {
        self as usize
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // `pad`, so width and alignment (`{:<7}`) apply as they do to a string.
        f.pad(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Code;

    #[test]
    fn codes_round_trip_and_are_ordered() {
        assert!(Code::ALL.len() >= 20);
        for (i, c) in Code::ALL.iter().enumerate() {
            assert_eq!(c.index(), i);
            assert_eq!(Code::from_code(&c.as_str().to_lowercase()), Some(*c));
            assert_eq!(format!("{c:<7}|"), format!("{:<7}|", c.as_str()));
        }
        assert!(Code::ALL.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(Code::from_code("EKS999"), None);
        assert_eq!(Code::from_code("EKS1"), None);
    }
}
