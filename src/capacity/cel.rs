//! nodeadm's `maxPodsExpression` (awslabs/amazon-eks-ami `nodeadm/internal/kubelet/eni_max_pods.go`
//! at 81fec2e895854f599974fe4d3d72f61c0a9aaffa, `CalcMaxPods`, `evaluateCustomMaxPodsExpression`):
//! a CEL expression over the ints `default_enis`, `ips_per_eni` and `max_pods` (the standard
//! ENIs × (IPv4 per ENI − 1) + 2). nodeadm uses its result when it is an int in 1..2^31−1, and
//! the standard value when the expression fails to compile or evaluate (a warning in its log).
//!
//! eks-lint evaluates the integer subset of CEL such expressions use: int literals, the three
//! variables, `+ - * / %`, unary `-`, comparisons, `&& || !`, `? :` and parentheses, with CEL's
//! semantics (int64 overflow and division by zero are errors, division truncates). Anything
//! else (functions, other types, macros) is [`Eval::Unsupported`]: the caller notes it
//! rather than guess.

/// The variables nodeadm binds.
#[derive(Debug, Clone, Copy)]
pub struct Vars {
    pub default_enis: i64,
    pub ips_per_eni: i64,
    pub max_pods: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Eval {
    /// The max pods nodeadm sets: the result, or the standard value when the expression
    /// fails in nodeadm too (a runtime error, a non-int or out-of-range result).
    MaxPods(u32),
    /// Valid CEL, maybe, but beyond the subset: why.
    Unsupported(String),
}

/// Longest expression read, and deepest nesting (hostile input).
const MAX_LEN: usize = 4096;
const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok {
    Int(i64),
    Var(usize),
    Bool(bool),
    /// An identifier nodeadm does not declare: a compile error there.
    Undeclared,
    Op(&'static str),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum V {
    Int(i64),
    Bool(bool),
}

/// A CEL evaluation error: nodeadm falls back to the standard value.
struct Runtime;

const OPS: &[&str] = &[
    "&&", "||", "==", "!=", "<=", ">=", "<", ">", "+", "-", "*", "/", "%", "!", "?", ":", "(", ")",
];
const VARS: [&str; 3] = ["default_enis", "ips_per_eni", "max_pods"];

fn lex(s: &str) -> Result<Vec<Tok>, String> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut out = Vec::new();
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let n = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
            let v = s[i..i + n]
                .parse()
                .map_err(|_| "an int literal out of range".to_string())?;
            out.push(Tok::Int(v));
            i += n;
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let n = b[i..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
                .count();
            let w = &s[i..i + n];
            let next = s[i + n..].trim_start().chars().next();
            match VARS.iter().position(|v| *v == w) {
                Some(k) => out.push(Tok::Var(k)),
                // A function, macro or member (`int(x)`, `math.least`): beyond the subset.
                None if matches!(next, Some('(' | '.')) => {
                    return Err(format!(
                        "`{w}`, a function or member eks-lint does not evaluate"
                    ))
                }
                None if w == "true" || w == "false" => out.push(Tok::Bool(w == "true")),
                // `null` and undeclared names fail in nodeadm (a type or compile error).
                None => out.push(Tok::Undeclared),
            }
            i += n;
        } else {
            let op = OPS
                .iter()
                .find(|o| s[i..].starts_with(**o))
                .ok_or_else(|| format!("`{}`", &s[i..].chars().next().unwrap_or(' ')))?;
            out.push(Tok::Op(op));
            i += op.len();
        }
    }
    Ok(out)
}

struct Parser<'t> {
    toks: &'t [Tok],
    at: usize,
    vars: [i64; 3],
    depth: usize,
}

type R = Result<Result<V, Runtime>, String>;

