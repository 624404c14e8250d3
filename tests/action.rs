//! `action.yml` is valid GitHub Action metadata (SchemaStore's schema, vendored in
//! tests/schemas/), and `.pre-commit-hooks.yaml` defines the hook the README documents.
//! CI (`.ci/run`) also runs the action's shell steps and the pre-commit hook for real.

use saphyr::{LoadableYamlNode, Scalar, Yaml};
use serde_json::Value;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn to_json(y: &Yaml) -> Value {
    match y {
        Yaml::Value(Scalar::Null) => Value::Null,
        Yaml::Value(Scalar::Boolean(b)) => Value::Bool(*b),
        Yaml::Value(Scalar::Integer(i)) => Value::from(*i),
        Yaml::Value(Scalar::FloatingPoint(f)) => Value::from(f.into_inner()),
        Yaml::Value(Scalar::String(s)) => Value::from(s.as_ref()),
        Yaml::Representation(s, _, _) => Value::from(s.as_ref()),
        Yaml::Sequence(seq) => Value::Array(seq.iter().map(to_json).collect()),
        Yaml::Mapping(m) => Value::Object(
            m.iter()
                .map(|(k, v)| {
                    let key = match to_json(k) {
                        Value::String(s) => s,
                        other => other.to_string(),
                    };
                    (key, to_json(v))
                })
                .collect(),
        ),
        Yaml::Tagged(_, inner) => to_json(inner),
        Yaml::Alias(_) | Yaml::BadValue => Value::Null,
    }
}

fn load(path: &str) -> Value {
    let text = std::fs::read_to_string(root().join(path)).expect(path);
    let docs = Yaml::load_from_str(&text).expect("valid YAML");
    to_json(&docs[0])
}

fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("tests/schemas/github-action.json"))
        .expect("vendored schema");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::validator_for(&schema).expect("schema compiles")
}

#[test]
fn action_yml_matches_the_action_metadata_schema() {
    let action = load("action.yml");
    let v = validator();
    let errors: Vec<String> = v
        .iter_errors(&action)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "action.yml:\n{}", errors.join("\n"));

    // The schema does catch mistakes (so the check above can fail).
    let mut broken = action.clone();
    broken["inputs"]["paths"]
        .as_object_mut()
        .expect("paths input")
        .remove("description");
    assert!(!v.is_valid(&broken));
}

#[test]
fn action_has_the_documented_inputs_and_outputs() {
    let action = load("action.yml");
    assert_eq!(action["runs"]["using"], "composite");
    for input in [
        "paths",
        "args",
        "fail-on",
        "sarif-file",
        "annotations",
        "summary",
    ] {
        assert!(action["inputs"][input].is_object(), "input {input}");
    }
    for output in ["sarif-file", "findings", "exit-code"] {
        assert!(
            action["outputs"][output]["value"].is_string(),
            "output {output}"
        );
    }
    // Inputs reach scripts through env only: no expression is pasted into a `run` script.
    for step in action["runs"]["steps"].as_array().expect("steps") {
        if let Some(run) = step["run"].as_str() {
            assert!(!run.contains("${{"), "expression in a run script: {run}");
            assert_eq!(step["shell"], "bash");
        }
    }
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    assert!(readme.contains("security-events: write"));
    assert!(readme.contains("github/codeql-action/upload-sarif"));
}

#[test]
fn pre_commit_hook_is_defined() {
    let hooks = load(".pre-commit-hooks.yaml");
    let hook = &hooks[0];
    assert_eq!(hook["id"], "eks-lint");
    // Python: pip builds it with maturin and `cargo build --locked` (pyproject.toml).
    assert_eq!(hook["language"], "python");
    assert_eq!(hook["entry"], "eks-lint --affected-roots");
    assert_eq!(hook["pass_filenames"], true);
    assert_eq!(
        hook["files"],
        r"(\.(tf|tf\.json|tfvars|tfvars\.json|ya?ml)|(^|/)terragrunt\.hcl)$"
    );
    // The verbose variant differs only in showing its report when it passes.
    let verbose = &hooks[1];
    assert_eq!(verbose["id"], "eks-lint-verbose");
    assert_eq!(verbose["verbose"], true);
    assert_eq!(verbose["entry"], hook["entry"]);
}
