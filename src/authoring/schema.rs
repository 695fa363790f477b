//! The JSON Schema (draft-07) of declarations, generated from the key table in [`super::keys`].
//!
//! Draft-07 because it is the draft that yaml-language-server (VS Code's YAML extension and
//! others) supports fully. Every mapping is closed (`additionalProperties: false`), so a misspelt
//! key is flagged while typing, exactly as `jixiao check` reports `yaml.unknown-key`. The schema
//! is a little more permissive than `check` on values (an amount's decimals, sums): it checks
//! shape and type, `check` checks the rules.
//!
//! Written for what yaml-language-server does with a schema (checked against the server itself
//! by `tests/editor.rs`):
//!
//! - **Hover** shows a key's `description`, but when the value's schema is a choice (`anyOf`) of
//!   alternatives without descriptions, the server replaces it with theirs, i.e. with nothing.
//!   So every alternative of a value carries the key's description, followed by the way of
//!   writing that alternative accepts (each different, or the server lists them all).
//! - **Completion** leaves out a property marked `doNotSuggest` or `deprecationMessage`, and
//!   collects properties from every schema that applies, `then` branches included. JSON Schema
//!   cannot say “do not suggest `项目名称` when `name` is written”, so every spelling of a key
//!   is `doNotSuggest` in the mapping itself, and one `if`/`then` per spelling offers it again
//!   while none of its other spellings is written: `name` and `项目名称` are both offered in an
//!   empty file, and once one is written the other is not.
//! - **Deprecation**: a legacy 二级 name is `deprecationMessage` (never suggested, and the server
//!   warns where it is written, as `check` does with `indicator.alias`); a value that still
//!   holds an `init` placeholder `【请填写…】` meets an `if`/`then` whose `then` is a
//!   `deprecationMessage`, which the server shows as a warning on that line.

use serde_json::{Map, Value, json};

use super::keys::{self, Key, Ty};
use crate::declaration::scheme::{self, Level1, Level2, Resolved};
use crate::declaration::value::Comparator;

/// The file name the README and `init` use for the generated schema
/// (`jixiao schema > jixiao.schema.json`).
pub const SCHEMA_FILE_NAME: &str = "jixiao.schema.json";

/// A value that `init` left for the user to replace (`【请填写…】`). The schema accepts it in
/// number fields too, so a fresh `init` file is valid while `check` still reports it.
const PLACEHOLDER_PATTERN: &str = "^\\s*【[^】]*】\\s*$";
/// A placeholder anywhere in a text, as `check` finds them (`field.placeholder`):
/// [`crate::authoring::init::placeholders`].
const PLACEHOLDER_IN_TEXT: &str = "【请[^】]*】";
/// What the editor says on a value that still holds a placeholder.
const PLACEHOLDER_MESSAGE: &str =
    "还留着 jixiao init 的占位符【请填写…】：换成实际内容（jixiao check 会报 field.placeholder）";
/// A numeric string as the amount parser reads it: digits with optional `,` every three digits,
/// an optional fraction of at most 6 places.
const AMOUNT_PATTERN: &str = "^\\s*\\+?([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\\.[0-9]{1,6})?\\s*$";
/// A percentage: a decimal, optionally followed by `%` or `％`.
const PERCENT_PATTERN: &str = "^\\s*\\+?([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\\.[0-9]+)?\\s*[%％]?\\s*$";
/// A head count written as text.
const COUNT_PATTERN: &str = "^\\s*[0-9]+\\s*$";
/// A year written as text (`2023`, `2023年`).
const YEAR_PATTERN: &str = "^\\s*(19|2[0-9])[0-9]{2}年?\\s*$";

/// What one layout prints of one form, for [`schema_for`]: the layout's name (a built-in id
/// or a file path) and the field paths it prints (`funds.total`, `tasks.name`: see
/// `crate::layouts::printed_fields`).
#[derive(Debug, Clone)]
pub struct Printed {
    pub form: crate::declaration::FormKind,
    pub layout: String,
    pub fields: Vec<String>,
}

/// The JSON Schema of a declaration of either form.
pub fn schema() -> Value {
    schema_for(&[])
}

