//! terraform-aws-modules/vpc/aws: one `aws_subnet` per element of each `*_subnets` list, in
//! the AZ `element(var.azs, index)` (the list wraps), tagged `merge({Name}, tags,
//! *_subnet_tags)`; `cidr` (default 10.0.0.0/16) plus `secondary_cidr_blocks` for the VPC.

use crate::model::{Cidr, Origin, Subnet, Value, Vpc};
use crate::source::Span;
use crate::terraform::eval::Evaluator;
use crate::terraform::extract::Extractor;
use crate::terraform::outputs::{Model, ModelKind, Site};
use crate::terraform::root::Root;
use crate::terraform::value::to_str;
use crate::terraform::value::{Val, V};
use std::collections::BTreeMap;

/// Subnet lists of the module: (input prefix, public).
const KINDS: &[(&str, bool)] = &[
    ("private", false),
    ("public", true),
    ("intra", false),
    ("database", false),
    ("elasticache", false),
    ("redshift", false),
    ("outpost", false),
];

const DEFAULT_CIDR: &str = "10.0.0.0/16";

fn list(v: Option<&Val>) -> Vec<Val> {
    match v.map(|x| &x.v) {
        Some(V::List(l)) => l.clone(),
        _ => Vec::new(),
    }
}

fn string_map(v: Option<&Val>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Some(V::Map(m)) = v.map(|x| &x.v) {
        for (k, x) in m {
            if let Ok(s) = to_str(x) {
                out.insert(k.clone(), s);
            }
        }
    }
    out
}

/// The tags of these maps whose value is not known statically (key → why), except those a
/// later map gives a known value (`known`).
fn unknown_tags(
    maps: &[Option<&Val>],
    known: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for m in maps.iter().filter_map(|v| match v.map(|x| &x.v) {
        Some(V::Map(m)) => Some(m),
        _ => None,
    }) {
        for (k, x) in m {
            if let Err(u) = to_str(x) {
                let why = u.first_unknown().map_or_else(
                    || "it is not a string".to_string(),
                    |(u, _)| u.reason.clone(),
                );
                out.insert(k.clone(), why);
            }
        }
    }
    out.retain(|k, _| !known.contains_key(k));
    out
}

