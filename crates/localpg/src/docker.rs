//! The official `postgres` image through a Docker engine (feature `docker`): the throwaway
//! server where no server binaries are found.
//!
//! testcontainers starts the container; it is needed once per process and must outlive every
//! caller's runtime, so it is started on a thread with a runtime of its own and then left
//! to a reaper: like the cluster [watchdog](crate::watchdog), a `sh` that waits for EOF on a
//! pipe only this process holds, then runs `docker rm -f` (a `static` is never dropped, and
//! testcontainers' own drop would need a live runtime). Without an engine, testcontainers fails
//! at once ("Socket not found: /var/run/docker.sock") and the throwaway's error reports that.

#[cfg(unix)]
use std::os::unix::process::CommandExt;
use std::process::{Child, ChildStdin, Command, Stdio};

use testcontainers::core::{IntoContainerPort, WaitFor};
use testcontainers::runners::AsyncRunner;
use testcontainers::{GenericImage, ImageExt};

/// The image; its major version matches the PostgreSQL this project is developed against.
const IMAGE: (&str, &str) = ("postgres", "15-alpine");

/// Logged by the image's temporary setup server (stdout) and then by the real one (stderr).
const READY: &str = "database system is ready to accept connections";

/// Removes the container when this process ends, whatever the cause.
const REAPER_SCRIPT: &str = r#"while read -r _; do :; done; docker rm -f -v "$1" >/dev/null 2>&1"#;

/// A running container and its reaper; removed when this process ends.
#[derive(Debug)]
pub struct Container {
    admin_url: String,
    _reaper: (Child, ChildStdin),
}

impl Container {
    /// Starts the container and waits until PostgreSQL accepts connections.
    pub(crate) fn start() -> Result<Self, String> {
        let started = std::thread::spawn(|| {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|error| error.to_string())?;
            runtime.block_on(start_container())
        });
        let (id, host, port) = started
            .join()
            .map_err(|_| "the container thread panicked".to_string())??;
        let reaper = spawn_reaper(&id)
            .map_err(|error| format!("starting the container's reaper: {error}"))?;
        Ok(Self {
            admin_url: crate::url::tcp_url(&host, port, "postgres"),
            _reaper: reaper,
        })
    }

    /// The URL of the `postgres` database, as superuser `postgres`.
    pub fn admin_url(&self) -> &str {
        &self.admin_url
    }
}

/// Starts the container; returns its id, host and mapped port.
async fn start_container() -> Result<(String, String, u16), String> {
    let image = GenericImage::new(IMAGE.0, IMAGE.1)
        .with_exposed_port(5432.tcp())
        .with_wait_for(WaitFor::message_on_stdout(READY))
        .with_wait_for(WaitFor::message_on_stderr(READY));
    let request = image
        .with_env_var("POSTGRES_HOST_AUTH_METHOD", "trust")
        .with_cmd([
            "postgres",
            "-c",
            "fsync=off",
            "-c",
            "full_page_writes=off",
            "-c",
            "max_connections=200",
        ]);
    let container = request.start().await.map_err(|error| error.to_string())?;
    let host = container
        .get_host()
        .await
        .map_err(|error| error.to_string())?;
    let port = container
        .get_host_port_ipv4(5432)
        .await
        .map_err(|error| error.to_string())?;
    let id = container.id().to_string();
    // Its drop would remove the container right away, and needs this thread's runtime: the
    // reaper removes it when the process ends instead.
    std::mem::forget(container);
    Ok((id, host.to_string(), port))
}

fn spawn_reaper(container_id: &str) -> std::io::Result<(Child, ChildStdin)> {
    let mut reaper = Command::new("/bin/sh");
    reaper
        .args(["-c", REAPER_SCRIPT, "cdx-reaper", container_id])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    #[cfg(unix)]
    reaper.process_group(0);
    let mut child = reaper.spawn()?;
    let stdin = child.stdin.take().expect("stdin is piped");
    Ok((child, stdin))
}
