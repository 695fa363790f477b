//! YAML syntax errors explained for the slips people make when they fill a form.
//!
//! The scanner knows *what* broke (`did not find expected comment or line break`); a person
//! filling a form needs *what to write instead*. [`explain`] looks at the scanner's error kind and
//! at the line it stopped on (and the line before, where a slip often starts) and recognises:
//! a value starting with a YAML indicator (`>`, `|`, `*`, `&`, `!`, `%`, `@`, a backquote), a
//! tab in the indentation, a key followed by `:` without a space or by a full-width `：`, an
//! unclosed quote or bracket. Each gets a message in Chinese and English that says what to
//! write, at the character to fix, with the code `yaml.syntax`.

use granit_parser::{ErrorKind, ScanError};

use crate::diagnostic::{Code, Diagnostic, Loc};

/// The scanner's error as a located `yaml.syntax` diagnostic in the user's words.
pub fn explain(err: &ScanError, source: &str) -> Diagnostic {
    let m = err.marker();
    let at = Loc::new(
        u32::try_from(m.line()).unwrap_or(u32::MAX),
        u32::try_from(m.col() + 1).unwrap_or(u32::MAX),
    );
    let (loc, zh, en) = slip(err.kind(), source, at).unwrap_or_else(|| {
        let (zh, en) = kind_words(err.kind());
        (at, zh, en)
    });
    Diagnostic::error(Code::YamlSyntax, loc, zh, en)
}

type Words = (Loc, String, String);

fn slip(kind: &ErrorKind, source: &str, at: Loc) -> Option<Words> {
    let lines: Vec<&str> = crate::diagnostic::lines(source).collect();
    let line_at = |n: u32| lines.get((n as usize).checked_sub(1)?).copied();
    match kind {
        ErrorKind::TabInIndentation
        | ErrorKind::TabInBlockIndentation
        | ErrorKind::TabNotAllowed
        | ErrorKind::TabInPlainScalar
        | ErrorKind::TabAtBlockScalarStart => {
            let loc = tab_after(&lines, at).unwrap_or(at);
            return Some((loc, TAB.0.to_string(), TAB.1.to_string()));
        }
        ErrorKind::UnclosedQuotedScalar => {
            let (loc, quote) = opening(source, at, &['"', '\'']).unwrap_or((at, '"'));
            return Some((
                loc,
                format!(
                    "引号没有闭合：这里的 {quote} 之后一直没有配对的结尾 {quote}。请在值的末尾补上 {quote}，或去掉开头的 {quote}"
                ),
                format!(
                    "unclosed quote: the {quote} here is never closed. Add the closing {quote} at the end of the value, or remove the opening one"
                ),
            ));
        }
        ErrorKind::UnclosedFlowCollection { .. }
        | ErrorKind::UnexpectedEofFlowSequence
        | ErrorKind::UnexpectedEofFlowMapping
        | ErrorKind::UnexpectedEofImplicitFlowMapping
        | ErrorKind::InvalidColonPlacement
        | ErrorKind::MappingValueNotAllowed
        | ErrorKind::ExpectedFlowSequenceSeparator
        | ErrorKind::ExpectedFlowMappingSeparator
            if flow_kind_or_open_above(kind, source, at) =>
        {
            let (loc, open) = opening(source, at, &['[', '{']).unwrap_or((at, '['));
            let close = if open == '[' { ']' } else { '}' };
            return Some((
                loc,
                format!(
                    "括号没有闭合：这里的 “{open}” 之后一直没有配对的 “{close}”。“{open}” 开头的值在 YAML 里是{}；如果它是文字的一部分，请给整个值加引号，如 '{open}…'",
                    if open == '[' { "列表" } else { "映射" }
                ),
                format!(
                    "unclosed bracket: the `{open}` here is never closed by `{close}`. A value starting with `{open}` is a YAML {}; if it is part of the text, put the whole value in quotes, e.g. '{open}…'",
                    if open == '[' { "list" } else { "mapping" }
                ),
            ));
        }
        _ => {}
    }
    // The line the scanner stopped on, then the ones before it (a slip on one line often
    // breaks the next).
    let first = at.line.max(1);
    for n in (first.saturating_sub(2).max(1)..=first).rev() {
        let Some(line) = line_at(n) else { continue };
        if let Some(w) = indicator_slip(line, n) {
            return Some(w);
        }
        if let Some(w) = colon_slip(line, n) {
            return Some(w);
        }
    }
    if let Some(line) = line_at(first)
        && let Some(col) = leading_tab(line)
    {
        return Some((Loc::new(first, col), TAB.0.to_string(), TAB.1.to_string()));
    }
    None
}

