//! What the bench talks to: a server it starts itself (a `draftroom`
//! binary, on a fresh store), or one already running at a URL.

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
    /// Start this draftroom binary on a fresh embedded store and bench it.
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

pub struct Running {
    base: String,
    query: Option<String>,
    secret: Option<Secret>,
    name: String,
    process: Option<(Child, Option<tempfile::TempDir>)>,
}

impl Target {
    pub async fn start(&self) -> anyhow::Result<Running> {
        match (&self.draftroom, &self.url) {
            (Some(binary), _) => self.start_draftroom(binary).await,
            (None, Some(url)) => Ok(Running {
                base: url.trim_end_matches('/').to_owned(),
                query: self.query.clone(),
                secret: None,
                name: url.clone(),
                process: None,
            }),
            (None, None) => bail!("name a server: --draftroom BINARY or --url URL"),
        }
    }

    async fn start_draftroom(&self, binary: &PathBuf) -> anyhow::Result<Running> {
        let temp = match &self.store {
            Some(_) => None,
            None => Some(tempfile::tempdir()?),
        };
        let store = match (&self.store, &temp) {
            (Some(store), _) => store.clone(),
            (None, Some(dir)) => dir.path().display().to_string(),
            (None, None) => unreachable!("a temporary store is made when none is named"),
        };
        let mut child = Command::new(binary)
            .args([
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--store",
                &store,
                "--secret",
                SECRET,
            ])
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
        let backend = if store.starts_with("redis") {
            "redis"
        } else {
            "embedded"
        };
        Ok(Running {
            base: format!("ws://{addr}/ws/{SPACE}"),
            query: None,
            secret: Some(Secret::new(SECRET)?),
            name: format!("draftroom ({backend})"),
            process: Some((child, temp)),
        })
    }
}

impl Running {
    /// The websocket URL of `doc` for a client called `user`.
    pub fn url(&self, doc: &str, user: &str) -> String {
        let query = match (&self.secret, &self.query) {
            (Some(secret), _) => {
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
                format!("?token={}", secret.sign(&claims))
            }
            (None, Some(query)) => format!("?{query}"),
            (None, None) => String::new(),
        };
        format!("{}/{doc}{query}", self.base)
    }

    pub fn name(&self) -> String {
        self.name.clone()
    }

    pub async fn stop(self) {
        if let Some((mut child, _temp)) = self.process {
            let _ = child.kill().await;
        }
    }
}
