//! The output formats, on their own so the CLI's argument types can name them without
//! depending on the renderers.

/// An output format (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Format {
    Human,
    Concise,
    Json,
    Sarif,
    Github,
    Markdown,
    Junit,
}
