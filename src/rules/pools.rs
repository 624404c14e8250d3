//! One finding per pool and rule: the per-type rules (EKS201, EKS202, EKS204, EKS304) report
//! each instance type of a node group, but a Karpenter or Auto Mode pool may allow hundreds
//! of candidate types. Their findings on one pool are one root cause (the pool's
//! requirements), so they become one, naming how many candidates it holds for.

use super::ctx::Ctx;
use super::list;
use crate::diag::Diagnostic;

pub(super) fn collapse(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for g in &ctx.facts.node_groups {
        let Some(ng) = ctx.cluster.node_groups.get(g.index) else {
            continue;
        };
        if ng.pool.is_none() {
            continue;
        }
        let prefix = format!("{}/", ctx.group_key(ng));
        let mut first: Vec<(crate::code::Code, usize, Vec<String>)> = Vec::new();
        let mut drop = vec![false; out.len()];
        for (i, d) in out.iter().enumerate() {
            let Some(ty) = d.key.strip_prefix(&prefix) else {
                continue;
            };
            match first.iter_mut().find(|(c, _, _)| *c == d.code) {
                Some((_, _, more)) => {
                    more.push(ty.to_string());
                    drop[i] = true;
                }
                None => first.push((d.code, i, Vec::new())),
            }
        }
        for (_, i, more) in &first {
            if more.is_empty() {
                continue;
            }
            let names = list::capped(more.iter().map(|t| format!("`{t}`")));
            let d = &mut out[*i];
            d.message.push_str(&format!(
                "; the same holds for {} more of its {} candidate instance types: {names}",
                more.len(),
                g.types.len()
            ));
        }
        let mut i = 0;
        out.retain(|_| {
            i += 1;
            !drop[i - 1]
        });
    }
}
