//! Architecture checks: they hold the layered design of `src/` in place.
//!
//! Three rules, each read from the source text of every `src/**/*.rs` file:
//!
//! 1. No dependency cycle among the files of `src/` (a file-level module graph, strongly
//!    connected components by Tarjan's algorithm).
//! 2. No source file over [`MAX_FILE_LINES`] lines.
//! 3. No function body over [`MAX_FN_LINES`] lines, unless it is a table listed in
//!    [`TABLE_FNS`] with a reason.
//!
//! The redesign is under way, so today's violations are listed in [`KNOWN_CYCLES`],
//! [`KNOWN_LONG_FILES`] and [`KNOWN_LONG_FNS`]. A check fails when a new violation appears,
//! when a known one gets worse (a cycle takes in a new edge, a long file or function grows),
//! or when a known one is fixed but still listed: the lists only shrink.
//!
//! **Goal state: `KNOWN_CYCLES`, `KNOWN_LONG_FILES` and `KNOWN_LONG_FNS` are all empty.**
//!
//! # How the graph is derived
//!
//! The files are lexed by hand (comments, doc comments, string, raw-string and char literals
//! dropped), not parsed with `syn`: the rules only need `use` trees, `a::b` paths, `mod`
//! declarations, attributes and brace extents, all visible in the token stream, and `syn`
//! would add a dependency, need `proc-macro2`'s `span-locations` for line numbers and still
//! give nothing for the brace-matching rule. Every `use` tree (grouped, `pub use`, `as`,
//! `self`, globs, inside function bodies too) and every inline path (`crate::a::f(..)`,
//! `super::x::Y`, `self::..`, `eks_lint::..` from `main.rs`, a child module's name, or a
//! module imported by `use`) is resolved against the module tree the file layout gives
//! (`src/a/b.rs` or `src/a/b/mod.rs` is module `a::b`) and walked as far as files exist: a
//! path to an item maps to the file of the module that holds it. `mod x;` itself is no edge.
//! `#[cfg(test)]` items (and files only declared under `#[cfg(test)]`) are left out.
//!
//! Blind spots: dependencies that are never named by a path (a method called on a value whose
//! type comes from another module, trait dispatch) make no edge; code generated into
//! `OUT_DIR` and pulled in by `include!` is not read; an item re-exported by `pub use` maps
//! to the re-exporting module, not to where it is defined; a module imported by `use`
//! counts as an alias for the rest of its file, not just its scope; paths a macro builds from
//! its arguments are seen only as written; `cfg(any(test, ..))` counts as product code;
//! `#[path]` is not followed, and `main.rs` must declare no modules (checked).
//!
//! `cargo test --test architecture -- --nocapture` prints a summary; with
//! `ARCHITECTURE_DUMP=1` it also prints every edge with its names and the longest functions.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::OnceLock;

/// Rule 2: the longest a file in `src/` may be (all lines count).
const MAX_FILE_LINES: usize = 800;
/// Rule 3: the longest a function body may be, from its `{` line to its `}` line.
const MAX_FN_LINES: usize = 150;
/// The graph must be at least this big, or the parser has gone blind (about 90% of the 109
/// files and 470 edges when the floor was set: refactors move edges, a blind parser loses
/// nearly all).
const MIN_FILES: usize = 100;
const MIN_EDGES: usize = 420;

/// Today's dependency cycles, as the edges `"from -> to"` (paths relative to `src/`) that lie on
/// a cycle. A failure prints each cycle as `a.rs -> b.rs -> a.rs` with the names creating each
/// edge. An edge not listed here that closes a cycle fails; a listed one that no longer does
/// fails too ("remove .. from KNOWN_CYCLES"). Goal: empty.
const KNOWN_CYCLES: &[&str] = &[];

/// Today's files over `MAX_FILE_LINES`, with their line count today. Goal: empty.
const KNOWN_LONG_FILES: &[(&str, usize)] = &[];

/// Today's functions over `MAX_FN_LINES`, named `file::Type::fn` (nested functions as
/// `outer::inner`), with their body's line count today. Goal: empty.
const KNOWN_LONG_FNS: &[(&str, usize)] = &[];

/// Functions whose body is a table (a `match` of literal arms, a static array) and may be long.
/// Each needs a reason, and most of its lines must look like table entries.
const TABLE_FNS: &[(&str, &str)] = &[];

// ---------------------------------------------------------------------------------------------
// Lexer: the token stream of a Rust file, without comments or the contents of literals.

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    /// An identifier or keyword; a raw identifier keeps its `r#`.
    Ident(String),
    /// `::`
    PathSep,
    Punct(char),
    /// A string, char or number literal (its text is dropped).
    Lit,
    Lifetime,
}

#[derive(Clone, Debug)]
struct Token {
    tok: Tok,
    line: usize,
}

fn is_ident_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}

