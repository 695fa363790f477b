//! The shape of a declaration, read from the YAML tree against the one key table
//! ([`crate::authoring::keys`]).
//!
//! Every leaf is a [`Field`]: the scalar's source text and where it stands, so that numbers
//! reach [`super::amount`] as text (never through `f64`) and every rule can point at its line.
//! Every key is accepted under its English name and under the labels printed on the form, as
//! the table lists them (so parser, editor schema and docs cannot disagree).
//!
//! Reading never stops at the first problem: an unknown key, a key written twice (also as key
//! and label: `value` and `指标值`), a value of the wrong kind are each reported where they stand
//! and left out, and the walk goes on, so one run shows every problem of a file.

use crate::authoring::keys::{self, Key, Ty};
use crate::diagnostic::{Code, Diagnostic, Loc};

use super::scheme;
use super::tree::{Kind, Node};

/// A value and where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct At<T> {
    pub loc: Loc,
    pub value: T,
}

/// A leaf field: absent (`loc: None`), present but empty (`text: None`), or written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Field {
    pub loc: Option<Loc>,
    pub text: Option<String>,
    /// Written, but not as a single value (a list or a mapping): already reported as
    /// `yaml.type`, so the typing step neither reads it nor calls it blank.
    pub invalid: bool,
}

impl Field {
    /// The written text, trimmed, when it is not empty.
    pub fn written(&self) -> Option<&str> {
        self.text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
    }

    fn of(node: Node) -> Field {
        let text = match node.kind {
            Kind::Scalar(s) => Some(s),
            _ => None,
        };
        Field {
            loc: Some(node.loc),
            text,
            invalid: false,
        }
    }
}

/// A mapping block and where it starts (absent: `None`).
#[derive(Debug, Clone, PartialEq)]
pub struct Block<T> {
    pub loc: Option<Loc>,
    pub value: T,
}

impl<T: Default> Default for Block<T> {
    fn default() -> Self {
        Block {
            loc: None,
            value: T::default(),
        }
    }
}

/// A mapping read against a key table: its entries under their English keys, in written order.
#[derive(Default)]
pub struct Record {
    entries: Vec<(&'static str, Node)>,
}

impl Record {
    pub(crate) fn take(&mut self, key: &str) -> Option<Node> {
        let i = self.entries.iter().position(|(k, _)| *k == key)?;
        Some(self.entries.remove(i).1)
    }

    /// The leaf under `key` (absent: the default field).
    pub(crate) fn field(&mut self, key: &str) -> Field {
        match self.take(key) {
            None => Field::default(),
            Some(node) if matches!(node.kind, Kind::Seq(_) | Kind::Map(_)) => Field {
                loc: Some(node.loc),
                text: None,
                invalid: true,
            },
            Some(node) => Field::of(node),
        }
    }
}

/// Collects the diagnostics of the walk; knows the form's keys for "did you mean".
pub struct Reader {
    pub diags: Vec<Diagnostic>,
    /// Every key name of the form (any level), offered as the nearest spelling.
    everywhere: Vec<&'static str>,
}

impl Reader {
    pub fn new(form: &'static [Key]) -> Reader {
        let mut everywhere = Vec::new();
        collect_names(form, &mut everywhere);
        collect_names(keys::INDICATOR, &mut everywhere);
        everywhere.sort_unstable();
        everywhere.dedup();
        Reader {
            diags: Vec::new(),
            everywhere,
        }
    }

