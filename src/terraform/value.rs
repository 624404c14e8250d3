//! Runtime values of the Terraform evaluator.
//!
//! A [`Val`] is a value plus where it was written (`span`) and the spans it flowed through
//! (`via`: tfvars line, variable default, local). Unknown values are ordinary values of kind
//! [`V::Unknown`], so they flow through lists, maps and structural functions without special
//! cases, and only turn a whole result unknown where Terraform would too (string functions,
//! arithmetic, conditions).

use crate::source::Span;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Most spans a value keeps in its chain (values computed from many inputs would otherwise
/// carry every input they touched).
const MAX_VIA: usize = 8;

/// Identity of one resource instance: its resource and instance key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct InstRef {
    pub res: Res,
    pub key: InstKey,
}

/// Whose resource an instance is: one of the module's own (an index into its resources), or
/// an external one, a resource of another module instance that reached this module through a
/// module output (an index into the root's table of externals, see `calls`).
///
/// Indexes are `u32` so an address stays as small as a plain index was: values are copied and
/// recursed through constantly, and their size is the evaluator's stack depth per level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Res {
    Local(u32),
    External(u32),
}

/// A table index as stored in an address (the file-count and instance limits keep every
/// index far below `u32::MAX`).
fn index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

impl InstRef {
    /// Instance `key` of the module's own resource `res`.
    pub fn local(res: usize, key: InstKey) -> InstRef {
        InstRef {
            res: Res::Local(index(res)),
            key,
        }
    }

    /// Entry `id` of the root's table of external instances.
    pub fn external(id: usize) -> InstRef {
        InstRef {
            res: Res::External(index(id)),
            key: InstKey::None,
        }
    }

    /// The index of the module's own resource, or None for an external instance.
    pub fn local_res(&self) -> Option<usize> {
        match self.res {
            Res::Local(r) => Some(r as usize),
            Res::External(_) => None,
        }
    }

    /// The index into the root's table of externals, or None for a local instance.
    pub fn external_id(&self) -> Option<usize> {
        match self.res {
            Res::External(r) => Some(r as usize),
            Res::Local(_) => None,
        }
    }

    pub fn is_external(&self) -> bool {
        matches!(self.res, Res::External(_))
    }
}

/// The key of a resource instance: none (single), `count.index`, or `each.key`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum InstKey {
    None,
    Int(usize),
    Str(String),
}

impl InstKey {
    pub fn suffix(&self) -> String {
        match self {
            InstKey::None => String::new(),
            InstKey::Int(i) => format!("[{i}]"),
            InstKey::Str(s) => format!("[\"{s}\"]"),
        }
    }
}

/// Why a value is not known, and whether it is an evaluation error (which `try`/`can` catch)
/// or a value that exists only at apply time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unk {
    pub reason: String,
    pub error: bool,
    /// What is known of an unknown list of distinct elements, or of one of its elements
    /// (boxed: most unknowns have none, and values are copied constantly).
    pub distinct: Option<Box<Distinct>>,
}

/// A list whose elements are not known but distinct (the zones of
/// `data.aws_availability_zones`), or its element `index`: elements at different indices of
/// one such list are different values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Distinct {
    /// How messages name the list: `data.aws_availability_zones.available.names`.
    pub list: String,
    pub index: Option<u32>,
}

