//! CPU and memory exhaustion from a few KB of Terraform: every case finishes within the
//! harness's bounds, says which budget ran out (one note), and keeps checking the rest.

use crate::common::*;
use std::fmt::Write as _;

/// A cluster whose node group is named by `name` (an HCL expression) and can outgrow its /27.
fn cluster(name: &str) -> String {
    cluster_sized(name, "3")
}

/// [`cluster`] with the node group's max size given by an expression: a rule needs it, so
/// a value a budget made unknown is reported with its reason.
fn cluster_sized(name: &str, max_size: &str) -> String {
    tf_cluster_named("10.0.0.0/27", name, &scaling(max_size))
}

fn run(name: &str, files: &[(&str, &str)]) -> Outcome {
    let owned: Vec<(&str, &[u8])> = files.iter().map(|(n, t)| (*n, t.as_bytes())).collect();
    let dir = case(&owned);
    bounded(
        name,
        dir.path(),
        &["check", "--format", "concise", "."],
        &[],
    )
}

fn has(o: &Outcome, needle: &str) {
    assert!(o.out.contains(needle), "expected `{needle}` in:\n{}", o.out);
}

/// The max size became unknown for `why`, and the rule says so instead of passing.
fn size_unknown(o: &Outcome, why: &str) {
    has(
        o,
        &format!(
            "note[EKS901] could not check EKS101 subnet-exhaustion and EKS102 subnet-headroom for \
             managed node group `ng` of cluster `adv`: the max size is not known statically ({why}"
        ),
    );
    assert_eq!(o.code, Some(0), "{}", o.out);
}

#[test]
fn nested_template_for_loops() {
    // 10^9 iterations of literal text: no interpolation, so no per-interpolation check fires.
    let big = r#"length("%{for a in range(1000)}%{for b in range(1000)}%{for c in range(1000)}xxxxxxxx%{endfor}%{endfor}%{endfor}")"#;
    let o = run(
        "nested %{for}",
        &[("main.tf", &cluster_sized("\"ng\"", big))],
    );
    size_unknown(
        &o,
        "the template's result is larger than 1048576 bytes (EKS_LINT_MAX_VALUE_SIZE)",
    );
    // no output: only the step budget holds
    let empty = r#"length("%{for a in range(1000)}%{for b in range(1000)}%{for c in range(1000)}%{endfor}%{endfor}%{endfor}")"#;
    let o = run(
        "empty nested %{for}",
        &[("main.tf", &cluster_sized("\"ng\"", empty))],
    );
    // steps or the bytes of the ranges built per iteration: whichever runs out first
    assert!(
        o.out.contains("note[EKS901] evaluation of this configuration stopped after 1000000 steps over all its module instances (EKS_LINT_MAX_EVAL_STEPS)")
            || o.out.contains("note[EKS901] evaluation of this configuration built more than 33554432 bytes of values over all its module instances (EKS_LINT_MAX_EVAL_BYTES)"),
        "{}",
        o.out
    );
    size_unknown(&o, "evaluation budget exceeded");
}

#[test]
fn one_template_larger_than_the_cap() {
    // 1 025 iterations of 1 KiB: just past the template cap, long before any other budget.
    let k = "x".repeat(1024);
    let size = format!("length(\"%{{for a in range(1025)}}{k}%{{endfor}}\")");
    let o = run(
        "big template",
        &[("main.tf", &cluster_sized("\"ng\"", &size))],
    );
    size_unknown(
        &o,
        "the template's result is larger than 1048576 bytes (EKS_LINT_MAX_VALUE_SIZE)",
    );
    // one iteration less fits, and the value is used (the control)
    let size = format!("length(\"%{{for a in range(1024)}}{k}%{{endfor}}\") - 1048572");
    let o = run(
        "template at the cap",
        &[("main.tf", &cluster_sized("\"ng\"", &size))],
    );
    has(
        &o,
        "error[EKS101] managed node group `ng` can grow to 4 m5.large nodes",
    );
}

