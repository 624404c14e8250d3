//! Criterion micro-benchmarks of each pipeline stage on a generated repository (the same
//! generator as `scripts/bench.sh`): parse, evaluate, capacity, rules and render.
//! `cargo bench --bench stages [-- FILTER]`. Whole-binary figures come from scripts/bench.sh.

#[path = "gen_repo.rs"]
#[allow(dead_code)]
mod gen_repo;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use eks_lint::capacity::{self, CapacityOptions};
use eks_lint::cli::Format;
use eks_lint::render::{self, Options};
use eks_lint::settings::Settings;
use eks_lint::source::{FileId, SourceFile, SourceMap};
use std::path::{Path, PathBuf};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ROOTS: usize = 100;

/// Every file of a generated repository of `ROOTS` roots, in memory.
struct Repo {
    _dir: tempfile::TempDir,
    files: Vec<(PathBuf, String)>,
}

fn repo() -> Repo {
    let dir = tempfile::tempdir().expect("tempdir");
    gen_repo::generate(&gen_repo::Args {
        roots: ROOTS,
        seed: 7,
        out: dir.path().to_path_buf(),
    })
    .expect("generate");
    let mut files: Vec<(PathBuf, String)> = walkdir::WalkDir::new(dir.path())
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let text = std::fs::read_to_string(e.path()).expect("read");
            (e.path().to_path_buf(), text)
        })
        .collect();
    files.sort();
    Repo { _dir: dir, files }
}

fn is_yaml(p: &Path) -> bool {
    p.extension().is_some_and(|e| e == "yaml")
}

fn sources(repo: &Repo) -> (SourceMap, Vec<FileId>, Vec<FileId>) {
    let mut map = SourceMap::new();
    let (mut tf, mut yaml) = (Vec::new(), Vec::new());
    for (p, text) in &repo.files {
        let id = map.add(SourceFile::new(
            p.clone(),
            p.display().to_string(),
            text.as_str(),
        ));
        if is_yaml(p) {
            yaml.push(id);
        } else {
            tf.push(id);
        }
    }
    (map, tf, yaml)
}

fn bytes(repo: &Repo, yaml: bool) -> u64 {
    repo.files
        .iter()
        .filter(|(p, _)| is_yaml(p) == yaml)
        .map(|(_, t)| t.len() as u64)
        .sum()
}

fn settings() -> Settings {
    Settings {
        nested_configs: false,
        ..Settings::default()
    }
}

fn stages(c: &mut Criterion) {
    let repo = repo();
    let s = settings();

    let mut g = c.benchmark_group("parse");
    g.throughput(Throughput::Bytes(bytes(&repo, false)));
    g.bench_function("hcl", |b| {
        b.iter(|| {
            for (p, text) in &repo.files {
                if !is_yaml(p) && !p.to_string_lossy().ends_with(".json") {
                    let _ = hcl_edit::parser::parse_body(text);
                }
            }
        })
    });
    g.throughput(Throughput::Bytes(bytes(&repo, true)));
    g.bench_function("eksctl_yaml", |b| {
        b.iter(|| {
            for (p, text) in &repo.files {
                if is_yaml(p) {
                    let _ = eks_lint::eksctl::yaml::parse(text, &eks_lint::limits::Limits::DEFAULT);
                }
            }
        })
    });
    g.finish();

    let mut g = c.benchmark_group("evaluate");
    g.throughput(Throughput::Bytes(bytes(&repo, false)));
    g.bench_function("terraform_load", |b| {
        let (map, tf, _) = sources(&repo);
        let access = eks_lint::access::Access::new(
            std::sync::Arc::new(eks_lint::MemFs::new()),
            &[],
            &[],
            false,
        );
        b.iter(|| eks_lint::terraform::load(&tf, &map, &s, &Default::default(), &access, &[]).0)
    });
    g.finish();

    let (map, tf, yaml) = sources(&repo);
    let report = eks_lint::analyze(map, &tf, &yaml, Default::default(), &s);
    let opts = CapacityOptions::default();

    let mut g = c.benchmark_group("capacity");
    g.throughput(Throughput::Elements(report.clusters.len() as u64));
    g.bench_function("analyze", |b| {
        b.iter(|| {
            report
                .clusters
                .iter()
                .map(|cl| capacity::pod_facts::analyze(cl, opts).node_groups.len())
                .sum::<usize>()
        })
    });
    g.bench_function("rules", |b| {
        b.iter(|| {
            report
                .clusters
                .iter()
                .zip(&report.facts)
                .map(|(cl, f)| {
                    let ctx = eks_lint::rules::Ctx::new(cl, f, &report.sources, &s);
                    eks_lint::rules::run(&ctx).len()
                })
                .sum::<usize>()
        })
    });
    g.finish();

    let mut g = c.benchmark_group("render");
    g.throughput(Throughput::Elements(report.diagnostics.len() as u64));
    let ropts = Options::default();
    for (name, f) in [
        ("human", Format::Human),
        ("concise", Format::Concise),
        ("json", Format::Json),
        ("sarif", Format::Sarif),
        ("github", Format::Github),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| render::render(f, &report, &ropts).len())
        });
    }
    g.finish();

    let mut g = c.benchmark_group("pipeline");
    g.throughput(Throughput::Bytes(bytes(&repo, false) + bytes(&repo, true)));
    g.bench_function("analyze_in_memory", |b| {
        b.iter_batched(
            || sources(&repo),
            |(map, tf, yaml)| eks_lint::analyze(map, &tf, &yaml, Default::default(), &s),
            BatchSize::SmallInput,
        )
    });
    g.bench_function("check_from_disk", |b| {
        let root = repo._dir.path().to_path_buf();
        b.iter(|| {
            eks_lint::check(std::slice::from_ref(&root), &s)
                .diagnostics
                .len()
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = stages
}
criterion_main!(benches);
