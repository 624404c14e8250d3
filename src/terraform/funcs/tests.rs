//! Unit tests of the built-ins: a few behaviours, then properties of the whole table
//! (arity, hostile arguments). The CIDR functions' tests are in network.rs.

use super::*;
use crate::terraform::value::{InstKey, InstRef};

/// [`super::call`] under the default limits.
fn call(name: &str, args: &[Val], span: Span) -> Val {
    super::call(name, args, span, crate::limits::DEFAULT_MAX_VALUE_SIZE)
}

#[test]
fn base64_round_trips() {
    for s in ["", "a", "ab", "abc", "--max-pods 20\n"] {
        assert_eq!(
            base64_decode(&base64_encode(s.as_bytes())).unwrap(),
            s.as_bytes()
        );
    }
    assert_eq!(base64_encode(b"hello"), "aGVsbG8=");
}

/// Go's `filepath.Base`, which Terraform's `basename` is.
#[test]
fn basename_is_the_last_path_element() {
    for (path, want) in [
        ("/work/examples/karpenter", "karpenter"),
        ("examples/karpenter/", "karpenter"),
        ("main.tf", "main.tf"),
        ("", "."),
        ("///", "/"),
    ] {
        let v = call(
            "basename",
            &[Val::str(path, Span::default())],
            Span::default(),
        );
        assert!(matches!(&v.v, V::Str(s) if s == want), "{path}: {v:?}");
    }
}

#[test]
fn unsupported_function_is_unknown_with_name() {
    let v = call("regexall", &[], Span::default());
    assert!(matches!(&v.v, V::Unknown(u) if u.reason.contains("regexall") && !u.error));
}

#[test]
fn format_pads_and_quotes() {
    let s = Span::default();
    let v = call(
        "format",
        &[Val::str("%s-%03d", s), Val::str("ng", s), Val::num(7.0, s)],
        s,
    );
    assert_eq!(v.v, V::Str("ng-007".into()));
}

/// Every entry of the table.
fn table() -> impl Iterator<Item = Func> {
    NAMES
        .iter()
        .map(|n| lookup(n).expect("every name has an entry"))
}

#[test]
fn table_is_sorted_and_consistent() {
    for w in NAMES.windows(2) {
        assert!(w[0] < w[1], "{} before {}", w[0], w[1]);
    }
    for (f, name) in table().zip(NAMES) {
        assert_eq!(f.name, *name);
        assert!(f.max.is_none_or(|max| max >= f.min), "{name}");
    }
    // Evaluated in eval.rs, which reads files or catches errors.
    for name in ["file", "templatefile", "fileexists", "try", "can", ""] {
        assert!(lookup(name).is_none(), "{name}");
    }
}

fn reason(v: &Val) -> &str {
    match &v.v {
        V::Unknown(u) => &u.reason,
        _ => "",
    }
}

#[test]
fn arity_errors_are_terraform_like() {
    let s = Span::default();
    let one = Val::num(1.0, s);
    let v = call("cidrsubnet", &[Val::str("10.0.0.0/8", s), one.clone()], s);
    assert!(v.is_error());
    assert_eq!(reason(&v), "`cidrsubnet` takes 3 arguments, got 2");
    let v = call("length", &[], s);
    assert_eq!(reason(&v), "`length` takes 1 argument, got 0");
    let v = call("lookup", std::slice::from_ref(&one), s);
    assert_eq!(reason(&v), "`lookup` takes 2 or 3 arguments, got 1");
    let v = call("range", &vec![one.clone(); 4], s);
    assert_eq!(reason(&v), "`range` takes 1 to 3 arguments, got 4");
    let v = call("format", &[], s);
    assert_eq!(reason(&v), "`format` takes at least 1 argument, got 0");
    // Before unknown propagation: a wrong call is wrong whatever its arguments are.
    let v = call("cidrhost", &[Val::unknown("later", s)], s);
    assert!(v.is_error(), "{v:?}");
}

/// Every entry's arity is enforced: too few or too many arguments give the arity error,
/// never a panic, and every count the entry allows passes the check.
#[test]
fn every_arity_is_enforced() {
    let s = Span::default();
    let filler = |n: usize| vec![Val::str("x", s); n];
    let is_arity_error =
        |v: &Val, name: &str| v.is_error() && reason(v).starts_with(&format!("`{name}` takes "));
    for f in table() {
        if f.min > 0 {
            let v = call(f.name, &filler(f.min - 1), s);
            assert!(is_arity_error(&v, f.name), "{} too few: {v:?}", f.name);
        }
        match f.max {
            Some(max) => {
                let v = call(f.name, &filler(max + 1), s);
                assert!(is_arity_error(&v, f.name), "{} too many: {v:?}", f.name);
            }
            None => {
                let v = call(f.name, &filler(f.min + 8), s);
                assert!(!is_arity_error(&v, f.name), "{} variadic: {v:?}", f.name);
            }
        }
        for n in f.min..=f.max.unwrap_or(f.min + 2) {
            let v = call(f.name, &filler(n), s);
            assert!(!is_arity_error(&v, f.name), "{} with {n}: {v:?}", f.name);
        }
    }
}

