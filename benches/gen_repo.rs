//! Deterministic generator of synthetic eks-lint benchmark repositories.
//!
//! `cargo run --release --example gen-repo -- --roots N --seed S --out DIR`
//!
//! Layout: `DIR/roots/<name>/{versions,variables,main}.tf + terraform.tfvars`, a local wrapper
//! module `DIR/modules/shared-eks` used by a third of the roots, and one eksctl ClusterConfig
//! per five roots under `DIR/eksctl/`. Same seed, same bytes.
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// xorshift64*: tiny, deterministic, good enough for picking shapes.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
}

const REGIONS: &[&str] = &["eu-west-1", "us-east-1", "us-west-2", "ap-southeast-2"];
const INSTANCES: &[&str] = &[
    "m5.large",
    "m5.xlarge",
    "m5.2xlarge",
    "m5.8xlarge",
    "m6i.large",
    "m6i.4xlarge",
    "c5.xlarge",
    "c6g.2xlarge",
    "r5.2xlarge",
    "t3.medium",
    "t3.large",
    "m7g.xlarge",
];
const TEAMS: &[&str] = &[
    "payments", "orders", "search", "identity", "billing", "ml", "data", "edge", "platform",
];
const ENVS: &[&str] = &["dev", "staging", "prod", "sandbox"];

pub struct Args {
    pub roots: usize,
    pub seed: u64,
    pub out: PathBuf,
}

fn parse_args() -> Result<Args, String> {
    let mut roots = 10;
    let mut seed = 1;
    let mut out = None;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut val = || it.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--roots" => roots = val()?.parse().map_err(|e| format!("--roots: {e}"))?,
            "--seed" => seed = val()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--out" => out = Some(PathBuf::from(val()?)),
            _ => return Err(format!("unknown argument `{a}`")),
        }
    }
    Ok(Args {
        roots,
        seed,
        out: out.ok_or("--out DIR is required")?,
    })
}

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, text)
}

fn azs(region: &str) -> String {
    format!("[\"{region}a\", \"{region}b\", \"{region}c\"]")
}

/// Filler comments so file sizes resemble hand-written configurations.
fn header(out: &mut String, rng: &mut Rng, what: &str) {
    let _ = writeln!(out, "# {what}");
    let _ = writeln!(out, "#");
    for _ in 0..rng.range(1, 4) {
        let _ = writeln!(
            out,
            "# Owned by the {} team; change requests go through the platform review board.",
            rng.pick(TEAMS)
        );
    }
    let _ = writeln!(out);
}

fn versions_tf(rng: &mut Rng, region: &str, name: &str) -> String {
    let mut s = String::new();
    header(&mut s, rng, "Provider and backend configuration.");
    let _ = write!(
        s,
        r#"terraform {{
  required_version = ">= 1.5.0"

  required_providers {{
    aws = {{
      source  = "hashicorp/aws"
      version = ">= 5.40"
    }}
  }}

  backend "s3" {{
    bucket         = "example-terraform-state"
    key            = "eks/{name}/terraform.tfstate"
    region         = "{region}"
    dynamodb_table = "terraform-locks"
    encrypt        = true
  }}
}}

provider "aws" {{
  region = var.region

  default_tags {{
    tags = {{
      ManagedBy = "terraform"
      Stack     = "{name}"
    }}
  }}
}}
"#
    );
    s
}

fn variables_tf(rng: &mut Rng, region: &str) -> String {
    let mut s = String::new();
    header(&mut s, rng, "Inputs of this root module.");
    let _ = write!(
        s,
        r#"variable "region" {{
  description = "AWS region of the cluster."
  type        = string
  default     = "{region}"
}}

variable "name" {{
  description = "Cluster and VPC name."
  type        = string
}}

variable "vpc_cidr" {{
  description = "Primary CIDR of the VPC."
  type        = string
  default     = "10.0.0.0/16"
}}

variable "azs" {{
  description = "Availability zones the subnets span."
  type        = list(string)
  default     = {azs}
}}

variable "node_instance_type" {{
  description = "Default instance type of the node groups."
  type        = string
  default     = "m5.large"
}}

