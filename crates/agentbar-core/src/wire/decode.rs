//! Percent-escapes and bodies in the charsets Chinese CTI servers use.

/// Decodes `%XX` escapes (and `+` as a space when `plus` is set, as in form bodies and the
/// query strings Java's `URLEncoder` writes). The bytes are read as UTF-8 (what Guoxin and
/// 800hu's seeds specify), else as GBK (a Chinese Windows server's charset). `None` for a
/// broken escape or bytes that are neither; never panics, whatever the input.
pub fn percent_decode(s: &str, plus: bool) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let hex = b.get(i + 1..i + 3)?;
                if !hex.iter().all(u8::is_ascii_hexdigit) {
                    return None;
                }
                let h = std::str::from_utf8(hex).ok()?;
                out.push(u8::from_str_radix(h, 16).ok()?);
                i += 3;
            }
            b'+' if plus => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    match String::from_utf8(out) {
        Ok(s) => Some(s),
        Err(e) => encoding_rs::GBK
            .decode_without_bom_handling_and_without_replacement(e.as_bytes())
            .map(|s| s.into_owned()),
    }
}

/// Decodes an answer's body by the charset its `Content-Type` declares; without one, UTF-8,
/// then GBK (older Chinese servers send it undeclared). Never fails: an unreadable byte
/// becomes U+FFFD, and the protocol's parser refuses what it cannot read.
pub fn decode_body(body: &[u8], content_type: Option<&str>) -> String {
    let declared = content_type
        .and_then(|ct| {
            ct.split(';')
                .find_map(|p| p.trim().strip_prefix("charset="))
        })
        .and_then(|label| encoding_rs::Encoding::for_label(label.trim_matches('"').as_bytes()));
    if let Some(enc) = declared {
        return enc.decode_with_bom_removal(body).0.into_owned();
    }
    match std::str::from_utf8(body) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GBK
            .decode_with_bom_removal(body)
            .0
            .into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::{decode_body, percent_decode};

    #[test]
    fn bodies_by_declared_charset_else_utf8_else_gbk() {
        let gbk = encoding_rs::GBK.encode("张三").0.into_owned();
        assert_eq!(decode_body(&gbk, None), "张三");
        assert_eq!(
            decode_body(&gbk, Some("text/html; charset=\"gbk\"")),
            "张三"
        );
        assert_eq!(decode_body("张三".as_bytes(), Some("text/plain")), "张三");
        assert_eq!(
            decode_body(b"\xff", Some("text/plain; charset=utf-8")),
            "\u{fffd}"
        );
    }

    #[test]
    fn decoding() {
        assert_eq!(percent_decode("a%40b", false).unwrap(), "a@b");
        assert_eq!(percent_decode("a+b", true).unwrap(), "a b");
        assert_eq!(percent_decode("a+b", false).unwrap(), "a+b");
        assert_eq!(percent_decode("%E5%BC%A0", true).unwrap(), "张");
        assert_eq!(percent_decode("%D5%C5", true).unwrap(), "张");
        assert!(percent_decode("%4", true).is_none());
        assert!(percent_decode("%zz", true).is_none());
        assert!(percent_decode("%+1", true).is_none());
        assert!(percent_decode("%ff%ff", true).is_none());
        assert!(percent_decode("%张", true).is_none());
    }
}
