//! Unit tests of the Terraform front end's orchestration.
use super::*;
use crate::source::SourceFile;

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