variable "tags" {{
  description = "Extra tags for every resource."
  type        = map(string)
  default     = {{}}
}}
"#,
        azs = azs(region)
    );
    s
}

fn tfvars(name: &str, cidr: &str, instance: &str, env: &str) -> String {
    format!(
        "# Values for the {env} environment.\nname               = \"{name}\"\nvpc_cidr           = \"{cidr}\"\nnode_instance_type = \"{instance}\"\n\ntags = {{\n  Environment = \"{env}\"\n  CostCenter  = \"cc-{cc}\"\n}}\n",
        cc = name.len() * 97
    )
}

/// Raw aws_* resources: VPC, subnets via count or for_each + cidrsubnet, cluster, node groups.
fn raw_main(rng: &mut Rng, groups: usize) -> String {
    let mut s = String::new();
    header(
        &mut s,
        rng,
        "EKS cluster built from raw AWS provider resources.",
    );
    let newbits = rng.range(2, 6);
    let _ = write!(
        s,
        r#"resource "aws_vpc" "main" {{
  cidr_block           = var.vpc_cidr
  enable_dns_hostnames = true
  enable_dns_support   = true

  tags = merge(var.tags, {{ Name = var.name }})
}}

"#
    );
    if rng.below(2) == 0 {
        let _ = write!(
            s,
            r#"# One private subnet per AZ; /{newbits} steps inside the VPC CIDR.
resource "aws_subnet" "private" {{
  count             = length(var.azs)
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(var.vpc_cidr, {newbits}, count.index)
  availability_zone = var.azs[count.index]

  tags = {{
    "kubernetes.io/role/internal-elb" = "1"
  }}
}}

resource "aws_subnet" "public" {{
  count                   = length(var.azs)
  vpc_id                  = aws_vpc.main.id
  cidr_block              = cidrsubnet(var.vpc_cidr, 8, count.index + 200)
  availability_zone       = var.azs[count.index]
  map_public_ip_on_launch = true
}}

locals {{
  private_subnet_ids = aws_subnet.private[*].id
}}

"#
        );
    } else {
        let _ = write!(
            s,
            r#"locals {{
  # AZ name => netnum of its private subnet.
  private_netnums = {{ for i, az in var.azs : az => i }}
}}

resource "aws_subnet" "private" {{
  for_each          = local.private_netnums
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(var.vpc_cidr, {newbits}, each.value)
  availability_zone = each.key
}}

locals {{
  private_subnet_ids = [for s in aws_subnet.private : s.id]
}}

"#
        );
    }
    let version = rng.pick(&["1.29", "1.30", "1.31", "1.32"]);
    let _ = write!(
        s,
        r#"resource "aws_iam_role" "cluster" {{
  name = "${{var.name}}-cluster"
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Principal = {{ Service = "eks.amazonaws.com" }}
      Action    = "sts:AssumeRole"
    }}]
  }})
}}

resource "aws_eks_cluster" "this" {{
  name     = var.name
  version  = "{version}"
  role_arn = aws_iam_role.cluster.arn

  vpc_config {{
    subnet_ids              = local.private_subnet_ids
    endpoint_private_access = true
    endpoint_public_access  = false
  }}

  tags = var.tags
}}

"#
    );
    if rng.below(2) == 0 {
        let warm = rng.range(1, 4);
        let min = rng.range(4, 20);
        let _ = write!(
            s,
            r#"resource "aws_eks_addon" "vpc_cni" {{
  cluster_name = aws_eks_cluster.this.name
  addon_name   = "vpc-cni"
  configuration_values = jsonencode({{
    env = {{
      WARM_IP_TARGET    = "{warm}"
      MINIMUM_IP_TARGET = "{min}"
    }}
  }})
}}

