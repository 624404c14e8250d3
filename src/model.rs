//! The format-independent cluster model (DESIGN.md §3).
//!
//! Terraform and eksctl front ends build these types; the capacity engine and the rules read
//! only these types. Every input value is a [`Value`]: known (with where it was written and the
//! chain it came through), unknown (with why), or absent (a default applies). Rules that need
//! an unknown value emit EKS901 instead of guessing.

use crate::source::Span;
use ipnet::{IpNet, Ipv4Net};
use std::collections::BTreeMap;

/// Where a known value came from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origin {
    /// The span that best explains the value (e.g. the `max_size = 80` attribute).
    pub span: Span,
    /// Further spans it flowed through, outermost last: tfvars line, variable default,
    /// module input. Shown as related locations.
    pub via: Vec<Span>,
    /// The value was not written: eks-lint applied the documented default; `span` is the
    /// enclosing block.
    pub defaulted: bool,
}

impl Origin {
    pub fn at(span: Span) -> Self {
        Origin {
            span,
            via: Vec::new(),
            defaulted: false,
        }
    }

    pub fn defaulted(span: Span) -> Self {
        Origin {
            span,
            via: Vec::new(),
            defaulted: true,
        }
    }

    /// All spans: the main one first, then the chain.
    pub fn spans(&self) -> impl Iterator<Item = Span> + '_ {
        std::iter::once(self.span).chain(self.via.iter().copied())
    }
}

/// Why a value could not be known statically.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    /// Human sentence fragment, e.g. "it comes from data source `data.aws_subnets.private`".
    pub reason: String,
    pub span: Span,
}

/// A tri-state input value.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Value<T> {
    Known(T, Origin),
    Unknown(Unknown),
    #[default]
    Absent,
}

impl<T> Value<T> {
    pub fn known(value: T, span: Span) -> Self {
        Value::Known(value, Origin::at(span))
    }

    pub fn unknown(reason: impl Into<String>, span: Span) -> Self {
        Value::Unknown(Unknown {
            reason: reason.into(),
            span,
        })
    }

    pub fn get(&self) -> Option<&T> {
        match self {
            Value::Known(v, _) => Some(v),
            _ => None,
        }
    }

    pub fn origin(&self) -> Option<&Origin> {
        match self {
            Value::Known(_, o) => Some(o),
            _ => None,
        }
    }

    pub fn unknown_reason(&self) -> Option<&Unknown> {
        match self {
            Value::Unknown(u) => Some(u),
            _ => None,
        }
    }

    pub fn is_known(&self) -> bool {
        matches!(self, Value::Known(..))
    }

    pub fn is_absent(&self) -> bool {
        matches!(self, Value::Absent)
    }

    /// The span of the value whether known or unknown.
    pub fn span(&self) -> Option<Span> {
        match self {
            Value::Known(_, o) => Some(o.span),
            Value::Unknown(u) => Some(u.span),
            Value::Absent => None,
        }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Value<U> {
        match self {
            Value::Known(v, o) => Value::Known(f(v), o),
            Value::Unknown(u) => Value::Unknown(u),
            Value::Absent => Value::Absent,
        }
    }

    pub fn as_ref(&self) -> Value<&T> {
        match self {
            Value::Known(v, o) => Value::Known(v, o.clone()),
            Value::Unknown(u) => Value::Unknown(u.clone()),
            Value::Absent => Value::Absent,
        }
    }
}

/// Which front end produced a cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    Terraform,
    Eksctl,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum IpFamily {
    Ipv4,
    Ipv6,
}

/// A CIDR as written, with its parse result. Kept raw so EKS401 can report bad text while
/// other rules use [`Cidr::ipv4`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cidr {
    pub text: String,
    pub parsed: Result<IpNet, CidrError>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CidrError {
    #[error("`{0}` is not a CIDR block (expected a.b.c.d/n)")]
    Syntax(String),
    #[error("`{text}` has host bits set; the network address is `{network}`")]
    HostBits { text: String, network: String },
}

impl Cidr {
    /// Parse strictly: syntax errors and host bits are errors (AWS rejects both).
    pub fn parse(text: &str) -> Cidr {
        let t = text.trim();
        let parsed = match t.parse::<IpNet>() {
            Ok(net) if net.network() != net.addr() => Err(CidrError::HostBits {
                text: t.to_string(),
                network: net.trunc().to_string(),
            }),
            Ok(net) => Ok(net),
            Err(_) => Err(CidrError::Syntax(t.to_string())),
        };
        Cidr {
            text: t.to_string(),
            parsed,
        }
    }

