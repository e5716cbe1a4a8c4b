//! The `draftroom` command.
//!
//! - `draftroom serve`: runs the server.
//! - `draftroom token`: mints a token for a user, role and space.

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use draftroom_auth::{Claims, Role, Secret};
use draftroom_server::{AwarenessLimits, Config, DEMO_SPACE, Server};
use draftroom_store::{AuditFault, StoreError};
use tokio_util::sync::CancellationToken;
use tracing::{info, warn};

#[derive(Parser)]
#[command(
    name = "draftroom",
    version,
    about = "Draft recommendations together, live."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server.
    // Boxed: its many limits make it far larger than the other commands.
    Serve(Box<ServeArgs>),
    /// Print a token (and nothing else) for a user of a space.
    Token(TokenArgs),
    /// Export a space for the Chair's report, from the store directly.
    Export(ExportArgs),
    /// Work with a space's audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check that no entry of the log was altered or removed; exits
    /// non-zero naming the first bad entry if one was.
    Verify {
        #[arg(long, default_value = "./data")]
        store: String,
        #[arg(long)]
        space: String,
    },
}

#[derive(clap::Args)]
struct ExportArgs {
    /// A directory for the embedded store (not while a server runs on it),
    /// or a Redis URL.
    #[arg(long, default_value = "./data")]
    store: String,
    #[arg(long)]
    space: String,
    /// akn (Akoma Ntoso 3.0 XML), md, html (printable) or docx (Word).
    #[arg(long, default_value = "akn")]
    format: String,
    /// Include each recommendation's comments.
    #[arg(long)]
    comments: bool,
    /// Add an annex of who proposed what.
    #[arg(long)]
    annex: bool,
    /// Report what changed since this named version (its id), to --version
    /// or to now.
    #[arg(long)]
    since: Option<String>,
    /// Export this named version (its id) instead of the live text.
    #[arg(long)]
    version: Option<String>,
    /// Only recommendations with these statuses, a comma list (e.g. agreed,adopted).
    #[arg(long)]
    status: Option<String>,
    /// Write here instead of to standard output.
    #[arg(long)]
    output: Option<std::path::PathBuf>,
}

#[derive(clap::Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8787")]
    listen: SocketAddr,
    /// A directory for the embedded store, or Redis: redis://HOST:PORT[/DB]
    /// or redis+cluster://HOST1:PORT,HOST2:PORT,...
    #[arg(long, default_value = "./data")]
    store: String,
    /// The secret that signs tokens. Without one, a secret is made once and
    /// kept in the data directory, and demo links are printed.
    #[arg(long, env = "DRAFTROOM_SECRET", hide_env_values = true)]
    secret: Option<String>,
    /// Create the demo space on first start.
    #[arg(long)]
    demo: bool,
    /// The built web app to serve at `/`.
    #[arg(long, default_value = "web/dist")]
    web: std::path::PathBuf,
    /// The address browsers reach the server at, e.g.
    /// https://drafts.example, when a proxy in front rewrites `Host`. An
    /// https address also makes the session cookie `Secure`.
    #[arg(long, env = "DRAFTROOM_PUBLIC_URL", value_parser = origin)]
    public_url: Option<String>,
    /// Another origin whose pages may use a browser's session here
    /// (repeatable). Websockets and changes from any other page are
    /// refused; calls that carry their own token are not affected.
    #[arg(long = "allowed-origin", value_parser = origin)]
    allowed_origins: Vec<String>,
    #[command(flatten)]
    limits: LimitArgs,
    /// Compact a document once this many updates follow its snapshot
    /// (0: only when it unloads).
    #[arg(long, default_value_t = Config::default().compact_after_updates)]
    compact_after_updates: u64,
    /// How long a document stays loaded after its last client leaves.
    #[arg(long, default_value = "30s", value_parser = humantime::parse_duration)]
    room_idle_timeout: Duration,
}

