//! EKS901 unresolved-value: the checks other rules skipped because a value is unknown, one note
//! per unknown value and subject, naming every rule that needed it.

use super::ctx::{Ctx, Skip};
use super::list;
use crate::code::Code;
use crate::diag::Diagnostic;
use std::collections::{HashMap, HashSet};

/// One note per root cause (the unknown value's span and reason), naming every rule, subject
/// and value it blocked: a data source feeding three subnets is one note, not nine.
pub fn merge(ctx: &Ctx, skips: Vec<Skip>, out: &mut Vec<Diagnostic>) {
    struct Group {
        first: Skip,
        codes: Vec<Code>,
        subjects: Vec<(String, crate::source::Span)>,
        whats: Vec<String>,
    }
    let mut groups: Vec<Group> = Vec::new();
    // Indexes by root cause and by what was already noted, so 10 000 skips cost 10 000 steps.
    let mut by_cause: HashMap<(crate::source::Span, String), usize> = HashMap::new();
    let mut noted: HashSet<(usize, bool, String)> = HashSet::new();
    for s in skips {
        let i = *by_cause
            .entry((s.unknown.span, s.unknown.reason.clone()))
            .or_insert_with(|| {
                groups.push(Group {
                    first: s.clone(),
                    codes: Vec::new(),
                    subjects: Vec::new(),
                    whats: Vec::new(),
                });
                groups.len() - 1
            });
        let g = &mut groups[i];
        if !g.codes.contains(&s.code) {
            g.codes.push(s.code);
        }
        if noted.insert((i, true, s.subject.clone())) {
            g.subjects.push((s.subject, s.subject_span));
        }
        if noted.insert((i, false, s.what.clone())) {
            g.whats.push(s.what);
        }
    }
    for mut g in groups {
        g.codes.sort_unstable();
        let names = g.codes.iter().map(|c| format!("{c} {}", c.name()));
        let plural = g.whats.len() > 1
            || g.whats
                .iter()
                .any(|w| w.ends_with("subnets") || w.ends_with("types"));
        let verb = if plural { "are" } else { "is" };
        // Every note names its cluster (issue 16 item 17).
        let cluster = format!("cluster `{}`", ctx.cluster.display_name());
        let of = if g.subjects.iter().any(|(n, _)| *n == cluster) {
            String::new()
        } else {
            format!(" of {cluster}")
        };
        let mut d = ctx
            .diag(
                Code::EKS901,
                g.first.unknown.span,
                format!(
                    "could not check {} for {}{of}: {} {verb} not known statically ({})",
                    list::prose(names),
                    list::prose(g.subjects.iter().map(|(n, _)| n)),
                    list::prose(g.whats.iter()),
                    g.first.unknown.reason
                ),
            )
            .with_label(match g.whats.as_slice() {
                [one] => format!("{one} {verb} unknown"),
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
        for (name, span) in list::first(&g.subjects) {
            d.push_related(*span, name.clone());
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::code::Code;
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
        let ds = only(&run(&b.build()), Code::EKS901);
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
        let ds = only(&run(&b.build()), Code::EKS901);
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
        assert!(only(&run(&b.build()), Code::EKS901).is_empty());
    }

    #[test]
    fn many_subjects_are_capped_and_counted() {
        use crate::rules::list::MAX_LISTED;
        let n = MAX_LISTED + 7;
        let mut b = B::new().subnets(&["10.0.0.0/20"]);
        for i in 0..n {
            b = b.group(
                &format!("g{i}"),
                NodeGroupKind::Managed,
                &["m5.large"],
                3,
                &[0],
            );
        }
        b.c.subnets[0].cidr = Value::unknown("it comes from `data.aws_subnet.a`", sp(3));
        let ds = only(&run(&b.build()), Code::EKS901);
        assert_eq!(ds.len(), 1, "{ds:?}");
        let shown: Vec<String> = (0..MAX_LISTED)
            .map(|i| format!("managed node group `g{i}`"))
            .collect();
        assert!(
            ds[0].message.contains(&format!(
                "for {} and 7 more of cluster `prod`:",
                shown.join(", ")
            )),
            "{}",
            ds[0].message
        );
        assert_eq!(ds[0].related.len(), MAX_LISTED);
    }
}
