//! Arbitrary command lines (NUL-separated arguments): clap parsing, output pairing and
//! settings resolution. Paths are never scanned; only what parses the arguments runs.
#![no_main]
use clap::Parser;
use eks_lint::cli::{Cli, Command};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let args = std::iter::once("eks-lint").chain(text.split('\0'));
    let Ok(cli) = Cli::try_parse_from(args) else {
        return;
    };
    let check = match cli.command {
        None => cli.check,
        Some(Command::Check(a)) => a,
        Some(Command::Capacity(a)) => {
            let _ = eks_lint::render::capacity::parse_env(&a.env);
            return;
        }
        Some(Command::Instance(a)) => {
            let _ = eks_lint::instance::report(&a.instance_type, &a.env);
            return;
        }
        Some(Command::Rule(_)) => return,
    };
    // Never read a configuration file named on the command line or found from the cwd.
    let mut check = check;
    check.input.config = None;
    check.input.isolated = true;
    if let Ok(s) = eks_lint::settings::resolve(&check) {
        let _ = eks_lint::settings::show::show(&s);
    }
});
