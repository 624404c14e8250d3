//! Resolved settings for one run (CLI flags merged over `eks-lint.toml`).

use crate::code::Code;
use crate::diag::Level;
use crate::limits::Limits;
use crate::vfs::Vfs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Everything a run depends on besides its paths: the library reads no environment, working
/// directory or global state, so an embedder sets what the CLI takes from the process.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Level at or above which findings make the exit code 1.
    pub fail_on: Level,
    /// `--var-file` (repeatable) and `var-files` of the configuration file, in order.
    pub var_files: Vec<PathBuf>,
    /// Files the user named on the command line (`--var-file`, `--config`): read even outside
    /// the scanned paths. `var-files` of a configuration file are not among them: a pull
    /// request can write that file ([`crate::access`]).
    pub explicit_files: Vec<PathBuf>,
    /// `--var k=v` (repeatable), in order.
    pub vars: Vec<(String, String)>,
    /// `terraform.workspace`: `--workspace`, else `TF_WORKSPACE` (the CLI's environment),
    /// else Terraform's `default`.
    pub workspace: Option<String>,
    /// Terraform variables from the environment, by name (`TF_VAR_<name>` without the
    /// prefix): the CLI fills it from its environment, below tfvars in precedence.
    pub env_vars: std::collections::BTreeMap<String, String>,
    pub exclude: Vec<String>,
    /// Expected pods per node for EKS102 (None = max pods).
    pub expected_pods_per_node: Option<u32>,
    /// Fargate pods expected per cluster, counted in the subnet demand of its Fargate profiles
    /// (one address each); 0 counts none, and the coverage says so.
    pub expected_fargate_pods: u32,
    /// EKS102 warns when fewer than this percent of addresses stay free at max size.
    pub headroom_percent: u32,
    /// EKS201 threshold.
    pub low_pod_density: u32,
    /// EKS301 fires when idle warm addresses at max size reach this percent of the subnets.
    pub waste_percent: u32,
    /// Which rules run and their levels.
    pub rules: RuleSelection,
    /// The configuration file that was applied, if any.
    pub config_file: Option<PathBuf>,
    /// Look for nearer configuration files per scanned file (not with `--config`/`--isolated`):
    /// their rule selection and levels apply to findings in their directory.
    pub nested_configs: bool,
    /// The rule selection given on the command line, laid over every configuration file.
    pub cli_rules: RuleSelection,
    /// `--exit-zero`: findings never make the exit code 1.
    pub exit_zero: bool,
    /// `--statistics`: print counts per rule.
    pub statistics: bool,
    /// `-q`: findings only, no summary.
    pub quiet: bool,
    /// `--allow-outside-root`: read local module sources outside the scanned paths.
    pub allow_outside_root: bool,
    /// `--affected-roots`: the paths are changed files; the root modules under `base_dir` (the
    /// working directory) that call a changed module are analysed too.
    pub affected_roots: bool,
    /// `[instance-types]`: types added or overridden, in name order.
    pub instance_types: Vec<(String, crate::aws::user_types::TypeConfig)>,
    /// `instance-types-json` and `--instance-types-json`: `aws ec2 describe-instance-types`
    /// output to read (applied before `[instance-types]`).
    pub instance_types_json: Vec<PathBuf>,
    /// Terraform or OpenTofu plan or state documents (`terraform show -json`, `--plan`).
    pub plan_files: Vec<PathBuf>,
    /// Resource limits (the CLI sets them from `EKS_LINT_*`).
    pub limits: Limits,
    /// Paths in outputs are shown relative to this directory when inside it (the CLI's working
    /// directory); None shows them as given.
    pub base_dir: Option<PathBuf>,
    /// Where every file is read from (the operating system's file system by default).
    pub vfs: Arc<dyn Vfs>,
}

pub mod show;

