//! The editor schema as an editor sees it: yaml-language-server itself (the server of VS Code's
//! YAML extension and others), driven over stdio with the Language Server Protocol, on a file
//! that names `jixiao schema`'s output on its first line as `jixiao init` writes it.
//!
//! The server is `yaml-language-server` on the PATH, or the script named by
//! `JIXIAO_YAML_LANGUAGE_SERVER` (run with `node`). Without node or the server the test prints
//! why and passes: `.ci/run` installs both (`npm install -g yaml-language-server`).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long one answer may take (the server's first schema load included).
const ANSWER_TIMEOUT: Duration = Duration::from_secs(60);

/// The command that starts the server, if node and the server are installed.
fn server_command() -> Option<Command> {
    let works = |c: &mut Command| {
        c.arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if !works(&mut Command::new("node")) {
        return None;
    }
    if let Some(script) = std::env::var_os("JIXIAO_YAML_LANGUAGE_SERVER") {
        let mut c = Command::new("node");
        c.arg(script);
        return Some(c);
    }
    // The npm launcher answers `--version` with its own usage; just see that it exists.
    let on_path = std::env::var_os("PATH").is_some_and(|p| {
        std::env::split_paths(&p).any(|d| d.join("yaml-language-server").is_file())
    });
    on_path.then(|| Command::new("yaml-language-server"))
}

/// One server on stdio: requests out, messages in (a thread reads the frames).
struct Server {
    child: Child,
    stdin: ChildStdin,
    inbox: Receiver<Value>,
    next_id: i64,
    /// Notifications seen while waiting for answers (diagnostics).
    notifications: Vec<Value>,
}

impl Server {
    fn start(mut command: Command) -> Server {
        let mut child = command
            .arg("--stdio")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, inbox) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length:") {
                        length = n.trim().parse::<usize>().ok();
                    }
                }
                let Some(length) = length else { return };
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let Ok(message) = serde_json::from_slice::<Value>(&body) else {
                    return;
                };
                if tx.send(message).is_err() {
                    return;
                }
            }
        });
        Server {
            child,
            stdin,
            inbox,
            next_id: 0,
            notifications: Vec::new(),
        }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and waits for its answer, answering the server's own requests meanwhile.
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        let deadline = Instant::now() + ANSWER_TIMEOUT;
        loop {
            let message = self
                .receive(deadline)
                .unwrap_or_else(|| panic!("no answer to {method} in time"));
            if message.get("id") == Some(&json!(id)) && message.get("method").is_none() {
                return message["result"].clone();
            }
        }
    }

    /// The next message, with the server's requests answered and notifications kept.
    fn receive(&mut self, deadline: Instant) -> Option<Value> {
        let message = match self
            .inbox
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            Ok(m) => m,
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return None,
        };
        if let (Some(id), Some(method)) = (
            message.get("id"),
            message.get("method").and_then(Value::as_str),
        ) {
            // `workspace/configuration`: the settings of each item asked for.
            let result = if method == "workspace/configuration" {
                let items = message["params"]["items"].as_array().map_or(0, Vec::len);
                Value::Array(vec![settings()["yaml"].clone(); items])
            } else {
                Value::Null
            };
            self.send(json!({ "jsonrpc": "2.0", "id": id, "result": result }));
        } else if message.get("method").is_some() {
            self.notifications.push(message.clone());
        }
        Some(message)
    }

    /// Waits until the server has published diagnostics for `uri` that satisfy `done`.
    fn diagnostics(&mut self, uri: &str, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let deadline = Instant::now() + ANSWER_TIMEOUT;
        loop {
            let found = self.notifications.iter().rev().find(|n| {
                n["method"] == "textDocument/publishDiagnostics" && n["params"]["uri"] == uri
            });
            if let Some(n) = found {
                let list = n["params"]["diagnostics"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                if done(&list) {
                    return list;
                }
            }
            if self.receive(deadline).is_none() {
                panic!("no diagnostics for {uri} in time: {:?}", self.notifications);
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn settings() -> Value {
    json!({ "yaml": { "validate": true, "hover": true, "completion": true, "format": { "enable": false } } })
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn schema_file(dir: &Path) -> PathBuf {
    let path = dir.join(jixiao::authoring::schema::SCHEMA_FILE_NAME);
    std::fs::write(&path, jixiao::authoring::schema::schema_text()).unwrap();
    path
}

fn open(server: &mut Server, dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    let uri = uri(&path);
    server.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "yaml", "version": 1, "text": text } }),
    );
    uri
}

/// The hover text at the first occurrence of `needle` (its first character) in `text`.
fn hover(server: &mut Server, uri: &str, text: &str, needle: &str) -> String {
    let (line, character) = position(text, needle);
    let result = server.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } }),
    );
    result["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// Line and UTF-16 column of `needle` in `text`.
fn position(text: &str, needle: &str) -> (usize, usize) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in the document"));
    let line = text[..at].matches('\n').count();
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    (line, text[start..at].encode_utf16().count())
}

fn completion_labels(server: &mut Server, uri: &str, line: usize, character: usize) -> Vec<String> {
    let result = server.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } }),
    );
    let items = result.get("items").cloned().unwrap_or(result);
    items
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["label"].as_str().map(String::from))
        .collect()
}