/// What one client, or all of them, can make the server hold; every one
/// is in the limits table of `docs/security.md`.
#[derive(clap::Args)]
#[command(next_help_heading = "Limits")]
struct LimitArgs {
    /// The largest message a client may send, in bytes.
    #[arg(long, default_value_t = Config::default().max_message_size)]
    max_message_size: usize,
    /// The most connections served at once (websockets and HTTP).
    #[arg(long, default_value_t = Config::default().max_connections)]
    max_connections: usize,
    /// How long a request's headers may take, and a kept-alive connection
    /// may sit without a next request.
    #[arg(long, default_value_t = Config::default().header_read_timeout.into())]
    header_read_timeout: humantime::Duration,
    /// How long an HTTP request may take, body included.
    #[arg(long, default_value_t = Config::default().request_timeout.into())]
    request_timeout: humantime::Duration,
    /// How long a websocket may send nothing before it is closed.
    #[arg(long, default_value_t = Config::default().client_timeout.into())]
    client_timeout: humantime::Duration,
    /// How long one send to a client may take before it is closed as stuck.
    #[arg(long, default_value_t = Config::default().send_timeout.into())]
    send_timeout: humantime::Duration,
    /// Messages a connection may fall behind its document by.
    #[arg(long, default_value_t = Config::default().outgoing_queue)]
    outgoing_queue: usize,
    /// How long a document's updates wait to go to its read-only
    /// connections as one frame (0s: each at once). Editors hear each at once.
    #[arg(long, default_value_t = Config::default().watch_window.into())]
    watch_window: humantime::Duration,
    /// The most shared types (maps, arrays, texts) one document may hold.
    #[arg(long, default_value_t = Config::default().max_shared_types)]
    max_shared_types: u32,
    /// The most documents loaded at once (the least recently used unload).
    #[arg(long, default_value_t = Config::default().max_open_documents)]
    max_open_documents: usize,
    /// The most bytes one document may take.
    #[arg(long, default_value_t = Config::default().max_document_bytes)]
    max_document_bytes: usize,
    /// The most bytes per second one connection may send, on average.
    #[arg(long, default_value_t = Config::default().max_update_bytes_per_second)]
    max_update_bytes_per_second: usize,
    /// The longest title, label or name taken, in characters.
    #[arg(long, default_value_t = Config::default().max_title_chars)]
    max_title_chars: usize,
    /// The longest reason taken, in characters.
    #[arg(long, default_value_t = Config::default().max_note_chars)]
    max_note_chars: usize,
    /// The largest text handed over whole through the API, in bytes.
    #[arg(long, default_value_t = Config::default().max_text_bytes)]
    max_text_bytes: usize,
    /// How many things one person may create per minute on one node.
    #[arg(long, default_value_t = Config::default().creations_per_minute)]
    creations_per_minute: u32,
    /// The most comments and replies one recommendation holds.
    #[arg(long, default_value_t = Config::default().max_comments_per_recommendation)]
    max_comments_per_recommendation: usize,
    /// The most suggestions one recommendation holds, decided or not.
    #[arg(long, default_value_t = Config::default().max_suggestions_per_recommendation)]
    max_suggestions_per_recommendation: usize,
    /// The most people one space's roster holds.
    #[arg(long, default_value_t = Config::default().max_people_per_space)]
    max_people_per_space: usize,
    /// The most meetings one space holds.
    #[arg(long, default_value_t = Config::default().max_meetings_per_space)]
    max_meetings_per_space: usize,
    /// The most points of broad agreement one space holds.
    #[arg(long, default_value_t = Config::default().max_points_per_space)]
    max_points_per_space: usize,
    /// The most implementation reports one recommendation holds.
    #[arg(long, default_value_t = Config::default().max_implementation_entries)]
    max_implementation_entries: usize,
    /// The largest presence (awareness) state one client may have, in bytes.
    #[arg(long, default_value_t = Config::default().awareness.max_state_bytes)]
    max_awareness_state_bytes: usize,
    /// How deeply a presence state's JSON may nest.
    #[arg(long, default_value_t = Config::default().awareness.max_depth)]
    max_awareness_depth: usize,
    /// The most presence state one connection may hold, in bytes.
    #[arg(long, default_value_t = Config::default().awareness.max_connection_bytes)]
    max_awareness_connection_bytes: usize,
    /// The most presence state one document may hold, in bytes.
    #[arg(long, default_value_t = Config::default().awareness.max_document_bytes)]
    max_awareness_document_bytes: usize,
    /// The most presence client ids one loaded document remembers.
    #[arg(long, default_value_t = Config::default().awareness.max_clients)]
    max_awareness_clients: usize,
}

