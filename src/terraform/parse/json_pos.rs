//! Where each key and string of a JSON text is written. serde_json's `Value` keeps neither
//! positions nor document order, and searching the text for each key from its parent's
//! position costs the text's length per key (n² for an object of n keys); one scan of the
//! text, already checked by serde_json, records them instead.

use std::borrow::Cow;
use std::collections::HashMap;

#[derive(Debug)]
pub enum Pos<'a> {
    /// Each key (unescaped; the last of a repeated key, as serde_json keeps): the offset of
    /// its opening quote, and its value.
    Object(HashMap<Cow<'a, str>, (usize, Pos<'a>)>),
    Array(Vec<Pos<'a>>),
    /// A string: the offset of its opening quote and its length as written, quotes included.
    Str(usize, usize),
    Other,
}

static OTHER: Pos<'static> = Pos::Other;

impl<'a> Pos<'a> {
    /// The position of `key` and of its value, in an object.
    pub fn get(&self, key: &str) -> Option<(usize, &Pos<'a>)> {
        match self {
            Pos::Object(m) => m.get(key).map(|(at, v)| (*at, v)),
            _ => None,
        }
    }

    /// Element `i` of an array (or nothing known).
    pub fn item(&self, i: usize) -> &Pos<'a> {
        match self {
            Pos::Array(v) => v.get(i).unwrap_or(&OTHER),
            _ => &OTHER,
        }
    }

    pub fn other() -> &'static Pos<'static> {
        &OTHER
    }
}

/// The positions in `text`, a JSON document serde_json accepted (so nesting is bounded by its
/// recursion limit and the syntax is valid; anything else still ends without panicking).
pub fn scan(text: &str) -> Pos<'_> {
    Scanner { text, i: 0 }.value()
}

struct Scanner<'a> {
    text: &'a str,
    i: usize,
}

impl<'a> Scanner<'a> {
    fn peek(&self) -> u8 {
        self.text.as_bytes().get(self.i).copied().unwrap_or(0)
    }

    fn ws(&mut self) {
        while matches!(self.peek(), b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    /// A string at the current quote: its text between the quotes, and whether it escapes.
    fn string(&mut self) -> (usize, bool) {
        let start = self.i;
        self.i += 1;
        let mut escapes = false;
        loop {
            match self.peek() {
                0 => break,
                b'\\' => {
                    escapes = true;
                    self.i += 2;
                }
                b'"' => {
                    self.i += 1;
                    break;
                }
                _ => self.i += 1,
            }
        }
        self.i = self.i.min(self.text.len());
        (start, escapes)
    }

    fn key(&self, start: usize, escapes: bool) -> Cow<'a, str> {
        let quoted = self.text.get(start..self.i).unwrap_or("\"\"");
        if escapes {
            Cow::Owned(serde_json::from_str::<String>(quoted).unwrap_or_default())
        } else {
            Cow::Borrowed(quoted.get(1..quoted.len().saturating_sub(1)).unwrap_or(""))
        }
    }

    fn value(&mut self) -> Pos<'a> {
        self.ws();
        match self.peek() {
            b'{' => {
                self.i += 1;
                let mut m = HashMap::new();
                loop {
                    self.ws();
                    match self.peek() {
                        b'"' => {}
                        b',' => {
                            self.i += 1;
                            continue;
                        }
                        b'}' => {
                            self.i += 1;
                            break;
                        }
                        _ => break,
                    }
                    let (at, escapes) = self.string();
                    let key = self.key(at, escapes);
                    self.ws();
                    if self.peek() == b':' {
                        self.i += 1;
                    }
                    let v = self.value();
                    m.insert(key, (at, v));
                }
                Pos::Object(m)
            }
            b'[' => {
                self.i += 1;
                let mut v = Vec::new();
                loop {
                    self.ws();
                    match self.peek() {
                        b',' => self.i += 1,
                        b']' => {
                            self.i += 1;
                            break;
                        }
                        0 => break,
                        _ => v.push(self.value()),
                    }
                }
                Pos::Array(v)
            }
            b'"' => {
                let (at, _) = self.string();
                Pos::Str(at, self.i - at)
            }
            0 => Pos::Other,
            _ => {
                // A number, `true`, `false` or `null`.
                let rest = &self.text.as_bytes()[self.i..];
                let n = rest
                    .iter()
                    .position(|b| matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
                    .unwrap_or(rest.len());
                self.i += n.max(1);
                Pos::Other
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_strings_where_written() {
        let text = r#" {"a": {"b": ["x", "x", 1, true]}, "c\u0041": "é\n", "d": null, "a2": {}} "#;
        let p = scan(text);
        let (at, a) = p.get("a").unwrap();
        assert_eq!(&text[at..at + 3], "\"a\"");
        let (_, b) = a.get("b").unwrap();
        let Pos::Str(x1, n) = b.item(1) else { panic!() };
        assert_eq!(&text[*x1..*x1 + n], "\"x\"");
        assert!(
            *x1 > text.find("\"x\"").unwrap(),
            "the second \"x\", not the first"
        );
        let (at, s) = p.get("cA").unwrap();
        assert_eq!(&text[at..at + 9], "\"c\\u0041\"");
        let Pos::Str(s, n) = s else { panic!() };
        assert_eq!(&text[*s..*s + n], "\"é\\n\"");
        assert!(matches!(p.get("d"), Some((_, Pos::Other))));
        assert!(p.get("zz").is_none());
        assert!(matches!(b.item(9), Pos::Other));
    }

    #[test]
    fn repeated_keys_keep_the_last_like_serde_json() {
        let text = r#"{"k": "a", "k": "b"}"#;
        let (at, _) = scan(text).get("k").unwrap();
        assert_eq!(at, text.rfind("\"k\"").unwrap());
    }

    #[test]
    fn broken_text_never_panics() {
        for t in ["", "{", "[", "\"", "{\"a\"", "{\"a\":", "[1,", "{\"\\", "é"] {
            let _ = scan(t);
        }
    }
}
