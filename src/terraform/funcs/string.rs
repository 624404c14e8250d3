//! String functions. `format`, `join` and `replace` can be asked for a result far larger than
//! their input, so they check its size with [`fits`] before building it.

use super::args::{arg, boolean, err, fits, int_arg, list_arg, number, s_arg, strs, R};
use crate::source::Span;
use crate::terraform::value::to_str;
use crate::terraform::value::{fmt_num, Val};

/// A function of one string argument that gives a string.
fn str1(args: &[Val], span: Span, f: impl Fn(&str) -> String) -> R {
    Ok(Val::str(f(&s_arg(args, 0, span)?), span))
}

pub(super) fn lower(args: &[Val], span: Span) -> R {
    str1(args, span, str::to_lowercase)
}

pub(super) fn upper(args: &[Val], span: Span) -> R {
    str1(args, span, str::to_uppercase)
}

/// `basename`: the last element of a path, as Go's `filepath.Base` (Terraform's
/// implementation): trailing slashes dropped, `.` for an empty path, `/` for slashes only.
/// The example layouts name clusters `basename(path.cwd)`.
pub(super) fn basename(args: &[Val], span: Span) -> R {
    str1(args, span, |s| {
        if s.is_empty() {
            return ".".to_string();
        }
        let t = s.trim_end_matches('/');
        if t.is_empty() {
            return "/".to_string();
        }
        t.rsplit('/').next().unwrap_or(t).to_string()
    })
}

pub(super) fn trimspace(args: &[Val], span: Span) -> R {
    str1(args, span, |s| s.trim().to_string())
}

pub(super) fn chomp(args: &[Val], span: Span) -> R {
    str1(args, span, |s| s.trim_end_matches(['\n', '\r']).to_string())
}

pub(super) fn title(args: &[Val], span: Span) -> R {
    str1(args, span, |s| {
        s.split(' ')
            .map(|w| {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect())
                    .unwrap_or_default()
            })
            .collect::<Vec<String>>()
            .join(" ")
    })
}

pub(super) fn startswith(args: &[Val], span: Span) -> R {
    let (s, p) = (s_arg(args, 0, span)?, s_arg(args, 1, span)?);
    Ok(boolean(s.starts_with(&p), span))
}

pub(super) fn endswith(args: &[Val], span: Span) -> R {
    let (s, p) = (s_arg(args, 0, span)?, s_arg(args, 1, span)?);
    Ok(boolean(s.ends_with(&p), span))
}

pub(super) fn trimprefix(args: &[Val], span: Span) -> R {
    let (s, p) = (s_arg(args, 0, span)?, s_arg(args, 1, span)?);
    Ok(Val::str(s.strip_prefix(p.as_str()).unwrap_or(&s), span))
}

pub(super) fn trimsuffix(args: &[Val], span: Span) -> R {
    let (s, p) = (s_arg(args, 0, span)?, s_arg(args, 1, span)?);
    Ok(Val::str(s.strip_suffix(p.as_str()).unwrap_or(&s), span))
}

/// `substr(s, offset, length)` in characters; a negative offset counts from the end and a
/// negative length means "to the end".
pub(super) fn substr(args: &[Val], span: Span) -> R {
    let s: Vec<char> = s_arg(args, 0, span)?.chars().collect();
    let off = int_arg(args, 1, span)?;
    let len = int_arg(args, 2, span)?;
    let start = if off < 0 {
        (s.len() as i64 + off).max(0) as usize
    } else {
        (off as usize).min(s.len())
    };
    let end = if len < 0 {
        s.len()
    } else {
        (start + len as usize).min(s.len())
    };
    Ok(Val::str(s[start..end].iter().collect::<String>(), span))
}

pub(super) fn split(args: &[Val], span: Span) -> R {
    let sep = s_arg(args, 0, span)?;
    let s = s_arg(args, 1, span)?;
    if sep.is_empty() {
        return Ok(strs(s.chars().map(String::from).collect(), span));
    }
    Ok(strs(
        s.split(sep.as_str()).map(String::from).collect(),
        span,
    ))
}