/// The JSON Schema of declarations printed with a layout (`jixiao schema --layout ID`): only
/// the forms `printed` lists, `layout:` naming that layout, and every field the layout does not
/// print marked with a `deprecationMessage`, which the editor shows as a warning where it is
/// written (as `check` reports `layout.unprinted`) and never suggests. Without `printed`, the
/// schema of every declaration ([`schema`]).
///
/// ```
/// use jixiao::authoring::schema::{Printed, schema_for};
/// use jixiao::declaration::FormKind;
/// let printed = Printed { form: FormKind::Project, layout: "x".into(), fields: vec!["name".into()] };
/// let s = schema_for(&[printed]);
/// let goal = &s["definitions"]["project"]["properties"]["goal"];
/// assert!(goal["deprecationMessage"].as_str().unwrap().contains("版式 x 不打印"));
/// assert!(s["definitions"]["project"]["properties"]["name"].get("deprecationMessage").is_none());
/// ```
pub fn schema_for(printed: &[Printed]) -> Value {
    use crate::declaration::FormKind;
    let of = |kind: FormKind| printed.iter().find(|p| p.form == kind);
    let wanted = |kind: FormKind| printed.is_empty() || of(kind).is_some();
    let is_form = |names: &[&str]| {
        json!({
            "anyOf": keys::FORM.names().map(|k| json!({
                "properties": { k: { "enum": names } },
                "required": [k],
            })).collect::<Vec<_>>()
        })
    };
    let all_forms: Vec<&str> = [
        (FormKind::Project, keys::PROJECT_FORM_NAMES),
        (FormKind::Department, keys::DEPARTMENT_FORM_NAMES),
        (FormKind::ProjectSelfeval, keys::PROJECT_SELFEVAL_FORM_NAMES),
        (
            FormKind::DepartmentSelfeval,
            keys::DEPARTMENT_SELFEVAL_FORM_NAMES,
        ),
    ]
    .into_iter()
    .filter(|(kind, _)| wanted(*kind))
    .flat_map(|(_, names)| names.iter().copied())
    .collect();
    let form_property = json!({
        "description": keys::FORM.description,
        "enum": all_forms,
    });
    let mut defs = Defs::default();
    defs.indicators(INDICATORS, keys::INDICATOR);
    // A self-evaluation's inline indicators also carry their results (actual, points, …).
    defs.indicators(SELFEVAL_INDICATORS, keys::SELFEVAL_INDICATOR);
    let mut forms = Vec::new();
    for (kind, key, names, title) in [
        (
            FormKind::Project,
            "project",
            keys::PROJECT_FORM_NAMES,
            "《项目支出绩效目标申报表》",
        ),
        (
            FormKind::Department,
            "department",
            keys::DEPARTMENT_FORM_NAMES,
            "《部门整体支出绩效目标设置申报表》",
        ),
        (
            FormKind::ProjectSelfeval,
            "project-selfeval",
            keys::PROJECT_SELFEVAL_FORM_NAMES,
            "《项目支出绩效自评表》",
        ),
        (
            FormKind::DepartmentSelfeval,
            "department-selfeval",
            keys::DEPARTMENT_SELFEVAL_FORM_NAMES,
            "《部门整体支出绩效自评表》",
        ),
    ] {
        if !wanted(kind) {
            continue;
        }
        defs.printed = of(kind).cloned();
        defs.indicator_tree = if matches!(
            kind,
            FormKind::ProjectSelfeval | FormKind::DepartmentSelfeval
        ) {
            SELFEVAL_INDICATORS
        } else {
            INDICATORS
        };
        let object = defs.object(key, keys::form_keys(kind), Some(names), title);
        defs.defined.insert(key.into(), object);
        forms.push(
            json!({ "if": is_form(names), "then": { "$ref": format!("#/definitions/{key}") } }),
        );
    }
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "jixiao 绩效目标申报表声明",
        "description": "一个文件填一张表：form: project 为《项目支出绩效目标申报表》，form: department 为《部门整体支出绩效目标设置申报表》，form: project-selfeval、department-selfeval 为年终的绩效自评表。金额单位万元；留空的字段印为空白格。由 `jixiao schema` 生成。",
        "type": "object",
        "properties": {
            "form": form_property,
            "表单": form_property,
        },
        "anyOf": [{ "required": ["form"] }, { "required": ["表单"] }],
        "allOf": forms,
        "definitions": defs.defined,
    })
}

/// The schema as the text `jixiao schema` prints.
pub fn schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&schema()).expect("a JSON value always serialises");
    text.push('\n');
    text
}

