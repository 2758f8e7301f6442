//! The CRM link of a call: `settings.crm.url_template` with the call's values put in.
//!
//! Every value is percent-encoded as a URL component, so a caller number or attached value
//! holding `&`, `#`, `/` or spaces can neither add a query parameter nor move the link
//! elsewhere; only `http`/`https` links are opened.

use agentbar_core::Call;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use tauri::Url;

/// Everything but the unreserved characters of RFC 3986 (`A-Z a-z 0-9 - . _ ~`).
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The values a template may use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CrmValues<'a> {
    pub phone: &'a str,
    pub callid: &'a str,
    pub did: &'a str,
    pub queue: &'a str,
    pub agent: &'a str,
}

impl<'a> CrmValues<'a> {
    pub fn of_call(call: &'a Call, agent: &'a str) -> Self {
        CrmValues {
            phone: &call.remote_number,
            callid: call.id.as_str(),
            did: call.did.as_deref().unwrap_or(""),
            queue: call.queue.as_deref().unwrap_or(""),
            agent,
        }
    }
}

/// Fills in `{phone}` `{callid}` `{did}` `{queue}` `{agent}` and checks the result.
///
/// # Errors
///
/// A short reason when the result is not an `http(s)` URL.
pub fn build_url(template: &str, v: &CrmValues<'_>) -> Result<Url, String> {
    let enc = |s: &str| utf8_percent_encode(s, COMPONENT).to_string();
    // One pass over the template, so a value containing `{agent}` is never expanded again.
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template.trim();
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        let (value, len) = [
            ("{phone}", v.phone),
            ("{callid}", v.callid),
            ("{did}", v.did),
            ("{queue}", v.queue),
            ("{agent}", v.agent),
        ]
        .iter()
        .find(|(k, _)| after.starts_with(k))
        .map(|(k, val)| (enc(val), k.len()))
        .unwrap_or_else(|| ("{".to_string(), 1));
        out.push_str(&value);
        rest = &after[len..];
    }
    out.push_str(rest);
    let url = Url::parse(&out).map_err(|e| format!("not a URL ({e})"))?;
    check_web_url(&url)?;
    Ok(url)
}

/// Only `http` and `https` links with a host are opened (no `file:`, `javascript:`, ...).
///
/// # Errors
///
/// A short reason naming the scheme.
pub fn check_web_url(url: &Url) -> Result<(), String> {
    match url.scheme() {
        "http" | "https" if url.host_str().is_some_and(|h| !h.is_empty()) => Ok(()),
        "http" | "https" => Err("the URL has no host".into()),
        other => Err(format!("only http and https URLs, not {other}:")),
    }
}

/// Checks a template with sample values.
///
/// # Errors
///
/// As [`build_url`].
pub fn validate_template(template: &str) -> Result<(), String> {
    build_url(
        template,
        &CrmValues {
            phone: "13800138000",
            callid: "1.1",
            did: "4000820188",
            queue: "5090",
            agent: "8005",
        },
    )
    .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = "https://crm.example.com/screen?tel={phone}&call={callid}&did={did}&q={queue}&agent={agent}";

    #[test]
    fn fills_in_plain_values() {
        let v = CrmValues {
            phone: "13800138000",
            callid: "1718000000.42",
            did: "4000820188",
            queue: "5090",
            agent: "8005",
        };
        assert_eq!(
            build_url(T, &v).unwrap().as_str(),
            "https://crm.example.com/screen?tel=13800138000&call=1718000000.42&did=4000820188&q=5090&agent=8005"
        );
    }

    #[test]
    fn hostile_values_stay_inside_their_parameter() {
        let v = CrmValues {
            phone: "138&admin=1#frag",
            callid: "a b/../c?d",
            did: "张三",
            queue: "{agent}",
            agent: "8005",
        };
        let url = build_url(T, &v).unwrap();
        assert_eq!(url.host_str(), Some("crm.example.com"));
        assert_eq!(url.path(), "/screen");
        assert_eq!(url.fragment(), None);
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        assert_eq!(
            pairs,
            vec![
                ("tel".into(), "138&admin=1#frag".into()),
                ("call".into(), "a b/../c?d".into()),
                ("did".into(), "张三".into()),
                ("q".into(), "{agent}".into()),
                ("agent".into(), "8005".into()),
            ]
        );
        assert!(url.as_str().contains("did=%E5%BC%A0%E4%B8%89"));
        assert!(url.as_str().contains("call=a%20b%2F..%2Fc%3Fd"));
    }

    #[test]
    fn a_value_cannot_change_the_host() {
        let v = CrmValues {
            phone: "evil.com/x",
            ..CrmValues::default()
        };
        let url = build_url("https://{phone}", &v);
        // Encoded, the slash cannot start a path: the host is the literal (odd) name or invalid.
        if let Ok(u) = url {
            assert_ne!(u.host_str(), Some("evil.com"));
        }
    }

    #[test]
    fn only_web_urls_are_accepted() {
        assert!(validate_template(T).is_ok());
        assert!(validate_template("http://10.0.0.5:8080/c?n={phone}").is_ok());
        assert!(validate_template("javascript:alert({phone})").is_err());
        assert!(validate_template("file:///etc/passwd").is_err());
        assert!(validate_template("crm.example.com/{phone}").is_err());
        assert!(validate_template("https://").is_err());
        // Unknown braces are kept as they are.
        assert!(build_url("https://x.test/{nope}", &CrmValues::default())
            .unwrap()
            .as_str()
            .contains("%7Bnope%7D"));
    }
}
