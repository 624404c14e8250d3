//! Parsing `*.tf` (hcl-edit, spans kept) and `*.tf.json` (serde_json, translated to the same
//! syntax tree so the evaluator has one input type).

use crate::code::Code;
use crate::diag::{Diagnostic, Level};
use crate::source::{FileId, SourceFile, Span};
use hcl_edit::structure::Body;
use std::fmt::Write as _;
use std::ops::Range;

pub(crate) mod json_pos;
mod objects;

use json_pos::Pos;

/// How byte ranges of a parsed tree map back to the file.
#[derive(Debug)]
pub enum SpanMap {
    /// The tree was parsed from the file itself.
    Direct,
    /// The tree was parsed from text generated from JSON: `(generated offset, file offset,
    /// file length)` anchors, sorted by generated offset; a range maps to the anchor at or
    /// before its start (a key or string of the JSON file).
    Anchors(Vec<(u32, u32, u32)>),
    /// The tree comes from text outside the scan (e.g. a `templatefile` template): every
    /// range maps to one span of the scan.
    Fixed(Span),
}

impl SpanMap {
    pub fn map(&self, file: FileId, range: Option<Range<usize>>, fallback: Span) -> Span {
        let Some(r) = range else { return fallback };
        match self {
            SpanMap::Direct => Span::new(file, r.start, r.end),
            SpanMap::Anchors(a) => {
                let i = a.partition_point(|(g, _, _)| (*g as usize) <= r.start);
                match i.checked_sub(1).and_then(|i| a.get(i)) {
                    Some(&(_, o, l)) => Span::new(file, o as usize, (o + l) as usize),
                    None => fallback,
                }
            }
            SpanMap::Fixed(s) => *s,
        }
    }
}

/// One parsed Terraform file.
#[derive(Debug)]
pub struct ParsedFile {
    pub file: FileId,
    pub body: Body,
    pub spans: SpanMap,
}

/// Parse a `.tf` or `.tf.json` file; a syntax error is an EKS903 diagnostic at its position.
/// At most `max_key_pairs` pairs of object keys are compared (`parse_hcl_body`).
pub fn parse_file(
    id: FileId,
    src: &SourceFile,
    max_key_pairs: u64,
) -> Result<ParsedFile, Box<Diagnostic>> {
    if src.display.ends_with(".json") {
        parse_json(id, src, max_key_pairs)
    } else {
        match parse_hcl_body(&src.text, max_key_pairs) {
            Ok(body) => Ok(ParsedFile {
                file: id,
                body,
                spans: SpanMap::Direct,
            }),
            Err(e) => {
                let off = e.offset().min(src.text.len());
                Err(syntax_error(
                    Span::new(id, off, off),
                    &src.display,
                    e.message(),
                ))
            }
        }
    }
}

/// Parse HCL, accepting what Terraform accepts and `hcl-edit` rejects: a key repeated in one
/// object constructor (Terraform keeps the last; terraform-aws-eks-blueprints has such
/// files). One scan first ([`objects`]) refuses text whose objects would cost the parser too
/// many key comparisons, and finds the earlier items of repeated keys; when the parser
/// reports a repeated key they are blanked out and the text parsed once more: two parses at
/// most, however many keys repeat. A file that still fails reports the first error.
pub(crate) fn parse_hcl_body(text: &str, limit: u64) -> Result<Body, ParseError> {
    let found = objects::scan(text);
    if found.pairs > limit {
        let (offset, keys) = found.largest;
        return Err(ParseError::TooManyKeys {
            offset,
            message: format!(
                "the object here has {keys} keys and the file's objects {} pairs of them; the parser compares every pair, and more than {limit} per file would take too long (set EKS_LINT_MAX_OBJECT_KEY_PAIRS to raise the limit)",
                found.pairs
            ),
        });
    }
    let first_err = match hcl_edit::parser::parse_body(text) {
        Ok(b) => return Ok(b),
        Err(e) => e,
    };
    if !first_err.message().contains("redefined object key") {
        return Err(ParseError::Hcl(first_err));
    }
    match found.blanked(text) {
        Some(blanked) => {
            hcl_edit::parser::parse_body(&blanked).map_err(|_| ParseError::Hcl(first_err))
        }
        None => Err(ParseError::Hcl(first_err)),
    }
}

