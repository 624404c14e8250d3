//! Terraform built-in functions used by real EKS code (DESIGN.md §4.1), dispatched through one
//! table ([`lookup`]): name, arity, how unknown arguments are treated, implementation. A name
//! not in the table is an unknown value that names the function. `file`, `templatefile`,
//! `fileexists`, `try` and `can` are evaluated in eval.rs: they read files or catch errors.
//!
//! [`call`] does, once for every function, what they share: the arity check, the size limit
//! on the arguments and on the result, and unknown propagation. So an implementation sees
//! known arguments (except for unknown elements that [`Unknowns::Keep`] lets through), as
//! many as its arity allows, within the size limit. The implementations live one family per
//! file.

mod args;
mod collection;
mod conversion;
mod encoding;
mod network;
mod numeric;
mod string;
#[cfg(test)]
mod tests;

use super::value::{Val, V};
use crate::source::Span;

use args::{err, max_value_size, too_large, with_max_value_size, R};

pub use args::within;
pub use encoding::{base64_decode, base64_encode};
pub use network::{cidrhost, cidrsubnet, cidrsubnets};

/// A built-in's implementation; `Err` holds the error (or unknown) value to return instead.
type Impl = fn(&[Val], Span) -> R;

/// How a function treats unknown arguments.
#[derive(Clone, Copy)]
enum Unknowns {
    /// An unknown argument, or an unknown anywhere inside one, makes the result unknown.
    Propagate,
    /// The function only moves values around (`concat`, `lookup` …): unknown elements stay
    /// in place, and only a wholly unknown argument makes the result unknown.
    Keep,
    /// As `Keep`, but a wholly unknown argument is first shown to this function, which may
    /// still know the result's shape (`slice` of an unknown list with known bounds).
    Shape(fn(&[Val], Span) -> Option<Val>),
}

/// One entry of the table.
#[derive(Clone, Copy)]
struct Func {
    name: &'static str,
    min: usize,
    /// None: any number of further arguments (variadic).
    max: Option<usize>,
    unknowns: Unknowns,
    run: Impl,
}

// Entry constructors; the table fills in the name.

const fn exact(n: usize, run: Impl) -> Func {
    between(n, n, run)
}

const fn between(min: usize, max: usize, run: Impl) -> Func {
    Func {
        name: "",
        min,
        max: Some(max),
        unknowns: Unknowns::Propagate,
        run,
    }
}

const fn at_least(min: usize, run: Impl) -> Func {
    Func {
        max: None,
        ..between(min, min, run)
    }
}

impl Func {
    /// Mark a function that only moves values around (see [`Unknowns::Keep`]).
    const fn keep(self) -> Func {
        Func {
            unknowns: Unknowns::Keep,
            ..self
        }
    }

    const fn shape(self, shape: fn(&[Val], Span) -> Option<Val>) -> Func {
        Func {
            unknowns: Unknowns::Shape(shape),
            ..self
        }
    }
}

/// The table: every built-in evaluated here, by name. The macro makes both [`lookup`], a
/// `match` on the name (as fast as dispatch gets, on the evaluator's hot path), and
/// `NAMES`, so tests can go through every entry.
macro_rules! table {
    ($($name:literal => $entry:expr,)*) => {
        /// The table entry of the built-in `name`.
        fn lookup(name: &str) -> Option<Func> {
            match name {
                $($name => Some(Func { name: $name, ..$entry }),)*
                _ => None,
            }
        }

        /// Every name in the table, in its order.
        #[cfg(test)]
        const NAMES: &[&str] = &[$($name),*];
    };
}

