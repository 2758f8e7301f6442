//! `tel:` and `callto:` links handed to the app (a second launch's arguments, the OS's URL
//! handler): the number to dial.

/// The number in a `tel:` / `callto:` link, reduced to what a phone dials: digits, a leading
/// `+`, `*` and `#`. `None` for anything else or a link without digits.
///
/// `tel:+86-10-8275-4888` gives `+861082754888`; `callto://82754888` gives `82754888`;
/// parameters (`;ext=`, `?`) are dropped.
pub fn number_from_link(arg: &str) -> Option<String> {
    let arg = arg.trim();
    let lower = arg.to_ascii_lowercase();
    let rest = ["tel:", "callto:"]
        .iter()
        .find(|s| lower.starts_with(*s))
        .map(|s| &arg[s.len()..])?;
    let rest = rest.trim_start_matches('/');
    // `tel:` parameters and `?query` are not part of the number.
    let rest = rest.split([';', '?']).next().unwrap_or_default();
    let decoded = percent_encoding::percent_decode_str(rest).decode_utf8_lossy();
    let mut out = String::new();
    for c in decoded.chars() {
        match c {
            '0'..='9' | '*' | '#' => out.push(c),
            '+' if out.is_empty() => out.push(c),
            _ => {}
        }
    }
    out.chars().any(|c| c.is_ascii_digit()).then_some(out)
}

/// The first dialable link among a command line's arguments (the program name excluded).
pub fn number_from_args<S: AsRef<str>>(args: &[S]) -> Option<String> {
    args.iter()
        .skip(1)
        .find_map(|a| number_from_link(a.as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_tel_and_callto_links() {
        let cases = [
            ("tel:+86-10-8275-4888", Some("+861082754888")),
            ("callto://82754888", Some("82754888")),
            ("callto:82754888", Some("82754888")),
            ("TEL:(010) 8275 4888", Some("01082754888")),
            ("tel:%2B86%20138%200013%208000", Some("+8613800138000")),
            ("tel:2011;ext=5", Some("2011")),
            ("callto://8005?call", Some("8005")),
            ("tel:*72#", Some("*72#")),
            ("tel:1+2", Some("12")),
            ("tel:", None),
            ("tel:abc", None),
            ("https://example.com/tel:123", None),
            ("13800138000", None),
        ];
        for (input, want) in cases {
            assert_eq!(number_from_link(input).as_deref(), want, "{input}");
        }
    }

    #[test]
    fn finds_the_link_among_arguments() {
        let args = ["/usr/bin/agent-bar", "--flag", "tel:8005"];
        assert_eq!(number_from_args(&args).as_deref(), Some("8005"));
        // The program name itself is never taken as a link.
        assert_eq!(number_from_args(&["tel:1"]), None);
    }
}