    /// The IPv4 network, if the text is a valid IPv4 CIDR. Host bits are truncated here so
    /// capacity can still be computed after EKS401 reported them.
    pub fn ipv4(&self) -> Option<Ipv4Net> {
        match &self.parsed {
            Ok(IpNet::V4(n)) => Some(*n),
            Err(CidrError::HostBits { .. }) => self.text.parse::<Ipv4Net>().ok().map(|n| n.trunc()),
            _ => None,
        }
    }
}

/// A VPC: primary CIDR first, then secondary associations.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Vpc {
    /// Display name, e.g. `aws_vpc.main` or `module.vpc` or `vpc` (eksctl).
    pub name: String,
    pub span: Span,
    pub cidrs: Vec<Value<Cidr>>,
}

/// Index into [`Cluster::subnets`].
pub type SubnetId = usize;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Subnet {
    /// Display name, e.g. `aws_subnet.private[0]`, `module.vpc.private_subnets[1]`,
    /// `private/us-west-2a` (eksctl).
    pub name: String,
    /// The block or entry that defines the subnet.
    pub span: Span,
    pub cidr: Value<Cidr>,
    /// Availability zone name or id (`use1-az1`).
    pub az: Value<String>,
    /// Public subnet (eksctl public, tf `map_public_ip_on_launch`, vpc module public_subnets).
    pub public: Option<bool>,
    /// Tags that matter, e.g. `kubernetes.io/role/cni`.
    pub tags: BTreeMap<String, String>,
    /// Tags whose value is not known statically: key → why (Karpenter's subnet selectors
    /// cannot tell whether they match).
    pub unknown_tags: BTreeMap<String, String>,
    /// `aws_ec2_subnet_cidr_reservation` blocks of type prefix.
    pub prefix_reservations: Vec<Value<Cidr>>,
    /// Explicit (non-prefix) reservations; they are not usable by the CNI.
    pub explicit_reservations: Vec<Value<Cidr>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NodeGroupKind {
    /// EKS managed node group (`aws_eks_node_group`, eksctl `managedNodeGroups`, eks module
    /// `eks_managed_node_groups`). EKS sets max pods with the calculator's 110/250 ceiling
    /// unless a custom AMI is used.
    Managed,
    /// Self-managed ASG (terraform) — bootstrap computes max pods without a ceiling.
    SelfManaged,
    /// eksctl `nodeGroups` (self-managed, eksctl's own max pods table, no ceiling).
    EksctlUnmanaged,
    /// Karpenter node pools (no ceiling).
    Karpenter,
    /// EKS Auto Mode node pools (built-in or with an `eks.amazonaws.com` NodeClass).
    AutoMode,
}

impl NodeGroupKind {
    /// Whether EKS applies the calculator's vCPU-based ceiling (110 / 250).
    pub fn applies_vcpu_ceiling(self) -> bool {
        matches!(self, NodeGroupKind::Managed)
    }

    pub fn label(self) -> &'static str {
        match self {
            NodeGroupKind::Managed => "managed node group",
            NodeGroupKind::SelfManaged => "self-managed node group",
            NodeGroupKind::EksctlUnmanaged => "node group",
            NodeGroupKind::Karpenter => "Karpenter node pool",
            NodeGroupKind::AutoMode => "EKS Auto Mode node pool",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeGroup {
    pub name: String,
    /// The block that defines the node group.
    pub span: Span,
    pub kind: NodeGroupKind,
    /// One entry per instance type written. Empty only when the front end could not even tell
    /// that (then `instance_types_unknown` says why).
    pub instance_types: Vec<Value<String>>,
    pub instance_types_unknown: Option<Unknown>,
    pub min_size: Value<i64>,
    pub desired_size: Value<i64>,
    pub max_size: Value<i64>,
    /// Explicit max pods (eksctl `maxPodsPerNode`, bootstrap `--max-pods`, nodeadm `maxPods`).
    pub max_pods: Value<i64>,
    /// nodeadm `kubelet.maxPodsExpression` in the bootstrap text: nodeadm's default max pods
    /// when no `maxPods` is set (`capacity::cel`).
    pub max_pods_expression: Value<String>,
    /// The subnets the nodes launch in; Unknown when the list itself cannot be resolved.
    pub subnets: Value<Vec<SubnetId>>,
    /// AMI family / type (`AL2_x86_64`, `AL2023`, `Bottlerocket`, eksctl `amiFamily`).
    pub ami_family: Value<String>,
    /// A custom AMI (launch template image) disables the EKS-managed max-pods ceiling.
    pub custom_ami: bool,
    /// The Karpenter / Auto Mode pool this group stands for (index into
    /// [`Cluster::node_pools`]): its candidates are `instance_types`, its ceiling the pool's.
    pub pool: Option<usize>,
}

impl NodeGroup {
    pub fn new(name: impl Into<String>, span: Span, kind: NodeGroupKind) -> Self {
        NodeGroup {
            name: name.into(),
            span,
            kind,
            instance_types: Vec::new(),
            instance_types_unknown: None,
            min_size: Value::Absent,
            desired_size: Value::Absent,
            max_size: Value::Absent,
            max_pods: Value::Absent,
            max_pods_expression: Value::Absent,
            subnets: Value::Absent,
            ami_family: Value::Absent,
            custom_ami: false,
            pool: None,
        }
    }
}

/// An EKS Fargate profile (`aws_eks_fargate_profile`, the eks module's `fargate_profiles`,
/// eksctl `fargateProfiles`). Every Fargate pod runs on its own micro-VM and takes one address
/// from the profile's subnets, with no warm pool; how many pods run is not in the
/// configuration (the `fargate-pods` setting says).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FargateProfile {
    pub name: String,
    /// The block or entry that defines the profile.
    pub span: Span,
    /// The subnets its pods take addresses from; Unknown when the list cannot be resolved.
    pub subnets: Value<Vec<SubnetId>>,
}

/// One VPC CNI environment setting as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvSetting {
    /// The raw string (Kubernetes env values are strings; numbers/bools are stringified).
    pub value: String,
    pub origin: Origin,
}

/// ENIConfig for custom networking: pod subnet per AZ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EniConfig {
    pub az: Value<String>,
    pub subnet: Value<SubnetId>,
    pub span: Span,
}

