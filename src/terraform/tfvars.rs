//! Variables files: which are loaded automatically, parsing (HCL, or JSON for `.json`), and
//! a root module's variable inputs in Terraform's precedence order.

use super::eval::VarInput;
use super::module::Module;
use super::parse::{self, ParsedFile};
use super::value;
use crate::code::Code;
use crate::diag::{Diagnostic, Level};
use crate::frontend::Loaded;
use crate::settings::Settings;
use crate::source::{FileId, SourceMap, Span};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

pub(super) fn is_tfvars(name: &str) -> bool {
    name.ends_with(".tfvars") || name.ends_with(".tfvars.json")
}

/// Loaded automatically by Terraform from the module directory.
pub(super) fn is_auto_tfvars(name: &str) -> bool {
    name == "terraform.tfvars"
        || name == "terraform.tfvars.json"
        || name.ends_with(".auto.tfvars")
        || name.ends_with(".auto.tfvars.json")
}

pub(super) fn file_name(p: &Path) -> &str {
    p.file_name().and_then(|n| n.to_str()).unwrap_or("")
}

/// The parsed variables files by role: the automatically loaded ones per directory, and the
/// `--var-file`s in their order (`var_files`: canonical paths). Parse errors and encrypted
/// files are reported into `out`.
#[allow(clippy::type_complexity)]
pub(super) fn sort_out<'t>(
    tfvars: &'t [(FileId, Result<ParsedFile, Box<Diagnostic>>)],
    var_files: &[PathBuf],
    sources: &SourceMap,
    access: &crate::access::Access,
    out: &mut Loaded,
) -> (BTreeMap<PathBuf, Vec<&'t ParsedFile>>, Vec<&'t ParsedFile>) {
    let canon = |p: &Path| access.canonical_or_same(p);
    let mut auto: BTreeMap<PathBuf, Vec<&ParsedFile>> = BTreeMap::new();
    let mut explicit: Vec<Option<&ParsedFile>> = vec![None; var_files.len()];
    for (id, r) in tfvars {
        let src = sources.get(*id);
        let name = file_name(&src.path);
        if name.ends_with(".json") && crate::access::sops_encrypted(&src.text) {
            out.diagnostics.push(
                Diagnostic::new(
                    Code::EKS901,
                    Level::Note,
                    Span::new(*id, 0, 0),
                    format!(
                        "`{}` is encrypted (SOPS): the variables it sets are unknown",
                        src.display
                    ),
                )
                .with_label("encrypted")
                .with_key(format!("encrypted/{}", src.display)),
            );
        }
        match r {
            Err(d) => out.diagnostics.push((**d).clone()),
            Ok(pf) => {
                if !var_files.is_empty() {
                    let c = canon(&src.path);
                    for (i, vf) in var_files.iter().enumerate() {
                        if *vf == c {
                            explicit[i] = Some(pf);
                        }
                    }
                }
                if is_auto_tfvars(name) {
                    let dir = src.path.parent().unwrap_or(Path::new("")).to_path_buf();
                    auto.entry(dir).or_default().push(pf);
                }
            }
        }
    }
    (auto, explicit.into_iter().flatten().collect())
}

/// Parse a `.tfvars` (HCL attributes) or `.tfvars.json` file; JSON is read as plain JSON
/// later, so only its syntax is checked here.
pub(super) fn parse(
    id: FileId,
    sources: &SourceMap,
    limits: &crate::limits::Limits,
) -> Result<ParsedFile, Box<Diagnostic>> {
    let src = sources.get(id);
    let _crumb = crate::breadcrumb::enter(&src.display);
    if file_name(&src.path).ends_with(".json") {
        return match serde_json::from_str::<serde_json::Value>(&src.text) {
            // Terraform reads a JSON variables file as one object of variable names.
            Ok(v) if !v.is_object() => {
                let off = src.text.len() - src.text.trim_start().len();
                Err(Box::new(
                    Diagnostic::new(
                        Code::EKS903,
                        Level::Error,
                        Span::new(id, off, off),
                        format!(
                            "could not read `{}`: a JSON variables file must be an object of variable names, not {}",
                            src.display,
                            match v {
                                serde_json::Value::Array(_) => "an array",
                                serde_json::Value::String(_) => "a string",
                                serde_json::Value::Number(_) => "a number",
                                serde_json::Value::Bool(_) => "a bool",
                                _ => "null",
                            }
                        ),
                    )
                    .with_key(format!("parse/{}", src.display)),
                ))
            }
            Ok(_) => Ok(ParsedFile {
                file: id,
                body: hcl_edit::structure::Body::new(),
                spans: parse::SpanMap::Direct,
            }),
            Err(e) => {
                let off = src
                    .line_start(e.line() as u32)
                    .map_or(0, |s| s + e.column().saturating_sub(1));
                Err(Box::new(
                    Diagnostic::new(
                        Code::EKS903,
                        Level::Error,
                        Span::new(id, off, off),
                        format!("could not parse `{}`: {e}", src.display),
                    )
                    .with_key(format!("parse/{}", src.display)),
                ))
            }
        };
    }
    match parse::parse_hcl_body(&src.text, limits.max_object_key_pairs) {
        Ok(body) => Ok(ParsedFile {
            file: id,
            body,
            spans: parse::SpanMap::Direct,
        }),
        Err(e) => {
            let off = e.offset().min(src.text.len());
            Err(Box::new(
                Diagnostic::new(
                    Code::EKS903,
                    Level::Error,
                    Span::new(id, off, off),
                    format!("could not parse `{}`: {}", src.display, e.message()),
                )
                .with_key(format!("parse/{}", src.display)),
            ))
        }
    }
}

