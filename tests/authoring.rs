//! Authoring aids (issue 8): `jixiao init`, `jixiao schema`, and the documents generated from
//! the key table.
//!
//! The schema is checked against the draft-07 meta-schema, against the real examples in `data/`
//! and every `init` output, against misspelt keys, and against the parser itself (every key and
//! alias in the schema is one the parser accepts, and every key the parser accepts is in the
//! schema), so editors and `jixiao check` cannot disagree about what a declaration may contain.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use jixiao::authoring::init::{placeholders, template};
use jixiao::authoring::keys::{self, Key, Ty};
use jixiao::authoring::schema::{reference_markdown, schema, schema_text};
use jixiao::declaration::{FormKind, parse};
use jixiao::diagnostic::Code;
use serde_json::{Value, json};

const FORMS: [FormKind; 2] = [FormKind::Project, FormKind::Department];

fn jixiao(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&schema()).expect("the schema compiles")
}

/// YAML → the JSON value an editor's schema check sees.
fn yaml_to_json(text: &str) -> Value {
    serde_saphyr::from_str::<Value>(text).expect("YAML that converts to JSON")
}

/// The schema errors of a YAML document, one line each (empty: valid).
fn schema_errors(text: &str) -> Vec<String> {
    let instance = yaml_to_json(text);
    validator()
        .iter_errors(&instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn init_output(kind: FormKind) -> String {
    let out = jixiao(&["init", kind.key()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "init {}: {}",
        kind.key(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn the_schema_is_a_valid_draft_07_schema_and_the_printed_one() {
    let schema = schema();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    jsonschema::meta::validate(&schema).expect("valid against the draft-07 meta-schema");
    let out = jixiao(&["schema"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), schema_text());
    let printed: Value = serde_json::from_str(&schema_text()).unwrap();
    assert_eq!(printed, schema);
}

#[test]
fn the_data_examples_satisfy_the_schema() {
    let mut seen = 0;
    let mut selfevals = 0;
    for entry in std::fs::read_dir(repo("data")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            let text = std::fs::read_to_string(&path).unwrap();
            assert_eq!(
                schema_errors(&text),
                Vec::<String>::new(),
                "{}",
                path.display()
            );
            seen += 1;
            selfevals += usize::from(
                text.contains("\nform: project-selfeval")
                    || text.contains("\nform: department-selfeval"),
            );
        }
    }
    assert!(
        seen >= 4,
        "the two chaisang examples and their self-evaluations at least"
    );
    assert!(selfevals >= 2, "the two self-evaluation examples");
}

#[test]
fn every_init_output_satisfies_the_schema_and_names_it_on_its_first_line() {
    for kind in FORMS {
        let text = init_output(kind);
        assert_eq!(text, template(kind));
        assert_eq!(
            text.lines().next(),
            Some("# yaml-language-server: $schema=jixiao.schema.json")
        );
        assert_eq!(
            schema_errors(&text),
            Vec::<String>::new(),
            "init {}",
            kind.key()
        );
        // The comments name every 一级 and 二级 of the scheme, so the user need not look them up.
        for level1 in jixiao::declaration::scheme::Level1::ALL {
            assert!(
                text.contains(&format!("{}:", level1.name())),
                "{}: {}",
                kind.key(),
                level1.name()
            );
            for level2 in level1.children() {
                assert!(
                    text.contains(level2.name()),
                    "{}: {}",
                    kind.key(),
                    level2.name()
                );
            }
        }
    }
}

#[test]
fn misspelt_keys_fail_the_schema_as_they_fail_the_parser() {
    let project = std::fs::read_to_string(repo("data/chaisang-2023-project.yaml")).unwrap();
    let department = std::fs::read_to_string(repo("data/chaisang-2023-department.yaml")).unwrap();
    let cases = [
        // top level, inside a block, inside a list item, and the form's label misspelt
        (project.replacen("\nname:", "\nnmae:", 1), "/nmae"),
        (
            project.replacen("  total: 150", "  totl: 150", 1),
            "/funds/totl",
        ),
        (
            department.replacen("  - name: 政务服务大厅", "  - nmae: 政务服务大厅", 1),
            "/tasks/0/nmae",
        ),
        (project.replacen("\nname:", "\n项目名字:", 1), "/项目名字"),
    ];
    for (text, path) in cases {
        assert_ne!(text, project, "the replacement happened");
        let errors = schema_errors(&text);
        assert!(
            !errors.is_empty(),
            "{path}: the schema accepts a misspelt key"
        );
        let outcome = parse(&text);
        assert!(
            outcome
                .diagnostics
                .iter()
                .any(|d| d.code == Code::YamlUnknownKey),
            "{path}: the parser accepts it: {:?}",
            outcome.diagnostics
        );
    }
    // An indicator group name outside the scheme, and a full indicator with a misspelt key.
    let bad_level2 = project.replacen("    数量指标:", "    数量目标:", 1);
    assert!(!schema_errors(&bad_level2).is_empty());
    let bad_full = project.replacen(
        "      - 新开办企业刻章数: =4枚",
        "      - name: 新开办企业刻章数\n        vaule: =4枚",
        1,
    );
    assert!(!schema_errors(&bad_full).is_empty());
    assert!(
        parse(&bad_full)
            .diagnostics
            .iter()
            .any(|d| d.code == Code::YamlUnknownKey)
    );
}

#[test]
fn self_evaluations_are_described_by_the_schema() {
    let project =
        std::fs::read_to_string(repo("data/chaisang-2023-project-selfeval.yaml")).unwrap();
    let department =
        std::fs::read_to_string(repo("data/chaisang-2023-department-selfeval.yaml")).unwrap();
    assert_eq!(schema_errors(&project), Vec::<String>::new());
    // Misspelt keys at the top level, in a block, in a list item, inside a result (whose own
    // key is an indicator's name, any text) and in the sign-off: each fails the schema as it
    // fails the parser.
    let cases = [
        (
            project.replacen(
                "
goal_result:",
                "
goal_reslt:",
                1,
            ),
            "/goal_reslt",
        ),
        (
            project.replacen(
                "  points: 10
  rows:",
                "  pionts: 10
  rows:",
                1,
            ),
            "/execution/pionts",
        ),
        (
            project.replacen("      initial: 150", "      inital: 150", 1),
            "/execution/rows/0/inital",
        ),
        (
            project.replacen("    actual: 7425家", "    actaul: 7425家", 1),
            "/results/…/actaul",
        ),
        (
            department.replacen("  preparer:", "  prepaer:", 1),
            "/signoff/prepaer",
        ),
    ];
    for (text, path) in cases {
        assert!(
            text != project && text != department,
            "{path}: the replacement happened"
        );
        assert!(
            !schema_errors(&text).is_empty(),
            "{path}: the schema accepts a misspelt key"
        );
        assert!(
            parse(&text)
                .diagnostics
                .iter()
                .any(|d| d.code == Code::YamlUnknownKey),
            "{path}: the parser accepts it"
        );
    }
    // A result under its printed labels, and a department self-evaluation's form name; the
    // form name of one kind with the other's form is still one form.
    let labels = project
        .replacen("    actual: 7425家", "    实际完成值: 7425家", 1)
        .replacen("form: project-selfeval", "表单: 项目自评", 1);
    assert_eq!(schema_errors(&labels), Vec::<String>::new());
    assert!(
        !schema_errors(&project.replacen(
            "form: project-selfeval",
            "form: project-selfevaluation",
            1
        ))
        .is_empty()
    );
    // Inline indicators carry their results; the target form's indicators do not.
    let inline = "form: project-selfeval\nname: 甲\nindicators:\n  产出指标:\n    数量指标:\n      - {name: 户数, value: ≥10户, actual: 9户, points: 10}\n";
    assert_eq!(schema_errors(inline), Vec::<String>::new());
    let target_form = "form: project\nname: 甲\nindicators:\n  产出指标:\n    数量指标:\n      - {name: 户数, value: ≥10户, actual: 9户}\n";
    assert!(!schema_errors(target_form).is_empty());
}

#[test]
fn a_key_and_its_alias_together_fail_the_schema_as_a_duplicate() {
    let project = std::fs::read_to_string(repo("data/chaisang-2023-project.yaml")).unwrap();
    let both = project.replacen("\nname:", "\n项目名称: 另一个名称\nname:", 1);
    assert!(!schema_errors(&both).is_empty());
    assert!(parse(&both).diagnostics.iter().any(|d| d.is_error()));
}

/// A minimal declaration that parses without any diagnostic, as a JSON value (JSON is YAML).
fn base(kind: FormKind) -> Value {
    let indicators = json!({ "产出指标": { "数量指标": [ { "家数": "≥10家" } ] } });
    match kind {
        FormKind::Project => json!({
            "form": "project", "year": 2024, "name": "测试项目", "goal": "目标",
            "funds": { "total": 1 }, "indicators": indicators,
        }),
        FormKind::Department => json!({
            "form": "department", "year": 2024, "name": "测试局", "indicators": indicators,
        }),
        FormKind::ProjectSelfeval | FormKind::DepartmentSelfeval => {
            unreachable!("FORMS lists the target forms")
        }
    }
}

/// A value of the key's type that the parser reads without complaint.
fn sample(kind: FormKind, k: &Key, marker: &str) -> Value {
    match k.ty {
        Ty::Form => json!(kind.key()),
        Ty::Year => json!(2024),
        Ty::Text => json!(marker),
        Ty::Amount => json!("12.5"),
        Ty::Percent => json!("12.5%"),
        Ty::Count => json!(7),
        Ty::Bool => json!(true),
        Ty::Comparator => json!("≥"),
        Ty::Unit => json!("元"),
        Ty::Places => json!(4),
        // A block holds what the form requires inside it (`funds.total`).
        Ty::Block(inner) => Value::Object(
            inner
                .iter()
                .filter(|i| i.required)
                .map(|i| (i.key.to_string(), sample(kind, i, marker)))
                .collect(),
        ),
        Ty::List(_) => json!([]),
        Ty::Map(_) => json!({}),
        Ty::Indicators => json!({ "效益指标": { "社会效益指标": [ { "营商环境": "良好" } ] } }),
    }
}

/// Where a nested mapping sits in a document: its keys' table and a function giving the mapping.
struct Site<'a> {
    /// Readable path, for messages.
    path: String,
    keys: &'static [Key],
    /// Builds a document with `entries` written in this mapping.
    doc: Box<dyn Fn(Value) -> Value + 'a>,
}

/// Every mapping of a form: the top level, each block, each list item, a full indicator.
fn sites(kind: FormKind) -> Vec<Site<'static>> {
    let mut out = vec![Site {
        path: String::new(),
        keys: keys::form_keys(kind),
        doc: Box::new(move |entries| {
            let mut doc = base(kind);
            merge(&mut doc, entries, keys::form_keys(kind));
            doc
        }),
    }];
    for k in keys::form_keys(kind) {
        if let Ty::Block(inner) | Ty::List(inner) = k.ty {
            let key = k.key;
            let is_list = matches!(k.ty, Ty::List(_));
            out.push(Site {
                path: key.to_string(),
                keys: inner,
                doc: Box::new(move |entries| {
                    let mut doc = base(kind);
                    let mut mapping = sample(
                        kind,
                        &Key {
                            ty: Ty::Block(inner),
                            ..*k
                        },
                        "",
                    );
                    merge(&mut mapping, entries, inner);
                    doc[key] = if is_list { json!([mapping]) } else { mapping };
                    doc
                }),
            });
            for inner_key in inner {
                if let Ty::Block(deeper) | Ty::List(deeper) = inner_key.ty {
                    let inner_name = inner_key.key;
                    let inner_is_list = matches!(inner_key.ty, Ty::List(_));
                    out.push(Site {
                        path: format!("{key}.{inner_name}"),
                        keys: deeper,
                        doc: Box::new(move |entries| {
                            let mut doc = base(kind);
                            let mut mapping = sample(
                                kind,
                                &Key {
                                    ty: Ty::Block(deeper),
                                    ..*inner_key
                                },
                                "",
                            );
                            merge(&mut mapping, entries, deeper);
                            let value = if inner_is_list {
                                json!([mapping])
                            } else {
                                mapping
                            };
                            let mut outer = sample(
                                kind,
                                &Key {
                                    ty: Ty::Block(inner),
                                    ..*k
                                },
                                "",
                            );
                            merge(&mut outer, json!({ inner_name: value }), inner);
                            doc[key] = if is_list { json!([outer]) } else { outer };
                            doc
                        }),
                    });
                }
            }
        }
    }
    out.push(Site {
        path: "indicators.产出指标.数量指标[0]".into(),
        keys: keys::INDICATOR,
        doc: Box::new(move |entries| {
            let mut item = json!({ "name": "刻章数", "value": "=4" });
            merge(&mut item, entries, keys::INDICATOR);
            let mut doc = base(kind);
            doc["indicators"] = json!({ "产出指标": { "数量指标": [item] } });
            doc
        }),
    });
    out
}

/// Writes `entries` into `target` (a mapping with the keys of `table`), first removing any key
/// that names the same field.
fn merge(target: &mut Value, entries: Value, table: &[Key]) {
    let (Value::Object(target), Value::Object(entries)) = (target, entries) else {
        panic!("objects")
    };
    for (name, value) in entries {
        if let Some(k) = table.iter().find(|k| k.names().any(|n| n == name)) {
            for other in k.names() {
                target.remove(other);
            }
        }
        target.insert(name, value);
    }
}

#[test]
fn every_key_and_alias_in_the_table_is_accepted_by_the_parser_and_the_schema() {
    let validator = validator();
    let mut checked = 0;
    for kind in FORMS {
        for site in sites(kind) {
            for k in site.keys {
                for name in k.names() {
                    let marker = format!("样例{}{}", site.path, name);
                    let doc = (site.doc)(json!({ name: sample(kind, k, &marker) }));
                    let text = serde_json::to_string(&doc).unwrap();
                    let outcome = parse(&text);
                    assert!(
                        outcome.diagnostics.is_empty(),
                        "{} `{}` in {}: the parser says {:?}\n{text}",
                        kind.key(),
                        name,
                        site.path,
                        outcome.diagnostics
                    );
                    let decl = outcome.declaration.expect("parsed");
                    if k.ty == Ty::Text {
                        // The value landed in a field of the declaration (it was not skipped).
                        assert!(
                            format!("{decl:?}").contains(&marker),
                            "{name} in {}: value lost",
                            site.path
                        );
                    }
                    let errors: Vec<String> =
                        validator.iter_errors(&doc).map(|e| e.to_string()).collect();
                    assert!(
                        errors.is_empty(),
                        "{} `{name}` in {}: the schema says {errors:?}",
                        kind.key(),
                        site.path
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 150, "only {checked} keys checked");
}

#[test]
fn every_key_the_parser_accepts_is_in_the_table() {
    // A key far from every known one makes the parser list the keys it accepts at that place.
    let unknown = "z".repeat(40);
    for kind in FORMS {
        for site in sites(kind) {
            let doc = (site.doc)(json!({ unknown.clone(): 1 }));
            let outcome = parse(&serde_json::to_string(&doc).unwrap());
            let diag = outcome
                .diagnostics
                .iter()
                .find(|d| d.code == Code::YamlUnknownKey)
                .unwrap_or_else(|| {
                    panic!(
                        "{}: no unknown-key error: {:?}",
                        site.path, outcome.diagnostics
                    )
                });
            let listed = diag
                .en
                .split_once("expected one of: ")
                .unwrap_or_else(|| panic!("{}: no list of keys in {:?}", site.path, diag.en))
                .1;
            // serde lists every name it accepts there, aliases included: the two sets must agree.
            let mut table: Vec<&str> = site.keys.iter().flat_map(|k| k.names()).collect();
            let mut accepted: Vec<&str> = listed.split(", ").map(|s| s.trim_matches('`')).collect();
            table.sort_unstable();
            accepted.sort_unstable();
            assert_eq!(
                accepted,
                table,
                "{} {}: parser (left) and table (right) differ",
                kind.key(),
                site.path
            );
        }
    }
}

/// 1-based line and character column of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap().chars().count() + 1;
    (line, column)
}

/// The placeholders in values (not those the header comments mention), with their offsets.
fn value_placeholders(text: &str) -> Vec<(usize, &str)> {
    placeholders(text)
        .into_iter()
        .filter(|(at, _)| {
            let line_start = text[..*at].rfind('\n').map_or(0, |i| i + 1);
            !text[line_start..*at].contains('#')
        })
        .collect()
}

/// Replaces every placeholder `【请填写…，如 示例】` in a value with its example.
fn fill(text: &str) -> String {
    let mut out = String::new();
    let mut last = 0;
    for (at, placeholder) in value_placeholders(text) {
        let inner = placeholder.trim_start_matches('【').trim_end_matches('】');
        let (_, example) = inner
            .split_once("，如 ")
            .unwrap_or_else(|| panic!("placeholder without an example (`，如 …`): {placeholder}"));
        out.push_str(&text[last..at]);
        out.push_str(example.trim());
        last = at + placeholder.len();
    }
    out.push_str(&text[last..]);
    out
}

#[test]
fn check_reports_every_placeholder_at_its_line_and_column_and_passes_once_filled() {
    let dir = tempfile::tempdir().unwrap();
    for kind in FORMS {
        let path = dir.path().join(format!("{}.yaml", kind.key()));
        let path_text = path.to_str().unwrap();
        let out = jixiao(&["init", kind.key(), "-o", path_text]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = std::fs::read_to_string(&path).unwrap();
        let found = value_placeholders(&text);
        assert!(
            found.len() >= 10,
            "{}: only {} placeholders",
            kind.key(),
            found.len()
        );

        let out = jixiao(&["check", path_text]);
        assert_eq!(out.status.code(), Some(1), "placeholders left: check fails");
        let stdout = String::from_utf8_lossy(&out.stdout);
        for (at, placeholder) in &found {
            let (line, column) = line_column(&text, *at);
            let place = format!("{path_text}:{line}:{column}:");
            let reported = stdout
                .lines()
                .find(|l| l.contains(&place))
                .unwrap_or_else(|| {
                    panic!("{placeholder} at {line}:{column} is not reported:\n{stdout}")
                });
            assert!(reported.contains("error"), "{reported}");
            assert!(
                reported.contains("field.placeholder") || reported.contains(placeholder),
                "the report names neither the rule nor the placeholder: {reported}"
            );
        }
        assert!(stdout.contains("field.placeholder"));

        let filled = fill(&text);
        assert!(value_placeholders(&filled).is_empty());
        std::fs::write(&path, &filled).unwrap();
        let out = jixiao(&["check", path_text]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{} filled in still fails:\n{}{}",
            kind.key(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(schema_errors(&filled), Vec::<String>::new());
    }
}

#[test]
fn init_out_refuses_to_overwrite_and_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.yaml");
    std::fs::write(&path, "my own work\n").unwrap();
    let out = jixiao(&["init", "project", "-o", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("已存在"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "my own work\n");
    assert!(out.stdout.is_empty());

    let fresh = dir.path().join("new.yaml");
    let out = jixiao(&["init", "department", "-o", fresh.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(&fresh).unwrap(),
        template(FormKind::Department)
    );
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["mine.yaml", "new.yaml"]);

    // Folders that do not exist yet are created (`init -o 新文件夹/x.yaml`).
    let nested = dir.path().join("新文件夹/子/x.yaml");
    let out = jixiao(&["init", "project", "-o", nested.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&nested).unwrap(),
        template(FormKind::Project)
    );

    // A folder that cannot be made (under a regular file) is an I/O problem, reported, not a panic.
    let out = jixiao(&[
        "init",
        "project",
        "-o",
        path.join("x.yaml").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("mine.yaml"));
}

const BEGIN: &str = "<!-- BEGIN generated key reference: do not edit (tests/authoring.rs) -->\n";
const END: &str = "<!-- END generated key reference -->";

#[test]
fn the_key_reference_in_the_docs_is_the_generated_one() {
    let path = repo("docs/declarations.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let start = text.find(BEGIN).expect("begin marker") + BEGIN.len();
    let end = text.find(END).expect("end marker");
    let expected = reference_markdown();
    if text[start..end] != expected && std::env::var_os("JIXIAO_BLESS_DOCS").is_some() {
        std::fs::write(
            &path,
            format!("{}{expected}{}", &text[..start], &text[end..]),
        )
        .unwrap();
        return;
    }
    assert!(
        text[start..end] == expected,
        "docs/declarations.md is out of date: run `JIXIAO_BLESS_DOCS=1 cargo test --test authoring`"
    );
}

#[test]
fn the_readme_and_the_rules_page_list_every_diagnostic_code() {
    for doc in ["README.md", "docs/rules.md"] {
        let text = std::fs::read_to_string(repo(doc)).unwrap();
        for code in Code::ALL {
            assert!(
                text.contains(&format!("`{code}`")),
                "{doc} does not list `{code}`"
            );
        }
    }
}

#[test]
fn every_indicator_group_the_schema_offers_is_one_check_accepts() {
    use jixiao::validate::{AllGlyphs, validate};
    let schema = schema();
    let level1s = schema["definitions"]["indicators"]["properties"]
        .as_object()
        .unwrap();
    let mut pairs = 0;
    for (level1, spec) in level1s {
        let level2s = spec["anyOf"][0]["properties"].as_object().unwrap();
        assert!(!level2s.is_empty(), "{level1}");
        for level2 in level2s.keys() {
            let doc = json!({
                "form": "department", "year": 2024, "name": "测试局",
                "indicators": { level1.as_str(): { level2.as_str(): [ { "某指标": "≥1次" } ] } },
            });
            assert!(validator().is_valid(&doc));
            let decl = parse(&serde_json::to_string(&doc).unwrap())
                .declaration
                .unwrap();
            let rejected: Vec<_> = validate(&decl, &AllGlyphs)
                .into_iter()
                .filter(|d| matches!(d.code, Code::IndicatorLevel1 | Code::IndicatorLevel2))
                .collect();
            assert!(
                rejected.is_empty(),
                "{level1}/{level2}: the schema offers it, check rejects it: {rejected:?}"
            );
            pairs += 1;
        }
    }
    assert!(pairs >= 12, "{pairs}");
}

#[test]
fn the_schema_for_a_layout_warns_on_the_fields_it_does_not_print() {
    let out = jixiao(&["schema", "--layout", "chaisang-2023"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    jsonschema::meta::validate(&s).expect("valid draft-07");
    let task = &s["definitions"]["department.tasks.item"]["properties"];
    // chaisang-2023 prints a task's total, not its 财政拨款/其他资金 columns (layout.unprinted).
    for unprinted in ["fiscal", "other"] {
        let m = task[unprinted]["deprecationMessage"]
            .as_str()
            .unwrap_or_default();
        assert!(
            m.contains("chaisang-2023") && m.contains("layout.unprinted"),
            "{unprinted}: {m}"
        );
    }
    for printed in ["name", "content", "goal", "amount"] {
        assert!(
            task[printed].get("deprecationMessage").is_none(),
            "{printed} is printed"
        );
    }
    // Both forms of a built-in id; the plain schema warns on nothing.
    assert!(s["definitions"]["project"].is_object() && s["definitions"]["department"].is_object());
    assert!(!schema_text().contains("layout.unprinted"));

    // A definition file of one form: that form only.
    let shaanxi = repo("data/layouts/shaanxi-project.yaml");
    let out = jixiao(&["schema", "--layout", shaanxi.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(s["definitions"]["project"].is_object());
    assert!(s["definitions"].get("department").is_none());
    assert_eq!(
        s["properties"]["form"]["enum"],
        json!(keys::PROJECT_FORM_NAMES)
    );

    let out = jixiao(&["schema", "--layout", "chaisang-2032"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("layout.unknown") && err.contains("chaisang-2023"),
        "{err}"
    );
}
