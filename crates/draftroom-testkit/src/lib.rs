//! Real `redis-server` processes for tests, each on a free loopback port
//! with its own directory, killed when dropped. Nothing here mocks Redis.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How a test wants Redis to keep data.
#[derive(Debug, Clone)]
pub struct RedisOptions {
    /// `appendonly yes` + `appendfsync always`: nothing acknowledged is lost.
    pub durable: bool,
    pub maxmemory_policy: &'static str,
    pub cluster: bool,
}

impl Default for RedisOptions {
    fn default() -> Self {
        RedisOptions {
            durable: true,
            maxmemory_policy: "noeviction",
            cluster: false,
        }
    }
}

pub struct RedisServer {
    pub port: u16,
    dir: tempfile::TempDir,
    options: RedisOptions,
    child: Option<Child>,
}

impl RedisServer {
    pub fn start(options: RedisOptions) -> RedisServer {
        let port = free_port(options.cluster);
        let mut server = RedisServer {
            port,
            dir: tempfile::tempdir().expect("temp dir"),
            options,
            child: None,
        };
        server.spawn();
        server
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    fn spawn(&mut self) {
        let port = self.port.to_string();
        let mut command = Command::new("redis-server");
        command
            .args([
                "--port",
                &port,
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--protected-mode",
                "no",
            ])
            .args(["--maxmemory-policy", self.options.maxmemory_policy])
            .arg("--dir")
            .arg(self.dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if self.options.durable {
            command.args(["--appendonly", "yes", "--appendfsync", "always"]);
        } else {
            command.args(["--appendonly", "no"]);
        }
        if self.options.cluster {
            command.args([
                "--cluster-enabled",
                "yes",
                "--cluster-config-file",
                "nodes.conf",
            ]);
            command.args(["--cluster-node-timeout", "5000"]);
        }
        let child = command
            .spawn()
            .expect("redis-server runs (the test command installs it)");
        self.child = Some(child);
        wait_until(Duration::from_secs(10), || ping(self.port));
    }

    /// Kills Redis with SIGKILL, as a crash would.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts Redis again on the same port and data directory.
    pub fn restart(&mut self) {
        self.kill();
        self.spawn();
    }

    /// Sends one command (inline form) and returns the raw reply.
    pub fn command(&self, line: &str) -> String {
        command(self.port, line).unwrap_or_default()
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A Redis Cluster of `masters` nodes, no replicas.
pub struct RedisCluster {
    pub nodes: Vec<RedisServer>,
}

impl RedisCluster {
    pub fn start(masters: usize) -> RedisCluster {
        let nodes: Vec<RedisServer> = (0..masters)
            .map(|_| {
                RedisServer::start(RedisOptions {
                    cluster: true,
                    ..RedisOptions::default()
                })
            })
            .collect();
        let status = Command::new("redis-cli")
            .arg("--cluster")
            .arg("create")
            .args(nodes.iter().map(|node| format!("127.0.0.1:{}", node.port)))
            .args(["--cluster-replicas", "0", "--cluster-yes"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("redis-cli runs");
        assert!(status.success(), "redis-cli --cluster create failed");
        for node in &nodes {
            wait_until(Duration::from_secs(20), || {
                node.command("CLUSTER INFO").contains("cluster_state:ok")
            });
        }
        RedisCluster { nodes }
    }

    /// `redis+cluster://HOST:PORT,...`, as `draftroom serve --store` takes it.
    pub fn url(&self) -> String {
        let nodes: Vec<String> = self
            .nodes
            .iter()
            .map(|node| format!("127.0.0.1:{}", node.port))
            .collect();
        format!("redis+cluster://{}", nodes.join(","))
    }
}

/// A free loopback port; for a cluster node, one whose bus port (+10000) is
/// free too.
pub fn free_port(with_bus: bool) -> u16 {
    loop {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("binds");
        let port = listener.local_addr().expect("address").port();
        if !with_bus {
            return port;
        }
        if let Some(bus) = port.checked_add(10_000)
            && TcpListener::bind((Ipv4Addr::LOCALHOST, bus)).is_ok()
        {
            return port;
        }
    }
}

fn command(port: u16, line: &str) -> Option<String> {
    let mut stream = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    stream.write_all(format!("{line}\r\n").as_bytes()).ok()?;
    let mut reply = vec![0u8; 64 * 1024];
    let read = stream.read(&mut reply).ok()?;
    Some(String::from_utf8_lossy(&reply[..read]).into_owned())
}

fn ping(port: u16) -> bool {
    command(port, "PING").is_some_and(|reply| reply.starts_with("+PONG"))
}

fn wait_until(limit: Duration, mut ready: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ready() {
        assert!(
            start.elapsed() < limit,
            "Redis was not ready within {limit:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}