"#
        );
    }
    for g in 0..groups {
        let inst = if g == 0 {
            "var.node_instance_type".to_string()
        } else {
            format!("\"{}\"", rng.pick(INSTANCES))
        };
        let max = rng.range(3, 120);
        let min = rng.range(1, 3.min(max));
        let _ = write!(
            s,
            r#"# Node group {g}: sized for the steady-state load plus one AZ failure.
resource "aws_eks_node_group" "group_{g}" {{
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "${{var.name}}-ng-{g}"
  node_role_arn   = "arn:aws:iam::123456789012:role/eks-node"
  subnet_ids      = local.private_subnet_ids
  instance_types  = [{inst}]
  capacity_type   = "{cap}"

  scaling_config {{
    min_size     = {min}
    desired_size = {min}
    max_size     = {max}
  }}

  update_config {{
    max_unavailable = 1
  }}

  labels = {{
    "workload" = "group-{g}"
  }}
}}

"#,
            cap = rng.pick(&["ON_DEMAND", "SPOT"])
        );
    }
    s
}

/// terraform-aws-modules vpc + eks module calls.
fn registry_main(rng: &mut Rng, groups: usize) -> String {
    let mut s = String::new();
    header(
        &mut s,
        rng,
        "EKS cluster from the terraform-aws-modules registry modules.",
    );
    let newbits = rng.range(2, 6);
    let _ = write!(
        s,
        r#"module "vpc" {{
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.0"

  name = var.name
  cidr = var.vpc_cidr
  azs  = var.azs

  private_subnets = [for k, v in var.azs : cidrsubnet(var.vpc_cidr, {newbits}, k)]
  public_subnets  = [for k, v in var.azs : cidrsubnet(var.vpc_cidr, 8, k + 200)]

  enable_nat_gateway = true
  single_nat_gateway = {single}

  private_subnet_tags = {{
    "kubernetes.io/role/internal-elb" = 1
  }}
  tags = var.tags
}}

module "eks" {{
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.0"

  cluster_name    = var.name
  cluster_version = "{version}"

  vpc_id     = module.vpc.vpc_id
  subnet_ids = module.vpc.private_subnets

  cluster_endpoint_public_access = false

  cluster_addons = {{
    coredns    = {{}}
    kube-proxy = {{}}
    vpc-cni = {{
      most_recent = true
      configuration_values = jsonencode({{
        env = {{
          ENABLE_PREFIX_DELEGATION = "{prefix}"
          WARM_PREFIX_TARGET       = "1"
        }}
      }})
    }}
  }}

  eks_managed_node_group_defaults = {{
    ami_type = "AL2023_x86_64_STANDARD"
  }}

  eks_managed_node_groups = {{
"#,
        single = rng.below(2) == 0,
        version = rng.pick(&["1.29", "1.30", "1.31"]),
        prefix = rng.below(2) == 0,
    );
    for g in 0..groups {
        let inst = if g == 0 {
            "var.node_instance_type".to_string()
        } else {
            format!("\"{}\"", rng.pick(INSTANCES))
        };
        let max = rng.range(3, 150);
        let _ = write!(
            s,
            r#"    group_{g} = {{
      instance_types = [{inst}]
      min_size       = 1
      max_size       = {max}
      desired_size   = 1
      labels = {{
        workload = "group-{g}"
      }}
    }}
"#
        );
    }
    s.push_str("  }\n\n  tags = var.tags\n}\n");
    s
}

/// A root that calls the shared local wrapper module.
fn wrapper_main(rng: &mut Rng) -> String {
    let mut s = String::new();
    header(
        &mut s,
        rng,
        "Cluster from the shared platform wrapper module.",
    );
    let _ = write!(
        s,
        r#"module "cluster" {{
  source = "../../modules/shared-eks"

  name          = var.name
  vpc_cidr      = var.vpc_cidr
  azs           = var.azs
  newbits       = {newbits}
  instance_type = var.node_instance_type
  node_max      = {max}
}}

output "cluster_name" {{
  value = module.cluster.cluster_name
}}
"#,
        newbits = rng.range(2, 6),
        max = rng.range(3, 200),
    );
    s
}

const SHARED_MAIN: &str = r#"# Shared EKS wrapper used by many roots: a VPC with one private subnet per AZ, a cluster
# and one managed node group. Inputs in variables.tf.

resource "aws_vpc" "this" {
  cidr_block           = var.vpc_cidr
  enable_dns_hostnames = true
}

resource "aws_subnet" "private" {
  count             = length(var.azs)
  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(var.vpc_cidr, var.newbits, count.index)
  availability_zone = var.azs[count.index]
}

