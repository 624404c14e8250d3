use clap::{ArgMatches, CommandFactory, FromArgMatches};
use eks_lint::cli::{CapacityArgs, CheckArgs, Cli, ColorChoice, Command, Format};
use eks_lint::code::Code;
use eks_lint::render::{self, stderr, Options, Target};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

// The parser and evaluator allocate many small nodes from several threads; mimalloc's
// thread-local free lists cut the allocator's share of the run (glibc malloc took ~30% in
// `perf record`, see README "Performance").
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // From the start: argument and configuration errors embed hostile text too.
    stderr::set_actions_log(stderr::in_github_actions());
    install_panic_hook();
    eks_lint::breadcrumb::set_test_panic(
        std::env::var_os("EKS_LINT_TEST_PANIC").is_some_and(|v| v == "1"),
    );
    // A panic anywhere (any thread: rayon re-raises worker panics here) is an internal error,
    // reported by the hook with the file being processed, and exits 2 (issue 8).
    std::panic::catch_unwind(run).unwrap_or(ExitCode::from(2))
}

/// Replace the default panic message with one line naming the file being processed
/// ([`eks_lint::breadcrumb`]). Printed once even when several workers panic.
fn install_panic_hook() {
    use std::sync::atomic::{AtomicBool, Ordering};
    static REPORTED: AtomicBool = AtomicBool::new(false);
    std::panic::set_hook(Box::new(|info| {
        if REPORTED.swap(true, Ordering::SeqCst) {
            return;
        }
        let payload = info.payload();
        let msg = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("unknown panic");
        let at = info
            .location()
            .map(|l| format!(" (at {}:{})", l.file(), l.line()))
            .unwrap_or_default();
        let file = eks_lint::breadcrumb::current();
        let what = file.map_or_else(String::new, |f| format!(" while processing {f}"));
        stderr::error(&format!(
            "internal error{what}: {msg}{at}; this is a bug in eks-lint, please report it"
        ));
    }));
}

fn run() -> ExitCode {
    let matches = match Cli::command().try_get_matches() {
        Ok(m) => m,
        Err(e) => usage_error(e),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => usage_error(e),
    };
    match cli.command {
        Some(Command::Check(a)) => {
            let m = matches.subcommand_matches("check");
            with_pool(a.input.threads, || check(a, m))
        }
        None => with_pool(cli.check.input.threads, || check(cli.check, Some(&matches))),
        Some(Command::Rule(a)) => {
            let json = a.format == Some(Format::Json);
            match eks_lint::rules::pages::rule_command(a.rule.as_deref(), a.all, json) {
                Ok(text) => {
                    let mut out = Stdout::new();
                    out.write(&text, a.format);
                    ExitCode::from(out.finish())
                }
                Err(e) => {
                    stderr::error(&e.to_string());
                    ExitCode::from(2)
                }
            }
        }
        Some(Command::Capacity(a)) => with_pool(a.input.threads, || capacity(a)),
        Some(Command::Instance(a)) => match eks_lint::instance::report(&a.instance_type, &a.env) {
            Ok(r) => {
                let text = if a.format == Some(Format::Json) {
                    eks_lint::instance::render_json(&r) + "\n"
                } else {
                    eks_lint::instance::render_human(&r)
                };
                let mut out = Stdout::new();
                out.write(&text, a.format);
                ExitCode::from(out.finish())
            }
            Err(e) => {
                stderr::error(&e.to_string());
                ExitCode::from(2)
            }
        },
    }
}

/// Run `f` on the run's one thread pool: `--threads` workers (`EKS_LINT_THREADS`; default one
/// per CPU) with the stack evaluation needs ([`eks_lint::limits::STACK_SIZE`]). The library
/// creates no pool of its own.
fn with_pool<R: Send>(threads: Option<usize>, f: impl FnOnce() -> R + Send) -> R {
    let mut b = rayon::ThreadPoolBuilder::new().stack_size(eks_lint::limits::STACK_SIZE);
    if let Some(n) = threads {
        b = b.num_threads(n);
    }
    match b.build() {
        Ok(pool) => pool.install(f),
        // The OS refused the threads: rayon's global pool (or this thread) does the work.
        Err(_) => f(),
    }
}

