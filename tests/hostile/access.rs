//! Exfiltration and blocking reads: nothing outside the scanned paths reaches any output, and
//! nothing the tool reads can block it (FIFOs, devices), whatever names the input gives.

use crate::common::*;
use std::path::{Path, PathBuf};

/// A value that must never appear in any output: it lives outside the scanned root (in a
/// file and in the environment).
const CANARY: &str = "EKSLINT_CANARY_3f9a71";

const FORMATS: &[&str] = &[
    "human", "concise", "json", "sarif", "github", "markdown", "junit",
];

/// `<tmp>/root` (scanned, the working directory) and `<tmp>/outside/secret` (holds the canary).
struct Layout {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    outside: PathBuf,
}

fn layout(files: &[(&str, &str)]) -> Layout {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("root");
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("secret"), format!("{CANARY}\n")).unwrap();
    std::fs::write(
        outside.join("cluster.tf"),
        cluster(&format!("\"{CANARY}\"")),
    )
    .unwrap();
    for (name, text) in files {
        let p = root.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    Layout {
        _tmp: tmp,
        root,
        outside,
    }
}

/// A cluster whose node group's name is `name` (an HCL expression) and whose single /27 subnet
/// is too small, so EKS101 quotes the name.
fn cluster(name: &str) -> String {
    tf_cluster_named("10.0.0.0/27", name, &scaling("3"))
}

/// Run every format in `dir` with the canary in the environment; assert none shows it, and
/// return the concise run.
fn no_leak(name: &str, dir: &Path, extra: &[&str]) -> Outcome {
    let env = [("EKS_LINT_TEST_SECRET", CANARY)];
    let mut concise = None;
    for f in FORMATS {
        let mut args = vec!["check", "--format", f];
        args.extend_from_slice(extra);
        args.push(".");
        let o = bounded(&format!("{name} ({f})"), dir, &args, &env);
        assert!(
            !o.out.contains(CANARY),
            "{name}: --format {f} shows content from outside the root:\n{}",
            o.out
        );
        if *f == "concise" {
            concise = Some(o);
        }
    }
    concise.unwrap()
}

fn expect_code(o: &Outcome, code: i32) {
    assert_eq!(o.code, Some(code), "{}", o.out);
}

fn expect_has(o: &Outcome, needle: &str) {
    assert!(o.out.contains(needle), "expected `{needle}` in:\n{}", o.out);
}

#[test]
fn file_of_proc_self_environ_is_refused() {
    let l = layout(&[("main.tf", &cluster("file(\"/proc/self/environ\")"))]);
    let o = no_leak("file(/proc/self/environ)", &l.root, &[]);
    expect_has(
        &o,
        "main.tf:18:21: note[EKS901] file `/proc/self/environ` is not read: it resolves to a path \
         outside the scanned paths (pass --allow-outside-root to read it); the value is unknown",
    );
    // The name is unknown, so the finding names the resource instead; still an error.
    expect_has(
        &o,
        "error[EKS101] managed node group `aws_eks_node_group.ng`",
    );
    expect_code(&o, 1);
}

#[test]
fn file_and_templatefile_with_dotdot_are_refused_and_the_flag_reads_them() {
    for call in [
        "file(\"../outside/secret\")",
        "templatefile(\"${path.module}/../outside/secret\", {})",
        "trimspace(file(\"${path.module}/link\"))",
    ] {
        let l = layout(&[("main.tf", &cluster(call))]);
        #[cfg(unix)]
        std::os::unix::fs::symlink(l.outside.join("secret"), l.root.join("link")).unwrap();
        let o = no_leak(call, &l.root, &[]);
        expect_has(
            &o,
            "is not read: it resolves to a path outside the scanned paths",
        );
        expect_code(&o, 1);
        // The control: with the flag the same read succeeds, so the check above can fail.
        let o = run_in(
            &l.root,
            &["check", "--format", "concise", "--allow-outside-root", "."],
        );
        expect_has(&o, CANARY);
    }
}

#[test]
fn fileexists_cannot_probe_outside() {
    let text = cluster("fileexists(\"../outside/secret\") ? \"yes\" : \"no\"");
    let l = layout(&[("main.tf", &text)]);
    let o = no_leak("fileexists", &l.root, &[]);
    assert!(
        !o.out.contains("`yes`") && !o.out.contains("`no`"),
        "{}",
        o.out
    );
    expect_has(&o, "managed node group `aws_eks_node_group.ng`");
    let inside = cluster("fileexists(\"main.tf\") ? \"yes\" : \"no\"");
    let l = layout(&[("main.tf", &inside)]);
    expect_has(
        &no_leak("fileexists inside", &l.root, &[]),
        "managed node group `yes`",
    );
}

