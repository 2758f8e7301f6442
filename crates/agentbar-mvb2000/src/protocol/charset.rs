//! Turns a response body into text: declared charset first, then strict UTF-8, then GBK.

use encoding_rs::{Encoding, GB18030, UTF_8};
use std::borrow::Cow;

/// Decodes `body` to text. Never fails and never panics: undecodable bytes
/// become U+FFFD, because a caller name in a broken charset must not cost
/// us the whole answer.
///
/// Order: a UTF-8 byte order mark; the `charset=` of `content_type`; the
/// `encoding=` of an XML declaration; else strict UTF-8, falling back to GBK
/// (the vendor's own C# sample, seed 1.4.2, decodes every answer as GB2312).
/// GB2312, GBK and GB18030 all go through the GB18030 decoder, which reads the
/// other two as subsets. A body declared UTF-8 that is not valid UTF-8 is also
/// read as GBK, for the same reason.
///
/// # Format
///
/// Seed 1.4.2 (C#): `new StreamReader(response.GetResponseStream(), System.Text.Encoding.GetEncoding("gb2312"))`;
/// the seed's samples show caller names such as `"calleridname":"???"` (18.5),
/// which is what a GB2312 name looks like after a wrong decode.
pub fn decode_body<'a>(body: &'a [u8], content_type: Option<&str>) -> Cow<'a, str> {
    if let Some(rest) = body.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8_lossy(rest);
    }
    let declared = content_type
        .and_then(charset_from_content_type)
        .or_else(|| charset_from_xml_decl(body));
    match declared.as_deref().and_then(lookup) {
        Some(enc) if enc == UTF_8 => utf8_or_gbk(body),
        Some(enc) => enc.decode_without_bom_handling(body).0,
        None => utf8_or_gbk(body),
    }
}

fn utf8_or_gbk(body: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(body) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => GB18030.decode_without_bom_handling(body).0,
    }
}

fn lookup(label: &str) -> Option<&'static Encoding> {
    let lower = label.trim().to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "gb2312" | "gbk" | "gb18030" | "gb_2312-80" | "cp936" | "x-gbk" | "euc-cn"
    ) {
        return Some(GB18030);
    }
    Encoding::for_label(lower.as_bytes())
}

/// `text/xml; charset="GB2312"` -> `GB2312`.
fn charset_from_content_type(ct: &str) -> Option<String> {
    ct.split(';').skip(1).find_map(|part| {
        let (key, value) = part.split_once('=')?;
        if key.trim().eq_ignore_ascii_case("charset") {
            let v = value.trim().trim_matches(|c| c == '"' || c == '\'');
            (!v.is_empty()).then(|| v.to_owned())
        } else {
            None
        }
    })
}

/// `<?xml version="1.0" encoding="gb2312"?>` -> `gb2312`; only the first bytes are looked at.
fn charset_from_xml_decl(body: &[u8]) -> Option<String> {
    let head = &body[..body.len().min(256)];
    let start = head.windows(5).position(|w| w == b"<?xml")?;
    let decl = &head[start..];
    let end = decl.windows(2).position(|w| w == b"?>")?;
    let decl = &decl[..end];
    let at = decl.windows(8).position(|w| w == b"encoding")?;
    let rest = &decl[at + 8..];
    let rest = rest.strip_prefix(b"=").or_else(|| {
        let i = rest.iter().position(|b| *b == b'=')?;
        rest[..i]
            .iter()
            .all(u8::is_ascii_whitespace)
            .then(|| &rest[i + 1..])
    })?;
    let rest: &[u8] = {
        let i = rest.iter().position(|b| !b.is_ascii_whitespace())?;
        &rest[i..]
    };
    let quote = *rest.first()?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let value = &rest[1..];
    let close = value.iter().position(|b| *b == quote)?;
    let label = std::str::from_utf8(&value[..close]).ok()?;
    Some(label.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::GBK;

    fn gbk(s: &str) -> Vec<u8> {
        GBK.encode(s).0.into_owned()
    }

    #[test]
    fn charset_from_header_wins() {
        let body = gbk("苏文佳");
        assert_eq!(
            decode_body(&body, Some("text/xml; charset=GB2312")),
            "苏文佳"
        );
        assert_eq!(
            decode_body(&body, Some("text/xml;charset=\"gbk\"")),
            "苏文佳"
        );
    }

    #[test]
    fn charset_from_xml_declaration() {
        let mut body = b"<?xml version=\"1.0\" encoding = 'gb2312'?><a>".to_vec();
        body.extend(gbk("苏文佳"));
        assert!(decode_body(&body, None).ends_with("<a>苏文佳"));
        assert_eq!(
            charset_from_xml_decl(b"<?xml version=\"1.0\" encoding=\"GBK\"?>").as_deref(),
            Some("GBK")
        );
    }

    #[test]
    fn undeclared_utf8_and_gbk() {
        assert_eq!(decode_body("苏文佳".as_bytes(), None), "苏文佳");
        assert_eq!(decode_body(&gbk("苏文佳"), None), "苏文佳");
        assert_eq!(
            decode_body(&gbk("苏文佳"), Some("text/xml; charset=utf-8")),
            "苏文佳"
        );
    }

    #[test]
    fn bom_and_unknown_labels() {
        assert_eq!(decode_body(b"\xEF\xBB\xBF{}", None), "{}");
        assert_eq!(
            decode_body(b"{}", Some("text/plain; charset=nonsense")),
            "{}"
        );
        assert_eq!(decode_body(b"{}", Some("text/plain")), "{}");
    }
}