/// A sign in the configuration of which CNI plugin gives pods their addresses (issue 14 item
/// 9). The capacity engine (`capacity::pod_network`) decides from all of them together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CniPluginEvidence {
    pub kind: CniPluginKind,
    /// What was found, for messages: "helm_release `cilium` (chart cilium, ipam.mode=cluster-pool)".
    pub what: String,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CniPluginKind {
    /// Calico's CNI and IPAM (`installation.cni.type: Calico`): pods from Calico IP pools.
    CalicoOverlay,
    /// Cilium with its own IPAM (cluster-pool, kubernetes, multi-pool): pods not from the VPC.
    CiliumOverlay,
    /// Cilium ENI IPAM (`eni.enabled`, `ipam.mode: eni`): pods take VPC addresses through
    /// Cilium's operator, with its own pre-allocation.
    CiliumEni,
    /// Calico or Cilium chained with the VPC CNI (policy only): the VPC CNI gives addresses.
    Chained,
    /// The `aws-node` DaemonSet is deleted or patched to run on no node.
    AwsNodeRemoved,
    /// EKS installs no default networking add-ons (`bootstrap_self_managed_addons = false`,
    /// eksctl `addonsConfig.disableDefaultAddons`): without a `vpc-cni` add-on there is no
    /// VPC CNI.
    NoDefaultAddons,
}

/// The VPC CNI configuration as written (env vars). Parsing and defaults live in
/// `aws::cni::CniSettings`, so every rule reads the same interpretation.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CniConfig {
    /// Env name → setting. Later sources override earlier ones (addon over defaults).
    pub env: BTreeMap<String, EnvSetting>,
    /// Where the configuration is written (addon block, helm_release), if anywhere.
    pub span: Option<Span>,
    /// The configuration exists but could not be read (e.g. `configuration_values` from a
    /// data source). Rules that depend on CNI settings report EKS901 instead of assuming
    /// defaults.
    pub unknown: Option<Unknown>,
    pub eni_configs: Vec<EniConfig>,
    /// Signs of another CNI plugin (Calico, Cilium) or of the VPC CNI's absence.
    pub plugins: Vec<CniPluginEvidence>,
}