#[cfg(unix)]
#[test]
fn symlinked_configuration_leaving_the_root_is_an_input_error() {
    let l = layout(&[]);
    std::os::unix::fs::symlink(l.outside.join("cluster.tf"), l.root.join("main.tf")).unwrap();
    let o = no_leak("symlinked .tf", &l.root, &[]);
    expect_has(
        &o,
        "main.tf:1:1: error[EKS903] could not read `main.tf`: it resolves to a path outside the \
         scanned paths (pass --allow-outside-root to read it)",
    );
    expect_code(&o, 2);
    // A link that stays inside is read like the file (a shared variables file).
    let l = layout(&[("shared/cluster.tf", &cluster("\"linked\""))]);
    std::os::unix::fs::symlink(l.root.join("shared/cluster.tf"), l.root.join("main.tf")).unwrap();
    let o = run_in(&l.root, &["check", "--format", "concise", "main.tf"]);
    expect_has(&o, "managed node group `linked`");
}

#[cfg(unix)]
#[test]
fn module_cache_dir_linking_outside_is_not_followed() {
    // `Dir` is lexically inside the root, but the directory is a link out of it.
    let modules_json = r#"{"Modules":[{"Key":"","Source":"","Dir":"."},
        {"Key":"eks","Source":"git::https://example.com/eks.git","Dir":".terraform/modules/eks"}]}"#;
    let l = layout(&[
        (
            "main.tf",
            "module \"eks\" {\n  source = \"git::https://example.com/eks.git\"\n}\n",
        ),
        (".terraform/modules/modules.json", modules_json),
    ]);
    std::os::unix::fs::symlink(&l.outside, l.root.join(".terraform/modules/eks")).unwrap();
    let o = no_leak("modules.json Dir link", &l.root, &[]);
    expect_code(&o, 0);
    // The control: with the flag the cached module is read and its cluster is checked.
    let o = run_in(
        &l.root,
        &["check", "--format", "concise", "--allow-outside-root", "."],
    );
    expect_has(&o, CANARY);
}

#[test]
fn var_files_in_a_committed_config_stay_inside() {
    let secret = "../outside/secret.tfvars";
    for var_file in ["/etc/passwd", secret] {
        let l = layout(&[
            ("main.tf", &cluster("var.name")),
            (
                "variables.tf",
                "variable \"name\" {\n  default = \"ng\"\n}\n",
            ),
            ("eks-lint.toml", &format!("var-files = [\"{var_file}\"]\n")),
        ]);
        std::fs::write(
            l.outside.join("secret.tfvars"),
            format!("name = \"{CANARY}\"\n"),
        )
        .unwrap();
        let o = no_leak(var_file, &l.root, &[]);
        expect_has(
            &o,
            "it resolves to a path outside the scanned paths (pass --allow-outside-root to read it)",
        );
        expect_code(&o, 2);
    }
    // Named on the command line, the same file is the user's choice and is read.
    let l = layout(&[
        ("main.tf", &cluster("var.name")),
        (
            "variables.tf",
            "variable \"name\" {\n  default = \"ng\"\n}\n",
        ),
    ]);
    std::fs::write(l.outside.join("secret.tfvars"), "name = \"from-cli\"\n").unwrap();
    let o = run_in(
        &l.root,
        &["check", "--format", "concise", "--var-file", secret, "."],
    );
    expect_has(&o, "managed node group `from-cli`");
}

#[cfg(unix)]
#[test]
fn a_committed_config_linking_outside_is_refused() {
    let l = layout(&[("main.tf", &cluster("\"ng\""))]);
    std::fs::write(l.outside.join("cfg.toml"), format!("{CANARY} = 1\n")).unwrap();
    std::os::unix::fs::symlink(l.outside.join("cfg.toml"), l.root.join("eks-lint.toml")).unwrap();
    let o = no_leak("eks-lint.toml link", &l.root, &[]);
    expect_has(
        &o,
        "eks-lint.toml: it resolves to a path outside the scanned paths",
    );
    expect_code(&o, 2);
}

fn mkfifo(p: &Path) {
    let st = std::process::Command::new("mkfifo")
        .arg(p)
        .status()
        .unwrap();
    assert!(st.success());
}

