//! The examples of a rule page, made runnable. Each fenced `hcl` or `yaml` block of a page's
//! `## Example` section is an example, labelled by the last line before it that starts with
//! `Failing` or `Fixed`: the failing one must produce the page's rule, the fixed one must not
//! (`tests/rule_pages.rs` runs them).
//!
//! A block may be a fragment: the page then holds what it needs to run in HTML comments,
//! which GitHub does not show and `build.rs` strips from the page everyone else reads:
//!
//! - `<!-- example-context hcl` (or `yaml`) up to a line ending in `-->`: a whole input file
//!   with one line `{{example}}` where the following blocks of that language go (their lines
//!   indented like that line). It applies until the next context of its language.
//! - `<!-- example-file NAME` up to `-->`: a file written next to the next block's input (an
//!   `eks-lint.toml`, say).
//! - `<!-- example-skip REASON -->`: the next block is shown but not run (the tool cannot
//!   check what it shows); the reason says why.

use super::meta::RuleMeta;

/// The line of a context that the block replaces.
pub const SLOT: &str = "{{example}}";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// Labelled `Failing`: the page's rule must fire. Otherwise `Fixed`: it must not.
    pub failing: bool,
    /// The label line, e.g. `Failing (Terraform): three /22 subnets`.
    pub label: &'static str,
    /// `hcl` or `yaml`.
    pub lang: &'static str,
    /// 1-based line of the block's opening fence in the page file.
    pub line: usize,
    /// The input file to check: (name, text).
    pub input: (&'static str, String),
    /// Other files next to it (from `example-file`).
    pub files: Vec<(String, String)>,
}

/// The examples of a page, in order; Err names the first malformed one.
pub fn examples(meta: &RuleMeta) -> Result<Vec<Example>, String> {
    let mut out = Vec::new();
    let mut contexts: Vec<(&'static str, String)> = Vec::new();
    let mut files = Vec::new();
    let mut label: Option<&'static str> = None;
    let mut skip = false;
    let mut in_section = false;
    let mut lines = meta.page.lines().enumerate();
    let at = |i: usize| format!("{}:{}", meta.file, i + 1);
    while let Some((i, line)) = lines.next() {
        if let Some(h) = line.strip_prefix("## ") {
            in_section = h.trim() == "Example";
            continue;
        }
        if !in_section {
            continue;
        }
        if let Some(reason) = line.strip_prefix("<!-- example-skip ") {
            let reason = reason.trim_end().strip_suffix("-->").map(str::trim);
            if !matches!(reason, Some(r) if !r.is_empty()) {
                return Err(format!("{}: example-skip needs a reason and `-->`", at(i)));
            }
            skip = true;
        } else if let Some(head) = line.strip_prefix("<!-- example-") {
            let (kind, arg) = head.trim().split_once(' ').unwrap_or((head.trim(), ""));
            let mut text = String::new();
            loop {
                let Some((_, l)) = lines.next() else {
                    return Err(format!("{}: unclosed <!-- example-{kind}", at(i)));
                };
                if let Some(last) = l.trim_end().strip_suffix("-->") {
                    text.push_str(last);
                    break;
                }
                text.push_str(l);
                text.push('\n');
            }
            match kind {
                "context" if matches!(arg, "hcl" | "yaml") => {
                    if text.lines().filter(|l| l.trim() == SLOT).count() != 1 {
                        return Err(format!("{}: a context needs one {SLOT} line", at(i)));
                    }
                    contexts.retain(|(l, _)| *l != arg);
                    contexts.push((arg, text));
                }
                "file" if !arg.is_empty() && !arg.contains(['/', '\\']) => {
                    files.push((arg.to_string(), text));
                }
                _ => return Err(format!("{}: unknown <!-- example-{kind} {arg}", at(i))),
            }
        } else if line.starts_with("Failing") || line.starts_with("Fixed") {
            label = Some(line);
        } else if let Some(fence) = line.strip_prefix("```") {
            let mut block = String::new();
            for (_, l) in lines.by_ref() {
                if l.starts_with("```") {
                    break;
                }
                block.push_str(l);
                block.push('\n');
            }
            let lang = match fence.trim() {
                "hcl" => "hcl",
                "yaml" => "yaml",
                _ => continue,
            };
            if std::mem::take(&mut skip) {
                label = None;
                files.clear();
                continue;
            }
            let label = label.take().ok_or_else(|| {
                format!("{}: a {lang} block without a Failing/Fixed label", at(i))
            })?;
            let text = match contexts.iter().find(|(l, _)| *l == lang) {
                Some((_, ctx)) => fill(ctx, &block),
                None => block,
            };
            let name = if lang == "hcl" {
                "main.tf"
            } else {
                "cluster.yaml"
            };
            out.push(Example {
                failing: label.starts_with("Failing"),
                label,
                lang,
                line: i + 1,
                input: (name, text),
                files: std::mem::take(&mut files),
            });
        }
    }
    Ok(out)
}

/// `ctx` with its slot line replaced by `block`, indented like the slot.
fn fill(ctx: &str, block: &str) -> String {
    let mut out = String::with_capacity(ctx.len() + block.len());
    for line in ctx.lines() {
        if line.trim() == SLOT {
            let indent = &line[..line.len() - line.trim_start().len()];
            for b in block.lines() {
                if !b.is_empty() {
                    out.push_str(indent);
                }
                out.push_str(b);
                out.push('\n');
            }
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}
