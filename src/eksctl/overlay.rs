//! eksctl signs that the VPC CNI is not installed (issue 14 item 9): `addonsConfig:
//! disableDefaultAddons: true` (eksctl `pkg/apis/eksctl.io/v1alpha5` `AddonsConfig`: no
//! default add-ons, so no vpc-cni unless `addons` lists it). eksctl installs no other CNI
//! itself; one installed afterwards is not in the file.

use super::yaml::Node;
use crate::model::{CniConfig, CniPluginEvidence, CniPluginKind};
use crate::source::{FileId, Span};

/// An empty CNI configuration with the plugin evidence of `doc`.
pub(super) fn config(id: FileId, doc: &Node) -> CniConfig {
    CniConfig {
        plugins: plugins(id, doc),
        ..CniConfig::default()
    }
}

fn plugins(id: FileId, doc: &Node) -> Vec<CniPluginEvidence> {
    let Some((k, v)) = doc
        .get("addonsConfig")
        .and_then(|a| a.entry("disableDefaultAddons"))
    else {
        return Vec::new();
    };
    if v.as_bool() != Some(true) {
        return Vec::new();
    }
    vec![CniPluginEvidence {
        kind: CniPluginKind::NoDefaultAddons,
        what: "addonsConfig.disableDefaultAddons is true".to_string(),
        span: Span::new(id, k.start, v.end.max(k.end)),
    }]
}
