//! YAML text → a tree of located nodes, under one policy for everything YAML allows and a
//! declaration does not need.
//!
//! The tree is built from the events of `granit-parser` (the scanner serde-saphyr uses) rather
//! than through serde, so that one place decides, and says in the user's words:
//!
//! - **tags**: the core schema's (`!!str`, `!!int`, `!!float`, `!!bool`, `!!null`, `!!map`,
//!   `!!seq`) are accepted and change nothing (every scalar is kept as the text written); any
//!   other (`!!binary`, `!!timestamp`, `!custom`) is a located `yaml.tag` error and the node is
//!   dropped, so text hidden in base64 never reaches the print;
//! - **aliases** are expanded by copying their anchor's subtree, counted against the same
//!   budgets as written nodes; an alias inside its own anchor is an error in words;
//! - **a second document** (`---` after content) is an error: one file holds one form;
//! - **limits** (depth, nodes, aliases, scalar bytes) answer at once with `yaml.limit`;
//! - **syntax errors** are explained for the slips people make ([`super::slips`]).
//!
//! Keys are not interpreted here (duplicates, unknown keys and types are [`super::raw`]'s).

use std::collections::HashMap;

use granit_parser::{Event, Parser, ScalarStyle, Span};

use super::parse::limits;
use crate::diagnostic::{Code, Diagnostic, Loc};

/// One YAML node and where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub loc: Loc,
    pub kind: Kind,
}