fn is_ident_char(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

fn lex(src: &str) -> Vec<Token> {
    let s: Vec<char> = src.chars().collect();
    let at = |i: usize| s.get(i).copied().unwrap_or('\0');
    let (mut i, mut line, mut out) = (0usize, 1usize, Vec::new());
    // Skips a quoted literal whose opening quote is at `i`; returns the index past it.
    let skip_quoted = |mut i: usize, line: &mut usize| {
        i += 1;
        while i < s.len() && s[i] != '"' {
            if s[i] == '\\' {
                i += 1;
            }
            if at(i) == '\n' {
                *line += 1;
            }
            i += 1;
        }
        i + 1
    };
    while i < s.len() {
        let (c, start_line) = (s[i], line);
        let mut push = |tok| {
            out.push(Token {
                tok,
                line: start_line,
            })
        };
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && at(i + 1) == '/' {
            while i < s.len() && s[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0usize;
            while i < s.len() {
                if s[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if s[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    line += usize::from(s[i] == '\n');
                    i += 1;
                }
            }
        } else if is_ident_start(c) {
            let start = i;
            while i < s.len() && is_ident_char(s[i]) {
                i += 1;
            }
            let word: String = s[start..i].iter().collect();
            let hashes = s[i..].iter().take_while(|&&h| h == '#').count();
            if matches!(word.as_str(), "r" | "br" | "cr") && at(i + hashes) == '"' {
                // Raw string: ends at a quote followed by as many hashes.
                i += hashes + 1;
                loop {
                    if i >= s.len() {
                        break;
                    }
                    if s[i] == '"' && (1..=hashes).all(|k| at(i + k) == '#') {
                        i += hashes + 1;
                        break;
                    }
                    line += usize::from(s[i] == '\n');
                    i += 1;
                }
                push(Tok::Lit);
            } else if word == "r" && hashes == 1 && is_ident_start(at(i + 1)) {
                let start = i + 1;
                i += 1;
                while i < s.len() && is_ident_char(s[i]) {
                    i += 1;
                }
                push(Tok::Ident(format!(
                    "r#{}",
                    s[start..i].iter().collect::<String>()
                )));
            } else if matches!(word.as_str(), "b" | "c") && at(i) == '"' {
                i = skip_quoted(i, &mut line);
                push(Tok::Lit);
            } else if word == "b" && at(i) == '\'' {
                i += if at(i + 1) == '\\' { 2 } else { 1 };
                i += 1;
                while i < s.len() && s[i] != '\'' {
                    i += 1;
                }
                i += 1;
                push(Tok::Lit);
            } else {
                push(Tok::Ident(word));
            }
        } else if c == '"' {
            i = skip_quoted(i, &mut line);
            push(Tok::Lit);
        } else if c == '\'' {
            if at(i + 1) == '\\' {
                i += 3;
                while i < s.len() && s[i] != '\'' {
                    i += 1;
                }
                i += 1;
                push(Tok::Lit);
            } else if at(i + 2) == '\'' {
                i += 3;
                push(Tok::Lit);
            } else {
                i += 1;
                while i < s.len() && is_ident_char(s[i]) {
                    i += 1;
                }
                push(Tok::Lifetime);
            }
        } else if c.is_ascii_digit() {
            while i < s.len()
                && (is_ident_char(s[i]) || (s[i] == '.' && at(i + 1).is_ascii_digit()))
            {
                i += 1;
            }
            push(Tok::Lit);
        } else if c == ':' && at(i + 1) == ':' {
            i += 2;
            push(Tok::PathSep);
        } else {
            i += 1;
            push(Tok::Punct(c));
        }
    }
    out
}

fn ident(t: Option<&Token>) -> Option<&str> {
    match t.map(|t| &t.tok) {
        Some(Tok::Ident(s)) => Some(s),
        _ => None,
    }
}

fn is_punct(t: Option<&Token>, c: char) -> bool {
    matches!(t.map(|t| &t.tok), Some(Tok::Punct(p)) if *p == c)
}

/// The index of the bracket closing the one at `open` (or the end).
fn matching_close(toks: &[Token], open: usize) -> usize {
    let (o, c) = match toks[open].tok {
        Tok::Punct('(') => ('(', ')'),
        Tok::Punct('[') => ('[', ']'),
        _ => ('{', '}'),
    };
    let mut depth = 0usize;
    for (j, t) in toks.iter().enumerate().skip(open) {
        if t.tok == Tok::Punct(o) {
            depth += 1;
        } else if t.tok == Tok::Punct(c) {
            depth -= 1;
            if depth == 0 {
                return j;
            }
        }
    }
    toks.len() - 1
}

/// From an item's first token, the index of its body's `{`, or `None` if a `;` ends it first
/// (parentheses and brackets are skipped, so `[u8; 4]` and `Fn(u8)` do not confuse it).
fn body_open(toks: &[Token], from: usize) -> Option<usize> {
    let mut j = from;
    while j < toks.len() {
        match toks[j].tok {
            Tok::Punct('(') | Tok::Punct('[') => j = matching_close(toks, j),
            Tok::Punct('{') => return Some(j),
            Tok::Punct(';' | ',' | '}') => return None,
            _ => {}
        }
        j += 1;
    }
    None
}

/// From `from`, the index of the first `;`, `,` or `}` outside brackets (or the end).
fn item_stop(toks: &[Token], from: usize) -> usize {
    let mut j = from;
    while j < toks.len() {
        match toks[j].tok {
            Tok::Punct('(' | '[' | '{') => j = matching_close(toks, j),
            Tok::Punct(';' | ',' | '}') => return j,
            _ => {}
        }
        j += 1;
    }
    j
}

/// If an attribute `#[..]`/`#![..]` starts at `i`: the index past it and whether it is
/// `cfg(test)` (or `cfg(all(.., test, ..))`).
fn attribute(toks: &[Token], i: usize) -> Option<(usize, bool)> {
    if !is_punct(toks.get(i), '#') {
        return None;
    }
    let open = if is_punct(toks.get(i + 1), '!') {
        i + 2
    } else {
        i + 1
    };
    if !is_punct(toks.get(open), '[') {
        return None;
    }
    let close = matching_close(toks, open);
    let inner = &toks[open + 1..close];
    let words: Vec<&str> = inner.iter().filter_map(|t| ident(Some(t))).collect();
    let test = words.first() == Some(&"cfg")
        && words.contains(&"test")
        && !words.iter().any(|w| matches!(*w, "not" | "any"));
    Some((close + 1, test))
}

/// The index past an item starting at `i` (after its attributes): its `;` or its body's `}`.
/// A field or match arm (`#[cfg(test)] x: u8,`) ends before its `,` or the closing `}`.
fn item_end(toks: &[Token], i: usize) -> usize {
    match body_open(toks, i) {
        Some(open) => matching_close(toks, open) + 1,
        None => {
            let stop = item_stop(toks, i);
            stop + usize::from(is_punct(toks.get(stop), ';'))
        }
    }
}

/// If `mod NAME` (after visibility) starts at `i`: its name and whether it is `mod NAME;`.
fn mod_decl(toks: &[Token], mut i: usize) -> Option<(String, bool)> {
    if ident(toks.get(i)) == Some("pub") {
        i += 1;
        if is_punct(toks.get(i), '(') {
            i = matching_close(toks, i) + 1;
        }
    }
    if ident(toks.get(i)) != Some("mod") {
        return None;
    }
    let name = ident(toks.get(i + 1))?.to_string();
    Some((name, is_punct(toks.get(i + 2), ';')))
}

// ---------------------------------------------------------------------------------------------
// `use` trees.

/// One path a `use` tree expands to: its segments (a trailing `self` dropped), whether it
/// ends in a glob, and the local name it binds (`as` alias or last segment).
#[derive(Clone, Debug, PartialEq)]
struct UsePath {
    segs: Vec<String>,
    glob: bool,
    alias: Option<String>,
}

/// Expands the `use` tree starting at `i` (just after `use`) up to its `;`; returns the paths
/// and the index past the `;`.
fn parse_use(toks: &[Token], i: usize) -> (Vec<UsePath>, usize) {
    let mut out = Vec::new();
    let mut j = i;
    if toks.get(j).map(|t| &t.tok) == Some(&Tok::PathSep) {
        out.push(UsePath {
            segs: vec!["::".into()],
            glob: false,
            alias: None,
        });
        j += 1;
    }
    use_tree(toks, &mut j, Vec::new(), &mut out);
    while j < toks.len() && !is_punct(toks.get(j), ';') {
        j += 1;
    }
    (out, j + 1)
}

fn use_tree(toks: &[Token], j: &mut usize, mut prefix: Vec<String>, out: &mut Vec<UsePath>) {
    loop {
        match toks.get(*j).map(|t| &t.tok) {
            Some(Tok::Ident(name)) => {
                prefix.push(name.clone());
                *j += 1;
                if toks.get(*j).map(|t| &t.tok) == Some(&Tok::PathSep) {
                    *j += 1;
                    continue;
                }
                let mut alias = None;
                if ident(toks.get(*j)) == Some("as") {
                    alias = ident(toks.get(*j + 1)).map(str::to_string);
                    *j += 2;
                }
                if prefix.last().map(String::as_str) == Some("self") {
                    prefix.pop();
                }
                let alias = alias.or_else(|| prefix.last().cloned());
                out.push(UsePath {
                    segs: prefix,
                    glob: false,
                    alias,
                });
                return;
            }
            Some(Tok::Punct('*')) => {
                *j += 1;
                out.push(UsePath {
                    segs: prefix,
                    glob: true,
                    alias: None,
                });
                return;
            }
            Some(Tok::Punct('{')) => {
                *j += 1;
                while *j < toks.len() && !is_punct(toks.get(*j), '}') {
                    use_tree(toks, j, prefix.clone(), out);
                    if is_punct(toks.get(*j), ',') {
                        *j += 1;
                    }
                }
                *j += 1;
                return;
            }
            _ => return,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The module tree and path resolution.

type ModPath = Vec<String>;

/// A file's module path from its path relative to `src/`: `a/b.rs` and `a/b/mod.rs` are
/// `a::b`; `lib.rs` and `main.rs` are their crate's root.
fn module_of(rel: &str) -> ModPath {
    let rel = rel.strip_suffix(".rs").unwrap_or(rel);
    let mut segs: ModPath = rel.split('/').map(str::to_string).collect();
    if matches!(
        segs.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        segs.pop();
    }
    segs
}

/// The file modules of the library crate. Inline modules are not in it: a path into one maps
/// to the file that holds it, as the walk stops there.
struct Tree {
    /// Module path → index of the file holding it, for the library crate.
    modules: BTreeMap<ModPath, usize>,
    /// The library crate's name as code outside it spells it (`eks_lint`).
    lib_name: String,
}

impl Tree {
    /// The file of a module: the longest prefix of `m` that is a known module.
    fn file_of(&self, m: &[String]) -> Option<usize> {
        (0..=m.len())
            .rev()
            .find_map(|n| self.modules.get(&m[..n]).copied())
    }

    fn is_module(&self, m: &[String]) -> bool {
        self.modules.contains_key(m)
    }

    /// Resolves a path written in module `here` (with the file's module aliases) to a module
    /// path: the base (`crate`, `super`, `self`, the library's name, an alias or a child
    /// module), then as many following segments as name modules. `None` for paths into other
    /// crates (and, in the binary, which has no modules, for paths into itself). The flag
    /// says whether every segment named a module (a module import).
    fn resolve(
        &self,
        segs: &[String],
        here: &[String],
        aliases: &BTreeMap<String, ModPath>,
        bin: bool,
    ) -> Option<(ModPath, bool)> {
        let first = segs.first()?;
        let (mut cur, mut rest): (ModPath, &[String]) = match first.as_str() {
            f if f == self.lib_name => (Vec::new(), &segs[1..]),
            f if aliases.contains_key(f) => (aliases[f].clone(), &segs[1..]),
            _ if bin => return None,
            "crate" => (Vec::new(), &segs[1..]),
            "self" => (here.to_vec(), &segs[1..]),
            "super" => {
                let n = segs.iter().take_while(|s| *s == "super").count();
                (here[..here.len().saturating_sub(n)].to_vec(), &segs[n..])
            }
            f if self.is_module(&[here, &[f.to_string()]].concat()) => {
                ([here, &[f.to_string()]].concat(), &segs[1..])
            }
            _ => return None,
        };
        while let Some(seg) = rest.first() {
            let next = [cur.as_slice(), std::slice::from_ref(seg)].concat();
            if !self.is_module(&next) {
                break;
            }
            cur = next;
            rest = &rest[1..];
        }
        Some((cur, rest.is_empty()))
    }
}

/// One file of `src/`.
struct SrcFile {
    /// Relative to `src/`, with `/`.
    rel: String,
    text: String,
    toks: Vec<Token>,
    module: ModPath,
    /// Only compiled for tests (declared under `#[cfg(test)]`).
    test_only: bool,
}

/// The names creating each edge (from file → to file), `path (line)`.
type Edges = BTreeMap<(usize, usize), Vec<String>>;

/// Adds the edges of file `idx`: every `use` tree and inline path in its non-test code.
/// Inline modules are tracked so `self`/`super` are right inside them.
fn file_edges(files: &[SrcFile], tree: &Tree, idx: usize, bin: bool, edges: &mut Edges) {
    let f = &files[idx];
    let toks = &f.toks;
    let mut here: Vec<(ModPath, usize)> = vec![(f.module.clone(), 0)];
    let mut aliases: BTreeMap<String, ModPath> = BTreeMap::new();
    // Module imports: their edge is added only if the alias is never used in a path.
    let mut module_uses: Vec<(String, ModPath, String)> = Vec::new();
    let mut used_aliases: BTreeSet<String> = BTreeSet::new();
    let add = |to: Option<usize>, name: String, edges: &mut Edges| {
        if let Some(to) = to.filter(|&t| t != idx && !files[t].test_only) {
            edges.entry((idx, to)).or_default().push(name);
        }
    };
    let (mut i, mut depth) = (0usize, 0usize);
    while i < toks.len() {
        let cur = here.last().unwrap().0.clone();
        if let Some((past, test)) = attribute(toks, i) {
            if test {
                let mut k = past;
                while let Some((p, _)) = attribute(toks, k) {
                    k = p;
                }
                i = item_end(toks, k);
            } else {
                i = past;
            }
            continue;
        }
        if let Some((name, false)) = mod_decl(toks, i) {
            let open = body_open(toks, i).unwrap_or(i);
            depth += 1;
            here.push(([cur.as_slice(), &[name]].concat(), depth));
            i = open + 1;
            continue;
        }
        // Not a path's start: after `::`, `$` (`$crate`), `.` (`x.f::<T>()`) or `pub(in`.
        let prev_sep = i > 0 && matches!(toks[i - 1].tok, Tok::PathSep | Tok::Punct('$' | '.'))
            || (i > 2
                && ident(toks.get(i - 1)) == Some("in")
                && ident(toks.get(i - 3)) == Some("pub"));
        match &toks[i].tok {
            Tok::Punct('{') => depth += 1,
            Tok::Punct('}') => {
                if here.last().unwrap().1 == depth && here.len() > 1 {
                    here.pop();
                }
                depth = depth.saturating_sub(1);
            }
            Tok::Ident(w) if w == "use" && !prev_sep => {
                let line = toks[i].line;
                let (paths, past) = parse_use(toks, i + 1);
                for p in paths {
                    let Some((m, is_mod)) = tree.resolve(&p.segs, &cur, &aliases, bin) else {
                        continue;
                    };
                    let name = format!(
                        "use {}{} ({line})",
                        p.segs.join("::"),
                        if p.glob { "::*" } else { "" }
                    );
                    if p.glob {
                        // The glob brings the module's items and its child modules.
                        for child in tree
                            .modules
                            .keys()
                            .filter(|k| k.len() == m.len() + 1 && k.starts_with(&m))
                        {
                            aliases.insert(child.last().unwrap().clone(), child.clone());
                        }
                        add(tree.file_of(&m), name, edges);
                    } else if is_mod && !p.segs.is_empty() {
                        let alias = p.alias.clone().unwrap_or_default();
                        aliases.insert(alias.clone(), m.clone());
                        module_uses.push((alias, m, name));
                    } else {
                        add(tree.file_of(&m), name, edges);
                    }
                }
                i = past;
                continue;
            }
            Tok::Ident(first)
                if !prev_sep && toks.get(i + 1).map(|t| &t.tok) == Some(&Tok::PathSep) =>
            {
                let line = toks[i].line;
                let mut segs = vec![first.clone()];
                let mut k = i + 1;
                while toks.get(k).map(|t| &t.tok) == Some(&Tok::PathSep) {
                    match ident(toks.get(k + 1)) {
                        Some(s) => segs.push(s.to_string()),
                        None => break,
                    }
                    k += 2;
                }
                if let Some((m, _)) = tree.resolve(&segs, &cur, &aliases, bin) {
                    if aliases.contains_key(first) {
                        used_aliases.insert(first.clone());
                    }
                    add(
                        tree.file_of(&m),
                        format!("{} ({line})", segs.join("::")),
                        edges,
                    );
                }
                i = k;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    for (alias, m, name) in module_uses {
        if !used_aliases.contains(&alias) {
            add(tree.file_of(&m), name, edges);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Strongly connected components (Tarjan).

fn tarjan(n: usize, adj: &[Vec<usize>]) -> Vec<Vec<usize>> {
    struct St<'a> {
        adj: &'a [Vec<usize>],
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        out: Vec<Vec<usize>>,
    }
    fn visit(st: &mut St, v: usize) {
        st.index[v] = Some(st.next);
        st.low[v] = st.next;
        st.next += 1;
        st.stack.push(v);
        st.on_stack[v] = true;
        for &w in &st.adj[v] {
            match st.index[w] {
                None => {
                    visit(st, w);
                    st.low[v] = st.low[v].min(st.low[w]);
                }
                Some(iw) if st.on_stack[w] => st.low[v] = st.low[v].min(iw),
                Some(_) => {}
            }
        }
        if Some(st.low[v]) == st.index[v] {
            let mut scc = Vec::new();
            loop {
                let w = st.stack.pop().unwrap();
                st.on_stack[w] = false;
                scc.push(w);
                if w == v {
                    break;
                }
            }
            scc.sort_unstable();
            st.out.push(scc);
        }
    }
    let mut st = St {
        adj,
        index: vec![None; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in 0..n {
        if st.index[v].is_none() {
            visit(&mut st, v);
        }
    }
    st.out
}

/// The shortest path from `from` to `to` inside `allowed` (breadth first), both ends included.
fn shortest_path(
    adj: &[Vec<usize>],
    allowed: &BTreeSet<usize>,
    from: usize,
    to: usize,
) -> Vec<usize> {
    let mut prev: BTreeMap<usize, usize> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([from]);
    let mut seen = BTreeSet::from([from]);
    while let Some(v) = queue.pop_front() {
        if v == to {
            break;
        }
        for &w in adj[v].iter().filter(|w| allowed.contains(w)) {
            if seen.insert(w) {
                prev.insert(w, v);
                queue.push_back(w);
            }
        }
    }
    let mut path = vec![to];
    while let Some(&p) = prev.get(path.last().unwrap()) {
        path.push(p);
    }
    path.reverse();
    path
}

// ---------------------------------------------------------------------------------------------
// Function extents.

#[derive(Clone, Debug)]
struct FnSpan {
    /// `file::Type::fn`, nested functions as `outer::inner`.
    name: String,
    /// Index of its file (in `Analysis::files`).
    file: usize,
    /// Lines from the body's `{` to its `}`, both included.
    lines: usize,
    open_line: usize,
}

/// The type an `impl` header starting at `i` (at `impl`) implements for: the last identifier
/// at angle depth 0 after `for` (or after the generics), before `where` or `{`.
fn impl_name(toks: &[Token], i: usize, open: usize) -> String {
    let mut angle = 0i32;
    let mut name = String::from("impl");
    for (k, t) in toks.iter().enumerate().take(open).skip(i + 1) {
        match &t.tok {
            Tok::Punct('<') => angle += 1,
            Tok::Punct('>') if !is_punct(toks.get(k - 1), '-') => angle -= 1,
            Tok::Ident(w) if w == "where" && angle == 0 => break,
            Tok::Ident(w) if angle == 0 && w != "for" && w != "dyn" && w != "mut" => {
                name = w.clone()
            }
            _ => {}
        }
    }
    name
}

/// Every function with a body (free, method, nested, in tests too) and its body's extent.
fn functions(file: usize, prefix: &str, toks: &[Token]) -> Vec<FnSpan> {
    // Scopes: (name, is_fn, index of the closing brace, index into `out` if a fn).
    let mut scopes: Vec<(String, usize, Option<usize>)> = Vec::new();
    let mut pending: Option<(usize, String, bool)> = None;
    let mut out: Vec<FnSpan> = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for i in 0..toks.len() {
        while scopes.last().is_some_and(|s| s.1 < i) {
            scopes.pop();
        }
        if let Some((open, name, is_fn)) = pending.take() {
            if open == i {
                let close = matching_close(toks, open);
                let mut fn_idx = None;
                if is_fn {
                    let mut q: Vec<&str> = vec![prefix];
                    q.extend(scopes.iter().map(|s| s.0.as_str()));
                    q.push(&name);
                    let mut full = q.join("::");
                    let n = seen.entry(full.clone()).or_default();
                    *n += 1;
                    if *n > 1 {
                        full = format!("{full}#{n}");
                    }
                    let open_line = toks[open].line;
                    let lines = toks[close].line - open_line + 1;
                    out.push(FnSpan {
                        file,
                        name: full,
                        lines,
                        open_line,
                    });
                    fn_idx = Some(out.len() - 1);
                }
                scopes.push((name, close, fn_idx));
            } else {
                pending = Some((open, name, is_fn));
            }
        }
        let prev_sep = i > 0 && toks[i - 1].tok == Tok::PathSep;
        match ident(toks.get(i)) {
            // Inside a pending header (`-> impl Trait`, `arg: impl Fn()`) nothing starts.
            Some("fn") if !prev_sep && pending.is_none() => {
                if let (Some(name), Some(open)) = (ident(toks.get(i + 1)), body_open(toks, i)) {
                    pending = Some((open, name.to_string(), true));
                }
            }
            Some(kw @ ("impl" | "trait" | "mod")) if !prev_sep && pending.is_none() => {
                if let Some(open) = body_open(toks, i) {
                    let name = match kw {
                        "impl" => impl_name(toks, i, open),
                        _ => ident(toks.get(i + 1)).unwrap_or(kw).to_string(),
                    };
                    pending = Some((open, name, false));
                }
            }
            _ => {}
        }
    }
    out
}

/// Whether most of a function's body lines look like table entries (literal arms, array rows).
fn looks_like_table(text: &str, f: &FnSpan) -> bool {
    let body: Vec<&str> = text
        .lines()
        .skip(f.open_line)
        .take(f.lines.saturating_sub(2))
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("//"))
        .collect();
    let entry = |l: &&&str| {
        let lit = l.starts_with(['"', '\'', '(', '[', '|'])
            || l.starts_with(|c: char| c.is_ascii_digit());
        lit || (l.contains("=>") && l.ends_with(','))
    };
    !body.is_empty() && body.iter().filter(entry).count() * 10 >= body.len() * 6
}

// ---------------------------------------------------------------------------------------------
// Loading the repository.

struct Analysis {
    files: Vec<SrcFile>,
    edges: Edges,
    fns: Vec<FnSpan>,
}

fn collect_rs(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            collect_rs(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// Every `src/**/*.rs` file of this crate as (path relative to `src/`, text).
fn read_src() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    collect_rs(&src, &mut paths);
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let rel = p
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read_to_string(p).unwrap())
        })
        .collect()
}

fn analyse(sources: Vec<(String, String)>, lib_name: &str) -> Analysis {
    let mut sources = sources;
    sources.sort();
    let mut files: Vec<SrcFile> = sources
        .into_iter()
        .map(|(rel, text)| {
            let toks = lex(&text);
            SrcFile {
                module: module_of(&rel),
                rel,
                text,
                toks,
                test_only: false,
            }
        })
        .collect();
    let main = files.iter().position(|f| f.rel == "main.rs");
    if let Some(m) = main {
        let declares =
            (0..files[m].toks.len()).any(|i| mod_decl(&files[m].toks, i).is_some_and(|d| d.1));
        assert!(
            !declares,
            "main.rs declares modules: teach tests/architecture.rs the binary's module tree"
        );
    }
    let mut tree = Tree {
        modules: BTreeMap::new(),
        lib_name: lib_name.to_string(),
    };
    for (i, f) in files.iter().enumerate() {
        if Some(i) != main {
            tree.modules.insert(f.module.clone(), i);
        }
    }
    mark_test_only(&mut files, &tree);
    // Files only compiled for tests are not in the graph.
    tree.modules.retain(|_, &mut i| !files[i].test_only);
    let mut edges = Edges::new();
    for i in 0..files.len() {
        if !files[i].test_only {
            file_edges(&files, &tree, i, Some(i) == main, &mut edges);
        }
    }
    let fns = files
        .iter()
        .enumerate()
        .flat_map(|(i, f)| functions(i, &f.rel, &f.toks))
        .collect();
    Analysis { files, edges, fns }
}

/// Marks the files declared by `#[cfg(test)] mod x;` (and the files below them) test-only.
fn mark_test_only(files: &mut [SrcFile], tree: &Tree) {
    let mut test_mods: Vec<ModPath> = Vec::new();
    for f in files.iter() {
        let mut i = 0;
        while i < f.toks.len() {
            match attribute(&f.toks, i) {
                Some((mut k, true)) => {
                    while let Some((p, _)) = attribute(&f.toks, k) {
                        k = p;
                    }
                    if let Some((name, true)) = mod_decl(&f.toks, k) {
                        test_mods.push([f.module.as_slice(), &[name]].concat());
                    }
                    i = k;
                }
                Some((k, false)) => i = k,
                None => i += 1,
            }
        }
    }
    for (m, &i) in &tree.modules {
        if test_mods.iter().any(|t| m.starts_with(t)) {
            files[i].test_only = true;
        }
    }
}

fn repo() -> &'static Analysis {
    static A: OnceLock<Analysis> = OnceLock::new();
    A.get_or_init(|| analyse(read_src(), &env!("CARGO_PKG_NAME").replace('-', "_")))
}

// ---------------------------------------------------------------------------------------------
// The checks.

/// A strongly connected component of more than one file, and the edges inside it.
type Cycle = (Vec<usize>, BTreeSet<(usize, usize)>);

/// The cycles of the graph.
fn cycles(a: &Analysis) -> Vec<Cycle> {
    let n = a.files.len();
    let mut adj = vec![Vec::new(); n];
    for &(u, v) in a.edges.keys() {
        adj[u].push(v);
    }
    let mut out = Vec::new();
    for scc in tarjan(n, &adj).into_iter().filter(|c| c.len() > 1) {
        let set: BTreeSet<usize> = scc.iter().copied().collect();
        let inner = a
            .edges
            .keys()
            .filter(|(u, v)| set.contains(u) && set.contains(v))
            .copied()
            .collect();
        out.push((scc, inner));
    }
    out.sort();
    out
}

/// `a.rs -> b.rs -> a.rs`, closing the edge `u -> v` by a shortest way back inside its
/// component, with the names creating each edge.
fn describe_cycle(a: &Analysis, scc: &[usize], (u, v): (usize, usize)) -> String {
    let mut adj = vec![Vec::new(); a.files.len()];
    for &(x, y) in a.edges.keys() {
        adj[x].push(y);
    }
    let allowed: BTreeSet<usize> = scc.iter().copied().collect();
    let mut path = vec![u];
    path.extend(shortest_path(&adj, &allowed, v, u));
    let names: Vec<&str> = path.iter().map(|&i| a.files[i].rel.as_str()).collect();
    let mut s = names.join(" -> ");
    for w in path.windows(2) {
        let by = &a.edges[&(w[0], w[1])];
        let shown: Vec<&str> = by.iter().take(4).map(String::as_str).collect();
        let more = if by.len() > 4 {
            format!(", and {} more", by.len() - 4)
        } else {
            String::new()
        };
        s += &format!(
            "\n      {} -> {}: {}{more}",
            names_of(a, w[0]),
            names_of(a, w[1]),
            shown.join(", ")
        );
    }
    s
}

fn names_of(a: &Analysis, i: usize) -> &str {
    &a.files[i].rel
}

/// Rule 1: the failures (empty when every edge on a cycle is in `known`, as `"from -> to"`).
fn cycle_failures(a: &Analysis, known: &[&str]) -> Vec<String> {
    let mut failures = Vec::new();
    let mut on_cycle: BTreeSet<String> = BTreeSet::new();
    for (scc, inner) in cycles(a) {
        for &(u, v) in &inner {
            let edge = format!("{} -> {}", a.files[u].rel, a.files[v].rel);
            if !known.contains(&edge.as_str()) {
                let cycle = describe_cycle(a, &scc, (u, v));
                failures.push(format!("new dependency cycle through {edge}:\n    {cycle}"));
            }
            on_cycle.insert(edge);
        }
    }
    for edge in known {
        if !on_cycle.contains(*edge) {
            failures.push(format!(
                "remove \"{edge}\" from KNOWN_CYCLES: that edge no longer closes a cycle"
            ));
        }
    }
    failures
}

/// Rules 2 and 3: over-limit `(name, lines)` against the allowlist.
fn size_failures(
    what: &str,
    list: &str,
    limit: usize,
    now: &[(String, usize)],
    known: &[(&str, usize)],
) -> Vec<String> {
    let mut failures = Vec::new();
    for (name, lines) in now.iter().filter(|(_, l)| *l > limit) {
        match known.iter().find(|(k, _)| k == name) {
            None => failures.push(format!("{what} {name} is {lines} lines, over {limit}: split it")),
            Some((_, was)) if lines > was => failures.push(format!(
                "{what} {name} grew from {was} to {lines} lines (limit {limit}): it is in {list} to shrink, not grow"
            )),
            Some(_) => {}
        }
    }
    for (name, was) in known {
        match now.iter().find(|(n, _)| n == name) {
            Some((_, l)) if *l > limit => {}
            Some((_, l)) => failures.push(format!(
                "remove \"{name}\" from {list}: it is {l} lines now (was {was}), within {limit}"
            )),
            None => failures.push(format!(
                "remove \"{name}\" from {list}: there is no such {what} any more"
            )),
        }
    }
    failures
}

fn fn_failures(a: &Analysis, known: &[(&str, usize)], tables: &[(&str, &str)]) -> Vec<String> {
    let mut failures = Vec::new();
    let mut now = Vec::new();
    for f in &a.fns {
        match tables.iter().find(|(n, _)| *n == f.name) {
            Some(_) if f.lines <= MAX_FN_LINES => failures.push(format!(
                "remove \"{}\" from TABLE_FNS: it is {} lines, within {MAX_FN_LINES}",
                f.name, f.lines
            )),
            Some(_) if !looks_like_table(&a.files[f.file].text, f) => failures.push(format!(
                "\"{}\" is in TABLE_FNS but its body does not look like a table: split it instead",
                f.name
            )),
            Some(_) => {}
            None => now.push((f.name.clone(), f.lines)),
        }
    }
    for (name, _) in tables {
        if !a.fns.iter().any(|f| f.name == *name) {
            failures.push(format!(
                "remove \"{name}\" from TABLE_FNS: there is no such function any more"
            ));
        }
    }
    failures.extend(size_failures(
        "function",
        "KNOWN_LONG_FNS",
        MAX_FN_LINES,
        &now,
        known,
    ));
    failures
}

fn file_sizes(a: &Analysis) -> Vec<(String, usize)> {
    a.files
        .iter()
        .map(|f| (f.rel.clone(), f.text.lines().count()))
        .collect()
}

fn report(rule: &str, failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{rule}: {} failure(s)\n  {}\n",
        failures.len(),
        failures.join("\n  ")
    );
}

#[test]
fn graph_is_not_vacuous() {
    let a = repo();
    let nodes = a.files.iter().filter(|f| !f.test_only).count();
    assert!(
        nodes >= MIN_FILES && a.edges.len() >= MIN_EDGES,
        "the module graph has {nodes} files and {} edges, expected at least {MIN_FILES} and {MIN_EDGES}: \
         tests/architecture.rs no longer reads src/ correctly",
        a.edges.len()
    );
}

#[test]
fn no_new_dependency_cycles() {
    report(
        "dependency cycles among src/ files",
        &cycle_failures(repo(), KNOWN_CYCLES),
    );
}

#[test]
fn no_new_long_files() {
    report(
        "files",
        &size_failures(
            "file",
            "KNOWN_LONG_FILES",
            MAX_FILE_LINES,
            &file_sizes(repo()),
            KNOWN_LONG_FILES,
        ),
    );
}

#[test]
fn no_new_long_functions() {
    report("functions", &fn_failures(repo(), KNOWN_LONG_FNS, TABLE_FNS));
}

#[test]
fn summary() {
    let a = repo();
    let nodes = a.files.iter().filter(|f| !f.test_only).count();
    let sizes = file_sizes(a);
    let (big, big_n) = sizes
        .iter()
        .max_by_key(|(_, n)| *n)
        .cloned()
        .unwrap_or_default();
    let long = a.fns.iter().max_by_key(|f| f.lines);
    eprintln!(
        "architecture: {} files in src/ ({nodes} in the module graph), {} edges",
        a.files.len(),
        a.edges.len()
    );
    eprintln!("architecture: largest file {big} ({big_n} lines)");
    if let Some(f) = long {
        eprintln!(
            "architecture: longest function {} ({} lines)",
            f.name, f.lines
        );
    }
    if std::env::var_os("ARCHITECTURE_DUMP").is_some() {
        // `ARCHITECTURE_DUMP=1 cargo test --test architecture summary -- --nocapture`
        for ((u, v), by) in &a.edges {
            eprintln!(
                "edge {} -> {}: {}",
                a.files[*u].rel,
                a.files[*v].rel,
                by.join(", ")
            );
        }
        let mut fns: Vec<&FnSpan> = a.fns.iter().collect();
        fns.sort_by_key(|f| std::cmp::Reverse(f.lines));
        for f in fns.iter().take(40) {
            eprintln!("fn {} {}", f.lines, f.name);
        }
    }
    for (scc, inner) in cycles(a) {
        let names: Vec<&str> = scc.iter().map(|&i| a.files[i].rel.as_str()).collect();
        eprintln!(
            "architecture: cycle of {} files, {} edges: {}",
            scc.len(),
            inner.len(),
            names.join(", ")
        );
    }
    for (name, was) in KNOWN_LONG_FILES {
        if let Some((_, n)) = sizes
            .iter()
            .find(|(f, _)| f == name)
            .filter(|(_, n)| n < was)
        {
            eprintln!(
                "architecture: {name} is down to {n} lines: lower its KNOWN_LONG_FILES entry"
            );
        }
    }
    for (name, was) in KNOWN_LONG_FNS {
        if let Some(f) = a
            .fns
            .iter()
            .find(|f| f.name == *name)
            .filter(|f| f.lines < *was)
        {
            eprintln!(
                "architecture: {name} is down to {} lines: lower its KNOWN_LONG_FNS entry",
                f.lines
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The helpers on small literal examples, so the checks cannot pass vacuously.

mod helpers {
    use super::*;

    fn idents(src: &str) -> Vec<String> {
        lex(src)
            .into_iter()
            .filter_map(|t| ident(Some(&t)).map(str::to_string))
            .collect()
    }

    fn braces(src: &str) -> String {
        lex(src)
            .into_iter()
            .filter_map(|t| match t.tok {
                Tok::Punct(c @ ('{' | '}')) => Some(c),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn lexer_drops_literals_and_comments() {
        assert_eq!(braces(r#"{ "}" '{' b'}' "\"}" }"#), "{}");
        assert_eq!(braces("{ r#\"}\"# r##\"\"# }\"## br\"{\" }"), "{}");
        assert_eq!(braces("{ // }\n /* } /* nested } */ } */ }"), "{}");
        assert_eq!(braces("fn f<'a>(x: &'a str) { '\\'' ; '\\u{7d}' }"), "{}");
        assert_eq!(
            idents("/// crate::a::b\n//! use x;\nfn f() {}"),
            ["fn", "f"]
        );
        assert_eq!(idents("r#type r#\"crate\"# c\"x\""), ["r#type"]);
        let lines: Vec<usize> = lex("a\n\"x\ny\"\nb").iter().map(|t| t.line).collect();
        assert_eq!(lines, [1, 2, 4]);
    }

    const EXTENTS: &str = r##"impl<T: Fn() -> u8> Foo<T> where T: Copy {
    fn a(&self) -> [u8; 2] {
        let s = "}}}";
        // }
        let r = r#"{"#; /* { */
        fn inner() {
        }
        '}'
    }
}
trait T { fn decl(&self); fn d() {} }
fn a() { let f: fn(u8) = g; }
fn it() -> impl Iterator<Item = u8> {
    [b'{'].into_iter()
}
mod m { fn f() {} }
impl fmt::Display for Bar<'_> { fn f() {} }
fn f() {} fn f() {}
"##;

    #[test]
    fn function_extents_use_brace_matching() {
        let fns = functions(0, "x.rs", &lex(EXTENTS));
        let got: Vec<(&str, usize)> = fns.iter().map(|f| (f.name.as_str(), f.lines)).collect();
        let want = [
            ("x.rs::Foo::a", 8),
            ("x.rs::Foo::a::inner", 2),
            ("x.rs::T::d", 1),
            ("x.rs::a", 1),
            ("x.rs::it", 3),
            ("x.rs::m::f", 1),
            ("x.rs::Bar::f", 1),
            ("x.rs::f", 1),
            ("x.rs::f#2", 1),
        ];
        assert_eq!(got, want);
    }

    fn uses(src: &str) -> Vec<String> {
        let toks = lex(src);
        let (paths, _) = parse_use(&toks, 1);
        paths
            .iter()
            .map(|p| {
                let alias = p
                    .alias
                    .as_ref()
                    .map(|a| format!(" as {a}"))
                    .unwrap_or_default();
                format!(
                    "{}{}{alias}",
                    p.segs.join("::"),
                    if p.glob { "::*" } else { "" }
                )
            })
            .collect()
    }

    #[test]
    fn use_trees_expand() {
        assert_eq!(
            uses("use crate::{a, b::{c, d as e}, f::*};"),
            [
                "crate::a as a",
                "crate::b::c as c",
                "crate::b::d as e",
                "crate::f::*"
            ]
        );
        assert_eq!(
            uses("use super::{self, x::{self as y}};"),
            ["super as super", "super::x as y"]
        );
        assert_eq!(
            uses("use std::io::{self, Write};"),
            ["std::io as io", "std::io::Write as Write"]
        );
        assert_eq!(uses("use ::core::mem;"), ["::", "core::mem as mem"]);
    }

    fn tree(mods: &[&str]) -> Tree {
        let modules = mods
            .iter()
            .enumerate()
            .map(|(i, m)| (module_of(m), i))
            .collect();
        Tree {
            modules,
            lib_name: "eks_lint".into(),
        }
    }

    fn segs(p: &str) -> ModPath {
        p.split("::").map(str::to_string).collect()
    }

    #[test]
    fn paths_map_to_files() {
        let t = tree(&[
            "lib.rs",
            "a/mod.rs",
            "a/b.rs",
            "a/c/mod.rs",
            "a/c/d.rs",
            "e.rs",
        ]);
        let none = BTreeMap::new();
        let file = |p: &str, here: &str, bin: bool| {
            t.resolve(&segs(p), &module_of(here), &none, bin)
                .and_then(|(m, _)| t.file_of(&m))
        };
        assert_eq!(file("crate::a::b::Thing", "e.rs", false), Some(2));
        assert_eq!(file("crate::a::c::d::f", "e.rs", false), Some(4));
        assert_eq!(file("crate::a::Item::method", "e.rs", false), Some(1));
        assert_eq!(file("crate::Report", "a/b.rs", false), Some(0));
        assert_eq!(file("super::Thing", "a/b.rs", false), Some(1));
        assert_eq!(file("super::c::d", "a/b.rs", false), Some(4));
        assert_eq!(file("super::super::b::x", "a/c/d.rs", false), Some(2));
        assert_eq!(
            file("super::super::super::e::x", "a/c/d.rs", false),
            Some(5)
        );
        assert_eq!(file("self::d::x", "a/c/mod.rs", false), Some(4));
        assert_eq!(file("c::d::x", "a/mod.rs", false), Some(4));
        assert_eq!(file("b::x", "e.rs", false), None);
        assert_eq!(file("std::io::Write", "e.rs", false), None);
        assert_eq!(file("eks_lint::a::b::X", "main.rs", true), Some(2));
        assert_eq!(file("crate::a::b", "main.rs", true), None);
        assert_eq!(
            t.resolve(&segs("crate::a::c"), &[], &none, false),
            Some((segs("a::c"), true))
        );
        let mut aliases = BTreeMap::new();
        aliases.insert("cee".to_string(), segs("a::c"));
        assert_eq!(
            t.resolve(&segs("cee::d::f"), &segs("e"), &aliases, false),
            Some((segs("a::c::d"), false))
        );
    }

    #[test]
    fn tarjan_finds_components() {
        let adj = vec![vec![1], vec![2], vec![0, 3], vec![4], vec![3], vec![]];
        let mut sccs = tarjan(6, &adj);
        sccs.sort();
        assert_eq!(sccs, [vec![0, 1, 2], vec![3, 4], vec![5]]);
    }

    const TINY: &[(&str, &str)] = &[
        (
            "lib.rs",
            "//! Uses `crate::b::B` in a doc comment only.
pub mod a;
pub mod b;
pub mod c;
pub struct Report;
",
        ),
        (
            "a/mod.rs",
            "mod x;
pub use x::X;
pub struct Thing;
#[cfg(test)]
mod tests;
",
        ),
        (
            "a/x.rs",
            r#"use super::Thing;
pub struct X;
fn f() -> crate::Report { let s = "crate::c::C"; todo!() }
mod inner { fn k() { super::super::Thing; } }
"#,
        ),
        ("a/tests.rs", "use crate::b::B;\n"),
        (
            "b.rs",
            "use crate::{a::{self, x::X}, c};
pub struct B { #[cfg(test)] t: crate::Report, pub(in crate::c) n: u8 }
fn g() { a::Thing; c::C; }
#[cfg(all(test, unix))]
fn t() { crate::Report; }
#[cfg(test)]
mod tests { use crate::c::C; }
",
        ),
        (
            "c.rs",
            "pub struct C;
/// crate::b::B
fn h() { super::b::B; }
#[cfg(not(test))]
fn n() { crate::Report; }
",
        ),
        (
            "main.rs",
            "use eks_lint::a::Thing;\nfn main() { crate::main; }\n",
        ),
    ];

    fn tiny() -> Analysis {
        let files = TINY.iter().map(|(p, t)| (p.to_string(), t.to_string()));
        analyse(files.collect(), "eks_lint")
    }

    fn edge_list(a: &Analysis) -> Vec<String> {
        a.edges
            .iter()
            .map(|((u, v), by)| {
                format!(
                    "{} -> {}: {}",
                    a.files[*u].rel,
                    a.files[*v].rel,
                    by.join(", ")
                )
            })
            .collect()
    }

    #[test]
    fn graph_of_a_tiny_crate() {
        let a = tiny();
        assert!(
            a.files
                .iter()
                .find(|f| f.rel == "a/tests.rs")
                .unwrap()
                .test_only
        );
        assert_eq!(
            edge_list(&a),
            [
                "a/mod.rs -> a/x.rs: use x::X (2)",
                "a/x.rs -> a/mod.rs: use super::Thing (1), super::super::Thing (4)",
                "a/x.rs -> lib.rs: crate::Report (3)",
                "b.rs -> a/mod.rs: a::Thing (3)",
                "b.rs -> a/x.rs: use crate::a::x::X (1)",
                "b.rs -> c.rs: c::C (3)",
                "c.rs -> b.rs: super::b::B (3)",
                "c.rs -> lib.rs: crate::Report (5)",
                "main.rs -> a/mod.rs: use eks_lint::a::Thing (1)",
            ]
        );
        let failures = cycle_failures(&a, &["a/mod.rs -> a/x.rs"]);
        assert_eq!(failures.len(), 3, "{failures:#?}");
        assert!(
            failures[0].contains("a/x.rs -> a/mod.rs -> a/x.rs"),
            "{}",
            failures[0]
        );
        assert!(
            failures[0].contains("use super::Thing (1)"),
            "{}",
            failures[0]
        );
        assert!(failures.iter().any(|f| f.contains("b.rs -> c.rs -> b.rs")));
        let all = [
            "a/mod.rs -> a/x.rs",
            "a/x.rs -> a/mod.rs",
            "b.rs -> c.rs",
            "c.rs -> b.rs",
        ];
        assert!(cycle_failures(&a, &all).is_empty());
        let stale = cycle_failures(&a, &[all[0], all[1], all[2], all[3], "b.rs -> a/x.rs"]);
        assert_eq!(
            stale,
            ["remove \"b.rs -> a/x.rs\" from KNOWN_CYCLES: that edge no longer closes a cycle"]
        );
    }

    #[test]
    fn allowlists_only_shrink() {
        let now = vec![
            ("big.rs".to_string(), 900),
            ("ok.rs".to_string(), 100),
            ("new.rs".to_string(), 801),
        ];
        let f = size_failures(
            "file",
            "KNOWN_LONG_FILES",
            800,
            &now,
            &[("big.rs", 900), ("ok.rs", 850), ("gone.rs", 900)],
        );
        assert_eq!(f.len(), 3, "{f:#?}");
        assert!(f[0].starts_with("file new.rs is 801 lines"));
        assert!(f[1].starts_with("remove \"ok.rs\" from KNOWN_LONG_FILES"));
        assert!(f[2].starts_with("remove \"gone.rs\" from KNOWN_LONG_FILES"));
        let grew = size_failures(
            "file",
            "KNOWN_LONG_FILES",
            800,
            &now,
            &[("big.rs", 899), ("new.rs", 801)],
        );
        assert_eq!(grew.len(), 1);
        assert!(grew[0].contains("grew from 899 to 900"));
    }

    #[test]
    fn tables_are_recognised() {
        let table = format!(
            "fn t(x: &str) -> u8 {{\n    match x {{\n{}        _ => 0,\n    }}\n}}\n",
            "        \"a\" => 1,\n".repeat(200)
        );
        let code = format!("fn c() {{\n{}}}\n", "    let x = f(1);\n".repeat(200));
        let fns: Vec<FnSpan> = [&table, &code]
            .iter()
            .flat_map(|s| functions(0, "t.rs", &lex(s)))
            .collect();
        assert!(looks_like_table(&table, &fns[0]));
        assert!(!looks_like_table(&code, &fns[1]));
        let a = analyse(
            vec![(
                "lib.rs".into(),
                table.clone() + "\n" + &code.replace("fn c", "fn d"),
            )],
            "x",
        );
        assert_eq!(
            fn_failures(
                &a,
                &[("lib.rs::d", 202)],
                &[("lib.rs::t", "a lookup table")]
            ),
            Vec::<String>::new()
        );
        let f = fn_failures(&a, &[], &[("lib.rs::d", "no")]);
        assert!(f[0].contains("does not look like a table"), "{f:#?}");
        assert!(
            f[1].starts_with("function lib.rs::t is 205 lines"),
            "{f:#?}"
        );
    }
}
