//! Shared by the fuzz targets: run the whole analysis over in-memory files and render every
//! output format, so a crash anywhere after reading is found.
#![allow(dead_code)]

use eks_lint::cli::Format;
use eks_lint::render::{self, Options};
use eks_lint::settings::Settings;
use eks_lint::source::{FileId, SourceFile, SourceMap};
use std::path::PathBuf;

/// Files under a directory that does not exist, so no `.terraform/modules` lookup finds one.
const DIR: &str = "/nonexistent-eks-lint-fuzz";

/// The first byte picks one of two file names; the rest must be UTF-8 text.
pub fn select<'d>(data: &'d [u8], names: [&'static str; 2]) -> Option<(&'static str, &'d str)> {
    let (&sel, rest) = data.split_first()?;
    let text = std::str::from_utf8(rest).ok()?;
    Some((names[usize::from(sel & 1)], text))
}

pub fn run(files: &[(&str, String)]) {
    run_with(files, &Settings::default());
}

pub fn run_with(files: &[(&str, String)], settings: &Settings) {
    let report = analyze(files, settings);
    let opts = Options::default();
    for f in FORMATS {
        let _ = render::render(f, &report, &opts);
    }
    let doc = render::capacity::build(&report, &Default::default());
    let _ = render::capacity::render_human(&doc);
    let _ = render::capacity::render_json(&doc);
    let _ = render::capacity::render_markdown(&doc);
}

pub const FORMATS: [Format; 7] = [
    Format::Human,
    Format::Concise,
    Format::Json,
    Format::Sarif,
    Format::Github,
    Format::Markdown,
    Format::Junit,
];

/// The whole analysis over in-memory files (YAML by extension, the rest Terraform).
pub fn analyze(files: &[(&str, String)], settings: &Settings) -> eks_lint::Report {
    let mut sources = SourceMap::new();
    let (mut tf, mut yaml): (Vec<FileId>, Vec<FileId>) = (Vec::new(), Vec::new());
    for (name, text) in files {
        let path = PathBuf::from(DIR).join(name);
        let id = sources.add(SourceFile::new(path, (*name).to_string(), text.as_str()));
        if name.ends_with(".yaml") || name.ends_with(".yml") {
            yaml.push(id);
        } else {
            tf.push(id);
        }
    }
    eks_lint::analyze(sources, &tf, &yaml, Default::default(), settings)
}

/// A string literal for HCL: the JSON escapes plus the template escapes `$${` and `%%{`.
pub fn hcl_string(s: &str) -> String {
    yaml_string(s).replace("${", "$${").replace("%{", "%%{")
}

/// A double-quoted YAML scalar (YAML accepts JSON's escapes).
pub fn yaml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
