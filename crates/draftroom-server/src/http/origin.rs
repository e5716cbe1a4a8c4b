//! Which pages may use a browser's session: a browser sends the session
//! cookie with every request to the server, whichever page makes it, so a
//! websocket or a change made with the cookie is taken only from a page of
//! the server's own origin, its public URL, or an origin it is told to
//! allow. A request without `Origin` comes from a program, not a page.

use axum::http::{HeaderMap, StatusCode, Uri, header};

use super::error::ApiError;
use crate::config::Config;

/// `scheme://host[:port]`, lowercased and without the scheme's default
/// port, as browsers send it in `Origin`; `None` for anything that is not
/// an http(s) address.
pub fn normalize(url: &str) -> Option<String> {
    let uri: Uri = url.trim().parse().ok()?;
    let scheme = uri.scheme_str()?.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => 80,
        "https" => 443,
        _ => return None,
    };
    let authority = uri.authority()?;
    if authority.as_str().contains('@') {
        return None;
    }
    let host = authority.host().to_ascii_lowercase();
    Some(match authority.port_u16() {
        Some(port) if port != default_port => format!("{scheme}://{host}:{port}"),
        _ => format!("{scheme}://{host}"),
    })
}

/// Refuses a request whose page is of another origin.
pub(crate) fn check(config: &Config, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return Ok(());
    };
    let origin = origin.to_str().unwrap_or_default();
    if allowed(config, headers, origin) {
        return Ok(());
    }
    Err(ApiError::new(
        StatusCode::FORBIDDEN,
        "cross-origin",
        format!(
            "a page of {origin} may not act with this browser's session here; open Draftroom at its own address"
        ),
    ))
}

fn allowed(config: &Config, headers: &HeaderMap, origin: &str) -> bool {
    let Some(origin) = normalize(origin) else {
        // `null` (a sandboxed or local page) or nonsense.
        return false;
    };
    if config.public_url.as_deref() == Some(origin.as_str())
        || config.allowed_origins.contains(&origin)
    {
        return true;
    }
    // The server's own origin, as the browser addressed it. Behind a proxy
    // that rewrites `Host`, `public_url` says it instead.
    let host = headers
        .get(header::HOST)
        .and_then(|host| host.to_str().ok())
        .unwrap_or_default();
    ["http", "https"]
        .iter()
        .any(|scheme| normalize(&format!("{scheme}://{host}")).as_deref() == Some(origin.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(host: &str, origin: Option<&str>) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_str(host).expect("valid"));
        if let Some(origin) = origin {
            headers.insert(
                header::ORIGIN,
                HeaderValue::from_str(origin).expect("valid"),
            );
        }
        headers
    }

    #[test]
    fn origins_are_normalized_as_browsers_send_them() {
        assert_eq!(
            normalize("HTTPS://Drafts.Example:443/path").as_deref(),
            Some("https://drafts.example")
        );
        assert_eq!(
            normalize("http://127.0.0.1:8787").as_deref(),
            Some("http://127.0.0.1:8787")
        );
        assert_eq!(
            normalize("http://[::1]:80").as_deref(),
            Some("http://[::1]")
        );
        for bad in [
            "null",
            "ftp://x",
            "drafts.example",
            "http://user@evil.example",
            "",
        ] {
            assert_eq!(normalize(bad), None, "{bad}");
        }
    }

    #[test]
    fn only_the_servers_own_and_allowed_origins_use_the_session() {
        let mut config = Config::default();
        let ok = |config: &Config, host, origin| check(config, &headers(host, origin)).is_ok();
        assert!(
            ok(&config, "127.0.0.1:8787", None),
            "programs send no Origin"
        );
        assert!(ok(&config, "127.0.0.1:8787", Some("http://127.0.0.1:8787")));
        assert!(
            !ok(&config, "127.0.0.1:8787", Some("http://127.0.0.1:5555")),
            "another port"
        );
        assert!(!ok(&config, "127.0.0.1:8787", Some("http://evil.example")));
        assert!(!ok(&config, "127.0.0.1:8787", Some("null")));
        // Behind a proxy that rewrites Host, the public URL says who we are.
        assert!(!ok(
            &config,
            "10.0.0.2:8787",
            Some("https://drafts.example")
        ));
        config.public_url = normalize("https://drafts.example/");
        assert!(ok(&config, "10.0.0.2:8787", Some("https://drafts.example")));
        config.allowed_origins = vec!["https://portal.example".into()];
        assert!(ok(&config, "10.0.0.2:8787", Some("https://portal.example")));
        assert!(!ok(
            &config,
            "10.0.0.2:8787",
            Some("https://portal.example.evil")
        ));
    }
}