const DOCUMENT: &str = "# yaml-language-server: $schema=jixiao.schema.json
form: project
year: 2024
unit: 某某局
name: 某某项目

funds:
  total: 1203.78
  fiscal: 1203.78
attribute: 【请填写：新增项目或延续项目】
goal: 完成全年任务
indicators:
  产出指标:
    数量指标:
      - 新开办企业家数: ≥7500家
  效益指标:
    社会效益指标:
      - 惠及企业: 【请填写指标值】
  满意度指标:
    服务对象满意度指标:
      - 满意度: ≥95%
";

#[test]
fn yaml_language_server_hovers_suggests_and_flags_as_the_schema_says() {
    let Some(command) = server_command() else {
        println!(
            "skipped: node or yaml-language-server is not installed (npm install -g yaml-language-server)"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path().canonicalize().unwrap();
    schema_file(&dir);
    let mut server = Server::start(command);
    server.request(
        "initialize",
        json!({
            "processId": std::process::id(),
            "rootUri": uri(&dir),
            "capabilities": {
                "textDocument": {
                    "hover": { "contentFormat": ["markdown", "plaintext"] },
                    "completion": { "completionItem": { "snippetSupport": false } },
                    "publishDiagnostics": {},
                },
                "workspace": { "configuration": true },
            },
            "initializationOptions": settings(),
        }),
    );
    server.notify("initialized", json!({}));
    server.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": settings() }),
    );
    let uri = open(&mut server, &dir, "x.yaml", DOCUMENT);

    // Hover on a number key (a choice of alternatives in the schema) and a nested amount.
    let year = hover(&mut server, &uri, DOCUMENT, "year");
    assert!(year.contains("年度"), "hover on year: {year:?}");
    let total = hover(&mut server, &uri, DOCUMENT, "total");
    assert!(
        total.contains("资金总额") || total.contains("合计"),
        "hover on funds.total: {total:?}"
    );
    let name = hover(&mut server, &uri, DOCUMENT, "name");
    assert!(!name.is_empty(), "hover on name");

    // Completion on the blank line after `name`: `name` is written, so its Chinese spelling
    // 项目名称 is not offered; `implementer`, written in neither spelling, is offered in both.
    let blank = DOCUMENT.lines().position(str::is_empty).unwrap();
    let labels = completion_labels(&mut server, &uri, blank, 0);
    assert!(
        labels.iter().any(|l| l == "implementer"),
        "implementer is offered: {labels:?}"
    );
    assert!(
        labels.iter().any(|l| l == "实施单位"),
        "the Chinese spelling of implementer is offered: {labels:?}"
    );
    assert!(
        !labels.iter().any(|l| l == "项目名称"),
        "项目名称 is offered although name is written: {labels:?}"
    );
    assert!(
        !labels.iter().any(|l| l == "name"),
        "name is offered although written: {labels:?}"
    );

    // Placeholders left by init are flagged, in a text field and in an indicator value.
    let diagnostics = server.diagnostics(&uri, |list| {
        list.iter().filter(|d| placeholder(d)).count() >= 2
    });
    let lines: Vec<u64> = diagnostics
        .iter()
        .filter(|d| placeholder(d))
        .filter_map(|d| d["range"]["start"]["line"].as_u64())
        .collect();
    let expected = |needle: &str| position(DOCUMENT, needle).0 as u64;
    assert!(lines.contains(&expected("attribute")), "{diagnostics:?}");
    assert!(lines.contains(&expected("惠及企业")), "{diagnostics:?}");
    // (The server raises a schema's message to an error, as `check` does with field.placeholder.)
    assert!(
        diagnostics.iter().all(placeholder),
        "the document is otherwise valid: {diagnostics:?}"
    );
}

fn placeholder(d: &Value) -> bool {
    d["message"].as_str().is_some_and(|m| m.contains("占位符"))
}

#[test]
fn yaml_language_server_warns_on_and_does_not_offer_legacy_indicator_names() {
    let Some(command) = server_command() else {
        println!(
            "skipped: node or yaml-language-server is not installed (npm install -g yaml-language-server)"
        );
        return;
    };
    let legacy = jixiao::authoring::keys::LEGACY_LEVEL2;
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path().canonicalize().unwrap();
    schema_file(&dir);
    let mut server = Server::start(command);
    server.request("initialize", json!({ "processId": null, "rootUri": uri(&dir), "capabilities": {}, "initializationOptions": settings() }));
    server.notify("initialized", json!({}));
    server.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": settings() }),
    );
    // Under 效益指标, a blank line to complete on.
    let text = "# yaml-language-server: $schema=jixiao.schema.json\nform: project\nyear: 2024\nname: x\ngoal: y\nfunds:\n  total: 1\nindicators:\n  效益指标:\n    \n";
    let uri = open(&mut server, &dir, "y.yaml", text);
    let labels = completion_labels(&mut server, &uri, 9, 4);
    assert!(labels.iter().any(|l| l == "社会效益指标"), "{labels:?}");
    let offered: Vec<&String> = labels
        .iter()
        .filter(|l| legacy.contains(&l.as_str()))
        .collect();
    assert!(offered.is_empty(), "legacy names offered: {offered:?}");
}