/// A fixed set of awkward arguments: unknown, error, null, wrong types, edge numbers,
/// strings that look like format verbs, regexes, CIDRs, nested and unknown-holding values.
fn awkward(s: Span) -> Vec<Val> {
    let nums = [0.0, -1.0, 1.5, 7.0, 1e17, 1e17 + 16.0, 1e300, f64::NAN];
    let strs = [
        "",
        "10.0.0.0/8",
        "fd00::/56",
        "a,b",
        "%",
        "%1000d%-1000.99f%q",
        "/x/",
        "3",
        "aGVsbG8=",
        "{\"a\":[1,2]}",
    ];
    let list = |items: Vec<Val>| Val::new(V::List(items), s);
    let map = |items: Vec<(&str, Val)>| {
        Val::new(
            V::Map(items.into_iter().map(|(k, v)| (k.to_string(), v)).collect()),
            s,
        )
    };
    let mut out = vec![
        Val::unknown("known after apply", s),
        Val::error("broken", s),
        Val::new(V::Null, s),
        Val::new(V::Bool(true), s),
        Val::new(V::Ref(InstRef::local(0, InstKey::None), "id".into()), s),
        list(vec![]),
        list(vec![
            Val::num(1.0, s),
            Val::str("b", s),
            Val::new(V::Null, s),
        ]),
        list(vec![Val::num(2.0, s), Val::unknown("later", s)]),
        list(vec![list(vec![
            Val::num(1.0, s),
            list(vec![Val::num(2.0, s)]),
        ])]),
        map(vec![]),
        map(vec![("a", Val::num(1.0, s)), ("b", Val::str("x", s))]),
        map(vec![("a", Val::unknown("later", s))]),
    ];
    out.extend(nums.iter().map(|&n| Val::num(n, s)));
    out.extend([f64::INFINITY, f64::NEG_INFINITY].map(|n| Val::num(n, s)));
    out.extend(strs.iter().map(|&t| Val::str(t, s)));
    out
}

/// The result is either refused (an error or unknown) or within the size limit.
fn bounded(name: &str, args: &[Val], s: Span) {
    let v = call(name, args, s);
    assert!(
        v.is_unknown() || within(&v, &mut max_value_size()),
        "{name}{args:?} is too large"
    );
}

/// Every function survives every pairing of awkward arguments, at every allowed count,
/// without panicking or hanging; and refuses oversized arguments.
#[test]
fn every_function_survives_awkward_arguments() {
    let s = Span::default();
    let vals = awkward(s);
    let k = vals.len();
    for f in table() {
        for n in f.min..=f.max.unwrap_or(f.min + 2) {
            // Argument j is vals[(a + j·b) % k]: every value everywhere, and many pairs.
            for a in 0..k {
                for b in 0..k {
                    let args: Vec<Val> = (0..n).map(|j| vals[(a + j * b) % k].clone()).collect();
                    bounded(f.name, &args, s);
                }
            }
        }
    }
}

#[test]
fn every_function_refuses_huge_arguments() {
    let s = Span::default();
    let max = max_value_size();
    let huge = [
        Val::str("a".repeat(max + 1), s),
        Val::new(
            V::List(vec![Val::str("a".repeat(1000), s); max / 1000 + 1]),
            s,
        ),
    ];
    // Large but allowed: results built from it must stay within the limit too.
    let big = Val::str("ab%".repeat(max / 8), s);
    for f in table() {
        let n = f.min.max(1).min(f.max.unwrap_or(usize::MAX));
        for i in 0..n {
            for h in &huge {
                let mut args = vec![Val::str("10.0.0.0/8", s); n];
                args[i] = h.clone();
                let v = call(f.name, &args, s);
                assert!(reason(&v).contains("too large"), "{} {i}: {v:?}", f.name);
            }
            let mut args = vec![big.clone(); n];
            args[i] = Val::str("ab", s);
            bounded(f.name, &args, s);
        }
    }
}

