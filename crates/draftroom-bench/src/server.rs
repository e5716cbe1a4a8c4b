//! What the bench talks to: `draftroom` processes it starts itself (on a
//! fresh embedded store, or on a Redis it is given), the reference servers
//! it starts itself (the `@y/websocket-server` of the y-websocket project,
//! and y-sweet), or a server already running at a URL.

use std::net::TcpListener as StdListener;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, bail};
use draftroom_auth::{Claims, Role, Secret};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::process::{Child, Command};

const SPACE: &str = "bench";
const SECRET: &str = "draftroom-bench-secret";

#[derive(clap::Args, Clone, Default)]
pub struct Target {
    /// Start this draftroom binary and bench it.
    #[arg(long, conflicts_with_all = ["url", "y_websocket", "y_sweet"])]
    pub draftroom: Option<PathBuf>,
    /// Store for the started draftroom: a directory (default: a fresh
    /// temporary one) or a redis:// URL.
    #[arg(long, requires = "draftroom")]
    pub store: Option<String>,
    /// Start the reference server of the y-websocket project: the directory
    /// holding `node_modules/@y/websocket-server` (see `bench/`).
    #[arg(long, conflicts_with_all = ["url", "y_sweet"])]
    pub y_websocket: Option<PathBuf>,
    /// Start this y-sweet binary (in memory, no auth) and bench it.
    #[arg(long, conflicts_with = "url")]
    pub y_sweet: Option<PathBuf>,
    /// Or bench a running server: its websocket URL up to the document
    /// name, e.g. ws://127.0.0.1:1234 for the reference y-websocket server.
    #[arg(long)]
    pub url: Option<String>,
    /// Query string to add to each document URL (e.g. token=...).
    #[arg(long, requires = "url")]
    pub query: Option<String>,
    /// The running server's process id, to measure its CPU and memory.
    #[arg(long, requires = "url")]
    pub pid: Option<u32>,
    /// An argument to add to each started draftroom's `serve` (repeat for
    /// several: `--serve-arg=--watch-window --serve-arg=0s`).
    #[arg(long = "serve-arg", requires = "draftroom", allow_hyphen_values = true)]
    pub serve_args: Vec<String>,
}

enum Kind {
    Draftroom {
        binary: PathBuf,
        store: String,
        /// Keeps a fresh embedded store alive while the servers run.
        _temp: Option<tempfile::TempDir>,
    },
    YWebsocket,
    YSweet,
    External {
        query: Option<String>,
        pid: Option<u32>,
    },
}

/// The servers under test.
pub struct Running {
    name: String,
    kind: Kind,
    nodes: Vec<Node>,
}

struct Node {
    /// The websocket URL up to the document name.
    base: String,
    /// host:port, for y-sweet's HTTP API.
    addr: String,
    child: Option<Child>,
}

impl Target {
    /// What the report calls the server.
    pub fn name(&self) -> String {
        if self.draftroom.is_some() {
            match &self.store {
                Some(store) if store.starts_with("redis") => "draftroom (redis)".into(),
                _ => "draftroom (embedded)".into(),
            }
        } else if self.y_websocket.is_some() {
            "@y/websocket-server".into()
        } else if self.y_sweet.is_some() {
            "y-sweet".into()
        } else {
            self.url.clone().unwrap_or_default()
        }
    }

