//! Object constructors of HCL text, found in one scan before hcl-edit parses it:
//!
//! - hcl-edit checks each key of an object against every key before it, so an object of n keys
//!   costs n² steps (20 000 keys: seconds; an 8 MiB file holds far more). The scan counts the
//!   key pairs so a file over the limit is refused before it is parsed.
//! - Terraform keeps the last of a key repeated in one object; hcl-edit rejects the file. The
//!   scan finds every earlier item of a repeated key (an identifier or a quoted string; the
//!   same value either way, hashicorp/hcl 2efc2662 `hclsyntax/expression.go`
//!   `ObjectConsExpr.Value`: `vals[keyStr] = val`, no duplicate check), to blank out (spaces, line
//!   breaks kept: spans stay valid, the last value wins) and parse once more, not once per
//!   repeated key.
//!
//! It knows just enough HCL to tell objects from block bodies: strings and their `${ }` /
//! `%{ }` sequences, heredocs, comments and brackets.

use std::collections::HashMap;

/// What the scan found.
#[derive(Debug, Default)]
pub struct Objects {
    /// Earlier items of repeated keys: byte ranges to blank out.
    blanks: Vec<(usize, usize)>,
    /// Key pairs the parser compares: n(n−1)/2 summed over the objects, n counting each
    /// repeated key once.
    pub pairs: u64,
    /// The object with the most keys: the offset of its `{` and its key count.
    pub largest: (usize, u64),
}

enum Frame<'a> {
    /// The file or a block body; `in_expr` once the statement on this line has had its `=`.
    Body {
        in_expr: bool,
    },
    Object(Object<'a>),
    /// `(` or `[`.
    Group,
    /// A quoted string (a template).
    Template,
    /// `${ … }` or `%{ … }` inside a template.
    Interp,
}

struct Object<'a> {
    /// Offset of the `{`.
    open: usize,
    /// Where each identifier or quoted key's latest item starts and ends.
    keys: HashMap<&'a str, (usize, usize)>,
    /// Items, and those of them an item further on repeats (blanked before the parse that
    /// counts).
    items: u64,
    repeated: u64,
    /// At the start of an item (after `{`, `,` or a newline).
    item_start: bool,
    /// The key of the item being read.
    current: Option<&'a str>,
    /// `{ for k, v in … }`: a for expression, not an object.
    for_expr: bool,
}

fn ident_start(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

/// Bytes of the UTF-8 character that starts with `b`.
fn char_len(b: u8) -> usize {
    match b {
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xff => 4,
        _ => 1,
    }
}

/// End of the line at `i` (the offset of its `\n`, or the end of the text).
fn line_end(b: &[u8], i: usize) -> usize {
    memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |n| i + n)
}

/// `<<ID` / `<<-ID` at `i`: the offset just past the heredoc's closing line.
fn heredoc_end(text: &str, i: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut j = i + 2;
    if b.get(j) == Some(&b'-') {
        j += 1;
    }
    let id_end = j + text[j..]
        .find(|c: char| !ident_char(c))
        .unwrap_or(text.len() - j);
    let id = &text[j..id_end];
    let eol = line_end(b, id_end);
    if id.is_empty() || !text[id_end..eol].trim().is_empty() {
        return None;
    }
    let mut at = eol;
    while at < b.len() {
        let start = at + 1;
        let end = line_end(b, start.min(b.len()));
        if text.get(start..end).is_some_and(|l| l.trim() == id) {
            return Some(end);
        }
        at = end;
    }
    Some(b.len())
}

impl Object<'_> {
    /// The item being read ends at `end` (exclusive).
    fn end_item(&mut self, end: usize) {
        if let Some(item) = self.current.take().and_then(|k| self.keys.get_mut(k)) {
            item.1 = end;
        }
    }
}

impl Objects {
    fn close(&mut self, o: &Object) {
        if o.for_expr {
            return;
        }
        let n = o.items - o.repeated;
        self.pairs = self
            .pairs
            .saturating_add(n.saturating_mul(n.saturating_sub(1)) / 2);
        if n > self.largest.1 {
            self.largest = (o.open, n);
        }
    }

