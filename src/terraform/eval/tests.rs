//! Unit tests of the evaluator.
use super::*;
use crate::diag::Diagnostic;
use crate::source::{FileId, Span};
use crate::terraform::module::Module;
use crate::terraform::parse::{ParsedFile, SpanMap};
use crate::terraform::value::{InstKey, Val, V};
use std::collections::HashMap;

fn parsed(text: &str) -> ParsedFile {
    ParsedFile {
        file: FileId(0),
        body: hcl_edit::parser::parse_body(text).expect("test HCL parses"),
        spans: SpanMap::Direct,
    }
}

/// Evaluate `local.out` of a one-file module.
fn eval_out(text: &str) -> (Val, Vec<Diagnostic>) {
    let pf = parsed(text);
    let m = Module::build("mod".into(), vec![&pf]);
    let ev = Evaluator::new(&m, HashMap::new());
    let v = ev.local("out", Span::default());
    (v, ev.take_diagnostics())
}

fn json(text: &str) -> serde_json::Value {
    let (v, _) = eval_out(text);
    crate::terraform::value::to_json(&v).unwrap_or_else(|| panic!("not known: {v:?}"))
}

#[test]
fn locals_in_any_order_and_cycles() {
    assert_eq!(
        json("locals {\n out = local.b + 1\n b = local.c * 2\n c = 20\n}"),
        41
    );
    let (v, d) = eval_out("locals {\n out = local.a\n a = local.b\n b = local.a\n}");
    assert!(v.is_unknown());
    assert!(d.iter().any(|d| d.message.contains("cycle")), "{d:?}");
}

#[test]
fn for_expressions_conditionals_and_splats() {
    let j = json(
        r#"locals {
  azs = ["a", "b", "c"]
  out = {
list  = [for i, az in local.azs : "${az}-${i}" if az != "b"]
map   = { for az in local.azs : az => upper(az) }
group = { for s in ["x1", "x2", "y1"] : substr(s, 0, 1) => s... }
cond  = length(local.azs) > 2 ? "many" : "few"
splat = [{ n = 1 }, { n = 2 }][*].n
attr  = { a = { b = [10, 20] } }.a.b[1]
  }
}"#,
    );
    assert_eq!(j["list"], serde_json::json!(["a-0", "c-2"]));
    assert_eq!(j["map"]["b"], "B");
    assert_eq!(j["group"]["x"], serde_json::json!(["x1", "x2"]));
    assert_eq!(j["cond"], "many");
    assert_eq!(j["splat"], serde_json::json!([1, 2]));
    assert_eq!(j["attr"], 20);
}

#[test]
fn strings_convert_where_terraform_converts() {
    let j = json("resource \"x\" \"r\" {\n count = \"2\"\n}\nlocals {\n out = [\"true\" ? length(x.r) : 0, \"3\" + 1]\n}");
    assert_eq!(j, serde_json::json!([2, 4]));
}

#[test]
fn optional_object_attributes_get_their_defaults() {
    let pf = parsed(
        r#"variable "groups" {
  type = map(object({
type = string
max  = optional(number, 10)
tags = optional(map(string))
  }))
  default = {
a = { type = "m5.large" }
b = { type = "c5.large", max = "3" }
  }
}"#,
    );
    let m = Module::build("mod".into(), vec![&pf]);
    let ev = Evaluator::new(&m, HashMap::new());
    let v = ev.var("groups", Span::default());
    let j = crate::terraform::value::to_json(&v).unwrap();
    assert_eq!(j["a"]["max"], 10);
    assert_eq!(j["b"]["max"], 3, "string converted to the declared number");
    assert!(j["a"]["tags"].is_null());
}

#[test]
fn templates_and_heredocs() {
    let j = json(
        "locals {\n  n = 3\n  out = {\n    t = \"a%{ if local.n > 2 }big%{ else }small%{ endif }-%{ for x in [1, 2] }${x}%{ endfor }\"\n    h = <<-EOT\n      max ${local.n}\n      done\n    EOT\n  }\n}",
    );
    assert_eq!(j["t"], "abig-12");
    assert_eq!(j["h"], "max 3\ndone\n");
}

#[test]
fn unknowns_keep_their_reason() {
    let (v, _) = eval_out("locals {\n out = cidrsubnet(data.aws_vpc.x.cidr_block, 4, 1)\n}");
    let u = reason(&v).expect("unknown");
    assert!(u.reason.contains("data.aws_vpc.x"), "{}", u.reason);
    assert!(!u.error);
    let (v, _) = eval_out("locals {\n out = regex(\"a\", \"b\")\n}");
    assert!(reason(&v).unwrap().reason.contains("`regex`"));
    // Unknown elements stay in place through structural functions.
    let (v, _) = eval_out("locals {\n out = concat([1], [data.x.y.z])\n}");
    assert!(matches!(&v.v, V::List(l) if l.len() == 2 && l[1].is_unknown()));
    // try falls back on errors, not on unknowns.
    assert_eq!(
        json("locals {\n out = try(local.missing, {}.nope, 5)\n}"),
        5
    );
}