    /// Starts `nodes` server processes (several only for draftroom, on one
    /// store), each draftroom serving with `serve_args` added; or names the
    /// running server.
    pub async fn start(&self, nodes: usize, serve_args: &[&str]) -> anyhow::Result<Running> {
        if nodes > 1 && self.draftroom.is_none() {
            bail!("several nodes need --draftroom");
        }
        if let Some(binary) = &self.draftroom {
            let temp = match &self.store {
                Some(_) => None,
                None => Some(tempfile::tempdir()?),
            };
            let store = match (&self.store, &temp) {
                (Some(store), _) => store.clone(),
                (None, Some(dir)) => dir.path().display().to_string(),
                (None, None) => bail!("no store"),
            };
            let mut running = Running {
                name: self.name(),
                kind: Kind::Draftroom {
                    binary: binary.clone(),
                    store,
                    _temp: temp,
                },
                nodes: Vec::new(),
            };
            let mut args: Vec<&str> = self.serve_args.iter().map(String::as_str).collect();
            args.extend_from_slice(serve_args);
            for _ in 0..nodes {
                running.start_node(&args).await?;
            }
            return Ok(running);
        }
        if let Some(dir) = &self.y_websocket {
            let script = dir.join("node_modules/@y/websocket-server/src/server.js");
            if !script.is_file() {
                bail!(
                    "{} is missing: run `npm ci` in {}",
                    script.display(),
                    dir.display()
                );
            }
            let port = free_port()?;
            let mut command = Command::new("node");
            command
                .arg(&script)
                .env("HOST", "127.0.0.1")
                .env("PORT", port.to_string())
                .env_remove("YPERSISTENCE")
                .env_remove("CALLBACK_URL");
            return self.start_reference(Kind::YWebsocket, command, port).await;
        }
        if let Some(binary) = &self.y_sweet {
            let port = free_port()?;
            let mut command = Command::new(binary);
            command
                .args(["serve", "--host", "127.0.0.1", "--port", &port.to_string()])
                .env("RUST_LOG", "warn")
                .env("NO_COLOR", "1")
                .env_remove("PORT")
                .env_remove("Y_SWEET_STORE")
                .env_remove("Y_SWEET_AUTH");
            return self.start_reference(Kind::YSweet, command, port).await;
        }
        if let Some(url) = &self.url {
            let base = url.trim_end_matches('/').to_owned();
            return Ok(Running {
                name: self.name(),
                kind: Kind::External {
                    query: self.query.clone(),
                    pid: self.pid,
                },
                nodes: vec![Node {
                    addr: base
                        .split_once("://")
                        .map_or("", |(_, rest)| rest.split('/').next().unwrap_or(""))
                        .to_owned(),
                    base,
                    child: None,
                }],
            });
        }
        bail!("name a server: --draftroom BINARY, --y-websocket DIR, --y-sweet BINARY or --url URL")
    }
}

/// Starts `target` (`nodes` of it), runs `work` on it, and stops it,
/// whether or not the work succeeded.
pub async fn on<T>(
    target: &Target,
    nodes: usize,
    work: impl AsyncFnOnce(&Running) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let running = target.start(nodes, &[]).await?;
    let result = work(&running).await;
    running.stop().await;
    result
}

