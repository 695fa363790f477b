//! The catalogue of everything the program says that is not a rule diagnostic: I/O errors,
//! usage, progress and summaries, each in Chinese and English.
//!
//! Rule diagnostics carry their own two messages ([`crate::diagnostic::Diagnostic`]); the
//! catalogue covers the rest, so that a user who chose a language never meets the other one.
//! Every entry is written in both languages side by side, with the same `{name}` placeholders;
//! the tests check that none is missing or mismatched.
//!
//! The language is, in this order of precedence ([`resolve`]): `--lang`, then `JIXIAO_LANG`
//! (`zh` or `en`), then the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`, the first that is set):
//! English when it starts with `en`, Chinese otherwise (also for `C` and `POSIX`, which say
//! nothing about the user's language: the forms and their users are Chinese).

use std::fmt::Display;

use crate::diagnostic::Lang;

macro_rules! catalogue {
    ($($(#[$doc:meta])* $id:ident { zh: $zh:literal, en: $en:literal, })*) => {
        /// One message of the catalogue.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Msg { $($(#[$doc])* $id,)* }

        impl Msg {
            /// Every message, for the tests.
            pub const ALL: &'static [Msg] = &[$(Msg::$id,)*];

            /// The message's template in `lang`, with `{name}` placeholders.
            pub fn template(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Msg::$id, Lang::Zh) => $zh, (Msg::$id, Lang::En) => $en,)*
                }
            }
        }
    };
}

