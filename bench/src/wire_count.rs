//! Counts the statements a client really sends, from the bytes on the wire: a stream that
//! forwards everything to the server and reads the frontend messages as they pass. Used by
//! the test that holds introspection to a constant number of catalog queries, so the count
//! is the server's view, not the library's own bookkeeping.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// The statements seen so far: one per `Parse` (each query of the extended protocol) and per
/// simple `Query` message.
#[derive(Debug, Clone, Default)]
pub struct Statements(Arc<AtomicUsize>);

impl Statements {
    /// How many have been sent.
    pub fn count(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// Where the reader stands in the stream of frontend messages.
#[derive(Debug)]
struct Reader {
    /// Before the startup message, messages have no type byte.
    started: bool,
    /// The header read so far.
    header: Vec<u8>,
    /// Body bytes of the current message still to pass.
    remaining: usize,
    statements: Statements,
}

impl Reader {
    fn feed(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            if self.remaining > 0 {
                let skip = self.remaining.min(bytes.len());
                self.remaining -= skip;
                bytes = &bytes[skip..];
                continue;
            }
            // A typed message's header is its type byte and length; before startup, a
            // message's first eight bytes are its length and code.
            let size = if self.started { 5 } else { 8 };
            let take = (size - self.header.len()).min(bytes.len());
            self.header.extend_from_slice(&bytes[..take]);
            bytes = &bytes[take..];
            if self.header.len() == size {
                self.message();
            }
        }
    }

    /// One complete header: count the message and skip its body.
    fn message(&mut self) {
        let word = |at: usize| {
            let four: [u8; 4] = self.header[at..at + 4].try_into().expect("four bytes");
            u32::from_be_bytes(four) as usize
        };
        if self.started {
            let length = word(1);
            if matches!(self.header[0], b'P' | b'Q') {
                self.statements.0.fetch_add(1, Ordering::SeqCst);
            }
            self.remaining = length - 4;
        } else {
            // Length, then the protocol version (3.0) for the startup message, or a request
            // code (SSL, GSS, cancel) for the messages that may come before it.
            let length = word(0);
            self.started = word(4) == 196_608;
            self.remaining = length - 8;
        }
        self.header.clear();
    }
}

/// A stream to the server that counts the statements written to it.
#[derive(Debug)]
pub struct Counting<S> {
    inner: S,
    reader: Reader,
}

impl<S> Counting<S> {
    /// Wraps `inner`; `statements` sees every statement sent through it.
    pub fn new(inner: S, statements: &Statements) -> Counting<S> {
        Counting {
            inner,
            reader: Reader {
                started: false,
                header: Vec::with_capacity(8),
                remaining: 0,
                statements: statements.clone(),
            },
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Counting<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Counting<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let this = &mut *self;
        let written = Pin::new(&mut this.inner).poll_write(cx, buf);
        if let Poll::Ready(Ok(n)) = written {
            this.reader.feed(&buf[..n]);
        }
        written
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// Connects to `url` (a Unix-socket URL, as the `scratch` crate gives) through a counting
/// stream; the connection task runs on the current runtime.
pub async fn connect(url: &str) -> Result<(tokio_postgres::Client, Statements), String> {
    let config: tokio_postgres::Config = url.parse().map_err(|e| format!("{e}"))?;
    let socket = config
        .get_hosts()
        .iter()
        .find_map(|host| match host {
            tokio_postgres::config::Host::Unix(dir) => Some(dir.clone()),
            tokio_postgres::config::Host::Tcp(_) => None,
        })
        .ok_or("not a Unix-socket URL")?;
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let stream = tokio::net::UnixStream::connect(socket.join(format!(".s.PGSQL.{port}")))
        .await
        .map_err(|e| e.to_string())?;
    let statements = Statements::default();
    let (client, connection) = config
        .connect_raw(Counting::new(stream, &statements), tokio_postgres::NoTls)
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(async move { connection.await.ok() });
    Ok((client, statements))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(kind: u8, body: &[u8]) -> Vec<u8> {
        let mut bytes = vec![kind];
        bytes.extend_from_slice(&u32::try_from(body.len() + 4).unwrap().to_be_bytes());
        bytes.extend_from_slice(body);
        bytes
    }

    #[test]
    fn parses_and_simple_queries_are_counted_however_the_bytes_are_split() {
        let mut wire = Vec::new();
        wire.extend_from_slice(&8u32.to_be_bytes());
        wire.extend_from_slice(&80_877_103u32.to_be_bytes()); // SSLRequest
        wire.extend_from_slice(&13u32.to_be_bytes());
        wire.extend_from_slice(&196_608u32.to_be_bytes()); // startup
        wire.extend_from_slice(b"user\0");
        wire.extend(message(b'P', b"s0\0SELECT 1\0\0\0"));
        wire.extend(message(b'D', b"Ss0\0"));
        wire.extend(message(b'S', b""));
        wire.extend(message(b'B', b"\0s0\0\0\0\0\0\0\0"));
        wire.extend(message(b'E', b"\0\0\0\0\0"));
        wire.extend(message(b'Q', b"BEGIN\0"));
        wire.extend(message(b'P', b"s1\0SELECT 'P'\0\0\0"));
        for chunk in [1, 2, 3, 7, wire.len()] {
            let statements = Statements::default();
            let mut reader = Counting::new((), &statements).reader;
            for piece in wire.chunks(chunk) {
                reader.feed(piece);
            }
            assert_eq!(statements.count(), 3, "in chunks of {chunk}");
        }
    }
}
