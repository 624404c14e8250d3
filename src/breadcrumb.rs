//! The file being processed on this thread, for the top-level panic report (issue 8): a
//! panic anywhere is reported as an internal error naming the file, and exits 2.
//!
//! Cheap by design: one thread-local `Option<String>` swap per file. Rayon workers set their
//! own; the panic hook runs on the panicking thread, so it sees the right file.

use std::cell::RefCell;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

thread_local! {
    static CURRENT: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Restores the previous breadcrumb when dropped (also during unwinding).
pub struct Guard(Option<String>);

impl Drop for Guard {
    fn drop(&mut self) {
        let prev = self.0.take();
        // During unwinding the hook has already read the value; restoring is harmless.
        let _ = CURRENT.try_with(|c| *c.borrow_mut() = prev);
    }
}

/// Mark `file` as the one being processed until the guard is dropped.
#[must_use = "the breadcrumb is cleared when the guard is dropped"]
pub fn enter(file: impl AsRef<Path>) -> Guard {
    let name = file.as_ref().to_string_lossy().into_owned();
    let prev = CURRENT
        .try_with(|c| c.borrow_mut().replace(name))
        .ok()
        .flatten();
    let guard = Guard(prev);
    if test_panic() {
        // Hidden hook for the panic-safety test: prove a panic inside the pipeline is caught.
        panic!("EKS_LINT_TEST_PANIC is set");
    }
    guard
}

/// The file being processed on this thread, if any.
pub fn current() -> Option<String> {
    CURRENT.try_with(|c| c.borrow().clone()).ok().flatten()
}

/// The panic-safety test's hook: set by the CLI when `EKS_LINT_TEST_PANIC=1` (the library reads
/// no environment).
static TEST_PANIC: AtomicBool = AtomicBool::new(false);

#[doc(hidden)]
pub fn set_test_panic(on: bool) {
    TEST_PANIC.store(on, Ordering::Relaxed);
}

fn test_panic() -> bool {
    TEST_PANIC.load(Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_guards_restore_the_previous_file() {
        assert_eq!(current(), None);
        {
            let _a = enter("a.tf");
            {
                let _b = enter("b.tf");
                assert_eq!(current().as_deref(), Some("b.tf"));
            }
            assert_eq!(current().as_deref(), Some("a.tf"));
        }
        assert_eq!(current(), None);
    }
}