#[test]
fn doubling_locals() {
    // l40 would be 2^44 bytes; each local doubles the one before.
    let mut locals = String::from("locals {\n  l0 = \"xxxxxxxxxxxxxxxx\"\n");
    for i in 1..=40 {
        let _ = writeln!(
            locals,
            "  l{i} = \"${{local.l{p}}}${{local.l{p}}}\"",
            p = i - 1
        );
    }
    locals.push_str("}\n");
    let o = run(
        "doubling locals",
        &[
            ("main.tf", &cluster_sized("\"ng\"", "length(local.l40)")),
            ("locals.tf", &locals),
        ],
    );
    size_unknown(&o, "");
}

#[test]
fn doubling_across_many_locals_is_held_by_the_total_bytes_budget() {
    // 400 locals of 512 KiB each: each one is under every per-value limit, the sum is not.
    let mut locals = String::from("locals {\n  base = join(\"\", [for i in range(8192) : \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"])\n");
    for i in 0..400 {
        let _ = writeln!(locals, "  c{i} = \"${{local.base}}{i}\"");
    }
    let all: Vec<String> = (0..400).map(|i| format!("length(local.c{i})")).collect();
    let _ = writeln!(locals, "  total = sum([{}])", all.join(", "));
    locals.push_str("}\n");
    let o = run(
        "many locals",
        &[
            ("main.tf", &cluster_sized("\"ng\"", "local.total")),
            ("locals.tf", &locals),
        ],
    );
    has(&o, "note[EKS901] evaluation of this configuration built more than 33554432 bytes of values over all its module instances (EKS_LINT_MAX_EVAL_BYTES)");
    size_unknown(&o, "evaluation budget exceeded");
    assert_eq!(
        o.out.matches("EKS_LINT_MAX_EVAL_BYTES").count(),
        1,
        "{}",
        o.out
    );
}

#[test]
fn format_with_wide_verbs() {
    let verbs = "%1000d".repeat(100_000);
    let args = vec!["1"; 100_000].join(",");
    let size = format!("length(format(\"{verbs}\", {args}))");
    let o = run("format", &[("main.tf", &cluster_sized("\"ng\"", &size))]);
    size_unknown(
        &o,
        "the result of `format` would be larger than 1048576 bytes (EKS_LINT_MAX_VALUE_SIZE)",
    );
}

#[test]
fn replace_and_join_amplification() {
    let locals = r#"locals {
  big = join("", [for i in range(4096) : "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"])
  r   = replace(local.big, "a", local.big)
  j   = join(local.big, range(10000))
}
"#;
    for (which, f) in [("replace", "length(local.r)"), ("join", "length(local.j)")] {
        let o = run(
            which,
            &[
                ("main.tf", &cluster_sized("\"ng\"", f)),
                ("locals.tf", locals),
            ],
        );
        size_unknown(
            &o,
            &format!("the result of `{which}` would be larger than 1048576 bytes"),
        );
    }
}

/// Modules nested `levels` deep, each level calling the next with `count = fanout`.
fn nested_modules(levels: usize, fanout: usize) -> Vec<(String, String)> {
    let mut files = vec![(
        "main.tf".to_string(),
        format!(
            "{}\nmodule \"m\" {{\n  source = \"./m1\"\n  count  = {fanout}\n}}\n",
            cluster("\"ng\"")
        ),
    )];
    let mut path = String::new();
    for i in 1..=levels {
        path.push_str(&format!("m{i}/"));
        let body = if i < levels {
            format!(
                "module \"m\" {{\n  source = \"./m{}\"\n  count  = {fanout}\n}}\nlocals {{\n  x = \"{}\"\n}}\n",
                i + 1,
                "y".repeat(64)
            )
        } else {
            "locals {\n  x = 1\n}\noutput \"x\" {\n  value = local.x\n}\n".to_string()
        };
        files.push((format!("{path}main.tf"), body));
    }
    files
}