catalogue! {
    /// A line that reports a failure (stderr).
    Error { zh: "错误：{message}", en: "error: {message}", }
    /// A line that adds something worth knowing (stderr).
    Note { zh: "注意：{message}", en: "note: {message}", }

    // Inputs.
    InputMissing { zh: "{path}：没有这个文件或文件夹", en: "{path}: no such file or folder", }
    InputUnreadable { zh: "{path}：无法读取：{error}", en: "{path}: cannot read: {error}", }
    InputTooLarge {
        zh: "{path}：文件有 {size} 字节，声明文件最大 {limit} 字节",
        en: "{path}: file is {size} bytes; declarations are limited to {limit} bytes",
    }
    FontsUnusable { zh: "无法加载字体：{error}", en: "cannot load the fonts: {error}", }
    TemplateUnreadable { zh: "{path}：无法读取模板：{error}", en: "{path}: cannot read the template: {error}", }
    FolderNotCreated { zh: "{path}：无法创建文件夹：{error}", en: "{path}: cannot create the folder: {error}", }
    FileNotWritten { zh: "{path}：无法写入：{error}", en: "{path}: cannot write: {error}", }

    // Usage.
    UsageUnknownArgument {
        zh: "无法识别的参数 {arg}（运行 jixiao --help 查看用法）",
        en: "unexpected argument {arg} (run jixiao --help for the usage)",
    }
    UsageInvalidValue {
        zh: "参数 {arg} 的值无效（运行 jixiao --help 查看可选值）",
        en: "invalid value for {arg} (run jixiao --help for the accepted values)",
    }
    UsageMissing {
        zh: "缺少必需的参数 {arg}（运行 jixiao --help 查看用法）",
        en: "a required argument is missing: {arg} (run jixiao --help for the usage)",
    }
    UsageOther { zh: "命令行用法有误（运行 jixiao --help 查看用法）", en: "wrong usage (run jixiao --help for the usage)", }
    UsageBadEnvLang {
        zh: "环境变量 JIXIAO_LANG={value} 无效：应为 zh 或 en",
        en: "the environment variable JIXIAO_LANG={value} is not valid: use zh or en",
    }
    StdinTwice {
        zh: "标准输入只能读一次：`-` 只能出现一次",
        en: "standard input can be read once: give `-` only once",
    }
    StdinNameClash {
        zh: "--stdin-name {name} 与另一个输入文件同名；换一个名字",
        en: "--stdin-name {name} is also the name of another input; choose another name",
    }
    StdinNameUnused { zh: "--stdin-name 只在输入为 `-`（标准输入）时使用", en: "--stdin-name is only used with `-` (standard input)", }
    StdinNeedsName {
        zh: "从标准输入生成到文件夹时，用 --stdin-name 名称.yaml 给输出文件命名",
        en: "rendering standard input into a folder needs --stdin-name NAME.yaml to name the outputs",
    }
    StdoutOneFile {
        zh: "-o - 把一份 PDF 写到标准输出：只能给一个声明文件（现在有 {count} 个）",
        en: "-o - writes one PDF to standard output: give exactly one declaration ({count} given)",
    }
    StdoutNoWorkbook { zh: "-o - 不能与 --workbook 同时使用", en: "-o - cannot be used with --workbook", }
    StdoutIsTerminal {
        zh: "标准输出是终端，不写出二进制的 {format}；请重定向，如 jixiao render x.yaml -o - > x.{format}",
        en: "standard output is a terminal: not writing a binary {format}; redirect it, e.g. jixiao render x.yaml -o - > x.{format}",
    }

    // check.
    CheckFileSummary { zh: "{path}：{errors} 个错误，{warnings} 个警告", en: "{path}: {errors} {errors_word}, {warnings} {warnings_word}", }
    CheckSummary {
        zh: "共检查 {files} 个文件：{failed} 个有错误{unreadable}；合计 {errors} 个错误，{warnings} 个警告",
        en: "checked {files} {files_word}: {failed} with errors{unreadable}; {errors} {errors_word}, {warnings} {warnings_word} in total",
    }
    CheckSummaryUnreadable { zh: "，{count} 个无法读取", en: ", {count} unreadable", }
    CheckFileTime { zh: "{path}：检查用时 {ms} 毫秒", en: "{path}: checked in {ms} ms", }

    // render.
    RenderHasErrors { zh: "{path}：有错误，未生成", en: "{path}: has errors, nothing written", }
    RenderCannotMake { zh: "{path}：无法生成 {format}：{error}", en: "{path}: cannot make the {format}: {error}", }
    RenderInternal { zh: "{path}：生成时出现内部错误：{error}", en: "{path}: internal error while rendering: {error}", }
    RenderSameName {
        zh: "{path}：与 {first} 同名，会覆盖它的输出；请改掉其中一个的名字",
        en: "{path}: has the same name as {first}, whose output it would overwrite; rename one of them",
    }
    RenderWrote { zh: "[{n}/{total}] 已写出 {files}", en: "[{n}/{total}] wrote {files}", }
    RenderWroteTimed { zh: "[{n}/{total}] 已写出 {files}（{ms} 毫秒）", en: "[{n}/{total}] wrote {files} ({ms} ms)", }
    RenderFileSeparator { zh: "、", en: ", ", }
    RenderProgressBar {
        zh: "{elapsed_precise} [{wide_bar}] {pos}/{len} 份  {per_sec}  剩余 {eta}  {msg}",
        en: "{elapsed_precise} [{wide_bar}] {pos}/{len} forms  {per_sec}  ETA {eta}  {msg}",
    }
    RenderSummary {
        zh: "完成：共 {n} 个文件，已生成 {ok} 个（其中 {warned} 个有警告），失败 {failed} 个，用时 {secs} 秒（每秒 {rate} 个）",
        en: "done: {n} files, {ok} rendered ({warned} with warnings), {failed} failed, {secs} s ({rate} files/s)",
    }
    WorkbookClash {
        zh: "{path}：汇总工作簿会覆盖 {input} 的 XLSX；换一个文件名或文件夹",
        en: "{path}: the workbook would overwrite the XLSX of {input}; choose another name or folder",
    }
    WorkbookAddFailed { zh: "{path}：无法把这张表加入汇总工作簿：{error}", en: "{path}: cannot add the form to the workbook: {error}", }
    WorkbookSheetFailed { zh: "{path}：无法生成汇总工作簿中的表：{error}", en: "{path}: cannot make the workbook sheet: {error}", }
    WorkbookWriting { zh: "正在写出汇总工作簿…", en: "writing the workbook…", }
    WorkbookWritten { zh: "已写出汇总工作簿 {path}（汇总 + {sheets} 张表）", en: "wrote the workbook {path} (汇总 + {sheets} forms)", }
    WorkbookNotWritten { zh: "{path}：无法写出汇总工作簿：{error}", en: "{path}: cannot write the workbook: {error}", }
    WorkbookLeavesOut {
        zh: "汇总工作簿中失败的 {failed} 个文件没有表（汇总 中列出其状态和首个错误）",
        en: "the workbook has no sheet for the {failed} files that failed (汇总 lists their status and first error)",
    }
    CheckXlsxNeedsOut { zh: "--format xlsx 需要 -o 文件.xlsx", en: "--format xlsx needs -o FILE.xlsx", }
    MergeAddFailed { zh: "{path}：无法加入合并的 PDF：{error}", en: "{path}: cannot add the form to the merged PDF: {error}", }
    MergeWriting { zh: "正在写出合并的 PDF…", en: "writing the merged PDF…", }
    MergeWritten {
        zh: "已写出合并的 PDF {path}（{forms} 张表，{pages} 页）",
        en: "wrote the merged PDF {path} ({forms} forms, {pages} pages)",
    }
    MergeLeavesOut { zh: "合并的 PDF 不含失败的 {failed} 个文件", en: "the merged PDF leaves out the {failed} files that failed", }

    // init and sample.
    InitWritten {
        zh: "已写入 {path}：把其中的【请填写…】换成实际内容，然后运行 jixiao check {path}",
        en: "wrote {path}: replace its 【请填写…】 placeholders, then run jixiao check {path}",
    }
    InitSchemaHint {
        zh: "（编辑器提示键名：在同一文件夹运行 jixiao schema > {schema}）",
        en: "(for key hints in the editor, run jixiao schema > {schema} in the same folder)",
    }
    InitExists {
        zh: "{path}：文件已存在，init 不会覆盖它；请换一个文件名，或先删除它",
        en: "{path}: file exists; init never overwrites: choose another name or delete it first",
    }
    SampleWritten { zh: "已把 {count} 份声明写入 {path}", en: "wrote {count} declarations to {path}", }

    // watch.
    WatchStarted {
        zh: "正在监视 {path}（输出到 {out}）；保存文件即重新检查和生成，按 Ctrl+C 结束",
        en: "watching {path} (output in {out}); saving a file checks and renders it again; Ctrl+C stops",
    }
    WatchRendered { zh: "{path}：已生成 {files}（{ms} 毫秒）", en: "{path}: wrote {files} ({ms} ms)", }
    WatchKept {
        zh: "{path}：有错误，保留上次生成的文件；改正后保存即重新生成",
        en: "{path}: has errors, the last good output is kept; save a fix to render again",
    }
    WatchFailed { zh: "无法监视 {path}：{error}", en: "cannot watch {path}: {error}", }
    WatchNotDeclaration {
        zh: "{path}：不是 .yaml 或 .yml 文件，也不是文件夹",
        en: "{path}: neither a .yaml or .yml file nor a folder",
    }
}