impl Default for Settings {
    fn default() -> Self {
        Settings {
            fail_on: Level::Error,
            var_files: Vec::new(),
            explicit_files: Vec::new(),
            vars: Vec::new(),
            workspace: None,
            env_vars: Default::default(),
            exclude: Vec::new(),
            expected_pods_per_node: None,
            expected_fargate_pods: 0,
            headroom_percent: 10,
            low_pod_density: 10,
            waste_percent: 50,
            rules: RuleSelection::default(),
            config_file: None,
            nested_configs: false,
            cli_rules: RuleSelection::default(),
            exit_zero: false,
            statistics: false,
            quiet: false,
            allow_outside_root: false,
            affected_roots: false,
            instance_types: Vec::new(),
            instance_types_json: Vec::new(),
            plan_files: Vec::new(),
            limits: Limits::DEFAULT,
            base_dir: None,
            vfs: Arc::new(crate::vfs::OsFs),
        }
    }
}

impl Settings {
    /// A path as outputs show it ([`crate::source::display_path`] from [`Settings::base_dir`]).
    pub fn display(&self, path: &Path) -> String {
        crate::source::display_path(self.base_dir.as_deref(), path)
    }

    /// The file-access policy for a scan of `paths` ([`crate::access`]).
    pub fn access(&self, paths: &[PathBuf]) -> crate::access::Access {
        crate::access::Access::new(
            self.vfs.clone(),
            paths,
            &self.explicit_files,
            self.allow_outside_root,
        )
        .with_max_bytes(self.limits.max_file_bytes)
    }
}

// ---------------------------------------------------------------------------------------------
// Rule selection and `eks-lint.toml`.

/// Which rules run and at which level (`select`, `extend-select`, `ignore`, `[rules.X]`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleSelection {
    /// Empty = every rule.
    pub select: Vec<String>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
    /// Code → level override.
    pub levels: std::collections::BTreeMap<Code, Level>,
}

/// How specifically `selector` matches `code`: a name or full code beats a prefix, a longer
/// prefix beats a shorter one (`select = [Code::EKS101]` wins over `ignore = ["EKS1"]`).
fn specificity(selector: &str, code: Code) -> Option<usize> {
    let s = selector.trim();
    if s.eq_ignore_ascii_case("ALL") {
        return Some(0);
    }
    if s.eq_ignore_ascii_case(code.name()) || s.eq_ignore_ascii_case(code.as_str()) {
        return Some(usize::MAX);
    }
    let up = s.to_ascii_uppercase();
    code.as_str().starts_with(&up).then_some(up.len())
}

/// Whether a selector names at least one rule (code, prefix, name or `ALL`).
pub fn valid_selector(s: &str) -> bool {
    crate::rules::meta::RULES
        .iter()
        .any(|r| specificity(s, r.code).is_some())
}

impl RuleSelection {
    /// `self` with command-line selectors laid over it (`--select` replaces, the others add).
    pub fn overlay(&self, cli: &RuleSelection) -> RuleSelection {
        let mut out = self.clone();
        if !cli.select.is_empty() {
            out.select = cli.select.clone();
        }
        out.extend_select.extend(cli.extend_select.iter().cloned());
        out.ignore.extend(cli.ignore.iter().cloned());
        out.levels.extend(cli.levels.iter().map(|(k, v)| (*k, *v)));
        out
    }

    pub fn enabled(&self, code: Code) -> bool {
        let best = |list: &[String]| list.iter().filter_map(|s| specificity(s, code)).max();
        let selected = if self.select.is_empty() {
            Some(0)
        } else {
            best(&self.select)
        };
        let selected = selected.max(best(&self.extend_select));
        match (selected, best(&self.ignore)) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(s), Some(i)) => s > i,
        }
    }

    /// The level for a finding of `code` that the rule emitted at `level`: the configured
    /// level, except that informational notes a rule emits below its default level (e.g.
    /// EKS101 for an IPv6 cluster) stay notes.
    pub fn level_for(&self, code: Code, level: Level) -> Level {
        match self.levels.get(&code) {
            Some(_) if level == Level::Note && code.meta().level != Level::Note => level,
            Some(&l) => l,
            None => level,
        }
    }
}