pub fn build(root: &Root, ev: &Evaluator, site: &Site, inputs: &BTreeMap<String, Val>) -> Model {
    let ex = Extractor::new(ev, root.sources);
    let addr = site.addr;
    let get = |k: &str| inputs.get(k).filter(|v| !matches!(v.v, V::Null));
    let mut outputs = BTreeMap::new();
    if matches!(get("create_vpc").map(|v| &v.v), Some(V::Bool(false))) {
        return Model {
            outputs,
            missing: format!("`{addr}` has `create_vpc = false`, so `{{}}` is null"),
            kind: ModelKind::Plain,
        };
    }
    let cidr_of = |v: &Val| to_str(v).ok().map(|s| Cidr::parse(&s));
    let cidr: Value<Cidr> = if matches!(get("use_ipam_pool").map(|v| &v.v), Some(V::Bool(true))) {
        Value::unknown(
            "the VPC CIDR is allocated from an IPAM pool when the VPC is created",
            site.head,
        )
    } else {
        match get("cidr") {
            Some(v) => ex.to_value(v, v.span, cidr_of),
            None => Value::Known(Cidr::parse(DEFAULT_CIDR), Origin::defaulted(site.head)),
        }
    };
    let mut cidrs = vec![cidr];
    for c in list(get("secondary_cidr_blocks")) {
        cidrs.push(ex.to_value(&c, c.span, cidr_of));
    }
    let vpc_ref = root.add_vpc(Vpc {
        name: format!("{addr}.aws_vpc.this[0]"),
        span: site.head,
        cidrs,
    });
    let azs = list(get("azs"));
    let azs_unknown =
        get("azs").and_then(|v| v.first_unknown().map(|(u, sp)| (u.reason.clone(), sp)));
    let name = get("name").and_then(|v| to_str(v).ok()).unwrap_or_default();
    let tags = string_map(get("tags"));
    for (kind, public) in KINDS {
        let input = format!("{kind}_subnets");
        // An unknown list (e.g. a `for` over AZs read from a data source) leaves the subnets
        // and every output about them unknown, with the reason.
        if let Some(v) = get(&input) {
            if let Some((u, sp)) = v.first_unknown().filter(|_| !matches!(v.v, V::List(_))) {
                let why = format!(
                    "the subnets of `{addr}.{input}` are not known ({})",
                    u.reason
                );
                for out in [
                    input.clone(),
                    format!("{kind}_subnet_arns"),
                    format!("{input}_cidr_blocks"),
                ] {
                    outputs.insert(out, Val::unknown(why.clone(), sp));
                }
                continue;
            }
        }
        let items = list(get(&input));
        let names = list(get(&format!("{kind}_subnet_names")));
        let kind_tags = string_map(get(&format!("{kind}_subnet_tags")));
        let per_az = get(&format!("{kind}_subnet_tags_per_az"));
        let suffix = get(&format!("{kind}_subnet_suffix"))
            .and_then(|v| to_str(v).ok())
            .unwrap_or_else(|| kind.to_string());
        let mut ids = Vec::new();
        let mut arns = Vec::new();
        for (i, el) in items.iter().enumerate() {
            let az_val = (!azs.is_empty()).then(|| azs[i % azs.len()].clone());
            let (az, az_name) = zone(&ex, az_val.as_ref(), azs_unknown.as_ref(), addr, site);
            let mut t = BTreeMap::new();
            let default_name = format!("{name}-{suffix}-{az_name}");
            let sub_name = names
                .get(i)
                .and_then(|n| to_str(n).ok())
                .unwrap_or(default_name);
            t.insert("Name".to_string(), sub_name);
            t.extend(tags.clone());
            t.extend(kind_tags.clone());
            let az_tags = match per_az.map(|v| &v.v) {
                Some(V::Map(m)) => m.get(&az_name),
                _ => None,
            };
            t.extend(string_map(az_tags));
            let kind_raw = get(&format!("{kind}_subnet_tags"));
            let subnet = Subnet {
                name: format!("{addr}.aws_subnet.{kind}[{i}]"),
                span: el.span,
                cidr: ex.to_value(el, el.span, cidr_of),
                az,
                public: Some(*public),
                unknown_tags: unknown_tags(&[get("tags"), kind_raw, az_tags], &t),
                tags: t,
                prefix_reservations: Vec::new(),
                explicit_reservations: Vec::new(),
            };
            let id = root.add_subnet(subnet, Some(vpc_ref.clone()));
            ids.push(Val::new(V::Ref(id.clone(), "id".into()), el.span));
            arns.push(Val::new(V::Ref(id, "arn".into()), el.span));
        }
        let at = get(&input).map_or(site.head, |v| v.span);
        outputs.insert(input.clone(), Val::new(V::List(ids), at));
        outputs.insert(format!("{kind}_subnet_arns"), Val::new(V::List(arns), at));
        outputs.insert(
            format!("{input}_cidr_blocks"),
            Val::new(V::List(items.clone()), at),
        );
    }
    outputs.insert(
        "vpc_id".into(),
        Val::new(V::Ref(vpc_ref.clone(), "id".into()), site.head),
    );
    outputs.insert(
        "vpc_arn".into(),
        Val::new(V::Ref(vpc_ref, "arn".into()), site.head),
    );
    outputs.insert(
        "vpc_cidr_block".into(),
        get("cidr")
            .cloned()
            .unwrap_or_else(|| Val::str(DEFAULT_CIDR, site.head)),
    );
    outputs.insert(
        "vpc_secondary_cidr_blocks".into(),
        get("secondary_cidr_blocks")
            .cloned()
            .unwrap_or_else(|| Val::new(V::List(Vec::new()), site.head)),
    );
    outputs.insert(
        "azs".into(),
        get("azs")
            .cloned()
            .unwrap_or_else(|| Val::new(V::List(Vec::new()), site.head)),
    );
    outputs.insert("name".into(), Val::str(name, site.head));
    Model {
        outputs,
        missing: format!(
            "`{addr}.{{}}` is known only after apply (eks-lint models the VPC's CIDRs and subnets)"
        ),
        kind: ModelKind::Plain,
    }
}

/// A subnet's zone, and the zone's name for `Name` and per-AZ tags (a real name only). Each
/// element on its own: `slice(data.aws_availability_zones.x.names, 0, 3)` is three distinct
/// zones even though their names are not known.
fn zone(
    ex: &Extractor,
    az: Option<&Val>,
    azs_unknown: Option<&(String, Span)>,
    addr: &str,
    site: &Site,
) -> (Value<String>, String) {
    let v = match (az, azs_unknown) {
        (Some(a), _) => ex.az_value(a, a.span),
        (None, Some((why, sp))) => Value::unknown(why.clone(), *sp),
        (None, None) => Value::unknown(format!("`{addr}` has no `azs`"), site.head),
    };
    let name = match az.map(|a| &a.v) {
        Some(V::Str(s)) => s.clone(),
        _ => String::new(),
    };
    (v, name)
}