/// Why [`parse_hcl_body`] failed: the parser's error, or the text was not handed to it.
#[derive(Debug)]
pub(crate) enum ParseError {
    Hcl(hcl_edit::parser::Error),
    TooManyKeys { offset: usize, message: String },
}

impl ParseError {
    pub fn offset(&self) -> usize {
        match self {
            ParseError::Hcl(e) => e.location().offset(),
            ParseError::TooManyKeys { offset, .. } => *offset,
        }
    }

    pub fn message(&self) -> &str {
        match self {
            ParseError::Hcl(e) => e.message(),
            ParseError::TooManyKeys { message, .. } => message,
        }
    }
}

fn syntax_error(span: Span, display: &str, msg: &str) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::new(
            Code::EKS903,
            Level::Error,
            span,
            format!(
            "could not parse `{display}`: {msg}; the rest of the scan goes on without this file"
        ),
        )
        .with_label("syntax error")
        .with_key(format!("parse/{display}")),
    )
}

/// Byte offset of a 1-based line/column (serde_json columns count bytes).
fn offset_of(src: &SourceFile, line: usize, col: usize) -> usize {
    let start = src.line_start(line as u32).unwrap_or(src.text.len());
    (start + col.saturating_sub(1)).min(src.text.len())
}

/// Nested JSON objects under these keys are blocks, not object-valued attributes (Terraform
/// decides this from provider schemas; these are the blocks eks-lint reads or that commonly
/// hold expressions).
const BLOCKS: &[&str] = &[
    "vpc_config",
    "kubernetes_network_config",
    "scaling_config",
    "launch_template",
    "launch_template_specification",
    "mixed_instances_policy",
    "instances_distribution",
    "override",
    "set",
    "set_sensitive",
    "tag",
    "lifecycle",
    "timeouts",
    "update_config",
    "remote_access",
    "access_config",
    "encryption_config",
    "metadata_options",
    "block_device_mappings",
    "network_interfaces",
    "tag_specifications",
    "taint",
];

fn parse_json(
    id: FileId,
    src: &SourceFile,
    max_key_pairs: u64,
) -> Result<ParsedFile, Box<Diagnostic>> {
    let json: serde_json::Value = serde_json::from_str(&src.text).map_err(|e| {
        let off = offset_of(src, e.line(), e.column());
        syntax_error(Span::new(id, off, off), &src.display, &e.to_string())
    })?;
    let pos = json_pos::scan(&src.text);
    let mut g = Gen {
        text: &src.text,
        out: String::new(),
        anchors: Vec::new(),
    };
    let Some(top) = json.as_object() else {
        return Err(syntax_error(
            Span::new(id, 0, 0),
            &src.display,
            "a Terraform JSON file must be an object",
        ));
    };
    for (kind, v) in top {
        let (kpos, kn) = pos.get(kind).unwrap_or((0, Pos::other()));
        match kind.as_str() {
            "resource" | "data" => {
                for (ty, _, by_name, tn) in objects(v, kn) {
                    for (name, npos, body, nn) in objects(by_name, tn) {
                        for (b, bn) in bodies(body, nn) {
                            g.anchor(npos, name.len() + 2);
                            let _ = writeln!(g.out, "{kind} {} {} {{", quote(ty), quote(name));
                            g.body(b, bn, npos, false);
                            g.out.push_str("}\n");
                        }
                    }
                }
            }
            "variable" | "output" | "module" => {
                for (name, npos, body, nn) in objects(v, kn) {
                    for (b, bn) in bodies(body, nn) {
                        g.anchor(npos, name.len() + 2);
                        let _ = writeln!(g.out, "{kind} {} {{", quote(name));
                        g.body(b, bn, npos, kind == "variable");
                        g.out.push_str("}\n");
                    }
                }
            }
            "locals" => {
                for (b, bn) in bodies(v, kn) {
                    g.anchor(kpos, kind.len() + 2);
                    g.out.push_str("locals {\n");
                    g.body(b, bn, kpos, false);
                    g.out.push_str("}\n");
                }
            }
            _ => {}
        }
    }
    let spans = SpanMap::Anchors(g.anchors);
    match parse_hcl_body(&g.out, max_key_pairs) {
        Ok(body) => Ok(ParsedFile {
            file: id,
            body,
            spans,
        }),
        Err(e @ ParseError::TooManyKeys { .. }) => {
            let at = spans.map(id, Some(e.offset()..e.offset()), Span::new(id, 0, 0));
            Err(syntax_error(at, &src.display, e.message()))
        }
        // Our own translation failed: report it at the top of the file rather than panic.
        Err(e) => Err(syntax_error(
            Span::new(id, 0, 0),
            &src.display,
            &format!("unsupported Terraform JSON construct ({})", e.message()),
        )),
    }
}

