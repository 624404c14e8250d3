//! Messages on stderr (errors and warnings outside the report), one line each.
//!
//! They embed file names, configuration keys and argument values, so the message goes
//! through [`escape::terminal`]: it stays on its line and cannot act on the terminal. The
//! GitHub Actions runner reads workflow commands from stderr as well as stdout; in an Actions
//! log (`GITHUB_ACTIONS=true`, or `--format github`) the line is also made inert
//! ([`escape::workflow_inert`]). Messages stay plain lines there, not annotations: the
//! report's own annotations already cover the findings (an unreadable file is an EKS903
//! finding too), and the github format adds the run's warnings.

use super::escape;
use std::sync::atomic::{AtomicBool, Ordering};

static ACTIONS_LOG: AtomicBool = AtomicBool::new(false);

/// Whether this process runs in GitHub Actions.
pub fn in_github_actions() -> bool {
    std::env::var_os("GITHUB_ACTIONS").is_some_and(|v| v == "true")
}

/// Output goes to a GitHub Actions log from now on (or not): stdout and stderr text other than
/// the github format's commands is made inert.
pub fn set_actions_log(on: bool) {
    ACTIONS_LOG.store(on, Ordering::Relaxed);
}

/// See [`set_actions_log`].
pub fn actions_log() -> bool {
    ACTIONS_LOG.load(Ordering::Relaxed)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Error,
    Warning,
}

/// The line (with its line end) for `message`.
pub fn line(kind: Kind, message: &str) -> String {
    let name = match kind {
        Kind::Error => "error",
        Kind::Warning => "warning",
    };
    text(&format!("{name}: {}", escape::terminal(message.trim_end())))
}

/// Preformatted text of several lines (clap's usage errors): each line escaped, and inert in
/// an Actions log; ends with a line end.
pub fn text(text: &str) -> String {
    let mut out: String = text
        .trim_end()
        .split('\n')
        .map(|l| escape::terminal(l.trim_end_matches('\r')).into_owned())
        .collect::<Vec<_>>()
        .join("\n");
    out.push('\n');
    if actions_log() {
        out = escape::workflow_inert(&out, escape::Inert::TEXT).into_owned();
    }
    out
}

/// Print an error to stderr (one line).
pub fn error(message: &str) {
    eprint!("{}", line(Kind::Error, message));
}

/// Print a warning to stderr (one line).
pub fn warning(message: &str) {
    eprint!("{}", line(Kind::Warning, message));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_per_message_in_both_modes() {
        let hostile = "bad.tf\n::error file=x::pwned\r%0A\u{1b}[2J ##[add-mask]x";
        set_actions_log(false);
        let plain = line(Kind::Error, hostile);
        let multi = text("error: a\n::error::b\n");
        set_actions_log(true);
        let actions = line(Kind::Warning, hostile);
        let actions_multi = text("error: a\n::error::b\r\n");
        set_actions_log(false);
        assert_eq!(
            plain,
            "error: bad.tf\\u{a}::error file=x::pwned\\u{d}%0A\\u{1b}[2J ##[add-mask]x\n"
        );
        assert_eq!(
            actions,
            "warning: bad.tf\\u{a}::error file=x::pwned\\u{d}%0A\\u{1b}[2J ##\\[add-mask]x\n"
        );
        assert_eq!(multi, "error: a\n::error::b\n");
        assert_eq!(actions_multi, "error: a\n\\::error::b\n");
    }
}