impl CniConfig {
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<String>, origin: Origin) {
        self.env.insert(
            name.into(),
            EnvSetting {
                value: value.into(),
                origin,
            },
        );
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    pub name: Value<String>,
    /// The block / document that defines the cluster.
    pub span: Span,
    pub source: SourceKind,
    pub ip_family: Value<IpFamily>,
    pub service_cidr: Value<Cidr>,
    pub vpc: Option<Vpc>,
    /// Every subnet the cluster can see (its VPC's subnets and those it references).
    pub subnets: Vec<Subnet>,
    /// Subnets given to the control plane (`vpc_config.subnet_ids`, eksctl: all subnets).
    pub control_plane_subnets: Value<Vec<SubnetId>>,
    pub node_groups: Vec<NodeGroup>,
    pub fargate_profiles: Vec<FargateProfile>,
    pub cni: CniConfig,
    /// Where the cluster is defined, for a cluster without a known name: "`module.eks` in
    /// `examples/x/main.tf`" (the front end gives the address, `lib.rs` adds the file).
    pub defined_at: Option<String>,
    /// Set by the pipeline when another cluster of the run has the same display name: what
    /// keeps this one's keys, and so its findings' fingerprints, apart.
    pub disambiguator: Option<String>,
    /// Karpenter and EKS Auto Mode node pools; each also has a node group (`NodeGroup::pool`).
    pub node_pools: Vec<NodePool>,
    /// EKS Auto Mode compute (`compute_config`, eksctl `autoModeConfig`), if written.
    pub auto_mode: Option<AutoMode>,
    /// Compute left out of the model by a limit (node groups and pools past
    /// `EKS_LINT_MAX_NODE_GROUPS`): why, and where the first left out is.
    pub dropped: Vec<Unknown>,
    /// Sources of NodePools that could not be read (a `kubectl_manifest` whose YAML is not
    /// known, a Helm chart that builds them): (what, why). The cluster is not fully checked.
    pub unread_pools: Vec<(String, Unknown)>,
    /// Compute a module that is not read may define (a remote module not downloaded whose
    /// inputs name node pools, node groups or Karpenter): why, and where the call is.
    pub unread_compute: Vec<Unknown>,
}

/// EKS Auto Mode as the cluster configures it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutoMode {
    /// The `compute_config` block / `autoModeConfig` entry.
    pub span: Span,
    pub enabled: Value<bool>,
    /// The built-in pools to run (`general-purpose`, `system`).
    pub node_pools: Value<Vec<String>>,
}

impl Cluster {
    pub fn new(name: Value<String>, span: Span, source: SourceKind) -> Self {
        Cluster {
            name,
            span,
            source,
            ip_family: Value::Absent,
            service_cidr: Value::Absent,
            vpc: None,
            subnets: Vec::new(),
            control_plane_subnets: Value::Absent,
            node_groups: Vec::new(),
            fargate_profiles: Vec::new(),
            cni: CniConfig::default(),
            defined_at: None,
            disambiguator: None,
            node_pools: Vec::new(),
            auto_mode: None,
            dropped: Vec::new(),
            unread_pools: Vec::new(),
            unread_compute: Vec::new(),
        }
    }

    /// The entity key of the cluster: findings' keys start with it.
    pub fn key(&self) -> String {
        match &self.disambiguator {
            Some(d) => format!("cluster/{}@{d}", self.display_name()),
            None => format!("cluster/{}", self.display_name()),
        }
    }

    /// Whether EKS Auto Mode compute is known to be on.
    pub fn auto_mode_enabled(&self) -> bool {
        self.auto_mode
            .as_ref()
            .is_some_and(|a| a.enabled.get() == Some(&true))
    }

    /// A display name for messages: the name, else where the cluster is defined.
    pub fn display_name(&self) -> String {
        match (&self.name, &self.defined_at) {
            (Value::Known(n, _), _) => n.clone(),
            (_, Some(at)) => at.clone(),
            _ => "(unnamed cluster)".to_string(),
        }
    }
}

