use super::*;
use crate::source::{FileId, SourceFile};

fn file(text: &str) -> SourceFile {
    SourceFile::new("p.json".into(), "p.json".into(), text.to_string())
}

fn plan(text: &str) -> Plan {
    match load(FileId(0), &file(text), true) {
        Loaded::Plan(p) => *p,
        Loaded::Foreign => panic!("foreign"),
        Loaded::Error(e) => panic!("{e}"),
    }
}

const PLAN: &str = r#"{
  "format_version": "1.2",
  "terraform_version": "1.9.0",
  "variables": {"cidr": {"value": "10.0.0.0/16"}},
  "planned_values": {"root_module": {
    "resources": [{"address": "aws_subnet.a[0]", "mode": "managed", "type": "aws_subnet",
      "name": "a", "index": 0, "values": {"cidr_block": "10.0.0.0/24"}}],
    "child_modules": [{"address": "module.x[\"k\"]", "resources": [
      {"address": "module.x[\"k\"].aws_vpc.this", "mode": "managed", "type": "aws_vpc",
       "name": "this", "values": {"cidr_block": "10.0.0.0/16"}}]}]}},
  "resource_changes": [{"address": "aws_subnet.a[0]", "index": 0,
    "change": {"actions": ["create"], "after": {}, "after_unknown": {"id": true, "availability_zone": true}}}]
}"#;

#[test]
fn reads_instances_by_address_with_unknowns() {
    let p = plan(PLAN);
    assert_eq!(p.kind, Some(DocKind::Plan));
    let i = p.instance("aws_subnet.a", &Index::Int(0)).expect("subnet");
    assert_eq!(i.values["cidr_block"], "10.0.0.0/24");
    let az = attr_val(&p, "aws_subnet.a[0]", i, "availability_zone", i.span).expect("az");
    assert!(az.is_unknown());
    assert!(attr_val(&p, "aws_subnet.a[0]", i, "tags", i.span).is_none());
    assert!(p
        .instance("module.x[\"k\"].aws_vpc.this", &Index::None)
        .is_some());
    assert!(p.tops.contains("module.x") && p.tops.contains("aws_subnet.a"));
    assert_eq!(p.variables["cidr"].0, "10.0.0.0/16");
    assert!(p.variables["cidr"].1.start > 0);
}

#[test]
fn malformed_and_foreign_documents_are_input_errors_with_a_position() {
    let bad = load(
        FileId(0),
        &file("{\n \"format_version\": \"1.0\",\n oops}"),
        true,
    );
    assert!(matches!(bad, Loaded::Error(e) if e.starts_with("p.json:3:")));
    let foreign = load(FileId(0), &file(r#"{"name": "x"}"#), true);
    assert!(matches!(foreign, Loaded::Error(e) if e.contains("format_version")));
    // Found by a scan, another kind of JSON is not an error.
    assert!(matches!(
        load(FileId(0), &file(r#"{"name": "x"}"#), false),
        Loaded::Foreign
    ));
    assert!(matches!(
        load(FileId(0), &file("[1,"), false),
        Loaded::Foreign
    ));
    let v2 = load(
        FileId(0),
        &file(r#"{"format_version": "2.0", "values": {}}"#),
        false,
    );
    assert!(matches!(v2, Loaded::Error(e) if e.contains("2.0")));
}

#[test]
fn a_state_document_is_read_from_values() {
    let p = plan(
        r#"{"format_version": "1.0", "terraform_version": "1.9.0", "values": {"root_module": {"resources": [
        {"address": "data.aws_availability_zones.available", "mode": "data", "type": "aws_availability_zones",
         "name": "available", "values": {"names": ["eu-west-1a", "eu-west-1b"]}}]}}}"#,
    );
    assert_eq!(p.kind, Some(DocKind::State));
    let i = p
        .instance("data.aws_availability_zones.available", &Index::None)
        .expect("data source");
    assert_eq!(i.values["names"][1], "eu-west-1b");
}

#[test]
fn an_instance_span_names_its_address() {
    let p = plan(PLAN);
    let i = p.instance("aws_subnet.a", &Index::Int(0)).expect("subnet");
    assert_eq!(address_at(PLAN, i.span).as_deref(), Some("aws_subnet.a[0]"));
    assert_eq!(
        address_at(PLAN, crate::source::Span::new(FileId(0), 0, 1)),
        None
    );
}
