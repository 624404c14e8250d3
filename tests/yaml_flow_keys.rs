//! The vendored YAML scanner's one change (vendor/saphyr-parser): a possible simple key inside
//! a flow collection goes stale after 1024 characters, so a long nested flow collection is
//! scanned in constant memory, and documents keep their meaning.

use eks_lint::eksctl::yaml::{parse, Kind};
use eks_lint::limits::Limits;

#[test]
fn nested_flow_collections_parse_as_before() {
    let short = parse(
        "a: [[1, 2], {k: [x, y]}]\nb:\n  - {c: [d]}\n",
        &Limits::DEFAULT,
    )
    .unwrap();
    let a = short[0].get("a").unwrap();
    assert!(matches!(&a.kind, Kind::Seq(items) if items.len() == 2));
    // A long nested collection is still read whole.
    let many = vec!["v"; 5000].join(", ");
    let long = parse(
        &format!("a: [[{many}]]\nb: - {{k: [{many}]}}\n").replace("b: - ", "b:\n  - "),
        &Limits::DEFAULT,
    )
    .unwrap();
    let Kind::Seq(outer) = &long[0].get("a").unwrap().kind else {
        panic!()
    };
    assert!(matches!(&outer[0].kind, Kind::Seq(inner) if inner.len() == 5000));
    // A flow collection as an implicit key within 1024 characters is still a key.
    let keyed = parse("m: {[a, b]: c}\n", &Limits::DEFAULT).unwrap();
    assert!(matches!(&keyed[0].get("m").unwrap().kind, Kind::Map(e) if e.len() == 1));
}
