//! Escaping at the output edges: one function per kind of output. Every text that comes from
//! the input (file names, resource names, AZs, messages that embed such values, source lines)
//! goes through the function of the output it is written to; the renderers' own markup
//! (colour codes, newlines between lines, table pipes) does not.

use std::borrow::Cow;

/// Characters a terminal or a log viewer may act on: C0 controls, DEL, C1 controls, and the
/// bidirectional overrides and isolates that reorder what is shown (the set rustc's
/// `text_direction_codepoint_in_literal` lint rejects). Tab is not among them: it only moves
/// the cursor forward.
pub fn is_unsafe_for_terminal(c: char) -> bool {
    matches!(c, '\0'..='\u{8}' | '\u{a}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// How a character that may not be written raw is shown: `\u{1b}`.
pub fn visible(c: char) -> String {
    format!("\\u{{{:x}}}", c as u32)
}

fn replace_chars(
    s: &str,
    unsafe_char: impl Fn(char) -> bool,
    with: impl Fn(char, &mut String),
) -> Cow<'_, str> {
    let Some(first) = s.find(&unsafe_char) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + 16);
    out.push_str(&s[..first]);
    for c in s[first..].chars() {
        if unsafe_char(c) {
            with(c, &mut out);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Text for a terminal (human, concise, capacity, stderr): every character of
/// [`is_unsafe_for_terminal`] (newline and carriage return included) is shown as `\u{..}`, so
/// one value is one line and can neither move the cursor nor colour, retitle or link anything.
pub fn terminal(s: &str) -> Cow<'_, str> {
    replace_chars(s, is_unsafe_for_terminal, |c, out| {
        out.push_str(&visible(c))
    })
}

/// Data of a GitHub workflow command (`::error ...::DATA`), as @actions/core `escapeData`.
pub fn workflow_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value of a workflow command (`file=...`), as @actions/core `escapeProperty`.
pub fn workflow_property(s: &str) -> String {
    workflow_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// How [`workflow_inert`] writes the characters it breaks, so the document means the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inert {
    /// For the `[` of `##[`.
    pub bracket: &'static str,
    /// For the first `:` of a line that starts with `::`.
    pub colon: &'static str,
}

impl Inert {
    /// Plain text and Markdown: a backslash (a Markdown escape, shown as is elsewhere).
    pub const TEXT: Inert = Inert {
        bracket: "\\[",
        colon: "\\:",
    };
    /// JSON (only strings can hold these): `\u` escapes.
    pub const JSON: Inert = Inert {
        bracket: "\\u005b",
        colon: "\\u003a",
    };
    /// XML: character references.
    pub const XML: Inert = Inert {
        bracket: "&#91;",
        colon: "&#58;",
    };
}

/// Text for an Actions log that the runner must not take for workflow commands: it runs a
/// line as a command when it starts with `::` after leading white space, or when it contains
/// `##[` (the old syntax, anywhere in the line). Both are broken as `how` says. Lines are split
/// where the runner splits them, at `\n` and `\r`.
pub fn workflow_inert(text: &str, how: Inert) -> Cow<'_, str> {
    let starts_command = |line: &str| line.trim_start().starts_with("::");
    if !text.contains("##[") && !text.split(['\n', '\r']).any(starts_command) {
        return Cow::Borrowed(text);
    }
    let bracket = format!("##{}", how.bracket);
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    loop {
        let end = rest.find(['\n', '\r']).map_or(rest.len(), |i| i + 1);
        let (line, tail) = rest.split_at(end);
        let body = line.trim_start();
        out.push_str(&line[..line.len() - body.len()]);
        let body = match body.strip_prefix(':').filter(|b| b.starts_with(':')) {
            Some(b) => {
                out.push_str(how.colon);
                b
            }
            None => body,
        };
        out.push_str(&body.replace("##[", &bracket));
        if tail.is_empty() {
            break;
        }
        rest = tail;
    }
    Cow::Owned(out)
}

/// Markdown text (a table cell or a paragraph; GitHub comments and job summaries). Raw HTML and
/// entities are escaped; `[`, `]`, `` ` ``, `|` and `\` are backslash-escaped, so values make no
/// links, images, code spans or table cells (emphasis is harmless and left alone: `_` is in
/// most names); `@` is followed by a zero-width space, so `@user` and `@org/team` mention
/// nobody; controls and newlines are shown as `\u{..}`, so a value never ends a table row.
pub fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '@' => out.push_str("@&#8203;"),
            '[' | ']' | '`' | '|' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if is_unsafe_for_terminal(c) => out.push_str(&visible(c)),
            c => out.push(c),
        }
    }
    out
}