#[cfg(unix)]
#[test]
fn fifos_and_devices_never_block() {
    // file() of a device and of stdin; templatefile() of a FIFO; a link to a device: refused
    // as outside, and with --allow-outside-root as not a regular file, never opened.
    let outside = "is not read: it resolves to a path outside the scanned paths";
    for (call, without, with) in [
        (
            "file(\"/dev/zero\")",
            outside,
            "is not read: it is a device, not a regular file",
        ),
        (
            "file(\"/dev/stdin\")",
            outside,
            "file `/dev/stdin` is not read",
        ),
        (
            "file(\"zero\")",
            outside,
            "file `zero` is not read: it is a device, not a regular file",
        ),
        (
            "templatefile(\"pipe\", {})",
            "file `pipe` is not read: it is a FIFO, not a regular file",
            "file `pipe` is not read: it is a FIFO, not a regular file",
        ),
    ] {
        let l = layout(&[("main.tf", &cluster(call))]);
        mkfifo(&l.root.join("pipe"));
        std::os::unix::fs::symlink("/dev/zero", l.root.join("zero")).unwrap();
        let o = bounded(call, &l.root, &["check", "--format", "concise", "."], &[]);
        expect_has(&o, without);
        expect_code(&o, 1);
        let args = ["check", "--format", "concise", "--allow-outside-root", "."];
        let o = bounded(call, &l.root, &args, &[]);
        expect_has(&o, with);
        expect_code(&o, 1);
    }
}

#[cfg(unix)]
#[test]
fn fifo_and_device_configuration_files_are_input_errors() {
    let l = layout(&[]);
    mkfifo(&l.root.join("pipe.tf"));
    std::os::unix::fs::symlink("/dev/zero", l.root.join("zero.tf")).unwrap();
    std::os::unix::fs::symlink("/dev/stdin", l.root.join("stdin.yaml")).unwrap();
    // walked and named explicitly
    for args in [
        vec!["check", "--format", "concise", "--allow-outside-root", "."],
        vec![
            "check",
            "--format",
            "concise",
            "--allow-outside-root",
            "pipe.tf",
            "zero.tf",
        ],
    ] {
        let o = bounded("fifo config", &l.root, &args, &[]);
        expect_has(
            &o,
            "could not read `pipe.tf`: it is a FIFO, not a regular file",
        );
        expect_has(
            &o,
            "could not read `zero.tf`: it is a device, not a regular file",
        );
        expect_code(&o, 2);
    }
}

#[cfg(unix)]
#[test]
fn module_cache_fifo_device_and_huge_files_are_not_read() {
    let main = "module \"eks\" {\n  source = \"git::https://example.com/eks.git\"\n}\n";
    for kind in ["fifo", "zero", "huge"] {
        let l = layout(&[("main.tf", main)]);
        let cache = l.root.join(".terraform/modules");
        std::fs::create_dir_all(&cache).unwrap();
        let mj = cache.join("modules.json");
        match kind {
            "fifo" => mkfifo(&mj),
            "zero" => std::os::unix::fs::symlink("/dev/zero", &mj).unwrap(),
            _ => {
                // 60 MB of one valid JSON document
                let mut s = String::from("{\"Modules\":[");
                let entry = "{\"Key\":\"k\",\"Source\":\"s\",\"Dir\":\".\"},";
                while s.len() < 60 << 20 {
                    s.push_str(entry);
                }
                s.push_str("{\"Key\":\"eks\",\"Source\":\"s\",\"Dir\":\".\"}]}");
                std::fs::write(&mj, s).unwrap();
            }
        }
        let o = bounded(kind, &l.root, &["check", "--format", "concise", "."], &[]);
        expect_code(&o, 0);
        expect_has(&o, "module `module.eks`");
    }
}

#[cfg(unix)]
#[test]
fn ignore_files_that_would_block_or_leave_the_root() {
    // The walker reads ignore files itself: a `.gitignore -> /dev/zero` was read forever.
    for (dir, name, how) in [
        ("", ".gitignore", "zero"),
        ("sub/", ".gitignore", "zero"),
        ("sub/", ".ignore", "fifo"),
        ("sub/", ".gitignore", "outside"),
    ] {
        let l = layout(&[("sub/main.tf", &cluster("\"ng\""))]);
        let p = l.root.join(dir).join(name);
        match how {
            "zero" => std::os::unix::fs::symlink("/dev/zero", &p).unwrap(),
            "fifo" => mkfifo(&p),
            _ => std::os::unix::fs::symlink(l.outside.join("secret"), &p).unwrap(),
        }
        let o = no_leak(&format!("{dir}{name} {how}"), &l.root, &[]);
        let shown = format!("`{dir}{name}` is not read (");
        expect_has(&o, &shown);
        expect_has(&o, "so this directory is not scanned");
        expect_code(&o, 2);
    }
}