impl Msg {
    /// The message in `lang`, with each `{name}` replaced by its value in `args`.
    pub fn text(self, lang: Lang, args: &[(&str, &dyn Display)]) -> String {
        fill(self.template(lang), args)
    }

    /// The message in `lang` without arguments.
    pub fn plain(self, lang: Lang) -> String {
        self.text(lang, &[])
    }
}

/// `template` with each `{name}` of `args` replaced; other braces are kept as they are (the
/// progress bar's template has placeholders of its own).
fn fill(template: &str, args: &[(&str, &dyn Display)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').and_then(|close| {
            args.iter()
                .find(|(n, _)| *n == &after[..close])
                .map(|a| (close, a))
        }) {
            Some((close, (_, value))) => {
                out.push_str(&value.to_string());
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A failure line for stderr: `错误：…` / `error: …`.
pub fn error(lang: Lang, message: impl Display) -> String {
    Msg::Error.text(lang, &[("message", &message)])
}

/// A note line for stderr: `注意：…` / `note: …`.
pub fn note(lang: Lang, message: impl Display) -> String {
    Msg::Note.text(lang, &[("message", &message)])
}

/// `1 error` / `2 errors` (English only needs it; Chinese counts take no plural).
pub fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

/// The message of an input that could not be read.
pub fn input_error(e: &crate::inputs::InputError, lang: Lang) -> String {
    use crate::inputs::InputError;
    match e {
        InputError::Missing(p) => {
            Msg::InputMissing.text(lang, &[("path", &crate::inputs::shown(p))])
        }
        InputError::Unreadable(p, error) => Msg::InputUnreadable.text(
            lang,
            &[("path", &crate::inputs::shown(p)), ("error", error)],
        ),
        InputError::TooLarge(p, size) => Msg::InputTooLarge.text(
            lang,
            &[
                ("path", &crate::inputs::shown(p)),
                ("size", size),
                ("limit", &crate::declaration::parse::limits::MAX_FILE_BYTES),
            ],
        ),
    }
}

/// The language of the messages: `--lang` when given, then `JIXIAO_LANG`, then the locale (see
/// the module documentation). Err: `JIXIAO_LANG` is set to something else than `zh` or `en`.
pub fn resolve(flag: Option<Lang>) -> Result<Lang, String> {
    resolve_from(flag, |name| std::env::var(name).ok())
}

/// [`resolve`] with the environment given (for tests).
pub fn resolve_from(
    flag: Option<Lang>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Lang, String> {
    if let Some(lang) = flag {
        return Ok(lang);
    }
    if let Some(value) = env("JIXIAO_LANG").filter(|v| !v.is_empty()) {
        return match value.to_ascii_lowercase().as_str() {
            "zh" => Ok(Lang::Zh),
            "en" => Ok(Lang::En),
            _ => Err(value),
        };
    }
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|n| env(n).filter(|v| !v.is_empty()));
    Ok(match locale {
        Some(l) if l.to_ascii_lowercase().starts_with("en") => Lang::En,
        _ => Lang::Zh,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholders(template: &str) -> Vec<&str> {
        let mut names: Vec<&str> = template
            .split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(name, _)| name))
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    fn has_han(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    #[test]
    fn every_message_is_in_both_languages_with_the_same_placeholders() {
        let mut problems = Vec::new();
        for &m in Msg::ALL {
            let (zh, en) = (m.template(Lang::Zh), m.template(Lang::En));
            if zh.trim().is_empty() || en.trim().is_empty() {
                problems.push(format!("{m:?}: empty"));
            }
            // English plurals are placeholders Chinese does not need.
            let en_names: Vec<&str> = placeholders(en)
                .into_iter()
                .filter(|n| !n.ends_with("_word"))
                .collect();
            if placeholders(zh) != en_names {
                problems.push(format!(
                    "{m:?}: placeholders {:?} ≠ {:?}",
                    placeholders(zh),
                    en_names
                ));
            }
            // The Chinese side is Chinese (or punctuation alone); the English side is not a copy.
            let bare = fill(
                zh,
                &placeholders(zh)
                    .iter()
                    .map(|n| (*n, &"" as &dyn Display))
                    .collect::<Vec<_>>(),
            );
            if zh == en || (!has_han(zh) && bare.chars().any(|c| c.is_ascii_alphabetic())) {
                problems.push(format!("{m:?}: the Chinese message is not Chinese: {zh}"));
            }
            if has_han(en) && en.chars().filter(|c| c.is_ascii_alphabetic()).count() < 3 {
                problems.push(format!("{m:?}: the English message is not English: {en}"));
            }
        }
        assert!(problems.is_empty(), "{problems:#?}");
    }

    #[test]
    fn placeholders_are_filled_and_other_braces_kept() {
        let s = Msg::InputUnreadable.text(Lang::En, &[("path", &"a.yaml"), ("error", &"denied")]);
        assert_eq!(s, "a.yaml: cannot read: denied");
        assert_eq!(
            Msg::InputUnreadable.text(Lang::Zh, &[("path", &"a.yaml"), ("error", &"x")]),
            "a.yaml：无法读取：x"
        );
        assert!(
            Msg::RenderProgressBar
                .plain(Lang::Zh)
                .contains("{wide_bar}")
        );
        assert_eq!(error(Lang::Zh, "x"), "错误：x");
        assert_eq!(fill("{a}{b}{", &[("a", &1)]), "1{b}{");
    }

    #[test]
    fn language_precedence() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |n: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == n)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(resolve_from(None, env(&[])), Ok(Lang::Zh));
        assert_eq!(
            resolve_from(None, env(&[("LANG", "en_US.UTF-8")])),
            Ok(Lang::En)
        );
        assert_eq!(
            resolve_from(None, env(&[("LANG", "C.UTF-8")])),
            Ok(Lang::Zh)
        );
        assert_eq!(
            resolve_from(
                None,
                env(&[("LANG", "en_US.UTF-8"), ("LC_ALL", "zh_CN.UTF-8")])
            ),
            Ok(Lang::Zh)
        );
        assert_eq!(
            resolve_from(None, env(&[("LANG", "zh_CN.UTF-8"), ("JIXIAO_LANG", "en")])),
            Ok(Lang::En)
        );
        assert_eq!(
            resolve_from(Some(Lang::Zh), env(&[("JIXIAO_LANG", "en")])),
            Ok(Lang::Zh)
        );
        assert_eq!(
            resolve_from(None, env(&[("JIXIAO_LANG", "fr")])),
            Err("fr".to_string())
        );
    }
}