/// Whether the error is about an unclosed flow collection: said so by its kind, or a `[`/`{`
/// opened on an earlier line is still open where the scanner stopped (the next line's `key:`
/// then breaks inside the list).
fn flow_kind_or_open_above(kind: &ErrorKind, source: &str, at: Loc) -> bool {
    match kind {
        ErrorKind::UnclosedFlowCollection { .. }
        | ErrorKind::UnexpectedEofFlowSequence
        | ErrorKind::UnexpectedEofFlowMapping
        | ErrorKind::UnexpectedEofImplicitFlowMapping => true,
        _ => opening(source, at, &['[', '{']).is_some_and(|(loc, _)| loc.line < at.line),
    }
}

const TAB: (&str, &str) = (
    "缩进里有 Tab：YAML 只能用空格缩进。请把这一行开头的 Tab 换成空格（同一层对齐）",
    "a tab in the indentation: YAML indents with spaces only. Replace the tab at the start of this line with spaces (aligned with its level)",
);

/// Where a line's value starts: after `- ` items and the first `: ` of a key, if any.
fn value_start(line: &str) -> Option<(usize, &str)> {
    let mut rest = line;
    let mut offset = 0;
    loop {
        let trimmed = rest.trim_start_matches(' ');
        offset += rest.len() - trimmed.len();
        rest = trimmed;
        match rest
            .strip_prefix("- ")
            .or_else(|| (rest == "-").then_some(""))
        {
            Some(r) => {
                offset += rest.len() - r.len();
                rest = r;
            }
            None => break,
        }
    }
    if rest.starts_with('#') || rest.is_empty() {
        return None;
    }
    // A key: the value follows the first `: ` outside quotes.
    if !rest.starts_with(['"', '\''])
        && let Some(i) = rest.find(": ")
    {
        let value = rest[i + 2..].trim_start_matches(' ');
        let skipped = rest.len() - value.len();
        return Some((offset + skipped, value));
    }
    Some((offset, rest))
}

/// A value that starts with a character YAML reserves.
fn indicator_slip(line: &str, n: u32) -> Option<Words> {
    let (byte, value) = value_start(line)?;
    let c = value.chars().next()?;
    let col = u32::try_from(line[..byte].chars().count() + 1).ok()?;
    let what = match c {
        '>' | '|' => {
            // `key: |` or `key: >-` start a block of text: legitimate unless more follows.
            let header =
                value[1..].trim_start_matches(|c: char| c.is_ascii_digit() || c == '+' || c == '-');
            if header.is_empty() || header.starts_with([' ', '#']) {
                return None;
            }
            ("多行文字的标记", "the mark of a multi-line text block")
        }
        '*' => ("别名（引用）", "an alias (a reference)"),
        '&' => ("锚点", "an anchor"),
        '!' => ("标签", "a tag"),
        '%' => ("指令", "a directive"),
        '@' | '`' => ("保留字符", "a reserved character"),
        _ => return None,
    };
    let example = value.trim_end();
    let better = match (c, value.get(1..2)) {
        ('>', Some("=")) => format!("，或写成 ≥{}", &value[2..].trim_end()),
        ('>', _) => format!("，或写成 ＞{}", &value[1..].trim_end()),
        _ => String::new(),
    };
    let better_en = match (c, value.get(1..2)) {
        ('>', Some("=")) => format!(", or write ≥{}", &value[2..].trim_end()),
        _ => String::new(),
    };
    let c_en = if c == '`' {
        "a backquote".to_string()
    } else {
        format!("`{c}`")
    };
    Some((
        Loc::new(n, col),
        format!(
            "值以 “{c}” 开头：YAML 把行首的 “{c}” 当作{}，而不是文字。请给整个值加引号，如 '{example}'{better}",
            what.0
        ),
        format!(
            "a value starting with {c_en}: YAML reads a leading {c_en} as {}, not as text. Put the whole value in quotes, e.g. '{example}'{better_en}",
            what.1
        ),
    ))
}