/// Names of the configuration files, in the order they are looked for in each directory.
pub const CONFIG_NAMES: &[&str] = &["eks-lint.toml", ".eks-lint.toml"];

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ConfigFile {
    select: Option<Vec<toml::Spanned<String>>>,
    extend_select: Option<Vec<toml::Spanned<String>>>,
    ignore: Option<Vec<toml::Spanned<String>>>,
    fail_on: Option<toml::Spanned<String>>,
    exclude: Option<Vec<String>>,
    var_files: Option<Vec<String>>,
    expected_pods_per_node: Option<u32>,
    expected_fargate_pods: Option<u32>,
    headroom_percent: Option<u32>,
    low_pod_density: Option<u32>,
    waste_percent: Option<u32>,
    #[serde(default)]
    rules: std::collections::BTreeMap<String, RuleConfig>,
    instance_types_json: Option<Vec<String>>,
    #[serde(default)]
    instance_types: std::collections::BTreeMap<String, crate::aws::user_types::TypeConfig>,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleConfig {
    level: Option<toml::Spanned<String>>,
}

/// A configuration problem with its location (exit code 2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.located())]
pub struct ConfigError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// "; did you mean EKS101?" for a selector one typo away from a code or close to a rule name.
fn selector_hint(x: &str) -> String {
    let q = x.trim();
    let near: Vec<&str> = crate::rules::meta::RULES
        .iter()
        .filter(|r| {
            strsim::levenshtein(r.code.as_str(), &q.to_ascii_uppercase()) <= 1
                || strsim::jaro_winkler(r.name, &q.to_ascii_lowercase()) > 0.9
        })
        .map(|r| r.code.as_str())
        .collect();
    if near.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", near.join(", "))
    }
}

