//! Output invariants (issue 12) over fuzzed text and fuzzed file names: every format is
//! rendered and checked. Terminal formats (human with and without colour, concise, markdown,
//! junit, capacity) hold no raw control character but line ends and the theme's own colour
//! codes; markdown holds no raw HTML but its own `<br>`; JUnit is well-formed XML; JSON and
//! SARIF parse; github output is one well-formed workflow command per line; any format made
//! inert for an Actions log starts no command.
//!
//! Input: a selector byte (`.tf`, `.tf.json` or `.yaml`), then `NAME\0TEXT` (no NUL: the
//! whole input is the text of `main`).
#![no_main]
#[path = "common.rs"]
mod common;

use eks_lint::cli::Format;
use eks_lint::render::{self, escape, Options};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let Ok(all) = std::str::from_utf8(rest) else {
        return;
    };
    let (stem, text) = all.split_once('\0').unwrap_or(("main", all));
    let ext = [".tf", ".tf.json", ".yaml"][usize::from(sel % 3)];
    let name = format!("{stem}{ext}");
    let report = common::analyze(&[(&name, text.to_string())], &Default::default());
    for color in [false, true] {
        let opts = Options {
            color,
            statistics: true,
            ..Options::default()
        };
        for f in common::FORMATS {
            let out = render::render(f, &report, &opts);
            check(f, &out);
            // What stdout gets in an Actions log.
            let shown = match f {
                Format::Github => std::borrow::Cow::Borrowed(out.as_str()),
                Format::Json | Format::Sarif => {
                    let s = escape::workflow_inert(&out, escape::Inert::JSON);
                    serde_json::from_str::<serde_json::Value>(&s).expect("inert JSON parses");
                    s
                }
                Format::Junit => {
                    let s = escape::workflow_inert(&out, escape::Inert::XML);
                    roxmltree::Document::parse(&s).expect("inert JUnit parses");
                    s
                }
                _ => escape::workflow_inert(&out, escape::Inert::TEXT),
            };
            for line in shown.split(['\n', '\r']) {
                if f != Format::Github {
                    assert!(!line.trim_start().starts_with("::"), "{f:?}: {line:?}");
                }
                assert!(
                    f == Format::Github || !line.contains("##["),
                    "{f:?}: {line:?}"
                );
            }
        }
    }
    let doc = render::capacity::build(&report, &Default::default());
    no_raw_controls("capacity", &render::capacity::render_human(&doc));
    no_raw_controls("capacity markdown", &render::capacity::render_markdown(&doc));
    let json = render::capacity::render_json(&doc);
    serde_json::from_str::<serde_json::Value>(&json).expect("capacity JSON parses");
});

fn check(f: Format, out: &str) {
    match f {
        Format::Human => no_raw_controls("human", &strip_sgr(out)),
        Format::Concise => no_raw_controls("concise", out),
        Format::Markdown => {
            no_raw_controls("markdown", out);
            // Code spans show text literally; outside them the only HTML is `<br>`.
            let text = outside_code_spans(out);
            assert_eq!(
                text.matches('<').count(),
                text.matches("<br>").count(),
                "raw HTML in markdown: {out}"
            );
        }
        Format::Junit => {
            no_raw_controls("junit", out);
            if let Err(e) = roxmltree::Document::parse(out) {
                panic!("JUnit is not well-formed XML ({e}):\n{out}");
            }
        }
        Format::Json | Format::Sarif => {
            no_raw_controls("json", out);
            serde_json::from_str::<serde_json::Value>(out).expect("JSON parses");
        }
        Format::Github => {
            assert!(!out.contains('\r'), "raw CR in github output: {out:?}");
            for line in out.lines() {
                let (head, data) = line
                    .strip_prefix("::")
                    .and_then(|l| l.split_once("::"))
                    .unwrap_or_else(|| panic!("not a workflow command: {line:?}"));
                let name = head.split(' ').next().unwrap_or("");
                assert!(
                    matches!(name, "error" | "warning" | "notice"),
                    "{line:?}"
                );
                // Properties: key=value pairs, the values escaped (no `,` or `:` inside).
                if let Some((_, props)) = head.split_once(' ') {
                    for p in props.split(',') {
                        let (k, v) = p.split_once('=').unwrap_or_else(|| panic!("{line:?}"));
                        assert!(k.chars().all(|c| c.is_ascii_alphabetic()), "{line:?}");
                        assert!(!v.contains(':'), "{line:?}");
                    }
                }
                no_raw_controls("github data", data);
            }
        }
    }
}

/// No character a terminal acts on, but line ends (and tabs).
fn no_raw_controls(what: &str, out: &str) {
    if let Some(c) = out
        .chars()
        .find(|&c| escape::is_unsafe_for_terminal(c) && c != '\n')
    {
        panic!("{what}: raw {c:?} in output:\n{out:?}");
    }
}

/// Remove the colour theme's SGR sequences (`ESC [ digits ; ... m`), and nothing else.
fn strip_sgr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('\u{1b}') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let params = after
            .strip_prefix('[')
            .map(|p| p.len() - p.trim_start_matches(|c: char| c.is_ascii_digit() || c == ';').len());
        match params {
            Some(n) if after[1 + n..].starts_with('m') => rest = &after[2 + n..],
            // Not an SGR sequence: keep the ESC, so the check finds it.
            _ => {
                out.push('\u{1b}');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Markdown without its code spans (a run of N backticks up to the next run of exactly N;
/// backslash escapes are skipped).
fn outside_code_spans(md: &str) -> String {
    let b = md.as_bytes();
    let run = |i: usize| b[i..].iter().take_while(|&&c| c == b'`').count();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' if i + 1 < b.len() => {
                out.extend_from_slice(&b[i..i + 2]);
                i += 2;
            }
            b'`' => {
                let n = run(i);
                let mut j = i + n;
                let close = loop {
                    if j >= b.len() {
                        break None;
                    }
                    if b[j] == b'`' {
                        let m = run(j);
                        if m == n {
                            break Some(j + m);
                        }
                        j += m;
                    } else {
                        j += 1;
                    }
                };
                match close {
                    Some(end) => i = end,
                    None => {
                        out.extend_from_slice(&b[i..i + n]);
                        i += n;
                    }
                }
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
