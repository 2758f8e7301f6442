//! Percent-encoding of query values so that our URLs match the seed's printed URLs byte for byte.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Bytes left as they are: RFC 3986 unreserved, plus the characters the
/// seed prints raw inside values (`SIP/7001`, `FIRSTTEXTCALLER=7620|MVB_CALLER=7620`,
/// `5003|Bqsv(3)`, `5003@default|s`). Keeping them raw is what makes the
/// seed's URLs reproducible; the server's PHP decodes either form.
/// Everything else, including space, `+`, `&`, `#`, `%` and non-ASCII
/// (as UTF-8), is escaped, so no value can start a new parameter.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/')
    .remove(b'|')
    .remove(b'=')
    .remove(b'@')
    .remove(b'(')
    .remove(b')')
    .remove(b':')
    .remove(b',');

/// Encodes one query key or value.
///
/// # Format
///
/// Seed 8.4: the command `meetme list 9111` is sent as `meetme%20list%209111`;
/// seed 5.4 sends `5003|Bqsv(3)` unescaped.
pub fn encode_query_value(value: &str) -> String {
    utf8_percent_encode(value, QUERY_VALUE).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_forms_are_kept_raw() {
        assert_eq!(
            encode_query_value("FIRSTTEXTCALLER=7620|MVB_CALLER=7620"),
            "FIRSTTEXTCALLER=7620|MVB_CALLER=7620"
        );
        assert_eq!(encode_query_value("5003|Bqsv(3)"), "5003|Bqsv(3)");
        assert_eq!(encode_query_value("Zap/g0/82754888"), "Zap/g0/82754888");
        assert_eq!(encode_query_value("5003@default|s"), "5003@default|s");
    }

    #[test]
    fn seed_8_4_space_is_percent_20() {
        assert_eq!(
            encode_query_value("meetme list 9111"),
            "meetme%20list%209111"
        );
    }

    #[test]
    fn separators_and_non_ascii_are_escaped() {
        assert_eq!(encode_query_value("a+b&c#d%e"), "a%2Bb%26c%23d%25e");
        assert_eq!(encode_query_value("苏"), "%E8%8B%8F");
        assert_eq!(encode_query_value("1\n2"), "1%0A2");
        assert_eq!(encode_query_value("a;b?c"), "a%3Bb%3Fc");
    }
}