type JsonMap = serde_json::Map<String, serde_json::Value>;

/// The entries of an object, or of each object of an array: (key, where the key is written,
/// value, the value's positions).
fn objects<'v, 'p>(
    v: &'v serde_json::Value,
    at: &'p Pos<'p>,
) -> Vec<(&'v String, usize, &'v serde_json::Value, &'p Pos<'p>)> {
    match v {
        serde_json::Value::Object(o) => o
            .iter()
            .filter(|(k, _)| *k != "//")
            .map(|(k, x)| {
                let (kpos, xp) = at.get(k).unwrap_or((0, Pos::other()));
                (k, kpos, x, xp)
            })
            .collect(),
        serde_json::Value::Array(a) => a
            .iter()
            .enumerate()
            .flat_map(|(i, x)| objects(x, at.item(i)))
            .collect(),
        _ => Vec::new(),
    }
}

/// An object, or the objects of an array, with their positions.
fn bodies<'v, 'p>(v: &'v serde_json::Value, at: &'p Pos<'p>) -> Vec<(&'v JsonMap, &'p Pos<'p>)> {
    match v {
        serde_json::Value::Object(o) => vec![(o, at)],
        serde_json::Value::Array(a) => a
            .iter()
            .enumerate()
            .filter_map(|(i, x)| Some((x.as_object()?, at.item(i))))
            .collect(),
        _ => Vec::new(),
    }
}

fn quote(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

fn escape_char(c: char, out: &mut String) {
    match c {
        '"' => out.push_str("\\\""),
        '\\' => out.push_str("\\\\"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if (c as u32) < 0x20 => {}
        c => out.push(c),
    }
}

fn escape_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    s.chars().for_each(|c| escape_char(c, &mut out));
    out
}

/// A JSON string is an HCL template: escape its literal parts for an HCL quoted string but
/// copy `${ … }` / `%{ … }` sequences as written (quotes inside them are expression syntax).
fn escape_template(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 2);
    let mut depth = 0usize;
    let mut in_str = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if depth == 0 {
            if (c == '$' || c == '%') && next == Some(c) && chars.get(i + 2) == Some(&'{') {
                // `$${` is a literal `${`.
                out.push(c);
                out.push(c);
                out.push('{');
                i += 3;
                continue;
            }
            if (c == '$' || c == '%') && next == Some('{') {
                out.push(c);
                out.push('{');
                depth = 1;
                i += 2;
                continue;
            }
            escape_char(c, &mut out);
        } else if in_str {
            if c == '\\' {
                out.push(c);
                if let Some(n) = next {
                    out.push(n);
                }
                i += 2;
                continue;
            }
            if c == '"' {
                in_str = false;
            }
            out.push(c);
        } else {
            match c {
                '"' => in_str = true,
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
            if c == '\n' {
                out.push(' ');
            } else {
                out.push(c);
            }
        }
        i += 1;
    }
    out
}

fn is_ident(s: &str) -> bool {
    let mut c = s.chars();
    c.next().is_some_and(|f| f.is_alphabetic() || f == '_')
        && c.all(|x| x.is_alphanumeric() || x == '_' || x == '-')
}