/// Terraform loads terraform.tfvars, then terraform.tfvars.json, then *.auto.tfvars(.json)
/// in lexical order.
pub(super) fn auto_order(name: &str) -> (u8, String) {
    match name {
        "terraform.tfvars" => (0, String::new()),
        "terraform.tfvars.json" => (1, String::new()),
        n => (2, n.to_string()),
    }
}

/// Variable inputs of a root module in Terraform's precedence order (later wins): environment
/// `TF_VAR_*`, auto-loaded tfvars, `--var-file` in order, `--var` in order.
pub(super) fn root_inputs<'a>(
    m: &Module<'a>,
    auto: &[&'a ParsedFile],
    explicit: &[&'a ParsedFile],
    sources: &SourceMap,
    settings: &Settings,
    warnings: &mut Vec<String>,
) -> HashMap<String, VarInput<'a>> {
    // Terraform warns about a value for an undeclared variable in a variables file.
    let mut undeclared = |file: &str, k: &str| {
        warnings.push(format!(
            "{file}: a value for `{k}`, which the root module does not declare (Terraform \
             warns and ignores it)"
        ))
    };
    let mut inputs: HashMap<String, VarInput<'a>> = HashMap::new();
    for name in m.variables.keys() {
        if let Some(v) = settings.env_vars.get(*name) {
            inputs.insert(name.to_string(), VarInput::Raw(v.clone(), "environment"));
        }
    }
    for pf in auto.iter().chain(explicit) {
        let src = sources.get(pf.file);
        if src.display.ends_with(".json") {
            let Ok(serde_json::Value::Object(o)) = serde_json::from_str(&src.text) else {
                continue;
            };
            let encrypted = o.contains_key("sops") && crate::access::sops_encrypted(&src.text);
            for (k, v) in o {
                if !m.variables.contains_key(k.as_str()) {
                    undeclared(&src.display, &k);
                    continue;
                }
                let needle = format!("\"{k}\"");
                let span = match src.text.find(&needle) {
                    Some(p) => {
                        let end = src.text[p..].find('\n').map_or(src.text.len(), |e| p + e);
                        Span::new(pf.file, p, end)
                    }
                    None => Span::new(pf.file, 0, 0),
                };
                if encrypted {
                    let why = format!("it comes from `{}`, encrypted with SOPS", src.display);
                    inputs.insert(k, VarInput::Value(value::Val::unknown(why, span)));
                } else {
                    inputs.insert(k, VarInput::Json(v, span));
                }
            }
        } else {
            for attr in pf.body.attributes() {
                let k = attr.key.as_str();
                if m.variables.contains_key(k) {
                    inputs.insert(k.to_string(), VarInput::Expr(attr, pf));
                } else {
                    undeclared(&src.display, k);
                }
            }
        }
    }
    for (k, v) in &settings.vars {
        if m.variables.contains_key(k.as_str()) {
            inputs.insert(k.clone(), VarInput::Raw(v.clone(), "--var"));
        }
    }
    inputs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;
    use crate::terraform::eval::Evaluator;

    /// Precedence (later wins): default < TF_VAR_* < terraform.tfvars < *.auto.tfvars <
    /// --var-file < --var.
    #[test]
    fn variable_precedence_follows_terraform() {
        let mut sources = SourceMap::new();
        let mut add = |name: &str, text: &str| {
            sources.add(SourceFile::new(
                PathBuf::from(format!("m/{name}")),
                format!("m/{name}"),
                text,
            ))
        };
        let decl = "variable \"a\" { default = \"default\" }\nvariable \"b\" { default = \"default\" }\nvariable \"c\" { default = \"default\" }\nvariable \"d\" { default = \"default\" }\nvariable \"ekslint_env_only\" { default = \"default\" }\nvariable \"n\" {\n type = number\n}\n";
        let main = add("main.tf", decl);
        let tfvars = add(
            "terraform.tfvars",
            "a = \"tfvars\"\nb = \"tfvars\"\nc = \"tfvars\"\nd = \"tfvars\"\n",
        );
        let auto = add(
            "x.auto.tfvars",
            "b = \"auto\"\nc = \"auto\"\nd = \"auto\"\n",
        );
        let explicit = add("prod.tfvars", "c = \"file\"\nd = \"file\"\n");
        let parsed: Vec<ParsedFile> = [main, tfvars, auto, explicit]
            .iter()
            .map(|&id| ParsedFile {
                file: id,
                body: hcl_edit::parser::parse_body(&sources.get(id).text).unwrap(),
                spans: parse::SpanMap::Direct,
            })
            .collect();
        let m = Module::build("m".into(), vec![&parsed[0]]);
        let settings = Settings {
            env_vars: [("ekslint_env_only", "env"), ("a", "env")]
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .into(),
            vars: vec![("d".into(), "cli".into()), ("n".into(), "42".into())],
            ..Settings::default()
        };
        let inputs = root_inputs(
            &m,
            &[&parsed[1], &parsed[2]],
            &[&parsed[3]],
            &sources,
            &settings,
            &mut Vec::new(),
        );
        let ev = Evaluator::new(&m, inputs);
        let get = |n: &str| ev.var(n, Span::default()).v;
        use value::V;
        assert_eq!(get("a"), V::Str("tfvars".into()));
        assert_eq!(get("b"), V::Str("auto".into()));
        assert_eq!(get("c"), V::Str("file".into()));
        assert_eq!(get("d"), V::Str("cli".into()));
        assert_eq!(get("ekslint_env_only"), V::Str("env".into()));
        assert_eq!(
            get("n"),
            V::Num(42.0),
            "--var values convert to the declared type"
        );
        // The tfvars line is in the chain of a value that came from there.
        let b = ev.var("b", Span::default());
        assert_eq!(sources.get(b.span.file).display, "m/x.auto.tfvars");
    }
}