impl Distinct {
    /// The name of element `index`: `data.aws_availability_zones.available.names[0]`.
    pub fn name(&self) -> Option<String> {
        self.index.map(|i| format!("{}[{i}]", self.list))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum V {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    /// Lists, tuples and sets (sets keep first-seen order, deduplicated).
    List(Vec<Val>),
    /// Objects and maps (Terraform iterates maps in key order, as a BTreeMap does).
    Map(BTreeMap<String, Val>),
    /// A whole resource instance (`aws_subnet.a`): attribute access evaluates its arguments.
    Resource(InstRef),
    /// A computed attribute of a resource instance (`aws_subnet.a.id`): opaque, but it names
    /// the instance, so `subnet_ids` can link to the subnet.
    Ref(InstRef, String),
    Unknown(Unk),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Val {
    pub v: V,
    pub span: Span,
    pub via: Vec<Span>,
}

impl Val {
    pub fn new(v: V, span: Span) -> Val {
        Val {
            v,
            span,
            via: Vec::new(),
        }
    }

    pub fn unknown(reason: impl Into<String>, span: Span) -> Val {
        Val::new(
            V::Unknown(Unk {
                reason: reason.into(),
                error: false,
                distinct: None,
            }),
            span,
        )
    }

    /// An unknown list of distinct elements named `list`.
    pub fn distinct_list(reason: impl Into<String>, list: String, span: Span) -> Val {
        Val::new(
            V::Unknown(Unk {
                reason: reason.into(),
                error: false,
                distinct: Some(Box::new(Distinct { list, index: None })),
            }),
            span,
        )
    }

    /// Element `i` of this value, when it is an unknown list of distinct elements.
    pub fn distinct_element(&self, i: usize, span: Span) -> Option<Val> {
        let V::Unknown(u) = &self.v else { return None };
        let d = u.distinct.as_deref().filter(|d| d.index.is_none())?;
        let index = Some(u32::try_from(i).ok()?);
        Some(Val::new(
            V::Unknown(Unk {
                distinct: Some(Box::new(Distinct {
                    list: d.list.clone(),
                    index,
                })),
                ..u.clone()
            }),
            span,
        ))
    }

    pub fn error(reason: impl Into<String>, span: Span) -> Val {
        Val::new(
            V::Unknown(Unk {
                reason: reason.into(),
                error: true,
                distinct: None,
            }),
            span,
        )
    }

    pub fn str(s: impl Into<String>, span: Span) -> Val {
        Val::new(V::Str(s.into()), span)
    }

    pub fn num(n: f64, span: Span) -> Val {
        Val::new(V::Num(n), span)
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self.v, V::Unknown(_))
    }

    pub fn is_error(&self) -> bool {
        matches!(&self.v, V::Unknown(u) if u.error)
    }

    /// Record that this value was produced at `span` from itself: the old span joins the chain.
    pub fn through(mut self, span: Span) -> Val {
        if self.span != span {
            let old = self.span;
            self.span = span;
            self.push_via(old);
        }
        self
    }

    pub fn push_via(&mut self, s: Span) {
        if s != self.span && !self.via.contains(&s) && self.via.len() < MAX_VIA {
            self.via.push(s);
        }
    }

    /// Add `other`'s span and chain to this value's chain (for computed results).
    pub fn absorb(&mut self, other: &Val) {
        self.push_via(other.span);
        for s in &other.via {
            self.push_via(*s);
        }
    }

    /// The first unknown found in this value (deep), for "this whole thing is unknown".
    pub fn first_unknown(&self) -> Option<(&Unk, Span)> {
        match &self.v {
            V::Unknown(u) => Some((u, self.span)),
            V::List(items) => items.iter().find_map(|i| i.first_unknown()),
            V::Map(m) => m.values().find_map(|i| i.first_unknown()),
            _ => None,
        }
    }

    pub fn type_name(&self) -> &'static str {
        match self.v {
            V::Null => "null",
            V::Bool(_) => "bool",
            V::Num(_) => "number",
            V::Str(_) => "string",
            V::List(_) => "list",
            V::Map(_) => "object",
            V::Resource(_) => "resource",
            V::Ref(..) => "reference",
            V::Unknown(_) => "unknown",
        }
    }
}

/// A byte string equal for two values exactly when they are equal as set elements (by value,
/// spans ignored; unknowns with the same reason are one element), so sets (`distinct`, `toset`) deduplicate in one pass with a hash set instead of
/// comparing every pair. NaN is never equal to itself, so it gets a key no other value has.
pub fn identity_key(v: &V, nan: &mut u64, out: &mut Vec<u8>) {
    fn bytes(out: &mut Vec<u8>, b: &[u8]) {
        out.extend_from_slice(&(b.len() as u64).to_le_bytes());
        out.extend_from_slice(b);
    }
    fn inst(out: &mut Vec<u8>, i: &InstRef) {
        let (tag, n) = match i.res {
            Res::Local(n) => (b'l', n),
            Res::External(n) => (b'x', n),
        };
        out.push(tag);
        out.extend_from_slice(&n.to_le_bytes());
        match &i.key {
            InstKey::None => out.push(0),
            InstKey::Int(n) => {
                out.push(1);
                out.extend_from_slice(&(*n as u64).to_le_bytes());
            }
            InstKey::Str(s) => {
                out.push(2);
                bytes(out, s.as_bytes());
            }
        }
    }
    match v {
        V::Null => out.push(b'n'),
        V::Bool(b) => out.extend_from_slice(if *b { b"t" } else { b"f" }),
        V::Num(n) if n.is_nan() => {
            out.push(b'N');
            *nan += 1;
            out.extend_from_slice(&nan.to_le_bytes());
        }
        V::Num(n) => {
            out.push(b'#');
            // -0.0 == 0.0
            let n = if *n == 0.0 { 0.0 } else { *n };
            out.extend_from_slice(&n.to_bits().to_le_bytes());
        }
        V::Str(x) => {
            out.push(b's');
            bytes(out, x.as_bytes());
        }
        V::List(l) => {
            out.push(b'[');
            out.extend_from_slice(&(l.len() as u64).to_le_bytes());
            for x in l {
                identity_key(&x.v, nan, out);
            }
        }
        V::Map(m) => {
            out.push(b'{');
            out.extend_from_slice(&(m.len() as u64).to_le_bytes());
            for (k, x) in m {
                bytes(out, k.as_bytes());
                identity_key(&x.v, nan, out);
            }
        }
        V::Resource(i) => {
            out.push(b'r');
            inst(out, i);
        }
        V::Ref(i, a) => {
            out.push(b'.');
            inst(out, i);
            bytes(out, a.as_bytes());
        }
        V::Unknown(u) => {
            out.push(if u.error { b'E' } else { b'U' });
            bytes(out, u.reason.as_bytes());
            // Distinct elements of one list stay distinct in a set.
            if let Some(d) = &u.distinct {
                bytes(out, d.list.as_bytes());
                out.extend_from_slice(&d.index.map_or(u64::MAX, u64::from).to_le_bytes());
            }
        }
    }
}

/// A primitive as a string (template interpolation, string functions).
pub fn to_str(v: &Val) -> Result<String, Val> {
    match &v.v {
        V::Str(s) => Ok(s.clone()),
        V::Num(n) => Ok(fmt_num(*n)),
        V::Bool(b) => Ok(b.to_string()),
        V::Unknown(_) => Err(v.clone()),
        V::Ref(..) | V::Resource(_) => Err(Val::unknown(
            "it is an attribute known only after apply",
            v.span,
        )),
        V::Null => Err(Val::error("null value in a string", v.span)),
        _ => Err(Val::error(
            format!("a {} cannot be used as a string", v.type_name()),
            v.span,
        )),
    }
}

/// Structural equality ignoring spans.
pub fn same(a: &Val, b: &Val) -> bool {
    match (&a.v, &b.v) {
        (V::List(x), V::List(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q)),
        (V::Map(x), V::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((k1, v1), (k2, v2))| k1 == k2 && same(v1, v2))
        }
        (V::Unknown(_), _) | (_, V::Unknown(_)) => false,
        (x, y) => x == y,
    }
}