impl Parser<'_> {
    fn peek(&self) -> Option<Tok> {
        self.toks.get(self.at).copied()
    }

    fn eat(&mut self, op: &str) -> bool {
        if self.peek() == Some(Tok::Op(op_static(op))) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn deeper(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err("nesting deeper than eks-lint reads".into());
        }
        Ok(())
    }

    /// cond ? a : b (right-associative). Both branches are parsed; CEL evaluates the one taken.
    fn ternary(&mut self) -> R {
        self.deeper()?;
        let c = self.binary(0)?;
        let out = if self.eat("?") {
            let a = self.ternary()?;
            if !self.eat(":") {
                return Err("a `?` without `:`".into());
            }
            let b = self.ternary()?;
            match c {
                Ok(V::Bool(true)) => a,
                Ok(V::Bool(false)) => b,
                _ => Err(Runtime),
            }
        } else {
            c
        };
        self.depth -= 1;
        Ok(out)
    }

    /// Precedence climbing over CEL's binary operators, loosest first.
    fn binary(&mut self, level: usize) -> R {
        const LEVELS: &[&[&str]] = &[
            &["||"],
            &["&&"],
            &["==", "!=", "<", "<=", ">", ">="],
            &["+", "-"],
            &["*", "/", "%"],
        ];
        if level == LEVELS.len() {
            return self.unary();
        }
        let mut left = self.binary(level + 1)?;
        while let Some(Tok::Op(op)) = self.peek() {
            if !LEVELS[level].contains(&op) {
                break;
            }
            self.at += 1;
            let right = self.binary(level + 1)?;
            // CEL's `||` and `&&` absorb an error on either side when the other decides.
            left = match (op, left, right) {
                ("||", Ok(V::Bool(true)), _) | ("||", _, Ok(V::Bool(true))) => Ok(V::Bool(true)),
                ("&&", Ok(V::Bool(false)), _) | ("&&", _, Ok(V::Bool(false))) => Ok(V::Bool(false)),
                (_, Ok(a), Ok(b)) => apply(op, a, b),
                _ => Err(Runtime),
            };
        }
        Ok(left)
    }

    fn unary(&mut self) -> R {
        if self.eat("-") {
            self.deeper()?;
            let v = self.unary()?;
            self.depth -= 1;
            return Ok(match v {
                Ok(V::Int(n)) => n.checked_neg().map(V::Int).ok_or(Runtime),
                _ => Err(Runtime),
            });
        }
        if self.eat("!") {
            self.deeper()?;
            let v = self.unary()?;
            self.depth -= 1;
            return Ok(match v {
                Ok(V::Bool(b)) => Ok(V::Bool(!b)),
                _ => Err(Runtime),
            });
        }
        match self.peek() {
            Some(Tok::Int(n)) => {
                self.at += 1;
                Ok(Ok(V::Int(n)))
            }
            Some(Tok::Var(k)) => {
                self.at += 1;
                Ok(Ok(V::Int(self.vars[k])))
            }
            Some(Tok::Bool(b)) => {
                self.at += 1;
                Ok(Ok(V::Bool(b)))
            }
            Some(Tok::Undeclared) => {
                self.at += 1;
                Ok(Err(Runtime))
            }
            Some(Tok::Op("(")) => {
                self.at += 1;
                let v = self.ternary()?;
                if !self.eat(")") {
                    return Err("an unclosed `(`".into());
                }
                Ok(v)
            }
            _ => Err("an operator where a value belongs".into()),
        }
    }
}

fn op_static(op: &str) -> &'static str {
    OPS.iter().find(|o| **o == op).copied().unwrap_or("")
}

fn apply(op: &str, a: V, b: V) -> Result<V, Runtime> {
    use V::*;
    Ok(match (op, a, b) {
        ("+", Int(x), Int(y)) => Int(x.checked_add(y).ok_or(Runtime)?),
        ("-", Int(x), Int(y)) => Int(x.checked_sub(y).ok_or(Runtime)?),
        ("*", Int(x), Int(y)) => Int(x.checked_mul(y).ok_or(Runtime)?),
        ("/", Int(x), Int(y)) => Int(x.checked_div(y).ok_or(Runtime)?),
        ("%", Int(x), Int(y)) => Int(x.checked_rem(y).ok_or(Runtime)?),
        ("<", Int(x), Int(y)) => Bool(x < y),
        ("<=", Int(x), Int(y)) => Bool(x <= y),
        (">", Int(x), Int(y)) => Bool(x > y),
        (">=", Int(x), Int(y)) => Bool(x >= y),
        ("==", x, y) => Bool(x == y),
        ("!=", x, y) => Bool(x != y),
        ("&&", Bool(x), Bool(y)) => Bool(x && y),
        ("||", Bool(x), Bool(y)) => Bool(x || y),
        _ => return Err(Runtime),
    })
}

