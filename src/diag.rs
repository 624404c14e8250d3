//! Diagnostics: what rules and front ends report, before rendering.

use crate::code::Code;
use crate::source::Span;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    // Order matters: Error sorts first.
    Error,
    Warning,
    Note,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "note",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        match s.to_ascii_lowercase().as_str() {
            "error" => Some(Level::Error),
            "warning" | "warn" => Some(Level::Warning),
            "note" | "info" => Some(Level::Note),
            _ => None,
        }
    }

    /// True when `self` is at least as severe as `threshold`.
    pub fn at_least(self, threshold: Level) -> bool {
        self <= threshold
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A secondary location that fed the finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub span: Span,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Rule code, e.g. `EKS101`.
    pub code: Code,
    pub level: Level,
    /// One sentence (or a few) with the numbers and the inputs that produced them.
    pub message: String,
    /// The most relevant input (e.g. the `max_size` attribute).
    pub span: Span,
    /// Short label shown under the primary span.
    pub label: Option<String>,
    pub related: Vec<Related>,
    /// The concrete fix.
    pub help: Option<String>,
    /// Identifies the finding independently of line numbers, for SARIF fingerprints and
    /// suppressions: e.g. `cluster/prod/nodegroup/general`.
    pub key: String,
    /// The block of the entity the finding is about (node group, subnet, cluster): a
    /// suppression comment above that block applies even when `span` is elsewhere (a tfvars
    /// line, a variable default).
    pub entity: Option<Span>,
}

impl Diagnostic {
    pub fn new(code: Code, level: Level, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            level,
            message: message.into(),
            span,
            label: None,
            related: Vec::new(),
            help: None,
            key: String::new(),
            entity: None,
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_key(mut self, key: impl Into<String>) -> Self {
        self.key = key.into();
        self
    }

    pub fn with_entity(mut self, span: Span) -> Self {
        self.entity = Some(span);
        self
    }

    /// Add a related location unless it is the primary span or already listed.
    pub fn related(mut self, span: Span, message: impl Into<String>) -> Self {
        self.push_related(span, message);
        self
    }

    pub fn push_related(&mut self, span: Span, message: impl Into<String>) {
        if span != self.span && !self.related.iter().any(|r| r.span == span) {
            self.related.push(Related {
                span,
                message: message.into(),
            });
        }
    }
}