/// clap's errors quote the arguments: in GitHub Actions they are escaped like every other
/// message (help and version output are not errors and go to stdout).
fn usage_error(e: clap::Error) -> ! {
    if e.use_stderr() && stderr::actions_log() {
        eprint!("{}", stderr::text(&e.render().to_string()));
        std::process::exit(e.exit_code());
    }
    e.exit()
}

/// Terminal width for wrapping: `COLUMNS`, else the terminal's, else 100.
fn width() -> usize {
    if let Some(n) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
    {
        return n;
    }
    terminal_size::terminal_size().map_or(100, |(w, _)| usize::from(w.0))
}

fn color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

/// `--format`/`--output` with their command-line positions, so each output pairs with the
/// format before it.
fn targets(args: &CheckArgs, m: Option<&ArgMatches>) -> Result<Vec<Target>, String> {
    let fmt_idx: Vec<usize> = m
        .and_then(|m| m.indices_of("format"))
        .map(|i| i.collect())
        .unwrap_or_default();
    let out_idx: Vec<usize> = m
        .and_then(|m| m.indices_of("output"))
        .map(|i| i.collect())
        .unwrap_or_default();
    let formats: Vec<(usize, Format)> = args
        .format
        .iter()
        .enumerate()
        .map(|(i, f)| (fmt_idx.get(i).copied().unwrap_or(i), *f))
        .collect();
    let outputs: Vec<(usize, PathBuf)> = args
        .output
        .iter()
        .enumerate()
        .map(|(i, p)| (out_idx.get(i).copied().unwrap_or(usize::MAX), p.clone()))
        .collect();
    render::pair_outputs(&formats, &outputs)
}

fn check(args: CheckArgs, m: Option<&ArgMatches>) -> ExitCode {
    let targets = match targets(&args, m) {
        Ok(t) => t,
        Err(e) => {
            stderr::error(&e.to_string());
            return ExitCode::from(2);
        }
    };
    if targets.iter().any(|t| t.format == Format::Github) {
        stderr::set_actions_log(true);
    }
    let paths: Vec<PathBuf> = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let settings = match eks_lint::settings::resolve(&args) {
        Ok(s) => s,
        Err(e) => {
            // Every requested output still says why nothing was checked: the SARIF log as a
            // configuration notification, the github format as an annotation on the file.
            stderr::error(&e.to_string());
            let defaults = eks_lint::settings::Settings::from_process();
            let report = eks_lint::Report::config_error(e, defaults.base_dir.clone());
            // Reports for people would only repeat stderr; machine formats need the record.
            let machine: Vec<Target> = targets
                .iter()
                .filter(|t| matches!(t.format, Format::Sarif | Format::Json | Format::Github))
                .cloned()
                .collect();
            emit(&machine, &report, &defaults, args.color);
            return ExitCode::from(2);
        }
    };
    if args.show_settings {
        let mut out = Stdout::new();
        out.write(&eks_lint::settings::show::show(&settings), None);
        return ExitCode::from(out.finish());
    }
    let report = eks_lint::check(&paths, &settings);
    let code = report
        .exit_code(&settings)
        .max(emit(&targets, &report, &settings, args.color));
    for e in &report.input_errors {
        stderr::error(e);
    }
    for w in &report.warnings {
        stderr::warning(w);
    }
    ExitCode::from(code as u8)
}

/// Render `report` to every target; 2 when an output could not be written, else 0.
fn emit(
    targets: &[Target],
    report: &eks_lint::Report,
    settings: &eks_lint::settings::Settings,
    color_choice: ColorChoice,
) -> i32 {
    let opts = Options {
        color: false,
        width: width(),
        quiet: settings.quiet,
        statistics: settings.statistics,
        fail_on: settings.fail_on,
    };
    let mut code = 0;
    let mut stdout = Stdout::new();
    for t in targets {
        match &t.output {
            Some(path) => {
                let text = render::render(t.format, report, &opts);
                if let Err(e) = render::write_atomic(path, text.as_bytes()) {
                    stderr::error(&format!("could not write {}: {e}", path.display()));
                    code = 2;
                }
            }
            None => {
                let o = Options {
                    color: color(color_choice),
                    ..opts.clone()
                };
                let text = render::render(t.format, report, &o);
                stdout.write(&text, Some(t.format));
            }
        }
        if t.format == Format::Github {
            if let Some(p) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) {
                let md = render::markdown::render(report);
                if let Err(e) = render::github::append_step_summary(PathBuf::from(p).as_path(), &md)
                {
                    stderr::warning(&format!("could not write the step summary: {e}"));
                }
            }
        }
    }
    code.max(stdout.finish().into())
}

