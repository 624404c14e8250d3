use clap::Parser;
use eks_lint::cli::{Cli, Command};
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let args = match cli.command {
        Some(Command::Check(a)) => a,
        None => cli.check,
        Some(Command::Rule(a)) => {
            let json = a.format == Some(eks_lint::cli::Format::Json);
            return match eks_lint::rules::pages::rule_command(a.rule.as_deref(), a.all, json) {
                Ok(text) => {
                    print!("{text}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            };
        }
        Some(Command::Instance(a)) => {
            return match eks_lint::instance::report(&a.instance_type, &a.env) {
                Ok(r) => {
                    if a.format == Some(eks_lint::cli::Format::Json) {
                        println!("{}", eks_lint::instance::render_json(&r));
                    } else {
                        print!("{}", eks_lint::instance::render_human(&r));
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            };
        }
        Some(_) => {
            eprintln!("error: not implemented yet");
            return ExitCode::from(2);
        }
    };
    let settings = match eks_lint::settings::resolve(&args) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if args.show_settings {
        print!("{}", eks_lint::settings::show(&settings));
        return ExitCode::SUCCESS;
    }
    let paths: Vec<PathBuf> = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths
    };
    let report = eks_lint::check(&paths, &settings);
    print!("{}", eks_lint::render::concise::render(&report));
    if settings.statistics {
        print!("{}", eks_lint::statistics(&report));
    }
    for e in &report.input_errors {
        eprintln!("error: {e}");
    }
    ExitCode::from(report.exit_code(&settings) as u8)
}