impl ConfigError {
    /// `file:line:column: message`; a command-line error has no line (`line` 0), so it reads
    /// `--select: message` instead of pointing at line 0.
    fn located(&self) -> String {
        if self.line == 0 {
            format!("{}: {}", self.file, self.message)
        } else {
            format!(
                "{}:{}:{}: {}",
                self.file, self.line, self.column, self.message
            )
        }
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Whether `p` names a regular file (links followed): a configuration file candidate.
fn is_file(vfs: &dyn Vfs, p: &Path) -> bool {
    vfs.metadata(p).is_ok_and(|m| m.is_file())
}

/// The nearest configuration file in `start` (a file's directory) or its ancestors.
pub fn find_config(vfs: &dyn Vfs, start: &Path) -> Option<PathBuf> {
    let abs = vfs
        .canonicalize(start)
        .unwrap_or_else(|_| start.to_path_buf());
    let mut dir = if vfs.metadata(&abs).is_ok_and(|m| m.is_dir()) {
        Some(abs.as_path())
    } else {
        abs.parent()
    };
    while let Some(d) = dir {
        for name in CONFIG_NAMES {
            let p = d.join(name);
            if is_file(vfs, &p) {
                return Some(p);
            }
        }
        dir = d.parent();
    }
    None
}

/// Apply a configuration file's text to `settings`. Paths in it are relative to `base`.
pub fn apply_config(
    settings: &mut Settings,
    text: &str,
    display: &str,
    base: &Path,
) -> Result<(), ConfigError> {
    let err = |offset: usize, message: String| {
        let (line, column) = line_col(text, offset);
        ConfigError {
            file: display.to_string(),
            line,
            column,
            message,
        }
    };
    let cfg: ConfigFile = toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |r| r.start);
        err(offset, e.message().trim().to_string())
    })?;
    let selectors = |list: Option<Vec<toml::Spanned<String>>>| -> Result<Vec<String>, ConfigError> {
        let mut out = Vec::new();
        for s in list.unwrap_or_default() {
            if !valid_selector(s.get_ref()) {
                return Err(err(
                    s.span().start,
                    format!(
                        "`{}` is not a rule code, code prefix or rule name{}",
                        s.get_ref(),
                        selector_hint(s.get_ref())
                    ),
                ));
            }
            out.push(s.into_inner());
        }
        Ok(out)
    };
    let sel = &mut settings.rules;
    if let Some(v) = cfg.select {
        sel.select = selectors(Some(v))?;
    }
    sel.extend_select.extend(selectors(cfg.extend_select)?);
    sel.ignore.extend(selectors(cfg.ignore)?);
    for (key, rc) in cfg.rules {
        let Some(m) = crate::rules::meta::meta(&key) else {
            let offset = text.find(&key).unwrap_or(0);
            return Err(err(offset, format!("unknown rule `{key}` in [rules]")));
        };
        if let Some(l) = rc.level {
            match Level::parse(l.get_ref()) {
                Some(level) => {
                    settings.rules.levels.insert(m.code, level);
                }
                None => {
                    return Err(err(
                        l.span().start,
                        format!(
                            "level must be error, warning or note, not `{}`",
                            l.get_ref()
                        ),
                    ))
                }
            }
        }
    }
    if let Some(f) = cfg.fail_on {
        settings.fail_on = Level::parse(f.get_ref()).ok_or_else(|| {
            err(
                f.span().start,
                format!(
                    "fail-on must be error, warning or note, not `{}`",
                    f.get_ref()
                ),
            )
        })?;
    }
    if let Some(x) = cfg.exclude {
        settings.exclude.extend(x);
    }
    if let Some(v) = cfg.var_files {
        settings
            .var_files
            .extend(v.into_iter().map(|p| base.join(p)));
    }
    if let Some(n) = cfg.expected_pods_per_node {
        settings.expected_pods_per_node = Some(n);
    }
    if let Some(n) = cfg.expected_fargate_pods {
        settings.expected_fargate_pods = n;
    }
    if let Some(n) = cfg.headroom_percent {
        settings.headroom_percent = n;
    }
    if let Some(n) = cfg.low_pod_density {
        settings.low_pod_density = n;
    }
    if let Some(n) = cfg.waste_percent {
        settings.waste_percent = n;
    }
    if let Some(v) = cfg.instance_types_json {
        settings
            .instance_types_json
            .extend(v.into_iter().map(|p| base.join(p)));
    }
    settings.instance_types.extend(cfg.instance_types);
    Ok(())
}

impl Settings {
    /// What the CLI takes from its process: the limits from `EKS_LINT_*`, Terraform variables
    /// from `TF_VAR_*`, the working directory as the base of displayed paths.
    #[cfg(feature = "cli")]
    pub fn from_process() -> Settings {
        let env_vars = std::env::vars_os()
            .filter_map(|(k, v)| {
                let name = k.to_str()?.strip_prefix("TF_VAR_")?.to_string();
                Some((name, v.into_string().ok()?))
            })
            .collect();
        Settings {
            limits: Limits::from_env(|v| std::env::var(v).ok()),
            env_vars,
            workspace: std::env::var("TF_WORKSPACE").ok().filter(|w| !w.is_empty()),
            base_dir: std::env::current_dir().ok(),
            ..Settings::default()
        }
    }
}