/// A key followed by a full-width `：` or by `:` without a space.
fn colon_slip(line: &str, n: u32) -> Option<Words> {
    let (byte, rest) = value_start(line)?;
    if rest.starts_with(['"', '\'', '[', '{']) || rest.contains(": ") || rest.ends_with(':') {
        return None;
    }
    let col_of = |i: usize| u32::try_from(line[..byte + i].chars().count() + 1).unwrap_or(u32::MAX);
    if let Some(i) = rest.find('：') {
        let (key, value) = (&rest[..i], rest[i + '：'.len_utf8()..].trim());
        return Some((
            Loc::new(n, col_of(i)),
            format!("键后面用了全角冒号 “：”：YAML 只认半角冒号加空格。请写成 {key}: {value}"),
            format!(
                "a full-width colon `：` after the key: YAML needs an ASCII colon and a space. Write {key}: {value}"
            ),
        ));
    }
    let i = rest.find(':')?;
    let (key, value) = (&rest[..i], &rest[i + 1..]);
    // `http://…`, `10:30`: a colon inside a value, not a key.
    if key.is_empty() || value.starts_with('/') || key.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some((
        Loc::new(n, col_of(i + 1)),
        format!(
            "冒号后面缺少空格：YAML 的键和值之间要写 “: ”（冒号加空格）。请写成 {key}: {value}"
        ),
        format!(
            "no space after the colon: YAML separates a key from its value with `: ` (a colon and a space). Write {key}: {value}"
        ),
    ))
}