#[test]
fn resources_are_symbolic_and_expand() {
    let text = r#"
resource "aws_subnet" "s" {
  count      = 2
  cidr_block = cidrsubnet("10.0.0.0/16", 8, count.index)
}
resource "aws_subnet" "m" {
  for_each   = { a = 1, b = 2 }
  cidr_block = "10.1.${each.value}.0/24"
}
locals {
  out = {
ids   = aws_subnet.s[*].id
cidrs = aws_subnet.s[*].cidr_block
m     = [for k, s in aws_subnet.m : s.cidr_block]
  }
}"#;
    let (v, _) = eval_out(text);
    let V::Map(m) = &v.v else { panic!("{v:?}") };
    assert!(
        matches!(&m["ids"].v, V::List(l) if matches!(&l[1].v, V::Ref(r, a) if r.key == InstKey::Int(1) && a == "id"))
    );
    let j = |k: &str| crate::terraform::value::to_json(&m[k]).unwrap();
    assert_eq!(
        j("cidrs"),
        serde_json::json!(["10.0.0.0/24", "10.0.1.0/24"])
    );
    assert_eq!(j("m"), serde_json::json!(["10.1.1.0/24", "10.1.2.0/24"]));
}

#[test]
fn bounds_give_diagnostics_not_hangs() {
    // Too many instances.
    let (v, d) = eval_out(
        "resource \"aws_subnet\" \"s\" {\n count = 100000\n}\nlocals {\n out = aws_subnet.s\n}",
    );
    assert!(v.is_unknown());
    assert!(
        d.iter().any(|d| d.message.contains("100000 instances")),
        "{d:?}"
    );
    // A long chain of locals hits the depth guard, not the stack.
    let mut text = String::from("locals {\n out = local.l0\n");
    for i in 0..2000 {
        text.push_str(&format!(" l{i} = local.l{}\n", i + 1));
    }
    text.push_str(" l2000 = 1\n}\n");
    let (v, d) = eval_out(&text);
    assert!(v.is_unknown());
    assert!(
        d.iter().any(|d| d.message.contains("nesting deeper")),
        "{d:?}"
    );
    // Fan-out through resource attributes is memoised: 2^40 paths, 41 evaluations.
    let mut text = String::new();
    for i in 0..40 {
        text.push_str(&format!(
            "resource \"x\" \"r{i}\" {{\n v = [x.r{n}.v, x.r{n}.v][0]\n}}\n",
            n = i + 1
        ));
    }
    text.push_str("resource \"x\" \"r40\" {\n v = 1\n}\nlocals {\n out = x.r0.v\n}\n");
    let (v, _) = eval_out(&text);
    assert_eq!(v.v, V::Num(1.0));
    // Doubling through locals stops at the function input budget, not at memory.
    let mut text = String::from("locals {\n out = length(local.l40)\n l0 = [for i in range(10000) : \"xxxxxxxxxxxxxxxx\"]\n");
    for i in 1..=40 {
        text.push_str(&format!(
            " l{i} = concat(local.l{p}, local.l{p})\n",
            p = i - 1
        ));
    }
    text.push_str("}\n");
    let (v, _) = eval_out(&text);
    assert!(v.is_error(), "{v:?}");
    let (v, _) = eval_out(
        "locals {\n big = [for i in range(10000) : i]\n out = [for x in local.big : local.big]\n}",
    );
    assert!(v.is_error(), "for results are bounded");
    // Nested loops over large ranges hit the step budget, or the bytes budget for the
    // inner ranges they build.
    let (v, d) =
        eval_out("locals {\n out = [for a in range(10000) : [for b in range(10000) : b]]\n}");
    assert!(v.first_unknown().is_some());
    assert!(
        d.iter()
            .any(|d| d.message.contains("steps") || d.message.contains("bytes")),
        "{d:?}"
    );
    // Self-reference through count.
    let (v, _) =
        eval_out("resource \"x\" \"a\" {\n count = length(x.a)\n}\nlocals {\n out = x.a\n}");
    assert!(v.is_unknown());
}