resource "aws_eks_cluster" "this" {
  name     = var.name
  role_arn = "arn:aws:iam::123456789012:role/eks"

  vpc_config {
    subnet_ids = aws_subnet.private[*].id
  }
}

resource "aws_eks_node_group" "default" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "${var.name}-default"
  node_role_arn   = "arn:aws:iam::123456789012:role/eks-node"
  subnet_ids      = aws_subnet.private[*].id
  instance_types  = [var.instance_type]

  scaling_config {
    min_size     = 1
    desired_size = 2
    max_size     = var.node_max
  }
}
"#;

const SHARED_VARIABLES: &str = r#"variable "name" {
  type = string
}

variable "vpc_cidr" {
  type = string
}

variable "azs" {
  type = list(string)
}

variable "newbits" {
  description = "Bits added to the VPC prefix for each private subnet."
  type        = number
  default     = 4
}

variable "instance_type" {
  type    = string
  default = "m5.large"
}

variable "node_max" {
  type    = number
  default = 10
}
"#;

const SHARED_OUTPUTS: &str = r#"output "cluster_name" {
  value = aws_eks_cluster.this.name
}

output "private_subnet_ids" {
  value = aws_subnet.private[*].id
}
"#;

fn eksctl_yaml(rng: &mut Rng, name: &str, region: &str) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "# eksctl cluster for {name}; apply with `eksctl create cluster -f`.\napiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: {name}\n  region: {region}\n  version: \"1.30\"\nvpc:\n  cidr: 10.{b}.0.0/16\navailabilityZones: [{region}a, {region}b, {region}c]\nmanagedNodeGroups:\n",
        b = rng.range(0, 255)
    );
    for g in 0..rng.range(1, 5) {
        let _ = write!(
            s,
            "  - name: ng-{g}\n    instanceType: {}\n    minSize: 1\n    maxSize: {}\n    privateNetworking: true\n    labels:\n      workload: group-{g}\n",
            rng.pick(INSTANCES),
            rng.range(3, 100)
        );
    }
    s
}

pub fn generate(args: &Args) -> std::io::Result<usize> {
    let mut rng = Rng::new(args.seed);
    let mut files = 0;
    let shared = args.out.join("modules/shared-eks");
    write(&shared.join("main.tf"), SHARED_MAIN)?;
    write(&shared.join("variables.tf"), SHARED_VARIABLES)?;
    write(&shared.join("outputs.tf"), SHARED_OUTPUTS)?;
    files += 3;
    for i in 0..args.roots {
        let team = rng.pick(TEAMS);
        let env = rng.pick(ENVS);
        let region = rng.pick(REGIONS);
        let name = format!("{team}-{env}-{i:04}");
        let dir = args.out.join("roots").join(&name);
        let prefix = rng.pick(&["16", "18", "19", "20"]);
        let cidr = format!("10.{}.0.0/{prefix}", rng.range(0, 255));
        let instance = rng.pick(INSTANCES);
        let groups = rng.range(1, 5) as usize;
        write(
            &dir.join("versions.tf"),
            &versions_tf(&mut rng, region, &name),
        )?;
        write(&dir.join("variables.tf"), &variables_tf(&mut rng, region))?;
        write(
            &dir.join("terraform.tfvars"),
            &tfvars(&name, &cidr, instance, env),
        )?;
        let main = match i % 3 {
            0 => raw_main(&mut rng, groups),
            1 => registry_main(&mut rng, groups),
            _ => wrapper_main(&mut rng),
        };
        write(&dir.join("main.tf"), &main)?;
        files += 4;
        if i % 5 == 4 {
            write(
                &args.out.join("eksctl").join(format!("{name}.yaml")),
                &eksctl_yaml(&mut rng, &name, region),
            )?;
            files += 1;
        }
    }
    Ok(files)
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("gen-repo: {e}\nusage: gen-repo --roots N --seed S --out DIR");
            std::process::exit(2);
        }
    };
    match generate(&args) {
        Ok(n) => eprintln!(
            "gen-repo: wrote {n} files for {} roots into {}",
            args.roots,
            args.out.display()
        ),
        Err(e) => {
            eprintln!("gen-repo: {e}");
            std::process::exit(1);
        }
    }
}
