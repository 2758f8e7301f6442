//! Request parameters of the 800hu interface: the query string, then a form body
//! (`application/x-www-form-urlencoded`, seed sec 1.1), decoded as UTF-8 (`+` is a space).

/// Decoded `k=v` pairs in the order sent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params(pub Vec<(String, String)>);

fn decode(s: &str) -> String {
    let s = s.replace('+', " ");
    percent_encoding::percent_decode_str(&s)
        .decode_utf8_lossy()
        .into_owned()
}

impl Params {
    /// Parses a query string or a form body; empty pairs are skipped.
    ///
    /// # Format
    ///
    /// Seed sec 1.1: `sa_user=100008800&sa_password=92868F142BE5DD78DD0ACF4370B4EB94&method=getExtension`.
    pub fn parse(query: &str) -> Params {
        Params(
            query
                .split('&')
                .filter(|p| !p.is_empty())
                .map(|p| match p.split_once('=') {
                    Some((k, v)) => (decode(k), decode(v)),
                    None => (decode(p), String::new()),
                })
                .collect(),
        )
    }

    /// Adds the pairs of a form body after the query's.
    pub fn extend_form(&mut self, body: &str) {
        self.0.extend(Params::parse(body).0);
    }

    /// The first value of `name`, if present (even empty).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of `name`, trimmed, or empty when absent.
    pub fn str(&self, name: &str) -> &str {
        self.get(name).map(str::trim).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_1_1_sample_and_a_form_body() {
        let mut p = Params::parse(
            "sa_user=100008800&sa_password=92868F142BE5DD78DD0ACF4370B4EB94&method=getExtension",
        );
        assert_eq!(p.str("sa_user"), "100008800");
        assert_eq!(p.str("method"), "getExtension");
        p.extend_form("paramvalue=%E8%AE%A2%E5%8D%95+42&&descPhone=13800138000");
        assert_eq!(p.str("paramvalue"), "订单 42");
        assert_eq!(p.str("descPhone"), "13800138000");
        assert_eq!(p.get("missing"), None);
    }
}
