//! Fan-out (issue 12, item 3): a few lines of input that make thousands of model entities must
//! give output and run time linear in them. Every list in a message is capped at
//! `MAX_LISTED` and counts the rest exactly; pairwise findings are aggregated per entity.

use super::common::*;
use eks_lint::rules::list::MAX_LISTED;

/// Concise output lines of one rule.
fn lines<'a>(o: &'a Outcome, code: &str) -> Vec<&'a str> {
    let tag = format!("[{code}]");
    o.stdout.lines().filter(|l| l.contains(&tag)).collect()
}

/// "`x-1`, `x-2`, … `x-8`": the first names of a list, as messages show them.
fn shown(names: impl Iterator<Item = String>) -> String {
    names
        .take(MAX_LISTED)
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `n` node groups (one resource with `count`) sharing three /22s in three zones, each able
/// to grow past what the subnets hold.
fn node_groups(n: usize) -> String {
    format!(
        r#"locals {{
  zones = ["us-east-1a", "us-east-1b", "us-east-1c"]
}}
resource "aws_vpc" "main" {{
  cidr_block = "10.0.0.0/16"
}}
resource "aws_subnet" "a" {{
  count             = 3
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet("10.0.0.0/16", 6, count.index)
  availability_zone = local.zones[count.index]
}}
resource "aws_eks_cluster" "this" {{
  name     = "fan"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {{
    subnet_ids = aws_subnet.a[*].id
  }}
}}
resource "aws_eks_node_group" "ng" {{
  count           = {n}
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "ng-${{count.index}}"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = aws_subnet.a[*].id
  instance_types  = ["m5.large"]
  scaling_config {{
    min_size     = 1
    desired_size = 1
    max_size     = 30
  }}
}}
"#
    )
}

/// The longest message a capped finding may have here: a few hundred bytes of text, the
/// capped lists of short names and three subnets.
const MAX_LINE: usize = 2048;

#[test]
fn ten_thousand_node_groups_sharing_subnets() {
    let mut sizes = Vec::new();
    for n in [5_000, 10_000] {
        let d = case(&[("main.tf", node_groups(n).as_bytes())]);
        let name = format!("node_groups_{n}");
        // Raised past the node-group cap: this case is about what one message lists.
        let env = [("EKS_LINT_MAX_NODE_GROUPS", "20000")];
        let o = bounded(
            &name,
            d.path(),
            &["check", "--format", "concise", "."],
            &env,
        );
        assert_eq!(o.code, Some(1), "{}", &o.out[..o.out.len().min(4000)]);
        let found = lines(&o, "EKS101");
        assert_eq!(found.len(), n, "one EKS101 per node group");
        assert_eq!(
            o.stdout.lines().count(),
            n + 2,
            "EKS101 lines, the summary and the coverage"
        );
        let longest = o.stdout.lines().map(str::len).max().unwrap_or(0);
        assert!(longest <= MAX_LINE, "{name}: a line of {longest} bytes");
        // `ng-0` shares its subnets with every other group: the first by index, then a count.
        let first = found
            .iter()
            .find(|l| l.contains("group `ng-0` "))
            .expect("ng-0");
        let want = format!(
            "after node group(s) {} and {} more at their max size",
            shown((1..n).map(|i| format!("ng-{i}"))),
            n - 1 - MAX_LISTED
        );
        assert!(first.contains(&want), "{first}");
        eprintln!(
            "{name}: {} output bytes, longest line {longest}",
            o.stdout.len()
        );
        sizes.push(o.stdout.len());
    }
    // Twice the groups, about twice the output (every name gets longer by a digit or not).
    let ratio = sizes[1] as f64 / sizes[0] as f64;
    assert!(
        (1.9..2.2).contains(&ratio),
        "output grew {ratio:.2}× for 2× the groups"
    );
}