impl LimitArgs {
    fn apply(&self, config: Config) -> Config {
        Config {
            max_message_size: self.max_message_size,
            max_connections: self.max_connections,
            header_read_timeout: self.header_read_timeout.into(),
            request_timeout: self.request_timeout.into(),
            client_timeout: self.client_timeout.into(),
            send_timeout: self.send_timeout.into(),
            outgoing_queue: self.outgoing_queue,
            watch_window: self.watch_window.into(),
            max_shared_types: self.max_shared_types,
            max_open_documents: self.max_open_documents,
            max_document_bytes: self.max_document_bytes,
            max_update_bytes_per_second: self.max_update_bytes_per_second,
            max_title_chars: self.max_title_chars,
            max_note_chars: self.max_note_chars,
            max_text_bytes: self.max_text_bytes,
            creations_per_minute: self.creations_per_minute,
            max_comments_per_recommendation: self.max_comments_per_recommendation,
            max_suggestions_per_recommendation: self.max_suggestions_per_recommendation,
            max_people_per_space: self.max_people_per_space,
            max_meetings_per_space: self.max_meetings_per_space,
            max_points_per_space: self.max_points_per_space,
            max_implementation_entries: self.max_implementation_entries,
            awareness: AwarenessLimits {
                max_state_bytes: self.max_awareness_state_bytes,
                max_depth: self.max_awareness_depth,
                max_connection_bytes: self.max_awareness_connection_bytes,
                max_document_bytes: self.max_awareness_document_bytes,
                max_clients: self.max_awareness_clients,
            },
            ..config
        }
    }
}

#[derive(clap::Args)]
struct TokenArgs {
    #[arg(long, env = "DRAFTROOM_SECRET", hide_env_values = true)]
    secret: String,
    #[arg(long)]
    space: String,
    #[arg(long)]
    user: String,
    /// chair, vice-chair, member or observer.
    #[arg(long)]
    role: Role,
    /// How long the token is good for, e.g. 12h, 30d.
    #[arg(long, default_value = "30d", value_parser = humantime::parse_duration)]
    ttl: Duration,
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Token(args) => {
            let secret = parse_secret(&args.secret)?;
            draftroom_store::check_space(&args.space).context("invalid --space")?;
            let claims = issue(&args.space, &args.user, args.role, args.ttl)?;
            println!("{}", secret.sign(&claims));
            Ok(())
        }
        Command::Audit {
            command: AuditCommand::Verify { store, space },
        } => {
            let verdict = draftroom_server::runtime()
                .context("could not start the async runtime")?
                .block_on(verify_audit(&store, &space))?;
            match verdict {
                Ok(entries) => {
                    println!("the audit log of {space} is intact: {entries} entries");
                    Ok(())
                }
                Err(fault) => {
                    eprintln!("the audit log of {space} was tampered with: {fault}");
                    std::process::exit(1);
                }
            }
        }
        Command::Export(args) => draftroom_server::runtime()
            .context("could not start the async runtime")?
            .block_on(export(args)),
        Command::Serve(args) => {
            tracing_subscriber::fmt()
                .with_env_filter(
                    tracing_subscriber::EnvFilter::try_from_default_env()
                        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
                )
                .with_writer(std::io::stderr)
                .init();
            draftroom_server::runtime()
                .context("could not start the async runtime")?
                .block_on(serve(*args))
        }
    }
}

/// An http(s) address as browsers send it in `Origin`.
fn origin(url: &str) -> Result<String, String> {
    draftroom_server::normalize_origin(url)
        .ok_or_else(|| format!("{url:?} is not an http:// or https:// address"))
}

fn parse_secret(secret: &str) -> anyhow::Result<Secret> {
    Secret::new(secret.as_bytes()).context("invalid --secret")
}