/// A reference to a definition. Draft-07 ignores keywords beside `$ref`, so a reference that
/// needs a description of its own is wrapped in `allOf`.
fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/definitions/{name}") })
}

/// The definition of the target forms' indicator tree.
const INDICATORS: &str = "indicators";
/// The definition of a self-evaluation's inline indicator tree (each 三级 with its result).
const SELFEVAL_INDICATORS: &str = "selfeval-indicators";

/// The `definitions` of the schema: each mapping (block, list item, indicator tree) is defined
/// once and referenced from its key and every alias, which keeps the schema small.
#[derive(Default)]
struct Defs {
    defined: Map<String, Value>,
    /// The layout whose printed fields the form being defined is checked against, if any.
    printed: Option<Printed>,
    /// The indicator tree of the form being defined ([`INDICATORS`] when empty).
    indicator_tree: &'static str,
}

impl Defs {
    /// A closed mapping with `keys` (and their aliases) as properties. `form_names` narrows
    /// the `form` key to one form's names. `path` names the definitions of nested mappings.
    fn object(
        &mut self,
        path: &str,
        keys: &[Key],
        form_names: Option<&[&str]>,
        description: &str,
    ) -> Value {
        let mut properties = Map::new();
        let mut all_of = Vec::new();
        for k in keys {
            let value = self.value_schema(path, k, form_names);
            let names: Vec<&str> = k.names().collect();
            let unprinted = self.unprinted(path, k);
            for &name in &names {
                let text = hover_text(k, name);
                let mut property =
                    json!({ "description": text, "allOf": [value], "doNotSuggest": true });
                if let Some(message) = &unprinted {
                    property["deprecationMessage"] = json!(message);
                }
                properties.insert(name.to_string(), property);
                // Offered while no other spelling of the key is written (see the module doc).
                let others: Vec<Value> = names
                    .iter()
                    .filter(|&&n| n != name)
                    .map(|n| json!({ "required": [n] }))
                    .collect();
                let offer = json!({ "properties": { name: { "description": text } } });
                all_of.push(if others.is_empty() {
                    offer
                } else {
                    json!({ "if": { "not": { "anyOf": others } }, "then": offer })
                });
            }
            if k.required {
                all_of.push(json!({
                    "anyOf": k.names().map(|n| json!({ "required": [n] })).collect::<Vec<_>>()
                }));
            }
            // A key and its alias name the same field: writing both is a duplicate for the parser.
            let pairs: Vec<Value> = names
                .iter()
                .enumerate()
                .flat_map(|(i, a)| {
                    names[i + 1..]
                        .iter()
                        .map(move |b| json!({ "required": [a, b] }))
                })
                .collect();
            if !pairs.is_empty() {
                all_of.push(json!({ "not": { "anyOf": pairs } }));
            }
        }
        let mut out = json!({
            "type": "object",
            "description": description,
            "properties": properties,
            "additionalProperties": false,
        });
        if !all_of.is_empty() {
            out["allOf"] = Value::Array(all_of);
        }
        out
    }

    /// For a field the chosen layout does not print, the editor's warning. Only leaf fields
    /// are judged (a block is printed when any of its fields is); `form` and `layout` are not
    /// fields, and the indicators have a column of their own in every layout.
    fn unprinted(&self, path: &str, k: &Key) -> Option<String> {
        let printed = self.printed.as_ref()?;
        if matches!(
            k.ty,
            Ty::Form | Ty::Block(_) | Ty::List(_) | Ty::Indicators | Ty::Map(_)
        ) || k.key == "layout"
        {
            return None;
        }
        // A self-evaluation's `target` and `scoring` choose what is read and how it is scored;
        // they are not printed fields.
        if k.key == "target" || path.ends_with(".scoring") {
            return None;
        }
        // `department.tasks.item` + `name` → `tasks.name`, the layout's name for the field.
        let mut field: Vec<&str> = path.split('.').skip(1).filter(|s| *s != "item").collect();
        field.push(k.key);
        // A self-evaluation's results print as columns of the indicator table.
        if field.first() == Some(&"results") {
            field[0] = "indicators";
        }
        let field = field.join(".");
        (!crate::layouts::prints(&printed.fields, &field)).then(|| {
            format!(
                "版式 {} 不打印这个字段（jixiao check 会报 layout.unprinted）",
                printed.layout
            )
        })
    }