/// The blocks at `path` (block types, the first block of each but the last level) of the
/// first resource of a one-file module, instance `key`: each block's labels and evaluated
/// attributes as JSON, or the unknown value and the diagnostics.
fn blocks_at(
    text: &str,
    key: InstKey,
    path: &[&str],
) -> (Result<Vec<serde_json::Value>, Val>, Vec<Diagnostic>) {
    let pf = parsed(text);
    let m = Module::build("mod".into(), vec![&pf]);
    let ev = Evaluator::new(&m, HashMap::new());
    let inst = crate::terraform::value::InstRef::local(0, key);
    let mut parent = Block::resource(m.resources[0].block);
    let (last, outer) = path.split_last().expect("a path");
    for ty in outer {
        match ev.blocks(&inst, &parent, ty) {
            Ok(b) => parent = b.into_iter().next().expect("an outer block"),
            Err(u) => return (Err(u), ev.take_diagnostics()),
        }
    }
    let got = ev.blocks(&inst, &parent, last).map(|bs| {
        bs.iter()
            .map(|b| {
                let mut o = serde_json::Map::new();
                o.insert("labels".into(), serde_json::json!(b.labels));
                for a in b.body.attributes() {
                    let (v, _) = ev.block_attr(&inst, b, a.key.as_str()).expect("attr");
                    let j = crate::terraform::value::to_json(&v).unwrap_or_else(|| {
                        serde_json::json!(format!(
                            "unknown: {}",
                            v.first_unknown().unwrap().0.reason
                        ))
                    });
                    o.insert(a.key.as_str().to_string(), j);
                }
                serde_json::Value::Object(o)
            })
            .collect()
    });
    (got, ev.take_diagnostics())
}

fn blocks_json(text: &str, path: &[&str]) -> serde_json::Value {
    match blocks_at(text, InstKey::None, path).0 {
        Ok(b) => serde_json::Value::Array(b),
        Err(u) => panic!("blocks not known: {u:?}"),
    }
}

#[test]
fn dynamic_blocks_expand_in_written_order_with_their_iterator() {
    let j = blocks_json(
        r#"resource "aws_autoscaling_group" "a" {
  tag {
    key = "first"
  }
  dynamic "tag" {
    for_each = ["x", "y"]
    content {
      key = "${tag.key}:${tag.value}"
    }
  }
  tag {
    key = "between"
  }
  dynamic "tag" {
    for_each = { b = 2, a = 1 }
    iterator = t
    content {
      key = "${t.key}=${t.value}"
    }
  }
  dynamic "other" {
    for_each = [1]
    content {
      key = "not a tag"
    }
  }
}"#,
        &["tag"],
    );
    let keys: Vec<&str> = j
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["key"].as_str().unwrap())
        .collect();
    // A list's keys are its indexes; a map iterates in key order.
    assert_eq!(keys, ["first", "0:x", "1:y", "between", "a=1", "b=2"]);
}

#[test]
fn nested_dynamic_blocks_see_every_outer_iterator() {
    let text = r#"resource "aws_autoscaling_group" "a" {
  count = 2
  mixed_instances_policy {
    dynamic "launch_template" {
      for_each = [{ types = ["m5.large", "m5.xlarge"], weight = 2 }]
      iterator = lt
      content {
        launch_template_specification {
          version = "v${lt.key}-${count.index}"
        }
        dynamic "override" {
          for_each = lt.value.types
          content {
            instance_type     = override.value
            weighted_capacity = "${lt.value.weight}/${override.key}"
          }
        }
      }
    }
  }
}"#;
    let path = ["mixed_instances_policy", "launch_template", "override"];
    let (got, _) = blocks_at(text, InstKey::Int(1), &path);
    let j = serde_json::Value::Array(got.expect("known"));
    assert_eq!(j[0]["instance_type"], "m5.large");
    assert_eq!(j[1]["weighted_capacity"], "2/1");
    // A written block inside a generated one sees its iterator (and the instance's count).
    let path = [
        "mixed_instances_policy",
        "launch_template",
        "launch_template_specification",
    ];
    let (got, _) = blocks_at(text, InstKey::Int(1), &path);
    assert_eq!(got.expect("known")[0]["version"], "v0-1");
}

#[test]
fn dynamic_labels_are_evaluated_per_element() {
    let j = blocks_json(
        r#"resource "x" "r" {
  dynamic "setting" {
    for_each = { a = "one" }
    labels   = [setting.key, "fixed"]
    content {
      v = setting.value
    }
  }
}"#,
        &["setting"],
    );
    assert_eq!(j[0]["labels"], serde_json::json!(["a", "fixed"]));
    assert_eq!(j[0]["v"], "one");
    let (got, _) = blocks_at(
        "resource \"x\" \"r\" {\n dynamic \"s\" {\n for_each = [1]\n labels = [var.nope]\n content {}\n }\n}",
        InstKey::None,
        &["s"],
    );
    assert!(got.is_err(), "an unknown label: {got:?}");
}