// Karpenter NodePools and EKS Auto Mode node pools (issue 15): what a manifest says, before
// and after `karpenter::attach` turned its requirements into candidate instance types and its
// subnet selectors into subnets. The capacity engine sees a pool as a node group of kind
// `Karpenter` whose `pool` points here; these methods say how far its node ceiling is known.

/// Which node class a pool launches with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NodeClassKind {
    /// `karpenter.k8s.aws` EC2NodeClass (self-hosted Karpenter).
    Ec2NodeClass,
    /// `eks.amazonaws.com` NodeClass (a custom EKS Auto Mode pool).
    AutoModeNodeClass,
    /// EKS Auto Mode's built-in `general-purpose` or `system` pool.
    AutoModeBuiltIn,
}

impl NodeClassKind {
    pub fn label(self) -> &'static str {
        match self {
            NodeClassKind::Ec2NodeClass => "Karpenter NodePool",
            NodeClassKind::AutoModeNodeClass => "EKS Auto Mode NodePool",
            NodeClassKind::AutoModeBuiltIn => "EKS Auto Mode built-in NodePool",
        }
    }

    pub fn is_auto_mode(self) -> bool {
        self != NodeClassKind::Ec2NodeClass
    }
}

/// A node selector operator (Kubernetes `NodeSelectorOperator`, as Karpenter accepts them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    In,
    NotIn,
    Exists,
    DoesNotExist,
    Gt,
    Lt,
}

impl Operator {
    pub fn parse(s: &str) -> Option<Operator> {
        Some(match s {
            "In" => Operator::In,
            "NotIn" => Operator::NotIn,
            "Exists" => Operator::Exists,
            "DoesNotExist" => Operator::DoesNotExist,
            "Gt" => Operator::Gt,
            "Lt" => Operator::Lt,
            _ => return None,
        })
    }
}

/// One entry of `spec.template.spec.requirements`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    pub key: String,
    pub op: Operator,
    pub values: Vec<String>,
    pub span: Span,
}

/// A `subnetSelectorTerms` entry: every field of a term must match (AND); terms are ORed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubnetTerm {
    pub id: Option<String>,
    /// Tag key → value; `*` matches any value (Karpenter's tag selector).
    pub tags: BTreeMap<String, String>,
    pub span: Span,
}

/// `spec.limits`: resource → quantity. CPU in millicores, memory in bytes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PoolLimits {
    pub cpu_millis: Value<u64>,
    pub memory_bytes: Value<u64>,
    pub nodes: Value<u64>,
    pub pods: Value<u64>,
    /// Limits on other resources (ephemeral-storage, GPUs): not modelled, so the ceiling
    /// ignores them (it can only be lower).
    pub other: Vec<(String, Span)>,
    /// The `limits` block, if written.
    pub span: Option<Span>,
}

impl PoolLimits {
    /// Whether any limit bounds the node count.
    pub fn any_known(&self) -> bool {
        self.cpu_millis.is_known()
            || self.memory_bytes.is_known()
            || self.nodes.is_known()
            || self.pods.is_known()
    }
}

/// A NodePool with the node class it references.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodePool {
    pub name: String,
    /// The NodePool document (or the cluster block for a built-in Auto Mode pool).
    pub span: Span,
    /// `karpenter.sh/v1`, `karpenter.sh/v1beta1`, or `eks.amazonaws.com` for built-ins.
    pub api_version: String,
    pub class: NodeClassKind,
    /// `nodeClassRef.name`.
    pub class_name: Value<String>,
    /// The node class document, once linked.
    pub class_span: Option<Span>,
    pub requirements: Vec<Requirement>,
    /// The requirements could not be read (e.g. an unknown Terraform value).
    pub requirements_unknown: Option<Unknown>,
    pub limits: PoolLimits,
    /// `spec.replicas` (a static NodePool: exactly that many nodes).
    pub replicas: Value<u64>,
    /// Candidate instance types: every type of the table the requirements allow.
    pub candidates: Vec<&'static str>,
    /// Requirement keys the table has no data for, with the requirement's span: the
    /// candidates ignore them (an upper bound), and the pool is only partly checked.
    pub unknown_keys: Vec<(String, Span)>,
    /// `subnetSelectorTerms` of the node class (Absent: the class was not found).
    pub subnet_terms: Value<Vec<SubnetTerm>>,
    /// Auto Mode `podSubnetSelectorTerms`.
    pub pod_subnet_terms: Value<Vec<SubnetTerm>>,
    /// The subnets the selectors match among the modelled ones.
    pub subnets: Value<Vec<SubnetId>>,
    /// Terms that matched no modelled subnet.
    pub unmatched_terms: Vec<SubnetTerm>,
    /// `kubelet.maxPods` (EC2NodeClass in v1, the NodePool in v1beta1).
    pub max_pods: Value<i64>,
    /// `kubelet.podsPerCore`.
    pub pods_per_core: Value<i64>,
    /// EC2NodeClass `amiFamily` or the family of `amiSelectorTerms[].alias`.
    pub ami_family: Value<String>,
    /// How the pool was tied to its cluster when that was a guess.
    pub link_guess: Option<String>,
}

