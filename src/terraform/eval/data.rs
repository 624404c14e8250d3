//! Data sources another root of the scan may produce (issue 16 item 10): the query a
//! `data.aws_ssm_parameter`, `data.aws_subnets` or `data.aws_subnet` block asks, evaluated in
//! its module, for the resolver to record and answer (`terraform::links`). Reads blocks
//! through `blocks` (the `filter` blocks, `dynamic` included).

use super::blocks::Block;
use super::core::*;
use crate::source::Span;
use crate::terraform::links::Query;
use crate::terraform::module::Mode;
use crate::terraform::value::{InstKey, InstRef, Val, V};

fn text(v: &Val) -> Option<String> {
    match &v.v {
        V::Str(s) => Some(s.clone()),
        _ => None,
    }
}

impl<'m, 'a> Evaluator<'m, 'a> {
    /// The value of `data.<ty>.<name>.<attr>` when the resolver links it; None: the data
    /// source is read from AWS at plan time.
    pub(super) fn linked_data(
        &self,
        ty: &str,
        name: &str,
        attr: Option<&str>,
        span: Span,
    ) -> Option<Val> {
        let one = match (ty, attr?) {
            ("aws_ssm_parameter", "value" | "insecure_value") | ("aws_subnets", "ids") => false,
            ("aws_subnet", "id") => true,
            _ => return None,
        };
        let r = self.resolver?;
        let q = self.data_query(ty, name)?;
        let addr = format!("data.{ty}.{name}");
        let v = r.linked(q, &addr, span)?;
        if !one {
            return Some(v);
        }
        Some(match &v.v {
            V::List(l) if l.len() == 1 => l[0].clone(),
            V::List(l) => Val::unknown(
                format!(
                    "it comes from data source `{addr}`, and {} subnets of other scanned roots match its filters, not one",
                    l.len()
                ),
                span,
            ),
            _ => v,
        })
    }

    /// What data source `data.<ty>.<name>` asks for; None when it has `count`/`for_each` or
    /// an argument that decides is not known.
    fn data_query(&self, ty: &str, name: &str) -> Option<Query> {
        let (i, r) = self
            .m
            .resources
            .iter()
            .enumerate()
            .find(|(_, r)| r.mode == Mode::Data && r.ty == ty && r.name == name)?;
        let body = &r.block.body;
        if body.get_attribute("count").is_some() || body.get_attribute("for_each").is_some() {
            return None;
        }
        let inst = InstRef::local(i, InstKey::None);
        if ty == "aws_ssm_parameter" {
            let a = body.get_attribute("name")?;
            return text(&self.instance_attr(&inst, a)).map(Query::Ssm);
        }
        let mut filters = Vec::new();
        // The VPC is named by an id known only to AWS: `links::resolve` decides without it.
        if body.get_attribute("vpc_id").is_some() {
            filters.push(("vpc-id".to_string(), Vec::new()));
        }
        for b in self
            .blocks(&inst, &Block::resource(r.block), "filter")
            .ok()?
        {
            let n = text(&self.block_attr(&inst, &b, "name")?.0)?;
            if n == "vpc-id" {
                filters.push((n, Vec::new()));
                continue;
            }
            let vals = match self.block_attr(&inst, &b, "values")?.0.v {
                V::List(l) => l.iter().map(text).collect::<Option<Vec<_>>>()?,
                _ => return None,
            };
            filters.push((n, vals));
        }
        if let Some(a) = body.get_attribute("tags") {
            let V::Map(m) = self.instance_attr(&inst, a).v else {
                return None;
            };
            for (k, v) in &m {
                filters.push((format!("tag:{k}"), vec![text(v)?]));
            }
        }
        filters.sort();
        filters.dedup();
        Some(Query::Subnets(filters))
    }
}
