//! Suppression comments: `# eks-lint: ignore[EKS101] reason` (also `//` and `/* */` in HCL)
//! on the reported line or on the line before the block that contains it, and
//! `# eks-lint: ignore-file[EKS201]` at the top of a file; optional `until=YYYY-MM-DD`.
//! Unused, expired or unknown ones are reported as EKS902.

use crate::code::Code;
use crate::diag::Diagnostic;
use crate::source::{FileId, SourceFile, SourceMap, Span};
use std::collections::{HashMap, HashSet};

mod index;
mod selector;

use selector::matches;
pub use selector::Suppression;

const DIRECTIVE: &str = "eks-lint:";

/// Today's UTC date from the system clock (no calendar crate needed).
pub fn today_utc() -> (i32, u32, u32) {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_from_days((secs / 86_400) as i64)
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = (yoe + era * 400 + i64::from(m <= 2)) as i32;
    (y, m, d)
}

fn parse_date(s: &str) -> Option<(i32, u32, u32)> {
    let mut it = s.splitn(3, '-');
    let y: i32 = it.next()?.parse().ok()?;
    let m: u32 = it.next()?.parse().ok()?;
    let d: u32 = it.next()?.parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d) && s.len() == 10).then_some((y, m, d))
}

/// Where a comment starts on a line, if `eks-lint:` is inside one.
fn comment_start(line: &str, at: usize) -> Option<usize> {
    let before = &line[..at];
    ["#", "//", "/*"]
        .iter()
        .filter_map(|m| before.find(m))
        .min()
}

fn is_yaml(f: &SourceFile) -> bool {
    let d = f.display.to_ascii_lowercase();
    d.ends_with(".yaml") || d.ends_with(".yml")
}

fn is_comment_or_blank(line: &str) -> bool {
    let t = line.trim_start();
    t.is_empty() || t.starts_with('#') || t.starts_with("//") || t.starts_with("/*")
}

/// Net `{`/`[`/`(` opened on a line, outside strings and comments.
fn brace_delta(line: &str) -> i64 {
    let mut depth = 0i64;
    let mut in_str = false;
    let mut esc = false;
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if in_str {
            if esc {
                esc = false;
            } else if c == b'\\' {
                esc = true;
            } else if c == b'"' {
                in_str = false;
            }
        } else {
            match c {
                b'"' => in_str = true,
                b'#' => break,
                b'/' if b.get(i + 1) == Some(&b'/') => break,
                b'{' | b'[' | b'(' => depth += 1,
                b'}' | b']' | b')' => depth -= 1,
                _ => {}
            }
        }
        i += 1;
    }
    depth
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t']).len()
}

/// The last line of the block that starts on each of `starts` (1-based, ascending, distinct
/// lines that are not comments or blank): braces in HCL, indentation in YAML. One pass over the file with a stack of the blocks still
/// open, so 100 000 comments cost one scan, not one each.
fn block_ends(f: &SourceFile, starts: &[u32]) -> Vec<u32> {
    let n = f.line_count();
    let mut ends = vec![0; starts.len()];
    // (index in `starts`, what closes the block): the depth before its first line in HCL, its
    // indentation in YAML. Thresholds increase towards the top.
    let mut open: Vec<(usize, i64)> = Vec::new();
    let mut next = 0;
    let yaml = is_yaml(f);
    let mut depth = 0i64;
    let mut last_content = 0;
    for l in 1..=n {
        if next == starts.len() && open.is_empty() {
            break;
        }
        let text = f.line_text(l);
        let starts_here = starts.get(next) == Some(&l);
        if yaml {
            // A list item's content is indented past its dash: `- name: x` / `  instanceType: …`.
            if text.trim().is_empty() || text.trim_start().starts_with('#') {
                continue;
            }
            let ind = indent(text) as i64;
            while let Some(&(i, base)) = open.last() {
                if base < ind {
                    break;
                }
                open.pop();
                ends[i] = last_content;
            }
            last_content = l;
            if starts_here {
                open.push((next, ind));
                next += 1;
            }
        } else {
            let before = depth;
            depth += brace_delta(text);
            while let Some(&(i, at)) = open.last() {
                if at < depth {
                    break;
                }
                open.pop();
                ends[i] = l;
            }
            if starts_here {
                if depth > before {
                    open.push((next, before));
                } else {
                    ends[next] = l;
                }
                next += 1;
            }
        }
    }
    // Blocks still open run to the end of the file (HCL) or to their last content (YAML).
    for (i, _) in open {
        ends[i] = if yaml { last_content } else { n };
    }
    ends
}

