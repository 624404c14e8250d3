//! The library embedded (issue 13): `check` over an in-memory tree finds exactly what it finds
//! over the same tree on disk, on a thread pool the caller owns.

use eks_lint::render::{self, Format, Options};
use eks_lint::{check, Level, MemFs, Report, Settings};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A root module calling a local module, a tfvars file, a `file()` read that decides a node
/// group's size, an eks-lint.toml that changes a level, and an ignored directory whose broken
/// file would be an error if it were read.
const TREE: &[(&str, &str)] = &[
    (
        "main.tf",
        r#"module "net" {
  source = "./modules/net"
  cidr   = "10.1.0.0/16"
}

locals {
  sizes = jsondecode(file("${path.module}/sizes.json"))
}

variable "cluster_name" {
  type = string
}

resource "aws_eks_cluster" "c" {
  name     = var.cluster_name
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {
    subnet_ids = module.net.subnet_ids
  }
}

resource "aws_eks_node_group" "g" {
  cluster_name    = aws_eks_cluster.c.name
  node_group_name = "g"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = module.net.subnet_ids
  instance_types  = ["m5.large"]
  scaling_config {
    min_size     = 1
    desired_size = 1
    max_size     = local.sizes.max
  }
}
"#,
    ),
    ("terraform.tfvars", "cluster_name = \"from-tfvars\"\n"),
    ("sizes.json", "{\"max\": 30}\n"),
    (
        "modules/net/main.tf",
        r#"variable "cidr" {
  type = string
}

resource "aws_vpc" "v" {
  cidr_block = var.cidr
}

resource "aws_subnet" "n" {
  count      = 2
  vpc_id     = aws_vpc.v.id
  cidr_block = cidrsubnet(var.cidr, 11, count.index)
}

output "subnet_ids" {
  value = aws_subnet.n[*].id
}
"#,
    ),
    ("eks-lint.toml", "[rules.EKS101]\nlevel = \"warning\"\n"),
    (".gitignore", "scratch/\n"),
    ("scratch/broken.tf", "resource \"x\" {\n"),
];

fn run(root: &Path, vfs: Arc<dyn eks_lint::Vfs>) -> (Report, String) {
    let settings = Settings {
        nested_configs: true,
        base_dir: Some(root.to_path_buf()),
        vfs,
        ..Settings::default()
    };
    // The caller's pool: the library creates none.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .stack_size(eks_lint::limits::STACK_SIZE)
        .build()
        .unwrap();
    let report = pool.install(|| check(&[root.to_path_buf()], &settings));
    let text = render::render(Format::Concise, &report, &Options::default());
    (report, text)
}

#[test]
fn check_in_memory_equals_check_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let disk_root = dir.path().canonicalize().unwrap();
    for (name, text) in TREE {
        let p = disk_root.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let mem_root = PathBuf::from("/repo");
    let mut fs = MemFs::new();
    for (name, text) in TREE {
        fs.insert(mem_root.join(name), *text);
    }

    let (disk, disk_text) = run(&disk_root, Arc::new(eks_lint::OsFs));
    let (mem, mem_text) = run(&mem_root, Arc::new(fs));
    assert_eq!(mem_text, disk_text);
    assert_eq!(mem.input_errors, disk.input_errors);
    assert_eq!(mem.sources.len(), disk.sources.len());

    // What makes the comparison mean something: every input took part in both runs.
    assert!(mem.input_errors.is_empty(), "{:?}", mem.input_errors);
    assert_eq!(mem.clusters.len(), 1);
    let name = format!("{:?}", mem.clusters[0].name);
    assert!(name.contains("from-tfvars"), "tfvars not applied: {name}");
    // The node group's size comes from `file()`; the local module supplies the subnets; the
    // configuration file makes EKS101 a warning.
    let eks101: Vec<_> = mem
        .diagnostics
        .iter()
        .filter(|d| d.code == eks_lint::code::Code::EKS101)
        .collect();
    assert!(!eks101.is_empty(), "{mem_text}");
    assert!(
        eks101.iter().all(|d| d.level == Level::Warning),
        "{mem_text}"
    );
    // The ignored directory was not read.
    assert!(!mem_text.contains("broken.tf"), "{mem_text}");
    assert_eq!(
        mem.skipped,
        vec![eks_lint::Skipped {
            source: ".gitignore",
            files: 1
        }]
    );
}

#[test]
fn the_default_settings_read_no_environment() {
    // The CLI passes these in; a library user sets them or gets the defaults.
    std::env::set_var("TF_VAR_cluster_name", "from-env");
    std::env::set_var("EKS_LINT_MAX_FILES", "1");
    let s = Settings::default();
    assert!(s.env_vars.is_empty());
    assert_eq!(s.limits, eks_lint::Limits::default());
    assert_eq!(s.base_dir, None);
}

#[test]
fn analyze_reads_through_the_provider_it_is_given() {
    let root = PathBuf::from("/repo");
    let fs = MemFs::new().with(root.join("sizes.json"), "{\"max\": 30}\n");
    let settings = Settings {
        base_dir: Some(root.clone()),
        vfs: Arc::new(fs),
        ..Settings::default()
    };
    let run = |input: eks_lint::Input| {
        let mut sources = eks_lint::source::SourceMap::new();
        let tf: Vec<_> = ["main.tf", "terraform.tfvars", "modules/net/main.tf"]
            .iter()
            .map(|name| {
                let text = TREE.iter().find(|(n, _)| n == name).unwrap().1;
                let file =
                    eks_lint::source::SourceFile::new(root.join(name), name.to_string(), text);
                sources.add(file)
            })
            .collect();
        eks_lint::analyze(sources, &tf, &[], input, &settings)
    };
    let eks101 = |r: &Report| {
        r.diagnostics
            .iter()
            .filter(|d| d.code == eks_lint::code::Code::EKS101)
            .count()
    };
    // Only `file()` decides the node group's size: read, it overflows the subnets.
    assert_eq!(eks101(&run(eks_lint::Input::default())), 0);
    assert_eq!(
        eks101(&run(eks_lint::Input::reading(
            &settings,
            std::slice::from_ref(&root)
        ))),
        1
    );
}
