use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let paths: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths
    };
    let settings = eks_lint::settings::Settings::default();
    let report = eks_lint::check(&paths, &settings);
    print!("{}", eks_lint::render::concise::render(&report));
    for e in &report.input_errors {
        eprintln!("error: {e}");
    }
    ExitCode::from(report.exit_code(&settings) as u8)
}