    /// `text` with the earlier items of repeated keys blanked out, or None when no object
    /// repeats a key.
    pub fn blanked(&self, text: &str) -> Option<String> {
        if self.blanks.is_empty() {
            return None;
        }
        let mut out = text.as_bytes().to_vec();
        for &(start, end) in &self.blanks {
            for x in &mut out[start..end.min(text.len())] {
                if !matches!(*x, b'\n' | b'\r') {
                    *x = b' ';
                }
            }
        }
        // Items start and end at ASCII characters, so whole characters became spaces.
        String::from_utf8(out).ok()
    }
}

/// The start of an item at `i` (not blank): count it, and for an identifier key note where it
/// is. Returns where to go on (past the identifier), or None to read `i` as usual.
fn item<'a>(
    o: &mut Object<'a>,
    text: &'a str,
    i: usize,
    blanks: &mut Vec<(usize, usize)>,
) -> Option<usize> {
    o.item_start = false;
    let first = text[i..].chars().next().unwrap_or(' ');
    let (key, end) = if first == '"' {
        match quoted_key(text, i) {
            Some(k) => k,
            None => {
                // A template key: counted, read as usual.
                o.items += 1;
                return None;
            }
        }
    } else if ident_start(first) {
        let end = i + text[i..]
            .find(|c: char| !ident_char(c))
            .unwrap_or(text.len() - i);
        (&text[i..end], end)
    } else {
        // A computed key.
        o.items += 1;
        return None;
    };
    // `key =` or `key:`, not `key ==` or `key =>`.
    let assigns = match text[end..].trim_start_matches([' ', '\t']).as_bytes() {
        [b'=', b'=' | b'>', ..] => false,
        [b'=' | b':', ..] => true,
        _ => false,
    };
    if key == "for" && o.items == 0 && !assigns {
        o.for_expr = true;
        return Some(end);
    }
    o.items += 1;
    if assigns && !o.for_expr {
        o.current = Some(key);
        if let Some((start, end)) = o.keys.insert(key, (i, usize::MAX)) {
            if end != usize::MAX {
                blanks.push((start, end));
                o.repeated += 1;
            }
        }
    }
    Some(end)
}

/// A quoted key at `i` (its `"`) that closes on its line: (the key, the offset past it).
/// Terraform compares key values, so `"a"` and `a` are one key; a key with escapes is its
/// text as written, quotes included (texts alike are values alike, and no identifier starts
/// with a quote). None for a string that does not close or holds `${`/`%{` (counted only).
fn quoted_key(text: &str, i: usize) -> Option<(&str, usize)> {
    let b = text.as_bytes();
    let mut j = i + 1;
    let mut plain = true;
    while j < b.len() {
        match b[j] {
            b'"' => {
                let key = if plain { &text[i + 1..j] } else { &text[i..=j] };
                return Some((key, j + 1));
            }
            b'\\' => {
                plain = false;
                j += 1;
            }
            // `${`/`%{` may hold quotes and braces of their own: not followed here.
            b'$' | b'%' if b.get(j + 1) == Some(&b'{') => return None,
            b'$' | b'%' => plain = false,
            b'\n' => return None,
            _ => {}
        }
        j += 1;
    }
    None
}

