//! The output edges (issue 12): hostile text in file names, names, AZs, configuration keys
//! and source lines reaches every format escaped; long lines and lone CRs render; `--output`
//! never replaces a device or FIFO and reports write errors; a scan that read nothing never
//! passes for a clean one.

use crate::common::{bounded, case, BIN};
use std::path::Path;

const FORMATS: [&str; 7] = [
    "human", "concise", "json", "sarif", "github", "markdown", "junit",
];

/// Characters a terminal or log viewer acts on (C0 but tab, DEL, C1, bidi overrides).
fn is_unsafe(c: char) -> bool {
    matches!(c, '\0'..='\u{8}' | '\u{a}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn assert_no_raw_controls(what: &str, text: &str) {
    if let Some(c) = text.chars().find(|&c| is_unsafe(c) && c != '\n') {
        panic!("{what}: raw {c:?} in\n{text:?}");
    }
}

/// Every line the Actions runner would read: none starts a workflow command unless it is one
/// of ours (`::error|warning|notice ...::data` with escaped data), and none holds `##[`.
fn assert_actions_safe(what: &str, text: &str, commands_allowed: bool) {
    for line in text.split(['\n', '\r']) {
        let body = line.trim_start();
        if let Some(command) = body.strip_prefix("::") {
            assert!(commands_allowed, "{what}: command line {line:?}");
            let (head, data) = command
                .split_once("::")
                .unwrap_or_else(|| panic!("{what}: {line:?}"));
            let name = head.split(' ').next().unwrap();
            assert!(
                matches!(name, "error" | "warning" | "notice"),
                "{what}: {line:?}"
            );
            assert_no_raw_controls(what, data);
        } else {
            assert!(!line.contains("##["), "{what}: {line:?}");
        }
    }
}

/// Markdown without its code spans (a run of N backticks up to the next run of exactly N;
/// backslash escapes are skipped).
fn outside_code_spans(md: &str) -> String {
    let b = md.as_bytes();
    let run = |i: usize| b[i..].iter().take_while(|&&c| c == b'`').count();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' if i + 1 < b.len() => {
                out.extend_from_slice(&b[i..i + 2]);
                i += 2;
            }
            b'`' => {
                let n = run(i);
                let mut j = i + n;
                let close = loop {
                    if j >= b.len() {
                        break None;
                    }
                    if b[j] == b'`' {
                        let m = run(j);
                        if m == n {
                            break Some(j + m);
                        }
                        j += m;
                    } else {
                        j += 1;
                    }
                };
                match close {
                    Some(end) => i = end,
                    None => {
                        out.extend_from_slice(&b[i..i + n]);
                        i += n;
                    }
                }
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The runner's unescaping of a property value (ActionCommand.UnescapeProperty).
fn unescape_property(v: &str) -> String {
    v.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

/// A file name holding every hostile class the issue lists (a Linux file name has no `/`).
const HOSTILE_NAME: &str =
    "x\n::error::y\u{1b}]8;;http:e\u{7}\u{1b}[2J<img src=x>@org-team![x](http:evil)\u{9b}\u{fffe}\u{202e}.yaml";

/// An eksctl cluster whose names and AZ hold the same classes (YAML escapes).
const HOSTILE_CLUSTER: &str = r#"apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: "c\e]8;;http://evil\a<img src=x>@org/team"
  region: us-west-2
vpc:
  subnets:
    private:
      "sub\n::error::pwned": { az: "us-west-2a\u009b2J", cidr: 10.0.0.0/24 }
managedNodeGroups:
  - name: "ng\r\n::warning::x ![x](http://evil) |pipe| ##[add-mask]x \u202e"
    instanceType: m5.large
    maxSize: 50
    subnets: ["sub\n::error::pwned"]
"#;

#[test]
fn hostile_names_are_escaped_in_every_format() {
    let dir = case(&[]);
    // `case` takes `/`-separated names; this one has none but needs writing as is.
    std::fs::write(dir.path().join(HOSTILE_NAME), HOSTILE_CLUSTER).unwrap();
    for actions in [false, true] {
        let env: &[(&str, &str)] = if actions {
            &[("GITHUB_ACTIONS", "true")]
        } else {
            &[]
        };
        for f in FORMATS {
            let what = format!("{f} (GITHUB_ACTIONS={actions})");
            let o = bounded(&what, dir.path(), &["--format", f, "."], env);
            // EKS402: the subnet is outside the (default) VPC CIDR.
            assert_eq!(o.code, Some(1), "{what}: {}", o.out);
            assert!(o.out.contains("EKS402"), "{what}: {}", o.out);
            assert_no_raw_controls(&format!("{what} stderr"), &o.stderr);
            if actions || f == "github" {
                assert_actions_safe(&what, &o.stdout, f == "github");
                assert_actions_safe(&format!("{what} stderr"), &o.stderr, false);
            }
            match f {
                "json" | "sarif" => {
                    assert_no_raw_controls(&what, &o.stdout);
                    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
                    // JSON keeps the data exact: the file name round-trips.
                    let file = if f == "json" {
                        v["findings"][0]["location"]["file"].clone()
                    } else {
                        // SARIF: a percent-encoded URI.
                        let uri = v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
                            ["artifactLocation"]["uri"]
                            .as_str()
                            .unwrap()
                            .to_string();
                        assert!(uri.starts_with("x%0A%3A%3Aerror%3A%3Ay%1B%5D8"), "{uri}");
                        serde_json::Value::from(HOSTILE_NAME)
                    };
                    assert_eq!(file, HOSTILE_NAME, "{what}");
                }
                "junit" => {
                    assert_no_raw_controls(&what, &o.stdout);
                    let doc = roxmltree::Document::parse(&o.stdout)
                        .unwrap_or_else(|e| panic!("{what}: not XML ({e}):\n{}", o.stdout));
                    let suite = doc
                        .descendants()
                        .find(|n| n.has_tag_name("testsuite"))
                        .unwrap();
                    let name = suite.attribute("name").unwrap();
                    // Markup survives as text; control characters are shown, U+FFFE replaced.
                    assert!(name.contains("<img src=x>@org-team"), "{name:?}");
                    assert!(name.contains("\n::error::y\\u{1b}]8;;http:e"), "{name:?}");
                    assert!(name.contains('\u{fffd}') && !name.contains('\u{fffe}'));
                }
                "markdown" => {
                    assert_no_raw_controls(&what, &o.stdout);
                    // Code spans show text literally; outside them, the only HTML is ours.
                    let text = outside_code_spans(&o.stdout);
                    assert_eq!(
                        text.matches('<').count(),
                        text.matches("<br>").count(),
                        "{what}: raw HTML\n{}",
                        o.stdout
                    );
                    assert!(!text.contains("@org"), "{what}: a mention\n{}", o.stdout);
                    // Outside code spans: mentions broken, link syntax escaped.
                    assert!(
                        o.stdout
                            .contains("&lt;img src=x&gt;@&#8203;org-team!\\[x\\](http:evil)"),
                        "{}",
                        o.stdout
                    );
                    // Names in code spans: pipes escaped, nothing ends the table row.
                    assert!(o.stdout.contains("\\|pipe\\|"), "{}", o.stdout);
                    for line in o.stdout.lines().filter(|l| l.starts_with('|')) {
                        assert!(line.ends_with('|'), "{what}: row cut: {line:?}");
                    }
                }
                "github" => {
                    for line in o.stdout.lines().filter(|l| l.contains("file=")) {
                        let v = line.split("file=").nth(1).unwrap();
                        let v = v.split(',').next().unwrap();
                        // The runner reads the terminal-escaped name: one line, no controls.
                        let file = unescape_property(v);
                        assert!(
                            file.starts_with("x\\u{a}::error::y\\u{1b}]8;;http:e"),
                            "{file:?}"
                        );
                        assert!(!file.chars().any(is_unsafe), "{file:?}");
                    }
                }
                _ => {
                    // human, concise: the names shown with escapes, each finding on its lines.
                    assert_no_raw_controls(&what, &o.stdout);
                    assert!(
                        o.stdout
                            .contains("x\\u{a}::error::y\\u{1b}]8;;http:e\\u{7}\\u{1b}[2J"),
                        "{what}: {}",
                        o.stdout
                    );
                    assert!(o.stdout.contains("sub\\u{a}::error::pwned"), "{}", o.stdout);
                }
            }
        }
    }
}

#[test]
fn capacity_tables_escape_hostile_names() {
    let dir = case(&[]);
    std::fs::write(dir.path().join(HOSTILE_NAME), HOSTILE_CLUSTER).unwrap();
    for f in ["human", "markdown", "json"] {
        let o = bounded(
            f,
            dir.path(),
            &["capacity", "--format", f, "."],
            &[("GITHUB_ACTIONS", "true")],
        );
        assert_eq!(o.code, Some(0), "{f}: {}", o.out);
        assert_no_raw_controls(f, &o.stdout);
        assert_actions_safe(f, &o.stdout, false);
        match f {
            "json" => {
                let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
                assert_eq!(v["clusters"][0]["file"], HOSTILE_NAME);
            }
            "markdown" => {
                let text = outside_code_spans(&o.stdout);
                assert!(!text.contains('<'), "{}", o.stdout);
                assert!(
                    text.contains("&lt;img src=x&gt;@&#8203;org-team"),
                    "{}",
                    o.stdout
                );
            }
            _ => assert!(o.stdout.contains("sub\\u{a}::error::pwned"), "{}", o.stdout),
        }
    }
    // Everything ignored: the capacity command fails too.
    std::fs::write(dir.path().join(".gitignore"), "*\n").unwrap();
    let o = bounded("capacity ignored", dir.path(), &["capacity", "."], &[]);
    assert_eq!(o.code, Some(2), "{}", o.out);
    assert!(
        o.stderr.contains(
            "warning: ignore rules skipped every configuration file (.gitignore: 1 file)"
        ),
        "{}",
        o.stderr
    );
}

#[test]
fn toml_keys_with_line_breaks_stay_on_one_stderr_line() {
    let dir = case(&[
        (
            "eks-lint.toml",
            b"\"a\\n::error::pwned\\u001b[2J ##[add-mask]x\" = 1\n",
        ),
        ("cluster.yaml", crate::common::eksctl("", "").as_bytes()),
    ]);
    for actions in [false, true] {
        let env: &[(&str, &str)] = if actions {
            &[("GITHUB_ACTIONS", "true")]
        } else {
            &[]
        };
        for f in ["human", "github"] {
            let what = format!("{f} (GITHUB_ACTIONS={actions})");
            let o = bounded(&what, dir.path(), &["--format", f, "."], env);
            assert_eq!(o.code, Some(2), "{what}: {}", o.out);
            if f == "github" {
                // One annotation on the file (issue 17), its data inert: one line, no command.
                assert_eq!(o.stdout.lines().count(), 1, "{what}: {:?}", o.stdout);
                assert!(
                    o.stdout.starts_with(
                        "::error file=eks-lint.toml,line=1,col=1,title=eks-lint configuration::\
                         unknown field `a\\u{a}::error::pwned\\u{1b}[2J"
                    ),
                    "{what}: {:?}",
                    o.stdout
                );
            } else {
                assert_eq!(o.stdout, "", "{what}");
            }
            assert_eq!(o.stderr.lines().count(), 1, "{what}: {:?}", o.stderr);
            assert!(
                o.stderr.starts_with(
                    "error: eks-lint.toml:1:1: unknown field `a\\u{a}::error::pwned\\u{1b}[2J"
                ),
                "{what}: {:?}",
                o.stderr
            );
            assert_no_raw_controls(&what, &o.stderr);
            if actions || f == "github" {
                assert_actions_safe(&what, &o.stderr, false);
                assert!(o.stderr.contains("##\\[add-mask]"), "{:?}", o.stderr);
            }
        }
    }
    // A usage error quoting a hostile argument, in Actions.
    let o = bounded(
        "usage",
        dir.path(),
        &["--format", "x\n::error::pwned"],
        &[("GITHUB_ACTIONS", "true")],
    );
    assert_eq!(o.code, Some(2), "{}", o.out);
    assert!(o.stderr.contains("invalid value"), "{}", o.stderr);
    assert_actions_safe("usage", &o.stderr, false);
}

/// A minified `.tf.json` whose node group sits past column 65 535 (miette panicked on it).
fn long_line_module() -> String {
    let pad = "x".repeat(70_000);
    format!(
        r#"{{"locals":{{"pad":"{pad}"}},"resource":{{"aws_vpc":{{"main":{{"cidr_block":"10.0.0.0/16"}}}},"aws_subnet":{{"a":{{"vpc_id":"${{aws_vpc.main.id}}","cidr_block":"10.0.0.0/28","availability_zone":"us-east-1a"}}}},"aws_eks_cluster":{{"this":{{"name":"adv","role_arn":"r","vpc_config":{{"subnet_ids":["${{aws_subnet.a.id}}"]}}}}}},"aws_eks_node_group":{{"ng":{{"cluster_name":"${{aws_eks_cluster.this.name}}","node_group_name":"ng","node_role_arn":"r","subnet_ids":["${{aws_subnet.a.id}}"],"instance_types":["m5.large"],"scaling_config":{{"min_size":1,"desired_size":2,"max_size":30}}}}}}}}}}"#
    )
}

#[test]
fn findings_past_column_65535_render_with_their_location() {
    let text = long_line_module();
    let dir = case(&[("main.tf.json", text.as_bytes())]);
    let concise = bounded(
        "long line concise",
        dir.path(),
        &["-f", "concise", "."],
        &[],
    );
    assert_eq!(concise.code, Some(1), "{}", concise.out);
    let line = concise
        .stdout
        .lines()
        .find(|l| l.contains("error[EKS101]"))
        .unwrap_or_else(|| panic!("{}", concise.out));
    // The column the other formats give for it.
    let col: u32 = line.split(':').nth(2).unwrap().parse().unwrap();
    assert!(col > 65_535, "{line}");
    // Wide, so the message is not wrapped.
    let human = bounded(
        "long line human",
        dir.path(),
        &["."],
        &[("COLUMNS", "10000")],
    );
    assert_eq!(human.code, Some(1), "{}", human.out);
    assert!(
        human.stdout.contains(&format!("(at main.tf.json:1:{col})")),
        "{}",
        human.stdout
    );
    assert!(human.stdout.contains("Found 1 error"), "{}", human.stdout);
    assert!(!human.stdout.contains(&"x".repeat(100)), "no 70 KB snippet");
    let json = bounded("long line json", dir.path(), &["-f", "json", "."], &[]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "EKS101")
        .unwrap();
    assert_eq!(f["location"]["start"]["column"], col);
}

/// Lines end at `\n` in every format (a lone `\r` is not a line end, as in Terraform's own
/// messages, git and GitHub's diff view); human output shows the `\r` as `\u{d}`.
#[test]
fn lone_cr_files_get_the_same_line_numbers_everywhere() {
    let text = SMALL_SUBNETS.replace('\n', "\r\n");
    // Old-Mac line ends in the node group only: the lines before keep their numbers.
    let at = text.find("  - name: ng").unwrap();
    let mut mixed = text[..at].to_string();
    mixed.push_str(&text[at..].replace("\r\n", "\r"));
    let dir = case(&[("cluster.yaml", mixed.as_bytes())]);
    let concise = bounded("lone cr", dir.path(), &["-f", "concise", "."], &[]);
    let json = bounded("lone cr json", dir.path(), &["-f", "json", "."], &[]);
    let sarif = bounded("lone cr sarif", dir.path(), &["-f", "sarif", "."], &[]);
    let github = bounded("lone cr github", dir.path(), &["-f", "github", "."], &[]);
    let human = bounded("lone cr human", dir.path(), &["."], &[]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let s: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    let findings = v["findings"].as_array().unwrap();
    assert!(!findings.is_empty(), "{}", concise.out);
    let ng_line = mixed[..at].matches('\n').count() as u64 + 1;
    let mut saw_ng_line = false;
    for (i, f) in findings.iter().enumerate() {
        let (line, col) = (
            f["location"]["start"]["line"].as_u64().unwrap(),
            f["location"]["start"]["column"].as_u64().unwrap(),
        );
        saw_ng_line |= line == ng_line;
        let region = &s["runs"][0]["results"][i]["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startLine"], line);
        let c = concise.stdout.lines().nth(i).unwrap();
        assert!(c.starts_with(&format!("cluster.yaml:{line}:{col}:")), "{c}");
        assert!(
            github.stdout.contains(&format!("line={line},")),
            "{}",
            github.stdout
        );
        assert!(
            human
                .stdout
                .contains(&format!("[cluster.yaml:{line}:{col}]"))
                || human
                    .stdout
                    .contains(&format!("(at cluster.yaml:{line}:{col})")),
            "{line}:{col} in\n{}",
            human.stdout
        );
    }
    assert!(
        saw_ng_line,
        "a finding on the lone-CR line {ng_line}: {}",
        concise.out
    );
    assert_no_raw_controls("human", &human.stdout);
    assert!(human.stdout.contains("\\u{d}"), "{}", human.stdout);
}

/// A module with an EKS101 error: 3 m5.large nodes need 60 addresses, a /28 has 11.
fn output_case() -> tempfile::TempDir {
    let tf = crate::common::tf_cluster("10.0.0.0/28", crate::common::SCALING);
    case(&[("main.tf", tf.as_bytes())])
}

/// An eksctl cluster with findings on its node group (subnets too small for it).
const SMALL_SUBNETS: &str = "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: lonecr\n  region: us-west-2\nvpc:\n  cidr: 10.0.0.0/16\n  subnets:\n    private:\n      a: { az: us-west-2a, cidr: 10.0.0.0/28 }\n      b: { az: us-west-2b, cidr: 10.0.1.0/28 }\nmanagedNodeGroups:\n  - name: ng\n    instanceType: m5.large\n    maxSize: 50\n";

#[test]
fn output_refuses_fifos_and_devices_and_leaves_them_alone() {
    let dir = output_case();
    let fifo = dir.path().join("report.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    let mut targets = vec!["/dev/full".to_string(), "/dev/stdout".to_string()];
    if made {
        targets.push(fifo.display().to_string());
    }
    for t in &targets {
        let o = bounded(t, dir.path(), &["-f", "json", "-o", t, "."], &[]);
        assert_eq!(o.code, Some(2), "{t}: {}", o.out);
        assert!(
            o.stderr
                .contains(&format!("error: could not write {t}: not a regular file")),
            "{t}: {}",
            o.stderr
        );
        assert_eq!(o.stdout, "", "{t}");
    }
    use std::os::unix::fs::FileTypeExt;
    if made {
        assert!(std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo());
    }
    assert!(std::fs::metadata("/dev/full")
        .unwrap()
        .file_type()
        .is_char_device());
    // No temporary file left behind.
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".eks-lint-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn output_files_get_the_umask_and_no_partial_file_on_error() {
    let dir = output_case();
    let o = bounded(
        "out",
        dir.path(),
        &["-f", "sarif", "-o", "out.sarif", "."],
        &[],
    );
    assert_eq!(o.code, Some(1), "{}", o.out);
    let meta = std::fs::metadata(dir.path().join("out.sarif")).unwrap();
    use std::os::unix::fs::PermissionsExt;
    let mode = meta.permissions().mode() & 0o777;
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let umask = status
        .lines()
        .find_map(|l| l.strip_prefix("Umask:"))
        .map(|u| u32::from_str_radix(u.trim(), 8).unwrap())
        .unwrap();
    // The child inherits this process's umask; tempfile alone would give 0600.
    assert_eq!(mode, 0o666 & !umask, "{mode:o}");
    // A directory that does not exist: exit 2, nothing written anywhere.
    let o = bounded(
        "missing dir",
        dir.path(),
        &["-f", "json", "-o", "no/such/dir/r.json", "."],
        &[],
    );
    assert_eq!(o.code, Some(2), "{}", o.out);
    assert!(
        o.stderr
            .contains("error: could not write no/such/dir/r.json:"),
        "{}",
        o.stderr
    );
    assert!(!dir.path().join("no").exists());
}

/// Run eks-lint with stdout going to `stdout`; `close` drops the read end of a piped stdout
/// at once (a reader that went away).
fn run_with_stdout(
    dir: &Path,
    args: &[&str],
    stdout: std::process::Stdio,
    close: bool,
) -> (Option<i32>, String) {
    let mut child = std::process::Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_ACTIONS")
        .stdout(stdout)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    if close {
        drop(child.stdout.take());
    }
    let o = child.wait_with_output().unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn stdout_write_errors_exit_2_but_a_closed_pipe_does_not() {
    let dir = output_case();
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let (code, stderr) = run_with_stdout(dir.path(), &["-f", "json", "."], full.into(), false);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("error: could not write to stdout: No space left on device"),
        "{stderr}"
    );
    // A reader that went away (`| head`): the findings' exit code, no error.
    let (code, stderr) = run_with_stdout(
        dir.path(),
        &["-f", "json", "."],
        std::process::Stdio::piped(),
        true,
    );
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(stderr, "");
}

#[test]
fn ignore_rules_that_skip_every_file_fail_the_run_in_every_format() {
    let cluster = crate::common::eksctl("", "");
    // (rule kind, the files that set it up, how the summary counts it)
    type Case<'a> = (&'a str, Vec<(&'a str, &'a [u8])>, &'a str);
    let cases: [Case; 3] = [
        (
            ".gitignore",
            vec![(".gitignore", b"*\n")],
            ".gitignore: 1 file",
        ),
        (".ignore", vec![(".ignore", b"*.yaml\n")], ".ignore: 1 file"),
        (
            "exclude",
            vec![("eks-lint.toml", b"exclude = [\"**\"]\n")],
            "exclude: 1 file",
        ),
    ];
    for (name, extra, phrase) in cases {
        let mut files: Vec<(&str, &[u8])> = vec![("cluster.yaml", cluster.as_bytes())];
        files.extend(extra);
        let dir = case(&files);
        let why = format!(
            "ignore rules skipped every configuration file ({phrase}); nothing was checked"
        );
        for f in FORMATS {
            let what = format!("{name} {f}");
            let o = bounded(&what, dir.path(), &["--format", f, "."], &[]);
            assert_eq!(o.code, Some(2), "{what}: {}", o.out);
            assert!(
                o.stderr.contains(&format!("warning: {why}")),
                "{what}: {}",
                o.stderr
            );
            assert!(
                !o.stdout.contains("All checks passed"),
                "{what}: {}",
                o.stdout
            );
            match f {
                "human" | "concise" => assert!(
                    o.stdout.contains(&format!(
                        "Nothing was checked: ignore rules skipped every configuration file.\nSkipped by ignore rules: {phrase}."
                    )),
                    "{what}: {}",
                    o.stdout
                ),
                "json" => {
                    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
                    assert_eq!(v["summary"]["files"], 0);
                    assert_eq!(v["summary"]["skipped"][0]["source"], name);
                    assert_eq!(v["summary"]["skipped"][0]["files"], 1);
                    assert!(v["summary"]["run_warnings"][0].as_str().unwrap().starts_with(&why));
                }
                "sarif" => {
                    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
                    let inv = &v["runs"][0]["invocations"][0];
                    assert_eq!(inv["executionSuccessful"], false);
                    let n = &inv["toolExecutionNotifications"];
                    assert_eq!(n[0]["level"], "warning");
                    assert!(n[0]["message"]["text"].as_str().unwrap().starts_with(&why));
                    assert!(n[1]["message"]["text"].as_str().unwrap().contains(phrase));
                }
                "github" => {
                    assert!(
                        o.stdout.starts_with(&format!("::warning title=eks-lint::{why}")),
                        "{}",
                        o.stdout
                    );
                    assert!(o.stdout.contains(&format!("::notice title=eks-lint::Skipped by ignore rules: {phrase}.")));
                    assert_actions_safe(&what, &o.stdout, true);
                }
                "markdown" => {
                    assert!(o.stdout.contains(&format!("- :warning: {why}")), "{}", o.stdout);
                    assert!(o.stdout.contains(&format!("- Skipped by ignore rules: {phrase}.")), "{}", o.stdout);
                }
                _ => {
                    roxmltree::Document::parse(&o.stdout).unwrap();
                }
            }
        }
        // Named explicitly, the file is read whatever the ignore rules say.
        let o = bounded(name, dir.path(), &["-f", "concise", "cluster.yaml"], &[]);
        assert_ne!(o.code, Some(2), "{}", o.out);
        assert!(!o.out.contains("Nothing was checked"), "{}", o.out);
    }
}

#[test]
fn an_empty_tree_warns_and_exits_0_and_partial_ignores_are_listed() {
    let dir = case(&[("README.md", b"no configuration here\n")]);
    let o = bounded("empty", dir.path(), &["."], &[]);
    assert_eq!(o.code, Some(0), "{}", o.out);
    assert_eq!(
        o.stdout,
        "Nothing was checked: no configuration files found.\n"
    );
    assert_eq!(
        o.stderr,
        "warning: no configuration files found (Terraform, tfvars or eksctl YAML); nothing was checked\n"
    );
    let cluster = crate::common::eksctl("", "");
    let dir = case(&[
        ("a/cluster.yaml", cluster.as_bytes()),
        ("b/cluster.yaml", cluster.as_bytes()),
        (".gitignore", b"b/\n"),
    ]);
    let o = bounded("partial", dir.path(), &["-f", "concise", "."], &[]);
    assert_eq!(o.code, Some(0), "{}", o.out);
    assert_eq!(
        o.stdout,
        "All checks passed! (1 file, 1 cluster checked)\n1 cluster: 1 fully checked.\nSkipped by \
         ignore rules: .gitignore: 1 file.\n"
    );
    assert_eq!(o.stderr, "", "{}", o.stderr);
}