/// stdout for reports. A write error is reported once (exit code 2), except a closed pipe
/// (`| head`), which ends the output quietly. In GitHub Actions, text other than the github
/// format's own commands is made inert ([`render::escape::workflow_inert`]): a file name at
/// the start of a concise line, or a wrapped help line, must not start a workflow command.
struct Stdout {
    out: std::io::StdoutLock<'static>,
    /// Set once writing failed (or the pipe closed): nothing more is written.
    done: bool,
    failed: bool,
}

impl Stdout {
    fn new() -> Self {
        Stdout {
            out: std::io::stdout().lock(),
            done: false,
            failed: false,
        }
    }

    /// Write `text` of `format` (None: plain text).
    fn write(&mut self, text: &str, format: Option<Format>) {
        if self.done {
            return;
        }
        use render::escape::{workflow_inert, Inert};
        let text = match format {
            // The github renderer's own commands.
            _ if !stderr::actions_log() => std::borrow::Cow::Borrowed(text),
            Some(Format::Github) => std::borrow::Cow::Borrowed(text),
            Some(Format::Json | Format::Sarif) => workflow_inert(text, Inert::JSON),
            Some(Format::Junit) => workflow_inert(text, Inert::XML),
            _ => workflow_inert(text, Inert::TEXT),
        };
        let r = self.out.write_all(text.as_bytes());
        self.check(r);
    }

    fn check(&mut self, r: std::io::Result<()>) {
        if let Err(e) = r {
            self.done = true;
            if e.kind() != std::io::ErrorKind::BrokenPipe {
                stderr::error(&format!("could not write to stdout: {e}"));
                self.failed = true;
            }
        }
    }

    /// Flush; the exit code the output asks for (0, or 2 after a write error).
    fn finish(mut self) -> u8 {
        if !self.done {
            let r = self.out.flush();
            self.check(r);
        }
        if self.failed {
            2
        } else {
            0
        }
    }
}

/// `eks-lint capacity [PATHS]`: the capacity tables, with what-ifs.
fn capacity(a: CapacityArgs) -> ExitCode {
    let env = match render::capacity::parse_env(&a.env) {
        Ok(e) => e,
        Err(e) => {
            stderr::error(&e.to_string());
            return ExitCode::from(2);
        }
    };
    let format = a.format.unwrap_or(Format::Human);
    if !matches!(format, Format::Human | Format::Json | Format::Markdown) {
        stderr::error("capacity supports --format human, json or markdown");
        return ExitCode::from(2);
    }
    let check_args = CheckArgs {
        paths: a.paths.clone(),
        pods_per_node: a.pods_per_node,
        fargate_pods: a.fargate_pods,
        input: a.input.clone(),
        ..Default::default()
    };
    let settings = match eks_lint::settings::resolve(&check_args) {
        Ok(s) => s,
        Err(e) => {
            stderr::error(&e.to_string());
            return ExitCode::from(2);
        }
    };
    let paths: Vec<PathBuf> = if a.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        a.paths
    };
    let report = eks_lint::check(&paths, &settings);
    let doc = render::capacity::build(
        &report,
        &render::capacity::WhatIf {
            pods_per_node: a.pods_per_node,
            fargate_pods: settings.expected_fargate_pods,
            env,
        },
    );
    let text = match format {
        Format::Json => render::capacity::render_json(&doc),
        Format::Markdown => render::capacity::render_markdown(&doc),
        _ => render::capacity::render_human(&doc),
    };
    let mut out = Stdout::new();
    out.write(&text, Some(format));
    let written = out.finish();
    for d in report.diagnostics.iter().filter(|d| d.code == Code::EKS903) {
        stderr::error(&render::concise::line(&report, d));
    }
    for e in &report.input_errors {
        stderr::error(e);
    }
    for w in &report.warnings {
        stderr::warning(w);
    }
    let code = if report.input_errors.is_empty() && !report.ignored_everything() {
        0
    } else {
        2
    };
    ExitCode::from(written.max(code))
}