/// The max pods nodeadm sets for `expr` with `vars`.
pub fn eval(expr: &str, vars: Vars) -> Eval {
    if expr.len() > MAX_LEN {
        return Eval::Unsupported("it is longer than eks-lint reads".into());
    }
    let standard = u32::try_from(vars.max_pods.max(0)).unwrap_or(u32::MAX);
    let toks = match lex(expr) {
        Ok(t) => t,
        Err(why) => return Eval::Unsupported(format!("it uses {why}")),
    };
    let mut p = Parser {
        toks: &toks,
        at: 0,
        vars: [vars.default_enis, vars.ips_per_eni, vars.max_pods],
        depth: 0,
    };
    let v = match p.ternary() {
        Ok(v) if p.at == toks.len() => v,
        Ok(_) => return Eval::Unsupported("it has text after the expression".into()),
        Err(why) => return Eval::Unsupported(format!("it has {why}")),
    };
    Eval::MaxPods(match v {
        Ok(V::Int(n)) if n > 0 && n <= i64::from(i32::MAX) => n as u32,
        // A runtime error, a bool or an out-of-range int: nodeadm logs it and uses the standard.
        _ => standard,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// nodeadm's own cases (`eni_max_pods_test.go`, `TestEvaluateCustomMaxPodsExpression`):
    /// t3.medium is 3 ENIs × 6 IPv4, standard 3 × 5 + 2 = 17.
    #[test]
    fn nodeadm_test_cases() {
        let t3 = Vars {
            default_enis: 3,
            ips_per_eni: 6,
            max_pods: 17,
        };
        let ok = |e: &str, v: Vars| match eval(e, v) {
            Eval::MaxPods(n) => n,
            Eval::Unsupported(w) => panic!("{e}: {w}"),
        };
        assert_eq!(ok("417", t3), 417);
        assert_eq!(ok("(default_enis * (ips_per_eni - 1)) + 2", t3), 17);
        assert_eq!(ok("(default_enis * ((ips_per_eni - 1) * 16)) + 2", t3), 242);
        assert_eq!(
            ok("((default_enis * ((ips_per_eni * 16) - 1)) + 2) < 30 ? ((default_enis * ((ips_per_eni * 16) - 1)) + 2) : 30", t3),
            30
        );
        assert_eq!(ok("((default_enis - 1) * (ips_per_eni - 1)) + 2", t3), 12);
        let m = |n| Vars { max_pods: n, ..t3 };
        assert_eq!(ok("max_pods < 30 ? max_pods : 30", m(35)), 30);
        assert_eq!(ok("max_pods", m(7)), 7);
        assert_eq!(ok("max_pods + 2", m(7)), 9);
        // Errors in nodeadm give the standard value: zero, negative, bool, overflow.
        assert_eq!(
            ok("max_pods - ((default_enis * (ips_per_eni - 1)) + 2)", t3),
            17
        );
        assert_eq!(ok("max_pods - 2", m(1)), 1);
        assert_eq!(ok("true", t3), 17);
        assert_eq!(ok("default_enis + fake_variable", t3), 17);
        assert_eq!(ok("true || max_pods / 0 == 1 ? 5 : 6", t3), 5);
        assert_eq!(ok("9223372036854775807 + 1", t3), 17);
        assert_eq!(ok("max_pods / 0", t3), 17);
        assert_eq!(ok("-(-5) * 2 % 7", t3), 3);
        assert_eq!(ok("!(max_pods > 10) || default_enis == 3 ? 1 : 2", t3), 1);
    }

    #[test]
    fn beyond_the_subset_is_unsupported() {
        let v = Vars {
            default_enis: 3,
            ips_per_eni: 6,
            max_pods: 17,
        };
        for e in [
            "math.least(max_pods, 30)",
            "int(\"5\")",
            "(max_pods",
            "max_pods 2",
            "max_pods ? 1",
            "",
        ] {
            assert!(matches!(eval(e, v), Eval::Unsupported(_)), "{e}");
        }
        let deep = format!("{}1{}", "(".repeat(500), ")".repeat(500));
        assert!(matches!(eval(&deep, v), Eval::Unsupported(_)));
    }
}
