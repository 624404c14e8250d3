//! A node group's max pods as eksctl's bootstrap sets it (eksctl-io/eksctl
//! `pkg/nodebootstrap`): `overrideBootstrapCommand` runs last (the AL2 script replaces
//! eksctl's own, the AL2023 NodeConfig is merged after eksctl's), so a max pods it sets wins
//! over `maxPodsPerNode` (`--max-pods` / a NodeConfig `maxPods`), which wins over
//! `kubeletExtraConfig.maxPods` (merged into the kubelet config file, below the flag).

use super::core::Extractor;
use super::yaml::Node;
use crate::model::{Origin, Value};
use crate::source::Span;

impl Extractor<'_> {
    pub(super) fn max_pods(&mut self, ng: &Node) -> Value<i64> {
        if let Some(v) = self.override_max_pods(ng) {
            return v;
        }
        let per_node = self.int(ng, "maxPodsPerNode");
        if !per_node.is_absent() {
            return per_node;
        }
        match ng.get("kubeletExtraConfig") {
            Some(k) => self.int(k, "maxPods"),
            None => Value::Absent,
        }
    }

    /// nodeadm's `maxPodsExpression` in `overrideBootstrapCommand` (an AL2023 NodeConfig).
    pub(super) fn max_pods_expression(&self, ng: &Node) -> Value<String> {
        let Some(node) = ng.get("overrideBootstrapCommand") else {
            return Value::Absent;
        };
        let Some((e, _)) = node
            .scalar()
            .and_then(crate::userdata::find_max_pods_expression)
        else {
            return Value::Absent;
        };
        let span = self.span(node);
        let src = self.text.get(span.range()).unwrap_or("");
        let at = match src.find(e.as_str()) {
            Some(i) => {
                let base = span.start as usize + i;
                Span::new(self.id, base, base + e.len())
            }
            None => span,
        };
        Value::Known(e, Origin::at(at))
    }

    /// The max pods `overrideBootstrapCommand` sets, if it sets one.
    fn override_max_pods(&self, ng: &Node) -> Option<Value<i64>> {
        let node = ng.get("overrideBootstrapCommand")?;
        let text = node.scalar()?;
        let (value, range) = crate::userdata::find_max_pods(text)?;
        // Locate the number in the file: the scalar's text is the file's for plain and quoted
        // scalars; a block scalar's is unindented, so search for the same digits in its span.
        let span = self.span(node);
        let src = self.text.get(span.range()).unwrap_or("");
        let digits = &text[range];
        let at = match src.find(digits) {
            Some(i) if !digits.is_empty() => {
                let base = span.start as usize + i;
                Span::new(self.id, base, base + digits.len())
            }
            _ => span,
        };
        Some(match value {
            Ok(n) => Value::Known(n, Origin::at(at)),
            Err(()) => Value::unknown(
                "`overrideBootstrapCommand` sets max pods to a value eks-lint cannot read",
                at,
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::source::SourceFile;

    fn max_pods(ng: &str) -> Option<i64> {
        let text = format!(
            "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: c\n  region: eu-west-1\nnodeGroups:\n{ng}"
        );
        let file = SourceFile::new("c.yaml".into(), "c.yaml".into(), text);
        let l = super::super::load(crate::source::FileId(0), &file, &Default::default());
        l.clusters[0].node_groups[0].max_pods.get().copied()
    }

    #[test]
    fn override_bootstrap_command_sets_max_pods() {
        // AL2: bootstrap.sh's kubelet flag.
        let al2 = "  - name: a\n    amiFamily: AmazonLinux2\n    maxPodsPerNode: 50\n    overrideBootstrapCommand: |\n      #!/bin/bash\n      /etc/eks/bootstrap.sh c --use-max-pods false --kubelet-extra-args '--max-pods=20'\n";
        assert_eq!(max_pods(al2), Some(20));
        // AL2023: a NodeConfig with kubelet.config.maxPods.
        let al2023 = "  - name: a\n    overrideBootstrapCommand: |\n      apiVersion: node.eks.aws/v1alpha1\n      kind: NodeConfig\n      spec:\n        kubelet:\n          config:\n            maxPods: 35\n";
        assert_eq!(max_pods(al2023), Some(35));
        // Without a max pods in it, maxPodsPerNode stands.
        let plain = "  - name: a\n    maxPodsPerNode: 50\n    overrideBootstrapCommand: \"/etc/eks/bootstrap.sh c\"\n";
        assert_eq!(max_pods(plain), Some(50));
        // --use-max-pods false alone: the kubelet's 110.
        let off = "  - name: a\n    overrideBootstrapCommand: \"/etc/eks/bootstrap.sh c --use-max-pods false\"\n";
        assert_eq!(max_pods(off), Some(110));
    }

    #[test]
    fn kubelet_extra_config_is_the_last_resort() {
        let k = "  - name: a\n    kubeletExtraConfig:\n      maxPods: 40\n";
        assert_eq!(max_pods(k), Some(40));
        let both =
            "  - name: a\n    maxPodsPerNode: 30\n    kubeletExtraConfig:\n      maxPods: 40\n";
        assert_eq!(max_pods(both), Some(30));
        assert_eq!(max_pods("  - name: a\n"), None);
    }
}