/// Every suppression comment of one file (tests; the run uses [`parse_into`]).
#[cfg(test)]
pub fn parse_file(id: FileId, f: &SourceFile) -> Vec<Suppression> {
    let mut out = Vec::new();
    parse_into(id, f, &mut out);
    out
}

/// [`parse_file`], appending to `out` (one vector for every file of a run).
fn parse_into(id: FileId, f: &SourceFile, out: &mut Vec<Suppression>) {
    if !f.text.contains(DIRECTIVE) {
        return;
    }
    let first = out.len();
    let mut in_header = true;
    // Comments above a block wait for the next line that is not a comment or blank: the
    // block's first line. (suppression, index in `starts`).
    let mut waiting: Vec<usize> = Vec::new();
    let mut above: Vec<(usize, usize)> = Vec::new();
    let mut starts: Vec<u32> = Vec::new();
    for ln in 1..=f.line_count() {
        let line = f.line_text(ln);
        if !waiting.is_empty() && !is_comment_or_blank(line) {
            above.extend(waiting.drain(..).map(|i| (i, starts.len())));
            starts.push(ln);
        }
        let Some(at) = line.find(DIRECTIVE) else {
            if !is_comment_or_blank(line) {
                in_header = false;
            }
            continue;
        };
        let Some(cstart) = comment_start(line, at) else {
            in_header = false;
            continue;
        };
        let trailing = !line[..cstart].trim().is_empty();
        let rest = line[at + DIRECTIVE.len()..].trim_start();
        let (file_wide, rest) = if let Some(r) = rest.strip_prefix("ignore-file") {
            (true, r)
        } else if let Some(r) = rest.strip_prefix("ignore") {
            (false, r)
        } else {
            continue;
        };
        // `ignored`, `ignore-me`: not a directive.
        if rest.starts_with(|c: char| c.is_alphanumeric() || c == '-' || c == '_') {
            continue;
        }
        // A directive without a closed `[…]` list suppresses nothing; keep it (with no rules)
        // so EKS902 tells the author instead of silently ignoring it.
        let (inside, after) = rest
            .strip_prefix('[')
            .and_then(|r| r.split_once(']'))
            .unwrap_or(("", rest));
        let selectors: Vec<String> = inside
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        let after = after.trim().trim_end_matches("*/").trim();
        let mut until = None;
        let mut bad_until = None;
        let mut reason = Vec::new();
        for word in after.split_whitespace() {
            match word.strip_prefix("until=") {
                Some(d) => match parse_date(d) {
                    Some(x) => until = Some(x),
                    None => bad_until = Some(d.to_string()),
                },
                None => reason.push(word),
            }
        }
        let start = f.line_start(ln).unwrap_or(0) + at;
        let end = f.line_start(ln).unwrap_or(0) + line.len();
        // Above a block: the block's lines are filled in below; with no code after the
        // comment it covers its own line.
        let lines = if file_wide {
            (1, f.line_count())
        } else {
            (ln, ln)
        };
        if !file_wide && !trailing {
            waiting.push(out.len() - first);
        }
        out.push(Suppression {
            file: id,
            span: Span::new(id, start, end),
            selectors,
            reason: reason.join(" "),
            until,
            bad_until,
            file_wide,
            misplaced: file_wide && !in_header,
            lines,
        });
        if trailing {
            in_header = false;
        }
    }
    let ends = block_ends(f, &starts);
    for (i, b) in above {
        out[first + i].lines.1 = ends[b];
    }
}