#[test]
fn related_locations_are_capped_too() {
    // Blocks of their own, so every group has a location of its own (`count` instances share
    // their block's).
    let n = 40;
    let mut text = String::from(
        "resource \"aws_vpc\" \"main\" {\n  cidr_block = \"10.0.0.0/16\"\n}\n\
         resource \"aws_eks_cluster\" \"this\" {\n  name = \"fan\"\n  role_arn = \"r\"\n  \
         vpc_config {\n    subnet_ids = [aws_subnet.a.id, aws_subnet.b.id]\n  }\n}\n",
    );
    for (s, az) in [("a", "us-east-1a"), ("b", "us-east-1b")] {
        let i = if s == "a" { 0 } else { 4 };
        text.push_str(&format!(
            "resource \"aws_subnet\" \"{s}\" {{\n  vpc_id = aws_vpc.main.id\n  cidr_block = \"10.0.{i}.0/22\"\n  availability_zone = \"{az}\"\n}}\n"
        ));
    }
    for g in 0..n {
        text.push_str(&format!(
            "resource \"aws_eks_node_group\" \"g{g:02}\" {{\n  cluster_name = aws_eks_cluster.this.name\n  node_group_name = \"g{g:02}\"\n  node_role_arn = \"r\"\n  subnet_ids = [aws_subnet.a.id, aws_subnet.b.id]\n  instance_types = [\"m5.large\"]\n  scaling_config {{\n    min_size = 1\n    desired_size = 1\n    max_size = 30\n  }}\n}}\n"
        ));
    }
    let d = case(&[("main.tf", text.as_bytes())]);
    let o = bounded(
        "related_json",
        d.path(),
        &["check", "--format", "json", "."],
        &[],
    );
    assert_eq!(o.code, Some(1), "{}", o.out);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).expect("json");
    let findings = v["findings"].as_array().expect("findings");
    let eks101: Vec<_> = findings.iter().filter(|f| f["code"] == "EKS101").collect();
    assert_eq!(eks101.len(), n);
    for f in eks101 {
        let related: Vec<&str> = f["related"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["message"].as_str())
            .collect();
        let sharing = related
            .iter()
            .filter(|m| m.ends_with("shares the subnets"))
            .count();
        assert_eq!(sharing, MAX_LISTED, "{related:?}");
        // The two subnets, the capped sharers, the instance type.
        assert_eq!(related.len(), 2 + MAX_LISTED + 1, "{related:?}");
        let msg = f["message"].as_str().unwrap_or("");
        assert!(
            msg.contains(&format!(
                " and {} more at their max size",
                n - 1 - MAX_LISTED
            )),
            "{msg}"
        );
    }
}

#[test]
fn ten_thousand_overlapping_subnets() {
    let n = 10_000;
    let text = format!(
        r#"resource "aws_vpc" "main" {{
  cidr_block = "10.0.0.0/16"
}}
resource "aws_subnet" "a" {{
  count             = {n}
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.0.0/24"
  availability_zone = "us-east-1a"
}}
resource "aws_eks_cluster" "this" {{
  name     = "fan"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {{
    subnet_ids = [aws_subnet.a[0].id, aws_subnet.a[1].id]
  }}
}}
"#
    );
    let d = case(&[("main.tf", text.as_bytes())]);
    let o = bounded(
        "overlapping_subnets",
        d.path(),
        &["check", "--format", "concise", "."],
        &[],
    );
    assert_eq!(o.code, Some(1), "{}", &o.out[..o.out.len().min(4000)]);
    let found = lines(&o, "EKS403");
    // One finding per subnet that overlaps an earlier one: every subnet but the first.
    assert_eq!(found.len(), n - 1);
    let mut at: Vec<usize> = found
        .iter()
        .filter_map(|l| {
            let rest = l.split("subnet `aws_subnet.a[").nth(1)?;
            rest.split(']').next()?.parse().ok()
        })
        .collect();
    at.sort_unstable();
    assert_eq!(
        at,
        (1..n).collect::<Vec<_>>(),
        "one finding at each subnet but the first"
    );
    let last = found
        .iter()
        .find(|l| l.contains(&format!("`aws_subnet.a[{}]` (10.0.0.0/24) overlaps", n - 1)))
        .unwrap();
    let earlier: Vec<String> = (0..MAX_LISTED)
        .map(|i| format!("`aws_subnet.a[{i}]` (10.0.0.0/24)"))
        .collect();
    let want = format!(
        "overlaps subnets {} and {} more; AWS rejects overlapping subnets in a VPC",
        earlier.join(", "),
        n - 1 - MAX_LISTED
    );
    assert!(last.contains(&want), "{last}");
    let one = found
        .iter()
        .find(|l| l.contains("`aws_subnet.a[1]` (10.0.0.0/24) overlaps"))
        .unwrap();
    assert!(
        one.contains("overlaps subnet `aws_subnet.a[0]` (10.0.0.0/24); AWS"),
        "{one}"
    );
    let longest = found.iter().map(|l| l.len()).max().unwrap_or(0);
    assert!(longest <= MAX_LINE, "a line of {longest} bytes");
    eprintln!(
        "overlapping_subnets: {} output bytes, longest line {longest}",
        o.stdout.len()
    );
}

