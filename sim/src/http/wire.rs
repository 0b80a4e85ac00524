//! HTTP/1.1 on the socket: reading one request (head and `Content-Length` body) and writing
//! one response.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;

use crate::RecordedRequest;
use crate::http::reply::Reply;

const MAX_HEAD_BYTES: u64 = 64 * 1024;
const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// One request: `None` when the client closed the connection before a new request,
/// `Some(Err(status))` for a request the server cannot read.
pub fn read_request(
    reader: &mut BufReader<TcpStream>,
) -> io::Result<Option<Result<(RecordedRequest, bool), u16>>> {
    let mut head = Vec::new();
    loop {
        let mut line = Vec::new();
        let n = reader
            .by_ref()
            .take(MAX_HEAD_BYTES)
            .read_until(b'\n', &mut line)?;
        if n == 0 {
            return Ok(if head.is_empty() {
                None
            } else {
                Some(Err(400))
            });
        }
        if line == b"\r\n" || line == b"\n" {
            if head.is_empty() {
                continue; // stray blank line between requests
            }
            break;
        }
        if !line.ends_with(b"\n") || head.len() > 200 {
            return Ok(Some(Err(431)));
        }
        head.push(String::from_utf8_lossy(&line).trim_end().to_string());
    }
    let mut parts = head[0].split(' ');
    let (Some(method), Some(url), Some(version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Ok(Some(Err(400)));
    };
    let (method, url, version) = (method.to_string(), url.to_string(), version.to_string());
    let mut headers = Vec::new();
    for line in &head[1..] {
        let Some((name, value)) = line.split_once(':') else {
            return Ok(Some(Err(400)));
        };
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    let mut request = RecordedRequest {
        method,
        url,
        headers,
        body: Vec::new(),
    };
    if request.header("Transfer-Encoding").is_some() {
        return Ok(Some(Err(411)));
    }
    if let Some(length) = request.header("Content-Length") {
        match length.parse::<usize>() {
            Ok(n) if n <= MAX_BODY_BYTES => {
                request.body = vec![0; n];
                reader.read_exact(&mut request.body)?;
            }
            _ => return Ok(Some(Err(413))),
        }
    }
    let connection = request.header("Connection").map(str::to_ascii_lowercase);
    let keep_alive = match version.as_str() {
        "HTTP/1.1" => connection.as_deref() != Some("close"),
        _ => connection.as_deref() == Some("keep-alive"),
    };
    Ok(Some(Ok((request, keep_alive))))
}

pub fn plain_error(status: u16) -> Reply {
    Reply::empty(status)
}

pub fn write_reply(writer: &mut TcpStream, reply: &Reply, keep_alive: bool) -> io::Result<()> {
    write_response(writer, reply, keep_alive, &[], None)
}

/// Writes a response with `extra` headers; `cut` sends only that many bytes of the body (the
/// `Content-Length` still announcing all of it).
pub fn write_response(
    writer: &mut TcpStream,
    reply: &Reply,
    keep_alive: bool,
    extra: &[(&str, String)],
    cut: Option<usize>,
) -> io::Result<()> {
    let mut out = format!(
        "HTTP/1.1 {} {}\r\n",
        reply.status,
        reason_phrase(reply.status)
    );
    if let Some(file) = &reply.file {
        out.push_str(&format!("Content-Type: {}\r\n", file.content_type));
        out.push_str(&format!(
            "Content-Disposition: attachment; filename=\"{}\"\r\n",
            file.name
        ));
        out.push_str(&format!("Content-Length: {}\r\n", file.bytes.len()));
    } else if let Some(body) = &reply.body {
        out.push_str("Content-Type: application/json; charset=utf-8\r\n");
        out.push_str(&format!("Content-Length: {}\r\n", body.len()));
    } else if reply.status != 204 {
        out.push_str("Content-Length: 0\r\n");
    }
    for (name, value) in extra {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    if !keep_alive {
        out.push_str("Connection: close\r\n");
    }
    out.push_str("\r\n");
    if let Some(body) = &reply.body {
        out.push_str(&body[..cut.unwrap_or(body.len())]);
    }
    let mut out = out.into_bytes();
    if let Some(file) = &reply.file {
        out.extend_from_slice(&file.bytes[..cut.unwrap_or(file.bytes.len())]);
    }
    writer.write_all(&out)?;
    writer.flush()
}

pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        202 => "Accepted",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Entity",
        423 => "Locked",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        _ => "Status",
    }
}
