//! Model builders for rule unit tests: clusters built from values, no YAML or HCL.

use crate::capacity::{self, CapacityOptions};
use crate::diag::Diagnostic;
use crate::model::*;
use crate::settings::Settings;
use crate::source::{FileId, SourceFile, SourceMap, Span};

/// A distinct span per value so tests can tell locations apart.
pub fn sp(n: usize) -> Span {
    Span::new(FileId(0), n * 10, n * 10 + 5)
}

pub struct B {
    pub c: Cluster,
    next: usize,
}

impl B {
    pub fn new() -> Self {
        let c = Cluster::new(
            Value::known("prod".to_string(), sp(1)),
            sp(0),
            SourceKind::Eksctl,
        );
        B { c, next: 100 }
    }

    pub fn span(&mut self) -> Span {
        self.next += 1;
        sp(self.next)
    }

    pub fn vpc(mut self, cidrs: &[&str]) -> Self {
        let span = self.span();
        let cidrs = cidrs
            .iter()
            .map(|c| {
                let s = self.span();
                Value::known(Cidr::parse(c), s)
            })
            .collect();
        self.c.vpc = Some(Vpc {
            name: "vpc".into(),
            span,
            cidrs,
        });
        self
    }

    /// Subnets with AZs a, b, c, … in order.
    pub fn subnets(mut self, cidrs: &[&str]) -> Self {
        for cidr in cidrs {
            let i = self.c.subnets.len();
            let (s1, s2, s3) = (self.span(), self.span(), self.span());
            self.c.subnets.push(Subnet {
                name: format!("private-{i}"),
                span: s1,
                cidr: Value::known(Cidr::parse(cidr), s2),
                az: Value::known(format!("us-east-1{}", (b'a' + (i % 26) as u8) as char), s3),
                ..Default::default()
            });
        }
        self
    }

    /// A node group on the given subnet indexes.
    pub fn group(
        mut self,
        name: &str,
        kind: NodeGroupKind,
        types: &[&str],
        max: i64,
        subnets: &[usize],
    ) -> Self {
        let span = self.span();
        let mut ng = NodeGroup::new(name, span, kind);
        ng.instance_types = types
            .iter()
            .map(|t| {
                let s = self.span();
                Value::known(t.to_string(), s)
            })
            .collect();
        let s = self.span();
        ng.max_size = Value::known(max, s);
        let s = self.span();
        ng.subnets = Value::known(subnets.to_vec(), s);
        self.c.node_groups.push(ng);
        self
    }

    pub fn env(mut self, k: &str, v: &str) -> Self {
        let s = self.span();
        self.c.cni.set(k, v, Origin::at(s));
        self
    }

    pub fn ng(&mut self, i: usize) -> &mut NodeGroup {
        &mut self.c.node_groups[i]
    }

    pub fn build(self) -> Cluster {
        self.c
    }
}

fn sources() -> SourceMap {
    let mut m = SourceMap::new();
    m.add(SourceFile::new(
        "t.yaml".into(),
        "t.yaml".into(),
        " ".repeat(4096),
    ));
    m
}

/// Run every rule on a cluster with the given settings.
/// The DESIGN.md §5 worked case: three /22 subnets, managed m5.8xlarge group `general`.
pub fn three_22(max: i64) -> B {
    B::new()
        .vpc(&["10.0.0.0/16"])
        .subnets(&["10.0.0.0/22", "10.0.4.0/22", "10.0.8.0/22"])
        .group(
            "general",
            NodeGroupKind::Managed,
            &["m5.8xlarge"],
            max,
            &[0, 1, 2],
        )
}

pub fn run_with(c: &Cluster, settings: &Settings) -> Vec<Diagnostic> {
    let facts = capacity::pod_facts::analyze(
        c,
        CapacityOptions {
            pods_per_node: settings.expected_pods_per_node,
            fargate_pods: settings.expected_fargate_pods,
        },
    );
    let src = sources();
    let ctx = super::Ctx::new(c, &facts, &src, settings);
    super::run(&ctx)
}

pub fn run(c: &Cluster) -> Vec<Diagnostic> {
    run_with(c, &Settings::default())
}

/// Diagnostics of one code.
pub fn only(ds: &[Diagnostic], code: crate::code::Code) -> Vec<Diagnostic> {
    ds.iter().filter(|d| d.code == code).cloned().collect()
}