// Arities follow Terraform's signatures: a variadic function takes its fixed parameters and
// then any number more. Sorted by name (a test checks).
table! {
    "abs" => exact(1, numeric::abs),
    "base64decode" => exact(1, encoding::base64decode),
    "base64encode" => exact(1, encoding::base64encode),
    "basename" => exact(1, string::basename),
    "ceil" => exact(1, numeric::ceil),
    "chomp" => exact(1, string::chomp),
    "cidrhost" => exact(2, network::cidrhost_fn),
    "cidrnetmask" => exact(1, network::cidrnetmask),
    "cidrsubnet" => exact(3, network::cidrsubnet_fn),
    "cidrsubnets" => at_least(1, network::cidrsubnets_fn),
    "coalesce" => at_least(0, collection::coalesce).keep(),
    "coalescelist" => at_least(0, collection::coalescelist).keep(),
    "compact" => exact(1, collection::compact).keep(),
    "concat" => at_least(0, collection::concat).keep(),
    "contains" => exact(2, collection::contains),
    "dirname" => exact(1, string::dirname),
    "distinct" => exact(1, collection::distinct).keep(),
    "element" => exact(2, collection::element).keep(),
    "endswith" => exact(2, string::endswith),
    "flatten" => exact(1, collection::flatten).keep(),
    "floor" => exact(1, numeric::floor),
    "format" => at_least(1, string::format),
    "index" => exact(2, collection::index),
    "join" => at_least(1, string::join),
    "jsondecode" => exact(1, encoding::jsondecode),
    "jsonencode" => exact(1, encoding::jsonencode),
    "keys" => exact(1, collection::keys).keep(),
    "length" => exact(1, collection::length).keep(),
    "lookup" => between(2, 3, collection::lookup).keep(),
    "lower" => exact(1, string::lower),
    "max" => at_least(0, numeric::max),
    "merge" => at_least(0, collection::merge).keep(),
    "min" => at_least(0, numeric::min),
    "nonsensitive" => exact(1, conversion::same_value).keep(),
    "one" => exact(1, collection::one).keep(),
    "pow" => exact(2, numeric::pow),
    "range" => between(1, 3, collection::range),
    "replace" => exact(3, string::replace),
    "reverse" => exact(1, collection::reverse).keep(),
    "sensitive" => exact(1, conversion::same_value).keep(),
    "slice" => exact(3, collection::slice).shape(collection::slice_of_unknown),
    "sort" => exact(1, collection::sort),
    "split" => exact(2, string::split),
    "startswith" => exact(2, string::startswith),
    "substr" => exact(3, string::substr),
    "sum" => exact(1, numeric::sum),
    "title" => exact(1, string::title),
    "tobool" => exact(1, conversion::tobool),
    "tolist" => exact(1, collection::tolist).keep(),
    "tomap" => exact(1, collection::tomap).keep(),
    "tonumber" => exact(1, conversion::tonumber),
    // A set is a list here, deduplicated in first-seen order.
    "toset" => exact(1, collection::distinct).keep(),
    "tostring" => exact(1, conversion::tostring),
    "trimprefix" => exact(2, string::trimprefix),
    "trimspace" => exact(1, string::trimspace),
    "trimsuffix" => exact(2, string::trimsuffix),
    "upper" => exact(1, string::upper),
    "values" => exact(1, collection::values).keep(),
    "yamldecode" => exact(1, encoding::yamldecode),
    "yamlencode" => exact(1, encoding::yamlencode),
    "zipmap" => exact(2, collection::zipmap).keep(),
}

/// Call built-in `name`; arguments and result are bounded by `max_value_size` (elements plus
/// string bytes).
pub fn call(name: &str, args: &[Val], span: Span, max_value_size: u64) -> Val {
    with_max_value_size(crate::limits::as_usize(max_value_size), || {
        call_bounded(name, args, span)
    })
}

fn call_bounded(name: &str, args: &[Val], span: Span) -> Val {
    let func = lookup(name);
    if let Some(f) = &func {
        if let Err(e) = arity(f, args.len(), span) {
            return e;
        }
    }
    // Inputs bound the size of every result (concat, join, flatten …): refuse oversized
    // inputs before allocating, so doubling chains of locals cannot exhaust memory.
    let mut budget = max_value_size();
    if !args.iter().all(|a| within(a, &mut budget)) {
        return Val::error(
            format!("arguments of `{name}` are too large to evaluate"),
            span,
        );
    }
    // A function eks-lint does not know still gives an argument's unknown first: it says why.
    let unknowns = func.map_or(Unknowns::Propagate, |f| f.unknowns);
    if let Some(u) = unknown_result(unknowns, args, span) {
        return u;
    }
    let Some(f) = func else {
        return Val::unknown(
            format!("function `{name}` is not evaluated by eks-lint"),
            span,
        );
    };
    match (f.run)(args, span) {
        Ok(v) => {
            // The same measure as the arguments' (elements plus string bytes).
            if within(&v, &mut max_value_size()) {
                v
            } else {
                too_large(name, span)
            }
        }
        Err(v) => v,
    }
}

/// The arity error, in Terraform's terms, when `f` cannot take `got` arguments.
fn arity(f: &Func, got: usize, span: Span) -> Result<(), Val> {
    if got >= f.min && f.max.is_none_or(|max| got <= max) {
        return Ok(());
    }
    let plural = |n: usize| if n == 1 { "argument" } else { "arguments" };
    let takes = match f.max {
        None => format!("at least {} {}", f.min, plural(f.min)),
        Some(max) if max == f.min => format!("{max} {}", plural(max)),
        Some(max) if max == f.min + 1 => format!("{} or {max} arguments", f.min),
        Some(max) => format!("{} to {max} arguments", f.min),
    };
    Err(err(format!("`{}` takes {takes}, got {got}", f.name), span))
}

/// The value to return instead of calling the function, when an argument is unknown.
fn unknown_result(unknowns: Unknowns, args: &[Val], span: Span) -> Option<Val> {
    for a in args {
        if a.is_unknown() {
            if let Unknowns::Shape(shape) = unknowns {
                if let Some(v) = shape(args, span) {
                    return Some(v);
                }
            }
            return Some(a.clone());
        }
        if let Unknowns::Propagate = unknowns {
            if let Some((u, s)) = a.first_unknown() {
                return Some(Val::new(V::Unknown(u.clone()), s));
            }
        }
    }
    None
}
