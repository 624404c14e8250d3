//! Terraform keeps the last of a key repeated in one object constructor; hcl-edit rejects the
//! file. One scan of the text finds the object constructors and blanks out every earlier item
//! of a repeated identifier key (spaces, line breaks kept), so spans stay valid, the last value
//! wins as in Terraform, and the file is parsed once more, not once per repeated key.
//!
//! The scan knows just enough HCL to tell objects from block bodies: strings and their
//! `${ }` / `%{ }` sequences, heredocs, comments, and brackets.

use std::collections::HashMap;

enum Frame<'a> {
    /// The file or a block body; `in_expr` once the statement on this line has had its `=`.
    Body { in_expr: bool },
    /// An object constructor: where each key's latest item starts and ends.
    Object {
        keys: HashMap<&'a str, (usize, usize)>,
        /// At the start of an item (after `{`, `,` or a newline).
        item_start: bool,
        /// The key of the item being read.
        current: Option<&'a str>,
        /// `{ for k, v in … }`: no keys to track.
        for_expr: bool,
    },
    /// `(` or `[`.
    Group,
    /// A quoted string (a template).
    Template,
    /// `${ … }` or `%{ … }` inside a template.
    Interp,
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

fn starts_comment(b: &[u8], i: usize) -> bool {
    b[i] == b'/' && matches!(b.get(i + 1), Some(b'/' | b'*'))
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

/// The item of an object frame ends at `end` (exclusive).
fn end_item(frame: &mut Frame, end: usize) {
    if let Frame::Object { keys, current, .. } = frame {
        if let Some(item) = current.take().and_then(|k| keys.get_mut(k)) {
            item.1 = end;
        }
    }
}

/// `text` with every earlier item of a repeated identifier key of an object blanked out, or
/// None when no object repeats a key.
pub fn blank_repeated_keys(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut stack: Vec<Frame> = vec![Frame::Body { in_expr: false }];
    let mut blanks: Vec<(usize, usize)> = Vec::new();
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
        // Anything but blanks, separators and comments ends an item's start unless it starts an
        // identifier (handled below): a quoted or computed key, or a value.
        let blank = matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b',' | b'#') || starts_comment(b, i);
        if let Frame::Object { item_start, .. } = &mut stack[top] {
            if !blank && !ident_start(text[i..].chars().next().unwrap_or(' ')) {
                *item_start = false;
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
                    _ => Frame::Object {
                        keys: HashMap::new(),
                        item_start: true,
                        current: None,
                        for_expr: false,
                    },
                };
                stack.push(frame);
            }
            b'(' | b'[' => stack.push(Frame::Group),
            b')' | b']' | b'}' => {
                if stack.len() > 1 {
                    end_item(&mut stack[top], i);
                    stack.pop();
                }
            }
            b'\n' => {
                end_item(&mut stack[top], i);
                match &mut stack[top] {
                    Frame::Body { in_expr } => *in_expr = false,
                    Frame::Object { item_start, .. } => *item_start = true,
                    _ => {}
                }
            }
            b',' => {
                // A comma goes with the item before it.
                end_item(&mut stack[top], i + 1);
                if let Frame::Object { item_start, .. } = &mut stack[top] {
                    *item_start = true;
                }
            }
            b'=' => {
                if let Frame::Body { in_expr } = &mut stack[top] {
                    *in_expr = true;
                }
            }
            b' ' | b'\t' | b'\r' => {}
            _ => {
                if let Frame::Object {
                    keys,
                    item_start,
                    current,
                    for_expr,
                } = &mut stack[top]
                {
                    if std::mem::take(item_start) {
                        let start_char = text[i..].chars().next().unwrap_or(' ');
                        if ident_start(start_char) {
                            let end = i + text[i..]
                                .find(|ch: char| !ident_char(ch))
                                .unwrap_or(text.len() - i);
                            let key = &text[i..end];
                            let rest = text[end..].trim_start_matches([' ', '\t']).as_bytes();
                            let assigns = match rest {
                                [b'=', b'=' | b'>', ..] => false,
                                [b'=' | b':', ..] => true,
                                _ => false,
                            };
                            if key == "for" && keys.is_empty() && !assigns {
                                *for_expr = true;
                            } else if assigns && !*for_expr {
                                *current = Some(key);
                                if let Some((start, end)) = keys.insert(key, (i, usize::MAX)) {
                                    if end != usize::MAX {
                                        blanks.push((start, end));
                                    }
                                }
                            }
                            i = end;
                            continue;
                        }
                    }
                }
            }
        }
        i += char_len(c);
    }
    if blanks.is_empty() {
        return None;
    }
    let mut out = text.as_bytes().to_vec();
    for (start, end) in blanks {
        for x in &mut out[start..end.min(b.len())] {
            if !matches!(*x, b'\n' | b'\r') {
                *x = b' ';
            }
        }
    }
    // Items start and end at ASCII characters, so whole characters became spaces: UTF-8 still.
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

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
            "x = { \"a\" = 1, \"a\" = 2 }\n",
        ] {
            assert_eq!(blank_repeated_keys(text), None, "{text}");
        }
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
