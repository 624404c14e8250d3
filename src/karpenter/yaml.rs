//! NodePool and node class documents in any scanned YAML file (multi-document), with the span
//! of each field as written.

use super::manifest::{self, Doc, Located};
use crate::eksctl::yaml::{self, Kind, Node};
use crate::source::{FileId, SourceFile, Span};
use serde_json::Value as J;

/// A YAML node as JSON: plain scalars that read as integers, floats, booleans or null become
/// those (YAML 1.2 core schema), everything else a string.
pub fn to_json(n: &Node) -> J {
    match &n.kind {
        Kind::Scalar { text, quoted } => {
            // A template placeholder (`${CLUSTER_NAME}`, Helm's `{{ .Values.x }}`) is filled
            // in outside the file (by Terraform's templatefile, envsubst, Helm): its value is
            // not known here.
            if let Some(at) = text.find("${").or_else(|| text.find("{{")) {
                let close = if text[at..].starts_with("{{") {
                    "}}"
                } else {
                    "}"
                };
                let end = text[at..]
                    .find(close)
                    .map_or(text.len(), |e| at + e + close.len());
                return J::String(format!(
                    "{}the value `{}` holds a template placeholder (`{}`) filled in outside the file",
                    manifest::UNKNOWN_MARK,
                    text,
                    &text[at..end]
                ));
            }
            if *quoted {
                return J::String(text.clone());
            }
            if n.is_null() {
                return J::Null;
            }
            if let Some(b) = n.as_bool() {
                return J::Bool(b);
            }
            if let Ok(i) = text.parse::<i64>() {
                return J::from(i);
            }
            match text
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
            {
                Some(f) if text.chars().all(|c| c.is_ascii_digit() || c == '.') => J::Number(f),
                _ => J::String(text.clone()),
            }
        }
        Kind::Seq(items) => J::Array(items.iter().map(to_json).collect()),
        Kind::Map(entries) => J::Object(
            entries
                .iter()
                .filter_map(|(k, v)| Some((k.as_str()?.to_string(), to_json(v))))
                .collect(),
        ),
    }
}

/// A cheap filter before parsing: the API group of a NodePool or node class and its kind.
pub fn looks_like_karpenter(text: &str) -> bool {
    ["karpenter.sh/", "karpenter.k8s.aws/", "eks.amazonaws.com/"]
        .iter()
        .any(|g| text.contains(g))
        && text.contains("NodePool") | text.contains("NodeClass")
}

/// Every NodePool and node class of a YAML file. A file that names Karpenter's kinds but does
/// not parse (a Helm template, usually) is one unreadable document: a note, not an error, as
/// templates are not ours to judge, and not silence, as its pools go unchecked.
pub fn load(id: FileId, file: &SourceFile, limits: &crate::limits::Limits) -> Vec<Doc> {
    let text: &str = &file.text;
    if !looks_like_karpenter(text) {
        return Vec::new();
    }
    let docs = match yaml::parse(text, limits) {
        Ok(d) => d,
        Err(e) => {
            return vec![Doc::Unreadable {
                what: format!("`{}`", file.display),
                reason: format!("it is not plain YAML, perhaps a template: {}", e.message),
                span: Span::new(id, e.offset, e.offset),
            }]
        }
    };
    docs.iter()
        .filter_map(|doc| {
            let j = to_json(doc);
            let span = |path: &[&str]| {
                let n = path.iter().try_fold(doc, |n, k| n.get(k)).unwrap_or(doc);
                Span::new(id, n.start, n.end)
            };
            manifest::read(&Located {
                doc: &j,
                span: &span,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(text: &str) -> Vec<Doc> {
        let file = SourceFile::new("x.yaml".into(), "x.yaml".into(), text);
        load(FileId(0), &file, &crate::limits::Limits::DEFAULT)
    }

    #[test]
    fn a_file_with_only_a_node_class_is_read() {
        let d = docs(
            "apiVersion: karpenter.k8s.aws/v1\nkind: EC2NodeClass\nmetadata:\n  name: default\nspec:\n  subnetSelectorTerms:\n    - tags:\n        Name: \"x-*\"\n",
        );
        assert!(matches!(&d[..], [Doc::Class(c)] if c.name == "default"));
    }

    #[test]
    fn other_documents_are_skipped_and_broken_files_unreadable() {
        let d = docs("apiVersion: v1\nkind: ConfigMap\n---\napiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata:\n  name: p\n");
        assert!(matches!(&d[..], [Doc::Pool(p)] if p.name == "p"));
        assert!(matches!(
            &docs("apiVersion: karpenter.sh/v1\nkind: NodePool\n  bad: [\n")[..],
            [Doc::Unreadable { reason, .. }] if reason.contains("not plain YAML")
        ));
        assert!(docs("kind: Deployment\n").is_empty());
    }

    #[test]
    fn a_flow_list_closed_under_its_key_is_read() {
        // go-yaml (kubectl) does not check columns inside `[ ]`: the `]` under `values` is
        // valid, so the pool is read with both families.
        let d = docs("apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata: {name: p}\nspec:\n  template:\n    spec:\n      requirements:\n        - key: karpenter.k8s.aws/instance-family\n          operator: In\n          values: [\n            \"c5\", \"m5\"\n          ]\n");
        assert!(matches!(&d[..], [Doc::Pool(p)] if p.name == "p"), "{d:?}");
        let n = &yaml::parse(
            "a:\n  b: [\n    x,\n  y\n  ]\n",
            &crate::limits::Limits::DEFAULT,
        )
        .unwrap()[0];
        assert_eq!(to_json(n)["a"]["b"], serde_json::json!(["x", "y"]));
    }

    #[test]
    fn plain_scalars_are_typed_like_yaml() {
        let n = &yaml::parse(
            "a: 1\nb: \"1\"\nc: true\nd: ~\ne: 1.5\nf: 1000Gi\n",
            &crate::limits::Limits::DEFAULT,
        )
        .unwrap()[0];
        let j = to_json(n);
        assert_eq!(j["a"], J::from(1));
        assert_eq!(j["b"], J::from("1"));
        assert_eq!(j["c"], J::Bool(true));
        assert_eq!(j["d"], J::Null);
        assert_eq!(j["e"].as_f64(), Some(1.5));
        assert_eq!(j["f"], J::from("1000Gi"));
        let n = &yaml::parse(
            "cpu: \"{{ .Values.cpu }}\"\n",
            &crate::limits::Limits::DEFAULT,
        )
        .unwrap()[0];
        let cpu = to_json(n)["cpu"].as_str().unwrap_or_default().to_string();
        assert!(
            cpu.starts_with(manifest::UNKNOWN_MARK)
                && cpu.ends_with("(`{{ .Values.cpu }}`) filled in outside the file"),
            "{cpu}"
        );
    }
}