#[test]
fn module_nesting_multiplies_instances() {
    // 16^6 = 16.7 million instances without a total budget.
    let files = nested_modules(6, 16);
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let o = run("16^6 module instances", &refs);
    has(
        &o,
        "note[EKS901] this configuration expands to more than 1024 module instances in all \
         (EKS_LINT_MAX_TOTAL_MODULE_INSTANCES)",
    );
    assert_eq!(
        o.out.matches("EKS_LINT_MAX_TOTAL_MODULE_INSTANCES").count(),
        1,
        "one note per root cause:\n{}",
        o.out
    );
    has(&o, "managed node group `ng`");
}

#[test]
fn modules_calling_each_other() {
    let o = run(
        "module cycle",
        &[
            (
                "main.tf",
                &format!(
                    "{}\nmodule \"a\" {{\n  source = \"./a\"\n}}\n",
                    cluster("\"ng\"")
                ),
            ),
            ("a/main.tf", "module \"b\" {\n  source = \"../b\"\n}\n"),
            (
                "b/main.tf",
                "module \"a\" {\n  source = \"../a\"\n  count = 16\n}\n",
            ),
        ],
    );
    has(&o, "a cycle");
    has(&o, "managed node group `ng`");
}

#[test]
fn many_roots_share_the_run_budget() {
    // 200 roots that each spend 60 000 steps: 12 million in all, over a 2 million run budget
    // (lowered here so the case stays small), yet under the per-root budget.
    let spend =
        "locals {\n  s = sum([for i in range(10000) : length([for j in range(2) : j])])\n}\n";
    let mut files: Vec<(String, String)> = Vec::new();
    for r in 0..200 {
        files.push((
            format!("r{r:03}/main.tf"),
            format!("{}{spend}", cluster("\"ng-${local.s}\"")),
        ));
    }
    let owned: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_bytes()))
        .collect();
    let dir = case(&owned);
    let o = bounded(
        "run budget",
        dir.path(),
        &["check", "--format", "concise", "."],
        &[("EKS_LINT_MAX_RUN_EVAL_STEPS", "2000000")],
    );
    // one note for the run, whichever root ran out first
    assert_eq!(
        o.out.matches("EKS_LINT_MAX_RUN_EVAL_STEPS").count(),
        1,
        "{}",
        o.out
    );
    // the roots evaluated first are checked; every later one says what it could not check
    let checked = o.out.matches("error[EKS101]").count();
    assert!(checked > 0 && checked < 200, "{checked}\n{}", o.out);
    for r in 0..200 {
        let root = format!("r{r:03}/main.tf");
        let ok = o.out.lines().any(|l| {
            l.starts_with(&root)
                && (l.contains("error[EKS101]") || l.contains("(evaluation budget exceeded)"))
        });
        assert!(ok, "{root} neither checked nor reported:\n{}", o.out);
    }
}

#[test]
fn sets_of_50_000_elements() {
    // distinct/toset over 50 000 elements: quadratic deduplication takes a billion comparisons.
    let locals = r#"locals {
  many = flatten([for i in range(1250) : [for j in range(40) : i * 40 + j]])
  set  = length(distinct(local.many))
}
"#;
    let o = run(
        "distinct",
        &[
            ("main.tf", &cluster_sized("\"ng\"", "local.set - 49997")),
            ("locals.tf", locals),
        ],
    );
    has(
        &o,
        "error[EKS101] managed node group `ng` can grow to 3 m5.large nodes",
    );
}

