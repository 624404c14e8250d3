//! A small spanned YAML tree built from `saphyr-parser` events.
//!
//! Why not `saphyr`'s own `MarkedYaml`: eks-lint needs byte offsets (saphyr reports character
//! indices), a hard bound on nesting depth (dropping or walking a 100 000-deep tree recurses),
//! and a budget on alias expansion that also counts our copies. Building the tree from events
//! gives all three in one pass; the parser itself is a state machine and does not recurse.
//!
//! Merge keys (`<<: *base`, `<<: [*a, *b]`, YAML 1.1's merge type, which eksctl's
//! `sigs.k8s.io/yaml` over go-yaml applies) are resolved when a mapping ends: keys written in
//! the mapping win over merged ones wherever they appear, and an earlier mapping in a merge list
//! wins over a later one. The merged nodes are the alias copies already counted by the budget.

use saphyr_parser::{Event, Parser, ScalarStyle};
use std::collections::{HashMap, HashSet};

use crate::limits::YAML_MAX_DEPTH as MAX_DEPTH;

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// A scalar with its text and whether it was quoted or a block (then it is always a string).
    Scalar {
        text: String,
        quoted: bool,
    },
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: Kind,
    /// Byte range in the parsed text.
    pub start: usize,
    pub end: usize,
}