/// A cluster whose node group block is preceded by `comments`, and `count` groups in it.
fn commented(comments: &str, count: usize) -> String {
    format!(
        r#"resource "aws_vpc" "main" {{
  cidr_block = "10.0.0.0/16"
}}
resource "aws_subnet" "a" {{
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.0.0/20"
  availability_zone = "us-east-1a"
}}
resource "aws_eks_cluster" "this" {{
  name     = "fan"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {{
    subnet_ids = [aws_subnet.a.id]
  }}
}}
{comments}resource "aws_eks_node_group" "ng" {{
  count           = {count}
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "ng-${{count.index}}"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = [aws_subnet.a.id]
  instance_types  = ["m5.large"]
  scaling_config {{
    min_size     = 1
    desired_size = 1
    max_size     = 3
  }}
}}
"#
    )
}

const COMMENTS: usize = 100_000;

#[test]
fn hundred_thousand_suppression_comments_over_thousands_of_findings() {
    // The first comment silences the single-AZ warning of all 4 000 groups (400 million
    // comment × finding pairs to a scan); the others name
    // a rule this run skips, so they are not unused. (The groups overfill their subnet: the
    // capacity rules are skipped too.)
    let mut comments = String::from("# eks-lint: ignore[EKS404] pinned to one zone\n");
    for i in 1..COMMENTS {
        comments.push_str(&format!("# eks-lint: ignore[EKS201] tooling {i}\n"));
    }
    let d = case(&[("main.tf", commented(&comments, 4_000).as_bytes())]);
    let o = bounded(
        "suppression_comments_used",
        d.path(),
        &[
            "check",
            "--format",
            "concise",
            "--ignore",
            "EKS1,EKS201",
            ".",
        ],
        &COMMENTS_FIT,
    );
    // Left: the control plane's single AZ (the cluster block is above the comments).
    assert_eq!(o.code, Some(0), "{}", &o.out[..o.out.len().min(4000)]);
    let found = lines(&o, "EKS404");
    assert_eq!(found.len(), 1, "{}", &o.out[..o.out.len().min(4000)]);
    assert!(found[0].contains("the control-plane subnets of cluster `fan` are all in us-east-1a"));
    assert!(lines(&o, "EKS902").is_empty());
}

/// 100 000 comment lines are 4 MB of text but no syntax tree: past the module-text limit, which
/// is raised here so the case measures the suppression scanner.
const COMMENTS_FIT: [(&str, &str); 1] = [("EKS_LINT_MAX_MODULE_BYTES", "16777216")];

#[test]
fn hundred_thousand_unused_suppression_comments() {
    let mut comments = String::new();
    for i in 0..COMMENTS {
        comments.push_str(&format!("# eks-lint: ignore[EKS404] reason {i}\n"));
    }
    let d = case(&[("main.tf", commented(&comments, 1).as_bytes())]);
    let o = bounded(
        "suppression_comments_unused",
        d.path(),
        &["check", "--format", "concise", "."],
        &COMMENTS_FIT,
    );
    assert_eq!(o.code, Some(0), "warnings only");
    // The first one silences the node group's finding; each of the others is reported once.
    let unused = lines(&o, "EKS902");
    assert_eq!(unused.len(), COMMENTS - 1);
    assert!(
        unused[0].starts_with(
            "main.tf:17:3: warning[EKS902] suppression of `EKS404` matched no finding"
        ),
        "{}",
        unused[0]
    );
    assert_eq!(lines(&o, "EKS404").len(), 1, "the control plane's");
    eprintln!(
        "suppression_comments_unused: {} output bytes",
        o.stdout.len()
    );
}

#[test]
fn file_repeating_one_key_a_hundred_thousand_times() {
    // Terraform keeps the last of a repeated key: 500, so the group outgrows its /20.
    let mut sizes = String::from("locals {\n  sizes = {\n");
    for _ in 1..100_000 {
        sizes.push_str("    max_size = 1\n");
    }
    sizes.push_str("    max_size = 500\n  }\n}\n");
    let cluster =
        commented("", 1).replace("max_size     = 3", "max_size     = local.sizes.max_size");
    let d = case(&[
        ("main.tf", cluster.as_bytes()),
        ("sizes.tf", sizes.as_bytes()),
    ]);
    let o = bounded(
        "repeated_key",
        d.path(),
        &["check", "--format", "concise", "."],
        &[],
    );
    assert_eq!(o.code, Some(1), "{}", &o.out[..o.out.len().min(4000)]);
    assert!(
        lines(&o, "EKS903").is_empty(),
        "{}",
        &o.out[..o.out.len().min(4000)]
    );
    let found = lines(&o, "EKS101");
    assert_eq!(found.len(), 1, "{}", o.out);
    assert!(
        found[0].contains("managed node group `ng-0` can grow to 500 m5.large nodes"),
        "{}",
        found[0]
    );
}