    /// Reads a mapping against `table`: unknown keys, keys given twice (as key or label) and
    /// values of the wrong kind are reported and left out; the rest is kept.
    pub fn record(&mut self, node: Node, table: &'static [Key], what: (&str, &str)) -> Record {
        let mut record = Record::default();
        let entries = match node.kind {
            Kind::Map(entries) => entries,
            Kind::Null => return record,
            other => {
                let node = Node {
                    loc: node.loc,
                    kind: other,
                };
                self.wrong_kind(
                    &node,
                    what,
                    ("一组“键: 值”（映射）", "a mapping (`key: value` lines)"),
                );
                return record;
            }
        };
        let mut seen: Vec<(&'static str, Loc, String)> = Vec::new();
        for (k, v) in entries {
            let Some(name) = self.key_text(&k) else {
                continue;
            };
            let Some(key) = table.iter().find(|key| key.names().any(|n| n == name)) else {
                self.unknown_key(&k, &name, table);
                continue;
            };
            if let Some((_, first_loc, first)) = seen.iter().find(|(canon, _, _)| *canon == key.key)
            {
                self.duplicate(k.loc, &name, first, *first_loc);
                continue;
            }
            seen.push((key.key, k.loc, name.clone()));
            if let Some(expected) = wrong_shape(key.ty, &v) {
                self.wrong_kind(&v, (&name, &name), expected);
                if is_scalar(key.ty) {
                    // Kept as an invalid field: reported here, neither read nor called blank.
                    record.entries.push((key.key, v));
                }
                continue;
            }
            record.entries.push((key.key, v));
        }
        record
    }

    /// A key's text; a key that is empty or not a single value is reported.
    fn key_text(&mut self, k: &Node) -> Option<String> {
        match &k.kind {
            Kind::Scalar(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Kind::Scalar(_) | Kind::Null => {
                self.diags.push(Diagnostic::error(
                    Code::YamlType,
                    k.loc,
                    "这里缺少键名：冒号前面应写键名（如 name: 刻章）",
                    "a key is missing here: write the key's name before the colon (e.g. `name: x`)",
                ));
                None
            }
            _ => {
                self.diags.push(Diagnostic::error(
                    Code::YamlType,
                    k.loc,
                    "键名应为一个词，而不是列表或映射（“? ” 开头的复杂键不受支持）",
                    "a key must be a single word, not a list or a mapping (complex `? ` keys are not supported)",
                ));
                None
            }
        }
    }

    fn unknown_key(&mut self, k: &Node, name: &str, table: &'static [Key]) {
        let here: Vec<&str> = table.iter().flat_map(Key::names).collect();
        let candidates = here.iter().copied().chain(self.everywhere.iter().copied());
        let (zh_hint, en_hint) = match scheme::nearest(name, candidates) {
            Some(h) => (
                format!("，是否应为 “{h}”？"),
                format!("; did you mean `{h}`?"),
            ),
            None => (
                format!("；此处可用的键：{}", here.join("、")),
                format!(
                    "; expected one of: {}",
                    here.iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
        };
        self.diags.push(Diagnostic::error(
            Code::YamlUnknownKey,
            k.loc,
            format!("未知的键 “{name}”{zh_hint}"),
            format!("unknown key `{name}`{en_hint}"),
        ));
    }

    fn duplicate(&mut self, loc: Loc, name: &str, first: &str, first_loc: Loc) {
        let line = first_loc.line;
        let (zh, en) = if name == first {
            (
                format!(
                    "键 “{name}” 重复（第 {line} 行已写过）：同一层级中同一个键只能写一次，请删掉一个"
                ),
                format!(
                    "duplicate key `{name}` (already on line {line}): a key may appear once in a mapping; delete one"
                ),
            )
        } else {
            (
                format!(
                    "键 “{name}” 与第 {line} 行的 “{first}” 是同一个键（英文键名与表上的标签等同）：只能写一次，请删掉一个"
                ),
                format!(
                    "`{name}` is the same key as `{first}` on line {line} (a key and its form label are one key): write it once; delete one"
                ),
            )
        };
        self.diags
            .push(Diagnostic::error(Code::YamlDuplicateKey, loc, zh, en));
    }

    pub(crate) fn wrong_kind(&mut self, node: &Node, what: (&str, &str), expected: (&str, &str)) {
        let (zh_got, en_got) = node.kind_words();
        let (zh_hint, en_hint) = colon_hint(node);
        self.diags.push(Diagnostic::error(
            Code::YamlType,
            node.loc,
            format!("{} 应为{}，而不是{zh_got}{zh_hint}", what.0, expected.0),
            format!("{} must be {}, not {en_got}{en_hint}", what.1, expected.1),
        ));
    }

    /// A block under `key`, read with `read` against `table`.
    pub(crate) fn block<T: Default>(
        &mut self,
        rec: &mut Record,
        key: &str,
        table: &'static [Key],
        read: fn(&mut Reader, Record) -> T,
    ) -> Block<T> {
        match rec.take(key) {
            None => Block::default(),
            Some(node) => {
                let loc = node.loc;
                let inner = self.record(node, table, (key, key));
                Block {
                    loc: Some(loc),
                    value: read(self, inner),
                }
            }
        }
    }

    /// A list of blocks under `key`.
    pub(crate) fn list<T>(
        &mut self,
        rec: &mut Record,
        key: &str,
        table: &'static [Key],
        read: fn(&mut Reader, Record) -> T,
    ) -> Block<Vec<At<T>>> {
        let Some(node) = rec.take(key) else {
            return Block {
                loc: None,
                value: Vec::new(),
            };
        };
        let loc = node.loc;
        let items = match node.kind {
            Kind::Seq(items) => items,
            _ => Vec::new(),
        };
        let value = items
            .into_iter()
            .map(|item| {
                let at = item.loc;
                let inner = self.record(item, table, (key, key));
                At {
                    loc: at,
                    value: read(self, inner),
                }
            })
            .collect();
        Block {
            loc: Some(loc),
            value,
        }
    }

    /// 绩效指标: 一级 name → 二级 name → list of 三级.
    pub(crate) fn indicators(&mut self, rec: &mut Record, key: &str) -> Block<Level1Map> {
        let Some(node) = rec.take(key) else {
            return Block::default();
        };
        let loc = node.loc;
        let value = self.named_map(node, |r, level2s| {
            let loc = level2s.loc;
            // A list right under a 一级: free-text indicators (`- 指标1：…`), no 二级 names.
            if let Kind::Seq(list) = level2s.kind {
                let texts = list
                    .into_iter()
                    .filter_map(|item| r.free_text(item))
                    .collect();
                return Block {
                    loc: Some(loc),
                    value: Level1Body {
                        texts,
                        ..Level1Body::default()
                    },
                };
            }
            let value = r.named_map(level2s, |r, items| {
                let loc = items.loc;
                let list = match items.kind {
                    Kind::Seq(list) => list,
                    Kind::Null => Vec::new(),
                    other => {
                        r.wrong_kind(
                            &Node { loc, kind: other },
                            ("二级指标", "a 二级 group"),
                            (
                                "三级指标的列表（以 “- ” 开头的各行）",
                                "a list of indicators (lines starting with `- `)",
                            ),
                        );
                        Vec::new()
                    }
                };
                let value = list
                    .into_iter()
                    .map(|item| At {
                        loc: item.loc,
                        value: r.indicator(item),
                    })
                    .collect();
                Block {
                    loc: Some(loc),
                    value,
                }
            });
            Block {
                loc: Some(loc),
                value: Level1Body {
                    groups: value,
                    texts: Vec::new(),
                },
            }
        });
        Block {
            loc: Some(loc),
            value,
        }
    }

    /// One free-text indicator, an item of the list right under a 一级: a single text. An
    /// empty item is kept (empty text: `indicator.empty`); a mapping or a list is an error in
    /// words, kept as the text it approximates (`指标1: …`) so that the 一级 does not also read
    /// as empty or missing: one slip, one error (the file is not printed). Free text and 二级
    /// groups do not mix under one 一级: a mapping item is either a 三级 without its 二级 or
    /// `指标1: …` with a half-width colon.
    pub(crate) fn free_text(&mut self, item: Node) -> Option<At<Field>> {
        let loc = item.loc;
        match item.kind {
            Kind::Null => Some(At {
                loc,
                value: Field {
                    loc: Some(loc),
                    text: None,
                    invalid: false,
                },
            }),
            Kind::Scalar(s) => Some(At {
                loc,
                value: Field {
                    loc: Some(loc),
                    text: Some(s),
                    invalid: false,
                },
            }),
            Kind::Map(entries) => {
                let first = entries
                    .first()
                    .and_then(|(k, _)| k.text())
                    .unwrap_or("")
                    .to_string();
                self.diags.push(Diagnostic::error(
                    Code::YamlType,
                    loc,
                    format!(
                        "一级指标下的列表是按文字写的指标（“- 指标1：…”），每项一段文字，不能写成 “键: 值”（这里是 “{first}: …”）：\
                         若是一段文字，把半角冒号 “: ” 改成全角 “：” 或给整段加引号；若是三级指标，写在二级指标下（一级 → 二级 → “- 名称: 指标值”）。同一个一级指标下不能既有文字指标又有二级指标"
                    ),
                    format!(
                        "the list under a 一级 holds free-text indicators (`- 指标1：…`), one text each, not `key: value` (here `{first}: …`): \
                         for a text, write the full-width `：` instead of `: ` or quote the whole text; for a 三级 indicator, put it under a 二级 (一级 → 二级 → `- name: value`). One 一级 holds either free text or 二级 groups, not both"
                    ),
                ));
                Some(At {
                    loc,
                    value: Field {
                        loc: Some(loc),
                        text: Some(format!("{first}: …")),
                        invalid: true,
                    },
                })
            }
            seq @ Kind::Seq(_) => {
                self.wrong_kind(
                    &Node { loc, kind: seq },
                    ("按文字写的指标", "a free-text indicator"),
                    ("一段文字", "one text"),
                );
                Some(At {
                    loc,
                    value: Field {
                        loc: Some(loc),
                        text: Some("[…]".into()),
                        invalid: true,
                    },
                })
            }
        }
    }

    /// A mapping whose keys are names the user chose (一级 or 二级 names), in written order.
    pub(crate) fn named_map<V>(
        &mut self,
        node: Node,
        mut read: impl FnMut(&mut Reader, Node) -> V,
    ) -> NamedMap<V> {
        let mut out = NamedMap {
            entries: Vec::new(),
        };
        let entries = match node.kind {
            Kind::Map(entries) => entries,
            Kind::Null => return out,
            other => {
                self.wrong_kind(
                    &Node {
                        loc: node.loc,
                        kind: other,
                    },
                    ("指标", "the indicators"),
                    ("一组 “名称: …”（映射）", "a mapping of group names"),
                );
                return out;
            }
        };
        let mut seen: Vec<(String, Loc)> = Vec::new();
        for (k, v) in entries {
            let Some(name) = self.key_text(&k) else {
                continue;
            };
            if let Some((first, first_loc)) = seen.iter().find(|(n, _)| *n == name) {
                self.duplicate(k.loc, &name, &first.clone(), *first_loc);
                continue;
            }
            seen.push((name.clone(), k.loc));
            let value = read(self, v);
            out.entries.push((
                At {
                    loc: k.loc,
                    value: name,
                },
                value,
            ));
        }
        out
    }

    /// A 三级 indicator: a bare name, the shorthand `名称: 指标值`, or a mapping of its keys.
    pub(crate) fn indicator(&mut self, item: Node) -> Indicator {
        let loc = item.loc;
        match item.kind {
            Kind::Null => Indicator::default(),
            Kind::Scalar(s) => Indicator {
                name: Field {
                    loc: None,
                    text: Some(s),
                    invalid: false,
                },
                ..Indicator::default()
            },
            seq @ Kind::Seq(_) => {
                self.wrong_kind(
                    &Node { loc, kind: seq },
                    ("三级指标", "an indicator"),
                    ("“名称: 指标值”", "`name: value`"),
                );
                Indicator::default()
            }
            Kind::Map(mut entries) => {
                let first_is_key = entries
                    .first()
                    .and_then(|(k, _)| k.text())
                    .is_some_and(|t| {
                        keys::INDICATOR
                            .iter()
                            .any(|key| key.names().any(|n| n == t.trim()))
                    });
                if first_is_key || entries.is_empty() {
                    let rec = self.record(
                        Node {
                            loc,
                            kind: Kind::Map(entries),
                        },
                        keys::INDICATOR,
                        ("三级指标", "an indicator"),
                    );
                    return Indicator::read(self, rec);
                }
                // Shorthand: the key is the 三级 name, the value its 指标值.
                let rest = entries.split_off(1);
                let Some((k, v)) = entries.pop() else {
                    return Indicator::default();
                };
                if let Some((extra, _)) = rest.first() {
                    let extra_text = extra.text().unwrap_or("").to_string();
                    self.diags.push(Diagnostic::error(
                        Code::YamlType,
                        extra.loc,
                        format!("写作 “名称: 指标值” 的三级指标只有一项；“{extra_text}” 是另一项：每个指标单独写一行 “- 名称: 指标值”"),
                        format!("an indicator written as `名称: 指标值` has one entry; `{extra_text}` starts a second one (write each indicator as its own list item `- 名称: 指标值`)"),
                    ));
                }
                let name = match self.key_text(&k) {
                    Some(n) => Field {
                        loc: Some(k.loc),
                        text: Some(n),
                        invalid: false,
                    },
                    None => Field {
                        loc: Some(k.loc),
                        text: None,
                        invalid: false,
                    },
                };
                let value = if matches!(v.kind, Kind::Seq(_) | Kind::Map(_)) {
                    self.wrong_kind(
                        &v,
                        ("指标值", "an indicator's value"),
                        ("单个值（如 ≥95%）", "a single value (such as ≥95%)"),
                    );
                    Field {
                        loc: Some(v.loc),
                        text: None,
                        invalid: true,
                    }
                } else {
                    Field::of(v)
                };
                Indicator {
                    name,
                    value,
                    ..Indicator::default()
                }
            }
        }
    }
}

fn collect_names(table: &'static [Key], out: &mut Vec<&'static str>) {
    for key in table {
        out.extend(key.names());
        if let Ty::Block(inner) | Ty::List(inner) | Ty::Map(inner) = key.ty {
            collect_names(inner, out);
        }
    }
}

fn is_scalar(ty: Ty) -> bool {
    !matches!(ty, Ty::Block(_) | Ty::List(_) | Ty::Indicators | Ty::Map(_))
}

/// What a value of type `ty` should have been, when `node` is not that (zh, en).
fn wrong_shape(ty: Ty, node: &Node) -> Option<(&'static str, &'static str)> {
    match (ty, &node.kind) {
        (_, Kind::Null) => None,
        (Ty::Block(_) | Ty::Indicators | Ty::Map(_), Kind::Map(_)) => None,
        (Ty::Block(_) | Ty::Indicators | Ty::Map(_), _) => {
            Some(("一组“键: 值”（映射）", "a mapping (`key: value` lines)"))
        }
        (Ty::List(_), Kind::Seq(_)) => None,
        (Ty::List(_), _) => Some((
            "列表（以 “- ” 开头的各行）",
            "a list (lines starting with `- `)",
        )),
        (_, Kind::Scalar(_)) => None,
        _ => Some(("单个值（文字或数字）", "a single value (text or a number)")),
    }
}

/// When a single value stands where a mapping was expected and holds `k:v` or `k：v`, the slip
/// was a missing space or a full-width colon (zh, en).
fn colon_hint(node: &Node) -> (String, String) {
    let Some(text) = node.text() else {
        return (String::new(), String::new());
    };
    if text.contains('：') {
        return (
            "；若这是 “键：值”，请把全角冒号 “：” 换成半角冒号加空格 “: ”".to_string(),
            "; if this is `key：value`, replace the full-width colon `：` with an ASCII colon and a space `: `"
                .to_string(),
        );
    }
    if text.contains(':') && !text.contains(": ") {
        return (
            "；若这是 “键:值”，冒号后面要加一个空格".to_string(),
            "; if this is `key:value`, put a space after the colon".to_string(),
        );
    }
    (String::new(), String::new())
}

/// Which form the document fills: the `form` entry of the top-level mapping.
pub fn form_field(root: &Node) -> Field {
    let Kind::Map(entries) = &root.kind else {
        return Field::default();
    };
    entries
        .iter()
        .find(|(k, _)| {
            k.text()
                .is_some_and(|t| keys::FORM.names().any(|n| n == t.trim()))
        })
        .map(|(_, v)| Field::of(v.clone()))
        .unwrap_or_default()
}

#[derive(Debug, Default)]
pub struct Project {
    pub year: Field,
    pub unit: Field,
    pub name: Field,
    pub department: Field,
    pub implementer: Field,
    pub attribute: Field,
    pub period: Field,
    pub funds: Block<Funds>,
    pub goal: Field,
    pub indicators: Block<Level1Map>,
    pub signoff: Block<Signoff>,
    /// The layout to print with (`chaisang-2023`, `./layouts/x.yaml`): see `crate::layouts`.
    pub layout: Field,
    pub midterm_funds: Block<Funds>,
    pub midterm_goal: Field,
    pub midterm_indicators: Block<Level1Map>,
    pub amount_unit: Field,
    pub precision: Field,
    /// Further projects on the same sheet (read against [`keys::PROJECT_ITEM`]).
    pub projects: Block<Vec<At<Project>>>,
    pub department_code: Field,
    pub costs: Block<Vec<At<Cost>>>,
}

/// One row of 成本测算.
#[derive(Debug, Default)]
pub struct Cost {
    pub item: Field,
    pub amount: Field,
    pub basis: Field,
    pub prior: Field,
}

impl Cost {
    fn read(_: &mut Reader, mut m: Record) -> Cost {
        Cost {
            item: m.field("item"),
            amount: m.field("amount"),
            basis: m.field("basis"),
            prior: m.field("prior"),
        }
    }
}

impl Project {
    pub fn read(r: &mut Reader, mut m: Record) -> Project {
        Project {
            year: m.field("year"),
            unit: m.field("unit"),
            name: m.field("name"),
            department: m.field("department"),
            implementer: m.field("implementer"),
            attribute: m.field("attribute"),
            period: m.field("period"),
            funds: r.block(&mut m, "funds", keys::FUNDS, Funds::read),
            goal: m.field("goal"),
            indicators: r.indicators(&mut m, "indicators"),
            signoff: r.block(&mut m, "signoff", keys::SIGNOFF, Signoff::read),
            layout: m.field("layout"),
            midterm_funds: r.block(&mut m, "midterm_funds", keys::MIDTERM_FUNDS, Funds::read),
            midterm_goal: m.field("midterm_goal"),
            midterm_indicators: r.indicators(&mut m, "midterm_indicators"),
            amount_unit: m.field("amount_unit"),
            precision: m.field("precision"),
            projects: r.list(&mut m, "projects", keys::PROJECT_ITEM, Project::read),
            department_code: m.field("department_code"),
            costs: r.list(&mut m, "costs", keys::COST, Cost::read),
        }
    }
}

#[derive(Debug, Default)]
pub struct Funds {
    pub total: Field,
    pub fiscal: Field,
    pub other: Field,
    pub sources: Vec<At<SourceEntry>>,
}

impl Funds {
    fn read(r: &mut Reader, mut m: Record) -> Funds {
        Funds {
            total: m.field("total"),
            fiscal: m.field("fiscal"),
            other: m.field("other"),
            sources: r
                .list(&mut m, "sources", keys::SOURCE, SourceEntry::read)
                .value,
        }
    }
}

#[derive(Debug, Default)]
pub struct SourceEntry {
    pub name: Field,
    pub amount: Field,
}

impl SourceEntry {
    fn read(_: &mut Reader, mut m: Record) -> SourceEntry {
        SourceEntry {
            name: m.field("name"),
            amount: m.field("amount"),
        }
    }
}

#[derive(Debug, Default, Clone)]
pub struct Signoff {
    pub preparer: Field,
    pub phone: Field,
    pub head: Field,
    pub date: Field,
    pub project_head: Field,
    pub liaison: Field,
}

impl Signoff {
    fn read(_: &mut Reader, mut m: Record) -> Signoff {
        Signoff {
            preparer: m.field("preparer"),
            phone: m.field("phone"),
            head: m.field("head"),
            date: m.field("date"),
            project_head: m.field("project_head"),
            liaison: m.field("liaison"),
        }
    }
}

#[derive(Debug, Default)]
pub struct Department {
    pub year: Field,
    pub unit: Field,
    pub name: Field,
    pub contact: Field,
    pub phone: Field,
    pub basis: Field,
    pub functions: Field,
    pub functions_changed: Field,
    pub first_level_unit: Field,
    pub field: Field,
    pub subordinates: Field,
    pub divisions: Field,
    pub staff: Block<Staff>,
    pub last_year: Block<LastYear>,
    pub budget: Block<Budget>,
    pub remarks: Field,
    pub decomposition: Block<Decomposition>,
    pub tasks: Block<Vec<At<Task>>>,
    pub indicators: Block<Level1Map>,
    pub signoff: Block<Signoff>,
    /// The layout to print with (`chaisang-2023`, `./layouts/x.yaml`): see `crate::layouts`.
    pub layout: Field,
    pub budget_code: Field,
    pub goal: Field,
    pub duties: Block<Vec<At<Duty>>>,
    pub history: Block<Vec<At<PriorYear>>>,
    pub amount_unit: Field,
    pub precision: Field,
}

impl Department {
    pub fn read(r: &mut Reader, mut m: Record) -> Department {
        Department {
            year: m.field("year"),
            unit: m.field("unit"),
            name: m.field("name"),
            contact: m.field("contact"),
            phone: m.field("phone"),
            basis: m.field("basis"),
            functions: m.field("functions"),
            functions_changed: m.field("functions_changed"),
            first_level_unit: m.field("first_level_unit"),
            field: m.field("field"),
            subordinates: m.field("subordinates"),
            divisions: m.field("divisions"),
            staff: r.block(&mut m, "staff", keys::STAFF, Staff::read),
            last_year: r.block(&mut m, "last_year", keys::LAST_YEAR, LastYear::read),
            budget: r.block(&mut m, "budget", keys::BUDGET, Budget::read),
            remarks: m.field("remarks"),
            decomposition: r.block(
                &mut m,
                "decomposition",
                keys::DECOMPOSITION,
                Decomposition::read,
            ),
            tasks: r.list(&mut m, "tasks", keys::TASK, Task::read),
            indicators: r.indicators(&mut m, "indicators"),
            signoff: r.block(&mut m, "signoff", keys::SIGNOFF, Signoff::read),
            layout: m.field("layout"),
            budget_code: m.field("budget_code"),
            goal: m.field("goal"),
            duties: r.list(&mut m, "duties", keys::DUTY, Duty::read),
            history: r.list(&mut m, "history", keys::PRIOR_YEAR, PriorYear::read),
            amount_unit: m.field("amount_unit"),
            precision: m.field("precision"),
        }
    }
}

/// One year of 近两年收支金额.
#[derive(Debug, Default)]
pub struct PriorYear {
    pub year: Field,
    pub income: Block<Income>,
    pub expense: Block<Expense>,
}

impl PriorYear {
    fn read(r: &mut Reader, mut m: Record) -> PriorYear {
        PriorYear {
            year: m.field("year"),
            income: r.block(&mut m, "income", keys::INCOME, Income::read),
            expense: r.block(&mut m, "expense", keys::EXPENSE, Expense::read),
        }
    }
}

/// One 年度履职目标.
#[derive(Debug, Default)]
pub struct Duty {
    pub function: Field,
    pub target: Field,
    pub project: Field,
    pub amount: Field,
}

impl Duty {
    fn read(_: &mut Reader, mut m: Record) -> Duty {
        Duty {
            function: m.field("function"),
            target: m.field("target"),
            project: m.field("project"),
            amount: m.field("amount"),
        }
    }
}

#[derive(Debug, Default)]
pub struct Staff {
    pub quota: Field,
    pub total: Field,
    pub administrative: Field,
    pub institutional: Field,
    pub extra: Field,
}

impl Staff {
    fn read(_: &mut Reader, mut m: Record) -> Staff {
        Staff {
            quota: m.field("quota"),
            total: m.field("total"),
            administrative: m.field("administrative"),
            institutional: m.field("institutional"),
            extra: m.field("extra"),
        }
    }
}

#[derive(Debug, Default)]
pub struct LastYear {
    pub approved: Field,
    pub adjusted: Field,
    pub actual: Field,
    pub rate: Field,
    pub carryover: Field,
}

impl LastYear {
    fn read(_: &mut Reader, mut m: Record) -> LastYear {
        LastYear {
            approved: m.field("approved"),
            adjusted: m.field("adjusted"),
            actual: m.field("actual"),
            rate: m.field("rate"),
            carryover: m.field("carryover"),
        }
    }
}

#[derive(Debug, Default)]
pub struct Budget {
    pub income: Block<Income>,
    pub expense: Block<Expense>,
}

impl Budget {
    fn read(r: &mut Reader, mut m: Record) -> Budget {
        Budget {
            income: r.block(&mut m, "income", keys::INCOME, Income::read),
            expense: r.block(&mut m, "expense", keys::EXPENSE, Expense::read),
        }
    }
}

#[derive(Debug, Default)]
pub struct Income {
    pub total: Field,
    pub superior: Field,
    pub local: Field,
    pub other: Field,
    pub general: Field,
    pub nontax: Field,
    pub fund: Field,
    pub special_account: Field,
    pub fiscal: Field,
}

impl Income {
    fn read(_: &mut Reader, mut m: Record) -> Income {
        Income {
            total: m.field("total"),
            superior: m.field("superior"),
            local: m.field("local"),
            other: m.field("other"),
            general: m.field("general"),
            nontax: m.field("nontax"),
            fund: m.field("fund"),
            special_account: m.field("special_account"),
            fiscal: m.field("fiscal"),
        }
    }
}

#[derive(Debug, Default)]
pub struct Expense {
    pub total: Field,
    pub personnel: Field,
    pub public: Field,
    pub project: Field,
    pub basic: Field,
    pub other: Field,
}

impl Expense {
    fn read(_: &mut Reader, mut m: Record) -> Expense {
        Expense {
            total: m.field("total"),
            personnel: m.field("personnel"),
            public: m.field("public"),
            project: m.field("project"),
            basic: m.field("basic"),
            other: m.field("other"),
        }
    }
}

#[derive(Debug, Default)]
pub struct Decomposition {
    pub functions: Field,
    pub midterm: Field,
    pub annual: Field,
}

impl Decomposition {
    fn read(_: &mut Reader, mut m: Record) -> Decomposition {
        Decomposition {
            functions: m.field("functions"),
            midterm: m.field("midterm"),
            annual: m.field("annual"),
        }
    }
}

#[derive(Debug, Default)]
pub struct Task {
    pub name: Field,
    pub content: Field,
    pub goal: Field,
    pub amount: Field,
    pub fiscal: Field,
    pub other: Field,
}

impl Task {
    fn read(_: &mut Reader, mut m: Record) -> Task {
        Task {
            name: m.field("name"),
            content: m.field("content"),
            goal: m.field("goal"),
            amount: m.field("amount"),
            fiscal: m.field("fiscal"),
            other: m.field("other"),
        }
    }
}

/// A mapping whose keys are names the user chose (一级 or 二级 names), kept in written order
/// with each key's location.
#[derive(Debug, PartialEq)]
pub struct NamedMap<V> {
    pub entries: Vec<(At<String>, V)>,
}

impl<V> Default for NamedMap<V> {
    fn default() -> Self {
        NamedMap {
            entries: Vec::new(),
        }
    }
}

/// 一级 name → its 二级 groups or its free-text indicators (null when left empty).
pub type Level1Map = NamedMap<Block<Level1Body>>;

/// What a 一级 holds: 二级 groups (a mapping), or free-text indicators (a list of texts).
#[derive(Debug, Default, PartialEq)]
pub struct Level1Body {
    pub groups: Level2Map,
    pub texts: Vec<At<Field>>,
}
/// 二级 name → its 三级 list (null when left empty).
pub type Level2Map = NamedMap<Block<Vec<At<Indicator>>>>;

/// A 三级 indicator: shorthand `名称: 指标值`, a full mapping, or a bare name.
#[derive(Debug, Default, PartialEq)]
pub struct Indicator {
    pub name: Field,
    pub value: Field,
    pub op: Field,
    pub unit: Field,
    pub weight: Field,
    pub direction: Field,
    pub note: Field,
    pub explanation: Field,
    pub standard: Field,
}

impl Indicator {
    fn read(_: &mut Reader, mut m: Record) -> Indicator {
        Indicator {
            name: m.field("name"),
            value: m.field("value"),
            op: m.field("op"),
            unit: m.field("unit"),
            weight: m.field("weight"),
            direction: m.field("direction"),
            note: m.field("note"),
            explanation: m.field("explanation"),
            standard: m.field("standard"),
        }
    }
}
