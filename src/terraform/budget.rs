//! Evaluation budgets that hold across every module instance of one root configuration, and a
//! run-wide step budget across all roots (issue 12).
//!
//! Per-module limits do not bound a configuration: module nesting where each level has
//! `count = 16` multiplies instances level by level, and a chain of locals that each double a
//! string stays under any per-call size limit. So one [`Budget`] is shared by every
//! evaluator of a root (through [`super::calls::Root`]) and counts evaluation steps, module
//! instances and the bytes of every value built (a clone of a string or list is counted
//! again: it is a new allocation); [`RunBudget`] counts steps over all roots of a run, so a
//! pull request of many small roots cannot multiply the per-root budget either. Past a budget
//! the value being computed becomes unknown and the root gets one note per budget.

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// The budgets one root configuration may use.
#[derive(Debug)]
pub struct Budget {
    steps: Cell<u64>,
    bytes: Cell<u64>,
    instances: Cell<u64>,
    max_steps: u64,
    max_bytes: u64,
    max_instances: u64,
    /// Which budgets were already reported (one note each).
    noted: Cell<[bool; 3]>,
}

/// A budget that ran out: the value being computed becomes unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exhausted {
    pub kind: Kind,
    /// The first time this budget ran out in this root: report it (once).
    pub first: bool,
    /// The limit that was reached.
    pub max: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Steps,
    Bytes,
    Instances,
    /// The run-wide step budget.
    RunSteps,
}

impl Kind {
    fn slot(self) -> usize {
        match self {
            // RunSteps is noted on the RunBudget, once per run.
            Kind::Steps | Kind::RunSteps => 0,
            Kind::Bytes => 1,
            Kind::Instances => 2,
        }
    }
}

impl Exhausted {
    /// The note for the root (EKS901), naming the limit and how to raise it.
    pub fn message(&self) -> String {
        let max = self.max;
        match self.kind {
            Kind::Steps => format!(
                "evaluation of this configuration stopped after {} steps over all its module \
                 instances (EKS_LINT_MAX_EVAL_STEPS): remaining values are left unknown",
                max
            ),
            Kind::RunSteps => format!(
                "evaluation stopped: the scan used its {} evaluation steps over all root \
                 configurations (EKS_LINT_MAX_RUN_EVAL_STEPS): remaining values are left unknown",
                max
            ),
            Kind::Bytes => format!(
                "evaluation of this configuration built more than {} bytes of values over all its \
                 module instances (EKS_LINT_MAX_EVAL_BYTES): remaining values are left unknown",
                max
            ),
            Kind::Instances => format!(
                "this configuration expands to more than {} module instances in all \
                 (EKS_LINT_MAX_TOTAL_MODULE_INSTANCES): further instances are not evaluated and \
                 their outputs are unknown",
                max
            ),
        }
    }
}

impl Default for Budget {
    fn default() -> Self {
        Budget::for_limits(&crate::limits::Limits::DEFAULT)
    }
}

impl Budget {
    /// A root's budget under a run's limits.
    pub fn for_limits(l: &crate::limits::Limits) -> Budget {
        Budget::new(
            l.max_eval_steps,
            l.max_eval_bytes,
            l.max_total_module_instances,
        )
    }

    pub fn new(max_steps: u64, max_bytes: u64, max_instances: u64) -> Budget {
        Budget {
            steps: Cell::new(0),
            bytes: Cell::new(0),
            instances: Cell::new(0),
            max_steps,
            max_bytes,
            max_instances,
            noted: Cell::new([false; 3]),
        }
    }

    fn exhausted(&self, kind: Kind, max: u64) -> Exhausted {
        let mut noted = self.noted.get();
        let first = !noted[kind.slot()];
        noted[kind.slot()] = true;
        self.noted.set(noted);
        Exhausted { kind, first, max }
    }

    /// Take `n` from a budget, or refuse without taking: a refused value becomes unknown, and
    /// what is left still serves the small values after it (subnet ids, instance types).
    fn take(&self, cell: &Cell<u64>, n: u64, max: u64, kind: Kind) -> Result<(), Exhausted> {
        let used = cell.get().saturating_add(n);
        if used > max {
            return Err(self.exhausted(kind, max));
        }
        cell.set(used);
        Ok(())
    }

    /// One evaluation step (an expression, a template iteration), also counted on `run`.
    pub fn step(&self, run: Option<&RunBudget>) -> Result<(), Exhausted> {
        self.take(&self.steps, 1, self.max_steps, Kind::Steps)?;
        match run {
            Some(r) => r.step(),
            None => Ok(()),
        }
    }