/// `locals { x = { k0 = 0 … } }` with `n` distinct keys.
fn object_of(n: usize) -> String {
    let keys: String = (0..n).map(|i| format!("    k{i} = {i}\n")).collect();
    format!("locals {{\n  x = {{\n{keys}  }}\n}}\n")
}

#[test]
fn object_with_a_hundred_thousand_distinct_keys() {
    // hcl-edit compares each key with every one before it: 5 × 10⁹ comparisons, refused.
    let n: u64 = 100_000;
    let d = case(&[("main.tf", object_of(n as usize).as_bytes())]);
    let o = bounded(
        "distinct_keys",
        d.path(),
        &["check", "--format", "concise", "."],
        &[],
    );
    let limit = eks_lint::limits::DEFAULT_MAX_OBJECT_KEY_PAIRS;
    expect(
        &o,
        1,
        &format!(
            "main.tf:2:7: error[EKS903] could not parse `main.tf`: the object here has {n} keys and the file's objects {} pairs of them; the parser compares every pair, and more than {limit} per file would take too long (set EKS_LINT_MAX_OBJECT_KEY_PAIRS to raise the limit); the rest of the scan goes on without this file",
            n * (n - 1) / 2
        ),
    );
}

#[test]
fn object_key_pair_limit_can_be_raised() {
    let d = case(&[("main.tf", object_of(3_000).as_bytes())]);
    let args = ["check", "--format", "concise", "."];
    let o = bounded("object_keys_default", d.path(), &args, &[]);
    expect(&o, 1, "the object here has 3000 keys");
    let o = bounded(
        "object_keys_raised",
        d.path(),
        &args,
        &[("EKS_LINT_MAX_OBJECT_KEY_PAIRS", "5000000")],
    );
    expect(&o, 0, "All checks passed! (1 file, 0 clusters checked)");
}

#[test]
fn json_with_fifty_thousand_keys_and_strings() {
    // Positions come from one scan of the text, not a search per key from its parent's (about
    // 10⁹ bytes searched here).
    let n = 50_000;
    let locals: Vec<String> = (0..n).map(|i| format!("\"l{i}\": \"v{i}\"")).collect();
    let list: Vec<String> = (0..n).map(|i| format!("\"s{i}\"")).collect();
    let text = format!(
        "{{\"locals\": {{{}, \"list\": [{}]}}}}",
        locals.join(", "),
        list.join(", ")
    );
    let d = case(&[("main.tf.json", text.as_bytes())]);
    let o = bounded(
        "json_keys",
        d.path(),
        &["check", "--format", "concise", "."],
        &[],
    );
    expect(&o, 0, "All checks passed! (1 file, 0 clusters checked)");
}

#[test]
fn node_groups_past_the_cap_are_dropped_with_one_note() {
    // 20 000 node groups from a 1.6 MB file: each one costs findings in every report.
    let d = case(&[("main.tf", node_groups(20_000).as_bytes())]);
    let env = [("EKS_LINT_MAX_INSTANCES", "20000")];
    let o = bounded(
        "node_group_cap",
        d.path(),
        &["check", "--format", "json", "."],
        &env,
    );
    assert_eq!(o.code, Some(1), "{}", &o.out[..o.out.len().min(4000)]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).expect("json");
    let findings = v["findings"].as_array().expect("findings");
    let eks101 = findings.iter().filter(|f| f["code"] == "EKS101").count();
    assert_eq!(eks101, 1000, "the first 1000 node groups are checked");
    let notes: Vec<_> = findings
        .iter()
        .filter(|f| {
            f["message"]
                .as_str()
                .is_some_and(|m| m.contains("EKS_LINT_MAX_NODE_GROUPS"))
        })
        .collect();
    assert_eq!(notes.len(), 1, "one note for the cluster");
    assert!(
        notes[0]["message"]
            .as_str()
            .unwrap()
            .contains("has 20000 node groups; only the first 1000 are checked"),
        "{}",
        notes[0]
    );
}