#[test]
fn range_stops_where_adding_the_step_changes_nothing() {
    let s = Span::default();
    // 1e17 + 1 == 1e17 in f64: counting, not the sum, ends the loop.
    let v = call("range", &[Val::num(1e17, s), Val::num(1e17 + 16.0, s)], s);
    assert!(v.is_error(), "{v:?}");
    let v = call(
        "range",
        &[Val::num(0.0, s), Val::num(1.0, s), Val::num(0.25, s)],
        s,
    );
    let V::List(l) = &v.v else { panic!("{v:?}") };
    assert_eq!(l.len(), 4);
}

#[test]
fn slice_of_an_unknown_list_knows_its_length() {
    let s = Span::default();
    let u = Val::unknown("names known after apply", s);
    let v = call("slice", &[u.clone(), Val::num(0.0, s), Val::num(3.0, s)], s);
    assert!(matches!(&v.v, V::List(l) if l.len() == 3 && l.iter().all(Val::is_unknown)));
    // Unknown bounds: the whole result is unknown.
    let v = call("slice", &[u.clone(), Val::num(0.0, s), u.clone()], s);
    assert_eq!(v, u);
}

#[test]
fn unknown_elements_pass_through_structural_functions_only() {
    let s = Span::default();
    let l = Val::new(V::List(vec![Val::num(1.0, s), Val::unknown("later", s)]), s);
    let v = call("concat", &[l.clone(), l.clone()], s);
    assert!(matches!(&v.v, V::List(x) if x.len() == 4));
    let v = call("join", &[Val::str(",", s), l.clone()], s);
    assert!(v.is_unknown() && !v.is_error());
    // A function eks-lint does not evaluate still says why its argument is unknown.
    let v = call("regexall", &[Val::str("x", s), Val::unknown("later", s)], s);
    assert_eq!(reason(&v), "later");
}

#[test]
fn base64_decode_is_as_lenient_as_before() {
    let d = |s: &str| base64_decode(s).map(|b| String::from_utf8_lossy(&b).into_owned());
    assert_eq!(d("aGVsbG8=").as_deref(), Some("hello"));
    assert_eq!(d("aGVsbG8").as_deref(), Some("hello"));
    assert_eq!(d("aGVs\nbG8=\n").as_deref(), Some("hello"));
    assert_eq!(d("aG=VsbG8").as_deref(), Some("hello"));
    // A lone final character holds no whole byte.
    assert_eq!(d("aGVsa").as_deref(), Some("hel"));
    assert_eq!(d("aGVsbG9"), d("aGVsbG8"));
    assert_eq!(d("aGVsbG8*"), None);
    assert_eq!(d("aGVsbG8=*"), None);
    assert_eq!(d("").as_deref(), Some(""));
}

/// Go's `filepath.Base` and `filepath.Dir`, which Terraform's `basename`/`dirname` call.
#[test]
fn basename_and_dirname_follow_go_filepath() {
    let s = Span::default();
    let f = |name: &str, p: &str| match call(name, &[Val::str(p, s)], s).v {
        V::Str(x) => x,
        other => panic!("{name}({p}) = {other:?}"),
    };
    for (p, base, dir) in [
        ("/work/examples/karpenter", "karpenter", "/work/examples"),
        ("examples/karpenter/", "karpenter", "examples/karpenter"),
        ("main.tf", "main.tf", "."),
        ("", ".", "."),
        ("/", "/", "/"),
        ("a//b/../c/d", "d", "a/c"),
        ("/x", "x", "/"),
    ] {
        assert_eq!(f("basename", p), base, "basename({p})");
        assert_eq!(f("dirname", p), dir, "dirname({p})");
    }
}

/// `yamldecode`: the core schema for plain scalars, strings when quoted; one document only.
#[test]
fn yamldecode_reads_one_document() {
    let s = Span::default();
    let text =
        "name: fred\nsize: 3\nratio: 0.5\non: true\nnothing: ~\nquoted: \"3\"\nlist: [a, 2]\n";
    let v = call("yamldecode", &[Val::str(text, s)], s);
    let V::Map(m) = &v.v else { panic!("{v:?}") };
    assert!(matches!(&m["name"].v, V::Str(x) if x == "fred"));
    assert!(matches!(m["size"].v, V::Num(n) if n == 3.0));
    assert!(matches!(m["ratio"].v, V::Num(n) if n == 0.5));
    assert!(matches!(m["on"].v, V::Bool(true)));
    assert!(matches!(m["nothing"].v, V::Null));
    assert!(matches!(&m["quoted"].v, V::Str(x) if x == "3"));
    assert!(matches!(&m["list"].v, V::List(l) if l.len() == 2));
    let two = call("yamldecode", &[Val::str("a: 1\n---\nb: 2\n", s)], s);
    assert!(two.is_unknown(), "{two:?}");
}