/// A Markdown code span holding `s` literally, safe in a table cell: the fence is one backtick
/// longer than the longest run of backticks in `s`, `|` is escaped (GitHub tables split cells
/// at unescaped pipes even inside code), and controls and newlines are shown as `\u{..}`.
/// Inside a code span nothing else is markup: no HTML, links or mentions.
pub fn markdown_code(s: &str) -> String {
    let body = replace_chars(
        s,
        |c| c == '|' || is_unsafe_for_terminal(c),
        |c, out| {
            if c == '|' {
                out.push_str("\\|");
            } else {
                out.push_str(&visible(c));
            }
        },
    );
    let mut longest = 0;
    let mut run = 0;
    for c in body.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    // A space on both sides keeps a leading or trailing backtick off the fence (and is
    // stripped again by the parser).
    let pad = if body.starts_with('`') || body.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{body}{pad}{fence}")
}

/// Text of an eks-lint message in Markdown: messages quote values in backticks, so backtick
/// pairs become code spans ([`markdown_code`]) and the text between them [`markdown`]. A value
/// holding backticks only changes where code starts and ends; everything stays escaped.
pub fn markdown_message(s: &str) -> String {
    let parts: Vec<&str> = s.split('`').collect();
    let mut out = String::with_capacity(s.len() + 16);
    for (i, part) in parts.iter().enumerate() {
        let code = i % 2 == 1;
        if code && i + 1 < parts.len() {
            out.push_str(&markdown_code(part));
        } else {
            if code {
                // An unpaired backtick: literal.
                out.push_str("\\`");
            }
            out.push_str(&markdown(part));
        }
    }
    out
}

/// Whether XML 1.0 allows `c` at all (even as a character reference): tab, newline, carriage
/// return, and U+0020 on except the surrogates (which Rust strings cannot hold) and U+FFFE and
/// U+FFFF.
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && !matches!(c, '\u{fffe}' | '\u{ffff}'))
}

/// Text or an attribute value in XML (JUnit). `<>&"'` become entities; line ends become
/// character references (a value keeps them inside attributes, and never starts a line of the
/// file); other controls (C0 ones XML 1.0 forbids even as references, and DEL, C1 and bidi
/// ones terminals act on) are shown as `\u{..}`; U+FFFE and U+FFFF, which XML forbids too,
/// become U+FFFD.
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if is_unsafe_for_terminal(c) => out.push_str(&visible(c)),
            c if !is_xml_char(c) => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// A `serde_json` formatter that also writes DEL, C1 controls and bidirectional overrides as
/// `\uXXXX` (serde_json escapes only `"`, `\` and C0 controls): the document means the same,
/// and printing it to a terminal cannot act on them.
pub struct JsonFormatter<F>(pub F);