    /// `n` bytes of values built.
    pub fn bytes(&self, n: u64) -> Result<(), Exhausted> {
        self.take(&self.bytes, n, self.max_bytes, Kind::Bytes)
    }

    /// One more module instance.
    pub fn instance(&self) -> Result<(), Exhausted> {
        self.take(&self.instances, 1, self.max_instances, Kind::Instances)
    }

    /// Steps, bytes and module instances used so far (for tests and benchmarks).
    pub fn used(&self) -> (u64, u64, u64) {
        (self.steps.get(), self.bytes.get(), self.instances.get())
    }
}

/// Evaluation steps over every root of one run (roots are evaluated in parallel).
#[derive(Debug)]
pub struct RunBudget {
    steps: AtomicU64,
    max_steps: u64,
    /// Reported once per run, by whichever root ran out first.
    noted: AtomicBool,
}

impl Default for RunBudget {
    fn default() -> Self {
        RunBudget::new(crate::limits::DEFAULT_MAX_RUN_EVAL_STEPS)
    }
}

impl RunBudget {
    pub fn new(max_steps: u64) -> RunBudget {
        RunBudget {
            steps: AtomicU64::new(0),
            max_steps,
            noted: AtomicBool::new(false),
        }
    }

    /// Count a step, until the run's budget is spent.
    fn step(&self) -> Result<(), Exhausted> {
        // Relaxed: only the total matters, not the order against other memory.
        if self.steps.fetch_add(1, Ordering::Relaxed) < self.max_steps {
            return Ok(());
        }
        Err(Exhausted {
            kind: Kind::RunSteps,
            first: !self.noted.swap(true, Ordering::Relaxed),
            max: self.max_steps,
        })
    }
}

/// Bytes a value takes: string bytes and keys, and for each element of a list or map the
/// size of a value itself, so the budget follows the memory a copy really takes.
pub fn size(v: &super::value::Val) -> u64 {
    use super::value::V;
    const ELEMENT: u64 = std::mem::size_of::<super::value::Val>() as u64;
    match &v.v {
        V::Str(s) => s.len() as u64,
        V::List(l) => l
            .iter()
            .map(size)
            .fold(ELEMENT.saturating_mul(l.len() as u64), u64::saturating_add),
        V::Map(m) => m
            .iter()
            .map(|(k, x)| (k.len() as u64).saturating_add(size(x)))
            .fold(ELEMENT.saturating_mul(m.len() as u64), u64::saturating_add),
        V::Unknown(u) => u.reason.len() as u64,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_budget_runs_out_once_and_reports_once() {
        let b = Budget::new(3, 10, 2);
        assert!(b.step(None).is_ok());
        assert!(b.step(None).is_ok());
        assert!(b.step(None).is_ok());
        let e = b.step(None).unwrap_err();
        assert_eq!((e.kind, e.first), (Kind::Steps, true));
        assert!(!b.step(None).unwrap_err().first);
        assert!(b.bytes(8).is_ok());
        assert_eq!(b.bytes(3).unwrap_err().kind, Kind::Bytes);
        // the refused value took nothing: smaller ones still fit
        assert!(b.bytes(2).is_ok());
        assert!(b.bytes(1).is_err());
        assert!(b.instance().is_ok() && b.instance().is_ok());
        assert!(b.instance().unwrap_err().first);
    }

    #[test]
    fn the_run_budget_is_shared() {
        let run = RunBudget::new(2);
        let a = Budget::new(100, 100, 100);
        let b = Budget::new(100, 100, 100);
        assert!(a.step(Some(&run)).is_ok());
        assert!(b.step(Some(&run)).is_ok());
        let e = a.step(Some(&run)).unwrap_err();
        assert_eq!((e.kind, e.first), (Kind::RunSteps, true));
        // reported once per run, not once per root
        let e = b.step(Some(&run)).unwrap_err();
        assert_eq!((e.kind, e.first), (Kind::RunSteps, false));
    }

    #[test]
    fn size_counts_strings_keys_and_element_values() {
        use super::super::value::{Val, V};
        use crate::source::Span;
        let s = Span::default();
        let v = Val::new(V::List(vec![Val::str("abc", s), Val::num(1.0, s)]), s);
        let e = std::mem::size_of::<Val>() as u64;
        assert_eq!(size(&v), 2 * e + 3 + 1);
        let m = Val::new(V::Map([("key".to_string(), v)].into_iter().collect()), s);
        assert_eq!(size(&m), e + 3 + 2 * e + 3 + 1);
    }
}