/// The column (1-based) of a tab in a line's indentation.
fn leading_tab(line: &str) -> Option<u32> {
    let indent: String = line
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    indent
        .chars()
        .position(|c| c == '\t')
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// The first tab at or after `from` (the scanner reports the token before the tab).
fn tab_after(lines: &[&str], from: Loc) -> Option<Loc> {
    lines
        .iter()
        .enumerate()
        .skip(from.line.saturating_sub(1) as usize)
        .find_map(|(i, line)| {
            let skip = if i + 1 == from.line as usize {
                from.column.saturating_sub(1) as usize
            } else {
                0
            };
            let col = line
                .chars()
                .enumerate()
                .skip(skip)
                .find(|(_, c)| *c == '\t')?
                .0;
            Some(Loc::new(
                u32::try_from(i + 1).ok()?,
                u32::try_from(col + 1).ok()?,
            ))
        })
}

/// The last unmatched opening quote or bracket (of `opens`) before `at`, found by a small scan
/// that knows comments and quotes.
fn opening(source: &str, at: Loc, opens: &[char]) -> Option<(Loc, char)> {
    let mut stack: Vec<(Loc, char)> = Vec::new();
    let mut quote: Option<(Loc, char)> = None;
    for (i, line) in crate::diagnostic::lines(source).enumerate() {
        let n = u32::try_from(i + 1).ok()?;
        if n > at.line {
            break;
        }
        let chars: Vec<char> = line.chars().collect();
        let mut j = 0;
        while j < chars.len() {
            let c = chars[j];
            let loc = Loc::new(n, u32::try_from(j + 1).ok()?);
            match quote {
                Some((_, q)) => {
                    if c == q {
                        if q == '\'' && chars.get(j + 1) == Some(&'\'') {
                            j += 1;
                        } else {
                            quote = None;
                        }
                    } else if c == '\\' && q == '"' {
                        j += 1;
                    }
                }
                None => match c {
                    '#' if j == 0 || chars[j - 1] == ' ' => break,
                    '"' | '\'' if j == 0 || matches!(chars[j - 1], ' ' | '[' | '{' | ',') => {
                        quote = Some((loc, c))
                    }
                    '[' | '{' => stack.push((loc, c)),
                    ']' | '}' => {
                        stack.pop();
                    }
                    _ => {}
                },
            }
            j += 1;
        }
    }
    if opens.contains(&'"') {
        return quote.filter(|(_, q)| opens.contains(q));
    }
    stack.into_iter().rev().find(|(_, c)| opens.contains(c))
}

/// Every other scanner error, in words (zh, en).
fn kind_words(kind: &ErrorKind) -> (String, String) {
    let (zh, en): (&str, &str) = match kind {
        ErrorKind::InvalidIndentation
        | ErrorKind::InvalidBlockScalarIndent
        | ErrorKind::ExpectedBlockMappingKey
        | ErrorKind::ExpectedBlockSequenceEntry
        | ErrorKind::SimpleKeyExpected
        | ErrorKind::InvalidSimpleKey
        | ErrorKind::BlockSequenceEntryNotAllowed => (
            "缩进不齐或缺少冒号：同一层的键要左对齐（用空格缩进），每个键后面写 “: ”（冒号加空格）再写值",
            "indentation does not line up, or a colon is missing: keys of one level start in the same column (indent with spaces), and each key is followed by `: ` (a colon and a space) and its value",
        ),
        ErrorKind::MismatchedFlowCollectionEnd { .. } | ErrorKind::MisplacedFlowCollectionEnd => (
            "括号不配对：“[” 要用 “]” 结束，“{” 要用 “}” 结束；如果括号是文字的一部分，请给整个值加引号",
            "brackets do not match: `[` closes with `]`, `{` with `}`; if the bracket is part of the text, put the whole value in quotes",
        ),
        ErrorKind::UnknownAnchor | ErrorKind::MissingAnchorOrAliasName => (
            "值以 “*” 或 “&” 开头：YAML 把它当作别名或锚点。请给整个值加引号，如 '*说明'",
            "a value starting with `*` or `&`: YAML reads it as an alias or an anchor. Put the whole value in quotes, e.g. '*note'",
        ),
        ErrorKind::UnexpectedCharacter { .. } => (
            "此处的字符在 YAML 中有特殊含义（@ ` % 等不能放在值的开头）：请给整个值加引号",
            "this character has a special meaning in YAML (@, `, % and others cannot start a value): put the whole value in quotes",
        ),
        ErrorKind::UnknownQuotedScalarEscape
        | ErrorKind::InvalidQuotedScalarHexEscape
        | ErrorKind::InvalidLowSurrogateHexEscape => (
            "双引号里的反斜杠 “\\” 是转义符：请改用单引号，或把 “\\” 写成 “\\\\”",
            "a backslash inside double quotes starts an escape: use single quotes instead, or write `\\\\`",
        ),
        ErrorKind::InvalidTrailingSingleQuotedScalar
        | ErrorKind::InvalidTrailingDoubleQuotedScalar => (
            "引号结束后还有文字：要么整个值都放在引号里，要么都不用引号",
            "text follows the closing quote: put the whole value inside the quotes, or use none",
        ),
        ErrorKind::CommentNotSeparated
        | ErrorKind::ExpectedWhitespace
        | ErrorKind::InvalidBlockEntryWhitespace => (
            "缺少空格：“- ” 和 “: ” 后面、“#” 注释前面都要有空格",
            "a space is missing: `- ` and `: ` are followed by a space, and a `#` comment is preceded by one",
        ),
        ErrorKind::RecursionLimitExceeded => (
            "嵌套过深：申报表只需要 6 层",
            "nested too deep: a declaration needs 6 levels",
        ),
        ErrorKind::BomInsideDocument => (
            "文件中间有一个不可见的字节顺序标记（BOM）：请删掉它（常见于拼接的文件）",
            "an invisible byte-order mark (BOM) in the middle of the file: delete it (common in joined files)",
        ),
        _ => (
            "此处的 YAML 写法无法识别：请检查缩进（只用空格）、“: ” 后的空格、引号和括号是否成对",
            "this YAML cannot be read: check the indentation (spaces only), the space after `: `, and that quotes and brackets are paired",
        ),
    };
    (zh.to_string(), en.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::declaration::tree::load;

    fn syntax(text: &str) -> Diagnostic {
        let d = load(text)
            .diagnostics
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no error for {text:?}"));
        assert_eq!(d.code, Code::YamlSyntax, "{text:?}: {d:?}");
        d
    }

    #[test]
    fn a_value_starting_with_greater_than_says_quote_or_write_the_sign() {
        let d = syntax("indicators:\n  a:\n    - 随访管理率: >=95%\n");
        assert_eq!(d.loc, Loc::new(3, 14));
        assert!(
            d.zh.contains("'>=95%'") && d.zh.contains("≥95%"),
            "{}",
            d.zh
        );
        assert!(d.en.contains("quotes"), "{}", d.en);
    }

    #[test]
    fn a_tab_is_pointed_at() {
        let d = syntax("form: project\nfunds:\n  total: 150\n\tfiscal: 150\n");
        assert_eq!(d.loc, Loc::new(4, 1));
        assert!(d.zh.contains("Tab") && d.en.contains("spaces"), "{d:?}");
    }

    #[test]
    fn unclosed_quote_and_bracket_point_at_the_opening() {
        let d = syntax("form: project\nname: \"刻章\ngoal: x\n");
        assert_eq!(d.loc, Loc::new(2, 7), "{d:?}");
        let d = syntax("form: project\nname: [刻章\ngoal: x\n");
        assert_eq!(d.loc, Loc::new(2, 7), "{d:?}");
        assert!(d.zh.contains("“[”"), "{}", d.zh);
    }
}