/// `join(separator, lists...)`.
pub(super) fn join(args: &[Val], span: Span) -> R {
    let sep = s_arg(args, 0, span)?;
    let mut parts = Vec::new();
    for i in 1..args.len() {
        for x in list_arg(args, i, span)?.iter() {
            parts.push(to_str(x)?);
        }
    }
    let total = parts
        .iter()
        .map(String::len)
        .sum::<usize>()
        .saturating_add(sep.len().saturating_mul(parts.len().saturating_sub(1)));
    fits("join", total, span)?;
    Ok(Val::str(parts.join(&sep), span))
}

pub(super) fn replace(args: &[Val], span: Span) -> R {
    let s = s_arg(args, 0, span)?;
    let from = s_arg(args, 1, span)?;
    let to = s_arg(args, 2, span)?;
    if from.len() > 1 && from.starts_with('/') && from.ends_with('/') {
        return Err(Val::unknown(
            "`replace` with a regular expression is not evaluated",
            span,
        ));
    }
    if from.is_empty() {
        return Ok(Val::str(s, span));
    }
    let n = memchr::memmem::find_iter(s.as_bytes(), from.as_bytes()).count();
    // Exactly the result's length: each match of `from` becomes `to`.
    let kept = s.len() - n * from.len();
    fits(
        "replace",
        kept.saturating_add(n.saturating_mul(to.len())),
        span,
    )?;
    Ok(Val::str(s.replace(&from, &to), span))
}

/// Terraform's `format` (Go's verbs): `%d`, `%f`, `%s`, `%v`, `%q` and `%%`, with flags,
/// width and precision. The result is checked against the size limit as it grows.
pub(super) fn format(args: &[Val], span: Span) -> R {
    let f = s_arg(args, 0, span)?;
    let mut out = String::new();
    let mut next = 1;
    let mut chars = f.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = String::new();
        while let Some(&d) = chars.peek() {
            if d.is_ascii_digit() || "-+ #.0".contains(d) {
                spec.push(d);
                chars.next();
            } else {
                break;
            }
        }
        let Some(verb) = chars.next() else {
            return Err(err("format string ends with %", span));
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let a = arg(args, next, span)?;
        next += 1;
        verb_into(&mut out, &spec, verb, a, span)?;
        fits("format", out.len(), span)?;
    }
    Ok(Val::str(out, span))
}

/// Append one `%<spec><verb>` of `format`, applied to `a`, to `out`.
fn verb_into(out: &mut String, spec: &str, verb: char, a: &Val, span: Span) -> Result<(), Val> {
    let zero = spec.starts_with('0');
    let left = spec.contains('-');
    let (wpart, prec) = match spec.split_once('.') {
        Some((w, p)) => (w, p.parse::<usize>().ok()),
        None => (spec, None),
    };
    // Capped, like the precision: `%99999999d` must not allocate gigabytes of padding.
    let width: usize = wpart
        .trim_start_matches(['-', '+', ' ', '#', '0'])
        .parse()
        .unwrap_or(0)
        .min(1000);
    let body = match verb {
        'd' => fmt_num(number(a)?.trunc()),
        'f' => format!("{:.*}", prec.unwrap_or(6).min(50), number(a)?),
        's' | 'v' => to_str(a)?,
        'q' => serde_json::Value::String(to_str(a)?).to_string(),
        other => return Err(err(format!("unsupported format verb %{other}"), span)),
    };
    let pad = width.saturating_sub(body.chars().count());
    if left {
        out.push_str(&body);
        out.push_str(&" ".repeat(pad));
    } else if zero && verb != 's' {
        let (sign, digits) = body
            .strip_prefix('-')
            .map_or(("", body.as_str()), |d| ("-", d));
        out.push_str(sign);
        out.push_str(&"0".repeat(pad));
        out.push_str(digits);
    } else {
        out.push_str(&" ".repeat(pad));
        out.push_str(&body);
    }
    Ok(())
}