/// Settings for `eks-lint check`: [`Settings::from_process`], then the configuration file
/// (`--config`, or the nearest one above the first path unless `--isolated`), then
/// command-line flags.
#[cfg(feature = "cli")]
pub fn resolve(args: &crate::cli::CheckArgs) -> Result<Settings, ConfigError> {
    let mut s = Settings::from_process();
    let usage = |message: String| ConfigError {
        file: "command line".to_string(),
        line: 0,
        column: 0,
        message,
    };
    let config = match (&args.input.config, args.input.isolated) {
        (Some(p), _) => {
            if !is_file(&*s.vfs, p) {
                return Err(usage(format!("--config {}: no such file", p.display())));
            }
            Some(p.clone())
        }
        (None, true) => None,
        (None, false) => {
            let start = args
                .paths
                .first()
                .cloned()
                .unwrap_or_else(|| PathBuf::from("."));
            find_config(&*s.vfs, &start)
        }
    };
    if let Some(path) = &config {
        let roots = if args.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            args.paths.clone()
        };
        let access = crate::access::Access::new(
            s.vfs.clone(),
            &roots,
            args.input.config.as_slice(),
            args.input.allow_outside_root,
        )
        .with_max_bytes(s.limits.max_file_bytes);
        let text = access
            .read_found(path)
            .map_err(|e| usage(format!("{}: {e}", s.display(path))))?;
        let base = path.parent().unwrap_or(Path::new("."));
        let display = s.display(path);
        apply_config(&mut s, &text, &display, base)?;
        s.config_file = Some(path.clone());
    }
    let cli_selectors = |list: &[String], flag: &str| -> Result<Vec<String>, ConfigError> {
        for x in list {
            if !valid_selector(x) {
                return Err(usage(format!(
                    "{flag} {x}: not a rule code, code prefix or rule name{}",
                    selector_hint(x)
                )));
            }
        }
        Ok(list.to_vec())
    };
    s.cli_rules = RuleSelection {
        select: cli_selectors(&args.select, "--select")?,
        extend_select: cli_selectors(&args.extend_select, "--extend-select")?,
        ignore: cli_selectors(&args.ignore, "--ignore")?,
        levels: Default::default(),
    };
    s.rules = s.rules.overlay(&s.cli_rules);
    s.nested_configs = args.input.config.is_none() && !args.input.isolated;
    s.allow_outside_root = args.input.allow_outside_root;
    s.affected_roots = args.input.affected_roots;
    if let Some(f) = args.fail_on {
        s.fail_on = match f {
            crate::cli::FailOn::Error => Level::Error,
            crate::cli::FailOn::Warning => Level::Warning,
            crate::cli::FailOn::Note => Level::Note,
        };
    }
    if let Some(n) = args.pods_per_node {
        s.expected_pods_per_node = Some(n);
    }
    if let Some(n) = args.fargate_pods {
        s.expected_fargate_pods = n;
    }
    s.var_files.extend(args.input.var_files.iter().cloned());
    s.explicit_files
        .extend(args.input.var_files.iter().cloned());
    s.explicit_files.extend(args.input.config.iter().cloned());
    s.plan_files.extend(args.input.plan_files.iter().cloned());
    s.explicit_files
        .extend(args.input.plan_files.iter().cloned());
    s.instance_types_json
        .extend(args.input.instance_types_json.iter().cloned());
    s.explicit_files
        .extend(args.input.instance_types_json.iter().cloned());
    if let Some(w) = &args.input.workspace {
        s.workspace = Some(w.clone());
    }
    for v in &args.input.vars {
        let (k, val) = v
            .split_once('=')
            .ok_or_else(|| usage(format!("--var {v}: expected NAME=VALUE")))?;
        s.vars.push((k.to_string(), val.to_string()));
    }
    s.exit_zero = args.exit_zero;
    s.statistics = args.statistics;
    s.quiet = args.quiet;
    Ok(s)
}

/// Rule selection per directory when nested configuration files apply (cached by directory).
#[derive(Debug, Default)]
pub struct SelectionCache {
    by_dir: std::collections::HashMap<PathBuf, Option<RuleSelection>>,
    /// Directory (canonical) → nearest configuration file at or above it.
    configs: std::collections::HashMap<PathBuf, Option<PathBuf>>,
    /// Configuration files that could not be used.
    pub errors: Vec<String>,
}