    /// The schema of one key's value. Each alternative carries the key's description and the
    /// way of writing it accepts (see the module doc: hover).
    fn value_schema(&mut self, path: &str, k: &Key, form_names: Option<&[&str]>) -> Value {
        let null = json!({ "type": "null", "description": "留空：表上印为空白格" });
        let placeholder = json!({ "type": "string", "pattern": PLACEHOLDER_PATTERN, "description": "占位符【请填写…】" });
        // A key the form needs may not be left empty; any other key may (a blank cell).
        let nullable = |mut alternatives: Vec<Value>| {
            if !k.required {
                alternatives.push(null.clone());
            }
            for alternative in &mut alternatives {
                let how = alternative["description"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                alternative["description"] = json!(format!("{}\n\n写法：{how}", k.description));
            }
            flag_placeholders(json!({ "anyOf": alternatives }))
        };
        match k.ty {
            Ty::Form => json!({ "enum": form_names.unwrap_or(keys::PROJECT_FORM_NAMES) }),
            Ty::Year => nullable(vec![
                json!({ "type": "integer", "minimum": 1900, "maximum": 2999, "description": "四位年份，如 2024" }),
                json!({ "type": "string", "pattern": YEAR_PATTERN, "description": "文字，如 2024年" }),
                placeholder,
            ]),
            Ty::Text => nullable(vec![
                json!({ "type": ["string", "number", "boolean"], "description": "文字" }),
            ]),
            Ty::Amount => nullable(vec![
                json!({ "type": "number", "minimum": 0, "description": "金额（万元），如 1203.78" }),
                json!({ "type": "string", "pattern": AMOUNT_PATTERN, "description": "文字写的金额（万元），如 \"1,203.78\"" }),
                placeholder,
            ]),
            Ty::Percent => nullable(vec![
                json!({ "type": "number", "minimum": 0, "description": "百分数的数值，如 97.5" }),
                json!({ "type": "string", "pattern": PERCENT_PATTERN, "description": "百分比，如 97.5%" }),
                placeholder,
            ]),
            Ty::Count => nullable(vec![
                json!({ "type": "integer", "minimum": 0, "description": "人数（整数）" }),
                json!({ "type": "string", "pattern": COUNT_PATTERN, "description": "文字写的人数" }),
                placeholder,
            ]),
            Ty::Bool => nullable(vec![
                json!({ "type": "boolean", "description": "true 或 false" }),
                json!({ "enum": keys::BOOL_WORDS, "description": "是 / 否" }),
                placeholder,
            ]),
            Ty::Comparator => nullable(vec![
                json!({ "enum": comparator_spellings(), "description": "比较符或“定性”" }),
            ]),
            Ty::Unit => nullable(vec![
                json!({ "enum": keys::AMOUNT_UNITS, "description": "万元 或 元" }),
            ]),
            Ty::Places => nullable(vec![
                json!({ "type": "integer", "minimum": 0, "maximum": 4, "description": "小数位数 0–4" }),
                json!({ "type": "string", "pattern": "^[0-4]$", "description": "文字写的小数位数" }),
            ]),
            Ty::Block(inner) => {
                let name = format!("{path}.{}", k.key);
                let object = self.object(&name, inner, None, k.description);
                self.defined.insert(name.clone(), object);
                nullable(vec![
                    json!({ "allOf": [reference(&name)], "description": "映射：其下的键见提示" }),
                ])
            }
            Ty::List(inner) => {
                let name = format!("{path}.{}.item", k.key);
                let object = self.object(&name, inner, None, k.description);
                self.defined.insert(name.clone(), object);
                nullable(vec![
                    json!({ "type": "array", "items": reference(&name), "description": "列表，每项一个映射" }),
                ])
            }
            Ty::Indicators => nullable(vec![
                json!({ "allOf": [reference(if self.indicator_tree.is_empty() { INDICATORS } else { self.indicator_tree })], "description": "一级指标 → 二级指标 → 三级指标列表" }),
            ]),
            Ty::Map(inner) => {
                let name = format!("{path}.{}.item", k.key);
                let object = self.object(&name, inner, None, k.description);
                self.defined.insert(name.clone(), object);
                nullable(vec![json!({
                    "type": "object",
                    "additionalProperties": { "anyOf": [reference(&name), { "type": "null" }] },
                    "description": "映射：以名称为键，其下的键见提示",
                })])
            }
        }
    }

    /// Defines `tree` (一级 → 二级 → list of 三级, with the scheme's names as the only keys)
    /// and `tree`'s item (one 三级, written with `keys`: `indicators` → `indicator`).
    fn indicators(&mut self, tree: &str, keys: &'static [Key]) {
        let item_name = tree.trim_end_matches('s').to_string();
        let item = self.indicator_item(&item_name, keys);
        self.defined.insert(item_name.clone(), item);
        let mut level1s = Map::new();
        for level1 in Level1::ALL {
            let mut level2s = Map::new();
            for (name, alias_of) in level2_names(level1) {
                let description = match alias_of {
                    None => format!("二级指标“{name}”：其下列出三级指标，每项 `- 名称: 指标值`"),
                    Some(l2) => format!(
                        "二级指标“{name}”：旧称，按“{}”打印（indicator.alias 警告）",
                        l2.name()
                    ),
                };
                let mut spec = json!({
                    "description": description,
                    "anyOf": [
                        { "type": "array", "items": reference(&item_name), "description": format!("{description}\n\n写法：三级指标列表") },
                        { "type": "null", "description": format!("{description}\n\n写法：留空") },
                    ],
                });
                if let Some(l2) = alias_of {
                    spec["deprecationMessage"] =
                        json!(format!("“{name}”是旧称：请改写为“{}”", l2.name()));
                    spec["doNotSuggest"] = json!(true);
                }
                level2s.insert(name.to_string(), spec);
            }
            let children: Vec<&str> = level1.children().map(|l2| l2.name()).collect();
            let mut ways = vec![
                json!({ "type": "object", "properties": level2s, "additionalProperties": false, "description": "二级指标的映射" }),
                json!({ "type": "null", "description": "留空" }),
            ];
            // A declaration's 一级 may instead hold free-text indicators (`- 指标1：…`); a
            // self-evaluation's may not (each of its indicators is scored).
            if tree == INDICATORS {
                ways.insert(
                    1,
                    json!({
                        "type": "array",
                        "items": { "type": "string", "minLength": 1, "maxLength": crate::validate::limits::MAX_SHORT_TEXT_CHARS },
                        "description": "按文字写的指标（不分二级）：每项一段文字，如 `- 指标1：完成高标准农田2.6万亩`",
                    }),
                );
            }
            level1s.insert(
                level1.name().to_string(),
                json!({
                    "description": format!("一级指标“{}”：其下的二级指标为 {}；也可以不分二级，直接列出按文字写的指标（`- 指标1：…`）", level1.name(), children.join("、")),
                    "anyOf": ways,
                }),
            );
        }
        self.defined.insert(
            tree.into(),
            json!({
                "description": "绩效指标：一级指标 → 二级指标 → 三级指标列表",
                "type": "object",
                "properties": level1s,
                "additionalProperties": false,
            }),
        );
    }

    /// A 三级 indicator: the shorthand `名称: 指标值` (one entry whose key is not a key of the
    /// full form) or the full mapping.
    fn indicator_item(&mut self, name: &str, keys: &'static [Key]) -> Value {
        let full_keys: Vec<&str> = keys.iter().flat_map(|k| k.names()).collect();
        let others: Vec<&str> = keys.iter().skip(2).map(|k| k.key).collect();
        let full = self.object(
            name,
            keys,
            None,
            &format!(
                "三级指标完整写法：name 与 value，另可写 {}",
                others.join("、")
            ),
        );
        json!({
            "anyOf": [
                {
                    "description": "三级指标简写：`名称: 指标值`，如 `新开办企业家数: ≥7500家`",
                    "type": "object",
                    "minProperties": 1,
                    "maxProperties": 1,
                    "propertyNames": { "not": { "enum": full_keys } },
                    "additionalProperties": flag_placeholders(json!({
                        "type": ["string", "number", "boolean", "null"],
                        "description": "指标值，如 ≥7500家",
                    })),
                },
                full,
            ]
        })
    }
}

/// `value` with a warning on a string that holds a placeholder: a `then` branch that is only a
/// `deprecationMessage`, which yaml-language-server reports where it applies. (Inside an `anyOf`
/// alternative the warning would compete with the other alternatives' errors and lose.)
fn flag_placeholders(mut value: Value) -> Value {
    value["if"] = json!({ "type": "string", "pattern": PLACEHOLDER_IN_TEXT });
    value["then"] = json!({ "deprecationMessage": PLACEHOLDER_MESSAGE });
    value
}

/// The hover text of `name`, one spelling of `k`.
fn hover_text(k: &Key, name: &str) -> String {
    if name == k.key {
        k.description.to_string()
    } else {
        format!("{}（同 `{}`）", k.description, k.key)
    }
}

/// Every spelling `指标性质` accepts: the comparators the value parser knows, and 定性.
pub fn comparator_spellings() -> Vec<&'static str> {
    // The candidates are filtered through the parser itself, so a spelling it drops disappears.
    const CANDIDATES: &[&str] = &[
        "≥", "≤", "=", ">", "<", ">=", "<=", "==", "≧", "≦", "⩾", "⩽", "＞", "＜", "＝", "＞＝",
        "＜＝",
    ];
    CANDIDATES
        .iter()
        .copied()
        .filter(|c| Comparator::parse(c).is_some())
        .chain(["定性"])
        .collect()
}