/// What a node holds. Scalars keep the text as written (after YAML's escapes and folding), so
/// numbers reach the amount parser as text and never pass through `f64`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// An empty value, `~` or `null` (written plain).
    Null,
    Scalar(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// The scalar's text, if the node is one.
    pub fn text(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// How the node's kind is named in a message (zh, en).
    pub fn kind_words(&self) -> (&'static str, &'static str) {
        match self.kind {
            Kind::Null => ("空值", "an empty value"),
            Kind::Scalar(_) => ("单个值", "a single value"),
            Kind::Seq(_) => ("列表", "a list"),
            Kind::Map(_) => ("一组“键: 值”", "a mapping"),
        }
    }
}

/// What loading gives: the document (None when it could not be read: an empty file gives an
/// empty mapping-less `Null` node) and every problem found on the way.
pub struct Loaded {
    pub root: Option<Node>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Size of a finished subtree, charged again each time an alias copies it.
#[derive(Clone, Copy, Default)]
struct Cost {
    nodes: usize,
    bytes: usize,
    depth: usize,
}

/// A collection being built.
enum Open {
    Seq {
        loc: Loc,
        anchor: usize,
        items: Vec<Node>,
        cost: Cost,
    },
    /// `key`: the key read and waiting for its value (`Some(None)`: a key dropped for its tag,
    /// whose value is dropped with it).
    Map {
        loc: Loc,
        anchor: usize,
        entries: Vec<(Node, Node)>,
        key: Option<Option<Node>>,
        cost: Cost,
    },
    /// A collection with an unsupported tag: read to its end, then dropped.
    Dropped { anchor: usize },
}

/// Reads the one document of `text` into a tree.
pub fn load(text: &str) -> Loaded {
    let mut loader = Loader::default();
    let root = loader.run(text);
    Loaded {
        root,
        diagnostics: loader.diags,
    }
}

#[derive(Default)]
struct Loader {
    diags: Vec<Diagnostic>,
    stack: Vec<Open>,
    /// Finished anchored nodes, by the parser's anchor id.
    anchors: HashMap<usize, (Node, Cost)>,
    nodes: usize,
    bytes: usize,
    aliases: usize,
    documents: usize,
    /// Anchors written on scalars (`&name`, where and which), and the ids an alias used: an
    /// anchor on a scalar that no alias uses is a value that started with `&` by mistake.
    scalar_anchors: Vec<(usize, Loc, String)>,
    used: std::collections::HashSet<usize>,
    /// The anchor id of the event just read, when it was a scalar.
    last_scalar: Option<usize>,
}

/// Converts a parser position (1-based line, 0-based column in characters) to ours.
pub fn loc_of(span: &Span) -> Loc {
    let m = span.start;
    Loc::new(
        u32::try_from(m.line()).unwrap_or(u32::MAX),
        u32::try_from(m.col() + 1).unwrap_or(u32::MAX),
    )
}

impl Loader {
    fn run(&mut self, text: &str) -> Option<Node> {
        let options = granit_parser::options! {
            emit_comments: false,
            emit_anchor_events: true,
            block_nesting_limit: limits::MAX_DEPTH + 8,
            flow_nesting_limit: limits::MAX_DEPTH + 8,
        };
        let mut root = None;
        for event in Parser::new_from_str_with_options(text, options) {
            let (event, span) = match event {
                Ok(e) => e,
                Err(e) => {
                    self.diags.push(super::slips::explain(&e, text));
                    return None;
                }
            };
            let loc = loc_of(&span);
            let last_scalar = self.last_scalar.take();
            match event {
                Event::Anchor(id, name) if last_scalar == Some(id) => {
                    self.scalar_anchors.push((id, loc, name.into_owned()));
                }
                Event::DocumentStart(..) => {
                    self.documents += 1;
                    if self.documents > 1 {
                        self.diags.push(Diagnostic::error(
                            Code::YamlSyntax,
                            loc,
                            "文件中有第二个文档（“---” 之后又有内容）：一个文件只写一张表，请把第二张表另存为一个文件",
                            "a second document (content after `---`): a file holds one form; save the second form as a file of its own",
                        ));
                        return root;
                    }
                }
                Event::Scalar(value, style, anchor, tag) => {
                    self.last_scalar = (anchor != 0).then_some(anchor);
                    let tag = tag.map(|t| (t.handle().to_string(), t.suffix().to_string()));
                    if !self.charge(loc, 1, value.len()) {
                        return None;
                    }
                    let plain = style == ScalarStyle::Plain;
                    let node = match tag_problem(tag.as_ref(), &span, text) {
                        Some(problem) => {
                            self.diags.push(problem.diagnostic(loc, &value, plain));
                            None
                        }
                        None => {
                            let null =
                                plain && matches!(&*value, "" | "~" | "null" | "Null" | "NULL");
                            let kind = if null && !is_str_tag(tag.as_ref()) {
                                Kind::Null
                            } else {
                                Kind::Scalar(value.into_owned())
                            };
                            Some(Node { loc, kind })
                        }
                    };
                    let cost = Cost {
                        nodes: 1,
                        bytes: node.as_ref().and_then(Node::text).map_or(0, str::len),
                        depth: 0,
                    };
                    self.finish(node, anchor, cost, &mut root);
                }
                Event::SequenceStart(_, anchor, tag) => {
                    let tag = tag.map(|t| (t.handle().to_string(), t.suffix().to_string()));
                    if !self.open(loc, anchor, tag, false, &span, text) {
                        return None;
                    }
                }
                Event::MappingStart(_, anchor, tag) => {
                    let tag = tag.map(|t| (t.handle().to_string(), t.suffix().to_string()));
                    if !self.open(loc, anchor, tag, true, &span, text) {
                        return None;
                    }
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    let Some(open) = self.stack.pop() else {
                        continue;
                    };
                    let (node, anchor, cost) = match open {
                        Open::Seq {
                            loc,
                            anchor,
                            items,
                            cost,
                        } => (
                            Some(Node {
                                loc,
                                kind: Kind::Seq(items),
                            }),
                            anchor,
                            cost,
                        ),
                        Open::Map {
                            loc,
                            anchor,
                            entries,
                            cost,
                            ..
                        } => (
                            Some(Node {
                                loc,
                                kind: Kind::Map(entries),
                            }),
                            anchor,
                            cost,
                        ),
                        Open::Dropped { anchor, .. } => (None, anchor, Cost::default()),
                    };
                    self.finish(node, anchor, cost, &mut root);
                }
                Event::Alias(id) => {
                    self.used.insert(id);
                    self.aliases += 1;
                    if self.aliases > limits::MAX_ALIASES {
                        self.diags.push(limit_diagnostic(
                            loc,
                            format!(
                                "别名（*引用）超过 {} 个：申报表很少需要别名",
                                limits::MAX_ALIASES
                            ),
                            format!(
                                "more than {} aliases (*refs): a declaration rarely needs any",
                                limits::MAX_ALIASES
                            ),
                        ));
                        return None;
                    }
                    let Some((target, cost)) = self.anchors.get(&id).cloned() else {
                        // The anchor is still open: the alias stands inside what it names.
                        let open = self.stack.iter().any(|o| match o {
                            Open::Seq { anchor, .. }
                            | Open::Map { anchor, .. }
                            | Open::Dropped { anchor, .. } => *anchor == id,
                        });
                        let (zh, en) = if open {
                            (
                                "别名指向包含它自身的内容（递归引用），无法展开：请把这个 *引用 换成实际内容",
                                "this alias refers to the block that contains it (a recursive reference), which cannot be expanded: write the content instead of the *alias",
                            )
                        } else {
                            (
                                "别名指向的内容无法使用（它带有不支持的标签）：请把这个 *引用 换成实际内容",
                                "this alias refers to content that could not be read (it has an unsupported tag): write the content instead of the *alias",
                            )
                        };
                        self.diags
                            .push(Diagnostic::error(Code::YamlSyntax, loc, zh, en));
                        return None;
                    };
                    if self.stack.len() + cost.depth > limits::MAX_DEPTH {
                        self.diags.push(limit_diagnostic(
                            loc,
                            format!("嵌套超过 {} 层（含别名展开）：申报表只需要 6 层", limits::MAX_DEPTH),
                            format!(
                                "nested deeper than {} levels (aliases expanded): a declaration needs 6",
                                limits::MAX_DEPTH
                            ),
                        ));
                        return None;
                    }
                    if !self.charge(loc, cost.nodes, cost.bytes) {
                        return None;
                    }
                    let node = Node { loc, ..target };
                    self.finish(Some(node), 0, cost, &mut root);
                }
                // Not data: anchors' names, comments, directives, the stream's ends.
                _ => {}
            }
        }
        self.unused_anchors();
        // A file of comments only has no document: read it as an empty one (`form` missing).
        if root.is_none() && self.diags.is_empty() {
            return Some(Node {
                loc: Loc::START,
                kind: Kind::Null,
            });
        }
        root
    }

    /// Opens a collection; false (with the diagnostic) past a limit.
    fn open(
        &mut self,
        loc: Loc,
        anchor: usize,
        tag: Option<(String, String)>,
        is_map: bool,
        span: &Span,
        text: &str,
    ) -> bool {
        if self.stack.len() >= limits::MAX_DEPTH {
            self.diags.push(limit_diagnostic(
                loc,
                format!("嵌套超过 {} 层：申报表只需要 6 层", limits::MAX_DEPTH),
                format!(
                    "nested deeper than {} levels: a declaration needs 6",
                    limits::MAX_DEPTH
                ),
            ));
            return false;
        }
        if !self.charge(loc, 1, 0) {
            return false;
        }
        let cost = Cost {
            nodes: 1,
            bytes: 0,
            depth: 1,
        };
        let open = match tag_problem(tag.as_ref(), span, text) {
            Some(problem) => {
                self.diags.push(problem.diagnostic(loc, "", false));
                Open::Dropped { anchor }
            }
            None if is_map => Open::Map {
                loc,
                anchor,
                entries: Vec::new(),
                key: None,
                cost,
            },
            None => Open::Seq {
                loc,
                anchor,
                items: Vec::new(),
                cost,
            },
        };
        self.stack.push(open);
        true
    }

    /// `- 达标率: &95`: YAML reads `&95` as an anchor named 95 and the value as empty (or as what
    /// follows). Nothing refers to such an anchor, which is how it is told from a real one.
    fn unused_anchors(&mut self) {
        for (id, loc, name) in std::mem::take(&mut self.scalar_anchors) {
            if self.used.contains(&id) {
                continue;
            }
            self.diags.push(Diagnostic::error(
                Code::YamlSyntax,
                loc,
                format!("值以 “&” 开头：YAML 把 “&{name}” 当作锚点（供 * 引用的名称），而不是文字。请给整个值加引号，如 '&{name}'"),
                format!("a value starting with `&`: YAML reads `&{name}` as an anchor (a name for `*` to refer to), not as text. Put the whole value in quotes, e.g. '&{name}'"),
            ));
        }
    }

    /// Counts `nodes` and `bytes` against the budgets; false (with the diagnostic) past one.
    fn charge(&mut self, loc: Loc, nodes: usize, bytes: usize) -> bool {
        self.nodes = self.nodes.saturating_add(nodes);
        self.bytes = self.bytes.saturating_add(bytes);
        if self.nodes > limits::MAX_NODES {
            self.diags.push(limit_diagnostic(
                loc,
                format!("YAML 节点超过 {} 个（含别名展开）", limits::MAX_NODES),
                format!(
                    "more than {} YAML nodes (aliases expanded)",
                    limits::MAX_NODES
                ),
            ));
            return false;
        }
        if self.bytes > limits::MAX_SCALAR_BYTES {
            self.diags.push(limit_diagnostic(
                loc,
                format!(
                    "文字总量超过 {} 字节（含别名展开）",
                    limits::MAX_SCALAR_BYTES
                ),
                format!(
                    "more than {} bytes of text (aliases expanded)",
                    limits::MAX_SCALAR_BYTES
                ),
            ));
            return false;
        }
        true
    }

    /// Puts a finished node (None: dropped for its tag) into its parent, or makes it the root.
    fn finish(&mut self, node: Option<Node>, anchor: usize, cost: Cost, root: &mut Option<Node>) {
        if anchor != 0
            && let Some(n) = &node
        {
            self.anchors.insert(anchor, (n.clone(), cost));
        }
        match self.stack.last_mut() {
            None => {
                *root = node.or(Some(Node {
                    loc: Loc::START,
                    kind: Kind::Null,
                }))
            }
            Some(Open::Seq {
                items,
                cost: parent,
                ..
            }) => {
                add_cost(parent, cost);
                items.extend(node);
            }
            Some(Open::Map {
                entries,
                key,
                cost: parent,
                ..
            }) => {
                add_cost(parent, cost);
                match key.take() {
                    None => *key = Some(node),
                    Some(Some(k)) => {
                        // A value dropped for its tag is left empty (its error is reported).
                        let value = node.unwrap_or(Node {
                            loc: k.loc,
                            kind: Kind::Null,
                        });
                        entries.push((k, value));
                    }
                    Some(None) => {}
                }
            }
            Some(Open::Dropped { .. }) => {}
        }
    }
}

fn add_cost(parent: &mut Cost, child: Cost) {
    parent.nodes = parent.nodes.saturating_add(child.nodes);
    parent.bytes = parent.bytes.saturating_add(child.bytes);
    parent.depth = parent.depth.max(child.depth + 1);
}

fn limit_diagnostic(loc: Loc, zh: String, en: String) -> Diagnostic {
    Diagnostic::error(Code::YamlLimit, loc, zh, en)
}

const CORE: &str = "tag:yaml.org,2002:";
const CORE_SUFFIXES: [&str; 7] = ["str", "int", "float", "bool", "null", "map", "seq"];

fn is_str_tag(tag: Option<&(String, String)>) -> bool {
    tag.is_some_and(|(h, s)| h == CORE && s == "str")
}

/// Why a tag is refused.
struct TagProblem {
    /// The tag as written (`!!binary`, `!x`).
    written: String,
}

impl TagProblem {
    /// A tag on an empty value (`名称: !5`) is almost always a value that starts with `!` and
    /// lacks quotes: that is a syntax slip. A tag on content is a feature the file uses.
    fn diagnostic(&self, loc: Loc, value: &str, plain: bool) -> Diagnostic {
        let t = &self.written;
        if plain && value.is_empty() {
            return Diagnostic::error(
                Code::YamlSyntax,
                loc,
                format!(
                    "以 “!” 开头的值会被 YAML 当作标签（{t}）：请给整个值加引号，如 '{t}'；比较符请写 ≥ ≤ 或 >= <="
                ),
                format!(
                    "a value starting with `!` is read as a YAML tag ({t}): put the whole value in quotes, e.g. '{t}'"
                ),
            );
        }
        Diagnostic::error(
            Code::YamlTag,
            loc,
            format!("不支持 YAML 标签 “{t}”：申报表只写文字和数字，请删掉标签，直接写出内容"),
            format!(
                "the YAML tag `{t}` is not supported: a declaration holds plain text and numbers; remove the tag and write the content itself"
            ),
        )
    }
}

/// The tag's problem, if it is not one of the core schema's.
fn tag_problem(tag: Option<&(String, String)>, span: &Span, text: &str) -> Option<TagProblem> {
    let (handle, suffix) = tag?;
    if handle == CORE && CORE_SUFFIXES.contains(&suffix.as_str()) {
        return None;
    }
    // A non-specific `!` (`! text`) means "a string": harmless.
    if handle == "!" && suffix.is_empty() {
        return None;
    }
    let written = span
        .tag_span()
        .and_then(|s| s.slice(text).map(str::to_string))
        .unwrap_or_else(|| {
            if handle == CORE {
                format!("!!{suffix}")
            } else {
                format!("{handle}{suffix}")
            }
        });
    Some(TagProblem { written })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(text: &str) -> Node {
        let l = load(text);
        assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
        l.root.unwrap()
    }

    fn first_error(text: &str) -> Diagnostic {
        load(text)
            .diagnostics
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no diagnostic for {text:?}"))
    }

    #[test]
    fn scalars_keep_their_text_and_location() {
        let n = root("a: 463.79\nb: ~\nc: ''\nd: 1e400\n");
        let Kind::Map(entries) = n.kind else { panic!() };
        assert_eq!(
            entries[0].1,
            Node {
                loc: Loc::new(1, 4),
                kind: Kind::Scalar("463.79".into())
            }
        );
        assert_eq!(entries[1].1.kind, Kind::Null);
        assert_eq!(entries[2].1.kind, Kind::Scalar(String::new()));
        assert_eq!(entries[3].1.text(), Some("1e400"));
    }

    #[test]
    fn core_tags_pass_and_others_are_located_errors() {
        let Kind::Map(entries) = root("a: !!str 5\nb: !!int 7\n").kind else {
            panic!()
        };
        assert_eq!(
            (entries[0].1.text(), entries[1].1.text()),
            (Some("5"), Some("7"))
        );
        let d = first_error("a: x\nb: !!binary aGVsbG8=\n");
        assert_eq!((d.code, d.loc.line), (Code::YamlTag, 2));
        assert!(
            d.en.contains("!!binary") && !d.en.contains("hello"),
            "{}",
            d.en
        );
        let l = load("a: !!binary aGVsbG8=\n");
        assert!(
            !format!("{:?}", l.root).contains("hello"),
            "decoded: {:?}",
            l.root
        );
        assert_eq!(first_error("a: !custom {x: 1}\n").code, Code::YamlTag);
        // An empty value after `!`: a slip, explained as syntax.
        let d = first_error("a: !5\n");
        assert_eq!(d.code, Code::YamlSyntax);
        assert!(d.zh.contains("引号"), "{}", d.zh);
    }

    #[test]
    fn aliases_expand_and_recursion_is_refused_in_words() {
        let n = root("a: &x [1, 2]\nb: *x\n");
        let Kind::Map(entries) = n.kind else { panic!() };
        assert_eq!(entries[1].1.kind, entries[0].1.kind);
        assert_eq!(entries[1].1.loc, Loc::new(2, 4));
        let d = first_error("a: &x [1, *x]\n");
        assert_eq!(d.code, Code::YamlSyntax);
        assert!(d.en.contains("recursive"), "{}", d.en);
    }

    #[test]
    fn a_second_document_is_an_error() {
        let d = first_error("form: project\n---\nform: department\n");
        assert_eq!((d.code, d.loc.line), (Code::YamlSyntax, 2));
        assert!(d.en.contains("second document"), "{}", d.en);
        // A leading `---` is one document.
        root("---\nform: project\n");
    }

    #[test]
    fn limits_answer_with_yaml_limit() {
        let deep = format!("{}1{}", "[".repeat(40), "]".repeat(40));
        assert_eq!(first_error(&deep).code, Code::YamlLimit);
        let mut bomb = String::from("a: &a [x,x,x,x,x,x,x,x,x,x]\n");
        for i in 0..9 {
            let refs = vec![format!("*{}", (b'a' + i) as char); 10].join(",");
            bomb.push_str(&format!(
                "{}: &{} [{refs}]\n",
                (b'b' + i) as char,
                (b'b' + i) as char
            ));
        }
        assert_eq!(first_error(&bomb).code, Code::YamlLimit);
    }
}
