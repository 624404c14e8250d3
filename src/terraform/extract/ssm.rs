//! SSM parameters that hand subnet ids to other roots (issue 16 item 10): `aws_ssm_parameter`
//! with a known `name` and a `value` of `jsonencode(<subnet ids>)`, `join(<sep>, <subnet
//! ids>)` or one subnet id. The value is kept as text with each id replaced by its token
//! (`links::token`), so the reading root decodes it with its own expression.

use super::core::*;
use crate::terraform::links::{token, ProducedSubnet, SsmParameter};
use crate::terraform::value::{Val, V};
use hcl_edit::expr::Expression;

impl<'e, 'm, 'a> Extractor<'e, 'm, 'a> {
    /// The subnet an element references, with its VPC, as another root sees it.
    fn produced(&self, v: &Val) -> Option<ProducedSubnet> {
        let (V::Ref(inst, _) | V::Resource(inst)) = &v.v else {
            return None;
        };
        let id = *self.subnet_ids.get(inst)?;
        let vpc = self.subnet_vpc.get(id).cloned().flatten();
        Some(ProducedSubnet {
            subnet: self.subnets.get(id)?.clone(),
            vpc: vpc.map(|v| self.ev.address(&v)),
        })
    }

    /// Every element of a list of subnet references; None if one is not a subnet.
    fn produced_list(&self, v: &Val) -> Option<Vec<ProducedSubnet>> {
        match &v.v {
            V::List(items) => items.iter().map(|x| self.produced(x)).collect(),
            _ => None,
        }
    }

    pub(super) fn ssm_parameters(&self) -> Vec<SsmParameter> {
        let mut out = Vec::new();
        for i in self.instances("aws_ssm_parameter") {
            let body = &i.r.block.body;
            let Some(name) = self.get(&i, body, "name").and_then(|(v, _)| str_of(&v)) else {
                continue;
            };
            let Some(a) = body
                .get_attribute("value")
                .or_else(|| body.get_attribute("insecure_value"))
            else {
                continue;
            };
            let pf = self.ev.m.files[i.r.file];
            let sc = crate::terraform::eval::Scope::with_inst(pf, Some(&i.ctx));
            let args: Vec<Val> = match &a.value {
                Expression::FuncCall(f) => f.args.iter().map(|x| self.ev.eval(x, &sc)).collect(),
                _ => Vec::new(),
            };
            let func = match &a.value {
                Expression::FuncCall(f) => f.name.name.as_str(),
                _ => "",
            };
            let named = |p: &ProducedSubnet| token(&name, &p.subnet.name);
            let (text, subnets) = match (func, &args[..]) {
                ("jsonencode", [list]) => {
                    let Some(subnets) = self.produced_list(list) else {
                        continue;
                    };
                    let tokens: Vec<String> = subnets.iter().map(named).collect();
                    (serde_json::json!(tokens).to_string(), subnets)
                }
                ("join", [sep, list]) => {
                    let (Some(sep), Some(subnets)) = (str_of(sep), self.produced_list(list)) else {
                        continue;
                    };
                    let tokens: Vec<String> = subnets.iter().map(named).collect();
                    (tokens.join(&sep), subnets)
                }
                ("", _) => {
                    let Some(one) = self.produced(&self.ev.instance_attr(&i.id, a)) else {
                        continue;
                    };
                    (named(&one), vec![one])
                }
                _ => continue,
            };
            out.push(SsmParameter {
                subnets: subnets.into_iter().map(|p| (named(&p), p)).collect(),
                name,
                text,
                span: self.block_span(&i),
            });
        }
        out
    }
}