impl SelectionCache {
    /// [`find_config`] for a directory, remembering the answer for it and every directory
    /// walked through, so a scan of many directories checks each ancestor once.
    fn find_config(&mut self, vfs: &dyn Vfs, dir: &Path) -> Option<PathBuf> {
        let abs = vfs.canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        let mut walked = Vec::new();
        let mut cur = Some(abs.as_path());
        let mut found = None;
        while let Some(d) = cur {
            if let Some(known) = self.configs.get(d) {
                found = known.clone();
                break;
            }
            walked.push(d.to_path_buf());
            if let Some(p) = CONFIG_NAMES
                .iter()
                .map(|n| d.join(n))
                .find(|p| is_file(vfs, p))
            {
                found = Some(p);
                break;
            }
            cur = d.parent();
        }
        for d in walked {
            self.configs.insert(d, found.clone());
        }
        found
    }

    /// The selection for findings in `file`: the nearest configuration file above it (with the
    /// command-line selectors over it), or the run's selection.
    pub fn for_file(
        &mut self,
        file: &Path,
        settings: &Settings,
        access: &crate::access::Access,
    ) -> RuleSelection {
        if !settings.nested_configs {
            return settings.rules.clone();
        }
        let dir = file.parent().unwrap_or(Path::new(".")).to_path_buf();
        if let Some(cached) = self.by_dir.get(&dir) {
            return cached.clone().unwrap_or_else(|| settings.rules.clone());
        }
        let found = self.find_config(access.vfs(), &dir);
        let canon = |p: &Path| access.canonical_or_same(p);
        let sel = match found {
            Some(c) if settings.config_file.as_deref().map(canon) != Some(canon(&c)) => {
                let mut nested = Settings::default();
                let base = c.parent().unwrap_or(Path::new("."));
                let display = settings.display(&c);
                let applied = access
                    .read_found(&c)
                    .map_err(|e| format!("{display}: {e}"))
                    .and_then(|text| {
                        apply_config(&mut nested, &text, &display, base).map_err(|e| e.to_string())
                    });
                match applied {
                    Ok(()) => Some(nested.rules.overlay(&settings.cli_rules)),
                    Err(e) => {
                        self.errors.push(e);
                        None
                    }
                }
            }
            _ => None,
        };
        self.by_dir.insert(dir, sel.clone());
        sel.unwrap_or_else(|| settings.rules.clone())
    }
}

