//! The request value every builder returns, and its rendering as `/webservice2/...?...`.

use super::query::encode_query_value;

/// Which body the server should answer with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// The default XML envelope (seed 1.3.4).
    #[default]
    Xml,
    /// The JSON envelope, asked for with `json=2` (seed 2.3: "json=1/2/3", samples use 2).
    Json,
}

/// One WEBCTI2 call: the PHP endpoint and its parameters in the seed's order.
///
/// Built only by the functions of this module from validated values, so a
/// `Request` can be sent as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The endpoint file, e.g. `"ctioriginate.php"`.
    pub endpoint: &'static str,
    /// Parameters after `webkey`, in the order the seed prints them. Empty
    /// values are left out when rendering, as the seed's URLs leave out
    /// parameters whose table value is "空".
    pub params: Vec<(&'static str, String)>,
}

impl Request {
    pub(crate) fn new(endpoint: &'static str) -> Self {
        Self {
            endpoint,
            params: Vec::new(),
        }
    }

    pub(crate) fn param(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.params.push((key, value.into()));
        self
    }

    pub(crate) fn opt_param<T: AsRef<str>>(self, key: &'static str, value: Option<T>) -> Self {
        match value {
            Some(v) => {
                let v = v.as_ref().to_owned();
                self.param(key, v)
            }
            None => self,
        }
    }

    /// The value of parameter `key`, if set.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Renders the path and query to append to the server's base URL.
    ///
    /// `webkey` is the daily digest ([`super::webkey()`]), never the secret.
    ///
    /// # Format
    ///
    /// Seed 9.4:
    /// `/webservice2/ctihangup.php?webkey=33de2de41e1fe862e6b0e0500bc515cd&channel=SIP/5003-0a11f460&json=2`
    pub fn path_and_query(&self, webkey: &str, format: Format) -> String {
        let mut out = format!(
            "/webservice2/{}?webkey={}",
            self.endpoint,
            encode_query_value(webkey)
        );
        for (key, value) in &self.params {
            if value.is_empty() {
                continue;
            }
            out.push('&');
            out.push_str(&encode_query_value(key));
            out.push('=');
            out.push_str(&encode_query_value(value));
        }
        if format == Format::Json {
            out.push_str("&json=2");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_values_are_left_out_and_json_goes_last() {
        let r = Request::new("x.php")
            .param("a", "1")
            .param("b", "")
            .opt_param::<&str>("c", None)
            .param("d", "a b");
        assert_eq!(
            r.path_and_query("k", Format::Json),
            "/webservice2/x.php?webkey=k&a=1&d=a%20b&json=2"
        );
        assert_eq!(
            r.path_and_query("k", Format::Xml),
            "/webservice2/x.php?webkey=k&a=1&d=a%20b"
        );
        assert_eq!(r.get("a"), Some("1"));
        assert_eq!(r.get("zz"), None);
    }

    #[test]
    fn a_hostile_webkey_cannot_add_parameters() {
        let r = Request::new("x.php");
        assert_eq!(
            r.path_and_query("k&json=1", Format::Xml),
            "/webservice2/x.php?webkey=k%26json=1"
        );
    }
}
