//! EKS901 unresolved-value: the checks other rules skipped because a value is unknown, one note
//! per unknown value and subject, naming every rule that needed it.

use super::{Ctx, Skip};
use crate::diag::Diagnostic;

pub fn merge(ctx: &Ctx, skips: Vec<Skip>, out: &mut Vec<Diagnostic>) {
    // (subject key, unknown span, what) → codes, in first-seen order.
    let mut groups: Vec<(Skip, Vec<&'static str>)> = Vec::new();
    for s in skips {
        match groups
            .iter_mut()
            .find(|(g, _)| g.key == s.key && g.unknown.span == s.unknown.span && g.what == s.what)
        {
            Some((_, codes)) => {
                if !codes.contains(&s.code) {
                    codes.push(s.code);
                }
            }
            None => {
                let code = s.code;
                groups.push((s, vec![code]));
            }
        }
    }
    for (s, mut codes) in groups {
        codes.sort_unstable();
        let names: Vec<String> = codes
            .iter()
            .map(|c| match super::meta(c) {
                Some(m) => format!("{c} {}", m.name),
                None => c.to_string(),
            })
            .collect();
        let d = ctx
            .diag(
                "EKS901",
                s.unknown.span,
                format!(
                    "could not check {} for {}: {} is not known statically ({})",
                    names.join(", "),
                    s.subject,
                    s.what,
                    s.unknown.reason
                ),
            )
            .with_label(format!("{} is unknown", s.what))
            .with_key(format!("{}/unknown/{}", s.key, s.what))
            .with_help("give the value literally, pass it with --var/--var-file, or suppress this note if the value is checked elsewhere")
            .related(s.subject_span, s.subject.clone());
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{NodeGroupKind, Value};
    use crate::rules::testutil::*;

    #[test]
    fn one_note_per_unknown_names_every_rule() {
        let mut b = B::new().subnets(&["10.0.0.0/22"]).group(
            "ng",
            NodeGroupKind::Managed,
            &["m5.large"],
            10,
            &[0],
        );
        b.c.subnets[0].cidr = Value::unknown("it comes from `data.aws_subnet.a`", sp(3));
        let ds = only(&run(&b.build()), "EKS901");
        assert_eq!(ds.len(), 1, "{ds:?}");
        assert!(ds[0]
            .message
            .contains("EKS101 subnet-exhaustion, EKS102 subnet-headroom"));
    }

    #[test]
    fn nothing_when_everything_is_known() {
        let b = B::new()
            .vpc(&["10.0.0.0/16"])
            .subnets(&["10.0.0.0/22", "10.0.4.0/22"])
            .group("ng", NodeGroupKind::Managed, &["m5.large"], 10, &[0, 1]);
        assert!(only(&run(&b.build()), "EKS901").is_empty());
    }
}