impl Node {
    /// The value of `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            Kind::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// The mapping entry (key node, value node) of `key`.
    pub fn entry(&self, key: &str) -> Option<(&Node, &Node)> {
        match &self.kind {
            Kind::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// A non-null scalar (YAML `~`, `null` and empty plain scalars are null).
    pub fn scalar(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar { text, quoted } => {
                if !quoted && matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL") {
                    None
                } else {
                    Some(text)
                }
            }
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(&self.kind, Kind::Scalar { .. }) && self.scalar().is_none()
    }

    pub fn seq(&self) -> Option<&[Node]> {
        match &self.kind {
            Kind::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn map(&self) -> Option<&[(Node, Node)]> {
        match &self.kind {
            Kind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// Plain scalars that YAML 1.2 core schema reads as booleans.
    pub fn as_bool(&self) -> Option<bool> {
        match &self.kind {
            Kind::Scalar {
                text,
                quoted: false,
            } => match text.as_str() {
                "true" | "True" | "TRUE" => Some(true),
                "false" | "False" | "FALSE" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    fn count(&self) -> usize {
        // Iterative: the tree is depth-bounded, but stay cheap.
        let mut n = 0;
        let mut stack = vec![self];
        while let Some(node) = stack.pop() {
            n += 1;
            match &node.kind {
                Kind::Seq(items) => stack.extend(items),
                Kind::Map(entries) => {
                    for (k, v) in entries {
                        stack.push(k);
                        stack.push(v);
                    }
                }
                Kind::Scalar { .. } => {}
            }
        }
        n
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub message: String,
    /// Byte offset of the problem.
    pub offset: usize,
}

/// Character index → byte offset (saphyr markers count characters).
struct Offsets<'a> {
    text: &'a str,
    ascii: bool,
    /// Byte offset of every 64th character, for non-ASCII text.
    checkpoints: Vec<usize>,
}

impl<'a> Offsets<'a> {
    fn new(text: &'a str) -> Self {
        let ascii = text.is_ascii();
        let checkpoints = if ascii {
            Vec::new()
        } else {
            text.char_indices().step_by(64).map(|(b, _)| b).collect()
        };
        Offsets {
            text,
            ascii,
            checkpoints,
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        let cp = char_index / 64;
        let Some(&base) = self.checkpoints.get(cp) else {
            return self.text.len();
        };
        self.text[base..]
            .char_indices()
            .nth(char_index % 64)
            .map_or(self.text.len(), |(b, _)| base + b)
    }
}

enum Frame {
    Seq(Node, usize),
    /// Mapping being built, its anchor, and a pending key.
    Map(Node, usize, Option<Node>),
}

/// Parse every document of `text`. Documents are returned in order; on error, the documents
/// before the error are discarded too (a broken file is reported, not half-read).
/// At most `limits.max_yaml_aliases` nodes are copied by alias expansion, and at most
/// `limits.max_yaml_nodes` are parsed: the parser stops there, before the tree grows further.
pub fn parse(text: &str, limits: &crate::limits::Limits) -> Result<Vec<Node>, YamlError> {
    let max_aliases = limits.max_yaml_aliases;
    let max_nodes = crate::limits::as_usize(limits.max_yaml_nodes);
    let mut nodes = 0usize;
    let offsets = Offsets::new(text);
    let mut parser = Parser::new_from_str(text);
    let mut docs = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, Node> = HashMap::new();
    let max_aliases = crate::limits::as_usize(max_aliases);
    let mut budget = max_aliases;
    while let Some(ev) = parser.next_event() {
        let (ev, span) = ev.map_err(|e| YamlError {
            message: e.info().to_string(),
            offset: offsets.byte(e.marker().index()),
        })?;
        let start = offsets.byte(span.start.index());
        let end = offsets.byte(span.end.index()).max(start);
        let err = |message: String| YamlError {
            message,
            offset: start,
        };
        if matches!(
            ev,
            Event::Scalar(..) | Event::SequenceStart(..) | Event::MappingStart(..)
        ) {
            nodes += 1;
            if nodes > max_nodes {
                return Err(err(format!(
                    "more than {max_nodes} YAML nodes (EKS_LINT_MAX_YAML_NODES)"
                )));
            }
        }
        let complete = match ev {
            Event::StreamStart | Event::StreamEnd | Event::DocumentStart(_) | Event::Nothing => {
                None
            }
            Event::DocumentEnd => None,
            Event::Scalar(text, style, anchor, _tag) => {
                let node = Node {
                    kind: Kind::Scalar {
                        text: text.into_owned(),
                        quoted: style != ScalarStyle::Plain,
                    },
                    start,
                    end,
                };
                if anchor > 0 {
                    anchors.insert(anchor, node.clone());
                }
                Some(node)
            }
            Event::Alias(id) => {
                let node = anchors
                    .get(&id)
                    .ok_or_else(|| err("alias to an unknown anchor".to_string()))?;
                let n = node.count();
                if n > budget {
                    return Err(err(format!(
                        "alias expansion exceeds {max_aliases} nodes (a \"billion laughs\" document?; EKS_LINT_MAX_YAML_ALIASES)"
                    )));
                }
                budget -= n;
                let mut copy = node.clone();
                // Point the copy at the alias so findings land where it is used.
                copy.start = start;
                copy.end = end;
                Some(copy)
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(err(format!("nesting deeper than {MAX_DEPTH} levels")));
                }
                let is_seq = matches!(ev, Event::SequenceStart(..));
                let node = Node {
                    kind: if is_seq {
                        Kind::Seq(Vec::new())
                    } else {
                        Kind::Map(Vec::new())
                    },
                    start,
                    end,
                };
                stack.push(if is_seq {
                    Frame::Seq(node, anchor)
                } else {
                    Frame::Map(node, anchor, None)
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Seq(mut node, anchor)) | Some(Frame::Map(mut node, anchor, _)) => {
                    node.end = end.max(node.start);
                    if let Kind::Map(entries) = &mut node.kind {
                        merge_keys(entries)
                            .map_err(|(message, offset)| YamlError { message, offset })?;
                    }
                    if anchor > 0 {
                        anchors.insert(anchor, node.clone());
                    }
                    Some(node)
                }
                None => return Err(err("unbalanced collection end".to_string())),
            },
        };
        let Some(node) = complete else { continue };
        match stack.last_mut() {
            None => docs.push(node),
            Some(Frame::Seq(parent, _)) => {
                if let Kind::Seq(items) = &mut parent.kind {
                    items.push(node);
                }
            }
            Some(Frame::Map(parent, _, pending)) => match pending.take() {
                None => *pending = Some(node),
                Some(key) => {
                    if let Kind::Map(entries) = &mut parent.kind {
                        entries.push((key, node));
                    }
                }
            },
        }
    }
    Ok(docs)
}

/// A plain `<<` key: the merge key (a quoted `"<<"` is an ordinary string).
fn is_merge_key(k: &Node) -> bool {
    matches!(&k.kind, Kind::Scalar { text, quoted: false } if text == "<<")
}

/// Resolve the merge keys of one mapping in place (YAML 1.1 merge type): explicit entries
/// first, then each merged mapping's entries whose keys are not there yet, in list order.
/// A merge value that is not a mapping or a list of mappings is an error, as in go-yaml.
fn merge_keys(entries: &mut Vec<(Node, Node)>) -> Result<(), (String, usize)> {
    if !entries.iter().any(|(k, _)| is_merge_key(k)) {
        return Ok(());
    }
    let (merges, explicit): (Vec<_>, Vec<_>) = std::mem::take(entries)
        .into_iter()
        .partition(|(k, _)| is_merge_key(k));
    // Keys present so far, by text (a set: a hostile mapping may have very many keys); other
    // keys are never merged over.
    let mut present: HashSet<String> = explicit
        .iter()
        .filter_map(|(k, _)| k.as_str().map(str::to_string))
        .collect();
    *entries = explicit;
    let bad = |n: &Node| {
        (
            "the merge key `<<` needs a mapping or a list of mappings".to_string(),
            n.start,
        )
    };
    for (_, value) in merges {
        let sources = match value.kind {
            Kind::Map(m) => vec![m],
            Kind::Seq(items) => {
                let mut maps = Vec::with_capacity(items.len());
                for item in items {
                    match item.kind {
                        Kind::Map(m) => maps.push(m),
                        _ => return Err(bad(&item)),
                    }
                }
                maps
            }
            Kind::Scalar { .. } => return Err(bad(&value)),
        };
        for (k, v) in sources.into_iter().flatten() {
            let new = k.as_str().is_none_or(|t| present.insert(t.to_string()));
            if new {
                entries.push((k, v));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_byte_offsets_even_after_multibyte_text() {
        let text = "# ünïcödé\nmetadata:\n  name: prod\n";
        let docs = parse(text, &crate::limits::Limits::DEFAULT).unwrap();
        let name = docs[0].get("metadata").unwrap().get("name").unwrap();
        assert_eq!(&text[name.start..name.end], "prod");
    }

    #[test]
    fn multi_document_streams() {
        let docs = parse("a: 1\n---\nb: [x, y]\n", &crate::limits::Limits::DEFAULT).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].get("b").unwrap().seq().unwrap().len(), 2);
    }

    #[test]
    fn quoted_and_null_scalars() {
        let docs = parse(
            "a: ~\nb: \"~\"\nc: true\nd: 'true'\n",
            &crate::limits::Limits::DEFAULT,
        )
        .unwrap();
        let d = &docs[0];
        assert!(d.get("a").unwrap().is_null());
        assert_eq!(d.get("b").unwrap().scalar(), Some("~"));
        assert_eq!(d.get("c").unwrap().as_bool(), Some(true));
        assert_eq!(d.get("d").unwrap().as_bool(), None);
    }

    #[test]
    fn aliases_expand_within_budget_and_bombs_are_refused() {
        let docs = parse(
            "base: &b {x: 1}\nuse: *b\n",
            &crate::limits::Limits::DEFAULT,
        )
        .unwrap();
        assert_eq!(
            docs[0].get("use").unwrap().get("x").unwrap().scalar(),
            Some("1")
        );
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            bomb.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        let e = parse(&bomb, &crate::limits::Limits::DEFAULT).unwrap_err();
        assert!(e.message.contains("alias expansion"), "{e:?}");
    }

    #[test]
    fn deep_nesting_is_refused_without_overflow() {
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        // The parser's own recursion limit or ours, whichever comes first.
        let msg = parse(&deep, &crate::limits::Limits::DEFAULT)
            .unwrap_err()
            .message;
        assert!(
            msg.contains("nesting") || msg.contains("recursion"),
            "{msg}"
        );
        let deep = "- ".repeat(100_000) + "x\n";
        assert!(parse(&deep, &crate::limits::Limits::DEFAULT).is_err());
    }

    #[test]
    fn syntax_errors_have_offsets() {
        let text = "a: 1\nb: [1, 2\nc: 3\n";
        let e = parse(text, &crate::limits::Limits::DEFAULT).unwrap_err();
        assert!(e.offset > 0 && e.offset <= text.len());
    }

    fn one(text: &str) -> Node {
        parse(text, &crate::limits::Limits::DEFAULT)
            .unwrap()
            .remove(0)
    }

    fn val<'a>(n: &'a Node, path: &[&str]) -> Option<&'a str> {
        path.iter().try_fold(n, |n, k| n.get(k))?.scalar()
    }

    #[test]
    fn merge_keys_fill_missing_keys_and_explicit_keys_win() {
        // `maxPodsPerNode` comes from the anchor; `instanceType` is written after the merge
        // and still wins; the `<<` entry itself is gone.
        let d = one("base: &b {instanceType: m5.large, maxPodsPerNode: 250}\nng:\n  <<: *b\n  instanceType: t3.small\n");
        assert_eq!(val(&d, &["ng", "maxPodsPerNode"]), Some("250"));
        assert_eq!(val(&d, &["ng", "instanceType"]), Some("t3.small"));
        assert!(d.get("ng").unwrap().get("<<").is_none());
        // Written before the merge: the explicit key wins too.
        let d = one("base: &b {a: 1}\nng: {a: 2, <<: *b}\n");
        assert_eq!(val(&d, &["ng", "a"]), Some("2"));
        // An inline mapping merges like an alias.
        let d = one("ng: {<<: {a: 1, b: 2}, b: 3}\n");
        assert_eq!(
            (val(&d, &["ng", "a"]), val(&d, &["ng", "b"])),
            (Some("1"), Some("3"))
        );
    }

    #[test]
    fn merge_lists_earlier_mappings_win_and_nested_merges_resolve() {
        let d = one("x: &x {a: x, b: x}\ny: &y {a: y, c: y}\nng: {<<: [*x, *y]}\n");
        let ng = d.get("ng").unwrap();
        assert_eq!(
            (val(ng, &["a"]), val(ng, &["b"]), val(ng, &["c"])),
            (Some("x"), Some("x"), Some("y"))
        );
        // An anchor holding a merge carries the merged keys on.
        let d = one("a: &a {p: 1}\nb: &b {<<: *a, q: 2}\nc: {<<: *b}\n");
        assert_eq!(
            (val(&d, &["c", "p"]), val(&d, &["c", "q"])),
            (Some("1"), Some("2"))
        );
        // A quoted "<<" is an ordinary key.
        let d = one("a: &a {p: 1}\nb: {\"<<\": *a}\n");
        assert!(d.get("b").unwrap().get("<<").is_some());
        assert!(d.get("b").unwrap().get("p").is_none());
    }

    #[test]
    fn merging_a_non_mapping_is_an_error() {
        for text in [
            "s: &s text\nng: {<<: *s}\n",
            "ng: {<<: [1, 2]}\n",
            "m: &m {a: 1}\nng: {<<: [*m, plain]}\n",
            "ng: {<<: ~}\n",
        ] {
            let e = parse(text, &crate::limits::Limits::DEFAULT).unwrap_err();
            assert!(e.message.contains("merge key"), "{text}: {e:?}");
            assert!(e.offset > 0 && e.offset <= text.len(), "{text}: {e:?}");
        }
    }

    #[test]
    fn recursive_merges_are_refused() {
        // The anchor is defined when its mapping ends: a merge of itself is an unknown alias.
        let e = parse("a: &a {x: 1, <<: *a}\n", &crate::limits::Limits::DEFAULT).unwrap_err();
        assert!(e.message.contains("unknown anchor"), "{e:?}");
    }

    #[test]
    fn the_node_budget_stops_the_parse() {
        let limits = crate::limits::Limits {
            max_yaml_nodes: 10,
            ..crate::limits::Limits::DEFAULT
        };
        // A mapping, a sequence and eight scalars: ten nodes.
        assert!(parse("a: [1, 2, 3, 4, 5, 6, 7]\n", &limits).is_ok());
        let e = parse("a: [1, 2, 3, 4, 5, 6, 7, 8]\n", &limits).unwrap_err();
        assert!(e.message.contains("more than 10 YAML nodes"), "{e:?}");
        assert_eq!(e.offset, "a: [1, 2, 3, 4, 5, 6, 7, ".len());
    }

    #[test]
    fn merge_bombs_stay_within_the_alias_budget() {
        // Each level merges ten copies of the one below under distinct keys: 10^12 nodes if
        // expanded, refused after the budget is spent.
        let mut bomb = String::from("m0: &m0 {k0: x, k1: x, k2: x, k3: x, k4: x}\n");
        for i in 1..14 {
            let refs: Vec<String> = (0..10).map(|j| format!("k{j}: *m{}", i - 1)).collect();
            bomb.push_str(&format!(
                "m{i}: &m{i} {{<<: *m{}, {}}}\n",
                i - 1,
                refs.join(", ")
            ));
        }
        let e = parse(&bomb, &crate::limits::Limits::DEFAULT).unwrap_err();
        assert!(e.message.contains("alias expansion"), "{e:?}");
        // A merge list of the same anchor many times is counted per alias, not once.
        let list = vec!["*m"; 200].join(", ");
        let text = format!(
            "m: &m {{{}}}\nng: {{<<: [{list}]}}\n",
            (0..1000)
                .map(|i| format!("k{i}: v"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let e = parse(&text, &crate::limits::Limits::DEFAULT).unwrap_err();
        assert!(e.message.contains("alias expansion"), "{e:?}");
        let raised = crate::limits::Limits {
            max_yaml_aliases: 1_000_000,
            ..crate::limits::Limits::DEFAULT
        };
        assert!(parse(&text, &raised).is_ok());
    }
}