#[test]
fn loops_over_large_bound_values() {
    // Every iteration of the inner loops binds a name next to a 512 KiB outer value and a
    // 2 000-entry templatefile variables map: copying them per iteration would be gigabytes.
    let tpl =
        "%{for a in big}%{for b in range(1000)}%{for c in range(100)}%{endfor}%{endfor}%{endfor}x";
    let locals = r#"locals {
  s    = join("", [for i in range(8192) : "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"])
  vars = merge({ big = [local.s] }, { for i in range(2000) : "v${i}" => i })
  n    = length(templatefile("${path.module}/t.tpl", local.vars))
  m    = length([for a in [local.s] : [for b in range(1000) : [for c in range(100) : c]]])
}
"#;
    let o = run(
        "large bound values",
        &[
            ("main.tf", &cluster_sized("\"ng\"", "local.n + local.m + 1")),
            ("locals.tf", locals),
            ("t.tpl", tpl),
        ],
    );
    has(
        &o,
        "error[EKS101] managed node group `ng` can grow to 3 m5.large nodes",
    );
}

#[test]
fn twenty_thousand_files_named_on_the_command_line() {
    // pre-commit passes every changed file; each one maps to its directory's project.
    let mut files: Vec<(String, Vec<u8>)> =
        vec![("main.tf".into(), cluster("\"ng\"").into_bytes())];
    for i in 0..19_999 {
        files.push((
            format!("v{i:05}.tf"),
            format!("variable \"v{i}\" {{}}\n").into_bytes(),
        ));
    }
    let owned: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_slice()))
        .collect();
    let dir = case(&owned);
    let mut args = vec!["check", "--format", "concise"];
    args.extend(files.iter().map(|(n, _)| n.as_str()));
    let o = bounded("20 000 file arguments", dir.path(), &args, &[]);
    has(&o, "error[EKS101] managed node group `ng`");
    has(&o, "in 20000 files, 1 cluster");
}

/// `n` bytes of locals, the densest syntax tree per byte of text.
fn dense_locals(n: usize) -> String {
    let mut out = String::from("locals {\n");
    let mut i = 0;
    while out.len() < n {
        let _ = writeln!(out, "  l{i} = {{ a = \"x\", b = [1, 2, 3], c = \"y{i}\" }}");
        i += 1;
    }
    out.push_str("}\n");
    out
}

#[test]
fn module_directories_past_the_text_limit_are_not_parsed() {
    // 7.5 MB of locals took 330 MB of syntax tree; 2.5 MB in two files is refused, 1.9 MB is
    // parsed.
    let half = dense_locals(1_250_000);
    let o = run(
        "2.5 MB of locals",
        &[("a.tf", &half), ("b.tf", &half.replace(" l", " m"))],
    );
    has(
        &o,
        "a.tf:1:1: error[EKS903] module directory `.` holds 2500",
    );
    has(
        &o,
        "more than the 2097152-byte limit (EKS_LINT_MAX_MODULE_BYTES): it is not analysed",
    );
    assert_eq!(
        o.out.matches("EKS_LINT_MAX_MODULE_BYTES").count(),
        1,
        "{}",
        o.out
    );
    assert_eq!(o.code, Some(1), "{}", o.out);
    let o = run("1.9 MB of locals", &[("main.tf", &dense_locals(1_900_000))]);
    assert!(!o.out.contains("EKS_LINT_MAX_MODULE_BYTES"), "{}", o.out);
    assert_eq!(o.code, Some(0), "{}", o.out);
}

#[test]
fn an_empty_env_key_in_configuration_values_does_not_hang() {
    // Found by the configuration_values fuzz target: looking up an empty key's position in the
    // addon text never advanced.
    let yaml = "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: {name: a, region: us-west-2}\nmanagedNodeGroups:\n  - name: ng\n    instanceType: m5.large\naddons:\n  - name: vpc-cni\n    configurationValues: |-\n      {\"env\":{\"AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG\":\"true\",\"\":\"topology.kubernetes.io/zone\"}}\n";
    let o = run("empty env key", &[("c.yaml", yaml)]);
    assert!(o.code.is_some(), "{}", o.out);
    has(&o, "in 1 file, 1 cluster");
}
