//! EKS901 unresolved-value: the checks other rules skipped because a value is unknown, one note
//! per unknown value and subject, naming every rule that needed it.

use super::{Ctx, Skip};
use crate::diag::Diagnostic;

/// "a, b and c", or "a, b, c and 4 more".
fn list(items: &[String], max: usize) -> String {
    let shown: Vec<&str> = items.iter().take(max).map(String::as_str).collect();
    let rest = items.len().saturating_sub(max);
    match (shown.as_slice(), rest) {
        ([], _) => String::new(),
        ([one], 0) => one.to_string(),
        (many, 0) => format!(
            "{} and {}",
            many[..many.len() - 1].join(", "),
            many[many.len() - 1]
        ),
        (many, n) => format!("{} and {n} more", many.join(", ")),
    }
}

/// One note per root cause (the unknown value's span and reason), naming every rule, subject
/// and value it blocked: a data source feeding three subnets is one note, not nine.
pub fn merge(ctx: &Ctx, skips: Vec<Skip>, out: &mut Vec<Diagnostic>) {
    struct Group {
        first: Skip,
        codes: Vec<&'static str>,
        subjects: Vec<(String, crate::source::Span)>,
        whats: Vec<String>,
    }
    let mut groups: Vec<Group> = Vec::new();
    for s in skips {
        let g = match groups.iter_mut().position(|g| g.first.unknown == s.unknown) {
            Some(i) => &mut groups[i],
            None => {
                groups.push(Group {
                    first: s.clone(),
                    codes: Vec::new(),
                    subjects: Vec::new(),
                    whats: Vec::new(),
                });
                let n = groups.len() - 1;
                &mut groups[n]
            }
        };
        if !g.codes.contains(&s.code) {
            g.codes.push(s.code);
        }
        if !g.subjects.iter().any(|(n, _)| *n == s.subject) {
            g.subjects.push((s.subject.clone(), s.subject_span));
        }
        if !g.whats.contains(&s.what) {
            g.whats.push(s.what.clone());
        }
    }
    for mut g in groups {
        g.codes.sort_unstable();
        let names: Vec<String> = g
            .codes
            .iter()
            .map(|c| match super::meta(c) {
                Some(m) => format!("{c} {}", m.name),
                None => c.to_string(),
            })
            .collect();
        let subjects: Vec<String> = g.subjects.iter().map(|(n, _)| n.clone()).collect();
        let plural = g.whats.len() > 1
            || g.whats
                .iter()
                .any(|w| w.ends_with("subnets") || w.ends_with("types"));
        let verb = if plural { "are" } else { "is" };
        let mut d = ctx
            .diag(
                "EKS901",
                g.first.unknown.span,
                format!(
                    "could not check {} for {}: {} {verb} not known statically ({})",
                    list(&names, 6),
                    list(&subjects, 4),
                    list(&g.whats, 4),
                    g.first.unknown.reason
                ),
            )
            .with_label(match g.whats.as_slice() {
                [one] => format!("{one} is unknown"),
                many => format!("{} values are unknown", many.len()),
            })
            .with_key(format!(
                "{}/unknown/{}",
                ctx.cluster_key(),
                g.first.unknown.reason
            ))
            .with_help("give the value literally, pass it with --var/--var-file, or suppress this note if the value is checked elsewhere");
        if g.subjects.len() == 1 {
            d.entity = Some(g.first.subject_span);
        }
        for (name, span) in &g.subjects {
            d.push_related(*span, name.clone());
        }
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
            .contains("EKS101 subnet-exhaustion and EKS102 subnet-headroom"));
    }

    #[test]
    fn one_root_cause_feeding_many_values_is_one_note() {
        let mut b = B::new()
            .subnets(&["10.0.0.0/22", "10.0.4.0/22", "10.0.8.0/22"])
            .group("ng", NodeGroupKind::Managed, &["m5.large"], 10, &[0, 1, 2]);
        for s in &mut b.c.subnets {
            s.az = Value::unknown(
                "it comes from data source `data.aws_availability_zones.a`",
                sp(4),
            );
        }
        b.c.control_plane_subnets = Value::known(vec![0, 1, 2], sp(6));
        let ds = only(&run(&b.build()), "EKS901");
        assert_eq!(ds.len(), 1, "{ds:?}");
        let m = &ds[0].message;
        assert!(
            m.contains("for cluster `prod` and managed node group `ng`"),
            "{m}"
        );
        assert!(
            m.contains(
                "private-0`, the AZ of subnet `private-1` and the AZ of subnet `private-2` are"
            ),
            "{m}"
        );
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
