//! The floor for the whole-binary benchmark: discovery + read + parse of every file, no
//! analysis. `cargo run --release --example parse-only -- DIR...`
use rayon::prelude::*;

// The same allocator as the binary, so the ratio measures analysis, not the allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::path::PathBuf;

fn main() {
    let paths: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    let access =
        eks_lint::access::Access::new(std::sync::Arc::new(eks_lint::OsFs), &paths, &[], false);
    let walk = eks_lint::discover::Walk {
        exclude: &[],
        access: &access,
        base: None,
    };
    let roots = eks_lint::discover::project_roots(&paths, &walk);
    let (found, _) = eks_lint::discover::discover(&roots, &walk);
    let (bytes, errors) = found
        .par_iter()
        .map(|f| {
            let Ok(text) = std::fs::read_to_string(&f.path) else {
                return (0, 1);
            };
            let ok = match f.kind {
                eks_lint::discover::FileKind::Yaml => {
                    eks_lint::eksctl::yaml::parse(&text, &eks_lint::limits::Limits::DEFAULT).is_ok()
                }
                eks_lint::discover::FileKind::TerraformJson => {
                    serde_json::from_str::<serde_json::Value>(&text).is_ok()
                }
                _ => hcl_edit::parser::parse_body(&text).is_ok(),
            };
            (text.len(), usize::from(!ok))
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    println!("{} files, {bytes} bytes, {errors} errors", found.len());
}