/// The rule selection of every file of a run, indexed by `FileId`, and the configuration
/// files that could not be used.
pub fn selections(
    sources: &crate::source::SourceMap,
    settings: &Settings,
    access: &crate::access::Access,
) -> (Vec<RuleSelection>, Vec<String>) {
    let mut cache = SelectionCache::default();
    let v = sources
        .files()
        .map(|(_, f)| cache.for_file(&f.path, settings, access))
        .collect();
    (v, cache.errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sel(select: &[&str], extend: &[&str], ignore: &[&str]) -> RuleSelection {
        let v = |x: &[&str]| x.iter().map(|s| s.to_string()).collect();
        RuleSelection {
            select: v(select),
            extend_select: v(extend),
            ignore: v(ignore),
            levels: Default::default(),
        }
    }

    #[test]
    fn selection_by_code_prefix_and_name_with_specificity() {
        let s = sel(&["EKS1"], &["low-pod-density"], &["EKS102"]);
        assert!(s.enabled(Code::EKS101));
        assert!(!s.enabled(Code::EKS102));
        assert!(s.enabled(Code::EKS201));
        assert!(!s.enabled(Code::EKS202));
        let s = sel(&[], &[], &["EKS1"]);
        assert!(!s.enabled(Code::EKS101) && s.enabled(Code::EKS201));
        let s = sel(&["EKS101"], &[], &["EKS1"]);
        assert!(s.enabled(Code::EKS101) && !s.enabled(Code::EKS103));
        assert!(
            valid_selector("eks1") && valid_selector("subnet-overlap") && valid_selector("ALL")
        );
        assert!(!valid_selector("EKS7") && !valid_selector("nope"));
    }

    #[test]
    fn config_file_applies_and_reports_unknown_keys_with_position() {
        let mut s = Settings::default();
        let text = "select = [\"EKS1\", \"EKS2\"]\nheadroom-percent = 20\nvar-files = [\"prod.tfvars\"]\n\n[rules.EKS101]\nlevel = \"warning\"\n";
        apply_config(&mut s, text, "eks-lint.toml", Path::new("/repo")).unwrap();
        assert_eq!(s.headroom_percent, 20);
        assert_eq!(s.rules.levels.get(&Code::EKS101), Some(&Level::Warning));
        assert_eq!(s.var_files, vec![PathBuf::from("/repo/prod.tfvars")]);
        assert!(!s.rules.enabled(Code::EKS401));
        assert_eq!(
            s.rules.level_for(Code::EKS101, Level::Error),
            Level::Warning
        );
        assert_eq!(s.rules.level_for(Code::EKS101, Level::Note), Level::Note);
        assert_eq!(s.rules.level_for(Code::EKS102, Level::Error), Level::Error);

        let e = apply_config(
            &mut Settings::default(),
            "select = [\"EKS1\"]\nheadrom-percent = 5\n",
            "eks-lint.toml",
            Path::new("."),
        )
        .unwrap_err();
        assert_eq!((e.line, e.column), (2, 1), "{e}");
        assert!(e.message.contains("headrom-percent"), "{e}");

        let e = apply_config(
            &mut Settings::default(),
            "[rules.EKS101]\nlevle = \"x\"\n",
            "f",
            Path::new("."),
        )
        .unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        let e = apply_config(
            &mut Settings::default(),
            "ignore = [\"EKS1\", \"EKS77\"]\n",
            "f",
            Path::new("."),
        )
        .unwrap_err();
        assert_eq!((e.line, e.column), (1, 19), "{e}");
        let e = apply_config(
            &mut Settings::default(),
            "\n[rules.EKS777]\nlevel = \"note\"\n",
            "f",
            Path::new("."),
        )
        .unwrap_err();
        assert_eq!(e.line, 2, "{e}");
    }

    #[test]
    fn instance_types_table_and_json_files() {
        let mut s = Settings::default();
        let text = "instance-types-json = [\"t.json\"]\n[instance-types.\"zz1.large\"]\nenis = 3\nipv4-per-eni = 10\n";
        apply_config(&mut s, text, "eks-lint.toml", Path::new("base")).unwrap();
        assert_eq!(s.instance_types_json, vec![PathBuf::from("base/t.json")]);
        assert_eq!(s.instance_types.len(), 1);
        assert_eq!(s.instance_types[0].0, "zz1.large");
        assert_eq!(s.instance_types[0].1.enis, Some(3));
        assert!(show::show(&s).contains("instance-types = [\"zz1.large\"]"));
        let bad = "[instance-types.\"zz1.large\"]\nenis = 3\nmax-pods = 9\n";
        let e = apply_config(
            &mut Settings::default(),
            bad,
            "eks-lint.toml",
            Path::new("."),
        )
        .unwrap_err();
        assert_eq!(e.line, 3, "{e}");
    }

    #[test]
    fn nearest_config_wins() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("a/b");
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(dir.path().join("eks-lint.toml"), "").unwrap();
        std::fs::write(dir.path().join("a/.eks-lint.toml"), "").unwrap();
        let found = find_config(&crate::vfs::OsFs, &sub).unwrap();
        assert!(found.ends_with("a/.eks-lint.toml"), "{found:?}");
    }

    #[test]
    fn odd_config_text_is_an_error_not_a_panic() {
        for text in [
            "select = 5",
            "[rules]\nEKS101 = 3",
            "[rules.é]\nlevel = \"x\"",
            "fail-on = \"fatal\"",
            "select = [\"EKS1\"",
            "\u{0}",
            "headroom-percent = -1",
        ] {
            assert!(
                apply_config(&mut Settings::default(), text, "f", Path::new(".")).is_err(),
                "{text:?}"
            );
        }
    }
}