/// The 二级 names that may stand under `level1`: its own, and the legacy names the scheme
/// normalises there (asked of the scheme, so the two agree).
pub fn level2_names(level1: Level1) -> Vec<(&'static str, Option<Level2>)> {
    let mut out: Vec<(&'static str, Option<Level2>)> =
        level1.children().map(|l2| (l2.name(), None)).collect();
    for name in keys::LEGACY_LEVEL2 {
        if let Resolved::Alias(l2) = scheme::resolve_level2(level1, name)
            && !out.iter().any(|(n, _)| n == name)
        {
            out.push((name, Some(l2)));
        }
    }
    out
}

/// The key reference of `docs/declarations.md`, generated from the same table as the schema.
pub fn reference_markdown() -> String {
    let mut out = String::new();
    out.push_str("### 指标体系\n\n| 一级指标 | 二级指标 | 也接受的旧称（打印为规范名称，给出警告） |\n|---|---|---|\n");
    for level1 in Level1::ALL {
        let names = level2_names(level1);
        let canonical: Vec<&str> = names
            .iter()
            .filter(|(_, a)| a.is_none())
            .map(|(n, _)| *n)
            .collect();
        let legacy: Vec<String> = names
            .iter()
            .filter_map(|(n, a)| a.map(|l2| format!("{n} → {}", l2.name())))
            .collect();
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            level1.name(),
            canonical.join("、"),
            legacy.join("；")
        ));
    }
    out.push('\n');
    section(&mut out, "项目表 `form: project`", "", keys::PROJECT);
    section(&mut out, "部门表 `form: department`", "", keys::DEPARTMENT);
    section(
        &mut out,
        "三级指标完整写法（indicators 列表中的一项）",
        "",
        keys::INDICATOR,
    );
    section(
        &mut out,
        "自评表 `form: project-selfeval` / `form: department-selfeval`",
        "",
        keys::SELFEVAL,
    );
    section(
        &mut out,
        "自评表逐项写出的三级指标（没有目标申报表时，indicators 列表中的一项）",
        "",
        keys::SELFEVAL_INDICATOR,
    );
    out
}

