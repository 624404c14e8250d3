//! Max pods in node bootstrap text, shared by the front ends: Terraform launch-template user
//! data and eksctl `overrideBootstrapCommand`. Recognised: AL2 `bootstrap.sh` `--max-pods`
//! (also inside `--kubelet-extra-args`), `--use-max-pods false` (the kubelet's own 110),
//! and nodeadm `NodeConfig` `kubelet.config.maxPods` in YAML or JSON; nodeadm's
//! `kubelet.maxPodsExpression` separately (evaluated per type by `capacity::cel`).

use std::ops::Range;

type Hit = (Result<i64, ()>, Range<usize>);

/// Every place the text sets max pods, in order: the value (Err when it is not a literal
/// number, e.g. a template interpolation) and the byte range of what was read.
fn hits(text: &str) -> Vec<Hit> {
    let num_after = |at: usize| -> Hit {
        let rest = &text[at..];
        let skipped = rest.len() - rest.trim_start_matches(['=', ' ', ':', '"', '\'']).len();
        let start = at + skipped;
        let digits = text[start..].bytes().take_while(u8::is_ascii_digit).count();
        let value = text[start..start + digits].parse().map_err(|_| ());
        (value, start..start + digits)
    };
    let mut out: Vec<(usize, Hit)> = text
        .match_indices("--max-pods")
        .map(|(pos, key)| (pos, num_after(pos + key.len())))
        .collect();
    for (pos, key) in text.match_indices("maxPods") {
        let after = pos + key.len();
        let rest = text[after..].trim_start_matches('"');
        if rest.trim_start().starts_with(':') {
            out.push((pos, num_after(after)));
        }
    }
    out.sort_by_key(|(pos, _)| *pos);
    out.into_iter().map(|(_, h)| h).collect()
}

/// Where the text sets max pods; the last setting wins, as later flags and merged configs do.
pub fn find_max_pods(text: &str) -> Option<Hit> {
    if let Some(last) = hits(text).pop() {
        return Some(last);
    }
    for pat in [
        "--use-max-pods false",
        "--use-max-pods=false",
        "--use-max-pods \"false\"",
    ] {
        if let Some(pos) = text.find(pat) {
            // Without --max-pods the kubelet keeps its own default of 110.
            return Some((Ok(110), pos..pos + pat.len()));
        }
    }
    None
}

/// A max pods written as a literal in a template whose other parts are unknown: only when
/// every setting in it is the same number (two literals may be branches of a conditional).
pub fn literal_max_pods(src: &str) -> Option<(i64, Range<usize>)> {
    let all = hits(src);
    let (Ok(n), r) = all.last()?.clone() else {
        return None;
    };
    all.iter().all(|(v, _)| *v == Ok(n)).then_some((n, r))
}

/// Some(Ok(n)) when the text sets max pods; Some(Err) when it does but not as a number.
pub fn parse_max_pods(text: &str) -> Option<Result<i64, ()>> {
    find_max_pods(text).map(|(v, _)| v)
}

/// The last nodeadm `kubelet.maxPodsExpression` in the text (YAML: plain, `"…"` or `'…'`;
/// JSON: `"…"`), with the byte range of the expression; None when there is none or it is empty
/// (nodeadm then uses its standard value). Escapes inside quotes are not decoded: an
/// expression holding one is read as written, which the CEL subset then rejects.
pub fn find_max_pods_expression(text: &str) -> Option<(String, Range<usize>)> {
    let mut last = None;
    for (pos, key) in text.match_indices("maxPodsExpression") {
        let mut at = pos + key.len();
        at += text[at..].len() - text[at..].trim_start_matches('"').len();
        let rest = &text[at..];
        let Some(after_colon) = rest.trim_start_matches([' ', '\t']).strip_prefix(':') else {
            continue;
        };
        let start = text.len() - after_colon.trim_start_matches([' ', '\t']).len();
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let v = &text[start..line_end];
        let (s, e) = match v.chars().next() {
            Some(q @ ('"' | '\'')) => match v[1..].find(q) {
                Some(i) => (start + 1, start + 1 + i),
                None => continue,
            },
            _ => {
                // A plain YAML scalar ends at a comment, a JSON value at `,` or `}`.
                let end = v.find(" #").unwrap_or(v.len());
                (start, start + v[..end].trim_end().len())
            }
        };
        let expr = text[s..e].trim();
        last = (!expr.is_empty()).then(|| (expr.to_string(), s..e));
    }
    last
}