struct Gen<'a> {
    text: &'a str,
    out: String,
    anchors: Vec<(u32, u32, u32)>,
}

impl Gen<'_> {
    fn anchor(&mut self, orig: usize, len: usize) {
        let len = len.min(self.text.len().saturating_sub(orig));
        self.anchors
            .push((self.out.len() as u32, orig as u32, len as u32));
    }

    /// A JSON object as a block body; `at` is where the block's key is written (for values
    /// whose position is not known).
    fn body(&mut self, b: &JsonMap, pos: &Pos, at: usize, literal_strings: bool) {
        for (k, v) in b {
            if k == "//" || !is_ident(k) || k == "dynamic" {
                continue;
            }
            let (kpos, vp) = pos.get(k).unwrap_or((at, Pos::other()));
            if BLOCKS.contains(&k.as_str()) && (v.is_object() || v.is_array()) {
                for (inner, ip) in bodies(v, vp) {
                    self.anchor(kpos, k.len() + 2);
                    let _ = writeln!(self.out, "{k} {{");
                    self.body(inner, ip, kpos, literal_strings);
                    self.out.push_str("}\n");
                }
                continue;
            }
            self.anchor(kpos, k.len() + 2);
            let _ = write!(self.out, "{k} = ");
            self.value(v, vp, kpos, literal_strings);
            self.out.push('\n');
        }
    }

    fn value(&mut self, v: &serde_json::Value, pos: &Pos, at: usize, literal: bool) {
        match v {
            serde_json::Value::String(s) => {
                match *pos {
                    Pos::Str(p, len) => self.anchor(p, len),
                    _ => self.anchor(at, quote(s).len()),
                }
                let mut esc = if literal {
                    escape_literal(s)
                } else {
                    escape_template(s)
                };
                if literal {
                    // Variable defaults are literal in JSON: escape template markers.
                    esc = esc.replace("${", "$${").replace("%{", "%%{");
                }
                self.out.push('"');
                self.out.push_str(&esc);
                self.out.push('"');
            }
            serde_json::Value::Array(a) => {
                self.out.push('[');
                for (i, x) in a.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.value(x, pos.item(i), at, literal);
                }
                self.out.push(']');
            }
            serde_json::Value::Object(o) => {
                self.out.push_str("{\n");
                for (k, x) in o {
                    let (kpos, xp) = pos.get(k).unwrap_or((at, Pos::other()));
                    self.anchor(kpos, k.len() + 2);
                    let _ = write!(self.out, "{} = ", quote(k));
                    self.value(x, xp, kpos, literal);
                    self.out.push('\n');
                }
                self.out.push('}');
            }
            other => {
                let _ = write!(self.out, "{other}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(name: &str, text: &str) -> SourceFile {
        SourceFile::new(name.into(), name.into(), text)
    }

    #[test]
    fn hcl_syntax_error_has_position() {
        let f = src("main.tf", "resource \"a\" \"b\" {\n  x = \n}\n");
        let d = parse_file(FileId(0), &f, crate::limits::DEFAULT_MAX_OBJECT_KEY_PAIRS).unwrap_err();
        assert_eq!(d.code, Code::EKS903);
        assert_eq!(f.line_col(d.span.start).line, 2);
    }

    #[test]
    fn json_translates_resources_with_anchored_spans() {
        let text = r#"{"resource": {"aws_subnet": {"a": {"cidr_block": "10.0.0.0/24", "tags": {"Name": "x"}}}}}"#;
        let f = src("main.tf.json", text);
        let p = parse_file(FileId(0), &f, crate::limits::DEFAULT_MAX_OBJECT_KEY_PAIRS).unwrap();
        let block = p.body.get_blocks("resource").next().unwrap();
        let attr = block.body.get_attribute("cidr_block").unwrap();
        use hcl_edit::Span as _;
        let sp = p.spans.map(FileId(0), attr.value.span(), Span::default());
        assert_eq!(f.slice(sp), "\"10.0.0.0/24\"");
    }

    #[test]
    fn json_syntax_error_reports_line() {
        let f = src("x.tf.json", "{\n \"resource\": ,\n}");
        let d = parse_file(FileId(0), &f, crate::limits::DEFAULT_MAX_OBJECT_KEY_PAIRS).unwrap_err();
        assert_eq!(f.line_col(d.span.start).line, 2);
    }
}

#[cfg(test)]
mod dup_key_tests {
    use super::*;

    fn keys_and_values(text: &str) -> Vec<(String, String)> {
        let body =
            parse_hcl_body(text, crate::limits::DEFAULT_MAX_OBJECT_KEY_PAIRS).expect("parses");
        let attr = body.get_attribute("x").unwrap();
        let obj = attr.value.as_object().unwrap();
        obj.iter()
            .map(|(k, v)| match k {
                hcl_edit::expr::ObjectKey::Ident(i) => (
                    i.as_str().to_string(),
                    v.expr().to_string().trim().to_string(),
                ),
                _ => (String::new(), String::new()),
            })
            .collect()
    }

    /// Terraform keeps the last of repeated keys in an object; hcl-edit rejects them.
    #[test]
    fn repeated_object_keys_keep_the_last() {
        let text = "x = {\n  min_size = 2\n  max_size = 2\n  other = { max_size = 9 }\n  max_size = 5\n}\n";
        let kv = keys_and_values(text);
        let names: Vec<&str> = kv.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["min_size", "other", "max_size"]);
        assert_eq!(kv[2].1, "5");
        assert!(parse_hcl_body(
            "x = {\n  a = 1\n",
            crate::limits::DEFAULT_MAX_OBJECT_KEY_PAIRS
        )
        .is_err());
    }

    #[test]
    fn a_key_repeated_any_number_of_times_parses_in_one_retry() {
        let text = format!(
            "x = {{\n{}  max_size = 500\n}}\n",
            "  max_size = 1\n".repeat(100_000)
        );
        let kv = keys_and_values(&text);
        assert_eq!(kv, [("max_size".to_string(), "500".to_string())]);
        // Spans still point into the file as written.
        let body = parse_hcl_body(&text, crate::limits::DEFAULT_MAX_OBJECT_KEY_PAIRS).unwrap();
        use hcl_edit::Span as _;
        let obj = body.get_attribute("x").unwrap().value.as_object().unwrap();
        let (_, v) = obj.iter().next().unwrap();
        let r = v.expr().span().unwrap();
        assert_eq!(&text[r], "500");
    }

    #[test]
    fn other_syntax_errors_still_report_the_first_error() {
        let e = parse_hcl_body(
            "x = { a = 1, a = 2 }\ny = \n",
            crate::limits::DEFAULT_MAX_OBJECT_KEY_PAIRS,
        )
        .unwrap_err();
        assert!(
            e.message().contains("redefined object key"),
            "{}",
            e.message()
        );
        // A repeated template key is not blanked: hcl-edit's error stands.
        let e = parse_hcl_body(
            "x = { \"${k}\" = 1, \"${k}\" = 2 }\n",
            crate::limits::DEFAULT_MAX_OBJECT_KEY_PAIRS,
        )
        .unwrap_err();
        assert!(
            e.message().contains("redefined object key"),
            "{}",
            e.message()
        );
    }

    /// Quoted keys repeat too (`jsonencode({ "kind" : "a", "kind" : "b" })`): the last wins.
    #[test]
    fn repeated_quoted_keys_keep_the_last() {
        let body = parse_hcl_body(
            "x = { \"kind\" : \"a\", \"kind\" : \"b\" }\n",
            crate::limits::DEFAULT_MAX_OBJECT_KEY_PAIRS,
        )
        .expect("parses");
        let obj = body.get_attribute("x").unwrap().value.as_object().unwrap();
        let vals: Vec<String> = obj.iter().map(|(_, v)| v.expr().to_string()).collect();
        assert_eq!(vals.len(), 1);
        assert_eq!(vals[0].trim(), "\"b\"");
    }
}
