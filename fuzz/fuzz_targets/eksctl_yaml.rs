//! Arbitrary eksctl YAML: the event parser, the spanned tree (depth and alias budgets),
//! ClusterConfig extraction, subnet carving, rules and every renderer.
#![no_main]
#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    common::run(&[("cluster.yaml", text.to_string())]);
});