/// Remove suppressed findings and report EKS902 for suppressions that did nothing.
/// `enabled` says which rules ran (a suppression of a disabled rule is not "unused").
pub fn apply(
    diags: Vec<Diagnostic>,
    sources: &SourceMap,
    today: (i32, u32, u32),
    enabled: &dyn Fn(FileId, Code) -> bool,
) -> Vec<Diagnostic> {
    let mut sups: Vec<Suppression> = Vec::new();
    for (id, f) in sources.files() {
        parse_into(id, f, &mut sups);
    }
    if sups.is_empty() {
        return diags;
    }
    let active = |s: &Suppression| {
        s.until.is_none_or(|u| u >= today) && s.bad_until.is_none() && !s.misplaced
    };
    // The finding's own line, and the first line of its entity's block.
    let mut codes = index::Codes::default();
    let mut spots = Vec::new();
    for (k, d) in diags.iter().enumerate() {
        if d.code == Code::EKS902 {
            continue;
        }
        let code = d.code.index();
        for sp in std::iter::once(d.span).chain(d.entity) {
            let line = sources.get(sp.file).line_of(sp.start);
            spots.push(index::Spot {
                file: sp.file,
                line,
                finding: k,
                code,
            });
        }
    }
    let found = index::first_matches(&sups, &active, &spots, diags.len(), &mut codes);
    // (i, j): selector j of suppression i matched a finding.
    let mut used: HashSet<(usize, usize)> = HashSet::new();
    // The selector that matched, once per suppression and code.
    let mut which: HashMap<(usize, Code), usize> = HashMap::new();
    let mut kept = Vec::with_capacity(diags.len());
    for (d, f) in diags.into_iter().zip(found) {
        let Some(i) = f else {
            kept.push(d);
            continue;
        };
        let j = *which.entry((i, d.code)).or_insert_with(|| {
            sups[i]
                .selectors
                .iter()
                .position(|x| matches(x, d.code))
                .unwrap_or(0)
        });
        used.insert((i, j));
    }
    let level = Code::EKS902.meta().level;
    let mut valid: HashMap<&str, bool> = HashMap::new();
    for (i, s) in sups.iter().enumerate() {
        let kind = if s.file_wide { "ignore-file" } else { "ignore" };
        let mut report = |msg: String, key: &str| {
            kept.push(
                Diagnostic::new(Code::EKS902, level, s.span, msg)
                    .with_key(format!("{}:{}:{key}", sources.get(s.file).display, kind))
                    .with_help("remove the suppression or correct it"),
            );
        };
        if s.selectors.is_empty() {
            report(
                format!("`eks-lint: {kind}` needs the rules to suppress in brackets, e.g. `eks-lint: {kind}[EKS101] reason`"),
                "empty",
            );
            continue;
        }
        if s.misplaced {
            report(
                "`eks-lint: ignore-file[…]` only works in the comments at the top of a file, before any code".to_string(),
                "misplaced",
            );
            continue;
        }
        if let Some(b) = &s.bad_until {
            report(
                format!("`until={b}` is not a date (YYYY-MM-DD); the suppression does not apply"),
                "until",
            );
            continue;
        }
        if let Some((y, m, d)) = s.until.filter(|u| *u < today) {
            report(
                format!(
                    "suppression of {} expired on {y:04}-{m:02}-{d:02} and no longer applies",
                    crate::rules::list::capped(s.selectors.iter())
                ),
                "expired",
            );
            continue;
        }
        for (j, sel) in s.selectors.iter().enumerate() {
            let valid = *valid
                .entry(sel.as_str())
                .or_insert_with(|| crate::settings::valid_selector(sel));
            if !valid {
                report(format!("`{sel}` is not an eks-lint rule code or name"), sel);
            } else if !used.contains(&(i, j))
                && codes
                    .matched(sel)
                    .iter()
                    .any(|&c| enabled(s.file, Code::ALL[c]))
            {
                report(format!("suppression of `{sel}` matched no finding"), sel);
            }
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Level;

    fn map(name: &str, text: &str) -> SourceMap {
        let mut m = SourceMap::new();
        m.add(SourceFile::new(name.into(), name.into(), text));
        m
    }

    fn diag_at(m: &SourceMap, code: Code, needle: &str) -> Diagnostic {
        let f = m.get(FileId(0));
        let at = f.text.find(needle).unwrap();
        Diagnostic::new(
            code,
            Level::Error,
            Span::new(FileId(0), at, at + needle.len()),
            "x",
        )
    }

    const TODAY: (i32, u32, u32) = (2026, 11, 23);

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_415), (2025, 11, 23));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }

    #[test]
    fn above_a_yaml_node_group_silences_only_the_named_rule_there() {
        let m = map(
            "c.yaml",
            "managedNodeGroups:\n  # eks-lint: ignore[EKS201] tooling nodes\n  - name: tiny\n    instanceType: t3.micro\n    maxSize: 3\n  - name: other\n    instanceType: t3.nano\n",
        );
        let ds = vec![
            diag_at(&m, Code::EKS201, "t3.micro"),
            diag_at(&m, Code::EKS101, "maxSize: 3"),
            diag_at(&m, Code::EKS201, "t3.nano"),
        ];
        let out = apply(ds, &m, TODAY, &|_, _| true);
        let codes: Vec<_> = out.iter().map(|d| d.code).collect();
        assert_eq!(codes, vec![Code::EKS101, Code::EKS201]);
        assert!(out[1].span.start > out[0].span.start);
    }

    #[test]
    fn above_an_hcl_block_and_trailing_forms() {
        let m = map(
            "main.tf",
            "// eks-lint: ignore[subnet-exhaustion]\nresource \"aws_eks_node_group\" \"a\" {\n  scaling_config {\n    max_size = 80\n  }\n}\nresource \"x\" \"y\" {\n  max_size = 90 /* eks-lint: ignore[EKS102] until=2099-01-01 */\n  other = 1\n}\n",
        );
        let ds = vec![
            diag_at(&m, Code::EKS101, "max_size = 80"),
            diag_at(&m, Code::EKS102, "max_size = 90"),
            diag_at(&m, Code::EKS101, "max_size = 90"),
        ];
        let out = apply(ds, &m, TODAY, &|_, _| true);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].code, Code::EKS101);
    }

    #[test]
    fn expired_unknown_and_unused_report_eks902() {
        let m = map(
            "main.tf",
            "# eks-lint: ignore-file[EKS404]\n# eks-lint: ignore[EKS101] until=2020-01-01\nresource \"a\" \"b\" {\n  max_size = 80 # eks-lint: ignore[EKS999, EKS201]\n}\n",
        );
        let ds = vec![diag_at(&m, Code::EKS101, "max_size = 80")];
        let out = apply(ds, &m, TODAY, &|_, _| true);
        let msgs: Vec<_> = out
            .iter()
            .filter(|d| d.code == Code::EKS902)
            .map(|d| d.message.clone())
            .collect();
        assert_eq!(msgs.len(), 4, "{msgs:?}");
        assert!(
            out.iter().any(|d| d.code == Code::EKS101),
            "expired: finding stays"
        );
        assert!(msgs.iter().any(|m| m.contains("expired on 2020-01-01")));
        assert!(msgs.iter().any(|m| m.contains("EKS999")));
        assert!(msgs
            .iter()
            .any(|m| m.contains("`EKS201` matched no finding")));
        assert!(msgs
            .iter()
            .any(|m| m.contains("`EKS404` matched no finding")));
        // A disabled rule's suppression is not unused.
        let out = apply(Vec::new(), &m, TODAY, &|_, c| {
            c != Code::EKS404 && c != Code::EKS201
        });
        assert!(!out.iter().any(|d| d.message.contains("EKS404")));
    }

    #[test]
    fn entity_block_counts_when_the_value_comes_from_elsewhere() {
        let m = map(
            "main.tf",
            "variable \"max\" {\n  default = 80\n}\n# eks-lint: ignore[EKS101]\nresource \"aws_eks_node_group\" \"a\" {\n  max_size = var.max\n}\n",
        );
        let mut d = diag_at(&m, Code::EKS101, "default = 80");
        assert_eq!(
            apply(vec![d.clone()], &m, TODAY, &|_, _| true).len(),
            2,
            "not yet"
        );
        let f = m.get(FileId(0));
        let at = f.text.find("resource").unwrap();
        d.entity = Some(Span::new(FileId(0), at, at + 8));
        assert!(apply(vec![d], &m, TODAY, &|_, _| true).is_empty());
    }

    #[test]
    fn bare_directive_suppresses_nothing_and_says_so() {
        let m = map(
            "main.tf",
            "resource \"a\" \"b\" {\n  max_size = 80 # eks-lint: ignore\n}\n",
        );
        let out = apply(
            vec![diag_at(&m, Code::EKS101, "max_size")],
            &m,
            TODAY,
            &|_, _| true,
        );
        assert_eq!(out.len(), 2);
        assert!(out
            .iter()
            .any(|d| d.code == Code::EKS902 && d.message.contains("in brackets")));
    }

    #[test]
    fn file_wide_suppression_at_the_top() {
        let m = map(
            "c.yaml",
            "# eks-lint: ignore-file[EKS201] lab cluster\napiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\n",
        );
        let out = apply(
            vec![diag_at(&m, Code::EKS201, "kind")],
            &m,
            TODAY,
            &|_, _| true,
        );
        assert!(out.is_empty(), "{out:?}");
    }

    #[test]
    fn odd_comments_never_panic() {
        let nasty = [
            "# eks-lint:",
            "# eks-lint: ignore",
            "# eks-lint: ignore[",
            "# eks-lint: ignore[EKS101",
            "# eks-lint: ignore[]",
            "é𝄞 # eks-lint: ignore[EKS101] until=2026-02-30",
            "/* eks-lint: ignore-file[EKS1] */ x = 1",
            "x = \"# eks-lint: ignore[EKS101]\" {",
            "  - # eks-lint: ignore[EKS101] until=9999-99-99\n",
            "{{{{ # eks-lint: ignore[EKS101]\n}",
            "# eks-lint: ignore[EKS101]",
        ];
        for (i, text) in nasty.iter().enumerate() {
            for name in ["a.tf", "a.yaml"] {
                let m = map(name, text);
                let d =
                    Diagnostic::new(Code::EKS101, Level::Error, Span::new(FileId(0), 0, 1), "x");
                let _ = apply(vec![d], &m, TODAY, &|_, _| true);
                let _ = parse_file(FileId(0), m.get(FileId(0)));
                let _ = i;
            }
        }
    }

    /// The scan from each start line that `block_ends` replaces.
    fn slow_block_end(f: &SourceFile, start: u32) -> u32 {
        let n = f.line_count();
        let first = f.line_text(start);
        if is_yaml(f) {
            let base = indent(first);
            let mut end = start;
            for l in start + 1..=n {
                let t = f.line_text(l);
                if t.trim().is_empty() || t.trim_start().starts_with('#') {
                    continue;
                }
                if indent(t) <= base {
                    break;
                }
                end = l;
            }
            end
        } else {
            let mut depth = brace_delta(first);
            if depth <= 0 {
                return start;
            }
            for l in start + 1..=n {
                depth += brace_delta(f.line_text(l));
                if depth <= 0 {
                    return l;
                }
            }
            n
        }
    }

    /// Pseudo-random lines of braces, comments, strings and indentation.
    fn random_text(seed: u32, yaml: bool) -> String {
        let mut x = seed;
        let pieces: &[&str] = if yaml {
            &[
                "- name: a",
                "x: 1",
                "# eks-lint: ignore[EKS101]",
                "",
                "y:",
                "  # c",
            ]
        } else {
            &[
                "a {",
                "}",
                "b = [",
                "]",
                "x = 1 # {",
                "} {",
                "s = \"{\"",
                "# eks-lint: ignore[ALL]",
                "",
                "{{",
                "}}}",
            ]
        };
        (0..120)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                let p = pieces[(x >> 16) as usize % pieces.len()];
                let ind = if yaml { (x >> 8) as usize % 4 * 2 } else { 0 };
                format!("{}{p}\n", " ".repeat(ind))
            })
            .collect()
    }

    #[test]
    fn block_ends_match_the_scan_from_each_line() {
        for seed in 0..30 {
            for name in ["a.tf", "a.yaml"] {
                let m = map(name, &random_text(seed, name.ends_with("yaml")));
                let f = m.get(FileId(0));
                // Blocks start on lines of code, as `parse_file` picks them.
                let starts: Vec<u32> = (1..=f.line_count())
                    .filter(|&l| l % 3 != 0 && !is_comment_or_blank(f.line_text(l)))
                    .collect();
                let ends = block_ends(f, &starts);
                for (s, e) in starts.iter().zip(ends) {
                    assert_eq!(e, slow_block_end(f, *s), "{name} seed {seed} line {s}");
                }
            }
        }
    }

    #[test]
    fn index_finds_the_first_matching_suppression_like_the_scan() {
        let sels = ["EKS101", "EKS1", "ALL", "subnet-headroom", "EKS404", "EKS9"];
        let codes = [
            Code::EKS101,
            Code::EKS102,
            Code::EKS404,
            Code::EKS901,
            Code::EKS201,
        ];
        for seed in 0..20u32 {
            let mut x = seed + 1;
            let mut rnd = |n: u32| {
                x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (x >> 8) % n
            };
            let mut text = String::new();
            for l in 0..150 {
                text.push_str(&match rnd(6) {
                    0 => format!(
                        "# eks-lint: ignore[{}, {}]\n",
                        sels[rnd(6) as usize],
                        sels[rnd(6) as usize]
                    ),
                    1 => format!("x{l} = 1 # eks-lint: ignore[{}]\n", sels[rnd(6) as usize]),
                    2 => "r \"a\" \"b\" {\n".to_string(),
                    3 => "}\n".to_string(),
                    4 => "# eks-lint: ignore[EKS102] until=2000-01-01\n".to_string(),
                    _ => format!("y{l} = 2\n"),
                });
            }
            let m = map("main.tf", &text);
            let f = m.get(FileId(0));
            let sups = parse_file(FileId(0), f);
            // Above a block: from the comment to the end of the next code line's block.
            for s in sups.iter().filter(|s| !s.file_wide) {
                let ln = f.line_of(s.span.start);
                let trailing = !f.line_text(ln).trim_start().starts_with('#');
                let next =
                    (ln + 1..=f.line_count()).find(|&l| !is_comment_or_blank(f.line_text(l)));
                let want = match next {
                    Some(n) if !trailing => (ln, slow_block_end(f, n)),
                    _ => (ln, ln),
                };
                assert_eq!(s.lines, want, "seed {seed}, line {ln}");
            }
            let active = |s: &Suppression| s.until.is_none_or(|u| u >= TODAY);
            let diags: Vec<(Code, u32, Option<u32>)> = (0..300)
                .map(|_| {
                    let entity = (rnd(2) == 0).then(|| 1 + rnd(f.line_count()));
                    (codes[rnd(5) as usize], 1 + rnd(f.line_count()), entity)
                })
                .collect();
            let mut c = index::Codes::default();
            let spots: Vec<index::Spot> = diags
                .iter()
                .enumerate()
                .flat_map(|(k, d)| {
                    let code = d.0.index();
                    std::iter::once(d.1)
                        .chain(d.2)
                        .map(move |line| index::Spot {
                            file: FileId(0),
                            line,
                            finding: k,
                            code,
                        })
                })
                .collect();
            let got = index::first_matches(&sups, &active, &spots, diags.len(), &mut c);
            for (k, d) in diags.iter().enumerate() {
                let want = sups.iter().position(|s| {
                    let inside = std::iter::once(d.1)
                        .chain(d.2)
                        .any(|l| l >= s.lines.0 && l <= s.lines.1);
                    inside && active(s) && s.selectors.iter().any(|x| matches(x, d.0))
                });
                assert_eq!(got[k], want, "seed {seed}, finding {d:?}");
            }
            assert!(got.iter().any(Option::is_some) && got.iter().any(Option::is_none));
        }
    }
}
