//! Renderers: they format diagnostics, never compute.

pub mod concise;
