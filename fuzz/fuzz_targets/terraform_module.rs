//! One Terraform module from arbitrary text: HCL parsing, evaluation, extraction, rules and
//! every renderer. The first byte picks `.tf` or `.tf.json`.
#![no_main]
#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let name = if sel & 1 == 0 {
        "main.tf"
    } else {
        "main.tf.json"
    };
    common::run(&[(name, text.to_string())]);
});