#[test]
fn unknown_for_each_makes_the_blocks_unknown_not_absent() {
    let text = r#"variable "sizes" {}
resource "aws_eks_node_group" "ng" {
  scaling_config {
    min_size = 1
  }
  dynamic "scaling_config" {
    for_each = var.sizes
    content {
      min_size = scaling_config.value
    }
  }
}"#;
    let (got, _) = blocks_at(text, InstKey::None, &["scaling_config"]);
    let u = got.expect_err("unknown");
    let reason = &u.first_unknown().expect("an unknown value").0.reason;
    assert!(
        reason.contains("`dynamic \"scaling_config\"` in `aws_eks_node_group.ng`")
            && reason.contains("for_each")
            && reason.contains("sizes"),
        "{reason}"
    );
    // Known elements with unknown values are blocks with unknown attributes.
    let j = blocks_json(
        "variable \"v\" {}\nresource \"x\" \"r\" {\n dynamic \"b\" {\n for_each = [var.v]\n content {\n a = b.value\n }\n }\n}",
        &["b"],
    );
    assert_eq!(j.as_array().unwrap().len(), 1);
    assert!(j[0]["a"].as_str().unwrap().starts_with("unknown"), "{j}");
}

#[test]
fn invalid_dynamic_blocks_are_errors() {
    for (body, says) in [
        ("for_each = null\n content {}", "null `for_each`"),
        ("for_each = \"abc\"\n content {}", "string `for_each`"),
        ("for_each = [1]", "exactly one `content`"),
        (
            "for_each = [1]\n content {}\n content {}",
            "exactly one `content`",
        ),
        ("content {}", "no `for_each`"),
        (
            "for_each = [1]\n iterator = a.b\n content {}",
            "not a single name",
        ),
    ] {
        let text = format!("resource \"x\" \"r\" {{\n dynamic \"b\" {{\n {body}\n }}\n}}");
        let (got, _) = blocks_at(&text, InstKey::None, &["b"]);
        let u = got.expect_err(body);
        assert!(u.is_error(), "{body}: {u:?}");
        let reason = &u.first_unknown().unwrap().0.reason;
        assert!(reason.contains(says), "{body}: {reason}");
    }
}

#[test]
fn dynamic_blocks_are_bounded_like_instances() {
    let text = "resource \"x\" \"r\" {\n dynamic \"b\" {\n for_each = concat(range(10000), [1])\n content {}\n }\n}";
    let (got, d) = blocks_at(text, InstKey::None, &["b"]);
    let u = got.expect_err("too many");
    assert!(
        u.first_unknown().unwrap().0.reason.contains("10001 blocks"),
        "{u:?}"
    );
    assert!(
        d.iter()
            .any(|d| d.code == crate::code::Code::EKS901
                && d.message.contains("EKS_LINT_MAX_INSTANCES")),
        "{d:?}"
    );
}

/// The zones of `data.aws_availability_zones` are distinct: an element keeps its index through
/// `slice` and indexing, and sets keep elements at different indices apart.
#[test]
fn zone_lists_keep_distinct_elements() {
    let (v, _) = eval_out(
        r#"data "aws_availability_zones" "az" {}
locals {
  azs = slice(data.aws_availability_zones.az.names, 1, 3)
  out = {
sliced  = local.azs
indexed = data.aws_availability_zones.az.zone_ids[2]
set     = toset([local.azs[0], local.azs[1], local.azs[0]])
other   = data.aws_vpc.x.id
  }
}"#,
    );
    let V::Map(m) = &v.v else { panic!("{v:?}") };
    let name = |x: &Val| match &x.v {
        V::Unknown(u) => u.distinct.as_deref().and_then(|d| d.name()),
        _ => None,
    };
    let V::List(l) = &m["sliced"].v else {
        panic!("{:?}", m["sliced"])
    };
    let names: Vec<_> = l.iter().map(name).collect();
    assert_eq!(
        names,
        [
            Some("data.aws_availability_zones.az.names[1]".to_string()),
            Some("data.aws_availability_zones.az.names[2]".to_string())
        ]
    );
    assert_eq!(
        name(&m["indexed"]).as_deref(),
        Some("data.aws_availability_zones.az.zone_ids[2]")
    );
    assert!(matches!(&m["set"].v, V::List(l) if l.len() == 2));
    assert_eq!(name(&m["other"]), None);
}

/// `for k, v in zipmap(refs, cidrs)`: the keys stay references, the values are tested.
#[test]
fn zipmap_over_references_keeps_them() {
    let (v, _) = eval_out(
        r#"resource "aws_subnet" "s" {
  count      = 3
  cidr_block = cidrsubnet("10.0.0.0/16", 8, count.index)
}
locals {
  out = [for id, cidr in zipmap(aws_subnet.s[*].id, aws_subnet.s[*].cidr_block) : id if cidr != "10.0.1.0/24"]
}"#,
    );
    let V::List(l) = &v.v else { panic!("{v:?}") };
    let keys: Vec<_> = l
        .iter()
        .map(|x| match &x.v {
            V::Ref(r, a) if a == "id" => r.key.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(keys, [InstKey::Int(0), InstKey::Int(2)]);
}