/// Claims issued now that hold for `ttl`.
fn issue(space: &str, user: &str, role: Role, ttl: Duration) -> anyhow::Result<Claims> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    Claims::issued(space, user, role, now, ttl.as_secs())
        .context("--ttl is too long: the token would expire after the end of time")
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let shared = args.store.starts_with("redis://") || args.store.starts_with("redis+cluster://");
    let store = draftroom_store::open(&args.store)
        .with_context(|| format!("could not open the store {}", args.store))?;
    let secret = match (&args.secret, shared) {
        (Some(secret), _) => parse_secret(secret)?,
        (None, false) => local_secret(Path::new(&args.store))?,
        (None, true) => bail!(
            "--secret (or DRAFTROOM_SECRET) is required with a Redis store: every node must share it"
        ),
    };
    match store.check().await {
        Ok(()) => {}
        // A store that would lose data is refused outright.
        Err(error @ StoreError::Refused(_)) => return Err(error).context("refusing this store"),
        // One that is down may come up: serve, not ready, until it does.
        Err(error) => {
            warn!(%error, "the store is not reachable yet; /readyz answers 503 until it is")
        }
    }
    let config = args.limits.apply(Config {
        listen: args.listen,
        room_idle_timeout: args.room_idle_timeout,
        web_dir: Some(args.web.clone()),
        public_url: args.public_url.clone(),
        allowed_origins: args.allowed_origins.clone(),
        compact_after_updates: match args.compact_after_updates {
            0 => u64::MAX,
            updates => updates,
        },
        compact_after_bytes: match args.compact_after_updates {
            0 => usize::MAX,
            _ => Config::default().compact_after_bytes,
        },
        ..Config::default()
    });
    let server = Server::bind(config, store, secret.clone())
        .await
        .with_context(|| format!("could not listen on {}", args.listen))?;
    if args.demo {
        match server.seed_demo().await {
            Ok(true) => info!("created the demo space `{DEMO_SPACE}`"),
            Ok(false) => {}
            Err(error) => warn!(%error, "could not create the demo space"),
        }
    }
    let addr = server.local_addr()?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "Draftroom listening on http://{addr}")?;
    if args.demo {
        writeln!(
            out,
            "Sign in to the demo space `{DEMO_SPACE}` as one of its users (links good for 30 days; Yjs clients take the same token as ?token=):"
        )?;
        for role in Role::ALL {
            let user = format!("demo-{role}");
            let claims = issue(DEMO_SPACE, &user, role, Duration::from_secs(30 * 24 * 3600))?;
            let token = secret.sign(&claims);
            let role = role.as_str();
            writeln!(
                out,
                "  {role:<10} http://{addr}/s/{DEMO_SPACE}?token={token}"
            )?;
        }
    }
    out.flush()?;
    drop(out);

    let stop = CancellationToken::new();
    tokio::spawn(stop_on_signal(stop.clone()));
    server.run(stop).await?;
    info!("stopped");
    Ok(())
}

async fn verify_audit(store: &str, space: &str) -> anyhow::Result<Result<usize, AuditFault>> {
    let store = draftroom_store::open(store)
        .with_context(|| format!("could not open the store {store}"))?;
    draftroom_server::verify_audit(&*store, space)
        .await
        .map_err(|error| anyhow::anyhow!(error))
        .with_context(|| format!("could not read the audit log of {space}"))
}

async fn export(args: ExportArgs) -> anyhow::Result<()> {
    let store = draftroom_store::open(&args.store)
        .with_context(|| format!("could not open the store {}", args.store))?;
    let options = draftroom_server::ExportOptions {
        format: args.format.clone(),
        comments: args.comments,
        annex: args.annex,
        since: args.since.clone(),
        version: args.version.clone(),
        statuses: args.status.clone(),
    };
    let document = draftroom_server::export_from_store(&*store, &args.space, &options)
        .await
        .map_err(|error| anyhow::anyhow!(error))
        .with_context(|| format!("could not export {}", args.space))?;
    match &args.output {
        Some(path) => std::fs::write(path, document)
            .with_context(|| format!("could not write {}", path.display()))?,
        None => std::io::stdout().write_all(&document)?,
    }
    Ok(())
}

/// The secret kept in the data directory, made on first use.
fn local_secret(dir: &Path) -> anyhow::Result<Secret> {
    let path = dir.join("secret");
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            return parse_secret(text.trim())
                .with_context(|| format!("bad secret in {}", path.display()));
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => {
            return Err(error).with_context(|| format!("could not read {}", path.display()));
        }
    }
    let bytes: [u8; 32] = rand::random();
    let text: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(&path)
        .with_context(|| format!("could not create {}", path.display()))?;
    writeln!(file, "{text}")?;
    file.sync_all()?;
    parse_secret(&text)
}

async fn stop_on_signal(stop: CancellationToken) {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => {
                    let _ = ctrl_c.await;
                    stop.cancel();
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
    stop.cancel();
}