/// Scan `text` for its object constructors.
pub fn scan(text: &str) -> Objects {
    let b = text.as_bytes();
    let mut found = Objects::default();
    let mut stack: Vec<Frame> = vec![Frame::Body { in_expr: false }];
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let top = stack.len() - 1;
        if let Frame::Template = stack[top] {
            match c {
                b'\\' => i += 1,
                b'"' => {
                    stack.pop();
                }
                // `$${` and `%%{` are literal.
                b'$' | b'%' if b.get(i + 1) == Some(&c) && b.get(i + 2) == Some(&b'{') => i += 2,
                b'$' | b'%' if b.get(i + 1) == Some(&b'{') => {
                    stack.push(Frame::Interp);
                    i += 1;
                }
                // A quoted string ends with its line: do not let a stray quote swallow the file.
                b'\n' => {
                    stack.pop();
                    continue;
                }
                _ => {}
            }
            i += char_len(c);
            continue;
        }
        let comment = c == b'#' || c == b'/' && matches!(b.get(i + 1), Some(b'/' | b'*'));
        if let Frame::Object(o) = &mut stack[top] {
            if o.item_start && !comment && !matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b',' | b'}')
            {
                if let Some(next) = item(o, text, i, &mut found.blanks) {
                    i = next;
                    continue;
                }
            }
        }
        match c {
            b'#' => {
                i = line_end(b, i);
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = line_end(b, i);
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = text[i + 2..].find("*/").map_or(b.len(), |n| i + 2 + n + 2);
                continue;
            }
            b'"' => stack.push(Frame::Template),
            b'<' if b.get(i + 1) == Some(&b'<') => {
                if let Some(end) = heredoc_end(text, i) {
                    i = end;
                    continue;
                }
            }
            b'{' => {
                let frame = match stack[top] {
                    Frame::Body { in_expr: false } => Frame::Body { in_expr: false },
                    _ => Frame::Object(Object {
                        open: i,
                        keys: HashMap::new(),
                        items: 0,
                        repeated: 0,
                        item_start: true,
                        current: None,
                        for_expr: false,
                    }),
                };
                stack.push(frame);
            }
            b'(' | b'[' => stack.push(Frame::Group),
            // The file's own frame stays, whatever stray closers follow.
            b')' | b']' | b'}' if stack.len() > 1 => {
                if let Some(Frame::Object(mut o)) = stack.pop() {
                    o.end_item(i);
                    found.close(&o);
                }
            }
            b'\n' => match &mut stack[top] {
                Frame::Body { in_expr } => *in_expr = false,
                Frame::Object(o) => {
                    o.end_item(i);
                    o.item_start = true;
                }
                _ => {}
            },
            b',' => {
                if let Frame::Object(o) = &mut stack[top] {
                    // A comma goes with the item before it.
                    o.end_item(i + 1);
                    o.item_start = true;
                }
            }
            b'=' => {
                if let Frame::Body { in_expr } = &mut stack[top] {
                    *in_expr = true;
                }
            }
            _ => {}
        }
        i += char_len(c);
    }
    // Objects left open at the end still cost the parser their keys.
    for f in &stack {
        if let Frame::Object(o) = f {
            found.close(o);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blank_repeated_keys(text: &str) -> Option<String> {
        scan(text).blanked(text)
    }

    #[test]
    fn key_pairs_are_counted_per_object() {
        let s = scan("x = { a = 1, \"b\" = 2, (c) = 3 }\ny = { for k, v in m : k => { p = 1, q = 2 } }\nz = {}\n");
        // 3 keys: 3 pairs; the for expression is no object, its inner object has 2 keys: 1.
        assert_eq!(s.pairs, 4);
        assert_eq!(s.largest, (4, 3));
        let many = format!(
            "x = {{\n{}}}\n",
            (0..1000)
                .map(|i| format!("  \"k{i}\" = 1\n"))
                .collect::<String>()
        );
        assert_eq!(scan(&many).pairs, 1000 * 999 / 2);
        // Blocks are not objects.
        assert_eq!(
            scan("resource \"a\" \"b\" {\n  a = 1\n  b = 2\n}\n").pairs,
            0
        );
        // Unclosed objects count too.
        assert_eq!(scan("x = { a = 1, b = 2, c").pairs, 3);
        // A repeated key is blanked before the parse that gets that far: it counts once.
        let repeated = format!("x = {{\n{}  b = 1\n}}\n", "  a = 1\n".repeat(1000));
        assert_eq!(scan(&repeated).pairs, 1);
    }

    /// The text with repeated keys blanked, its runs of spaces squeezed to one for reading;
    /// blanking keeps the length.
    fn blanked(text: &str) -> String {
        let out = blank_repeated_keys(text).unwrap_or_else(|| text.to_string());
        assert_eq!(out.len(), text.len());
        let mut squeezed = String::new();
        for c in out.chars() {
            if !(c == ' ' && squeezed.ends_with(' ')) {
                squeezed.push(c);
            }
        }
        squeezed
    }

    #[test]
    fn earlier_items_of_a_key_in_the_same_object_are_blanked() {
        assert_eq!(
            blanked("x = {\n  a = 1\n  b = { a = 2 }\n  a = [\n    3,\n  ], a = 4\n}\n"),
            "x = {\n \n b = { a = 2 }\n \n \n a = 4\n}\n"
        );
        assert_eq!(
            blanked("x = { max_size: 1, max_size = 2 }"),
            "x = { max_size = 2 }"
        );
        assert_eq!(blanked("x = {é=1,é=2,é=3}"), "x = { é=3}");
        let many = format!("x = {{\n{}}}\n", "  k = 1 # c\n".repeat(1000));
        assert_eq!(blanked(&many).matches("k = 1").count(), 1);
    }

    #[test]
    fn bodies_strings_comments_and_heredocs_are_not_objects() {
        for text in [
            "resource \"a\" \"b\" {\n  a = 1\n  a = 2\n}\n",
            "x = \"{ a = 1, a = 2 }\"\n",
            "x = \"$${ { a = 1, a = 2 } }\"\n",
            "# x = { a = 1, a = 2 }\n",
            "/* x = { a = 1,\n a = 2 } */\n",
            "x = <<EOF\n{ a = 1, a = 2 }\nEOF\n",
            "x = <<-EOT\n  { a = 1, a = 2 }\n  EOT\n",
            "x = { for a, b in c : a => b }\n",
            "x = { a = b == c ? 1 : 2 }\n",
            "x = { a = 1, b = a }\n",
        ] {
            assert_eq!(blank_repeated_keys(text), None, "{text}");
        }
    }

    #[test]
    fn quoted_keys_repeat_as_their_values() {
        // `jsonencode({...})`: the object is inside a call; `"kind"` twice keeps the last.
        assert_eq!(
            blanked("x = jsonencode({\n  \"kind\" : \"a\",\n  \"kind\" : \"b\"\n})\n"),
            "x = jsonencode({\n \n \"kind\" : \"b\"\n})\n"
        );
        // `"a"` and `a` are one key; escaped texts alike are one key too.
        assert_eq!(blanked("x = { a = 1, \"a\" = 2 }"), "x = { \"a\" = 2 }");
        assert_eq!(
            blanked("x = { \"a\\\"b\" = 1, \"a\\\"b\" = 2 }"),
            "x = { \"a\\\"b\" = 2 }"
        );
        // Different keys, and template keys, are left alone.
        for text in [
            "x = { \"a\" = 1, \"b\" = 2 }\n",
            "x = { \"${k}\" = 1, \"${k}\" = 2 }\n",
            "x = { \"a\" = 1, \"a\\\"\" = 2 }\n",
        ] {
            assert_eq!(blank_repeated_keys(text), None, "{text}");
        }
        assert_eq!(scan("x = { \"a\" = 1, \"a\" = 2, \"b\" = 3 }").pairs, 1);
    }

    #[test]
    fn objects_inside_templates_and_lists_are_objects() {
        assert_eq!(
            blanked("x = \"${ { a = 1, a = 2 }.a }\"\ny = [{ k = 1, k = 2 }]\n"),
            "x = \"${ { a = 2 }.a }\"\ny = [{ k = 2 }]\n"
        );
    }

    #[test]
    fn hostile_text_never_panics() {
        for text in [
            "{",
            "}",
            "\"${",
            "<<",
            "<<EOF",
            "x = { a",
            "x = {\"",
            "x = { é",
            "/*",
            "x = { a = 1, a",
            "x = { a = 1, a = 2",
        ] {
            let _ = blank_repeated_keys(text);
        }
    }
}