impl NodePool {
    pub fn new(name: impl Into<String>, span: Span, class: NodeClassKind) -> Self {
        NodePool {
            name: name.into(),
            span,
            api_version: String::new(),
            class,
            class_name: Value::Absent,
            class_span: None,
            requirements: Vec::new(),
            requirements_unknown: None,
            limits: PoolLimits::default(),
            replicas: Value::Absent,
            candidates: Vec::new(),
            unknown_keys: Vec::new(),
            subnet_terms: Value::Absent,
            pod_subnet_terms: Value::Absent,
            subnets: Value::Absent,
            unmatched_terms: Vec::new(),
            max_pods: Value::Absent,
            pods_per_core: Value::Absent,
            ami_family: Value::Absent,
            link_guess: None,
        }
    }

    /// Whether the pool's node count has a ceiling eks-lint knows: a known limit or
    /// `replicas`.
    pub fn is_bounded(&self) -> bool {
        self.replicas.is_known() || self.limits.any_known()
    }

    /// Whether every value the ceiling and the address demand depend on is known.
    pub fn fully_known(&self) -> bool {
        self.unknowns().is_empty() && self.unknown_keys.is_empty()
    }

    /// The values the pool's figures needed but could not know (what, why and where).
    pub fn unknowns(&self) -> Vec<(String, Unknown)> {
        let mut out = Vec::new();
        if let Some(u) = &self.requirements_unknown {
            out.push(("the requirements".to_string(), u.clone()));
        }
        for (what, v) in [
            ("limits.cpu", &self.limits.cpu_millis),
            ("limits.memory", &self.limits.memory_bytes),
            ("limits.nodes", &self.limits.nodes),
            ("limits.pods", &self.limits.pods),
            ("replicas", &self.replicas),
        ] {
            if let Some(u) = v.unknown_reason() {
                out.push((what.to_string(), u.clone()));
            }
        }
        for (what, v) in [
            ("subnetSelectorTerms", &self.subnet_terms),
            ("podSubnetSelectorTerms", &self.pod_subnet_terms),
        ] {
            if let Some(u) = v.unknown_reason() {
                out.push((what.to_string(), u.clone()));
            }
        }
        for (what, v) in [
            ("kubelet.maxPods", &self.max_pods),
            ("kubelet.podsPerCore", &self.pods_per_core),
        ] {
            if let Some(u) = v.unknown_reason() {
                out.push((what.to_string(), u.clone()));
            }
        }
        for (key, span) in &self.unknown_keys {
            out.push((
                format!("requirement `{key}`"),
                Unknown {
                    reason: "eks-lint has no instance data for this label".to_string(),
                    span: *span,
                },
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_parse_is_strict_about_host_bits() {
        let c = Cidr::parse("10.0.0.1/16");
        assert!(matches!(c.parsed, Err(CidrError::HostBits { .. })));
        assert_eq!(c.ipv4().unwrap().to_string(), "10.0.0.0/16");
        assert!(Cidr::parse("10.0.0.0/33").parsed.is_err());
        assert!(Cidr::parse("300.1.1.1/16").ipv4().is_none());
        assert!(Cidr::parse("2001:db8::/56").ipv4().is_none());
        assert_eq!(
            Cidr::parse(" 10.1.0.0/22 ").ipv4().unwrap().to_string(),
            "10.1.0.0/22"
        );
    }
}