impl<F: serde_json::ser::Formatter> serde_json::ser::Formatter for JsonFormatter<F> {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if is_unsafe_for_terminal(c) {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                write!(writer, "\\u{:04x}", c as u32)?;
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    // Everything else is the wrapped formatter's (pretty or compact).
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn end_object_key<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_key(w)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// `serde_json::to_string_pretty` through [`JsonFormatter`] (same layout).
pub fn json_pretty<T: serde::Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let mut buf = Vec::with_capacity(256);
    let mut ser = serde_json::Serializer::with_formatter(
        &mut buf,
        JsonFormatter(serde_json::ser::PrettyFormatter::new()),
    );
    value.serialize(&mut ser)?;
    // The formatter writes only what serde_json and the escapes above produce: UTF-8.
    Ok(String::from_utf8(buf).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every hostile character class the issue lists.
    const HOSTILE: &str = "a\n::error::x\rb\u{1b}[31mred\u{1b}]8;;http://e\u{7}\u{9b}c\u{85}\u{202e}d\u{2066}\u{7f}\t|";

    #[test]
    fn terminal_shows_controls_and_bidi_as_escapes() {
        let t = terminal(HOSTILE);
        assert!(!t.chars().any(is_unsafe_for_terminal), "{t}");
        assert_eq!(
            t,
            "a\\u{a}::error::x\\u{d}b\\u{1b}[31mred\\u{1b}]8;;http://e\\u{7}\\u{9b}c\\u{85}\\u{202e}d\\u{2066}\\u{7f}\t|"
        );
        assert!(matches!(terminal("plain ünï 𝄞\ttab"), Cow::Borrowed(_)));
        // Zero-width and other format characters that do not reorder text are left alone.
        assert_eq!(terminal("a\u{200b}b\u{200e}"), "a\u{200b}b\u{200e}");
    }

    #[test]
    fn workflow_escaping_follows_the_toolkit() {
        // @actions/core command.ts: escapeData and escapeProperty.
        assert_eq!(workflow_data("a%b\r\nc:d,e"), "a%25b%0D%0Ac:d,e");
        assert_eq!(workflow_property("a%b\r\nc:d,e"), "a%25b%0D%0Ac%3Ad%2Ce");
        assert_eq!(workflow_data("%0A"), "%250A");
    }

    #[test]
    fn workflow_inert_breaks_both_command_syntaxes() {
        let t = |s| workflow_inert(s, Inert::TEXT).into_owned();
        assert_eq!(t("plain\nline"), "plain\nline");
        assert_eq!(
            t("ok\n  ::error::x\n::warning file=a::y"),
            "ok\n  \\::error::x\n\\::warning file=a::y"
        );
        assert_eq!(
            t("text ##[set-output name=a]b"),
            "text ##\\[set-output name=a]b"
        );
        assert_eq!(t("a\r::x::y"), "a\r\\::x::y");
        // U+2003 (em space) is white space for the runner's TrimStart too.
        assert_eq!(t("\u{2003}::x::"), "\u{2003}\\::x::");
        for how in [Inert::TEXT, Inert::JSON, Inert::XML] {
            for s in [HOSTILE, "::a\n::b\r\n ::c", "##[##[x"] {
                let out = workflow_inert(s, how);
                for line in out.split(['\n', '\r']) {
                    assert!(!line.trim_start().starts_with("::"), "{line:?}");
                    assert!(!line.contains("##["), "{line:?}");
                }
            }
        }
        // The document means the same.
        let json = serde_json::to_string(&["##[add-mask]x"]).unwrap();
        let inert = workflow_inert(&json, Inert::JSON);
        assert_eq!(
            serde_json::from_str::<Vec<String>>(&inert).unwrap(),
            ["##[add-mask]x"]
        );
        let xml = "<a b=\"##[x]\">\n::c</a>";
        let inert = workflow_inert(xml, Inert::XML);
        assert_eq!(inert, "<a b=\"##&#91;x]\">\n&#58;:c</a>");
    }

    #[test]
    fn markdown_neutralises_html_links_images_mentions_and_rows() {
        assert_eq!(
            markdown("<img src=x onerror=alert(1)> & \"q\""),
            "&lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(
            markdown("![x](http://evil) [y](z)"),
            "!\\[x\\](http://evil) \\[y\\](z)"
        );
        assert_eq!(markdown("@org/team @me"), "@&#8203;org/team @&#8203;me");
        assert_eq!(markdown("a|b\nc\\"), "a\\|b\\u{a}c\\\\");
        assert_eq!(markdown("*_~`"), "*_~\\`");
        assert!(!markdown(HOSTILE).chars().any(is_unsafe_for_terminal));
    }

    #[test]
    fn markdown_code_spans_hold_any_text() {
        assert_eq!(markdown_code("general"), "`general`");
        assert_eq!(markdown_code("a`b"), "``a`b``");
        assert_eq!(markdown_code("`x"), "`` `x ``");
        assert_eq!(markdown_code("a|b\n"), "`a\\|b\\u{a}`");
        assert_eq!(markdown_code("<img>@x"), "`<img>@x`");
    }

    #[test]
    fn markdown_messages_keep_code_spans() {
        assert_eq!(
            markdown_message("node group `web` has @x"),
            "node group `web` has @&#8203;x"
        );
        assert_eq!(
            markdown_message("group `<b>` and `a` `"),
            "group `<b>` and `a` \\`"
        );
        assert_eq!(markdown_message("`![x](y)`"), "`![x](y)`");
    }

    #[test]
    fn xml_escapes_markup_and_drops_forbidden_characters() {
        assert_eq!(
            xml("<a href='x'>&\"</a>"),
            "&lt;a href=&apos;x&apos;&gt;&amp;&quot;&lt;/a&gt;"
        );
        assert_eq!(
            xml("a\u{fffe}b\u{ffff}c\u{0}d\u{1b}"),
            "a\u{fffd}b\u{fffd}c\\u{0}d\\u{1b}"
        );
        assert_eq!(xml("l1\nl2\r\tt"), "l1&#10;l2&#13;\tt");
        assert_eq!(xml("\u{85}\u{202e}"), "\\u{85}\\u{202e}");
        assert!(xml(HOSTILE)
            .chars()
            .all(|c| is_xml_char(c) && !is_unsafe_for_terminal(c) || c == '\t'));
    }

    #[test]
    fn json_formatter_escapes_what_serde_json_leaves_raw() {
        let v = serde_json::json!({ "k\u{9b}": ["a\u{1b}b\u{85}\u{202e}\u{7f}é\n\"", 1] });
        let s = json_pretty(&v).unwrap();
        assert!(
            !s.chars().any(|c| is_unsafe_for_terminal(c) && c != '\n'),
            "{s}"
        );
        assert!(
            s.contains("\\u009b") && s.contains("\\u001b") && s.contains("\\u202e"),
            "{s}"
        );
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
        // The same layout as serde_json's pretty printer.
        let plain = serde_json::json!({"a": [1, {"b": "c"}], "d": null});
        assert_eq!(
            json_pretty(&plain).unwrap(),
            serde_json::to_string_pretty(&plain).unwrap()
        );
    }
}