fn section(out: &mut String, title: &str, prefix: &str, table: &[Key]) {
    if prefix.is_empty() {
        out.push_str(&format!("### {title}\n\n"));
    } else {
        out.push_str(&format!("#### {title}（`{prefix}`）\n\n"));
    }
    out.push_str("| 键 key | 也可写作（表上标签） | 类型 | 必填 | 说明 |\n|---|---|---|---|---|\n");
    for k in table {
        let aliases: Vec<String> = k.aliases.iter().map(|a| format!("`{a}`")).collect();
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            k.key,
            aliases.join("、"),
            k.ty.doc_name(),
            if k.required { "是" } else { "" },
            k.description.replace('|', "\\|"),
        ));
    }
    out.push('\n');
    for k in table {
        let path = if prefix.is_empty() {
            k.key.to_string()
        } else {
            format!("{prefix}.{}", k.key)
        };
        if let Ty::Block(inner) | Ty::List(inner) | Ty::Map(inner) = k.ty {
            let what = match k.ty {
                Ty::List(_) => "列表中的每一项",
                Ty::Map(_) => "每个名称下的键",
                _ => "其中的键",
            };
            section(
                out,
                &format!("{}：{what}", k.aliases.first().copied().unwrap_or(k.key)),
                &path,
                inner,
            );
        }
    }
}
