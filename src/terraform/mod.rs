//! Terraform (HCL and JSON) → model (DESIGN.md §4.1).

use crate::frontend::Loaded;
use crate::settings::Settings;
use crate::source::{FileId, SourceMap};

/// Analyse every Terraform module among `files` (all `.tf`, `.tf.json` and tfvars files of
/// the scan, already in `sources`).
pub fn load(_files: &[FileId], _sources: &SourceMap, _settings: &Settings) -> Loaded {
    Loaded::default()
}