/// A loopback port nobody listens on just now.
fn free_port() -> anyhow::Result<u16> {
    Ok(StdListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

impl Target {
    /// Starts a reference server with `command` and waits until it accepts
    /// connections on `port`.
    async fn start_reference(
        &self,
        kind: Kind,
        mut command: Command,
        port: u16,
    ) -> anyhow::Result<Running> {
        let mut child = command
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .context("could not start the server")?;
        for _ in 0..200 {
            if TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return Ok(Running {
                    name: self.name(),
                    kind,
                    nodes: vec![Node {
                        base: format!("ws://127.0.0.1:{port}"),
                        addr: format!("127.0.0.1:{port}"),
                        child: Some(child),
                    }],
                });
            }
            if let Some(status) = child.try_wait()? {
                bail!("the server exited at start: {status}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        bail!("the server did not listen on port {port} within 10 s")
    }
}

impl Running {
    /// Starts one more draftroom process on the store; returns its index.
    pub async fn start_node(&mut self, serve_args: &[&str]) -> anyhow::Result<usize> {
        let Kind::Draftroom { binary, store, .. } = &self.kind else {
            bail!("only draftroom nodes are started on demand");
        };
        let mut child = Command::new(binary)
            .args([
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--store",
                store,
                "--secret",
                SECRET,
            ])
            .args(serve_args)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("could not start {}", binary.display()))?;
        let stdout = child.stdout.take().context("no stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let addr = loop {
            let line = tokio::time::timeout(Duration::from_secs(10), lines.next_line())
                .await
                .context("draftroom did not start within 10 s")??
                .context("draftroom exited before listening")?;
            if let Some(addr) = line.strip_prefix("Draftroom listening on http://") {
                break addr.to_owned();
            }
        };
        self.nodes.push(Node {
            base: format!("ws://{addr}/ws/{SPACE}"),
            addr,
            child: Some(child),
        });
        Ok(self.nodes.len() - 1)
    }

    /// Makes `doc` ready to connect to (y-sweet serves only documents it
    /// was asked to create).
    pub async fn prepare(&self, doc: &str) -> anyhow::Result<()> {
        if let Kind::YSweet = self.kind {
            let body = serde_json::json!({ "docId": doc }).to_string();
            http_post(&self.nodes[0].addr, "/doc/new", &body).await?;
        }
        Ok(())
    }

    /// The websocket URL of `doc` on node `node` for a client called `user`
    /// who writes (a member) or only watches (an observer).
    pub fn url(&self, node: usize, doc: &str, user: &str, writes: bool) -> String {
        let query = match &self.kind {
            Kind::Draftroom { .. } => {
                let now = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs());
                let role = if writes { Role::Member } else { Role::Observer };
                let claims = Claims::issued(SPACE, user, role, now, 24 * 3600)
                    .expect("a day from now is in time");
                let secret = Secret::new(SECRET).expect("the bench secret is long enough");
                format!("?token={}", secret.sign(&claims))
            }
            Kind::External {
                query: Some(query), ..
            } => format!("?{query}"),
            _ => String::new(),
        };
        match self.kind {
            // y-sweet's clients add the document's name to a base URL that
            // already names it.
            Kind::YSweet => format!("{}/d/{doc}/ws/{doc}", self.nodes[node].base),
            _ => format!("{}/{doc}{query}", self.nodes[node].base),
        }
    }

    /// The process serving node `node`, when known.
    pub fn pid(&self, node: usize) -> Option<u32> {
        match &self.kind {
            Kind::External { pid, .. } => *pid,
            _ => self.nodes[node].child.as_ref().and_then(Child::id),
        }
    }

    /// The store the started draftroom servers use (a directory or a Redis
    /// URL).
    pub fn store(&self) -> Option<&str> {
        match &self.kind {
            Kind::Draftroom { store, .. } => Some(store),
            _ => None,
        }
    }

    pub fn name(&self) -> String {
        self.name.clone()
    }

    /// Kills node `node` with SIGKILL: nothing is flushed.
    pub async fn kill(&mut self, node: usize) {
        if let Some(mut child) = self.nodes[node].child.take() {
            let _ = child.kill().await;
        }
    }

    /// Stops node `node` with SIGTERM and waits: it writes its snapshots.
    pub async fn terminate(&mut self, node: usize) -> anyhow::Result<()> {
        if let Some(mut child) = self.nodes[node].child.take() {
            let pid = child.id().context("no pid")?;
            std::process::Command::new("kill")
                .args(["-TERM", &pid.to_string()])
                .status()?;
            child.wait().await?;
        }
        Ok(())
    }

    pub async fn stop(mut self) {
        for node in 0..self.nodes.len() {
            self.kill(node).await;
        }
    }
}

/// A minimal HTTP/1.1 POST of a JSON body; fails unless the answer is 2xx.
async fn http_post(addr: &str, path: &str, body: &str) -> anyhow::Result<()> {
    let mut stream = TcpStream::connect(addr).await?;
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await?;
    let status = answer.split_whitespace().nth(1).unwrap_or("");
    if !status.starts_with('2') {
        bail!(
            "POST {path} answered {:?}",
            answer.lines().next().unwrap_or("")
        );
    }
    Ok(())
}

/// The version a reference server reports, for the comparison's table.
pub fn describe(target: &Target) -> String {
    if let Some(binary) = &target.draftroom {
        return output_of(binary, &["--version"]);
    }
    if let Some(dir) = &target.y_websocket {
        let version = |package: &str| {
            std::fs::read_to_string(dir.join(format!("node_modules/{package}/package.json")))
                .ok()
                .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
                .and_then(|json| json["version"].as_str().map(str::to_owned))
                .unwrap_or_else(|| "?".into())
        };
        return format!(
            "@y/websocket-server {} (yjs {}, node {})",
            version("@y/websocket-server"),
            version("yjs"),
            output_of("node", &["--version"])
        );
    }
    if let Some(binary) = &target.y_sweet {
        return format!("y-sweet {}", output_of(binary, &["version"]));
    }
    target.url.clone().unwrap_or_default()
}

/// What a command prints, trimmed; empty if it cannot run.
pub fn output_of(program: impl AsRef<std::ffi::OsStr>, args: &[&str]) -> String {
    std::process::Command::new(program)
        .args(args)
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned())
        .unwrap_or_default()
}
