//! `--show-settings`: the resolved settings as eks-lint.toml would write them.

use super::Settings;

/// `--show-settings`: the resolved settings, one per line.
pub fn show(s: &Settings) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "config-file = {}",
        s.config_file.as_ref().map_or("(none)".to_string(), |p| {
            crate::render::escape::terminal(&s.display(p)).into_owned()
        })
    );
    let list = |v: &[String]| format!("{v:?}");
    let _ = writeln!(out, "select = {}", list(&s.rules.select));
    let _ = writeln!(out, "extend-select = {}", list(&s.rules.extend_select));
    let _ = writeln!(out, "ignore = {}", list(&s.rules.ignore));
    let _ = writeln!(out, "fail-on = \"{}\"", s.fail_on);
    let _ = writeln!(out, "exclude = {}", list(&s.exclude));
    let vf: Vec<String> = s.var_files.iter().map(|p| s.display(p)).collect();
    let _ = writeln!(out, "var-files = {}", list(&vf));
    let _ = writeln!(
        out,
        "expected-pods-per-node = {}",
        s.expected_pods_per_node
            .map_or("\"max pods\"".to_string(), |n| n.to_string())
    );
    let _ = writeln!(out, "expected-fargate-pods = {}", s.expected_fargate_pods);
    let _ = writeln!(out, "headroom-percent = {}", s.headroom_percent);
    let _ = writeln!(out, "low-pod-density = {}", s.low_pod_density);
    let _ = writeln!(out, "waste-percent = {}", s.waste_percent);
    if !s.instance_types.is_empty() || !s.instance_types_json.is_empty() {
        let json: Vec<String> = s.instance_types_json.iter().map(|p| s.display(p)).collect();
        let names: Vec<String> = s.instance_types.iter().map(|(n, _)| n.clone()).collect();
        let _ = writeln!(out, "instance-types-json = {}", list(&json));
        let _ = writeln!(out, "instance-types = {}", list(&names));
    }
    let _ = writeln!(out, "\n[rules]  # enabled rules and their levels");
    for r in crate::rules::meta::RULES {
        let level = s.rules.levels.get(&r.code).copied().unwrap_or(r.level);
        let state = if s.rules.enabled(r.code) {
            "on "
        } else {
            "off"
        };
        let _ = writeln!(out, "{} {state} {:<8} {}", r.code, level.as_str(), r.name);
    }
    out
}