/// The text mentions max pods at all (then an unreadable value is worth a note).
pub fn mentions_max_pods(text: &str) -> bool {
    text.contains("max-pods") || text.contains("maxPods")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_values_and_their_ranges() {
        let t = "/etc/eks/bootstrap.sh c --kubelet-extra-args '--max-pods=20'";
        let (v, r) = find_max_pods(t).unwrap();
        assert_eq!((v, &t[r]), (Ok(20), "20"));
        let t = "spec:\n  kubelet:\n    config:\n      maxPods: 58\n";
        let (v, r) = find_max_pods(t).unwrap();
        assert_eq!((v, &t[r]), (Ok(58), "58"));
        assert_eq!(parse_max_pods("{\"maxPods\": 17}"), Some(Ok(17)));
        assert_eq!(parse_max_pods("{\"maxPods\":17}"), Some(Ok(17)));
    }

    #[test]
    fn expressions_interpolations_and_absence() {
        // nodeadm's maxPodsExpression is not a max pods value.
        assert_eq!(parse_max_pods("maxPodsExpression: \"max_pods - 2\""), None);
        assert_eq!(parse_max_pods("--max-pods=${max_pods}"), Some(Err(())));
        assert_eq!(parse_max_pods("--max-pods="), Some(Err(())));
        assert_eq!(parse_max_pods("#!/bin/bash\necho hi"), None);
        assert_eq!(
            parse_max_pods("bootstrap.sh c --use-max-pods false"),
            Some(Ok(110))
        );
        // The last one wins.
        assert_eq!(parse_max_pods("--max-pods=10 --max-pods=12"), Some(Ok(12)));
    }

    #[test]
    fn max_pods_expressions_in_yaml_and_json() {
        let y = "spec:\n  kubelet:\n    maxPodsExpression: \"((default_enis - 1) * (ips_per_eni - 1)) + 2\"\n";
        let (e, r) = find_max_pods_expression(y).unwrap();
        assert_eq!(e, "((default_enis - 1) * (ips_per_eni - 1)) + 2");
        assert_eq!(&y[r], e);
        let plain = "    maxPodsExpression: max_pods + 2 # two host pods\n";
        assert_eq!(find_max_pods_expression(plain).unwrap().0, "max_pods + 2");
        let j = "{\"kubelet\": {\"maxPodsExpression\": 'max_pods < 30 ? max_pods : 30'}}";
        assert_eq!(
            find_max_pods_expression(j).unwrap().0,
            "max_pods < 30 ? max_pods : 30"
        );
        assert_eq!(find_max_pods_expression("maxPodsExpression: \"\"\n"), None);
        assert_eq!(find_max_pods_expression("maxPods: 20"), None);
        // It is not a max pods value.
        assert_eq!(parse_max_pods(plain), None);
    }

    #[test]
    fn literals_in_partly_unknown_templates() {
        let t =
            "#!/bin/bash\n/etc/eks/bootstrap.sh ${cluster} --kubelet-extra-args '--max-pods=35'";
        let (n, r) = literal_max_pods(t).unwrap();
        assert_eq!((n, &t[r]), (35, "35"));
        assert_eq!(literal_max_pods("--max-pods=${var.n}"), None);
        assert_eq!(
            literal_max_pods("var.x ? \"maxPods: 20\" : \"maxPods: 30\""),
            None
        );
        assert_eq!(
            literal_max_pods("maxPods: 20 ... maxPods: 20").map(|x| x.0),
            Some(20)
        );
    }
}
