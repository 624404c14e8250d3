//! No network access and no process execution (issue 8): the dependency tree holds no
//! network/TLS/HTTP crate and the product code uses no process or socket API.

use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

const FORBIDDEN_CRATES: &[&str] = &[
    "reqwest",
    "hyper",
    "ureq",
    "rustls",
    "native-tls",
    "openssl",
    "openssl-sys",
    "aws-lc-rs",
    "aws-lc-sys",
    "curl",
    "curl-sys",
    "isahc",
    "attohttpc",
    "mio",
    "socket2",
];

#[test]
fn cargo_lock_has_no_network_crates() {
    let lock = std::fs::read_to_string(Path::new(ROOT).join("Cargo.lock")).unwrap();
    let names: Vec<&str> = lock
        .lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .filter_map(|l| l.strip_suffix('"'))
        .collect();
    assert!(names.contains(&"clap"), "Cargo.lock not parsed: {names:?}");
    let bad: Vec<&&str> = names
        .iter()
        .filter(|n| FORBIDDEN_CRATES.contains(n))
        .collect();
    assert!(bad.is_empty(), "network crates in Cargo.lock: {bad:?}");
    // tokio is only acceptable without networking; it is not needed at all today.
    assert!(!names.contains(&"tokio"), "tokio in Cargo.lock");
}

const FORBIDDEN_APIS: &[&str] = &[
    "std::process::Command",
    "process::Command",
    "Command::new",
    // `std::net::IpAddr`/`Ipv4Addr` are plain values (CIDR arithmetic); sockets are not.
    "ToSocketAddrs",
    "TcpStream",
    "TcpListener",
    "UdpSocket",
    "UnixStream",
];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn product_code_runs_no_processes_and_opens_no_sockets() {
    let mut files = Vec::new();
    rust_files(&Path::new(ROOT).join("src"), &mut files);
    files.push(Path::new(ROOT).join("build.rs"));
    // 115 files when the floor was set: fewer than 100 means the walk went wrong.
    assert!(files.len() >= 100, "{} files under src/", files.len());
    let mut hits = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        for (i, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for api in FORBIDDEN_APIS {
                if line.contains(api) {
                    hits.push(format!("{}:{}: {api}", f.display(), i + 1));
                }
            }
        }
    }
    assert!(hits.is_empty(), "forbidden APIs:\n{}", hits.join("\n"));
}
