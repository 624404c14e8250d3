//! Rule pages (`rules/*.md`): the documentation behind `eks-lint rule`, SARIF help and the
//! README's rule table.

use super::meta::{RuleMeta, RULES};
use crate::code::Code;

/// Sections every page must have, in this order.
pub const SECTIONS: &[&str] = &[
    "What it checks",
    "Why it matters",
    "How the number is computed",
    "Example",
    "How to fix",
    "Options",
    "References",
];

/// The page without its front matter and without the hidden context of its examples
/// (`build.rs` strips both).
pub fn body(meta: &RuleMeta) -> &'static str {
    meta.body
}

/// The `## ` headings of a page, in order.
pub fn sections(meta: &RuleMeta) -> Vec<&'static str> {
    body(meta)
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .map(str::trim)
        .collect()
}

/// One section's text (without its heading), if present.
pub fn section(meta: &RuleMeta, name: &str) -> Option<&'static str> {
    let b = body(meta);
    let head = format!("## {name}\n");
    let start = b.find(&head)? + head.len();
    let rest = &b[start..];
    let end = rest.find("\n## ").map_or(rest.len(), |i| i + 1);
    Some(rest[..end].trim())
}

/// Where the page is published (SARIF `helpUri`).
pub fn help_uri(meta: &RuleMeta) -> String {
    format!(
        "https://github.com/eks-lint/eks-lint/blob/main/rules/{}",
        meta.file
    )
}

/// The printable page for `eks-lint rule CODE`.
pub fn render_page(meta: &RuleMeta) -> String {
    format!(
        "{} {} ({}, {}, since {})\n\n{}\n",
        meta.code,
        meta.name,
        meta.level,
        meta.category,
        meta.since,
        body(meta).trim_end()
    )
}

/// `eks-lint rule --all`: one line per rule.
pub fn render_list() -> String {
    let mut out = String::new();
    for r in RULES {
        out.push_str(&format!(
            "{:<7} {:<30} {:<8} {}\n",
            r.code,
            r.name,
            r.level.as_str(),
            r.summary
        ));
    }
    out
}

fn meta_json(r: &RuleMeta, with_page: bool) -> serde_json::Value {
    let mut v = serde_json::json!({
        "code": r.code.as_str(),
        "name": r.name,
        "level": r.level.as_str(),
        "category": r.category,
        "since": r.since,
        "summary": r.summary,
        "help_uri": help_uri(r),
    });
    if with_page {
        v["page"] = serde_json::Value::String(body(r).to_string());
    }
    v
}

/// `eks-lint rule --all --format json` (and one rule with `--format json`).
pub fn list_json() -> String {
    let rules: Vec<_> = RULES.iter().map(|r| meta_json(r, true)).collect();
    serde_json::to_string_pretty(&serde_json::json!({ "version": 1, "rules": rules }))
        .unwrap_or_default()
}

pub fn rule_json(r: &RuleMeta) -> String {
    serde_json::to_string_pretty(&meta_json(r, true)).unwrap_or_default()
}

/// The Markdown rule table of the README (between the `rules:start/end` markers).
pub fn readme_table() -> String {
    let mut out = String::from("| Code | Name | Level | What it finds |\n|---|---|---|---|\n");
    for r in RULES {
        out.push_str(&format!(
            "| [{}](rules/{}) | `{}` | {} | {} |\n",
            r.code, r.file, r.name, r.level, r.summary
        ));
    }
    out
}

pub const README_START: &str = "<!-- rules:start -->";
pub const README_END: &str = "<!-- rules:end -->";

/// Replace the table between the markers of a README text; None when the markers are missing.
pub fn update_readme(readme: &str) -> Option<String> {
    let start = readme.find(README_START)? + README_START.len();
    let end = readme[start..].find(README_END)? + start;
    Some(format!(
        "{}\n{}{}",
        &readme[..start],
        readme_table(),
        &readme[end..]
    ))
}

/// Run `eks-lint rule`: the page of one rule (code or name), or the list with `all`.
/// Err is a usage error (exit 2).
pub fn rule_command(rule: Option<&str>, all: bool, json: bool) -> Result<String, String> {
    if all {
        return Ok(if json { list_json() } else { render_list() });
    }
    let q = rule.ok_or_else(|| "give a rule code or name, or --all".to_string())?;
    let m = q.parse::<Code>().map_err(|e| e.to_string())?.meta();
    Ok(if json { rule_json(m) } else { render_page(m) })
}
