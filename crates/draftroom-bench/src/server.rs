//! What the bench talks to: `draftroom` processes it starts itself (on a
//! fresh embedded store, or on a Redis it is given), or a server already
//! running at a URL.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, bail};
use draftroom_auth::{Claims, Role, Secret};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

const SPACE: &str = "bench";
const SECRET: &str = "draftroom-bench-secret";

#[derive(clap::Args)]
pub struct Target {
    /// Start this draftroom binary and bench it.
    #[arg(long, conflicts_with = "url")]
    draftroom: Option<PathBuf>,
    /// Store for the started draftroom: a directory (default: a fresh
    /// temporary one) or a redis:// URL.
    #[arg(long, requires = "draftroom")]
    store: Option<String>,
    /// Or bench a running server: its websocket URL up to the document
    /// name, e.g. ws://127.0.0.1:1234 for the reference y-websocket server.
    #[arg(long)]
    url: Option<String>,
    /// Query string to add to each document URL (e.g. token=...).
    #[arg(long, requires = "url")]
    query: Option<String>,
}

/// The servers under test.
pub struct Running {
    binary: Option<PathBuf>,
    store: String,
    /// Keeps a fresh embedded store alive while the servers run.
    _temp: Option<tempfile::TempDir>,
    query: Option<String>,
    nodes: Vec<Node>,
}

struct Node {
    base: String,
    child: Option<Child>,
}

impl Target {
    /// Starts `nodes` draftroom processes on one store (or names the
    /// running server), each serving with `serve_args` added.
    pub async fn start(&self, nodes: usize, serve_args: &[&str]) -> anyhow::Result<Running> {
        match (&self.draftroom, &self.url) {
            (Some(binary), _) => {
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
                    binary: Some(binary.clone()),
                    store,
                    _temp: temp,
                    query: None,
                    nodes: Vec::new(),
                };
                for _ in 0..nodes {
                    running.start_node(serve_args).await?;
                }
                Ok(running)
            }
            (None, Some(url)) => {
                if nodes > 1 {
                    bail!("several nodes need --draftroom");
                }
                Ok(Running {
                    binary: None,
                    store: String::new(),
                    _temp: None,
                    query: self.query.clone(),
                    nodes: vec![Node {
                        base: url.trim_end_matches('/').to_owned(),
                        child: None,
                    }],
                })
            }
            (None, None) => bail!("name a server: --draftroom BINARY or --url URL"),
        }
    }
}

impl Running {
    /// Starts one more draftroom process on the store; returns its index.
    pub async fn start_node(&mut self, serve_args: &[&str]) -> anyhow::Result<usize> {
        let binary = self
            .binary
            .as_ref()
            .context("only started servers can be restarted")?;
        let mut child = Command::new(binary)
            .args([
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--store",
                &self.store,
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
            child: Some(child),
        });
        Ok(self.nodes.len() - 1)
    }

    /// The websocket URL of `doc` on node `node` for a client called `user`.
    pub fn url(&self, node: usize, doc: &str, user: &str) -> String {
        let query = match (&self.binary, &self.query) {
            (Some(_), _) => {
                let exp = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs())
                    + 24 * 3600;
                let claims = Claims {
                    space: SPACE.into(),
                    user: user.into(),
                    role: Role::Member,
                    exp,
                };
                let secret = Secret::new(SECRET).expect("the bench secret is long enough");
                format!("?token={}", secret.sign(&claims))
            }
            (None, Some(query)) => format!("?{query}"),
            (None, None) => String::new(),
        };
        format!("{}/{doc}{query}", self.nodes[node].base)
    }

    /// The store the started servers use (a directory or a Redis URL).
    pub fn store(&self) -> &str {
        &self.store
    }

    pub fn name(&self) -> String {
        match &self.binary {
            None => self.nodes[0].base.clone(),
            Some(_) if self.store.starts_with("redis") => "draftroom (redis)".into(),
            Some(_) => "draftroom (embedded)".into(),
        }
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