/// Format a number the way Terraform prints it (integers without a fraction).
pub fn fmt_num(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// JSON text of a value (`jsonencode`); None when it holds something unknown.
pub fn to_json(v: &Val) -> Option<serde_json::Value> {
    Some(match &v.v {
        V::Null => serde_json::Value::Null,
        V::Bool(b) => serde_json::Value::Bool(*b),
        V::Num(n) => {
            if n.fract() == 0.0 && n.abs() < 9e15 {
                serde_json::Value::from(*n as i64)
            } else {
                serde_json::Number::from_f64(*n).map_or(serde_json::Value::Null, Into::into)
            }
        }
        V::Str(s) => serde_json::Value::String(s.clone()),
        V::List(items) => {
            serde_json::Value::Array(items.iter().map(to_json).collect::<Option<Vec<_>>>()?)
        }
        V::Map(m) => serde_json::Value::Object(
            m.iter()
                .map(|(k, v)| Some((k.clone(), to_json(v)?)))
                .collect::<Option<serde_json::Map<_, _>>>()?,
        ),
        V::Resource(_) | V::Ref(..) | V::Unknown(_) => return None,
    })
}

/// A value from JSON (`jsondecode`, `*.tfvars.json`); every element gets `span`.
pub fn from_json(j: &serde_json::Value, span: Span) -> Val {
    let v = match j {
        serde_json::Value::Null => V::Null,
        serde_json::Value::Bool(b) => V::Bool(*b),
        serde_json::Value::Number(n) => V::Num(n.as_f64().unwrap_or(0.0)),
        serde_json::Value::String(s) => V::Str(s.clone()),
        serde_json::Value::Array(a) => V::List(a.iter().map(|x| from_json(x, span)).collect()),
        serde_json::Value::Object(o) => V::Map(
            o.iter()
                .map(|(k, x)| (k.clone(), from_json(x, span)))
                .collect(),
        ),
    };
    Val::new(v, span)
}

/// YAML text of a value (`yamlencode`), block style; None when unknown parts remain.
pub fn to_yaml(v: &Val) -> Option<String> {
    fn scalar(s: &str) -> String {
        serde_json::Value::String(s.to_string()).to_string()
    }
    fn go(v: &Val, indent: usize, out: &mut String) -> Option<()> {
        let pad = " ".repeat(indent);
        match &v.v {
            V::Map(m) if !m.is_empty() => {
                for (k, x) in m {
                    match &x.v {
                        V::Map(mm) if !mm.is_empty() => {
                            let _ = writeln!(out, "{pad}{}:", scalar(k));
                            go(x, indent + 2, out)?;
                        }
                        V::List(l) if !l.is_empty() => {
                            let _ = writeln!(out, "{pad}{}:", scalar(k));
                            go(x, indent, out)?;
                        }
                        _ => {
                            let _ = writeln!(out, "{pad}{}: {}", scalar(k), inline(x)?);
                        }
                    }
                }
            }
            V::List(l) if !l.is_empty() => {
                for x in l {
                    match &x.v {
                        V::Map(_) | V::List(_) => {
                            let mut inner = String::new();
                            go(x, indent + 2, &mut inner)?;
                            let inner = inner.trim_start().to_string();
                            let _ = write!(out, "{pad}- {inner}");
                        }
                        _ => {
                            let _ = writeln!(out, "{pad}- {}", inline(x)?);
                        }
                    }
                }
            }
            _ => {
                let _ = writeln!(out, "{pad}{}", inline(v)?);
            }
        }
        Some(())
    }
    fn inline(v: &Val) -> Option<String> {
        Some(match &v.v {
            V::Null => "null".into(),
            V::Bool(b) => b.to_string(),
            V::Num(n) => fmt_num(*n),
            V::Str(s) => scalar(s),
            V::List(l) if l.is_empty() => "[]".into(),
            V::Map(m) if m.is_empty() => "{}".into(),
            _ => return None,
        })
    }
    let mut out = String::new();
    go(v, 0, &mut out)?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(v: &V) -> Vec<u8> {
        let mut out = Vec::new();
        identity_key(v, &mut 0, &mut out);
        out
    }

    #[test]
    fn identity_keys_are_equal_exactly_when_values_are() {
        let s = Span::default();
        let l = |xs: Vec<Val>| V::List(xs);
        let vals = [
            V::Null,
            V::Bool(true),
            V::Bool(false),
            V::Num(1.0),
            V::Num(-0.0),
            V::Num(0.0),
            V::Str("1".into()),
            V::Str("ab".into()),
            l(vec![Val::str("a", s), Val::str("b", s)]),
            l(vec![Val::str("ab", s)]),
            l(vec![
                Val::str("a", s),
                Val::str("b", Span::new(crate::source::FileId(1), 3, 4)),
            ]),
            V::Map([("a".to_string(), Val::str("b", s))].into_iter().collect()),
            V::Map(
                [("ab".to_string(), Val::new(V::Null, s))]
                    .into_iter()
                    .collect(),
            ),
            V::Ref(InstRef::local(1, InstKey::Int(0)), "id".into()),
            V::Ref(InstRef::external(1), "id".into()),
            V::Ref(InstRef::local(1, InstKey::Str("0".into())), "id".into()),
            V::Unknown(Unk {
                reason: "r".into(),
                error: false,
                distinct: None,
            }),
            V::Unknown(Unk {
                reason: "r".into(),
                error: true,
                distinct: None,
            }),
        ];
        // Equal as Terraform compares set elements (spans ignored), and unknowns with the same
        // reason merged, as before the keys replaced the pairwise scan.
        let eq = |a: &V, b: &V| {
            let (x, y) = (Val::new(a.clone(), s), Val::new(b.clone(), s));
            same(&x, &y) || a == b
        };
        for a in &vals {
            for b in &vals {
                assert_eq!(key(a) == key(b), eq(a, b), "{a:?} vs {b:?}");
            }
        }
        // NaN is not equal to itself
        let mut nan = 0;
        let (mut x, mut y) = (Vec::new(), Vec::new());
        identity_key(&V::Num(f64::NAN), &mut nan, &mut x);
        identity_key(&V::Num(f64::NAN), &mut nan, &mut y);
        assert_ne!(x, y);
    }
}
